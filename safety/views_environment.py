"""Pages: the environment status of a space (big decision, actions, reasons, the reading, a form
to enter a new one), the readings history of a day (table + chart), rule sets (list, detail with
band tables and sources, copy, edit, delete, choose for my school) and the school's settings.
Same selectors and services as the API; the school is the page user's current school."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from physed.models import Space
from safety.engines import rules as rules_engine
from safety.forms_environment import FIELD_FOR, ReadingForm, RuleSetForm, SettingsForm
from safety.models import EnvironmentRuleSet
from safety.selectors import environment as selectors
from safety.services import environment as services

VIEW_READING = "safety.view_environmentreading"
ADD_READING = "safety.add_environmentreading"
VIEW_RULE_SET = "safety.view_environmentruleset"
ADD_RULE_SET = "safety.add_environmentruleset"
CHANGE_RULE_SET = "safety.change_environmentruleset"
DELETE_RULE_SET = "safety.delete_environmentruleset"
CHANGE_SETTINGS = "safety.change_safetysettings"
CSS = "css/safety-environment.css"


def _school(request, perm: str):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, perm, school.pk):
        raise PermissionDenied
    return school


def _can(request, school, perm: str) -> bool:
    return has_school_perm(request.user, perm, school.pk)


def _space(value) -> str:
    return value if value in Space.values else Space.FIELD


@login_required
def status(request):
    school = _school(request, VIEW_READING)
    space = _space(request.POST.get("space") or request.GET.get("space"))
    can_add = _can(request, school, ADD_READING)
    form = ReadingForm(initial={"space": space})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        form = ReadingForm(request.POST)
        if form.is_valid():
            try:
                services.record_reading(actor=request.user, school=school, **form.reading_values())
            except ServiceError as exc:
                field = FIELD_FOR.get(exc.field, exc.field)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Reading saved."))
                return redirect(f"{reverse('safety-environment')}?space={space}")
    result = selectors.current_status(school, space)
    return render(
        request,
        "safety/environment/status.html",
        {
            "school": school,
            "space": space,
            "spaces": Space.choices,
            "status": result,
            "form": form,
            "can_add": can_add,
            "can_settings": _can(request, school, CHANGE_SETTINGS),
            "css": CSS,
        },
    )


@login_required
def readings(request):
    school = _school(request, VIEW_READING)
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    space = request.GET.get("space") if request.GET.get("space") in Space.values else ""
    queryset = selectors.readings_for(request.user).filter(school=school, recorded_at__date=day)
    if space:
        queryset = queryset.filter(space=space)
    page = Paginator(queryset.order_by("-recorded_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "safety/environment/readings.html",
        {
            "school": school,
            "day": day,
            "space": space,
            "spaces": Space.choices,
            "page": page,
            "chart": selectors.day_chart(school, day, space or None),
            "css": CSS,
        },
    )


def _rule_set(request, pk):
    """A rule set the user may see (shipped or of their schools), else 404."""
    rule_set = get_object_or_404(selectors.rule_sets_for(request.user), pk=pk)
    school = current_school(request)
    if school is None or not has_school_perm(request.user, VIEW_RULE_SET, school.pk):
        raise PermissionDenied
    if rule_set.school_id not in (None, school.pk):
        raise Http404
    return rule_set, school


@login_required
def rule_sets(request):
    school = _school(request, VIEW_RULE_SET)
    queryset = EnvironmentRuleSet.objects.filter(Q(school__isnull=True) | Q(school=school)).select_related("school")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(region__icontains=query))
    page = Paginator(queryset.order_by("school_id", "name", "pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "safety/environment/rule_sets.html",
        {
            "school": school,
            "page": page,
            "query": query,
            "current": selectors.rule_set_for(school),
            "can_add": _can(request, school, ADD_RULE_SET),
            "can_choose": _can(request, school, CHANGE_SETTINGS),
            "css": CSS,
        },
    )


def band_tables(rule_set) -> list[dict]:
    """One table per measure; measure names, sources, band labels and actions in the active language
    (the shipped sets' texts are English msgids; a school's own texts pass as written)."""
    tables = []
    for measure, raw in (rule_set.rules or {}).items():
        spec = rules_engine.measure_spec(raw)
        name, unit = rules_engine.MEASURES.get(measure, (measure, ""))
        bands = [_shown_band(band) for band in spec["bands"]] if isinstance(spec["bands"], list) else spec["bands"]
        source = _(spec["source"]) if isinstance(spec["source"], str) and spec["source"] else spec["source"]
        tables.append({"measure": measure, "name": _(name), "unit": unit, **spec, "bands": bands, "source": source})
    return tables


def _shown_band(band) -> dict:
    if not isinstance(band, dict):
        return band
    label, actions = band.get("label"), band.get("actions")
    return {
        **band,
        "label": _(label) if isinstance(label, str) and label else label,
        "actions": [_(a) if isinstance(a, str) and a else a for a in actions] if isinstance(actions, list) else actions,
    }


@login_required
def rule_set_detail(request, pk):
    rule_set, school = _rule_set(request, pk)
    own = rule_set.school_id == school.pk
    return render(
        request,
        "safety/environment/rule_set.html",
        {
            "rule_set": rule_set,
            "school": school,
            "tables": band_tables(rule_set),
            "is_current": selectors.rule_set_for(school) == rule_set,
            "can_copy": _can(request, school, ADD_RULE_SET),
            "can_edit": own and _can(request, school, CHANGE_RULE_SET),
            "can_delete": own and _can(request, school, DELETE_RULE_SET),
            "can_choose": _can(request, school, CHANGE_SETTINGS),
            "css": CSS,
        },
    )


@login_required
@require_POST
def rule_set_copy(request, pk):
    rule_set, school = _rule_set(request, pk)
    try:
        copy = services.copy_rule_set(actor=request.user, rule_set=rule_set, school=school)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
        return redirect("safety-environment-rule-set", pk=rule_set.pk)
    messages.success(request, _("Copied into your school: edit it below."))
    return redirect("safety-environment-rule-set-edit", pk=copy.pk)


@login_required
def rule_set_edit(request, pk):
    rule_set, school = _rule_set(request, pk)
    if rule_set.is_shipped or not _can(request, school, CHANGE_RULE_SET):
        raise PermissionDenied
    initial = {
        "name": rule_set.name,
        "region": rule_set.region,
        "description": rule_set.description,
        "rules": rule_set.rules,
        "sources": rule_set.sources,
        "caveats": "\n".join(rule_set.caveats or []),
    }
    form = RuleSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rule_set(actor=request.user, rule_set=rule_set, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Rule set saved."))
            return redirect("safety-environment-rule-set", pk=rule_set.pk)
    return render(request, "safety/environment/rule_set_edit.html", {"rule_set": rule_set, "form": form, "css": CSS})


@login_required
def rule_set_delete(request, pk):
    rule_set, school = _rule_set(request, pk)
    if rule_set.is_shipped or not _can(request, school, DELETE_RULE_SET):
        raise PermissionDenied
    if request.method == "POST":
        services.delete_rule_set(actor=request.user, rule_set=rule_set)
        messages.success(request, _("Rule set deleted."))
        return redirect("safety-environment-rule-sets")
    return render(
        request,
        "includes/confirm.html",
        {
            "title": _("Delete rule set"),
            "question": _("Delete “%(name)s”? Schools using it fall back to no rule set.") % {"name": rule_set.name},
            "form": forms.Form(),
            "action_label": _("Delete"),
            "cancel_url": reverse("safety-environment-rule-set", args=[rule_set.pk]),
        },
    )


@login_required
@require_POST
def rule_set_choose(request, pk):
    rule_set, school = _rule_set(request, pk)
    try:
        services.update_settings(actor=request.user, school=school, rule_set=rule_set)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(name)s” is now your school's rule set.") % {"name": rule_set.name})
    return redirect("safety-environment-rule-set", pk=rule_set.pk)


@login_required
def settings_page(request):
    school = _school(request, CHANGE_SETTINGS)
    row = services.ensure_settings(school)
    choices = EnvironmentRuleSet.objects.filter(Q(school__isnull=True) | Q(school=school)).order_by("school_id", "name")
    form = SettingsForm(request.POST or None, instance=row, rule_sets=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(actor=request.user, school=school, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("safety-environment-settings")
    return render(request, "safety/environment/settings.html", {"form": form, "school": school, "css": CSS})
