"""Roster and staff CSV import: parse and validate the whole file first, then (only when asked,
and only when there is no error at all) write it in one transaction. Idempotent by the school's
external id (``PersonExternalId``)."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.models import Membership, PersonExternalId, Role, User

REQUIRED_COLUMNS = ("external_id", "email", "first_name", "last_name", "role")
OPTIONAL_COLUMNS = ("valid_from", "valid_until")
ACTIONS = ("create", "update", "unchanged")


@dataclass
class RowResult:
    line: int
    external_id: str
    email: str
    action: str = ""
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "external_id": self.external_id,
            "email": self.email,
            "action": self.action,
            "errors": self.errors,
        }


@dataclass
class ImportReport:
    dry_run: bool
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    def summary(self) -> dict:
        counts = {action: sum(1 for row in self.rows if row.action == action) for action in ACTIONS}
        return {
            "total": len(self.rows),
            **{f"{action}d" if action != "unchanged" else action: n for action, n in counts.items()},
            "errors": sum(1 for row in self.rows if row.errors) + len(self.file_errors),
        }

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "applied": self.applied,
            "file_errors": self.file_errors,
            "summary": self.summary(),
            "rows": [row.as_dict() for row in self.rows],
        }


def _parse_date(value: str, column: str, errors: list[str]):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(_("%(column)s: “%(value)s” is not a date (use YYYY-MM-DD).") % {"column": column, "value": value})
        return None


def parse(data: bytes, *, school, dry_run: bool) -> ImportReport:
    """Validates every row; never writes."""
    report = ImportReport(dry_run=dry_run)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.file_errors.append(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
        return report
    if "\x00" in text:
        report.file_errors.append(_("The file is not a CSV text file."))
        return report
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as exc:
        report.file_errors.append(_("The file is not valid CSV: %(error)s") % {"error": exc})
        return report
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        report.file_errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return report
    reader.fieldnames = header
    roles = {value for value, _label in Role.choices}
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    try:
        raw_rows = list(reader)
    except csv.Error as exc:
        report.file_errors.append(_("The file is not valid CSV: %(error)s") % {"error": exc})
        return report
    if not raw_rows:
        report.file_errors.append(_("The file has no rows."))
        return report
    existing_ids = dict(PersonExternalId.objects.filter(school=school).values_list("external_id", "user_id"))
    for number, raw in enumerate(raw_rows, start=2):
        values = {key: (value or "").strip() for key, value in raw.items() if key}
        row = RowResult(line=number, external_id=values.get("external_id", ""), email=values.get("email", "").lower())
        errors = row.errors
        if None in raw:
            errors.append(_("This row has more values than the header has columns."))
        if not row.external_id:
            errors.append(_("external_id is required."))
        elif row.external_id in seen_ids:
            errors.append(
                _("external_id “%(id)s” is repeated (first on line %(line)s).")
                % {"id": row.external_id, "line": seen_ids[row.external_id]}
            )
        else:
            seen_ids[row.external_id] = number
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(_("email: “%(value)s” is not a valid address.") % {"value": row.email})
        else:
            if row.email in seen_emails:
                errors.append(
                    _("email “%(email)s” is repeated (first on line %(line)s).")
                    % {"email": row.email, "line": seen_emails[row.email]}
                )
            seen_emails.setdefault(row.email, number)
        role = values.get("role", "").lower()
        if role not in roles:
            errors.append(
                _("role: “%(value)s” is not one of %(roles)s.") % {"value": role, "roles": ", ".join(sorted(roles))}
            )
        valid_from = _parse_date(values.get("valid_from", ""), "valid_from", errors)
        valid_until = _parse_date(values.get("valid_until", ""), "valid_until", errors)
        if valid_from and valid_until and valid_until <= valid_from:
            errors.append(_("valid_until must be after valid_from."))
        for column in ("first_name", "last_name"):
            if len(values.get(column, "")) > 150:
                errors.append(_("%(column)s is longer than 150 characters.") % {"column": column})
        row.data = {
            "first_name": values.get("first_name", ""),
            "last_name": values.get("last_name", ""),
            "role": role,
            "valid_from": valid_from,
            "valid_until": valid_until,
        }
        if not errors:
            user_id = existing_ids.get(row.external_id)
            user = User.objects.filter(pk=user_id).first() if user_id else None
            other = User.objects.filter(email__iexact=row.email).exclude(pk=user_id).first()
            if user is not None and other is not None:
                errors.append(_("email “%(email)s” belongs to another account.") % {"email": row.email})
            elif (
                user is None
                and other is not None
                and PersonExternalId.objects.filter(school=school, user=other).exists()
            ):
                errors.append(
                    _("email “%(email)s” is already imported under another external id.") % {"email": row.email}
                )
            else:
                row.action = _plan(user or other, school, row)
        report.rows.append(row)
    return report


def _plan(user, school, row: RowResult) -> str:
    if user is None:
        return "create"
    changed = (
        user.email != row.email
        or user.first_name != row.data["first_name"]
        or user.last_name != row.data["last_name"]
        or not Membership.objects.filter(user=user, school=school, role=row.data["role"]).exists()
        or not PersonExternalId.objects.filter(school=school, external_id=row.external_id, user=user).exists()
    )
    return "update" if changed else "unchanged"


def _aware(day):
    if day is None:
        return None
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def apply_row(row: RowResult, *, school) -> User:
    """Writes one validated row (inside the caller's transaction)."""
    link = PersonExternalId.objects.filter(school=school, external_id=row.external_id).select_related("user").first()
    user = link.user if link else User.objects.filter(email__iexact=row.email).first()
    if user is None:
        user = User.objects.create_user(
            email=row.email, first_name=row.data["first_name"], last_name=row.data["last_name"]
        )
    else:
        user.email, user.first_name, user.last_name = row.email, row.data["first_name"], row.data["last_name"]
        user.save(update_fields=["email", "first_name", "last_name"])
    if link is None:
        PersonExternalId.objects.create(school=school, external_id=row.external_id, user=user)
    defaults = {}
    if row.data["valid_from"]:
        defaults["valid_from"] = _aware(row.data["valid_from"])
    if row.data["valid_until"]:
        defaults["valid_until"] = _aware(row.data["valid_until"])
    Membership.objects.update_or_create(user=user, school=school, role=row.data["role"], defaults=defaults)
    return user
