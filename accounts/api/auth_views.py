"""Authentication endpoints: register, verify email, tokens (sign-in, rotation, logout), password
reset and change. Thin: parse, call a service, answer.

Anonymous on purpose: register, token, token/refresh, verify-email, verify-email/resend,
password-reset, password-reset/confirm. All are throttled (scope ``auth``).
"""

from django.contrib.auth import update_session_auth_hash
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts import services
from accounts.api.auth_serializers import (
    AcceptedSerializer,
    EmailSerializer,
    LogoutSerializer,
    PasswordChangedSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    RefreshedPairSerializer,
    RefreshSerializer,
    RegistrationAcceptedSerializer,
    RevokedCountSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
    VerifiedSerializer,
    VerifyEmailSerializer,
)
from accounts.api.authentication import current_session_id
from accounts.api.serializers import RegisterSerializer
from accounts.models import User
from accounts.services import sessions as session_service
from config.logging import user_id_var

ERROR_401 = OpenApiResponse(description="Invalid or expired token, in the standard error shape.")
LOCKED_429 = OpenApiResponse(description="Locked out after failed attempts, or throttled (Retry-After).")


def call(fn, **kwargs):
    """Runs a service; its ``ServiceError`` becomes a 400 naming the field (401 when the service
    says the credentials are not valid)."""
    try:
        return fn(**kwargs)
    except services.ServiceError as exc:
        if exc.status == 401:
            raise exceptions.AuthenticationFailed(exc.message, code=exc.code) from exc
        raise exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]}, code=exc.code) from exc


class AuthView(generics.GenericAPIView):
    """No caching of anything here; 401s carry a Bearer challenge."""

    throttle_scope = "auth"

    def get_authenticate_header(self, request):
        return f'{jwt_settings.AUTH_HEADER_TYPES[0]} realm="api"'

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated:
            user_id_var.set(str(request.user.pk))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
        return response


class PublicAuthView(AuthView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []


def _verification_notice(user: User) -> str:
    if user.email_verified:
        return ""
    return _(
        "Your email address is not verified yet, so staff features stay off. Open the link we emailed you, "
        "or ask for a new one with POST /api/v1/auth/verify-email/resend/."
    )


@extend_schema(
    tags=["auth"],
    request=RegisterSerializer,
    responses={202: RegistrationAcceptedSerializer},
    summary="Create an account",
)
class RegisterView(PublicAuthView):
    """Creates an account (no school access until a school grants a membership) and emails a
    verification link. The answer is the same whether or not the address already has an account
    (its owner is emailed instead), so it never reveals who is registered."""

    serializer_class = RegisterSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call(services.register_user, **serializer.validated_data)
        email = User.objects.normalize_email(serializer.validated_data["email"]).lower()
        detail = _("Check your inbox: we sent a link to confirm %(email)s.") % {"email": email}
        return Response({"email": email, "detail": detail}, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    tags=["auth"],
    request=TokenObtainSerializer,
    responses={200: TokenPairSerializer, 401: ERROR_401, 429: LOCKED_429},
    summary="Sign in: email + password → access and refresh tokens",
)
class TokenView(PublicAuthView):
    """Starts an API session (a refresh-token family). After repeated failures the email (from
    this address) or the address itself is locked for a while: every attempt, even with the
    right password, is then a 429 ``locked_out`` with Retry-After, checked before any password
    hashing."""

    serializer_class = TokenObtainSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        _session, refresh = session_service.issue_api_tokens(
            user=user, client_ip=getattr(request, "axes_ip_address", None)
        )
        return Response(
            {
                "access": str(refresh.access_token),
                "refresh": str(refresh),
                "email_verified": user.email_verified,
                "notice": _verification_notice(user),
            }
        )


@extend_schema(
    tags=["auth"],
    request=RefreshSerializer,
    responses={200: RefreshedPairSerializer, 401: ERROR_401},
    summary="Rotate a refresh token",
)
class TokenRotateView(PublicAuthView):
    """Refresh → new access and refresh tokens of the same session; the old refresh token stops
    working. Presenting an already-rotated refresh token ends the whole session (reuse) and tells
    the user."""

    serializer_class = RefreshSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _session, refresh = call(session_service.rotate_refresh, raw=serializer.validated_data["refresh"])
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


@extend_schema(tags=["auth"], request=LogoutSerializer, responses={204: None}, summary="Sign out this session")
class LogoutView(AuthView):
    """Ends the session the given refresh token belongs to (it must be the caller's)."""

    serializer_class = LogoutSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call(session_service.logout_api, user=request.user, raw_refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"], request=None, responses={200: RevokedCountSerializer}, summary="Sign out everywhere else")
class LogoutAllView(AuthView):
    """Ends every session of the caller except the current one (web and API)."""

    serializer_class = RevokedCountSerializer

    def post(self, request):
        ended = session_service.logout_everywhere_else(
            user=request.user, current_session_id=current_session_id(request)
        )
        return Response({"revoked": ended})


@extend_schema(
    tags=["auth"], request=VerifyEmailSerializer, responses={200: VerifiedSerializer}, summary="Verify email"
)
class VerifyEmailView(PublicAuthView):
    """Confirms the address with the token from the emailed link (400 ``expired``/``invalid``)."""

    serializer_class = VerifyEmailSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = call(services.verify_email, token=serializer.validated_data["token"])
        return Response({"email": user.email, "email_verified": True})


class EmailRequestView(PublicAuthView):
    """Takes an email address and always answers 202 with the same body, whatever the address:
    the answer never tells whether an account exists. Subclasses name the service and the text."""

    serializer_class = EmailSerializer
    service = None
    detail = ""

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        type(self).service(email=serializer.validated_data["email"])
        return Response({"detail": str(self.detail)}, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    tags=["auth"], request=EmailSerializer, responses={202: AcceptedSerializer}, summary="Resend the verification email"
)
class ResendVerificationView(EmailRequestView):
    """A link is sent only if an unverified account has the address."""

    service = services.resend_verification
    detail = gettext_lazy("If an account with this address still needs verifying, we have sent it a new link.")


@extend_schema(
    tags=["auth"], request=EmailSerializer, responses={202: AcceptedSerializer}, summary="Ask for a password reset link"
)
class PasswordResetView(EmailRequestView):
    """The same work whether or not the address is registered."""

    service = services.request_password_reset
    detail = gettext_lazy("If an account exists for that address, we have sent a link to reset the password.")


@extend_schema(
    tags=["auth"],
    request=PasswordResetConfirmSerializer,
    responses={200: AcceptedSerializer},
    summary="Set a new password from a reset link",
)
class PasswordResetConfirmView(PublicAuthView):
    """``uid`` and ``token`` are the two parts of the emailed link (…/reset/<uid>/<token>/).
    Every session of the account ends."""

    serializer_class = PasswordResetConfirmSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call(services.reset_password, **serializer.validated_data)
        return Response({"detail": _("Your password has been set. Sign in with the new password.")})


@extend_schema(
    tags=["auth"],
    request=PasswordChangeSerializer,
    responses={200: PasswordChangedSerializer},
    summary="Change the password",
)
class PasswordChangeView(AuthView):
    """Needs the current password. By default every other session ends too."""

    serializer_class = PasswordChangeSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ended = call(
            services.change_password,
            user=request.user,
            current_session_id=current_session_id(request),
            **serializer.validated_data,
        )
        if request.auth is None and hasattr(request, "session"):
            update_session_auth_hash(request._request, request.user)  # keep this page session
        return Response({"ended_sessions": ended})
