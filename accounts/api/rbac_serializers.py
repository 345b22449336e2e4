from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import CustomRole, Membership, PermissionDecisionStat, Role, RoleAssignment, School, User
from accounts.roles import CATALOGUE
from config.api.serializers import StrictModelSerializer, StrictSerializer

CODENAME_CHOICES = [(codename, codename) for codename in sorted(CATALOGUE)]
# models whose objects the batch permission check accepts
CHECKABLE_MODELS = ("accounts.school", "accounts.membership", "accounts.customrole", "accounts.roleassignment")


class CatalogueEntrySerializer(serializers.Serializer):
    codename = serializers.CharField()
    area = serializers.CharField()
    description = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))


class SchoolPermissionsSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    school_slug = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    custom_roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())


class CheckedObjectSerializer(StrictSerializer):
    type = serializers.ChoiceField(choices=[(name, name) for name in CHECKABLE_MODELS])
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class PermissionCheckItemSerializer(StrictSerializer):
    """One question: does the user hold ``permission`` — anywhere, in ``school``, or on
    ``object`` (and, given both, on an object of that school)?"""

    permission = serializers.ChoiceField(choices=CODENAME_CHOICES)
    school = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    object = CheckedObjectSerializer(required=False)


class PermissionCheckRequestSerializer(StrictSerializer):
    checks = PermissionCheckItemSerializer(many=True, max_length=100)


class PermissionCheckResultSerializer(serializers.Serializer):
    permission = serializers.CharField()
    school = serializers.IntegerField(required=False)
    object = CheckedObjectSerializer(required=False)
    allowed = serializers.BooleanField()


class PermissionCheckResponseSerializer(serializers.Serializer):
    results = PermissionCheckResultSerializer(many=True)


class MembershipSerializer(StrictModelSerializer):
    """Read: who holds which role. Create: ``user_email`` of an existing account + role + school."""

    user_email = serializers.EmailField(source="user.email", read_only=True)
    user_name = serializers.CharField(source="user.get_full_name", read_only=True)
    email = serializers.EmailField(write_only=True, required=False, help_text=_("Account to add (create only)."))
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    school_slug = serializers.SlugRelatedField(source="school", slug_field="slug", read_only=True)
    custom_roles = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "user_email",
            "user_name",
            "email",
            "school",
            "school_slug",
            "role",
            "valid_from",
            "valid_until",
            "custom_roles",
        ]
        read_only_fields = ["id", "user", "user_email", "user_name", "school_slug", "custom_roles"]

    def get_custom_roles(self, membership) -> list[str]:
        return sorted(a.custom_role.name for a in membership.role_assignments.all())

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # updates: school and user are fixed
            fields["school"].read_only = True
            fields["email"].read_only = True
        return fields

    def validate(self, attrs):
        if self.instance is None:
            if "email" not in attrs:
                raise serializers.ValidationError({"email": [_("This field is required.")]})
            user = User.objects.filter(email__iexact=attrs.pop("email")).first()
            if user is None:
                raise serializers.ValidationError({"email": [_("No account uses this email address.")]})
            attrs["user"] = user
        return attrs


class CustomRoleSerializer(StrictModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    permissions = serializers.ListField(child=serializers.ChoiceField(choices=CODENAME_CHOICES), allow_empty=True)
    holders = serializers.IntegerField(source="assignments.count", read_only=True)

    class Meta:
        model = CustomRole
        fields = ["id", "school", "name", "description", "permissions", "holders", "created_at", "updated_at"]
        read_only_fields = ["id", "holders", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["school"].read_only = True
        return fields


class RoleAssignmentSerializer(StrictModelSerializer):
    membership = ScopedPrimaryKeyRelatedField(queryset=Membership.objects.all())
    custom_role = ScopedPrimaryKeyRelatedField(queryset=CustomRole.objects.all())
    custom_role_name = serializers.CharField(source="custom_role.name", read_only=True)
    user_email = serializers.EmailField(source="membership.user.email", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "membership", "custom_role", "custom_role_name", "user_email", "valid_until", "created_at"]
        read_only_fields = ["id", "custom_role_name", "user_email", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["membership"].read_only = True
            fields["custom_role"].read_only = True
        return fields


class PermissionDecisionStatSerializer(serializers.ModelSerializer):
    class Meta:
        model = PermissionDecisionStat
        fields = ["id", "day", "school", "permission", "role", "allowed", "denied"]
