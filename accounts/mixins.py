"""The page-side twin of ``accounts.api.base``: the same visibility path and permission rule for
server-rendered views, so API and pages can never disagree about who sees what."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from accounts.selectors import has_perm_in_any_school, has_school_perm
from accounts.visibility import school_of


class ScopedPageMixin(LoginRequiredMixin):
    """For list/detail/edit pages over school-owned models.

    ``model`` + ``permission_required`` (a codename). ``get_queryset`` narrows to ``visible_to``
    (other schools → 404); ``get_object`` then checks the role permission in the object's school.
    """

    permission_required: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission_required and not has_perm_in_any_school(request.user, self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.permission_required and not (
            has_school_perm(self.request.user, self.permission_required, school_of(obj).pk)
            or self.request.user.has_perm(self.permission_required, obj)
        ):
            raise PermissionDenied
        return obj
