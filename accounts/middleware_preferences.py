"""Applies the signed-in user's language and time zone to the whole request (pages and API).

Placed after ``AuthenticationMiddleware``: a page user comes from the session; an API client
sending ``Authorization: Bearer <access token>`` is recognised from the token's signed user id
(no query — DRF still authenticates the request fully afterwards; a bad token here just means no
preference is applied). The resolved preferences are cached (``accounts.services.preferences``),
so a warm request costs no query. ``request.preferences`` holds them for the context processor.

Language order: the user's own choice; else what the request asks for (language cookie or
Accept-Language, as ``LocaleMiddleware`` decided); else the school default; else ``LANGUAGE_CODE``.
The time zone (user's, else school default, else the school's own) is always applied.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation

from accounts.api.authentication import remember_validated_token
from accounts.services.preferences import effective_preferences, effective_preferences_for_id


def _bearer_user_id(request) -> int | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.settings import api_settings
    from rest_framework_simplejwt.tokens import AccessToken

    raw = header.split(" ", 1)[1].strip()
    try:
        token = AccessToken(raw)
    except TokenError:
        return None
    remember_validated_token(request, raw, token)  # DRF's authentication reuses it: decoded once
    user_id = str(token.get(api_settings.USER_ID_CLAIM, ""))
    return int(user_id) if user_id.isdigit() else None


def _asks_for_language(request) -> bool:
    """The request names a language itself (the language cookie or Accept-Language)."""
    return bool(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.headers.get("Accept-Language"))


class PreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefs = None
        user_id = _bearer_user_id(request) if request.path.startswith("/api/") else None
        if user_id is not None:
            prefs = effective_preferences_for_id(user_id)
        else:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                prefs = effective_preferences(user)
        request.preferences = prefs
        if prefs is None:
            return self.get_response(request)
        if prefs.get("language_chosen") or not _asks_for_language(request):
            translation.activate(prefs["language"])
            request.LANGUAGE_CODE = translation.get_language()
        timezone.activate(ZoneInfo(prefs["timezone"]))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
