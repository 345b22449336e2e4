"""Helpers shared by the read tools: finding the named class or student (only within what the
person may see, through ``assistant.resolve``), links to the records' pages and number formats.

A name that is not found raises ``ServiceError`` with "I could not find …"; ``run_tool`` turns it
into ``ok=False`` with that message. It never says whether the name exists in another school.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from assistant.resolve import resolve_activity, resolve_class, resolve_student, resolve_test
from assistant.tools.base import Citation

CLASS_NAME = {"type": "string", "description": "The class as the person named it (fuzzy)."}
STUDENT_NAME = {"type": "string", "description": "The student's name as the person wrote it (fuzzy)."}


def not_found(kind: str, name: str) -> ServiceError:
    messages = {
        "class": _("I could not find a class called “%(name)s” among your classes."),
        "student": _("I could not find a student called “%(name)s” among the students you may see."),
        "activity": _("I could not find an activity called “%(name)s”."),
        "test": _("I could not find a fitness test called “%(name)s”."),
    }
    return ServiceError(messages[kind] % {"name": name}, code="not_found", status=404)


def find_class(ctx, name: str):
    match = resolve_class(ctx, name or "")
    if match is None:
        raise not_found("class", name)
    return match.obj


def find_student(ctx, name: str):
    match = resolve_student(ctx, name or "")
    if match is None:
        raise not_found("student", name)
    return match.obj


def find_activity(ctx, name: str):
    match = resolve_activity(ctx, name or "")
    if match is None:
        raise not_found("activity", name)
    return match.obj


def find_test(ctx, name: str):
    match = resolve_test(ctx, name or "")
    if match is None:
        raise not_found("test", name)
    return match.obj


def require_class_access(ctx, pe_class, perm: str) -> None:
    """Class-level staff access as the pages check it (``progress.selectors.at_risk.staff_class_access``:
    the class's teachers, department heads and school admins)."""
    from progress.selectors.at_risk import staff_class_access

    if not staff_class_access(ctx.user, pe_class, perm):
        raise ServiceError(_("You do not have permission to see this."), code="forbidden", status=403)


def may(ctx, perm: str) -> bool:
    return has_school_perm(ctx.user, perm, ctx.school.pk)


def student_name(student) -> str:
    return f"{student.preferred_name or student.first_name} {student.last_name}".strip()


def link(label: str, url_name: str, *args, kind: str = "") -> Citation:
    return Citation(label=str(label), url=reverse(url_name, args=args), kind=kind)


def class_link(pe_class) -> Citation:
    return link(pe_class.name, "class-detail", pe_class.pk, kind="class")


def student_link(student) -> Citation:
    return link(student_name(student), "student-detail", student.pk, kind="student")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"


def number(value, places: int = 1) -> str:
    """A number without trailing zeros ("12", "12.5")."""
    if value is None:
        return "—"
    text = f"{float(value):.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
