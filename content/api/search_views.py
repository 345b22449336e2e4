"""Search and discovery API (content §4): ``search/`` (ranked results, snippets, facets),
``items/{id}/related/``, ``recent/``, ``popular/``. Thin: the parameters are parsed by the
page's ``SearchForm`` (its errors become a 400 naming the parameter) and every read goes through
``content.selectors.search`` / ``discovery``, which start from ``visible_to``."""

import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from config.api.pagination import StandardPagination
from content.api import search_serializers as s
from content.forms_search import SearchForm
from content.models import ContentItem
from content.selectors import discovery
from content.selectors.access import can_view
from content.selectors.search import search, snippet

TAGS = ["content-search"]
MAX_LIMIT = s.MAX_LIMIT


def parse_search(request):
    form = SearchForm(request.user, request.query_params)
    if not form.is_valid():
        raise ValidationError({name: [str(message) for message in errors] for name, errors in form.errors.items()})
    return form.params()


def parse_limit(request, default: int = 5) -> int:
    raw = request.query_params.get("limit")
    if raw in (None, ""):
        return default
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": [_("Give a whole number from 1 to %(n)d.") % {"n": MAX_LIMIT}]})
    return int(raw)


def decorate(items, terms) -> list:
    """The per-row display values the result serializer reads (page rows only)."""
    for item in items:
        item.snippet = snippet(item, terms)
        item.tag_names = sorted(tag.name for tag in item.tags.all())
        item.category_name = item.category.name if item.category_id else ""
    return items


class DiscoveryView(generics.GenericAPIView):
    pagination_class = None
    filter_backends: list = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            response["Cache-Control"] = "private, no-store"
        return response


class SearchView(DiscoveryView):
    """``GET /api/v1/content/search/``: what the user may see, ranked, filtered, paginated."""

    serializer_class = s.SearchResponseSerializer
    pagination_class = StandardPagination

    @extend_schema(
        tags=TAGS,
        summary="Search the content library (ranked, with snippets and facet counts)",
        parameters=[
            *s.SEARCH_PARAMETERS,
            OpenApiParameter("page", {"type": "integer", "minimum": 1}, description=_("Page number.")),
            # like every paginated list: a larger size is capped at the maximum, not refused
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description=_("Rows per page (at most %(n)d).") % {"n": StandardPagination.max_page_size},
            ),
        ],
        responses=s.SearchResponseSerializer,
    )
    def get(self, request):
        result = search(request.user, parse_search(request))
        page = self.paginate_queryset(result.items)
        rows = s.SearchResultSerializer(decorate(page, result.terms), many=True).data
        response = self.get_paginated_response(rows)
        response.data["facets"] = s.FacetsSerializer(result.facets).data
        return response


class RelatedView(DiscoveryView):
    """``GET /api/v1/content/items/{id}/related/``: 404 for another school's item, 403 without
    the right to see it."""

    serializer_class = s.RelatedSerializer

    @extend_schema(
        tags=TAGS,
        summary="Items related to an item, with reasons",
        parameters=[s.LIMIT_PARAMETER],
        responses=s.RelatedSerializer(many=True),
    )
    def get(self, request, pk):
        item = ContentItem.objects.in_user_schools(request.user).filter(pk=pk).first()
        if item is None:
            raise NotFound()
        if not can_view(request.user, item):
            raise PermissionDenied(_("You cannot see this item."))
        rows = discovery.related_items(request.user, item, limit=parse_limit(request))
        return Response(s.RelatedSerializer(rows, many=True).data)


class RecentView(DiscoveryView):
    """``GET /api/v1/content/recent/``: the items I opened last (still visible to me)."""

    serializer_class = s.RecentSerializer

    @extend_schema(
        tags=TAGS,
        summary="Items I viewed recently",
        parameters=[s.LIMIT_PARAMETER],
        responses=s.RecentSerializer(many=True),
    )
    def get(self, request):
        rows = discovery.recently_viewed(request.user, limit=parse_limit(request))
        return Response(s.RecentSerializer(rows, many=True).data)


class PopularView(DiscoveryView):
    """``GET /api/v1/content/popular/``: visible items by distinct viewers in 30 days, then views."""

    serializer_class = s.PopularSerializer

    @extend_schema(
        tags=TAGS,
        summary="Popular in my school",
        parameters=[s.LIMIT_PARAMETER],
        responses=s.PopularSerializer(many=True),
    )
    def get(self, request):
        rows = discovery.popular_items(request.user, limit=parse_limit(request))
        return Response(s.PopularSerializer(rows, many=True).data)
