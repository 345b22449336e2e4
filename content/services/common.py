"""Checks shared by the content services."""

from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError
from content.selectors.access import can_edit, can_manage, can_view


def _refuse():
    raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


def require_view(actor, item) -> None:
    if actor is not None and not can_view(actor, item):
        _refuse()


def require_edit(actor, item) -> None:
    """``actor=None`` is the system (demo data)."""
    if actor is not None and not (can_edit(actor, item) or can_manage(actor, item)):
        _refuse()


def require_manage(actor, item) -> None:
    if actor is not None and not can_manage(actor, item):
        _refuse()


class ConflictError(ServiceError):
    """A stale edit: the item moved on since ``base_version``. The API answers 409 with the
    current version and the changes since (``extra``)."""

    def __init__(self, message: str, *, extra: dict):
        super().__init__(message, field="version", code="conflict", status=409)
        self.extra = extra
