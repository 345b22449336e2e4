from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from accounts import services
from accounts.api.base import ScopedRetrieveUpdateViewSet
from accounts.api.serializers import (
    EmailTokenObtainPairSerializer,
    LogoutSerializer,
    MeSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
    SchoolSerializer,
    TokenPairResponseSerializer,
)
from accounts.models import School


def _service_call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except services.ServiceError as exc:
        raise ValidationError({exc.field or "non_field_errors": [exc.message]}, code=exc.code) from exc


class NoStoreMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(tags=["auth"], responses={201: RegisteredUserSerializer})
class RegisterView(NoStoreMixin, generics.GenericAPIView):
    """Create an account. It has no school access until a school grants a membership."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    serializer_class = RegisterSerializer
    throttle_scope = "auth"

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _service_call(services.register_user, **serializer.validated_data)
        return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"], responses={200: TokenPairResponseSerializer})
class TokenView(NoStoreMixin, TokenObtainPairView):
    """Email + password → access (5 minutes) and refresh tokens."""

    serializer_class = EmailTokenObtainPairSerializer
    throttle_scope = "auth"
    authentication_classes: list = []


@extend_schema(tags=["auth"])
class TokenRotateView(NoStoreMixin, TokenRefreshView):
    """Refresh → new access and a new refresh; the old refresh is blacklisted (rotation)."""

    throttle_scope = "auth"
    authentication_classes: list = []


@extend_schema(tags=["auth"], request=LogoutSerializer, responses={204: None})
class LogoutView(NoStoreMixin, APIView):
    """Blacklists the given refresh token of the signed-in user."""

    throttle_scope = "auth"

    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _service_call(services.logout_refresh_token, user=request.user, refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["me"])
class MeView(NoStoreMixin, generics.GenericAPIView):
    """The signed-in user's own account and current memberships."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(self.get_serializer(request.user).data)

    def patch(self, request):
        serializer = self.get_serializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.update_profile(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(user).data)


@extend_schema(tags=["schools"])
class SchoolViewSet(ScopedRetrieveUpdateViewSet):
    """Schools the user belongs to; school admins may update their school's settings."""

    queryset = School.objects.all()
    serializer_class = SchoolSerializer
    filterset_fields = ["country"]
    search_fields = ["name", "slug"]
    ordering_fields = ["name"]

    def perform_update(self, serializer):
        serializer.instance = services.update_school(school=serializer.instance, **serializer.validated_data)
