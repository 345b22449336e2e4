"""Filtering defaults for every API list.

A foreign-key filter takes a plain integer id and filters on ``<fk>__id``: an unknown id — or an
id of another school's row — simply matches nothing. django-filter's default (a model choice
field) would answer 400 "select a valid choice" for ids that do not exist but 200 for ids that
exist elsewhere, telling a client which ids other schools have. Filtering on the related pk
also keeps Django's integer-range guard, so a huge number is an empty list, not a server error.
"""

import copy
import re
from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import has_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1


def is_possible_id(value: int) -> bool:
    """Ids are positive 64-bit integers; any other integer simply names no row."""
    return 0 < value <= MAX_ID


WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)


class WholeNumberField(forms.IntegerField):
    """An integer written as digits with an optional sign. Django's IntegerField would also take
    "12.0", and the DecimalField django-filter's NumberFilter uses takes "0.5"."""

    def to_python(self, value):
        if value not in self.empty_values and not WHOLE_NUMBER.fullmatch(str(value).strip()):
            raise forms.ValidationError(_("Enter a whole number."), code="invalid")
        return super().to_python(value)


class IdField(WholeNumberField):
    """A database id: an integer written as digits."""


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """An id no row can have (0, negative, beyond 64 bits) matches nothing — never an error."""

    field_class = IdField

    def filter(self, qs, value):
        if value is not None and not is_possible_id(value):
            return qs.none()
        return super().filter(qs, value)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number. Bounds given as ``min_value``/``max_value`` are enforced by the form field and
    stated in the schema (as ``minimum``/``maximum``), so the two cannot disagree. Without bounds,
    any integer is taken: Django answers lookups with values beyond the column's range as empty (or
    full) results rather than database errors."""

    field_class = WholeNumberField

    @property
    def _spectacular_annotation(self):
        # read by drf-spectacular in place of an ``@extend_schema_field``; a property, because the
        # bounds and label are the instance's
        schema = {"type": "integer"}
        if self.extra.get("min_value") is not None:
            schema["minimum"] = self.extra["min_value"]
        if self.extra.get("max_value") is not None:
            schema["maximum"] = self.extra["max_value"]
        if self.label:
            schema["description"] = self.label
        return {"field": schema}


INTEGER_MODEL_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


def model_field_at(model, path: str):
    """The model field a filter's ``field_name`` ends at, following ``__`` through relations (a
    relation at the end stands for the column it points to); None when ``path`` names no field or
    ends in a lookup or transform (``created_at__date``)."""
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    while field is not None and field.is_relation:
        field = getattr(field, "target_field", None)
    return field


class StrictBooleanFormField(forms.Field):
    """Only ``true`` or ``false`` (anything else is a 400, never silently ignored)."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "True"):
            return True
        if value in ("false", "False"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    """The plain BooleanFilter (the REST variant's widget turns unknown values into "not given")."""

    field_class = StrictBooleanFormField


class ScopedFilterSet(filters.FilterSet):
    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter, "extra": lambda field: {"field_name": f"{field.name}__id"}},
        models.OneToOneField: {"filter_class": IdFilter, "extra": lambda field: {"field_name": f"{field.name}__id"}},
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        **{field_class: {"filter_class": IntegerFilter} for field_class in INTEGER_MODEL_FIELDS},
    }

    @classmethod
    def get_filters(cls):
        """What the schema says of a declared filter holds: a plain NumberFilter on an integer model
        field takes whole numbers only (its DecimalField would take 0.5, where the schema says
        integer), and a CharFilter's ``max_length`` is stated as ``maxLength``."""
        filters_ = super().get_filters()
        for name, filter_ in filters_.items():
            if (
                type(filter_) is django_filters.NumberFilter
                and filter_.field_name
                and isinstance(model_field_at(cls._meta.model, filter_.field_name), INTEGER_MODEL_FIELDS)
            ):
                filters_[name] = filter_ = copy.deepcopy(filter_)  # declared filters are shared with subclasses
                filter_.field_class = WholeNumberField
            elif (
                isinstance(filter_, django_filters.CharFilter)
                and filter_.extra.get("max_length")
                and not has_override(filter_, "field")
            ):
                filters_[name] = filter_ = copy.deepcopy(filter_)
                schema = {"type": "string", "maxLength": filter_.extra["max_length"]}
                if filter_.label:
                    schema["description"] = filter_.label
                extend_schema_field(schema)(filter_)
        return filters_


class FilterBackend(filters.DjangoFilterBackend):
    filterset_base = ScopedFilterSet


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 date-time, compared in UTC. RFC 3339 allows offsets up to ±23:59 but PostgreSQL
    only ±15:59, so a legal value must be converted before it reaches the database."""

    def filter(self, qs, value):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super().filter(qs, value)
