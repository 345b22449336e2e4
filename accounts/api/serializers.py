from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.api.profile_serializers import PROFILE_API_FIELDS, ProfileFieldsMixin
from accounts.models import Membership, School, User
from config.api.serializers import StrictModelSerializer, StrictSerializer


class SchoolSerializer(StrictModelSerializer):
    class Meta:
        model = School
        fields = ["id", "name", "slug", "timezone", "country", "region", "default_language"]
        read_only_fields = ["id", "slug"]


class MembershipSummarySerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "school", "school_name", "role", "valid_from", "valid_until"]


class MeSerializer(ProfileFieldsMixin, StrictModelSerializer):
    """The signed-in user's account, profile, privacy settings and memberships."""

    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "date_joined",
            "memberships",
            *PROFILE_API_FIELDS,
        ]
        read_only_fields = ["id", "email", "date_joined", "memberships", "email_verified", "avatar", "staff"]

    def get_memberships(self, user) -> list[dict]:
        rows = user.memberships.active().select_related("school").order_by("school__name", "role")
        return MembershipSummarySerializer(rows, many=True).data


class RegisterSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        candidate = User(email=attrs["email"], first_name=attrs["first_name"], last_name=attrs["last_name"])
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs
