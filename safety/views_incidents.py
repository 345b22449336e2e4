"""Incident pages: the list (filters, search, pagination), the full report form and the quick
near-miss form, the report page (students, actions, amendments, notices; every view audited),
the correction form (reason required), workflow moves with confirmation, follow-up actions and
the analytics page. Same visibility path and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import School
from accounts.pages import paginate
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import schools_where
from accounts.services.errors import ServiceError
from safety.forms_incidents import (
    ActionForm,
    AmendForm,
    CompleteActionForm,
    IncidentFilterForm,
    IncidentForm,
    InvolvementFormSet,
    NearMissForm,
    TransitionForm,
    involvement_values,
)
from safety.models import IncidentAction, IncidentKind, IncidentSeverity, IncidentStatus
from safety.selectors import incidents as selectors
from safety.services import incidents as services
from safety.services.incidents_data import allowed_transitions, factor_labels

VIEW, ADD, CHANGE, MANAGE = services.VIEW, services.ADD, services.CHANGE, services.MANAGE


def _can(user, perm, obj) -> bool:
    return allowed_on_object(user, perm, obj, record=False)


def _visible_incident(request, pk, perm=VIEW, queryset=None):
    incident = get_object_or_404((queryset or selectors.detail_queryset()).visible_to(request.user), pk=pk)
    if not allowed_on_object(request.user, perm, incident):
        raise PermissionDenied
    return incident


def report_school(request, perm=ADD) -> School:
    """The school a new report is for: ``?school=`` when the user may report there, else the
    first school where they may."""
    permitted = schools_where(request.user, perm)
    if not permitted:
        raise PermissionDenied
    wanted = request.GET.get("school") or request.POST.get("school")
    school_id = int(wanted) if wanted and wanted.isdigit() and int(wanted) in permitted else permitted[0]
    return School.objects.get(pk=school_id)


@login_required
def incident_list(request):
    if not allowed_somewhere(request.user, VIEW):
        raise PermissionDenied
    form = IncidentFilterForm(request.GET or None, user=request.user)
    rows = selectors.incidents_for(request.user).annotate(
        student_count=Count("students", distinct=True),
        open_actions=Count("actions", filter=Q(actions__completed_at__isnull=True), distinct=True),
    )
    if form.is_valid():
        data = form.cleaned_data
        for name in ("status", "kind", "severity"):
            if data[name]:
                rows = rows.filter(**{name: data[name]})
        if data["pe_class"]:
            rows = rows.filter(pe_class=data["pe_class"])
        if data["date_from"]:
            rows = rows.filter(occurred_at__date__gte=data["date_from"])
        if data["date_to"]:
            rows = rows.filter(occurred_at__date__lte=data["date_to"])
        rows = selectors.search(rows, data["q"])
    return render(
        request,
        "safety/incidents/list.html",
        {
            "page": paginate(request, rows.order_by("-occurred_at", "-pk")),
            "form": form,
            "can_add": allowed_somewhere(request.user, ADD, record=False),
            "can_analyse": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_report(request):
    school = report_school(request)
    if request.method == "POST":
        form = IncidentForm(request.POST, school=school)
        formset = InvolvementFormSet(request.POST, prefix="students", form_kwargs={"school": school})
        if form.is_valid() and formset.is_valid():
            try:
                incident = services.report_incident(
                    actor=request.user, school=school, **form.report_values(), students=involvement_values(formset)
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Report %(reference)s filed.") % {"reference": incident.reference})
                return redirect("safety-incident-detail", pk=incident.pk)
    else:
        initial = {"severity": IncidentSeverity.MINOR, "kind": request.GET.get("kind") or IncidentKind.INJURY}
        form = IncidentForm(school=school, initial=initial)
        formset = InvolvementFormSet(prefix="students", form_kwargs={"school": school})
    return render(
        request, "safety/incidents/form.html", {"form": form, "formset": formset, "school": school, "amend": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def near_miss_report(request):
    school = report_school(request)
    form = NearMissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.report_incident(
                actor=request.user,
                school=school,
                kind=IncidentKind.NEAR_MISS,
                severity=IncidentSeverity.NONE,
                **form.cleaned_data,
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Near miss %(reference)s recorded.") % {"reference": incident.reference})
            return redirect("safety-incident-detail", pk=incident.pk)
    return render(request, "safety/incidents/near_miss.html", {"form": form, "school": school})


@login_required
def incident_detail(request, pk):
    incident = _visible_incident(request, pk)
    services.record_view(actor=request.user, incident=incident)
    user = request.user
    can_manage = _can(user, MANAGE, incident)
    labels = factor_labels()
    return render(
        request,
        "safety/incidents/detail.html",
        {
            "incident": incident,
            "factors": [labels.get(code, code) for code in incident.contributing_factors],
            "can_amend": _can(user, CHANGE, incident),
            "can_manage": can_manage,
            "transitions": [(status, IncidentStatus(status).label) for status in allowed_transitions(incident.status)]
            if can_manage
            else [],
            "action_form": ActionForm(school=incident.school) if can_manage else None,
            "today": timezone.localdate(),
        },
    )


def _initial_from(incident) -> dict:
    initial = {name: getattr(incident, name) for name in services.SCALAR_FIELDS}
    # to the minute, like the form's inputs, so an untouched time is not seen as a change
    initial["occurred_at"] = timezone.localtime(incident.occurred_at).replace(second=0, microsecond=0)
    if incident.guardian_notified_at:
        initial["guardian_notified_at"] = timezone.localtime(incident.guardian_notified_at).replace(
            second=0, microsecond=0
        )
    initial["equipment"] = list(incident.equipment.all())
    initial["staff_present"] = list(incident.staff_present.all())
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def incident_amend(request, pk):
    incident = _visible_incident(request, pk, CHANGE)
    school = incident.school
    students_initial = [
        {
            "student": row.student,
            "injured": row.injured,
            "body_area": row.body_area,
            "injury_type": row.injury_type,
            "notes": row.notes,
        }
        for row in incident.students.all()
    ]
    if request.method == "POST":
        form = AmendForm(request.POST, school=school, initial=_initial_from(incident))
        formset = InvolvementFormSet(
            request.POST, prefix="students", form_kwargs={"school": school}, initial=students_initial
        )
        if form.is_valid() and formset.is_valid():
            try:
                values = {k: v for k, v in form.report_values().items() if k in form.changed_data}
                if formset.has_changed():
                    values["students"] = involvement_values(formset)
                services.amend_incident(
                    actor=request.user, incident=incident, reason=form.cleaned_data["reason"], **values
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Correction recorded."))
                return redirect("safety-incident-detail", pk=incident.pk)
    else:
        form = AmendForm(school=school, initial=_initial_from(incident))
        formset = InvolvementFormSet(prefix="students", form_kwargs={"school": school}, initial=students_initial)
    return render(
        request,
        "safety/incidents/form.html",
        {"form": form, "formset": formset, "school": school, "amend": True, "incident": incident},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_transition(request, pk):
    incident = _visible_incident(request, pk, MANAGE)
    target = request.POST.get("status") or request.GET.get("status") or ""
    if target not in allowed_transitions(incident.status):
        messages.error(request, _("This report cannot move to that status."))
        return redirect("safety-incident-detail", pk=incident.pk)
    form = TransitionForm(request.POST or None, initial={"status": target})
    if request.method == "POST" and form.is_valid():
        try:
            services.transition(
                actor=request.user, incident=incident, to_status=target, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status changed to %(status)s.") % {"status": IncidentStatus(target).label})
        return redirect("safety-incident-detail", pk=incident.pk)
    return render(
        request,
        "safety/incidents/transition.html",
        {
            "incident": incident,
            "form": form,
            "target_label": IncidentStatus(target).label,
            "reopen": incident.status == IncidentStatus.CLOSED,
        },
    )


@login_required
@require_POST
def action_add(request, pk):
    incident = _visible_incident(request, pk, MANAGE)
    form = ActionForm(request.POST, school=incident.school)
    if form.is_valid():
        try:
            services.add_action(actor=request.user, incident=incident, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Follow-up action added."))
    else:
        messages.error(request, _("Give the action, its owner and a due date."))
    return redirect(reverse("safety-incident-detail", args=[incident.pk]) + "#actions")


@login_required
@require_POST
def action_complete(request, pk):
    action = get_object_or_404(
        IncidentAction.objects.visible_to(request.user).select_related("incident__school"), pk=pk
    )
    if not allowed_on_object(request.user, VIEW, action.incident):
        raise PermissionDenied
    form = CompleteActionForm(request.POST)
    form.is_valid()
    try:
        services.complete_action(actor=request.user, action=action, note=form.cleaned_data.get("note", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Action completed."))
    return redirect(reverse("safety-incident-detail", args=[action.incident_id]) + "#actions")
