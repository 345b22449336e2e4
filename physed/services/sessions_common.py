"""Helpers shared by the sessions, attendance and results services."""

from django.utils.translation import gettext as _

from accounts.permissions import allowed_on_object
from accounts.services.errors import ServiceError


def require(actor, perm: str, obj) -> None:
    """Refuses (403 in the API) unless ``actor`` holds ``perm`` on ``obj``; ``actor=None`` is the
    system itself (demo data, migrations)."""
    if actor is not None and not allowed_on_object(actor, perm, obj):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


class RowErrors(ServiceError):
    """Per-row refusals of a bulk write: ``rows`` = {index: {field: [messages]}}. Nothing was
    written. The API answers 400 with ``fields = {<field>: {"<index>": {...}}}``."""

    def __init__(self, message: str, *, field: str, rows: dict[int, dict[str, list[str]]]):
        super().__init__(message, field=field)
        self.rows = rows

    def as_fields(self) -> dict:
        return {self.field: {str(index): errors for index, errors in sorted(self.rows.items())}}
