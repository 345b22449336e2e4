"""Serializers of the authentication, session and lockout endpoints: parse and validate only."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from accounts.models import UserSession
from accounts.services import lockout as lockout_service
from accounts.services.sessions import flag_labels
from config.api.serializers import StrictSerializer


class LockedOut(exceptions.APIException):
    """429 ``locked_out`` with a Retry-After header (DRF copies ``wait`` into it)."""

    status_code = 429
    default_code = "locked_out"
    default_detail = gettext_lazy("Too many failed sign-in attempts.")

    def __init__(self, wait: int):
        self.wait = wait
        minutes = max(1, -(-wait // 60))
        super().__init__(
            _(
                "Too many failed sign-in attempts. Try again in %(minutes)d minutes, reset your password, "
                "or ask your school administrator to unlock your account."
            )
            % {"minutes": minutes}
        )


# --- sign-in and tokens ---------------------------------------------------------------------


class TokenObtainSerializer(StrictSerializer):
    """Email + password, checked by ``django.contrib.auth.authenticate`` with the request, so the
    lockout backend (first in AUTHENTICATION_BACKENDS) refuses a locked attempt before any
    password hashing and records every failure."""

    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)

    default_error_messages = {"no_active_account": gettext_lazy("No active account found with the given credentials")}

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(request=request, email=attrs["email"], password=attrs["password"])
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(
                lockout_service.retry_after_seconds(
                    username=attrs["email"], ip_address=getattr(request, "axes_ip_address", None)
                )
            )
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(self.error_messages["no_active_account"], code="no_active_account")
        attrs["user"] = user
        return attrs


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text=gettext_lazy("Access token (valid for a few minutes)."))
    refresh = serializers.CharField(help_text=gettext_lazy("Refresh token; each refresh replaces it."))
    email_verified = serializers.BooleanField()
    notice = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("What the user should do next, e.g. verify their email; may be empty.")
    )


class RefreshSerializer(StrictSerializer):
    refresh = serializers.CharField()


class RefreshedPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class LogoutSerializer(StrictSerializer):
    refresh = serializers.CharField()


class RevokedCountSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text=gettext_lazy("How many sessions ended."))


# --- registration and verification ----------------------------------------------------------


class RegistrationAcceptedSerializer(serializers.Serializer):
    email = serializers.EmailField()
    detail = serializers.CharField()


class VerifyEmailSerializer(StrictSerializer):
    token = serializers.CharField(max_length=500)


class VerifiedSerializer(serializers.Serializer):
    email = serializers.EmailField()
    email_verified = serializers.BooleanField()


class EmailSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254)


class AcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- passwords ------------------------------------------------------------------------------


class PasswordResetConfirmSerializer(StrictSerializer):
    uid = serializers.CharField(max_length=64, help_text=gettext_lazy("The uid part of the emailed link."))
    token = serializers.CharField(max_length=100, help_text=gettext_lazy("The token part of the emailed link."))
    new_password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class PasswordChangeSerializer(StrictSerializer):
    current_password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    end_other_sessions = serializers.BooleanField(
        default=True,
        help_text=gettext_lazy("End every other session (default). Page sessions elsewhere always end."),
    )


class PasswordChangedSerializer(serializers.Serializer):
    ended_sessions = serializers.IntegerField()


# --- sessions -------------------------------------------------------------------------------


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class UserSessionSerializer(serializers.ModelSerializer):
    """One of the signed-in user's own sessions ("devices")."""

    current = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = UserSession
        fields = [
            "id",
            "kind",
            "device_label",
            "ip_address",
            "created_at",
            "last_seen_at",
            "expires_at",
            "current",
            "flags",
        ]
        read_only_fields = fields

    def get_current(self, session) -> bool:
        return session.pk == self.context.get("current_session_id")

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, session):
        return FlagSerializer(flag_labels(session), many=True).data


class FlaggedSessionSerializer(serializers.ModelSerializer):
    """A member's session flagged by security monitoring (for school admins)."""

    user_email = serializers.EmailField(source="user.email", read_only=True)
    user_name = serializers.CharField(source="user.get_full_name", read_only=True)
    flags = serializers.SerializerMethodField()

    class Meta:
        model = UserSession
        fields = [
            "id",
            "user",
            "user_email",
            "user_name",
            "kind",
            "device_label",
            "user_agent",
            "last_user_agent",
            "ip_address",
            "seen_ips",
            "created_at",
            "last_seen_at",
            "expires_at",
            "flagged_at",
            "flags",
        ]
        read_only_fields = fields

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, session):
        return FlagSerializer(flag_labels(session), many=True).data


class LockoutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(allow_null=True, help_text=gettext_lazy("The email that was tried."))
    ip_address = serializers.IPAddressField(allow_null=True, help_text=gettext_lazy("Truncated client address."))
    failures = serializers.IntegerField(help_text=gettext_lazy("Failures for this email from this address."))
    ip_failures = serializers.IntegerField(help_text=gettext_lazy("Failures from this address, any email."))
    tiers = serializers.ListField(
        child=serializers.ChoiceField(choices=[lockout_service.TIER_USER, lockout_service.TIER_IP]),
        help_text=gettext_lazy("Which limits are reached: email+address, and/or the address alone."),
    )
    last_failure_at = serializers.DateTimeField()
    locked_until = serializers.DateTimeField()
