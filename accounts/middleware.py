"""Page sessions: revocation, idle timeout and absolute lifetime on every signed-in request.

Runs after authentication and messages. For a request signed in with a Django session it looks
up that session's ``UserSession`` (one query; a write at most once a minute): revoked (from the
Devices page, by an admin, a password change, deactivation), idle for longer than
``AUTH_SESSION_IDLE_MINUTES`` or older than ``AUTH_SESSION_ABSOLUTE_HOURS`` → the user is signed
out and a page request goes to the login page with a message (an API request just continues
unauthenticated). JWT requests are not touched here: their session is checked by
``accounts.api.authentication``.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _

from accounts.axes_handler import start_web_session
from accounts.services import sessions as session_service

ENDED_MESSAGES = {
    session_service.Reason.IDLE_TIMEOUT: _("You were signed out after a period of inactivity. Please sign in again."),
    session_service.Reason.EXPIRED: _("Your session reached its maximum length. Please sign in again."),
}
DEFAULT_ENDED_MESSAGE = _("This session was ended. Please sign in again.")


class WebSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            response = self.check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request, user):
        session_id = request.session.get(session_service.WEB_SESSION_KEY)
        if session_id is None:
            # signed in before sessions were tracked (or without the sign-in hooks): track it now
            start_web_session(request, user, door="resumed")
            return None
        session, state = session_service.check_web_session(
            user=user, session_id=session_id, session_key=request.session.session_key
        )
        if state == "ok":
            request.user_session = session
            return None
        logout(request)
        if request.path.startswith("/api/"):
            return None
        messages.info(request, ENDED_MESSAGES.get(state, DEFAULT_ENDED_MESSAGE))
        return redirect_to_login(request.get_full_path())
