"""Library API: activities and exercises (shipped + the school's own; writes only on the school's
own rows, "duplicate" for the rest) and read-only reference lists (equipment, muscle groups,
SHAPE standards and indicators). Thin: filters come from ``physed.selectors.library_filters``,
writes from ``physed.services.library``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.api.base import ScopedPermission, ServiceBackedViewSet, call_service, required_permission
from accounts.permissions import allowed_somewhere
from config.api.filters import FilterBackend
from physed.api import library_serializers as s
from physed.models import Activity, EquipmentType, Exercise, GradeSpanIndicator, MuscleGroup, PEStandard
from physed.selectors import library as selectors
from physed.selectors.library_filters import ActivityFilterSet, ExerciseFilterSet
from physed.services import library as services


class LibraryPermission(ScopedPermission):
    """Shipped rows have no school: reading (and duplicating) needs the permission in some school;
    changing or deleting them is refused with the way forward (duplicate it)."""

    def has_object_permission(self, request, view, obj):
        if obj.school_id is not None:
            return super().has_object_permission(request, view, obj)
        perm = required_permission(view, request)
        if not allowed_somewhere(request.user, perm):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "action", None) == "duplicate":
            return True
        raise PermissionDenied(services.shipped_read_only_message(), code="shipped_read_only")


class _LibraryViewSet(ServiceBackedViewSet):
    permission_classes = [LibraryPermission]
    filter_backends = [FilterBackend]
    spec_name = ""

    def restrict_to_permitted_schools(self, queryset):
        return selectors.with_school_rows_where(queryset, self.request.user, required_permission(self, self.request))

    # set by each library viewset: its list selector (the detail selector and the serializers per
    # action as in ServiceBackedViewSet)
    list_queryset = staticmethod(lambda queryset: queryset)

    def get_queryset(self):
        queryset = super().get_queryset()
        return self.list_queryset(queryset) if self.action == "list" else self.detail_queryset(queryset)

    def _duplicate(self, request):
        source = self.get_object()
        serializer = s.DuplicateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        copy = call_service(
            self.duplicate_service,
            actor=request.user,
            school=serializer.validated_data.get("school"),
            **{self.spec_name: source},
        )
        return Response(self._detail(copy), status=status.HTTP_201_CREATED)


@extend_schema(tags=["library"])
@extend_schema_view(
    create=extend_schema(request=s.ActivityCreateSerializer, responses={201: s.ActivityDetailSerializer}),
    update=extend_schema(request=s.ActivityWriteSerializer, responses=s.ActivityDetailSerializer),
    partial_update=extend_schema(request=s.ActivityWriteSerializer, responses=s.ActivityDetailSerializer),
)
class ActivityViewSet(_LibraryViewSet):
    """Activities: the shipped library plus the school's own. Search (``search``: name, description,
    skills), filters and ``ordering`` (name, difficulty, duration, created; ``-`` for descending)."""

    queryset = Activity.objects.all()
    filterset_class = ActivityFilterSet
    required_permissions = {"duplicate": "physed.add_activity"}
    spec_name = "activity"
    detail_serializer_class = s.ActivityDetailSerializer
    create_service = staticmethod(services.create_activity)
    update_service = staticmethod(services.update_activity)
    delete_service = staticmethod(services.delete_activity)
    duplicate_service = staticmethod(services.duplicate_activity)

    list_queryset = staticmethod(selectors.activity_list_queryset)
    detail_queryset = staticmethod(selectors.activity_detail_queryset)
    serializer_classes = {
        "list": s.ActivityListSerializer,
        "create": s.ActivityCreateSerializer,
        "update": s.ActivityWriteSerializer,
        "partial_update": s.ActivityWriteSerializer,
        "duplicate": s.DuplicateSerializer,
    }

    @extend_schema(request=s.DuplicateSerializer, responses={201: s.ActivityDetailSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        """Copy a shipped (or the school's own) activity into the school, to customise it."""
        return self._duplicate(request)


@extend_schema(tags=["library"])
@extend_schema_view(
    create=extend_schema(request=s.ExerciseCreateSerializer, responses={201: s.ExerciseDetailSerializer}),
    update=extend_schema(request=s.ExerciseWriteSerializer, responses=s.ExerciseDetailSerializer),
    partial_update=extend_schema(request=s.ExerciseWriteSerializer, responses=s.ExerciseDetailSerializer),
)
class ExerciseViewSet(_LibraryViewSet):
    """Exercises: the shipped library plus the school's own. Search (``search``: name, instructions,
    contraindications), filters (category, muscle, equipment, difficulty, fitness component, source)
    and ``ordering`` (name, difficulty, created)."""

    queryset = Exercise.objects.all()
    filterset_class = ExerciseFilterSet
    required_permissions = {"duplicate": "physed.add_exercise"}
    spec_name = "exercise"
    detail_serializer_class = s.ExerciseDetailSerializer
    create_service = staticmethod(services.create_exercise)
    update_service = staticmethod(services.update_exercise)
    delete_service = staticmethod(services.delete_exercise)
    duplicate_service = staticmethod(services.duplicate_exercise)

    list_queryset = staticmethod(selectors.exercise_list_queryset)
    detail_queryset = staticmethod(selectors.exercise_detail_queryset)
    serializer_classes = {
        "list": s.ExerciseListSerializer,
        "create": s.ExerciseCreateSerializer,
        "update": s.ExerciseWriteSerializer,
        "partial_update": s.ExerciseWriteSerializer,
        "duplicate": s.DuplicateSerializer,
    }

    @extend_schema(request=s.DuplicateSerializer, responses={201: s.ExerciseDetailSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        """Copy a shipped (or the school's own) exercise into the school, to customise it."""
        return self._duplicate(request)


class LibraryReader(permissions.IsAuthenticated):
    """Reference data of the shipped library: anyone who may browse the library somewhere."""

    message = _("You do not have permission to browse the library.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and allowed_somewhere(request.user, "physed.view_activity")


class _ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [LibraryReader]
    filter_backends = [FilterBackend, filters.SearchFilter, filters.OrderingFilter]


@extend_schema(tags=["library"])
class EquipmentTypeViewSet(_ReferenceViewSet):
    """Kinds of equipment activities and exercises use (keys are the slugs used in filters)."""

    queryset = EquipmentType.objects.all()
    serializer_class = s.EquipmentTypeSerializer
    filterset_fields = ["slug"]
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "slug"]


@extend_schema(tags=["library"])
class MuscleGroupViewSet(_ReferenceViewSet):
    queryset = MuscleGroup.objects.all()
    serializer_class = s.MuscleGroupSerializer
    filterset_fields = ["slug"]
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "slug"]


@extend_schema(tags=["library"])
class StandardViewSet(_ReferenceViewSet):
    """SHAPE America 2024 standards with their grade-span indicators. Indicator descriptions
    flagged ``is_paraphrase`` are our own words, not SHAPE America's text."""

    queryset = PEStandard.objects.prefetch_related("indicators")
    serializer_class = s.StandardSerializer
    filterset_fields = ["number"]
    search_fields = ["short_name", "summary"]
    ordering_fields = ["number"]


@extend_schema(tags=["library"])
class IndicatorViewSet(_ReferenceViewSet):
    """Grade-span indicators, filterable by standard number and grade span."""

    queryset = GradeSpanIndicator.objects.select_related("standard")
    serializer_class = s.IndicatorSerializer
    filterset_fields = {"standard__number": ["exact"], "grade_band": ["exact"], "code": ["exact"]}
    search_fields = ["code", "description", "content_category"]
    ordering_fields = ["code", "grade_band"]


__all__ = [
    "ActivityViewSet",
    "EquipmentTypeViewSet",
    "ExerciseViewSet",
    "IndicatorViewSet",
    "MuscleGroupViewSet",
    "StandardViewSet",
]
