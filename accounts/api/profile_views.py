"""Profile API: the user list for school admins (their school only), staff verification,
deactivation, and profile pictures (upload/remove one's own; a permission-checked view that
streams anyone's picture their privacy settings allow)."""

import django_filters
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.base import ScopedPermission, ScopedViewSetMixin, call_service, required_permission
from accounts.api.profile_serializers import (
    AvatarUploadSerializer,
    UserAvatarResponse,
    UserProfileSerializer,
    VerifyStaffSerializer,
    avatar_urls,
    flatten_profile_data,
)
from accounts.api.views import NoStoreMixin
from accounts.images import OUTPUT_CONTENT_TYPE
from accounts.models import Membership, Role, School, StaffRecord, User
from accounts.selectors import schools_where
from accounts.selectors_profiles import (
    AVATAR_SIZES,
    can_see_avatar,
    profile_of,
    schools_where_viewer_may,
    with_profile_data,
)
from accounts.services import profiles as profile_services
from config.api.filters import IdFilter, StrictBooleanFilter, is_possible_id

VIEW, CHANGE, VERIFY = "accounts.view_user", "accounts.change_user", "accounts.verify_staff"


class UserPermission(ScopedPermission):
    """A user belongs to every school where they hold a current membership: the viewer needs the
    codename in one of those schools that is also theirs."""

    def has_object_permission(self, request, view, obj):
        perm = required_permission(view, request)
        if perm is None:
            return True
        return bool(schools_where_viewer_may(request.user, perm, obj))


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role", label="Current role")
    school = IdFilter(method="filter_school", label="School id")
    verified_staff = StrictBooleanFilter(method="filter_verified", label="Verified as staff")

    class Meta:
        model = User
        fields = ["role", "school", "verified_staff"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(pk__in=Membership.objects.active().filter(role=value).values("user_id"))

    def filter_school(self, queryset, name, value):
        return queryset.in_schools([value]) if is_possible_id(value) else queryset.none()

    def filter_verified(self, queryset, name, value):
        verified = StaffRecord.objects.verified().values("user_id")
        return queryset.filter(pk__in=verified) if value else queryset.exclude(pk__in=verified)


def _one_school(user, perm, target, wanted: int | None) -> School:
    schools = schools_where_viewer_may(user, perm, target)
    if wanted is not None:
        if wanted not in schools:
            raise ValidationError({"school": [_("You do not administer this member in that school.")]})
        return School.objects.get(pk=wanted)
    if len(schools) != 1:
        raise ValidationError({"school": [_("The member is in several of your schools: name one.")]})
    return School.objects.get(pk=schools[0])


@extend_schema(tags=["users"])
@extend_schema_view(
    list=extend_schema(summary="Members of the schools where you may see profiles"),
    retrieve=extend_schema(summary="One member's profile, as their privacy settings allow"),
    partial_update=extend_schema(summary="Edit a member's profile (school admins)"),
)
class UserViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Members (users with a current membership) of the schools where you hold
    ``accounts.view_user``; fields their privacy settings hide from you are null."""

    queryset = User.objects.all()
    serializer_class = UserProfileSerializer
    permission_classes = [UserPermission]
    personal_data = True
    http_method_names = ["get", "patch", "post", "head", "options"]
    required_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "partial_update": CHANGE,
        "update": CHANGE,
        "deactivate": CHANGE,
        "verify_staff": VERIFY,
        "avatar": None,  # decided by the owner's privacy setting (404 when hidden)
    }
    filterset_class = UserFilter
    search_fields = ["first_name", "last_name", "profile__preferred_name", "profile__title"]
    ordering_fields = ["email", "first_name", "last_name", "date_joined"]
    ordering = ["-date_joined", "-id"]  # newest members first; ?ordering=last_name for a roster

    def get_queryset(self):
        return with_profile_data(super().get_queryset())

    def restrict_to_permitted_schools(self, queryset):
        user = self.request.user
        if user.is_superuser:
            return queryset
        return queryset.in_schools(schools_where(user, VIEW))

    def _fresh(self, user):
        return with_profile_data(User.objects.filter(pk=user.pk)).get()

    def perform_update(self, serializer):
        target = serializer.instance
        data = dict(serializer.validated_data)
        staff_id = data.pop("staff_id", None)
        school = _one_school(self.request.user, CHANGE, target, None) if staff_id is not None else None
        call_service(profile_services.update_user_profile, actor=self.request.user, user=target, school=school, **data)
        if staff_id is not None:
            call_service(
                profile_services.set_staff_id, actor=self.request.user, user=target, school=school, staff_id=staff_id
            )
        serializer.instance = self._fresh(target)

    @extend_schema(request=None, responses={200: UserProfileSerializer}, summary="Deactivate a member's account")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        target = self.get_object()
        call_service(profile_services.deactivate_member, actor=request.user, user=target)
        target.refresh_from_db()
        return Response(self.get_serializer(target).data)

    @extend_schema(
        request=VerifyStaffSerializer, responses={200: UserProfileSerializer}, summary="Verify a member as staff"
    )
    @action(detail=True, methods=["post"], url_path="verify-staff")
    def verify_staff(self, request, pk=None):
        target = self.get_object()
        payload = VerifyStaffSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        school = _one_school(request.user, VERIFY, target, payload.validated_data.get("school"))
        call_service(
            profile_services.set_staff_verification,
            actor=request.user,
            user=target,
            school=school,
            verified=payload.validated_data["verified"],
        )
        return Response(self.get_serializer(self._fresh(target)).data)

    @extend_schema(
        parameters=[OpenApiParameter("size", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(AVATAR_SIZES))],
        responses={(200, OUTPUT_CONTENT_TYPE): OpenApiTypes.BINARY, 404: OpenApiResponse(description="No picture")},
        summary="A member's profile picture (if their privacy setting lets you see it)",
    )
    @action(detail=True, methods=["get"], url_path=r"avatar/(?P<size>[^/.]+)", url_name="avatar")
    def avatar(self, request, pk=None, size=None):
        target = self.get_object()
        return avatar_response(request.user, target, size)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "action", None) == "avatar" and response.status_code == 200:
            response["Cache-Control"] = "private, max-age=300"
            response.headers.pop("Expires", None)
        return response


def avatar_response(viewer, target, size: str):
    """Streams ``target``'s picture at ``size`` if ``viewer`` may see it; 404 otherwise (the same
    answer whether the picture is hidden or missing)."""
    if size not in AVATAR_SIZES or not can_see_avatar(viewer, target):
        raise Http404
    name = profile_of(target).avatar_name(size)
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=OUTPUT_CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = "inline"
    return response


@extend_schema(tags=["me"])
class MeAvatarView(NoStoreMixin, APIView):
    """Your profile picture: PUT a JPEG, PNG or WebP (multipart field ``file``); DELETE removes it."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": AvatarUploadSerializer},
        responses={200: UserAvatarResponse},
        summary="Upload or replace your profile picture",
    )
    def put(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Attach the picture as the multipart field “file”.")]})
        call_service(profile_services.set_avatar, actor=request.user, user=request.user, upload=upload)
        return Response({"avatar": avatar_urls(request, request.user)})

    @extend_schema(request=None, responses={204: None}, summary="Remove your profile picture")
    def delete(self, request):
        call_service(profile_services.remove_avatar, actor=request.user, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


__all__ = ["MeAvatarView", "UserViewSet", "avatar_response", "flatten_profile_data"]
