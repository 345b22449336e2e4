"""Which school a write without an object goes to — one rule for every app's services and API."""

from django.utils.translation import gettext as _

from accounts.models import School
from accounts.selectors import has_school_perm, schools_where
from accounts.services.errors import ServiceError


def require_school_perm(actor, perm: str, school: School) -> None:
    """403 unless ``actor`` holds ``perm`` in ``school`` (``actor`` None = a system job)."""
    if actor is not None and not (actor.is_superuser or has_school_perm(actor, perm, school.pk)):
        raise ServiceError(
            _("You do not have permission to do this in this school."), code="permission_denied", status=403
        )


def school_for_write(*, actor, perm: str, school: School | None = None) -> School:
    """The school given (403 without ``perm`` there), else the only school where ``actor`` holds
    ``perm``: none is a 403, several is a 400 asking to choose one (field ``school``)."""
    if school is not None:
        require_school_perm(actor, perm, school)
        return school
    permitted = schools_where(actor, perm) if actor is not None else []
    if not permitted:
        raise ServiceError(
            _("You do not have permission to do this in any school."), code="permission_denied", status=403
        )
    if len(permitted) > 1:
        raise ServiceError(_("You belong to several schools: choose one."), field="school", code="required")
    return School.objects.get(pk=permitted[0])
