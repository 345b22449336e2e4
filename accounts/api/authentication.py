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

_VALIDATED = "_validated_bearer_token"


def remember_validated_token(request, raw: str, token) -> None:
    """Keeps a token already validated earlier in this request (the preferences middleware reads
    the user id from it) so that authentication does not verify the same signature again."""
    setattr(request, _VALIDATED, (raw, token))


class SessionJWTAuthentication(JWTAuthentication):
    def authenticate(self, request):
        header = self.get_header(request)
        if header is None:
            return None
        raw_token = self.get_raw_token(header)
        if raw_token is None:
            return None
        remembered = getattr(getattr(request, "_request", request), _VALIDATED, None)
        if remembered is not None and remembered[0].encode() == raw_token:
            validated_token = remembered[1]
        else:
            validated_token = self.get_validated_token(raw_token)
        return self.get_user(validated_token), validated_token

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
