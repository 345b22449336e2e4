"""API of preferences and in-app notifications: thin — parse, authorize, call a service."""

from django.utils.cache import add_never_cache_headers
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin, call_service
from accounts.api.preferences_serializers import (
    MarkedReadSerializer,
    NotificationSerializer,
    PreferencesSerializer,
    SchoolPreferenceDefaultsSerializer,
    UnreadCountSerializer,
)
from accounts.models import Notification, School, SchoolPreferenceDefaults
from accounts.services import notifications as notification_service
from accounts.services import preferences as service
from accounts.services.notification_events import configurable_events
from config.api.filters import FilterBackend, StrictBooleanFilter


class _NoStoreMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            add_never_cache_headers(response)
            response["Cache-Control"] = "private, no-store"
        return response


def preferences_payload(user) -> dict:
    own = service.user_choices(user)
    data = {name: getattr(own, name) for name in service.FIELDS}
    data["notification_channels"] = own.notification_channels or {}
    data["effective"] = service.effective_preferences(user)
    data["event_types"] = [
        {
            "key": event.key,
            "label": str(event.label),
            "in_app": event.in_app,
            "email": event.email,
            "mandatory_in_app": event.mandatory_in_app,
        }
        for event in configurable_events()
    ]
    return data


class MyPreferencesView(_NoStoreMixin, generics.GenericAPIView):
    """The signed-in user's preferences: null = not chosen (school default applies)."""

    serializer_class = PreferencesSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(PreferencesSerializer(preferences_payload(request.user)).data)

    def patch(self, request):
        serializer = PreferencesSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        call_service(
            service.update_preferences, actor=request.user, user=request.user, changes=serializer.validated_data
        )
        # the response speaks the language just chosen
        from django.utils import translation

        with translation.override(service.language_for(request.user)):
            return Response(PreferencesSerializer(preferences_payload(request.user)).data)


@extend_schema_view(
    retrieve=extend_schema(summary="A school's preference defaults"),
    partial_update=extend_schema(summary="Change a school's preference defaults (accounts.change_school)"),
)
class SchoolPreferenceDefaultsViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Defaults for the school's members; an other school's id is a 404."""

    queryset = SchoolPreferenceDefaults.objects.all()
    serializer_class = SchoolPreferenceDefaultsSerializer
    lookup_field = "school_id"
    lookup_url_kwarg = "school_id"
    required_permissions = {"retrieve": "accounts.view_school", "partial_update": "accounts.change_school"}

    def _school(self):
        school = get_object_or_404(School.objects.visible_to(self.request.user), pk=self.kwargs["school_id"])
        self.check_object_permissions(self.request, school)
        return school

    def retrieve(self, request, school_id=None):
        return Response(SchoolPreferenceDefaultsSerializer(service.school_defaults(self._school())).data)

    def partial_update(self, request, school_id=None):
        school = self._school()
        serializer = SchoolPreferenceDefaultsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        defaults = call_service(
            service.update_school_defaults, actor=request.user, school=school, changes=serializer.validated_data
        )
        return Response(SchoolPreferenceDefaultsSerializer(defaults).data)


class NotificationFilter(filters.FilterSet):
    unread = StrictBooleanFilter(field_name="read_at", lookup_expr="isnull", label="only unread (true) or read (false)")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(_NoStoreMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's own in-app notifications, newest first."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    filter_backends = [FilterBackend, OrderingFilter]

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, pk=None):
        notification = get_object_or_404(self.get_queryset(), pk=pk)
        notification_service.mark_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notification_service.mark_all_read(user=request.user)}, status=status.HTTP_200_OK)

    @extend_schema(responses=UnreadCountSerializer, filters=False)
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request):
        return Response({"unread": notification_service.unread_count(request.user)})
