"""Filter sets for the activity and exercise library, shared by the API (``filterset_class``) and the
library pages (bound to ``request.GET``; their ``form`` is the filter form), so the two always agree.
Bad values (an unknown category, difficulty 9, "abc") are a 400 on the API and a form error on pages."""

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.utils import extend_schema_field

from config.api.filters import IntegerFilter, ScopedFilterSet, StrictBooleanFilter
from physed.models import (
    Activity,
    ActivityCategory,
    ContactLevel,
    Exercise,
    ExerciseCategory,
    FitnessComponent,
    GradeBand,
    Intensity,
    RiskLevel,
    Space,
)
from physed.selectors import library as selectors

SOURCE_CHOICES = [
    (selectors.SOURCE_SHIPPED, _("Shipped library")),
    (selectors.SOURCE_SCHOOL, _("My school's own")),
]
MAX_SLUGS = 100
_SLUG = "[-0-9A-Z_a-z]+"
# what SlugListField takes, for the schema: up to MAX_SLUGS slugs between commas (spaces around them
# and empty entries are ignored)
_NEXT = rf"{_SLUG} *,[ ,]*"
SLUG_LIST_PATTERN = rf"^[ ,]*(?:(?:{_NEXT}){{0,{MAX_SLUGS}}}|(?:{_NEXT}){{0,{MAX_SLUGS - 1}}}{_SLUG} *)$"


class SlugListField(forms.Field):
    """Slugs given as ``a,b`` or as repeated ``?x=a&x=b``."""

    widget = QueryArrayWidget

    def to_python(self, value):
        if value in self.empty_values:
            return []
        items = value if isinstance(value, list | tuple) else [value]
        slugs = [part.strip(" ") for item in items for part in str(item).split(",") if part.strip(" ")]
        if len(slugs) > MAX_SLUGS:
            raise forms.ValidationError(_("At most %(count)s values."), params={"count": MAX_SLUGS})
        for slug in slugs:
            validate_slug(slug)
        return list(dict.fromkeys(slugs))


@extend_schema_field({"type": "string", "pattern": SLUG_LIST_PATTERN})
class SlugListFilter(django_filters.Filter):
    field_class = SlugListField


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ties (same difficulty, same duration) stay in name order, so pages never shuffle."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "name", "pk")
        return qs


class _LibraryFilterSet(ScopedFilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=200)
    source = django_filters.ChoiceFilter(choices=SOURCE_CHOICES, method="filter_source", label=_("Source"))
    # difficulty is 1-5 and the risk level 1-4 by definition: bounds the schema states. Group size,
    # duration and standard number just filter (0 matches nothing); the group size keeps a cap.
    difficulty_min = IntegerFilter(
        field_name="difficulty", lookup_expr="gte", min_value=1, max_value=5, label=_("Difficulty from")
    )
    difficulty_max = IntegerFilter(
        field_name="difficulty", lookup_expr="lte", min_value=1, max_value=5, label=_("Difficulty up to")
    )
    fitness_component = django_filters.ChoiceFilter(
        choices=FitnessComponent.choices, method="filter_fitness_component", label=_("Fitness component")
    )
    equipment = SlugListFilter(method="filter_equipment", label=_("Uses equipment (slugs)"))
    have = SlugListFilter(method="filter_have", label=_("Only needs equipment from (slugs)"))
    needs_no_equipment = StrictBooleanFilter(method="filter_no_equipment", label=_("Needs no equipment"))

    search_fields: tuple[str, ...] = ("name",)
    search_json_fields: tuple[str, ...] = ()

    def filter_search(self, queryset, name, value):
        return selectors.search(queryset, value, fields=self.search_fields, json_fields=self.search_json_fields)

    def filter_source(self, queryset, name, value):
        return selectors.by_source(queryset, value)

    def filter_fitness_component(self, queryset, name, value):
        return selectors.json_list_has(queryset, "fitness_components", value)

    def filter_equipment(self, queryset, name, value):
        return selectors.needing_equipment(queryset, value)

    def filter_have(self, queryset, name, value):
        return selectors.only_with_equipment(queryset, value)

    def filter_no_equipment(self, queryset, name, value):
        if value:
            return selectors.only_with_equipment(queryset, [])
        return queryset.exclude(pk__in=selectors.only_with_equipment(queryset, []).values("pk"))


class ActivityFilterSet(_LibraryFilterSet):
    category = django_filters.ChoiceFilter(choices=ActivityCategory.choices, label=_("Category"))
    intensity = django_filters.ChoiceFilter(choices=Intensity.choices, label=_("Intensity"))
    space = django_filters.ChoiceFilter(choices=Space.choices, label=_("Space"))
    contact_level = django_filters.ChoiceFilter(choices=ContactLevel.choices, label=_("Contact level"))
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Risk level"))
    risk_level_max = IntegerFilter(
        field_name="risk_level", lookup_expr="lte", min_value=1, max_value=4, label=_("Risk level up to")
    )
    grade_band = django_filters.ChoiceFilter(
        choices=GradeBand.choices, method="filter_grade_band", label=_("Grade span")
    )
    standard = IntegerFilter(method="filter_standard", label=_("SHAPE standard"))
    indicator = django_filters.CharFilter(method="filter_indicator", max_length=12, label=_("Indicator code"))
    group_size = IntegerFilter(method="filter_group_size", max_value=1000, label=_("Group size fits"))
    max_duration = IntegerFilter(field_name="duration_minutes", lookup_expr="lte", label=_("Duration up to (min)"))
    ordering = StableOrderingFilter(
        fields=(
            ("name", "name"),
            ("difficulty", "difficulty"),
            ("duration_minutes", "duration"),
            ("created_at", "created"),
        ),
        field_labels={
            "name": _("Name"),
            "difficulty": _("Difficulty"),
            "duration_minutes": _("Duration"),
            "created_at": _("Added"),
        },
        label=_("Sort by"),
    )

    search_fields = ("name", "description")
    search_json_fields = ("skills",)

    class Meta:
        model = Activity
        fields = ["category", "intensity", "space", "contact_level", "risk_level"]

    def filter_grade_band(self, queryset, name, value):
        return selectors.json_list_has(queryset, "grade_bands", value)

    def filter_standard(self, queryset, name, value):
        return selectors.aligned_to_standard(queryset, value)

    def filter_indicator(self, queryset, name, value):
        return selectors.aligned_to_indicator(queryset, value)

    def filter_group_size(self, queryset, name, value):
        return selectors.fits_group_size(queryset, value)


class ExerciseFilterSet(_LibraryFilterSet):
    category = django_filters.ChoiceFilter(choices=ExerciseCategory.choices, label=_("Category"))
    muscle = django_filters.CharFilter(method="filter_muscle", max_length=60, label=_("Works muscle group (slug)"))
    primary_muscle = django_filters.CharFilter(
        method="filter_primary_muscle", max_length=60, label=_("Primary muscle group (slug)")
    )
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("difficulty", "difficulty"), ("created_at", "created")),
        field_labels={"name": _("Name"), "difficulty": _("Difficulty"), "created_at": _("Added")},
        label=_("Sort by"),
    )

    search_fields = ("name", "instructions")
    search_json_fields = ("contraindications",)

    class Meta:
        model = Exercise
        fields = ["category"]

    def filter_muscle(self, queryset, name, value):
        return selectors.working_muscle(queryset, value)

    def filter_primary_muscle(self, queryset, name, value):
        return selectors.working_muscle(queryset, value, primary_only=True)
