"""Reads over the library: what a user may see, and the search/filter building blocks that the API
filter sets and the library pages share (one definition, so both answer the same question)."""

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, TextField
from django.db.models.functions import Cast

from accounts.selectors import schools_where
from physed.models import Activity, Exercise, GradeSpanIndicator

SOURCE_SHIPPED = "shipped"
SOURCE_SCHOOL = "school"


def with_school_rows_where(queryset, user, perm: str):
    """Shipped rows plus the rows of schools where ``user`` holds ``perm`` (lists never show a
    school's rows to someone who is, say, a student there and staff elsewhere)."""
    if user.is_superuser:
        return queryset
    return queryset.filter(Q(school__isnull=True) | Q(school__in=schools_where(user, perm)))


def activity_list_queryset(queryset):
    return queryset.select_related("school").prefetch_related("equipment", "standards")


def activity_detail_queryset(queryset):
    return queryset.select_related("school", "created_by").prefetch_related(
        "equipment",
        "standards",
        Prefetch("indicators", queryset=GradeSpanIndicator.objects.select_related("standard")),
    )


def exercise_list_queryset(queryset):
    return queryset.select_related("school").prefetch_related("primary_muscles", "secondary_muscles", "equipment")


def exercise_detail_queryset(queryset):
    return exercise_list_queryset(queryset).select_related("created_by")


def search(queryset, text: str, *, fields: tuple[str, ...], json_fields: tuple[str, ...] = ()):
    """Every word must appear in one of the fields (case-insensitive). On PostgreSQL a full-text
    match (stemmed, so "passes" finds "passing") also counts; SQLite uses the substring path only."""
    words = [word for word in text.split() if word][:10]
    if not words:
        return queryset
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields + json_fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    if connection.vendor == "postgresql":  # pragma: no cover - exercised in CI against PostgreSQL
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, *(Cast(name, TextField()) for name in json_fields), config="english")
        matches = queryset.annotate(_search=vector).filter(
            _search=SearchQuery(text, search_type="websearch", config="english")
        )
        return queryset.filter(condition | Q(pk__in=matches.values("pk")))
    return queryset.filter(condition)


def json_list_has(queryset, field: str, value: str):
    """Rows whose JSON list ``field`` holds ``value``: the quoted value inside the stored JSON text
    works on SQLite and PostgreSQL alike (JSON containment does not exist on SQLite)."""
    return queryset.filter(**{f"{field}__icontains": f'"{value}"'})


def by_source(queryset, source: str):
    if source == SOURCE_SHIPPED:
        return queryset.filter(school__isnull=True)
    if source == SOURCE_SCHOOL:
        return queryset.filter(school__isnull=False)
    return queryset


def needing_equipment(queryset, slugs):
    """Items that use every one of ``slugs``."""
    for slug in slugs:
        through = queryset.model.equipment.through
        queryset = queryset.filter(
            Exists(
                through.objects.filter(
                    **{f"{queryset.model._meta.model_name}_id": OuterRef("pk"), "equipmenttype__slug": slug}
                )
            )
        )
    return queryset


def only_with_equipment(queryset, slugs):
    """Items needing nothing outside ``slugs`` (an empty list: items needing no equipment)."""
    through = queryset.model.equipment.through
    missing = through.objects.filter(**{f"{queryset.model._meta.model_name}_id": OuterRef("pk")}).exclude(
        equipmenttype__slug__in=list(slugs)
    )
    return queryset.filter(~Exists(missing))


def aligned_to_standard(queryset, number: int):
    through = Activity.standards.through
    return queryset.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"), pestandard__number=number)))


def aligned_to_indicator(queryset, code: str):
    through = Activity.indicators.through
    return queryset.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"), gradespanindicator__code=code)))


def working_muscle(queryset, slug: str, *, primary_only: bool = False):
    primary = Exercise.primary_muscles.through.objects.filter(exercise_id=OuterRef("pk"), musclegroup__slug=slug)
    condition = Exists(primary)
    if not primary_only:
        secondary = Exercise.secondary_muscles.through.objects.filter(
            exercise_id=OuterRef("pk"), musclegroup__slug=slug
        )
        condition |= Exists(secondary)
    return queryset.filter(condition)


def fits_group_size(queryset, size: int):
    return queryset.filter(min_group_size__lte=size, max_group_size__gte=size)
