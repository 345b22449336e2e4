"""Filtering defaults for every API list.

A foreign-key filter takes a plain integer id and filters on ``<fk>__id``: an unknown id — or an
id of another school's row — simply matches nothing. django-filter's default (a model choice
field) would answer 400 "select a valid choice" for ids that do not exist but 200 for ids that
exist elsewhere, telling a client which ids other schools have. Filtering on the related pk
also keeps Django's integer-range guard, so a huge number is an empty list, not a server error.
"""

from django import forms
from django.db import models
from django_filters import rest_framework as filters


class IdFilter(filters.Filter):
    field_class = forms.IntegerField


class ScopedFilterSet(filters.FilterSet):
    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter, "extra": lambda field: {"field_name": f"{field.name}__id"}},
        models.OneToOneField: {"filter_class": IdFilter, "extra": lambda field: {"field_name": f"{field.name}__id"}},
    }


class FilterBackend(filters.DjangoFilterBackend):
    filterset_base = ScopedFilterSet
