"""API for goals (CRUD with approve/reject/cancel actions; milestones nested in the goal body),
progress entries (list, manual create) and a student's progress summary. Thin: parse, authorize,
call the service, serialize. Students and guardians see their own (``progress.selectors.goals``);
the services decide who may write (a student may propose a goal for themselves)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin, call_service
from physed.models import Student
from progress.api import goals_serializers as s
from progress.api.goals_filters import GoalFilter, ProgressEntryFilter
from progress.models import Goal, ProgressEntry
from progress.selectors import goals as selectors
from progress.selectors.for_reports import achievements_for_student
from progress.services import entries as entry_services
from progress.services import goals as services

TAGS = ["progress-goals"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List goals (students and guardians: their own)"),
    retrieve=extend_schema(tags=TAGS, summary="One goal with milestones and current progress"),
    create=extend_schema(
        tags=TAGS,
        request=s.GoalWriteSerializer,
        responses={201: s.GoalSerializer},
        summary="Set a goal (staff), or propose one for yourself (student)",
    ),
    update=extend_schema(tags=TAGS, request=s.GoalUpdateSerializer, summary="Edit a goal (milestones replace all)"),
    partial_update=extend_schema(tags=TAGS, request=s.GoalUpdateSerializer, summary="Edit a goal"),
    destroy=extend_schema(tags=TAGS, summary="Delete a goal"),
)
class GoalViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = Goal.objects.all()
    serializer_class = s.GoalSerializer
    filterset_class = GoalFilter
    search_fields = ["title", "metric_label", "student__first_name", "student__last_name", "pe_class__name"]
    ordering_fields = ["deadline", "start_date", "status", "title", "created_at"]
    ordering = ["deadline", "pk"]
    personal_data = True
    # reads are narrowed by the goal selector (staff or linked student/guardian); writes by the services
    required_permissions = {
        name: None
        for name in ("list", "retrieve", "create", "update", "partial_update", "destroy", "approve", "reject", "cancel")
    }

    def scope_queryset(self, queryset):
        return selectors.list_queryset(selectors.goals_visible_to(self.request.user))

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        context = self.get_serializer_context()
        context["_progress"] = selectors.progress_for(rows)
        data = s.GoalSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _detail(self, goal, code=status.HTTP_200_OK):
        fresh = selectors.list_queryset(Goal.objects.filter(pk=goal.pk)).get()
        return Response(s.GoalSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        body = s.GoalWriteSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        goal = call_service(services.create_goal, actor=request.user, **body.validated_data)
        return self._detail(goal, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        goal = self.get_object()
        body = s.GoalUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        goal = call_service(services.update_goal, actor=request.user, goal=goal, **body.validated_data)
        return self._detail(goal)

    def perform_destroy(self, instance):
        call_service(services.delete_goal, actor=self.request.user, goal=instance)

    def _decision(self, request, fn):
        goal = self.get_object()
        body = s.GoalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        goal = call_service(fn, actor=request.user, goal=goal, note=body.validated_data.get("note", ""))
        return self._detail(goal)

    @extend_schema(
        tags=TAGS,
        request=s.GoalDecisionSerializer,
        responses={200: s.GoalSerializer},
        summary="Approve a proposed goal",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decision(request, services.approve_goal)

    @extend_schema(
        tags=TAGS,
        request=s.GoalDecisionSerializer,
        responses={200: s.GoalSerializer},
        summary="Reject a proposed goal (note required)",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decision(request, services.reject_goal)

    @extend_schema(
        tags=TAGS, request=s.GoalDecisionSerializer, responses={200: s.GoalSerializer}, summary="Cancel a goal"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._decision(request, services.cancel_goal)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List progress entries (students and guardians: their own)"),
    retrieve=extend_schema(tags=TAGS, summary="One progress entry"),
    create=extend_schema(
        tags=TAGS,
        request=s.ProgressEntryCreateSerializer,
        responses={201: s.ProgressEntrySerializer},
        summary="Enter a value by hand",
    ),
)
class ProgressEntryViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ProgressEntry.objects.select_related("student")
    serializer_class = s.ProgressEntrySerializer
    filterset_class = ProgressEntryFilter
    ordering_fields = ["date", "metric_key", "value", "created_at"]
    ordering = ["-date", "-pk"]
    personal_data = True
    required_permissions = {"list": None, "retrieve": None, "create": entry_services.ADD_ENTRY}

    def scope_queryset(self, queryset):
        return selectors.entries_visible_to(self.request.user).select_related("student")

    def create(self, request, *args, **kwargs):
        body = s.ProgressEntryCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        entry = call_service(entry_services.add_manual_entry, actor=request.user, **body.validated_data)
        return Response(s.ProgressEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class StudentProgressViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """``/students/{id}/progress/``: a student's goals (own and class), badges and entry count."""

    queryset = Student.objects.all()
    lookup_value_regex = "[0-9]+"  # anything else is the JSON 404 of an unknown path, not a 500
    serializer_class = s.StudentProgressSerializer
    personal_data = True
    required_permissions = {"progress": None}

    @extend_schema(
        tags=TAGS,
        responses={200: s.StudentProgressSerializer, 404: OpenApiResponse(description="Not found")},
        summary="A student's progress summary (students and guardians: their own)",
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        student = get_object_or_404(Student.objects.visible_to(request.user), pk=pk)
        if not selectors.can_view_student(request.user, student):
            if selectors.is_staff_viewer(request.user, student.school_id, "physed.view_student"):
                raise PermissionDenied
            from django.http import Http404

            raise Http404
        goals = selectors.list_queryset(
            selectors.goals_visible_to(request.user).filter(pk__in=_goal_ids_for(student))
        ).order_by("deadline", "pk")
        awards = achievements_for_student(student)
        payload = {
            "student": student.pk,
            "name": student.display_name,
            "goals": goals,
            "achievements": [
                {
                    "id": award.pk,
                    "badge": award.definition.name,
                    "icon": award.definition.icon,
                    "awarded_on": award.awarded_on,
                    "reasons": (award.evidence or {}).get("reasons", []),
                }
                for award in awards
            ],
            "entries_count": ProgressEntry.objects.filter(student=student).count(),
        }
        return Response(s.StudentProgressSerializer(payload, context=self.get_serializer_context()).data)


def _goal_ids_for(student):
    from django.db.models import Q

    classes = selectors._class_ids_of([student.pk])
    return Goal.objects.filter(Q(student=student) | Q(pe_class_id__in=classes)).values_list("pk", flat=True)
