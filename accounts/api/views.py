from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts import services
from accounts.api.base import ScopedRetrieveUpdateViewSet, call_service
from accounts.api.profile_serializers import flatten_profile_data
from accounts.api.serializers import MeSerializer, SchoolSerializer
from accounts.models import School
from accounts.selectors_profiles import profile_of
from accounts.services import profiles as profile_services


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


@extend_schema(tags=["me"])
class MeView(NoStoreMixin, generics.GenericAPIView):
    """The signed-in user's own account and current memberships."""

    serializer_class = MeSerializer

    def get(self, request):
        request.user.profile = profile_of(request.user)  # a read never writes: defaults if none yet
        return Response(self.get_serializer(request.user).data)

    def patch(self, request):
        profile_services.profile_for(request.user)
        serializer = self.get_serializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = call_service(
            profile_services.update_user_profile,
            actor=request.user,
            user=request.user,
            **flatten_profile_data(serializer.validated_data),
        )
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
