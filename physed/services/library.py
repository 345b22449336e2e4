"""Writes to the activity and exercise library: a school's own items (create, update, delete) and
"duplicate into my school" of a shipped or own item.

Why duplicate instead of edit: the shipped library (``school = NULL``) is shared by every school
and re-loaded from ``physed/data`` after each migrate, so it is read-only outside the Django admin;
a school customises an item by copying it. Every change is audited in the same transaction.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import School
from accounts.services.audit import diff, record_event
from accounts.services.errors import ServiceError
from accounts.services.schools import require_school_perm, school_for_write
from physed.models import (
    ACTIVITY_CONTENT_FIELDS,
    ACTIVITY_RELATION_FIELDS,
    EXERCISE_CONTENT_FIELDS,
    EXERCISE_RELATION_FIELDS,
    Activity,
    Exercise,
)
from physed.services.library_rules import (
    fitness_components_problem,
    grade_bands_problem,
    modifications_problem,
    text_list_problem,
)


def shipped_read_only_message() -> str:
    return _("The shipped library is read-only. Duplicate this item into your school to customise it.")


@dataclass(frozen=True)
class _Spec:
    model: type
    name: str  # activity / exercise
    fields: frozenset
    m2m: frozenset


ACTIVITY = _Spec(Activity, "activity", frozenset(ACTIVITY_CONTENT_FIELDS), frozenset(ACTIVITY_RELATION_FIELDS))
EXERCISE = _Spec(Exercise, "exercise", frozenset(EXERCISE_CONTENT_FIELDS), frozenset(EXERCISE_RELATION_FIELDS))


def _perm(spec: _Spec, verb: str) -> str:
    return f"physed.{verb}_{spec.name}"


def _require(actor, perm: str, school: School) -> None:
    require_school_perm(actor, perm, school)


def require_school_item(item) -> None:
    """Shipped rows cannot be changed or deleted here (403 with the way forward)."""
    if item.school_id is None:
        raise ServiceError(shipped_read_only_message(), code="shipped_read_only", status=403)


def _unique_slug(model, school: School, name: str, *, exclude_pk=None) -> str:
    base = (slugify(name) or model._meta.model_name)[:70]
    taken = set(
        model.objects.filter(school=school, slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _check_json_fields(spec: _Spec, values: dict) -> None:
    checks = {
        "skills": lambda v: text_list_problem(v),
        "teaching_cues": lambda v: text_list_problem(v),
        "progressions": lambda v: text_list_problem(v),
        "contraindications": lambda v: text_list_problem(v),
        "modifications": modifications_problem,
        "grade_bands": grade_bands_problem,
        "fitness_components": fitness_components_problem,
        "media_links": _media_links_problem,
    }
    for field, check in checks.items():
        if field in values and field in spec.fields:
            problem = check(values[field])
            if problem:
                raise ServiceError(problem, field=field)


def _media_links_problem(value) -> str | None:
    problem = text_list_problem(value)
    if problem:
        return problem
    validate = URLValidator(schemes=["https", "http"])
    for link in value:
        try:
            validate(link)
        except ValidationError:
            return _("Not a web address: %(link)s") % {"link": link}
    return None


def _check_relations(spec: _Spec, item, relations: dict) -> None:
    if spec is ACTIVITY:
        standards = relations.get("standards", item.standards.all() if item.pk else [])
        numbers = {standard.pk for standard in standards}
        for indicator in relations.get("indicators", []):
            if indicator.standard_id not in numbers:
                raise ServiceError(
                    _("Indicator %(code)s belongs to a standard the activity is not aligned to.")
                    % {"code": indicator.code},
                    field="indicators",
                )
    else:
        primary = relations.get("primary_muscles", item.primary_muscles.all() if item.pk else [])
        secondary = relations.get("secondary_muscles", item.secondary_muscles.all() if item.pk else [])
        if {m.pk for m in primary} & {m.pk for m in secondary}:
            raise ServiceError(_("A muscle group cannot be both primary and secondary."), field="secondary_muscles")


def _full_clean(item) -> None:
    if isinstance(item, Activity) and item.min_group_size > item.max_group_size:
        raise ServiceError(_("The smallest group cannot be larger than the largest."), field="min_group_size")
    if isinstance(item, Exercise) and item.default_reps is None and item.default_duration_seconds is None:
        raise ServiceError(_("Give default reps or a default duration."), field="default_reps")
    try:
        item.full_clean(exclude=["slug", "school", "created_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=None if field == "__all__" else field) from exc


def _split(spec: _Spec, fields: dict) -> tuple[dict, dict]:
    unknown = sorted(set(fields) - spec.fields - spec.m2m)
    if unknown:
        raise ServiceError(_("These fields cannot be set: %(fields)s.") % {"fields": ", ".join(unknown)})
    values = {key: value for key, value in fields.items() if key in spec.fields}
    relations = {key: list(value) for key, value in fields.items() if key in spec.m2m}
    return values, relations


def snapshot(item) -> dict:
    """The audited state: plain fields plus the slugs/codes of related rows."""
    spec = ACTIVITY if isinstance(item, Activity) else EXERCISE
    data = {field: getattr(item, field) for field in sorted(spec.fields)}
    data["slug"] = item.slug
    for name in sorted(spec.m2m):
        related = getattr(item, name).all()
        data[name] = sorted(str(getattr(obj, "slug", None) or getattr(obj, "code", None) or obj.pk) for obj in related)
    return data


def _create(spec: _Spec, *, actor, school: School | None, **fields):
    school = school_for_write(actor=actor, perm=_perm(spec, "add"), school=school)
    values, relations = _split(spec, fields)
    _check_json_fields(spec, values)
    item = spec.model(school=school, created_by=actor if getattr(actor, "is_authenticated", False) else None, **values)
    _check_relations(spec, item, relations)
    _full_clean(item)
    item.slug = _unique_slug(spec.model, school, item.name)
    item.save()
    for name, related in relations.items():
        getattr(item, name).set(related)
    record_event(
        f"library.{spec.name}_created", actor=actor, school=school, target=item, changes={"after": snapshot(item)}
    )
    return item


def _update(spec: _Spec, *, actor, item, **fields):
    require_school_item(item)
    _require(actor, _perm(spec, "change"), item.school)
    values, relations = _split(spec, fields)
    _check_json_fields(spec, values)
    before = snapshot(item)
    for field, value in values.items():
        setattr(item, field, value)
    _check_relations(spec, item, relations)
    _full_clean(item)
    item.save()
    for name, related in relations.items():
        getattr(item, name).set(related)
    changes = diff(before, snapshot(item))
    if changes:
        record_event(f"library.{spec.name}_updated", actor=actor, school=item.school, target=item, changes=changes)
    return item


def _delete(spec: _Spec, *, actor, item) -> None:
    require_school_item(item)
    _require(actor, _perm(spec, "delete"), item.school)
    before, school, pk = snapshot(item), item.school, item.pk
    label = f"{spec.model._meta.verbose_name} #{pk}"
    try:
        with transaction.atomic():
            item.delete()
    except ProtectedError as exc:
        raise ServiceError(
            _("This item is used in planned or past sessions, so it cannot be deleted."), code="in_use"
        ) from exc
    record_event(
        f"library.{spec.name}_deleted",
        actor=actor,
        school=school,
        target_type=spec.model._meta.label_lower,
        target_id=str(pk),
        target_label=label,
        changes={"before": before},
    )


def _duplicate(spec: _Spec, *, actor, item, school: School | None = None):
    """Copies ``item`` (shipped or the school's own) into ``school`` as a new school-owned row."""
    school = school_for_write(actor=actor, perm=_perm(spec, "add"), school=school)
    values = {field: getattr(item, field) for field in spec.fields}
    name = item.name
    if spec.model.objects.filter(school=school, name=name).exists():
        name = _("%(name)s (copy)") % {"name": item.name}
    values["name"] = name[: spec.model._meta.get_field("name").max_length]
    copy = spec.model(school=school, created_by=actor if getattr(actor, "is_authenticated", False) else None, **values)
    copy.slug = _unique_slug(spec.model, school, item.slug if item.school_id != school.pk else values["name"])
    copy.save()
    for name_ in spec.m2m:
        getattr(copy, name_).set(getattr(item, name_).all())
    record_event(
        f"library.{spec.name}_duplicated",
        actor=actor,
        school=school,
        target=copy,
        changes={"source": {"id": item.pk, "slug": item.slug, "shipped": item.school_id is None}},
    )
    return copy


@transaction.atomic
def create_activity(*, actor, school: School | None = None, **fields) -> Activity:
    """A school's own activity; m2m fields (equipment, standards, indicators) take model instances."""
    return _create(ACTIVITY, actor=actor, school=school, **fields)


@transaction.atomic
def update_activity(*, actor, activity: Activity, **fields) -> Activity:
    return _update(ACTIVITY, actor=actor, item=activity, **fields)


@transaction.atomic
def delete_activity(*, actor, activity: Activity) -> None:
    _delete(ACTIVITY, actor=actor, item=activity)


@transaction.atomic
def duplicate_activity(*, actor, activity: Activity, school: School | None = None) -> Activity:
    return _duplicate(ACTIVITY, actor=actor, item=activity, school=school)


@transaction.atomic
def create_exercise(*, actor, school: School | None = None, **fields) -> Exercise:
    """A school's own exercise; m2m fields (primary/secondary muscles, equipment) take model instances."""
    return _create(EXERCISE, actor=actor, school=school, **fields)


@transaction.atomic
def update_exercise(*, actor, exercise: Exercise, **fields) -> Exercise:
    return _update(EXERCISE, actor=actor, item=exercise, **fields)


@transaction.atomic
def delete_exercise(*, actor, exercise: Exercise) -> None:
    _delete(EXERCISE, actor=actor, item=exercise)


@transaction.atomic
def duplicate_exercise(*, actor, exercise: Exercise, school: School | None = None) -> Exercise:
    return _duplicate(EXERCISE, actor=actor, item=exercise, school=school)
