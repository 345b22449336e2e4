"""The memory API (/api/v1/memory/): a person's own memories — list and search, add, change,
delete, export and their own clean-up. Owner-only like notifications
(``accounts.api.preferences_views.NotificationViewSet``): the queryset is
``Memory.objects.visible_to(user)``, so anybody else's memory is a 404 whatever their role; writes
go through ``memory.services`` (validation, search vector, audit); responses are no-store."""

import dataclasses
import json

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api.base import NoStoreMixin, call_service
from config.api.filters import FilterBackend, IdFilter, StrictBooleanFilter
from memory.api import serializers as s
from memory.api.lookups import resolve_memory_school
from memory.models import Memory, MemoryKind

TAGS = ["memory"]
# a search returns at most this many memories (best first); the per-user cap keeps lists short
SEARCH_LIMIT = 200


class MemoryFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=MemoryKind.choices)
    pinned = StrictBooleanFilter()
    student = IdFilter(field_name="student__id")
    pe_class = IdFilter(field_name="pe_class__id", label="class id")
    school = IdFilter(field_name="school__id")

    class Meta:
        model = Memory
        fields = ["kind", "pinned", "student", "pe_class", "school"]


def report_as_json(report):
    """A clean-up report as plain JSON (dataclass, ``as_dict()`` or already a dict)."""
    if hasattr(report, "as_dict"):
        report = report.as_dict()
    elif dataclasses.is_dataclass(report):
        report = dataclasses.asdict(report)
    return json.loads(json.dumps(report, default=str))


def run_own_maintenance(*, user, school, dry_run: bool) -> dict:
    """MEMCORE's clean-up restricted to the person's own memories in one school."""
    from memory.services.maintenance import run_maintenance

    reports = run_maintenance(owner=user, school=school, dry_run=dry_run)
    return {name: report_as_json(report) for name, report in reports.items()}


Q_PARAM = OpenApiParameter(
    "q", OpenApiTypes.STR, description="search words: results ordered by score (text, recency, importance)"
)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="My memories (newest first, or best match with ?q=)", parameters=[Q_PARAM]),
    retrieve=extend_schema(tags=TAGS, summary="One of my memories"),
    create=extend_schema(
        tags=TAGS, summary="Add a memory", request=s.MemoryCreateSerializer, responses={201: s.MemorySerializer}
    ),
    partial_update=extend_schema(
        tags=TAGS, summary="Change a memory", request=s.MemoryWriteSerializer, responses=s.MemorySerializer
    ),
    destroy=extend_schema(tags=TAGS, summary="Forget a memory"),
)
class MemoryViewSet(
    NoStoreMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """What the assistant remembers about me: only my own memories."""

    queryset = Memory.objects.all()
    serializer_class = s.MemorySerializer
    permission_classes = [IsAuthenticated]
    filterset_class = MemoryFilter
    filter_backends = [FilterBackend]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Memory.objects.visible_to(self.request.user)
            .select_related("student", "pe_class", "content_item")
            .order_by("-created_at", "-pk")
        )

    def _query(self) -> str:
        return (self.request.query_params.get("q") or "").strip()[:200]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        query = self._query()
        scores = {}
        if query:
            from memory.selectors.search import search_memories

            kind = request.query_params.get("kind")
            found = search_memories(
                request.user, query, kinds=[kind] if kind else None, limit=SEARCH_LIMIT, now=timezone.now()
            )
            scores = {hit.memory.pk: hit for hit in found}
            order = Case(
                *[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(scores)],
                output_field=IntegerField(),
            )
            queryset = queryset.filter(pk__in=list(scores)).order_by(order, "-pk")
        page = self.paginate_queryset(queryset)
        context = {**self.get_serializer_context(), "scores": scores}
        data = s.MemorySerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def _detail(self, memory, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=memory.pk)
        return Response(s.MemorySerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = s.MemoryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        school = resolve_memory_school(request, data.pop("school", None))
        from memory.services.memories import create_memory

        memory = call_service(create_memory, actor=request.user, school=school, **data)
        return self._detail(memory, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        memory = self.get_object()
        serializer = s.MemoryWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        from memory.services.memories import update_memory

        memory = call_service(update_memory, actor=request.user, memory=memory, **data)
        return self._detail(memory)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        from memory.services.memories import delete_memory

        call_service(delete_memory, actor=self.request.user, memory=instance)

    @extend_schema(
        tags=TAGS,
        summary="Download all my memories as JSON",
        responses={200: s.MemorySerializer(many=True)},
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request):
        rows = s.MemorySerializer(self.get_queryset(), many=True, context=self.get_serializer_context()).data
        stamp = timezone.now().strftime("%Y%m%d")
        return Response(rows, headers={"Content-Disposition": f'attachment; filename="memories-{stamp}.json"'})

    @extend_schema(
        tags=TAGS,
        summary="Tidy up my memories (dry run by default): merge, consolidate, decay, expire, cap",
        request=s.MaintenanceRequestSerializer,
        responses={200: s.MaintenanceReportSerializer, 400: OpenApiResponse(description="bad input")},
        filters=False,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def maintenance(self, request):
        serializer = s.MaintenanceRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        school = resolve_memory_school(request, serializer.validated_data.get("school"))
        dry_run = serializer.validated_data["dry_run"]
        reports = call_service(run_own_maintenance, user=request.user, school=school, dry_run=dry_run)
        return Response({"dry_run": dry_run, "school": school.pk, "reports": reports})
