"""Equipment pages: the inventory (badges, filters, search, pagination), an item's page with its
inspection history and maintenance log, create/edit, a phone-friendly inspection form, the
one-tap pre-use check, the maintenance form and retiring with confirmation. Same visibility path,
filters and services as the API."""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import paginate, render_confirm
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import has_school_perm, schools_where
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from safety.forms_equipment import (
    EquipmentItemForm,
    FilterForm,
    InspectionForm,
    KindForm,
    MaintenanceForm,
    RetireForm,
    StatusForm,
)
from safety.models import EquipmentItem, EquipmentStatus, InspectionKind
from safety.selectors import equipment as selectors
from safety.services import equipment as services

PAGE_SIZE = 25


def _item(request, pk: int, perm: str) -> EquipmentItem:
    """The item if the user may see it (404 otherwise) and holds ``perm`` on it (403 otherwise)."""
    item = get_object_or_404(selectors.detail_queryset(EquipmentItem.objects.visible_to(request.user)), pk=pk)
    if not allowed_on_object(request.user, perm, item):
        raise PermissionDenied
    return item


def _can(request, perm: str, item) -> bool:
    return allowed_on_object(request.user, perm, item, record=False)


def _form_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def equipment_list(request):
    if not allowed_somewhere(request.user, services.VIEW):
        raise PermissionDenied
    school_ids = schools_where(request.user, services.VIEW) if not request.user.is_superuser else None
    rows = EquipmentItem.objects.visible_to(request.user)
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    form = FilterForm(request.GET or None, locations=selectors.locations(school_ids))
    if form.is_valid():
        data = form.cleaned_data
        if data["search"]:
            term = data["search"]
            rows = rows.filter(
                Q(name__icontains=term)
                | Q(asset_tag__icontains=term)
                | Q(location__icontains=term)
                | Q(equipment_type__name__icontains=term)
            )
        if data["equipment_type"]:
            rows = rows.filter(equipment_type=data["equipment_type"])
        if data["location"]:
            rows = rows.filter(location=data["location"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["needs_attention"]:
            rows = rows.filter(selectors.needs_attention_q())
    page = paginate(request, selectors.list_queryset(rows).order_by("name", "pk"), per_page=PAGE_SIZE)
    school = current_school(request)
    return render(
        request,
        "safety/equipment/list.html",
        {
            "page": page,
            "form": form,
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
            "can_add": school is not None and has_school_perm(request.user, services.ADD, school.pk),
        },
    )


@login_required
def equipment_detail(request, pk):
    item = _item(request, pk, services.VIEW)
    checklist = services.checklist_for(item)
    inspections = list(item.inspections.select_related("inspector")[:50])
    for inspection in inspections:
        inspection.rows = [
            {**row, "label": _(checklist.label_of(row["check"]))} for row in inspection.results if isinstance(row, dict)
        ]
    return render(
        request,
        "safety/equipment/detail.html",
        {
            "item": item,
            "checklist": checklist,
            "inspections": inspections,
            "maintenance": item.maintenance.select_related("recorded_by")[:50],
            "retired": item.status == EquipmentStatus.RETIRED,
            "can_inspect": _can(request, services.INSPECT, item),
            "can_maintain": _can(request, services.MAINTAIN, item),
            "can_change": _can(request, services.CHANGE, item),
        },
    )


@login_required
def equipment_create(request):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, services.ADD, school.pk):
        raise PermissionDenied
    form = EquipmentItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(actor=request.user, school=school, **form.values())
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(item)s added to the inventory.") % {"item": item.name})
            return redirect("safety-equipment-detail", pk=item.pk)
    return render(request, "safety/equipment/form.html", {"form": form, "school": school})


@login_required
def equipment_edit(request, pk):
    item = _item(request, pk, services.CHANGE)
    retired = item.status == EquipmentStatus.RETIRED
    if request.method == "POST":
        form = EquipmentItemForm(request.POST)
        status_form = None if retired else StatusForm(request.POST, prefix="status")
        if form.is_valid() and (status_form is None or status_form.is_valid()):
            try:
                with transaction.atomic():
                    services.update_item(actor=request.user, item=item, **form.values())
                    if status_form is not None:
                        wanted = status_form.cleaned_data
                        if wanted["status"] != item.status or wanted["status_reason"] != item.status_reason:
                            services.set_status(
                                actor=request.user, item=item, status=wanted["status"], reason=wanted["status_reason"]
                            )
            except ServiceError as exc:
                if status_form is not None and exc.field in ("status", "status_reason"):
                    status_form.add_error(exc.field, exc.message)
                else:
                    _form_error(form, exc)
                item.refresh_from_db()
            else:
                messages.success(request, _("Changes saved."))
                return redirect("safety-equipment-detail", pk=item.pk)
    else:
        form = EquipmentItemForm(initial=EquipmentItemForm.initial_for(item))
        status_form = (
            None
            if retired
            else StatusForm(initial={"status": item.status, "status_reason": item.status_reason}, prefix="status")
        )
    return render(request, "safety/equipment/form.html", {"form": form, "status_form": status_form, "item": item})


@login_required
def equipment_inspect(request, pk):
    item = _item(request, pk, services.INSPECT)
    kind_form = KindForm(request.POST or request.GET)
    kind = kind_form.cleaned_data["kind"] if kind_form.is_valid() and kind_form.cleaned_data["kind"] else None
    kind = kind or InspectionKind.PRE_USE
    checklist = services.checklist_for(item)
    form = InspectionForm(request.POST or None, checks=checklist.checks_for(kind))
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.record_inspection(
                actor=request.user,
                item=item,
                kind=kind,
                inspected_on=form.cleaned_data["inspected_on"],
                results=form.results(),
                notes=form.cleaned_data["notes"],
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            _outcome_message(request, item, inspection)
            return redirect("safety-equipment-detail", pk=item.pk)
    return render(
        request,
        "safety/equipment/inspect.html",
        {
            "item": item,
            "form": form,
            "kind": kind,
            "kind_label": InspectionKind(kind).label,
            "checklist": dataclasses.replace(checklist, label=_(checklist.label)),  # label shown translated
        },
    )


def _outcome_message(request, item, inspection) -> None:
    if inspection.outcome == "pass":
        messages.success(request, _("Inspection recorded: every check passed."))
    elif inspection.outcome == "flag":
        messages.warning(request, _("Inspection recorded: %(item)s is flagged; leads were told.") % {"item": item.name})
    else:
        messages.error(
            request,
            _("Inspection recorded: %(item)s failed and is out of service; leads were told.") % {"item": item.name},
        )


@login_required
@require_POST
def equipment_quick_check(request, pk):
    """The one-tap pre-use check: every pre-use check passed today."""
    item = _item(request, pk, services.INSPECT)
    try:
        inspection = services.record_inspection(
            actor=request.user, item=item, kind=InspectionKind.PRE_USE, all_pass=True
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        _outcome_message(request, item, inspection)
    return redirect("safety-equipment-detail", pk=item.pk)


@login_required
def equipment_maintenance(request, pk):
    item = _item(request, pk, services.MAINTAIN)
    form = MaintenanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_maintenance(actor=request.user, item=item, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Maintenance logged."))
            return redirect("safety-equipment-detail", pk=item.pk)
    return render(request, "safety/equipment/maintenance.html", {"item": item, "form": form})


@login_required
def equipment_retire(request, pk):
    item = _item(request, pk, services.CHANGE)
    cancel = reverse("safety-equipment-detail", args=[item.pk])
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_item(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(item)s is retired.") % {"item": item.name})
            return redirect(cancel)
    return render_confirm(
        request,
        title=_("Retire %(item)s") % {"item": item.name},
        question=_("A retired item leaves service for good; its history is kept."),
        action_label=_("Retire"),
        cancel_url=cancel,
        details=[
            (_("Location"), item.location),
            (_("Asset tag"), item.asset_tag or "—"),
            (_("Status"), item.get_status_display()),
        ],
        form=form,
        status=400 if request.method == "POST" else 200,
    )
