"""What every owner-only assistant endpoint shares: signed in, allowed to use the assistant in at
least one school (students and guardians get 403), never cached.

Owner-only resources follow ``accounts.api.preferences_views.NotificationViewSet``: a plain
``GenericViewSet`` whose queryset goes through ``visible_to(user)``, which keeps only the user's own
rows — another person's conversation is a 404, even for a school admin.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import IsAuthenticated

from accounts.selectors import has_perm_in_any_school

USE_PERM = "assistant.use_assistant"
TAGS = ["assistant"]


class UsesAssistant(IsAuthenticated):
    message = _("You do not have permission to use the assistant.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and has_perm_in_any_school(request.user, USE_PERM)
