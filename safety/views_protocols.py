"""Pages: safety protocols (list with filters and review badges, detail, create/edit, delete,
sign-off with confirmation) and emergency procedures (list, printable detail, create/edit, delete,
drill log form). Same visibility path, selectors and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import has_school_perm, members_of
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from safety.forms_protocols import (
    DrillForm,
    ProcedureFilterForm,
    ProcedureForm,
    ProtocolFilterForm,
    ProtocolForm,
    SignOffForm,
)
from safety.models import EmergencyProcedure, SafetyProtocol
from safety.selectors import protocols as selectors
from safety.services import protocols as services

VIEW_PROTOCOL = "safety.view_safetyprotocol"
VIEW_PROCEDURE = "safety.view_emergencyprocedure"


def _require_somewhere(request, perm: str) -> None:
    if not allowed_somewhere(request.user, perm):
        raise PermissionDenied


def _school_with(request, perm: str):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, perm, school.pk):
        raise PermissionDenied
    return school


def _can(request, perm: str, obj=None) -> bool:
    if obj is not None:
        return allowed_on_object(request.user, perm, obj, record=False)
    school = current_school(request)
    return school is not None and has_school_perm(request.user, perm, school.pk)


def _get(request, queryset, pk, perm):
    item = get_object_or_404(queryset.visible_to(request.user), pk=pk)
    if not allowed_on_object(request.user, perm, item):
        raise PermissionDenied
    return item


def _service_error(form, exc: ServiceError, mapping: dict | None = None) -> None:
    field = (mapping or {}).get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def _staff_users(school) -> dict[int, User]:
    return members_of(school).in_bulk()


# ---- protocols -----------------------------------------------------------------------------


@login_required
def protocol_list(request):
    _require_somewhere(request, VIEW_PROTOCOL)
    school = _school_with(request, VIEW_PROTOCOL)
    form = ProtocolFilterForm(request.GET or None)
    rows = selectors.protocol_list_queryset(SafetyProtocol.objects.visible_to(request.user).filter(school=school))
    if form.is_valid():
        data = form.cleaned_data
        if data["search"]:
            rows = rows.filter(Q(title__icontains=data["search"]) | Q(requirements__icontains=data["search"]))
        for name in ("activity_category", "space", "status"):
            if data[name]:
                rows = rows.filter(**{name: data[name]})
        if data["review_state"]:
            rows = selectors.filter_review_state(rows, data["review_state"])
    page = paginate(request, rows)
    for protocol in page.object_list:
        protocol.review = selectors.review_state(protocol)
    return render(
        request,
        "safety/protocols/protocol_list.html",
        {
            "page": page,
            "form": form,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_add": _can(request, services.ADD_PROTOCOL),
            "due_soon_days": selectors.protocol_config()["review_due_soon_days"],
        },
    )


@login_required
def protocol_detail(request, pk):
    protocol = _get(request, selectors.protocol_detail_queryset(SafetyProtocol.objects.all()), pk, VIEW_PROTOCOL)
    return render(
        request,
        "safety/protocols/protocol_detail.html",
        {
            "protocol": protocol,
            "review": selectors.review_state(protocol),
            "can_change": _can(request, services.CHANGE_PROTOCOL, protocol),
            "can_delete": _can(request, services.DELETE_PROTOCOL, protocol),
            "can_sign_off": _can(request, services.SIGN_OFF, protocol),
        },
    )


def _protocol_form(request, protocol=None):
    creating = protocol is None
    school = _school_with(request, services.ADD_PROTOCOL) if creating else protocol.school
    if request.method == "POST":
        form = ProtocolForm(request.POST, school=school, creating=creating)
        if form.is_valid():
            values = form.values(_staff_users(school))
            try:
                if creating:
                    protocol = services.create_protocol(actor=request.user, school=school, **values)
                else:
                    protocol = services.update_protocol(actor=request.user, protocol=protocol, **values)
            except ServiceError as exc:
                _service_error(form, exc, {"pre_activity_checks": "checks"})
            else:
                messages.success(request, _("Protocol saved."))
                return redirect("safety-protocol-detail", pk=protocol.pk)
    else:
        initial = {} if creating else ProtocolForm.initial_for(protocol)
        form = ProtocolForm(initial=initial, school=school, creating=creating)
    return render(request, "safety/protocols/protocol_form.html", {"form": form, "protocol": protocol})


@login_required
def protocol_create(request):
    return _protocol_form(request)


@login_required
def protocol_edit(request, pk):
    return _protocol_form(request, _get(request, SafetyProtocol.objects.all(), pk, services.CHANGE_PROTOCOL))


@login_required
def protocol_delete(request, pk):
    protocol = _get(request, SafetyProtocol.objects.all(), pk, services.DELETE_PROTOCOL)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_protocol(actor=request.user, protocol=protocol)
        messages.success(request, _("Protocol deleted."))
        return redirect("safety-protocol-list")
    return render_confirm(
        request,
        title=_("Delete this protocol?"),
        question=_("The protocol and its sign-off history will be removed. This cannot be undone."),
        action_label=_("Delete protocol"),
        cancel_url=reverse("safety-protocol-detail", args=[protocol.pk]),
        details=[(_("Title"), protocol.title)],
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def protocol_sign_off(request, pk):
    protocol = _get(request, SafetyProtocol.objects.all(), pk, services.SIGN_OFF)
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_protocol(actor=request.user, protocol=protocol, note=form.cleaned_data["note"])
        except ServiceError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Review signed off."))
            return redirect("safety-protocol-detail", pk=protocol.pk)
    return render(
        request,
        "safety/protocols/sign_off.html",
        {"protocol": protocol, "form": form, "review": selectors.review_state(protocol)},
        status=400 if request.method == "POST" else 200,
    )


# ---- emergency procedures ------------------------------------------------------------------


@login_required
def procedure_list(request):
    _require_somewhere(request, VIEW_PROCEDURE)
    school = _school_with(request, VIEW_PROCEDURE)
    form = ProcedureFilterForm(request.GET or None)
    rows = EmergencyProcedure.objects.visible_to(request.user).filter(school=school)
    if form.is_valid():
        data = form.cleaned_data
        if data["search"]:
            rows = rows.filter(Q(title__icontains=data["search"]) | Q(location__icontains=data["search"]))
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["overdue"]:
            rows = selectors.filter_drill_overdue(rows, True)
    page = paginate(request, rows)
    for procedure in page.object_list:
        procedure.drill = selectors.drill_state(procedure)
    return render(
        request,
        "safety/protocols/procedure_list.html",
        {
            "page": page,
            "form": form,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_add": _can(request, services.ADD_PROCEDURE),
        },
    )


@login_required
def procedure_detail(request, pk):
    procedure = _get(request, selectors.procedure_detail_queryset(EmergencyProcedure.objects.all()), pk, VIEW_PROCEDURE)
    return render(
        request,
        "safety/protocols/procedure_detail.html",
        {
            "procedure": procedure,
            "drill": selectors.drill_state(procedure),
            "drills": list(procedure.drills.all()[:10]),
            "can_change": _can(request, services.CHANGE_PROCEDURE, procedure),
            "can_delete": _can(request, services.DELETE_PROCEDURE, procedure),
            "can_log_drill": _can(request, services.ADD_DRILL, procedure),
        },
    )


def _procedure_form(request, procedure=None):
    creating = procedure is None
    school = _school_with(request, services.ADD_PROCEDURE) if creating else procedure.school
    if request.method == "POST":
        form = ProcedureForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                if creating:
                    procedure = services.create_procedure(actor=request.user, school=school, **values)
                else:
                    procedure = services.update_procedure(actor=request.user, procedure=procedure, **values)
            except ServiceError as exc:
                _service_error(form, exc)
            else:
                messages.success(request, _("Procedure saved."))
                return redirect("safety-procedure-detail", pk=procedure.pk)
    else:
        form = ProcedureForm(initial={"is_active": True} if creating else ProcedureForm.initial_for(procedure))
    return render(request, "safety/protocols/procedure_form.html", {"form": form, "procedure": procedure})


@login_required
def procedure_create(request):
    return _procedure_form(request)


@login_required
def procedure_edit(request, pk):
    queryset = EmergencyProcedure.objects.prefetch_related("steps")
    return _procedure_form(request, _get(request, queryset, pk, services.CHANGE_PROCEDURE))


@login_required
def procedure_delete(request, pk):
    procedure = _get(request, EmergencyProcedure.objects.all(), pk, services.DELETE_PROCEDURE)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_procedure(actor=request.user, procedure=procedure)
        messages.success(request, _("Procedure deleted."))
        return redirect("safety-procedure-list")
    return render_confirm(
        request,
        title=_("Delete this procedure?"),
        question=_("The procedure, its steps and its drill log will be removed. This cannot be undone."),
        action_label=_("Delete procedure"),
        cancel_url=reverse("safety-procedure-detail", args=[procedure.pk]),
        details=[(_("Title"), procedure.title), (_("Drills logged"), procedure.drills.count())],
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def drill_create(request, pk):
    procedure = _get(request, EmergencyProcedure.objects.all(), pk, services.ADD_DRILL)
    school = procedure.school
    form = DrillForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        staff = _staff_users(school)
        data["participants"] = [staff[int(pk)] for pk in data["participants"] if int(pk) in staff]
        try:
            services.log_drill(actor=request.user, procedure=procedure, **data)
        except ServiceError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Drill logged."))
            return redirect("safety-procedure-detail", pk=procedure.pk)
    return render(
        request,
        "safety/protocols/drill_form.html",
        {"procedure": procedure, "form": form},
        status=400 if request.method == "POST" else 200,
    )
