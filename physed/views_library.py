"""Library pages: browse (search, filters, sort), detail, and a school's own items (create, edit,
duplicate, delete with confirmation). Same visibility path, filter sets and services as the API."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from physed.forms_library import ActivityForm, ExerciseForm
from physed.models import Activity, EquipmentType, Exercise, FitnessComponent, GradeBand, MuscleGroup
from physed.selectors import library as selectors
from physed.selectors.library_filters import ActivityFilterSet, ExerciseFilterSet
from physed.services import library as services
from physed.services.library_rules import MODIFICATION_KINDS

PAGE_SIZE = 24


@dataclass(frozen=True)
class _Kind:
    model: type
    name: str  # activity / exercise
    form: type
    filterset: type
    list_queryset: object
    detail_queryset: object
    create: object
    update: object
    delete: object
    duplicate: object

    def perm(self, verb: str) -> str:
        return f"physed.{verb}_{self.name}"


ACTIVITY = _Kind(
    Activity,
    "activity",
    ActivityForm,
    ActivityFilterSet,
    selectors.activity_list_queryset,
    selectors.activity_detail_queryset,
    services.create_activity,
    services.update_activity,
    services.delete_activity,
    services.duplicate_activity,
)
EXERCISE = _Kind(
    Exercise,
    "exercise",
    ExerciseForm,
    ExerciseFilterSet,
    selectors.exercise_list_queryset,
    selectors.exercise_detail_queryset,
    services.create_exercise,
    services.update_exercise,
    services.delete_exercise,
    services.duplicate_exercise,
)


def _require_somewhere(request, perm: str) -> None:
    if not allowed_somewhere(request.user, perm):
        raise PermissionDenied


def _school_with(request, perm: str):
    """The current school, if the user may ``perm`` there (else 403)."""
    school = current_school(request)
    if school is None or not has_school_perm(request.user, perm, school.pk):
        raise PermissionDenied
    return school


def _can_add_here(request, kind: _Kind) -> bool:
    school = current_school(request)
    return school is not None and has_school_perm(request.user, kind.perm("add"), school.pk)


def _item(request, kind: _Kind, pk: int, perm: str):
    """The item if the user may see it (404 otherwise) and holds ``perm`` on it (403 otherwise)."""
    queryset = kind.detail_queryset(kind.model.objects.visible_to(request.user))
    item = get_object_or_404(queryset, pk=pk)
    if item.school_id is None:
        _require_somewhere(request, perm)
    elif not allowed_on_object(request.user, perm, item):
        raise PermissionDenied
    return item


def _service_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _browse(request, kind: _Kind, template: str, extra: dict):
    _require_somewhere(request, kind.perm("view"))
    base = selectors.with_school_rows_where(
        kind.model.objects.visible_to(request.user), request.user, kind.perm("view")
    )
    filterset = kind.filterset(request.GET or None, queryset=kind.list_queryset(base), request=request)
    page = paginate(request, filterset.qs, per_page=PAGE_SIZE)
    filter_fields = [filterset.form[name] for name in extra.pop("filter_fields")]
    return render(
        request,
        template,
        {
            "page": page,
            "filterset": filterset,
            "form": filterset.form,
            "filtered": any(value for key, value in request.GET.items() if key not in ("page", "ordering")),
            "equipment_types": EquipmentType.objects.all(),
            "have": filterset.form.cleaned_data.get("have", []) if filterset.form.is_valid() else [],
            "can_add": _can_add_here(request, kind),
            "filter_fields": filter_fields,
            **extra,
        },
    )


@login_required
def activity_list(request):
    return _browse(
        request,
        ACTIVITY,
        "physed/library/activity_list.html",
        {
            "filter_fields": [
                "category",
                "grade_band",
                "intensity",
                "space",
                "contact_level",
                "risk_level",
                "standard",
                "fitness_component",
                "difficulty_min",
                "difficulty_max",
                "group_size",
                "max_duration",
                "source",
            ]
        },
    )


@login_required
def exercise_list(request):
    return _browse(
        request,
        EXERCISE,
        "physed/library/exercise_list.html",
        {
            "filter_fields": ["category", "fitness_component", "difficulty_min", "difficulty_max", "source"],
            "muscle_groups": MuscleGroup.objects.all(),
        },
    )


def _labels(choices, values) -> list[str]:
    names = dict(choices.choices)
    return [str(names.get(value, value)) for value in values]


def _actions(request, kind: _Kind, item) -> dict:
    own = item.school_id is not None
    return {
        "can_change": own and allowed_on_object(request.user, kind.perm("change"), item, record=False),
        "can_delete": own and allowed_on_object(request.user, kind.perm("delete"), item, record=False),
        "can_duplicate": _can_add_here(request, kind),
    }


@login_required
def activity_detail(request, pk):
    activity = _item(request, ACTIVITY, pk, ACTIVITY.perm("view"))
    modifications = [
        {"label": MODIFICATION_KINDS.get(item["kind"], item["kind"]), **item} for item in activity.modifications
    ]
    standards = [
        {"standard": standard, "indicators": [i for i in activity.indicators.all() if i.standard_id == standard.pk]}
        for standard in activity.standards.all()
    ]
    return render(
        request,
        "physed/library/activity_detail.html",
        {
            "activity": activity,
            "modifications": modifications,
            "standards": standards,
            "grade_bands": _labels(GradeBand, activity.grade_bands),
            "fitness_components": _labels(FitnessComponent, activity.fitness_components),
            **_actions(request, ACTIVITY, activity),
        },
    )


@login_required
def exercise_detail(request, pk):
    exercise = _item(request, EXERCISE, pk, EXERCISE.perm("view"))
    steps = [line.strip() for line in exercise.instructions.splitlines() if line.strip()]
    return render(
        request,
        "physed/library/exercise_detail.html",
        {
            "exercise": exercise,
            "steps": steps,
            "fitness_components": _labels(FitnessComponent, exercise.fitness_components),
            **_actions(request, EXERCISE, exercise),
        },
    )


def _form_kwargs(kind: _Kind, item):
    if kind is ACTIVITY:
        return {"initial_modifications": item.modifications if item else []}
    return {}


def _edit(request, kind: _Kind, item=None):
    if item is None:
        school = _school_with(request, kind.perm("add"))
        initial = {}
    else:
        school = item.school
        initial = kind.form.initial_for(item)
    form = kind.form(request.POST or None, initial=initial, **_form_kwargs(kind, item))
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                saved = kind.create(actor=request.user, school=school, **form.service_fields())
            else:
                saved = kind.update(actor=request.user, **{kind.name: item}, **form.service_fields())
        except ServiceError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{kind.name}-detail", pk=saved.pk)
    return render(
        request,
        f"physed/library/{kind.name}_form.html",
        {"form": form, "item": item, "school": school, "cancel_url": _cancel_url(kind, item)},
    )


def _cancel_url(kind: _Kind, item) -> str:
    if item is None:
        return reverse(f"{kind.name}-list")
    return reverse(f"{kind.name}-detail", args=[item.pk])


def _editable(request, kind: _Kind, pk: int, perm: str):
    item = _item(request, kind, pk, kind.perm("view"))
    if item.school_id is None:
        messages.error(request, services.shipped_read_only_message())
        return None, redirect(f"{kind.name}-detail", pk=item.pk)
    if not allowed_on_object(request.user, perm, item):
        raise PermissionDenied
    return item, None


@login_required
def activity_create(request):
    return _edit(request, ACTIVITY)


@login_required
def exercise_create(request):
    return _edit(request, EXERCISE)


@login_required
def activity_edit(request, pk):
    item, response = _editable(request, ACTIVITY, pk, ACTIVITY.perm("change"))
    return response or _edit(request, ACTIVITY, item)


@login_required
def exercise_edit(request, pk):
    item, response = _editable(request, EXERCISE, pk, EXERCISE.perm("change"))
    return response or _edit(request, EXERCISE, item)


def _delete(request, kind: _Kind, pk: int):
    item, response = _editable(request, kind, pk, kind.perm("delete"))
    if response:
        return response
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind.delete(actor=request.user, **{kind.name: item})
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(f"{kind.name}-detail", pk=item.pk)
        messages.success(request, _("Deleted “%(name)s”.") % {"name": item.name})
        return redirect(f"{kind.name}-list")
    return render_confirm(
        request,
        title=_("Delete “%(name)s”?") % {"name": item.name},
        question=_(
            "This removes it from your school's library. Planned sessions that use it keep it from being deleted."
        ),
        action_label=_("Delete"),
        cancel_url=reverse(f"{kind.name}-detail", args=[item.pk]),
        details=[(_("Name"), item.name), (_("School"), item.school.name)],
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def activity_delete(request, pk):
    return _delete(request, ACTIVITY, pk)


@login_required
def exercise_delete(request, pk):
    return _delete(request, EXERCISE, pk)


def _duplicate(request, kind: _Kind, pk: int):
    source = _item(request, kind, pk, kind.perm("view"))
    school = _school_with(request, kind.perm("add"))
    try:
        copy = kind.duplicate(actor=request.user, school=school, **{kind.name: source})
    except ServiceError as exc:  # pragma: no cover - the school and permission were checked above
        messages.error(request, exc.message)
        return redirect(f"{kind.name}-detail", pk=source.pk)
    messages.success(request, _("Copied into %(school)s. You can now change it.") % {"school": school.name})
    return redirect(f"{kind.name}-edit", pk=copy.pk)


@login_required
@require_POST
def activity_duplicate(request, pk):
    return _duplicate(request, ACTIVITY, pk)


@login_required
@require_POST
def exercise_duplicate(request, pk):
    return _duplicate(request, EXERCISE, pk)
