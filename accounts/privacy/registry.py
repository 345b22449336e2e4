"""The personal-data registry (DESIGN §5b).

Every model holding personal data is declared once, by its app, from ``AppConfig.ready()``:

    register(Model, user_path="user", category="notifications", erase=DELETE, date_field="created_at")

* ``user_path`` (a lookup to the user, e.g. ``"membership__user"``) or ``rows`` (a callable
  ``rows(user) -> QuerySet`` for links that are not a foreign key, e.g. axes' username);
* ``exporter(queryset) -> iterable of dicts`` (default: every concrete field, JSON-safe);
* ``erase``: ``DELETE``, ``RETAIN`` (kept, flagged with ``retained_reason``), an ``anonymize``
  dict ``{field: value or callable(row)}``, or a callable ``erase(queryset, user) -> (action, rows)``;
* ``files(user) -> iterable of (name, File)`` — the person's files, copied into the export;
* ``category`` names the retention category; ``date_field`` (with ``retention=True``) lets the
  retention task delete rows older than the school's policy.

Models that link to a person but hold no personal data are listed with ``exclude(label, reason)``;
a test fails for any model with a user link (or an email-like field) that is in neither list.
"""

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

DELETE = "deleted"
RETAIN = "retained"
ANONYMIZED = "anonymized"


@dataclass
class Entry:
    model: type
    category: str
    user_path: str | None = None
    rows: Callable | None = None
    exporter: Callable | None = None
    erase: object = DELETE
    retained_reason: str = ""
    files: Callable | None = None
    date_field: str | None = None
    retention: bool = False
    school_path: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.model._meta.label

    def queryset_for(self, user) -> models.QuerySet:
        if self.rows is not None:
            return self.rows(user)
        return self.model._base_manager.filter(**{self.user_path: user.pk})

    def export_rows(self, queryset) -> Iterable[dict]:
        if self.exporter is not None:
            return self.exporter(queryset)
        return default_exporter(queryset)

    def field_names(self) -> list[str]:
        return [f.attname for f in self.model._meta.concrete_fields]


_REGISTRY: dict[str, Entry] = {}
_EXCLUDED: dict[str, str] = {}


def register(model: type, *, category: str, user_path: str | None = None, rows: Callable | None = None, **options):
    if (user_path is None) == (rows is None):
        raise ValueError("register() needs exactly one of user_path or rows")
    entry = Entry(model=model, category=category, user_path=user_path, rows=rows, **options)
    _REGISTRY[entry.label] = entry
    return entry


def exclude(label: str, reason: str) -> None:
    """``label`` is ``app_label.ModelName``; ``reason`` says why it is not personal data."""
    _EXCLUDED[label] = reason


def entries() -> list[Entry]:
    return list(_REGISTRY.values())


def entry_for(label: str) -> Entry | None:
    return _REGISTRY.get(label)


def exclusions() -> dict[str, str]:
    return dict(_EXCLUDED)


def categories() -> list[str]:
    return sorted({entry.category for entry in _REGISTRY.values()})


def retention_entries() -> list[Entry]:
    return [entry for entry in _REGISTRY.values() if entry.retention and entry.date_field]


def json_safe(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def default_exporter(queryset, *, exclude_fields: Iterable[str] = ()) -> Iterable[dict]:
    """Every concrete field (file fields as their stored name), streamed in chunks."""
    skip = set(exclude_fields)
    names = [f.attname for f in queryset.model._meta.concrete_fields if f.attname not in skip]
    for row in queryset.order_by("pk").values(*names).iterator(chunk_size=2000):
        yield {key: json_safe(value) for key, value in row.items()}
