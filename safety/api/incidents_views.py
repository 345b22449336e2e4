"""API for incident reports (never deleted: no DELETE; PATCH is an amendment with a reason),
their workflow, follow-up actions, guardian notices and analytics. Thin: parse, authorize, call
the services, serialize. Every retrieve of a report is audit-logged."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin, call_service
from accounts.models import School
from accounts.selectors import schools_where
from physed.models import PEClass
from safety.api import incidents_serializers as s
from safety.api.incidents_filters import GuardianNoticeFilter, IncidentActionFilter, IncidentFilter
from safety.models import GuardianNotice, Incident, IncidentAction
from safety.selectors import incidents as selectors
from safety.selectors.incidents_analytics import Period, analytics, parse_period
from safety.services import incidents as services
from safety.services import incidents_notices as notice_services

VIEW, ADD, CHANGE, MANAGE = services.VIEW, services.ADD, services.CHANGE, services.MANAGE
TAGS = ["safety-incidents"]


def _report_school(request, school: School | None) -> School:
    if school is not None:
        return school
    permitted = schools_where(request.user, ADD)
    if len(permitted) != 1:
        raise ValidationError({"school": [_("Say which school the report is for.")]})
    return School.objects.get(pk=permitted[0])


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Incident reports of the user's schools (filters, search)"),
    retrieve=extend_schema(
        tags=TAGS,
        summary="One report with its actions, amendments and notices (audited)",
        responses=s.IncidentDetailSerializer,
    ),
    create=extend_schema(
        tags=TAGS, summary="Report an incident or near miss", responses={201: s.IncidentDetailSerializer}
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="Correct a report: an amendment with a reason (old and new values are kept)",
        request=s.IncidentAmendSerializer,
        responses=s.IncidentDetailSerializer,
    ),
)
class IncidentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Incident.objects.select_related("school", "pe_class", "activity", "session", "reported_by")
    serializer_class = s.IncidentSerializer
    personal_data = True
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_permissions = {
        "transition": MANAGE,
        "add_action": MANAGE,
        "generate_notices": CHANGE,
        "analytics": VIEW,
    }
    filterset_class = IncidentFilter
    search_fields = [
        "reference",
        "location",
        "description",
        "students__student__last_name",
        "students__student__first_name",
    ]
    ordering_fields = ["occurred_at", "created_at", "severity", "status", "reference"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset.annotate(
                student_count=Count("students", distinct=True),
                open_actions=Count("actions", filter=Q(actions__completed_at__isnull=True), distinct=True),
            ).order_by("-occurred_at", "-pk")
        if self.action == "retrieve":
            return selectors.detail_queryset().filter(pk__in=queryset.values("pk"))
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return s.IncidentListSerializer
        if self.action == "partial_update":
            return s.IncidentAmendSerializer
        return s.IncidentSerializer

    def _detail(self, incident):
        fresh = selectors.detail_queryset().get(pk=incident.pk)
        return s.IncidentDetailSerializer(fresh, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        incident = self.get_object()
        services.record_view(actor=request.user, incident=incident)
        return Response(s.IncidentDetailSerializer(incident, context=self.get_serializer_context()).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        school = _report_school(request, data.pop("school", None))
        incident = call_service(services.report_incident, actor=request.user, school=school, **data)
        return Response(self._detail(incident), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        incident = self.get_object()
        serializer = s.IncidentAmendSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        call_service(services.amend_incident, actor=request.user, incident=incident, reason=reason, **data)
        return Response(self._detail(incident))

    @extend_schema(
        tags=TAGS,
        summary="Move the report along the workflow (closing needs every action completed)",
        request=s.IncidentTransitionSerializer,
        responses=s.IncidentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        incident = self.get_object()
        body = s.IncidentTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(
            services.transition,
            actor=request.user,
            incident=incident,
            to_status=body.validated_data["status"],
            reason=body.validated_data["reason"],
        )
        return Response(self._detail(incident))

    @extend_schema(
        tags=TAGS,
        summary="Add a follow-up action (owner: a staff member of the school)",
        request=s.IncidentActionCreateSerializer,
        responses={201: s.IncidentActionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="actions")
    def add_action(self, request, pk=None):
        incident = self.get_object()
        body = s.IncidentActionCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        created = call_service(services.add_action, actor=request.user, incident=incident, **body.validated_data)
        return Response(s.IncidentActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Generate the guardian notices (one per injured student, in the guardians' language)",
        request=None,
        responses={201: s.GuardianNoticeSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], url_path="guardian-notices", pagination_class=None, filter_backends=[])
    def generate_notices(self, request, pk=None):
        incident = self.get_object()
        notices = call_service(notice_services.generate_notices, actor=request.user, incident=incident)
        return Response(s.GuardianNoticeSerializer(notices, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Incident analytics: counts and rates per 1,000 participation-hours",
        parameters=[s.IncidentAnalyticsQuerySerializer],
        responses=s.IncidentAnalyticsSerializer,
    )
    @action(detail=False, methods=["get"])
    def analytics(self, request):
        query = s.IncidentAnalyticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        permitted = (
            School.objects.filter(pk__in=schools_where(request.user, VIEW))
            if not request.user.is_superuser
            else School.objects.all()
        )
        pe_class = None
        if "class" in data:
            pe_class = PEClass.objects.filter(pk=data["class"], school__in=permitted).select_related("school").first()
            if pe_class is None:
                raise ValidationError({"class": [_("No class with this id.")]})
        if "school" in data:
            school = permitted.filter(pk=data["school"]).first()
            if school is None:
                raise ValidationError({"school": [_("No school with this id.")]})
        else:
            school = pe_class.school if pe_class else permitted.order_by("pk").first()
        if pe_class is not None and pe_class.school_id != school.pk:
            raise ValidationError({"class": [_("No class with this id.")]})
        start, end = call_service(parse_period, start=data.get("from"), end=data.get("to"), today=timezone.localdate())
        result = analytics(school, Period(start, end, pe_class))
        return Response(s.IncidentAnalyticsSerializer({**result, "school": school.pk}).data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Follow-up actions (filter mine=true for my own)"),
    retrieve=extend_schema(tags=TAGS, summary="One follow-up action"),
)
class IncidentActionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = IncidentAction.objects.select_related("incident__school", "owner", "completed_by")
    serializer_class = s.IncidentActionSerializer
    personal_data = True
    required_permissions = {"list": VIEW, "retrieve": VIEW, "complete": VIEW}
    filterset_class = IncidentActionFilter
    search_fields = ["description", "incident__reference"]
    ordering_fields = ["due_date", "created_at", "completed_at"]

    @extend_schema(
        tags=TAGS,
        summary="Mark the action completed (its owner, or someone who manages incidents)",
        request=s.IncidentActionCompleteSerializer,
        responses=s.IncidentActionSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        item = self.get_object()
        body = s.IncidentActionCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = call_service(services.complete_action, actor=request.user, action=item, note=body.validated_data["note"])
        return Response(s.IncidentActionSerializer(done).data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Guardian notices: guardians see sent notices about their children"),
    retrieve=extend_schema(tags=TAGS, summary="One guardian notice"),
    partial_update=extend_schema(tags=TAGS, summary="Edit a notice before it is sent (staff)"),
)
class GuardianNoticeViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reads are scoped per person: staff who see incidents see the school's notices, a guardian
    sees the sent notices about their own children. Edits and sending are staff only."""

    queryset = GuardianNotice.objects.select_related("incident__school", "student")
    serializer_class = s.GuardianNoticeSerializer
    personal_data = True
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_permissions = {"list": None, "retrieve": None, "partial_update": CHANGE, "mark_sent": CHANGE}
    filterset_class = GuardianNoticeFilter
    search_fields = ["subject", "incident__reference"]
    ordering_fields = ["created_at", "sent_at"]

    def scope_queryset(self, queryset):
        queryset = super().scope_queryset(queryset)
        if self.action in ("list", "retrieve") and not self.request.user.is_superuser:
            user = self.request.user
            guardian_ids = selectors.notices_for_guardian(user).values("pk")
            queryset = queryset.filter(Q(incident__school__in=schools_where(user, VIEW)) | Q(pk__in=guardian_ids))
        return queryset

    def partial_update(self, request, *args, **kwargs):
        notice = self.get_object()
        body = s.GuardianNoticeSerializer(notice, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        updated = call_service(
            notice_services.edit_notice,
            actor=request.user,
            notice=notice,
            subject=body.validated_data.get("subject"),
            body=body.validated_data.get("body"),
        )
        return Response(s.GuardianNoticeSerializer(updated).data)

    @extend_schema(
        tags=TAGS,
        summary="Mark the notice sent: notifies the student's guardians who have accounts",
        request=None,
        responses=s.GuardianNoticeSerializer,
    )
    @action(detail=True, methods=["post"], url_path="mark-sent")
    def mark_sent(self, request, pk=None):
        notice = self.get_object()
        sent = call_service(notice_services.mark_sent, actor=request.user, notice=notice)
        return Response(s.GuardianNoticeSerializer(sent).data)
