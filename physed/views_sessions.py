"""Pages: a class's session list, planning (create, generate, edit, planner, copy, delete) and
the live session page. Thin: parse, authorize, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.services.errors import ServiceError
from physed.forms_sessions import (
    AddBlockForm,
    BlockActionForm,
    CopyForm,
    GenerateForm,
    LibrarySearchForm,
    SessionForm,
    StatusForm,
)
from physed.models import Activity, AttendanceStatus, Exercise, SessionBlock, SessionStatus
from physed.selectors.sessions import participation_rate, sessions_for_class
from physed.services import sessions as sessions_service
from physed.views_sessions_common import can, class_for, optional_url, session_for

LIBRARY_RESULTS = 20


def _class_context(request, pe_class) -> dict:
    return {"pe_class": pe_class, "class_url": optional_url("class-detail", pe_class.pk)}


@login_required
def class_sessions(request, class_pk):
    pe_class = class_for(request, class_pk, "physed.view_classsession")
    sessions = sessions_for_class(pe_class, request.user).order_by("-date", "-start_time", "-pk")
    status = request.GET.get("status", "")
    if status in SessionStatus.values:
        sessions = sessions.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        sessions = sessions.filter(Q(title__icontains=query) | Q(notes__icontains=query))
    page = paginate(request, sessions)
    for session in page:
        session.rate = participation_rate(session)
    return render(
        request,
        "physed/sessions/list.html",
        {
            **_class_context(request, pe_class),
            "page": page,
            "status": status,
            "query": query,
            "statuses": SessionStatus.choices,
            "can_plan": can(request, "physed.add_classsession", pe_class),
        },
    )


@login_required
def session_create(request, class_pk):
    pe_class = class_for(request, class_pk, "physed.add_classsession")
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions_service.create_session(actor=request.user, pe_class=pe_class, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Session planned. Now add its activities."))
            return redirect("session-plan", session.pk)
    return render(
        request,
        "physed/sessions/form.html",
        {**_class_context(request, pe_class), "form": form, "title": _("Plan a session")},
    )


@login_required
def session_generate(request, class_pk):
    pe_class = class_for(request, class_pk, "physed.add_classsession")
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = sessions_service.generate_sessions(actor=request.user, pe_class=pe_class, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("%(count)s sessions created from the weekly schedule.") % {"count": len(created)}
            )
            return redirect("class-sessions", pe_class.pk)
    return render(
        request,
        "physed/sessions/generate.html",
        {**_class_context(request, pe_class), "form": form, "meetings": pe_class.meetings.all()},
    )


@login_required
def session_detail(request, pk):
    """The live session page: header, status actions, plan, attendance, results, adaptations."""
    session = session_for(request, pk, "physed.view_classsession")
    records = list(session.attendance.select_related("student"))
    counts: dict[str, int] = {}
    for record in records:
        counts[record.status] = counts.get(record.status, 0) + 1
    attendance_counts = [(label, counts[value]) for value, label in AttendanceStatus.choices if counts.get(value)]
    exceptions = [record for record in records if record.status != AttendanceStatus.PRESENT]
    return render(
        request,
        "physed/sessions/detail.html",
        {
            **_class_context(request, session.pe_class),
            "session": session,
            "blocks": session.blocks.select_related("activity", "exercise"),
            "recorded": len(records),
            "attendance_counts": attendance_counts,
            "exceptions": exceptions,
            "result_count": session.results.count(),
            "can_run": can(request, "physed.run_session", session),
            "can_edit": can(request, "physed.change_classsession", session),
            "can_delete": can(request, "physed.delete_classsession", session),
            "can_copy": can(request, "physed.add_classsession", session),
            "status_form": StatusForm(),
        },
    )


@login_required
def session_edit(request, pk):
    session = session_for(request, pk, "physed.change_classsession")
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in SessionForm.Meta.fields}
            session.refresh_from_db()
            sessions_service.update_session(actor=request.user, session=session, **fields)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Session saved."))
            return redirect("session-detail", session.pk)
    return render(
        request,
        "physed/sessions/form.html",
        {**_class_context(request, session.pe_class), "form": form, "session": session, "title": _("Edit session")},
    )


def _library(request, pe_class, search: LibrarySearchForm):
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    kind = (search.cleaned_data.get("kind") if search.is_valid() else "") or "activity"
    model = Activity if kind == "activity" else Exercise
    items = model.objects.visible_to(request.user).filter(Q(school__isnull=True) | Q(school=pe_class.school_id))
    if query:
        items = items.filter(name__icontains=query)
    return kind, query, list(items.order_by("name")[:LIBRARY_RESULTS])


@login_required
def session_plan(request, pk):
    """The planner: the blocks in order (up/down/remove) and the library to add from."""
    session = session_for(request, pk, "physed.change_classsession")
    form = AddBlockForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            model = Activity if data["kind"] == "activity" else Exercise
            item = (
                model.objects.visible_to(request.user)
                .filter(Q(school__isnull=True) | Q(school=session.pe_class.school_id), pk=data["item"])
                .first()
            )
            if item is None:
                messages.error(request, _("That item is not in the library."))
            else:
                try:
                    sessions_service.add_block(
                        actor=request.user,
                        session=session,
                        planned_minutes=data["minutes"],
                        notes=data["notes"],
                        **{data["kind"]: item},
                    )
                except ServiceError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Added %(name)s.") % {"name": item.name})
            return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
        messages.error(request, _("Choose an item and its minutes (1 to 240)."))
    search = LibrarySearchForm(request.GET or None)
    kind, query, items = _library(request, session.pe_class, search)
    blocks = list(session.blocks.select_related("activity", "exercise"))
    return render(
        request,
        "physed/sessions/plan.html",
        {
            **_class_context(request, session.pe_class),
            "session": session,
            "blocks": blocks,
            "total_minutes": sum(block.planned_minutes for block in blocks),
            "search": search,
            "kind": kind,
            "query": query,
            "items": items,
        },
    )


@require_POST
@login_required
def session_block(request, pk, block_pk):
    session = session_for(request, pk, "physed.change_classsession")
    block = SessionBlock.objects.filter(session=session, pk=block_pk).first()
    form = BlockActionForm(request.POST)
    if block is None or not form.is_valid():
        messages.error(request, _("That block is no longer in the plan."))
        return redirect("session-plan", session.pk)
    action = form.cleaned_data["action"]
    if action == "remove":
        sessions_service.remove_block(actor=request.user, block=block)
        messages.success(request, _("Block removed."))
    else:
        sessions_service.move_block(actor=request.user, block=block, direction=action)
    return redirect("session-plan", session.pk)


@login_required
def session_copy(request, pk):
    session = session_for(request, pk, "physed.add_classsession")
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        copy = sessions_service.copy_session(actor=request.user, session=session, date=form.cleaned_data["date"])
        messages.success(request, _("Plan copied to %(date)s.") % {"date": copy.date.isoformat()})
        return redirect("session-detail", copy.pk)
    return render(
        request,
        "physed/sessions/copy.html",
        {**_class_context(request, session.pe_class), "session": session, "form": form},
    )


@require_POST
@login_required
def session_status(request, pk):
    session = session_for(request, pk, "physed.view_classsession")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("session-detail", session.pk)
    try:
        sessions_service.change_status(actor=request.user, session=session, transition=form.cleaned_data["transition"])
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Session is now %(status)s.") % {"status": session.get_status_display().lower()})
    return redirect("session-detail", session.pk)


@login_required
def session_delete(request, pk):
    session = session_for(request, pk, "physed.delete_classsession")
    details = [
        (_("Class"), session.pe_class.name),
        (_("Date"), session.date.isoformat()),
        (_("Attendance rows"), session.attendance.count()),
        (_("Results"), session.results.count()),
    ]
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        class_pk = session.pe_class_id
        sessions_service.delete_session(actor=request.user, session=session)
        messages.success(request, _("Session deleted."))
        return redirect("class-sessions", class_pk)
    return render_confirm(
        request,
        title=_("Delete session"),
        question=_("Delete this session with its plan, attendance and results? This cannot be undone."),
        action_label=_("Delete session"),
        cancel_url=reverse("session-detail", args=[session.pk]),
        details=details,
        form=form,
        status=400 if request.method == "POST" else 200,
    )
