"""Goal pages: the progress hub, the goal list (filters, search, pagination), setting or proposing
a goal with milestones, a goal's page with its chart (entries, baseline, target, milestones,
deadline), approve/reject/cancel, the student and class progress pages, and entering a value by
hand. The goal, student and class panels poll an htmx fragment every 30 s with an ETag (the safety
live panel's validator, ``safety.selectors.monitoring.panel_etag``): 304 while unchanged.
Same selectors and services as the API."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import paginate, render_confirm
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import has_school_perm, schools_where
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from physed.charts import Series, line_chart
from physed.models import PEClass, Student
from physed.selectors.roster import linked_students
from progress.forms_goals import DecisionForm, EntryForm, GoalFilterForm, GoalForm, MilestoneFormSet
from progress.models import Achievement, Goal, GoalStatus
from progress.selectors import goals as selectors
from progress.services import entries as entry_services
from progress.services import goals as services
from safety.selectors.monitoring import panel_etag

POLL_SECONDS = 30
DUE_SOON_DAYS = 14


def _goal(request, pk) -> Goal:
    return get_object_or_404(selectors.list_queryset(selectors.goals_visible_to(request.user)), pk=pk)


def _can(user, perm, obj) -> bool:
    return allowed_on_object(user, perm, obj, record=False)


def _form_error(form, exc: ServiceError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _conditional(request, template: str, context: dict, payload: dict):
    """The polled fragment: 304 while ``payload`` (what this viewer sees) is unchanged."""
    etag = panel_etag(payload, request.user)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        context["etag_value"] = etag.strip('"')
        response = render(request, template, context)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _with_etag(context: dict, payload: dict, user) -> dict:
    context["etag_value"] = panel_etag(payload, user).strip('"')
    context["poll_seconds"] = POLL_SECONDS
    return context


# --- hub and list -------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    staff_schools = schools_where(user, services.VIEW) if not user.is_superuser else None
    linked = list(linked_students(user))
    if staff_schools == [] and not linked:
        raise PermissionDenied
    if staff_schools == [] and len(linked) == 1:
        return redirect("progress-student", linked[0].pk)
    today = timezone.localdate()
    visible = selectors.list_queryset(selectors.goals_visible_to(user))
    approve_schools = schools_where(user, services.APPROVE) if not user.is_superuser else None
    to_approve = visible.filter(status=GoalStatus.PROPOSED)
    if approve_schools is not None:
        to_approve = to_approve.filter(school__in=approve_schools)
    due_soon = visible.filter(
        status=GoalStatus.ACTIVE, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
    )
    badges = selectors.achievements_visible_to(user).select_related("definition", "student").order_by("-awarded_on")
    context = {
        "to_approve": list(to_approve[:20]) if approve_schools != [] else [],
        "due_soon": list(due_soon.order_by("deadline")[:20]),
        "badges": list(badges[:10]),
        "linked": linked,
        "is_staff_viewer": staff_schools != [],
        "can_add": allowed_somewhere(user, services.ADD, record=False),
        "due_soon_days": DUE_SOON_DAYS,
    }
    return render(request, "progress/home/home.html", context)


@login_required
def goal_list(request):
    user = request.user
    school = current_school(request)
    rows = selectors.list_queryset(selectors.goals_visible_to(user))
    classes = PEClass.objects.visible_to(user).filter(school=school) if school else PEClass.objects.none()
    students = selectors_students(request)
    form = GoalFilterForm(request.GET or None, classes=classes, students=students)
    if form.is_valid():
        data = form.cleaned_data
        if data["search"]:
            term = data["search"]
            rows = rows.filter(
                Q(title__icontains=term)
                | Q(metric_label__icontains=term)
                | Q(student__first_name__icontains=term)
                | Q(student__last_name__icontains=term)
                | Q(pe_class__name__icontains=term)
            )
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["pe_class"]:
            rows = rows.filter(pe_class=data["pe_class"])
        if data["student"]:
            rows = rows.filter(student=data["student"])
    page = paginate(request, rows.order_by("deadline", "pk"))
    progress = selectors.progress_for(page.object_list)  # a fixed number of queries per page
    for goal in page.object_list:
        goal.progress = progress[goal.pk]
    context = {"page": page, "form": form, "can_add": allowed_somewhere(user, services.ADD, record=False)}
    return render(request, "progress/goals/list.html", context)


def selectors_students(request):
    school = current_school(request)
    user = request.user
    if school is None or not (user.is_superuser or has_school_perm(user, services.VIEW, school.pk)):
        return Student.objects.none()
    return Student.objects.visible_to(user).filter(school=school).order_by("last_name", "first_name")


# --- create / edit --------------------------------------------------------------------------------


def _milestone_rows(formset) -> list[dict]:
    return [row for form in formset.forms if (row := form.row())]


@login_required
def goal_create(request):
    user = request.user
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    staff = user.is_superuser or has_school_perm(user, services.ADD, school.pk)
    own = Student.objects.filter(user=user, school=school).first()
    if not staff and own is None:
        raise PermissionDenied
    classes = PEClass.objects.visible_to(user).filter(school=school, is_active=True).order_by("name")
    students = selectors_students(request)
    initial = {"start_date": timezone.localdate()}
    for key, field in (("student", "student"), ("class", "pe_class")):
        if request.GET.get(key, "").isdigit():
            initial[field] = int(request.GET[key])
    kwargs = {"school": school, "students": students, "classes": classes, "for_student": None if staff else own}
    form = GoalForm(request.POST or None, initial=initial, **kwargs)
    formset = MilestoneFormSet(request.POST or None, prefix="ms")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        student = data.pop("student", None) if staff else own
        pe_class = data.pop("pe_class", None) if staff else None
        try:
            goal = services.create_goal(
                actor=user,
                school=school,
                student=student,
                pe_class=pe_class,
                milestones=_milestone_rows(formset),
                **{k: v for k, v in data.items() if k not in ("student", "pe_class")},
            )
        except ServiceError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            _form_error(form, exc)
        else:
            if goal.status == GoalStatus.PROPOSED:
                messages.success(request, _("Goal proposed. Your teacher will approve it or reply."))
            else:
                messages.success(request, _("Goal saved."))
            return redirect("progress-goal-detail", goal.pk)
    context = {"form": form, "formset": formset, "proposing": not staff, "title": _("New goal")}
    return render(request, "progress/goals/form.html", context)


@login_required
def goal_edit(request, pk):
    goal = _goal(request, pk)
    own_proposal = goal.status == GoalStatus.PROPOSED and goal.student_id and goal.student.user_id == request.user.pk
    if not (_can(request.user, services.CHANGE, goal) or own_proposal):
        raise PermissionDenied
    initial = {f: getattr(goal, f) for f in ("title", "metric_key", "baseline", "target", "start_date", "deadline")}
    initial["note"] = goal.note
    form = GoalForm(request.POST or None, initial=initial, school=goal.school, editing=True)
    ms_initial = [
        {"title": m.title, "target_value": m.target_value, "due_date": m.due_date} for m in goal.milestones.all()
    ]
    formset = MilestoneFormSet(request.POST or None, prefix="ms", initial=ms_initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_goal(
                actor=request.user,
                goal=goal,
                milestones=_milestone_rows(formset),
                **{k: v for k, v in form.cleaned_data.items() if v is not None},
            )
        except ServiceError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            _form_error(form, exc)
        else:
            messages.success(request, _("Goal saved."))
            return redirect("progress-goal-detail", goal.pk)
    context = {"form": form, "formset": formset, "goal": goal, "title": _("Edit goal")}
    return render(request, "progress/goals/form.html", context)


# --- detail and its panel ---------------------------------------------------------------------------


def goal_chart(goal: Goal, series):
    points = [(day, value) for day, value in series]
    lines = [Series(_("Measured"), points)]
    lines.append(Series(_("Target"), [(goal.start_date, float(goal.target)), (goal.deadline, float(goal.target))]))
    lines.append(
        Series(_("Baseline"), [(goal.start_date, float(goal.baseline)), (goal.deadline, float(goal.baseline))])
    )
    milestones = [(m.due_date, float(m.target_value)) for m in goal.milestones.all()]
    if milestones:
        lines.append(Series(_("Milestones"), milestones))
    return line_chart(
        lines,
        title=_("Progress of %(title)s (deadline %(deadline)s)")
        % {"title": goal.title, "deadline": goal.deadline.isoformat()},
        y_label=goal.unit,
        empty_message=_("No values yet."),
    )


def _goal_panel(request, goal) -> tuple[dict, dict]:
    progress = selectors.goal_progress(goal)
    staff = selectors.is_staff_viewer(request.user, goal.school_id)
    rows = selectors.class_student_progress(goal) if goal.pe_class_id and staff else []
    payload = {
        "status": goal.status,
        "series": progress["series"],
        "milestones": [(m.pk, m.reached_at, str(m.reached_value)) for m in goal.milestones.all()],
        "rows": [(row["student"].pk, row["current"]) for row in rows],
        "updated": goal.updated_at,
    }
    context = {
        "goal": goal,
        "progress": progress,
        "chart": goal_chart(goal, progress["series"]),
        "student_rows": rows,
        "milestones": list(goal.milestones.all()),
    }
    return context, payload


@login_required
def goal_detail(request, pk):
    goal = _goal(request, pk)
    context, payload = _goal_panel(request, goal)
    user = request.user
    own_proposal = goal.status == GoalStatus.PROPOSED and goal.student_id and goal.student.user_id == user.pk
    context.update(
        {
            "can_change": goal.status in services.EDITABLE and (_can(user, services.CHANGE, goal) or own_proposal),
            "can_approve": goal.status == GoalStatus.PROPOSED and _can(user, services.APPROVE, goal),
            "can_delete": _can(user, services.DELETE, goal),
            "decision_form": DecisionForm(),
        }
    )
    return render(request, "progress/goals/detail.html", _with_etag(context, payload, user))


@login_required
def goal_panel(request, pk):
    goal = _goal(request, pk)
    context, payload = _goal_panel(request, goal)
    context["poll_seconds"] = POLL_SECONDS
    return _conditional(request, "progress/goals/_panel.html", context, payload)


@login_required
@require_POST
def goal_decide(request, pk, decision):
    goal = _goal(request, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    fn = services.approve_goal if decision == "approve" else services.reject_goal
    try:
        fn(actor=request.user, goal=goal, note=note)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Goal approved.") if decision == "approve" else _("Goal not approved."))
    return redirect("progress-goal-detail", goal.pk)


@login_required
def goal_cancel(request, pk):
    goal = _goal(request, pk)
    back = reverse("progress-goal-detail", args=[goal.pk])
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            services.cancel_goal(actor=request.user, goal=goal, note=request.POST.get("note", "")[:300])
        except ServiceError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Goal cancelled."))
        return redirect(back)
    return render_confirm(
        request,
        title=_("Cancel goal"),
        question=_("Cancel the goal “%(title)s”? It stays on record as cancelled.") % {"title": goal.title},
        action_label=_("Cancel goal"),
        cancel_url=back,
    )


@login_required
def goal_delete(request, pk):
    goal = _goal(request, pk)
    if not _can(request.user, services.DELETE, goal):
        raise PermissionDenied
    back = reverse("progress-goal-detail", args=[goal.pk])
    if request.method == "POST" and request.POST.get("confirm"):
        services.delete_goal(actor=request.user, goal=goal)
        messages.success(request, _("Goal deleted."))
        return redirect("progress-goal-list")
    return render_confirm(
        request,
        title=_("Delete goal"),
        question=_("Delete the goal “%(title)s” and its milestones for good?") % {"title": goal.title},
        action_label=_("Delete"),
        cancel_url=back,
    )


# --- student and class pages ----------------------------------------------------------------------


def _student(request, pk) -> Student:
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("school"), pk=pk)
    if selectors.can_view_student(request.user, student):
        return student
    if has_school_perm(request.user, "physed.view_student", student.school_id):
        raise PermissionDenied
    raise Http404


def _student_panel(request, student) -> tuple[dict, dict]:
    class_ids = selectors._class_ids_of([student.pk])
    goals = list(
        selectors.list_queryset(
            selectors.goals_visible_to(request.user).filter(Q(student=student) | Q(pe_class_id__in=class_ids))
        ).order_by("status", "deadline", "pk")
    )
    progress = selectors.progress_for(goals)
    for goal in goals:
        goal.progress = progress[goal.pk]
    awards = list(Achievement.objects.filter(student=student).select_related("definition").order_by("-awarded_on"))
    payload = {
        "goals": [(g.pk, g.status, g.progress["current"]) for g in goals],
        "awards": [a.pk for a in awards],
    }
    return {"student": student, "goals": goals, "awards": awards}, payload


@login_required
def student_progress(request, pk):
    student = _student(request, pk)
    context, payload = _student_panel(request, student)
    context["can_add_entry"] = has_school_perm(request.user, entry_services.ADD_ENTRY, student.school_id)
    context["can_add_goal"] = has_school_perm(request.user, services.ADD, student.school_id) or (
        student.user_id == request.user.pk
    )
    return render(request, "progress/goals/student.html", _with_etag(context, payload, request.user))


@login_required
def student_panel(request, pk):
    student = _student(request, pk)
    context, payload = _student_panel(request, student)
    context["poll_seconds"] = POLL_SECONDS
    return _conditional(request, "progress/goals/_student_panel.html", context, payload)


def _class(request, pk) -> PEClass:
    pe_class = get_object_or_404(PEClass.objects.visible_to(request.user), pk=pk)
    if not selectors.is_staff_viewer(request.user, pe_class.school_id):
        raise PermissionDenied
    return pe_class


def _class_panel(request, pe_class) -> tuple[dict, dict]:
    goals = list(selectors.list_queryset(Goal.objects.filter(pe_class=pe_class)).order_by("status", "deadline", "pk"))
    progress = selectors.progress_for(goals)
    for goal in goals:
        goal.progress = progress[goal.pk]
        goal.rows = selectors.class_student_progress(goal)
    payload = {
        "goals": [
            (g.pk, g.status, g.progress["current"], [(r["student"].pk, r["current"]) for r in g.rows]) for g in goals
        ]
    }
    return {"pe_class": pe_class, "goals": goals}, payload


@login_required
def class_progress(request, pk):
    pe_class = _class(request, pk)
    context, payload = _class_panel(request, pe_class)
    context["can_add_goal"] = has_school_perm(request.user, services.ADD, pe_class.school_id)
    return render(request, "progress/goals/class.html", _with_etag(context, payload, request.user))


@login_required
def class_panel(request, pk):
    pe_class = _class(request, pk)
    context, payload = _class_panel(request, pe_class)
    context["poll_seconds"] = POLL_SECONDS
    return _conditional(request, "progress/goals/_class_panel.html", context, payload)


@login_required
def entry_add(request, pk):
    student = _student(request, pk)
    if not has_school_perm(request.user, entry_services.ADD_ENTRY, student.school_id):
        raise PermissionDenied
    form = EntryForm(request.POST or None, school=student.school, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            entry_services.add_manual_entry(actor=request.user, student=student, **form.cleaned_data)
        except ServiceError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            _form_error(form, exc)
        else:
            messages.success(request, _("Value saved."))
            return redirect("progress-student", student.pk)
    return render(request, "progress/goals/entry_form.html", {"form": form, "student": student})
