"""Validation rules for protocol and procedure writes: the lists a client sends (checks, steps,
contacts), dates that cannot be in the future, and staff ids that must belong to the school. Limits
and the phone pattern are data (safety/data/protocols.json)."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School
from accounts.selectors import members_of
from accounts.services.errors import ServiceError
from safety.selectors.protocols import protocol_config


def _limits() -> dict:
    return protocol_config()["limits"]


def not_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ServiceError(_("This date is in the future."), field=field, code="future_date")


def require_staff(school: School, users, field: str) -> None:
    """Every user must hold a current staff membership in ``school`` (each id is checked)."""
    ids = sorted({user.pk for user in users if user is not None})
    if not ids:
        return
    staff = set(members_of(school).filter(pk__in=ids).values_list("pk", flat=True))
    missing = [str(pk) for pk in ids if pk not in staff]
    if missing:
        raise ServiceError(
            _("Not a staff member of this school: %(ids)s.") % {"ids": ", ".join(missing)},
            field=field,
            code="not_staff",
        )


def clean_checks(values) -> list[str]:
    """Pre-activity checks: non-empty texts, trimmed, no repeats, within the limits."""
    limits = _limits()
    if not isinstance(values, list | tuple):
        raise ServiceError(_("Give the checks as a list."), field="pre_activity_checks")
    checks = [str(value).strip() for value in values if str(value).strip()]
    if len(checks) > limits["max_checks"]:
        raise ServiceError(
            _("At most %(n)d checks.") % {"n": limits["max_checks"]}, field="pre_activity_checks", code="too_many"
        )
    if any(len(check) > limits["max_check_length"] for check in checks):
        raise ServiceError(
            _("A check is longer than %(n)d characters.") % {"n": limits["max_check_length"]},
            field="pre_activity_checks",
        )
    if len({c.lower() for c in checks}) != len(checks):
        raise ServiceError(_("A check is repeated."), field="pre_activity_checks", code="repeated")
    return checks


def clean_contacts(values) -> list[dict]:
    """Contacts ``{name, role, phone}``: name and phone required, phone made of digits (and + ( ) . -
    spaces, optionally an extension), every text within the limits."""
    limits = _limits()
    if not isinstance(values, list | tuple):
        raise ServiceError(_("Give the contacts as a list."), field="contacts")
    if len(values) > limits["max_contacts"]:
        raise ServiceError(_("At most %(n)d contacts.") % {"n": limits["max_contacts"]}, field="contacts")
    pattern = re.compile(protocol_config()["phone_pattern"], re.IGNORECASE)
    cleaned = []
    for number, item in enumerate(values, start=1):
        if not isinstance(item, dict) or set(item) - {"name", "role", "phone"}:
            raise ServiceError(_("Contact %(n)d: use the keys name, role and phone.") % {"n": number}, field="contacts")
        name, role, phone = (str(item.get(key) or "").strip() for key in ("name", "role", "phone"))
        if not name or not phone:
            raise ServiceError(_("Contact %(n)d needs a name and a phone number.") % {"n": number}, field="contacts")
        if max(len(name), len(role), len(phone)) > limits["max_contact_field_length"]:
            raise ServiceError(_("Contact %(n)d has a text that is too long.") % {"n": number}, field="contacts")
        digits = sum(ch.isdigit() for ch in phone.split("x")[0].split("X")[0].split("ext")[0])
        if not pattern.match(phone) or not limits["phone_min_digits"] <= digits <= limits["phone_max_digits"]:
            raise ServiceError(
                _("Contact %(n)d: “%(phone)s” is not a phone number.") % {"n": number, "phone": phone}, field="contacts"
            )
        cleaned.append({"name": name, "role": role, "phone": phone})
    return cleaned


def clean_steps(values) -> list[dict]:
    """Steps in order: ``{instruction, role}`` (instruction required)."""
    if not isinstance(values, list | tuple):
        raise ServiceError(_("Give the steps as a list."), field="steps")
    if len(values) > _limits()["max_steps"]:
        raise ServiceError(_("At most %(n)d steps.") % {"n": _limits()["max_steps"]}, field="steps")
    steps = []
    for number, item in enumerate(values, start=1):
        if not isinstance(item, dict) or set(item) - {"instruction", "role"}:
            raise ServiceError(_("Step %(n)d: use the keys instruction and role.") % {"n": number}, field="steps")
        instruction = str(item.get("instruction") or "").strip()
        role = str(item.get("role") or "").strip()
        if not instruction:
            raise ServiceError(_("Step %(n)d has no instruction.") % {"n": number}, field="steps")
        if len(instruction) > 400 or len(role) > 80:
            raise ServiceError(_("Step %(n)d is too long.") % {"n": number}, field="steps")
        steps.append({"instruction": instruction, "role": role})
    return steps
