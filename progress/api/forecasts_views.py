"""Forecast API: ``GET goals/{id}/forecast/`` (whoever may see the goal: staff with
``progress.view_goal``, the student, their guardians) and ``GET classes/{id}/forecasts/`` (the
class's teachers, department heads and school admins). Another school's object is 404."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin
from physed.models import PEClass
from progress.api import forecasts_serializers as s
from progress.models import Goal
from progress.selectors.at_risk import class_forecasts, staff_class_access
from progress.selectors.forecasts import goal_forecast
from progress.selectors.goals import goals_visible_to

TAGS = ["progress-forecasts"]
VIEW_GOAL = "progress.view_goal"


class GoalForecastViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = Goal.objects.select_related("school")
    serializer_class = s.GoalForecastSerializer
    required_permissions = {"forecast": None}  # visibility decides: goals_visible_to
    personal_data = True
    pagination_class = None
    filter_backends: list = []

    def scope_queryset(self, queryset):
        return queryset.filter(pk__in=goals_visible_to(self.request.user).values("pk"))

    @extend_schema(tags=TAGS, summary="Forecast of a goal at its deadline (trend, interval, chance, reasons)")
    @action(detail=True, methods=["get"])
    def forecast(self, request, pk=None):
        return Response(s.GoalForecastSerializer(goal_forecast(self.get_object())).data)


class ClassForecastsViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = PEClass.objects.select_related("school")
    serializer_class = s.ClassForecastsSerializer
    required_permissions = {"forecasts": VIEW_GOAL}
    personal_data = True
    pagination_class = None
    filter_backends: list = []

    @extend_schema(tags=TAGS, summary="Goal forecasts and at-risk students (with reasons) of a class")
    @action(detail=True, methods=["get"])
    def forecasts(self, request, pk=None):
        pe_class = self.get_object()
        if not staff_class_access(request.user, pe_class, VIEW_GOAL):
            raise PermissionDenied(_("You can see the forecasts of the classes you teach."))
        return Response(s.ClassForecastsSerializer(class_forecasts(pe_class)).data)
