"""What every owner-only assistant endpoint shares: signed in, allowed to use the assistant in at
least one school (students and guardians get 403), never cached.

Owner-only resources follow ``accounts.api.preferences_views.NotificationViewSet``: a plain
``GenericViewSet`` whose queryset goes through ``visible_to(user)``, which keeps only the user's own
rows — another person's conversation is a 404, even for a school admin.
"""

from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import IsAuthenticated

from accounts.selectors import has_perm_in_any_school

USE_PERM = "assistant.use_assistant"
TAGS = ["assistant"]


class UsesAssistant(IsAuthenticated):
    message = _("You do not have permission to use the assistant.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and has_perm_in_any_school(request.user, USE_PERM)


class NoStoreMixin:
    """Personal data: ``Cache-Control: private, no-store`` on every successful answer."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            add_never_cache_headers(response)
            response["Cache-Control"] = "private, no-store"
        return response
