"""The page-side twin of ``accounts.api.base``: the same visibility path and permission rule for
server-rendered views, so API and pages can never disagree about who sees what."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from accounts.permissions import allowed_on_object, allowed_somewhere


class ScopedPageMixin(LoginRequiredMixin):
    """For list/detail/edit pages over school-owned models.

    ``model`` + ``permission_required`` (a codename). ``get_queryset`` narrows to ``visible_to``
    (other schools → 404); ``get_object`` then checks the role permission in the object's school.
    """

    permission_required: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission_required and not allowed_somewhere(request.user, self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.permission_required and not allowed_on_object(self.request.user, self.permission_required, obj):
            raise PermissionDenied
        return obj
