"""Filtering defaults for every API list.

A foreign-key filter takes a plain integer id and filters on ``<fk>__id``: an unknown id — or an
id of another school's row — simply matches nothing. django-filter's default (a model choice
field) would answer 400 "select a valid choice" for ids that do not exist but 200 for ids that
exist elsewhere, telling a client which ids other schools have. Filtering on the related pk
also keeps Django's integer-range guard, so a huge number is an empty list, not a server error.
"""

from datetime import UTC

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1


def is_possible_id(value: int) -> bool:
    """Ids are positive 64-bit integers; any other integer simply names no row."""
    return 0 < value <= MAX_ID


class IdField(forms.IntegerField):
    """A database id: an integer written as digits (Django's IntegerField would take "12.0")."""

    def to_python(self, value):
        if value not in self.empty_values and not str(value).strip().lstrip("-").isdigit():
            raise forms.ValidationError(_("Enter a whole number."), code="invalid")
        return super().to_python(value)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """An id no row can have (0, negative, beyond 64 bits) matches nothing — never an error."""

    field_class = IdField

    def filter(self, qs, value):
        if value is not None and not is_possible_id(value):
            return qs.none()
        return super().filter(qs, value)


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
    }


class FilterBackend(filters.DjangoFilterBackend):
    filterset_base = ScopedFilterSet


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 date-time, compared in UTC. RFC 3339 allows offsets up to ±23:59 but PostgreSQL
    only ±15:59, so a legal value must be converted before it reaches the database."""

    def filter(self, qs, value):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super().filter(qs, value)
