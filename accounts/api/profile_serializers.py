"""Profile serializers. Reads honour each owner's privacy settings per viewer
(``accounts.selectors_profiles.can_see``); writes only parse, the services write."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import FieldVisibility
from accounts.models.profiles import phone_validator
from accounts.selectors import school_ids_for
from accounts.selectors_profiles import (
    AVATAR_SIZES,
    can_see,
    current_school_ids,
    profile_of,
    staff_records_for,
)
from config.api.serializers import StrictSerializer


def avatar_urls(request, user) -> dict | None:
    profile = profile_of(user)
    if not profile.has_avatar:
        return None
    version = int(profile.avatar_updated_at.timestamp()) if profile.avatar_updated_at else 0
    urls = {}
    for size in AVATAR_SIZES:
        path = f"{reverse('api-user-avatar', args=[user.pk, size])}?v={version}"
        urls[size] = request.build_absolute_uri(path) if request is not None else path
    return urls


class StrictBooleanField(serializers.BooleanField):
    """Only JSON true/false (not "yes" or 1)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class AvatarUrlsSerializer(serializers.Serializer):
    small = serializers.CharField(read_only=True, help_text="64×64 px WebP, permission-checked URL")
    large = serializers.CharField(read_only=True, help_text="256×256 px WebP, permission-checked URL")


class StaffRecordSerializer(serializers.Serializer):
    school = serializers.IntegerField(read_only=True, source="school_id")
    staff_id = serializers.CharField(read_only=True)
    verified_staff = serializers.BooleanField(read_only=True, source="is_verified")
    verified_at = serializers.DateTimeField(read_only=True, allow_null=True)


class SchoolRoleSerializer(serializers.Serializer):
    school = serializers.IntegerField(read_only=True, source="school_id")
    role = serializers.CharField(read_only=True)


class ProfileFieldsMixin(serializers.Serializer):
    """The profile fields the owner edits, on ``/api/v1/me/`` (declared with ``profile.`` sources:
    the view makes sure the profile exists)."""

    preferred_name = serializers.CharField(
        source="profile.preferred_name", max_length=150, required=False, allow_blank=True
    )
    pronouns = serializers.CharField(source="profile.pronouns", max_length=40, required=False, allow_blank=True)
    title = serializers.CharField(source="profile.title", max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(
        source="profile.phone", max_length=32, required=False, allow_blank=True, validators=[phone_validator]
    )
    bio = serializers.CharField(source="profile.bio", max_length=2000, required=False, allow_blank=True)
    directory_opt_out = StrictBooleanField(source="profile.directory_opt_out", required=False)
    email_visibility = serializers.ChoiceField(
        source="profile.email_visibility", choices=FieldVisibility.choices, required=False
    )
    phone_visibility = serializers.ChoiceField(
        source="profile.phone_visibility", choices=FieldVisibility.choices, required=False
    )
    picture_visibility = serializers.ChoiceField(
        source="profile.picture_visibility", choices=FieldVisibility.choices, required=False
    )
    bio_visibility = serializers.ChoiceField(
        source="profile.bio_visibility", choices=FieldVisibility.choices, required=False
    )
    email_verified = serializers.BooleanField(read_only=True)
    avatar = serializers.SerializerMethodField()
    staff = serializers.SerializerMethodField()

    @extend_schema_field(AvatarUrlsSerializer(allow_null=True))
    def get_avatar(self, user):
        return avatar_urls(self.context.get("request"), user)

    @extend_schema_field(StaffRecordSerializer(many=True))
    def get_staff(self, user):
        return StaffRecordSerializer(staff_records_for(user), many=True).data


PROFILE_API_FIELDS = [
    "preferred_name",
    "pronouns",
    "title",
    "phone",
    "bio",
    "directory_opt_out",
    "email_visibility",
    "phone_visibility",
    "picture_visibility",
    "bio_visibility",
    "email_verified",
    "avatar",
    "staff",
]


def flatten_profile_data(validated: dict) -> dict:
    """{"first_name": .., "profile": {"bio": ..}} → {"first_name": .., "bio": ..} for the service."""
    data = dict(validated)
    data.update(data.pop("profile", {}))
    return data


class UserProfileSerializer(StrictSerializer):
    """A member as another member sees them: fields their privacy settings hide are null, and
    memberships/staff records are narrowed to the schools the viewer belongs to. School admins
    may PATCH the editable fields (``staff_id`` applies in the admin's school)."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True, allow_null=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    display_name = serializers.CharField(read_only=True)
    preferred_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    pronouns = serializers.CharField(max_length=40, required=False, allow_blank=True)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, allow_null=True, validators=[phone_validator]
    )
    bio = serializers.CharField(max_length=2000, required=False, allow_blank=True, allow_null=True)
    staff_id = serializers.CharField(max_length=64, required=False, allow_blank=True, write_only=True)
    is_active = serializers.BooleanField(read_only=True)
    email_verified = serializers.BooleanField(read_only=True)
    verified_staff = serializers.BooleanField(read_only=True)
    avatar = serializers.SerializerMethodField()
    memberships = SchoolRoleSerializer(many=True, read_only=True)
    staff = StaffRecordSerializer(many=True, read_only=True)

    @extend_schema_field(AvatarUrlsSerializer(allow_null=True))
    def get_avatar(self, user):  # pragma: no cover - to_representation builds it
        return None

    def validate_phone(self, value):
        return value or ""

    def validate_bio(self, value):
        return value or ""

    def to_representation(self, user):
        request = self.context.get("request")
        viewer = request.user if request is not None else None
        profile = profile_of(user)
        viewer_schools = set(school_ids_for(viewer)) if viewer is not None else set()
        if viewer is not None and (viewer.is_superuser or viewer.pk == user.pk):
            viewer_schools |= current_school_ids(user)
        records = [r for r in staff_records_for(user) if r.school_id in viewer_schools]
        memberships = [m for m in getattr(user, "current_memberships", []) if m.school_id in viewer_schools]
        return {
            "id": user.pk,
            "email": user.email if can_see(viewer, user, profile.email_visibility) else None,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "display_name": profile.display_name(),
            "preferred_name": profile.preferred_name,
            "pronouns": profile.pronouns,
            "title": profile.title,
            "phone": profile.phone if can_see(viewer, user, profile.phone_visibility) else None,
            "bio": profile.bio if can_see(viewer, user, profile.bio_visibility) else None,
            "is_active": user.is_active,
            "email_verified": user.email_verified,
            "verified_staff": any(r.is_verified for r in records),
            "avatar": avatar_urls(request, user) if can_see(viewer, user, profile.picture_visibility) else None,
            "memberships": SchoolRoleSerializer(memberships, many=True).data,
            "staff": StaffRecordSerializer(records, many=True).data,
        }


class AvatarUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="JPEG, PNG or WebP; at most 5 MB and 4096×4096 px")


class VerifyStaffSerializer(StrictSerializer):
    verified = StrictBooleanField(default=True)
    school = serializers.IntegerField(
        required=False, help_text="Needed only when you administer more than one of the member's schools"
    )


class UserAvatarResponse(serializers.Serializer):
    avatar = AvatarUrlsSerializer(allow_null=True)


BINARY_IMAGE = OpenApiTypes.BINARY
