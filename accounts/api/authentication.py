"""JWT authentication that also honours the sign-in session the token belongs to.

Tokens issued by ``POST /api/v1/auth/token/`` carry the session id (claim ``sid``). When the session
has been revoked (logout, logout-all, "end this session" on the Devices page, token reuse,
password change, deactivation) its access tokens stop working on the next request, not when they
expire. The check replaces simplejwt's user lookup with one query that loads the session and its
user together, so it costs nothing extra. Tokens without the claim (minted directly with
``RefreshToken.for_user``, e.g. by tests) are checked as simplejwt does.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

from accounts.models import UserSession
from accounts.services.sessions import SESSION_CLAIM


class SessionJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token):
        session_id = validated_token.get(SESSION_CLAIM)
        if session_id is None:
            return super().get_user(validated_token)
        if not isinstance(session_id, int):
            raise InvalidToken(_("Token contained no recognizable session"))
        session = (
            UserSession.objects.select_related("user")
            .filter(pk=session_id, user_id=validated_token.get(api_settings.USER_ID_CLAIM))
            .first()
        )
        if session is None or session.revoked_at is not None or session.expires_at <= timezone.now():
            raise AuthenticationFailed(_("This sign-in has ended. Sign in again."), code="session_ended")
        user = session.user
        if not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        return user


def current_session_id(request) -> int | None:
    """The UserSession of this request: the ``sid`` claim of a JWT, else the page session's."""
    from accounts.services.sessions import WEB_SESSION_KEY

    token = getattr(request, "auth", None)
    if token is not None and hasattr(token, "get"):
        session_id = token.get(SESSION_CLAIM)
        if session_id is not None:
            return session_id
    session = getattr(request, "session", None)
    return session.get(WEB_SESSION_KEY) if session is not None else None


class SessionJWTScheme(SimpleJWTScheme):
    """OpenAPI: the same bearer scheme as simplejwt's."""

    target_class = "accounts.api.authentication.SessionJWTAuthentication"
