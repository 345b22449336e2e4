"""API for adaptation profiles, a session's adaptation proposals (and decisions on them), class
and student recommendations, and recommendation feedback. Thin: parse, authorize, call, serialize."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedViewSetMixin, call_service
from accounts.permissions import allowed_on_object
from physed.api import adaptation_serializers as s
from physed.api.fields import update_body_schema
from physed.engines.data import adaptation_config, recommendation_config
from physed.models import (
    AdaptationProfile,
    AdaptationProposal,
    ClassSession,
    PEClass,
    RecommendationFeedback,
    SessionBlock,
    Student,
)
from physed.selectors import adaptation as adaptation_selectors
from physed.selectors import recommendation as recommendation_selectors
from physed.services import adaptation as adaptation_services
from physed.services import recommendation as recommendation_services

VIEW_PROFILE = "physed.view_adaptationprofile"
CHANGE_PROFILE = "physed.change_adaptationprofile"
VIEW_PROPOSAL = "physed.view_adaptationproposal"
CHANGE_PROPOSAL = "physed.change_adaptationproposal"

PROFILE_FIELDS = adaptation_services.PROFILE_FIELDS


@extend_schema(tags=["physed-adaptation"])
@update_body_schema(s.AdaptationProfileSerializer, "student")
class AdaptationProfileViewSet(ScopedModelViewSet):
    """Students' adaptation profiles (IEP/504 flags, restrictions, skill level, preferred
    modifications). The list leaves out notes; reading one profile's notes is audit-logged."""

    queryset = AdaptationProfile.objects.select_related("student__school")
    serializer_class = s.AdaptationProfileSerializer
    personal_data = True
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_permissions = {"create": CHANGE_PROFILE}
    filterset_fields = ["student", "has_iep", "has_504", "skill_level"]
    search_fields = ["student__first_name", "student__last_name", "student__preferred_name", "student__external_id"]
    ordering_fields = ["student__last_name", "skill_level", "updated_at"]

    def get_serializer_class(self):
        return s.AdaptationProfileListSerializer if self.action == "list" else s.AdaptationProfileSerializer

    def retrieve(self, request, *args, **kwargs):
        profile = self.get_object()
        adaptation_services.record_profile_read(actor=request.user, profile=profile)
        return Response(self.get_serializer(profile).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        student = data.pop("student")
        if not allowed_on_object(self.request.user, CHANGE_PROFILE, student):
            raise PermissionDenied()
        if AdaptationProfile.objects.filter(student=student).exists():
            raise ValidationError({"student": [_("This student already has a profile; update it instead.")]})
        serializer.instance = call_service(
            adaptation_services.save_profile, actor=self.request.user, student=student, **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in PROFILE_FIELDS}
        serializer.instance = call_service(
            adaptation_services.save_profile, actor=self.request.user, student=serializer.instance.student, **data
        )


@extend_schema(tags=["physed-adaptation"])
class AdaptationProposalViewSet(ScopedReadOnlyViewSet):
    """Proposals made for sessions, with the decisions taken on them (history)."""

    queryset = AdaptationProposal.objects.select_related("student", "activity", "block", "session__pe_class__school")
    serializer_class = s.AdaptationProposalSerializer
    personal_data = True
    required_permissions = {"list": VIEW_PROPOSAL, "retrieve": VIEW_PROPOSAL}
    filterset_fields = ["session", "student", "status", "kind", "direction", "required"]
    ordering_fields = ["created_at", "score", "decided_at"]


def _block_for(session: ClassSession, block_id: int | None, user) -> SessionBlock | None:
    if block_id is None:
        return None
    block = (
        SessionBlock.objects.visible_to(user)
        .filter(pk=block_id, session__pe_class_id=session.pe_class_id, activity__isnull=False)
        .select_related("activity", "session")
        .first()
    )
    if block is None:
        raise ValidationError({"block": [_("No activity block of this class has this id.")]})
    return block


def _session_payload(session, block) -> dict:
    proposals = adaptation_selectors.session_proposals(session, block) if block else []
    return {
        "session": session.pk,
        "block": block,
        "threshold": adaptation_config()["display_threshold"],
        "proposals": proposals,
    }


@extend_schema(tags=["physed-adaptation"])
class SessionAdaptationViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """The adaptation engine on a session: proposals for the next block, and decisions on them."""

    queryset = ClassSession.objects.select_related("pe_class__school")
    serializer_class = s.SessionAdaptationsSerializer
    personal_data = True
    required_permissions = {"adaptations": VIEW_PROPOSAL, "decide": CHANGE_PROPOSAL}

    @extend_schema(
        parameters=[s.SessionAdaptationsQuerySerializer],
        responses=s.SessionAdaptationsSerializer,
        summary="Compute and list the adaptation proposals for the session's next block",
    )
    @action(detail=True, methods=["get"], url_path="adaptations")
    def adaptations(self, request, pk=None):
        session = self.get_object()
        query = s.SessionAdaptationsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        block = _block_for(session, query.validated_data.get("block"), request.user)
        block = adaptation_services.refresh_proposals(session=session, block=block)
        return Response(s.SessionAdaptationsSerializer(_session_payload(session, block)).data)

    @extend_schema(
        request=s.DecisionsSerializer,
        responses=s.DecidedSerializer,
        summary="Accept or reject proposals (re-weights the school's future proposals)",
    )
    @adaptations.mapping.post
    def decide(self, request, pk=None):
        session = self.get_object()
        serializer = s.DecisionsSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data["decisions"]
        if any(item["proposal"].session_id != session.pk for item in items):
            raise ValidationError({"decisions": [_("Every proposal must belong to this session.")]})
        decided = [
            call_service(
                adaptation_services.decide_proposal,
                actor=request.user,
                proposal=item["proposal"],
                accepted=item["accepted"],
                note=item.get("note", ""),
            )
            for item in items
        ]
        return Response({"decided": s.AdaptationProposalSerializer(decided, many=True).data})


def _filters(request, *, pe_class: PEClass | None) -> recommendation_selectors.Filters:
    query = s.RecommendationQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    session = None
    if "session" in data:
        session = ClassSession.objects.visible_to(request.user).filter(pk=data["session"]).first()
        if session is None or (pe_class is not None and session.pe_class_id != pe_class.pk):
            raise ValidationError({"session": [_("No session of this class has this id.")]})
    return recommendation_selectors.Filters(
        limit=data.get("limit", recommendation_config()["default_limit"]),
        equipment=data.get("equipment"),
        duration=data.get("duration"),
        space=data.get("space"),
        session=session,
    )


RECOMMENDATION_SCHEMA = {
    "parameters": [s.RecommendationQuerySerializer],
    "responses": s.RecommendationsSerializer,
}


@extend_schema(tags=["physed-recommendations"])
class ClassRecommendationViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = PEClass.objects.select_related("school")
    serializer_class = s.RecommendationsSerializer
    required_permissions = {"recommendations": VIEW_PROPOSAL}

    @extend_schema(
        summary="Activities ranked for the class, with a score breakdown and reasons", **RECOMMENDATION_SCHEMA
    )
    @action(detail=True, methods=["get"])
    def recommendations(self, request, pk=None):
        pe_class = self.get_object()
        ranking = recommendation_selectors.recommend_for_class(pe_class, _filters(request, pe_class=pe_class))
        return Response(s.RecommendationsSerializer(recommendation_selectors.present(ranking)).data)


@extend_schema(tags=["physed-recommendations"])
class StudentRecommendationViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = Student.objects.select_related("school")
    serializer_class = s.RecommendationsSerializer
    personal_data = True
    required_permissions = {"recommendations": VIEW_PROPOSAL}

    @extend_schema(
        summary="Activities ranked for one student (own gaps, restrictions, skill level)", **RECOMMENDATION_SCHEMA
    )
    @action(detail=True, methods=["get"])
    def recommendations(self, request, pk=None):
        student = self.get_object()
        ranking = recommendation_selectors.recommend_for_student(student, _filters(request, pe_class=None))
        return Response(s.RecommendationsSerializer(recommendation_selectors.present(ranking)).data)


@extend_schema(tags=["physed-recommendations"])
class RecommendationFeedbackViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Picks (optionally adding the activity to a session) and dismissals of recommendations."""

    queryset = RecommendationFeedback.objects.select_related("activity", "pe_class__school", "actor")
    serializer_class = s.RecommendationFeedbackSerializer
    required_permissions = {"list": VIEW_PROPOSAL, "retrieve": VIEW_PROPOSAL, "create": CHANGE_PROPOSAL}
    filterset_fields = ["pe_class", "activity", "action", "session"]
    search_fields = ["activity__name", "reason"]
    ordering_fields = ["created_at"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not allowed_on_object(self.request.user, CHANGE_PROPOSAL, data["pe_class"]):
            raise PermissionDenied()
        serializer.instance = call_service(
            recommendation_services.record_feedback,
            actor=self.request.user,
            pe_class=data["pe_class"],
            activity=data["activity"],
            action=data["action"],
            reason=data.get("reason", ""),
            session=data.get("session"),
            score=data.get("score"),
        )
