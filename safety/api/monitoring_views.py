"""API: a session's live panel and risk score, alerts (list, acknowledge) and the school's risk
model (latest, history, refit). Thin: parse, authorize, call, serialize."""

import django_filters
from django.http import HttpResponseNotModified
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedReadOnlyViewSet, ScopedViewSetMixin, call_service
from accounts.models import School
from accounts.permissions import allowed_on_object
from accounts.selectors import schools_where
from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from safety.api import monitoring_serializers as s
from safety.models import RiskModel, SafetyAlert
from safety.selectors import monitoring as monitoring_selectors
from safety.selectors import risk_scoring
from safety.services import monitoring as monitoring_services
from safety.services import risk_scoring as risk_services

VIEW_ALERT = "safety.view_safetyalert"
CHANGE_ALERT = "safety.change_safetyalert"
VIEW_NEEDS = "safety.view_class_needs"
VIEW_MODEL = "safety.view_riskmodel"
ADD_MODEL = "safety.add_riskmodel"
TAGS = ["safety-monitoring"]


@extend_schema(tags=TAGS)
class SessionMonitoringViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """A session's live safety panel and its explainable risk score."""

    queryset = risk_scoring.session_queryset()
    serializer_class = s.SessionRiskSerializer
    personal_data = True
    required_permissions = {"risk": VIEW_ALERT, "live": VIEW_ALERT}

    @extend_schema(
        responses=s.SessionRiskSerializer,
        summary="The session's risk score (0-100), band, expected incidents and each factor's contribution",
    )
    @action(detail=True, methods=["get"])
    def risk(self, request, pk=None):
        session = self.get_object()
        risk = risk_scoring.score_session(session)
        return Response(s.SessionRiskSerializer(risk).data)

    @extend_schema(
        responses={200: s.LivePanelSerializer, 304: None},
        parameters=[OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False)],
        summary="The live safety panel as JSON; conditional GET (ETag of the panel data) answers 304 when unchanged",
    )
    @action(detail=True, methods=["get"])
    def live(self, request, pk=None):
        from safety.services.medical import record_class_needs_read

        session = self.get_object()
        panel = monitoring_services.refresh_panel(session, request.user)
        payload = monitoring_selectors.panel_payload(panel)
        etag = monitoring_selectors.panel_etag(payload, request.user)
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        if panel.can_see_needs and panel.needs:
            record_class_needs_read(
                request.user, session.pe_class.school, [n.student for n in panel.needs], f"session:{session.pk}"
            )
        response = Response(payload)
        response["ETag"] = etag
        return response


class SafetyAlertFilter(ScopedFilterSet):
    session = IdFilter(field_name="session__id")
    pe_class = IdFilter(field_name="session__pe_class__id")
    acknowledged = StrictBooleanFilter(field_name="acknowledged_at", lookup_expr="isnull", exclude=True)
    date = django_filters.DateFilter(field_name="session__date")

    class Meta:
        model = SafetyAlert
        fields = ["session", "pe_class", "level", "kind", "acknowledged", "date"]


@extend_schema(tags=TAGS)
class SafetyAlertViewSet(ScopedReadOnlyViewSet):
    """Alerts raised for sessions (each once per session and key); acknowledge one when handled."""

    queryset = SafetyAlert.objects.select_related("session__pe_class__school", "acknowledged_by")
    serializer_class = s.SafetyAlertSerializer
    required_permissions = {"list": VIEW_ALERT, "retrieve": VIEW_ALERT, "acknowledge": CHANGE_ALERT}
    filterset_class = SafetyAlertFilter
    search_fields = ["message", "session__pe_class__name"]
    ordering_fields = ["created_at", "level", "acknowledged_at"]

    @extend_schema(summary="List alerts (filter by session, class, level, kind, acknowledged, date)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One alert")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=None, responses=s.SafetyAlertSerializer, summary="Acknowledge an alert (once)")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = self.get_object()
        alert = call_service(monitoring_services.acknowledge_alert, actor=request.user, alert=alert)
        return Response(s.SafetyAlertSerializer(alert).data)


class RiskModelFilter(ScopedFilterSet):
    school = IdFilter(field_name="school__id")

    class Meta:
        model = RiskModel
        fields = ["school", "method"]


@extend_schema(tags=TAGS)
class RiskModelHistoryViewSet(ScopedReadOnlyViewSet):
    """Every fit of the schools' risk models, newest first."""

    queryset = RiskModel.objects.select_related("school")
    serializer_class = s.RiskModelSerializer
    required_permissions = {"list": VIEW_MODEL, "retrieve": VIEW_MODEL}
    filterset_class = RiskModelFilter
    ordering_fields = ["fitted_at", "incidents", "exposure_hours"]

    def get_serializer_class(self):
        return s.RiskModelDetailSerializer if self.action == "retrieve" else s.RiskModelSerializer

    @extend_schema(summary="List the risk model fits (filter by school, method)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One risk model fit with its rate ratios and 95% intervals")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


def _school_for(request, perm: str, school_id: int | None):
    """The school asked for (must be one where the user holds ``perm``), else the first such."""
    permitted = School.objects.filter(pk__in=schools_where(request.user, perm)).order_by("pk")
    if school_id is None:
        school = permitted.first()
        if school is None:
            raise PermissionDenied()
        return school
    school = permitted.filter(pk=school_id).first()
    if school is None:
        raise ValidationError({"school": [_("No school you may use here has this id.")]})
    return school


@extend_schema(tags=TAGS)
class RiskModelViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """The risk model in use for a school (``?school=``, default your first school), and refit."""

    queryset = RiskModel.objects.select_related("school")
    serializer_class = s.RiskModelDetailSerializer
    required_permissions = {"latest": VIEW_MODEL, "refit": ADD_MODEL}
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[s.RiskModelLatestQuerySerializer],
        responses={200: s.RiskModelDetailSerializer},
        summary="The latest risk model of the school: coefficients, standard errors, method and the data used",
    )
    def latest(self, request):
        query = s.RiskModelLatestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        school = _school_for(request, VIEW_MODEL, query.validated_data.get("school"))
        model = risk_scoring.latest_model(school)
        if model is None:  # never fitted: the documented priors are in use (id null, nothing stored)
            model = risk_scoring.prior_model(school)
        return Response(s.RiskModelDetailSerializer(model).data)

    @extend_schema(
        request=s.RiskModelRefitSerializer,
        responses={201: s.RiskModelDetailSerializer},
        summary="Refit the school's risk model now (Poisson fit of its history, else the documented priors)",
    )
    def refit(self, request):
        body = s.RiskModelRefitSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        school = body.validated_data.get("school")
        if school is not None and not allowed_on_object(request.user, ADD_MODEL, school):
            raise PermissionDenied()
        school = school or _school_for(request, ADD_MODEL, None)
        model = call_service(risk_services.refit_risk_model, school=school, actor=request.user)
        return Response(s.RiskModelDetailSerializer(model).data, status=status.HTTP_201_CREATED)
