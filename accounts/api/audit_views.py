"""``/api/v1/audit-events/``: read-only audit log with filters and a streamed CSV export.

School admins (``accounts.view_auditevent`` in a school) see that school's rows; platform auditors
see everything (``accounts.api.audit_filters``). There is no write route: any unsafe method from a
signed-in user is a 405.
"""

import csv
import json
from datetime import UTC

from django.db.models import Count, Max
from django.http import StreamingHttpResponse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer

from accounts.api.audit_filters import (
    AUDIT_VIEW_PERM,
    AuditEventFilter,
    StableOrderingFilter,
    is_platform_auditor,
    permitted_school_ids,
)
from accounts.api.audit_serializers import AuditEventSerializer, actor_of
from accounts.api.base import ScopedPermission, ScopedReadOnlyViewSet
from accounts.models import AuditEvent
from accounts.services.audit import record_audit_export

CSV_COLUMNS = [
    "id",
    "occurred_at",
    "actor_id",
    "actor_email",
    "school_id",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "ip_address",
    "user_agent",
    "request_id",
    "changes",
]
# a spreadsheet evaluates a cell starting with one of these as a formula (OWASP CSV injection)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK = 2000


def csv_safe(value) -> str:
    """The cell text, with a leading quote when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_row(event: AuditEvent) -> list[str]:
    actor = actor_of(event)
    values = [
        event.pk,
        event.occurred_at.astimezone(UTC).isoformat(),
        event.actor_id,
        actor.email if actor is not None else None,
        event.school_id,
        event.action,
        event.target_type,
        event.target_id,
        event.target_label,
        event.ip_address,
        event.user_agent,
        event.request_id,
        json.dumps(event.changes, sort_keys=True, ensure_ascii=False, default=str) if event.changes else "",
    ]
    return [csv_safe(value) for value in values]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def stream_csv(queryset):
    """Yields the header and one line per row, reading the rows in chunks (never all at once)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield writer.writerow(csv_row(event))


class CSVRenderer(BaseRenderer):
    """Lets content negotiation accept ``text/csv``; the export streams its own response."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):  # pragma: no cover - never used
        return b""


class AuditEventPermission(ScopedPermission):
    """``accounts.view_auditevent`` in the row's school, or a platform auditor. Unsafe methods pass
    here so that the missing handler answers 405 (the log cannot be written through the API)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method not in permissions.SAFE_METHODS:
            return True
        if is_platform_auditor(request.user):
            return True
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if is_platform_auditor(request.user):
            return True
        if obj.school_id is None:
            return False
        return super().has_object_permission(request, view, obj)


@extend_schema_view(
    list=extend_schema(
        summary="List audit events",
        description=(
            "Newest first. School admins see their schools' events, platform auditors every event. "
            "`occurred_after` is inclusive, `occurred_before` exclusive; a date alone covers the whole day."
        ),
    ),
    retrieve=extend_schema(summary="One audit event"),
)
@extend_schema(tags=["audit"])
class AuditEventViewSet(ScopedReadOnlyViewSet):
    """Append-only audit log (read-only)."""

    queryset = AuditEvent.objects.select_related("actor")
    serializer_class = AuditEventSerializer
    permission_classes = [AuditEventPermission]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = AuditEventFilter
    ordering_fields = ["occurred_at", "action", "target_type", "id"]
    ordering = ["-occurred_at", "-id"]
    required_permissions = {"export": AUDIT_VIEW_PERM}
    personal_data = True

    def scope_queryset(self, queryset):
        if is_platform_auditor(self.request.user):
            return queryset
        return super().scope_queryset(queryset)

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "action", None) == "export":
            queryset = self.restrict_to_permitted_schools(queryset)
        return queryset

    def restrict_to_permitted_schools(self, queryset):
        if is_platform_auditor(self.request.user):
            return queryset
        return super().restrict_to_permitted_schools(queryset)

    @extend_schema(
        summary="Export audit events as CSV",
        description=(
            "The list's filters and ordering, all matching rows (no pagination), streamed as a CSV "
            "attachment. Cells a spreadsheet would evaluate as a formula are prefixed with `'`. "
            "The export itself is audited (`audit.exported`)."
        ),
        filters=True,
        responses={(200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR, description="CSV file")},
    )
    @action(detail=False, methods=["get"], renderer_classes=[CSVRenderer], pagination_class=None)
    def export(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        # snapshot: the file holds exactly the rows counted here (not the audit row written below)
        snapshot = queryset.order_by().aggregate(rows=Count("pk"), last=Max("pk"))
        rows = snapshot["rows"]
        if rows:
            school_ids = set(queryset.order_by().values_list("school_id", flat=True).distinct())
        elif is_platform_auditor(request.user):
            school_ids = {None}
        else:
            school_ids = set(permitted_school_ids(request.user))
        filters = {
            key: value
            for key, value in request.query_params.items()
            if key in AuditEventFilter.base_filters or key == "ordering"
        }
        record_audit_export(actor=request.user, school_ids=school_ids, filters=filters, rows=rows)
        exported = queryset.filter(pk__lte=snapshot["last"] or 0)
        response = StreamingHttpResponse(stream_csv(exported), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.csv"'
        return response
