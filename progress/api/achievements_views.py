"""API for badges: definitions (every member reads the shipped ones and their school's; staff
with ``change_achievementdefinition`` add and edit the school's own, rules validated) and awards
(read; students and guardians see their own)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from accounts.api.base import ScopedReadOnlyViewSet, ScopedViewSetMixin, call_service, resolve_school
from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from physed.api.fields import update_body_schema
from progress.api import achievements_serializers as s
from progress.models import Achievement, AchievementDefinition
from progress.selectors import goals as selectors
from progress.services import achievements as services

TAGS = ["progress-achievements"]


class AchievementFilter(ScopedFilterSet):
    student = IdFilter(field_name="student__id", label=_("student"))
    definition = IdFilter(field_name="definition__id", label=_("badge"))
    pe_class = IdFilter(method="filter_class", label=_("class (current enrollments)"))

    class Meta:
        model = Achievement
        fields = ["student", "definition"]

    def filter_class(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            student__enrollments__pe_class_id=value, student__enrollments__status="active"
        ).distinct()


class DefinitionFilter(ScopedFilterSet):
    shipped = StrictBooleanFilter(field_name="school", lookup_expr="isnull", label=_("shipped badges"))

    class Meta:
        model = AchievementDefinition
        fields = ["active"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List badge definitions (shipped and the school's own)"),
    retrieve=extend_schema(tags=TAGS, summary="One badge definition"),
    create=extend_schema(tags=TAGS, summary="Add a school badge (rule validated)"),
    update=extend_schema(tags=TAGS, summary="Edit a school badge"),
    partial_update=extend_schema(tags=TAGS, summary="Edit a school badge"),
    destroy=extend_schema(tags=TAGS, summary="Delete a school badge (and its awards)"),
)
@update_body_schema(s.AchievementDefinitionSerializer, "school")
class AchievementDefinitionViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = AchievementDefinition.objects.all()
    serializer_class = s.AchievementDefinitionSerializer
    filterset_class = DefinitionFilter
    search_fields = ["name", "code", "description"]
    ordering_fields = ["name", "code"]
    ordering = ["name", "pk"]
    # shipped rows have no school: object checks happen in the service (403 for shipped ones)
    required_permissions = {
        "list": None,
        "retrieve": None,
        "create": services.CHANGE,
        "update": None,
        "partial_update": None,
        "destroy": None,
    }

    def scope_queryset(self, queryset):
        return queryset.visible_to(self.request.user).annotate(award_count=Count("awards"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        school = resolve_school(self.request.user, services.CHANGE, data.pop("school", None))
        serializer.instance = call_service(services.create_definition, actor=self.request.user, school=school, **data)

    def perform_update(self, serializer):
        serializer.instance = call_service(
            services.update_definition,
            actor=self.request.user,
            definition=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        call_service(services.delete_definition, actor=self.request.user, definition=instance)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List awarded badges (filter student, class, badge)"),
    retrieve=extend_schema(tags=TAGS, summary="One award with its evidence"),
)
class AchievementViewSet(ScopedReadOnlyViewSet):
    queryset = Achievement.objects.select_related("definition", "student")
    serializer_class = s.AchievementSerializer
    filterset_class = AchievementFilter
    ordering_fields = ["awarded_on", "created_at"]
    ordering = ["-awarded_on", "pk"]
    personal_data = True
    required_permissions = {"list": None, "retrieve": None}

    def scope_queryset(self, queryset):
        return selectors.achievements_visible_to(self.request.user).select_related("definition", "student")


__all__ = ["AchievementDefinitionViewSet", "AchievementViewSet"]
