"""Filters for the item list: type, status, owner, category, mine, shared with me and a plain
title search (ranked full-text search is the search endpoint's job)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from content.models import ContentItem, ContentKind, ContentStatus


class ItemFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=ContentKind.choices, label=_("type"))
    status = django_filters.ChoiceFilter(choices=ContentStatus.choices, label=_("status"))
    owner = IdFilter(field_name="owner__id", label=_("owner"))
    category = IdFilter(field_name="category__id", label=_("category"))
    mine = StrictBooleanFilter(method="filter_mine", label=_("items I own or co-author"))
    shared_with_me = StrictBooleanFilter(method="filter_shared", label=_("items shared with me by others"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", max_length=100, label=_("title"))

    class Meta:
        model = ContentItem
        fields = ["school", "kind", "status", "owner", "category", "language"]

    def filter_mine(self, queryset, name, value):
        from django.db.models import Q

        if value is None:
            return queryset
        user = self.request.user
        mine = Q(owner=user) | Q(co_authors=user)
        return queryset.filter(mine).distinct() if value else queryset.exclude(mine)

    def filter_shared(self, queryset, name, value):
        if value is None:
            return queryset
        user = self.request.user
        others = ContentItem.objects.shared_with(user).exclude(co_authors=user).values("pk")
        return queryset.filter(pk__in=others) if value else queryset.exclude(pk__in=others)
