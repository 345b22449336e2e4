"""Activity and analytics API.

* ``/me/activity/`` (own events only, paginated, filters), ``/me/activity/export/`` (streamed CSV),
  ``/me/activity/settings/`` (opt-out).
* ``/me/satisfaction/prompt/`` and ``/me/satisfaction/`` (answer or dismiss, rate-limited).
* ``/analytics/``, ``/analytics/satisfaction/``, ``/analytics/risk/`` (+ ``fit/``),
  ``/analytics/policy/``: ``accounts.view_analytics`` (policy changes: ``accounts.manage_retention``)
  in the requested school; another school is a 404.
"""

import csv
from datetime import UTC

import django_filters
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.api.activity_serializers import (
    ActivityEventSerializer,
    ActivitySettingsSerializer,
    AnalyticsReportSerializer,
    CsatAnswerSerializer,
    NpsAnswerSerializer,
    PendingPromptSerializer,
    RiskFitSerializer,
    RiskReportSerializer,
    SatisfactionDismissSerializer,
    SatisfactionResponseSerializer,
    SatisfactionResultsSerializer,
    SchoolPolicySerializer,
    SchoolQuerySerializer,
    WindowQuerySerializer,
)
from accounts.api.audit_views import CSVRenderer, csv_safe
from accounts.api.base import call_service
from accounts.models import ActivityEvent, ActivityKind, School, SchoolActivityPolicy, User
from accounts.selectors import has_school_perm, school_ids_for
from accounts.selectors_activity import analytics_school, own_activity
from accounts.services import activity as activity_service
from accounts.services.analytics import engagement, risk, satisfaction
from accounts.services.errors import ServiceError
from config.api.filters import UtcDateTimeFilter

CSV_COLUMNS = ["occurred_at", "kind", "feature", "key_action", "method", "status", "duration_ms", "school"]


class NoStoreMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            response["Cache-Control"] = "private, no-store"
        return response


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices)
    route_group = django_filters.CharFilter(lookup_expr="exact", help_text="Feature (route group), exact.")
    occurred_after = UtcDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = UtcDateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = ActivityEvent
        fields = ["kind", "route_group", "occurred_after", "occurred_before"]


def csv_lines(queryset):
    class _Echo:
        def write(self, value):
            return value

    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in queryset.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                csv_safe(value)
                for value in (
                    event.occurred_at.astimezone(UTC).isoformat(),
                    event.kind,
                    event.route_group,
                    event.action,
                    event.method,
                    event.status_code,
                    event.duration_ms,
                    event.school.name if event.school_id else "",
                )
            ]
        )


@extend_schema(tags=["activity"])
class MyActivityViewSet(NoStoreMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your own recorded activity — nobody else's, whatever your role."""

    queryset = ActivityEvent.objects.all()
    serializer_class = ActivityEventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActivityFilter

    def get_queryset(self):
        return own_activity(self.request.user)

    @extend_schema(summary="My activity", description="Newest first; filter by kind, feature and time.")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(
    tags=["activity"],
    summary="Export my activity (CSV)",
    parameters=[
        OpenApiParameter("kind", str, enum=[k for k, _l in ActivityKind.choices]),
        OpenApiParameter("route_group", str),
        OpenApiParameter("occurred_after", OpenApiTypes.DATETIME),
        OpenApiParameter("occurred_before", OpenApiTypes.DATETIME),
    ],
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, streamed")},
)
class MyActivityExportView(GenericAPIView):
    renderer_classes = [CSVRenderer]
    filter_backends: list = []
    pagination_class = None

    def get(self, request):
        filterset = ActivityFilter(request.query_params, queryset=own_activity(request.user))
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        response = StreamingHttpResponse(csv_lines(filterset.qs), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="my-activity-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(tags=["activity"])
class ActivitySettingsView(NoStoreMixin, GenericAPIView):
    serializer_class = ActivitySettingsSerializer

    def _body(self, user):
        return {
            "tracking_enabled": activity_service.tracking_enabled_for(user),
            "tracking_level": activity_service.tracking_level(user),
        }

    @extend_schema(summary="My activity-tracking choice")
    def get(self, request):
        return Response(ActivitySettingsSerializer(self._body(request.user)).data)

    @extend_schema(summary="Turn activity tracking on or off for me")
    def patch(self, request):
        serializer = ActivitySettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "tracking_enabled" in serializer.validated_data:
            activity_service.set_tracking(user=request.user, enabled=serializer.validated_data["tracking_enabled"])
        return Response(ActivitySettingsSerializer(self._body(request.user)).data)


class TooSoon(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "too_soon"


def _member_school(request) -> School:
    """The school of the request's ``?school=`` among the user's schools (another or unknown id →
    404), else the user's first school (none → 404)."""
    query = SchoolQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    ids = school_ids_for(request.user)
    wanted = query.validated_data.get("school", ids[0] if ids else None)
    if wanted is None or wanted not in ids:
        raise Http404
    return School.objects.get(pk=wanted)


def _answer(request, **kwargs):
    try:
        return satisfaction.answer_prompt(user=request.user, school=_member_school(request), **kwargs)
    except ServiceError as exc:
        if exc.code == "too_soon":
            raise TooSoon(exc.message) from exc
        raise ValidationError({exc.field or "non_field_errors": [exc.message]}) from exc


@extend_schema(tags=["satisfaction"])
class SatisfactionPromptView(NoStoreMixin, GenericAPIView):
    serializer_class = PendingPromptSerializer

    @extend_schema(summary="The satisfaction prompt due for me, if any", parameters=[SchoolQuerySerializer])
    def get(self, request):
        school = _member_school(request)
        prompt = satisfaction.pending_prompt(user=request.user, school=school)
        return Response(PendingPromptSerializer({"school": school.pk, "prompt": prompt}).data)


class SatisfactionAnswerView(NoStoreMixin, GenericAPIView):
    """Answers one kind of prompt; subclasses name the kind and the score's range."""

    kind = "csat"
    serializer_class = CsatAnswerSerializer

    def post(self, request):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer = _answer(request, kind=self.kind, score=serializer.validated_data["score"])
        return Response(SatisfactionResponseSerializer(answer).data, status=status.HTTP_201_CREATED)


ANSWER_RESPONSES = {201: SatisfactionResponseSerializer, 409: OpenApiResponse(description="Answered too recently.")}


@extend_schema_view(
    post=extend_schema(
        summary="Answer the satisfaction (CSAT) prompt: 1–5",
        parameters=[SchoolQuerySerializer],
        responses=ANSWER_RESPONSES,
    )
)
@extend_schema(tags=["satisfaction"])
class CsatAnswerView(SatisfactionAnswerView):
    kind = "csat"
    serializer_class = CsatAnswerSerializer


@extend_schema_view(
    post=extend_schema(
        summary="Answer the recommendation (NPS) prompt: 0–10",
        parameters=[SchoolQuerySerializer],
        responses=ANSWER_RESPONSES,
    )
)
@extend_schema(tags=["satisfaction"])
class NpsAnswerView(SatisfactionAnswerView):
    kind = "nps"
    serializer_class = NpsAnswerSerializer


@extend_schema(tags=["satisfaction"])
class SatisfactionDismissView(NoStoreMixin, GenericAPIView):
    serializer_class = SatisfactionDismissSerializer

    @extend_schema(
        summary="Dismiss the satisfaction prompt (counts for the rate limit)",
        parameters=[SchoolQuerySerializer],
        responses=ANSWER_RESPONSES,
    )
    def post(self, request):
        serializer = SatisfactionDismissSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer = _answer(request, kind=serializer.validated_data["kind"], dismissed=True)
        return Response(SatisfactionResponseSerializer(answer).data, status=status.HTTP_201_CREATED)


class AnalyticsBase(NoStoreMixin, GenericAPIView):
    def school(self, request, perm: str | None = None):
        query = WindowQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            school = analytics_school(request.user, query.validated_data.get("school"))
        except PermissionError:
            raise PermissionDenied(_("You cannot see this school's analytics.")) from None
        if perm and not has_school_perm(request.user, perm, school.pk):
            raise PermissionDenied()
        return school, query.validated_data["days"]


@extend_schema(tags=["analytics"])
class AnalyticsReportView(AnalyticsBase):
    serializer_class = AnalyticsReportSerializer

    @extend_schema(summary="Engagement, usage, behaviour and performance analytics", parameters=[WindowQuerySerializer])
    def get(self, request):
        school, days = self.school(request)
        report = engagement.school_report(school, engagement.Window.last_days(days))
        return Response(AnalyticsReportSerializer({"school": school.pk, **report}).data)


@extend_schema(tags=["analytics"])
class SatisfactionResultsView(AnalyticsBase):
    serializer_class = SatisfactionResultsSerializer

    @extend_schema(summary="Satisfaction results (CSAT, NPS, trend)", parameters=[SchoolQuerySerializer])
    def get(self, request):
        school, _days = self.school(request)
        return Response(SatisfactionResultsSerializer({"school": school.pk, **satisfaction.results(school)}).data)


def risk_payload(school) -> dict:
    report = risk.school_risk(school)
    names = {
        user.pk: user.get_full_name()
        for user in User.objects.filter(pk__in=[row["user_id"] for row in report["users"]])
    }
    for row in report["users"]:
        row["name"] = names.get(row["user_id"], "")
    return {"school": school.pk, **report}


@extend_schema(tags=["analytics"])
class RiskReportView(AnalyticsBase):
    serializer_class = RiskReportSerializer

    @extend_schema(summary="Disengagement risk of the school's staff, with factors", parameters=[SchoolQuerySerializer])
    def get(self, request):
        school, _days = self.school(request)
        return Response(RiskReportSerializer(risk_payload(school)).data)


@extend_schema(tags=["analytics"])
class RiskFitView(AnalyticsBase):
    serializer_class = RiskFitSerializer

    @extend_schema(
        summary="Fit the school's disengagement-risk model now",
        request=None,
        parameters=[SchoolQuerySerializer],
        responses={201: RiskFitSerializer},
    )
    def post(self, request):
        school, _days = self.school(request)
        try:
            fit = risk.fit_school_model(school=school)
        except risk.InsufficientData as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}, code="insufficient_data") from exc
        return Response(RiskFitSerializer(fit).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["analytics"])
class SchoolPolicyView(AnalyticsBase):
    serializer_class = SchoolPolicySerializer

    def _policy(self, school):
        return SchoolActivityPolicy.objects.filter(school=school).first() or SchoolActivityPolicy(
            school=school,
            retention_days=activity_service.settings.ACTIVITY_RETENTION_DAYS,
            prompt_interval_days=activity_service.settings.SATISFACTION_PROMPT_INTERVAL_DAYS,
        )

    @extend_schema(
        summary="The school's activity policy (retention, student tracking, prompts)",
        parameters=[SchoolQuerySerializer],
    )
    def get(self, request):
        school, _days = self.school(request)
        return Response(SchoolPolicySerializer(self._policy(school)).data)

    @extend_schema(summary="Change the school's activity policy", parameters=[SchoolQuerySerializer])
    def patch(self, request):
        school, _days = self.school(request, perm="accounts.manage_retention")
        serializer = SchoolPolicySerializer(self._policy(school), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        policy = call_service(
            activity_service.set_school_policy, actor=request.user, school=school, **serializer.validated_data
        )
        return Response(SchoolPolicySerializer(policy).data)
