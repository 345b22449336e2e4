"""Sessions API: plan (CRUD with nested blocks), generate from the weekly schedule, copy, run
(start/finish/cancel/reopen), take attendance and record results in bulk."""

from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedModelViewSet, call_service
from physed.api.fields import update_body_schema
from physed.api.sessions_filters import ClassSessionFilter
from physed.api.sessions_serializers import (
    AttendanceBulkSerializer,
    AttendanceOutcomeSerializer,
    AttendanceSheetSerializer,
    ClassSessionSerializer,
    CopySessionSerializer,
    GeneratedSessionsSerializer,
    GenerateSessionsSerializer,
    PerformanceResultSerializer,
    ResultsBulkSerializer,
    ResultsOutcomeSerializer,
    SessionResultsSerializer,
)
from physed.models import AttendanceRecord, ClassSession, PerformanceResult, SessionBlock
from physed.models.sessions import PARTICIPATING_STATUSES
from physed.selectors.sessions import session_roster
from physed.services import attendance as attendance_service
from physed.services import results as results_service
from physed.services import sessions as sessions_service
from physed.services.sessions_common import RowErrors


def call_rows_service(fn, **kwargs):
    """``call_service`` that also turns per-row refusals into 400 ``fields = {rows: {"<index>": …}}``."""

    def run(**values):
        try:
            return fn(**values)
        except RowErrors as exc:
            raise ValidationError(exc.as_fields()) from exc

    return call_service(run, **kwargs)


def _block_specs(blocks):
    return [
        sessions_service.BlockSpec(
            planned_minutes=block["planned_minutes"],
            activity=block.get("activity"),
            exercise=block.get("exercise"),
            notes=block.get("notes", ""),
            block_id=block.get("id"),
        )
        for block in blocks
    ]


@extend_schema(tags=["physed-sessions"])
@update_body_schema(ClassSessionSerializer, "pe_class")
class ClassSessionViewSet(ScopedModelViewSet):
    """Class sessions: the plan (ordered blocks of activities or exercises with minutes) and its run."""

    queryset = ClassSession.objects.select_related("pe_class__school").prefetch_related(
        Prefetch("blocks", queryset=SessionBlock.objects.select_related("activity", "exercise").order_by("order"))
    )
    serializer_class = ClassSessionSerializer
    filterset_class = ClassSessionFilter
    search_fields = ["title", "notes", "pe_class__name"]
    ordering_fields = ["date", "start_time", "status", "created_at"]
    ordering = ["-date", "start_time", "pk"]
    required_permissions = {
        "generate": "physed.add_classsession",
        "copy": "physed.add_classsession",
        "start": "physed.run_session",
        "finish": "physed.run_session",
        "cancel": "physed.change_classsession",
        "reopen": "physed.change_classsession",
        "attendance": "physed.run_session",
        "attendance_sheet": "physed.view_attendancerecord",
        "results": "physed.run_session",
        "results_list": "physed.view_performanceresult",
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("attendance", "attendance_sheet", "results", "results_list"):
            return queryset.prefetch_related(None)  # the bulk writes never read the plan
        if self.action in ("list", "retrieve"):
            queryset = queryset.annotate(
                recorded_count=Count("attendance", distinct=True),
                participating_count=Count(
                    "attendance", filter=Q(attendance__status__in=PARTICIPATING_STATUSES), distinct=True
                ),
            )
        return queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = call_rows_service(
            sessions_service.create_session,
            actor=self.request.user,
            pe_class=data["pe_class"],
            date=data["date"],
            period=data.get("period", ""),
            start_time=data.get("start_time"),
            title=data.get("title", ""),
            notes=data.get("notes", ""),
            blocks=_block_specs(data.get("blocks", [])),
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        blocks = data.pop("blocks", None)
        serializer.instance = call_rows_service(
            sessions_service.update_session,
            actor=self.request.user,
            session=serializer.instance,
            blocks=_block_specs(blocks) if blocks is not None else None,
            **data,
        )
        # the response shows the new blocks, not the prefetched old ones
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        call_service(sessions_service.delete_session, actor=self.request.user, session=instance)

    @extend_schema(request=GenerateSessionsSerializer, responses={201: GeneratedSessionsSerializer})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """One planned session per weekly meeting of the class between two dates (existing ones kept)."""
        serializer = GenerateSessionsSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        created = call_service(sessions_service.generate_sessions, actor=request.user, **serializer.validated_data)
        body = {"created": len(created), "sessions": [session.pk for session in created]}
        return Response(GeneratedSessionsSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CopySessionSerializer, responses={201: ClassSessionSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """The same plan (lesson, notes, time, blocks) as a new planned session on another date."""
        session = self.get_object()
        serializer = CopySessionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        copy = call_service(
            sessions_service.copy_session, actor=request.user, session=session, **serializer.validated_data
        )
        copy = self.get_queryset().get(pk=copy.pk)
        return Response(self.get_serializer(copy).data, status=status.HTTP_201_CREATED)

    def _transition(self, request, transition):
        session = self.get_object()
        call_service(sessions_service.change_status, actor=request.user, session=session, transition=transition)
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    @extend_schema(request=None, responses=ClassSessionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Planned → in progress."""
        return self._transition(request, "start")

    @extend_schema(request=None, responses=ClassSessionSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        """Planned or in progress → completed."""
        return self._transition(request, "finish")

    @extend_schema(request=None, responses=ClassSessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Planned → cancelled."""
        return self._transition(request, "cancel")

    @extend_schema(request=None, responses=ClassSessionSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Completed or cancelled → planned again."""
        return self._transition(request, "reopen")

    @extend_schema(
        request=AttendanceBulkSerializer,
        responses={200: AttendanceOutcomeSerializer, 400: OpenApiResponse(description="Invalid rows or students")},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Upserts the whole class in one request: with ``default_status`` every enrolled student not
        listed gets it. Students not enrolled in the class on the session date → 400 naming them."""
        session = self.get_object()
        serializer = AttendanceBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entries = [attendance_service.AttendanceEntry(**row) for row in data.get("records", [])]
        outcome = call_rows_service(
            attendance_service.record_attendance,
            actor=request.user,
            session=session,
            entries=entries,
            default_status=data.get("default_status"),
        )
        body = {
            "session": session.pk,
            "created": outcome.created,
            "updated": outcome.updated,
            "total": outcome.total,
            "counts": outcome.counts,
        }
        return Response(AttendanceOutcomeSerializer(body).data)

    @extend_schema(responses=AttendanceSheetSerializer)
    @attendance.mapping.get
    def attendance_sheet(self, request, pk=None):
        """The roster on the session date with each student's recorded status (null = not yet taken)."""
        session = self.get_object()
        records = {record.student_id: record for record in AttendanceRecord.objects.filter(session=session)}
        rows = []
        for student in session_roster(session):
            record = records.get(student.pk)
            rows.append(
                {
                    "student": student.pk,
                    "student_name": student.display_name,
                    "status": record.status if record else None,
                    "minutes_late": record.minutes_late if record else None,
                    "note": record.note if record else "",
                }
            )
        response = Response(AttendanceSheetSerializer({"session": session.pk, "date": session.date, "rows": rows}).data)
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        request=ResultsBulkSerializer,
        responses={200: ResultsOutcomeSerializer, 400: OpenApiResponse(description="Per-row errors; nothing saved")},
    )
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        """Upserts results ``{student, metric, value, block?}``; ``value: null`` removes one. All or
        nothing: values are checked against the metric's range and kind, students must be present
        or late in the session."""
        session = self.get_object()
        serializer = ResultsBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entries = [results_service.ResultEntry(**row) for row in serializer.validated_data["results"]]
        outcome = call_rows_service(
            results_service.record_results, actor=request.user, session=session, entries=entries
        )
        return Response(ResultsOutcomeSerializer({"session": session.pk, **outcome}).data)

    @extend_schema(responses=SessionResultsSerializer)
    @results.mapping.get
    def results_list(self, request, pk=None):
        """Every result recorded in the session."""
        session = self.get_object()
        results = PerformanceResult.objects.filter(session=session).select_related("session", "student", "metric")
        body = {"session": session.pk, "results": PerformanceResultSerializer(results, many=True).data}
        response = Response(body)
        response["Cache-Control"] = "private, no-store"
        return response
