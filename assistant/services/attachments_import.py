"""Fitness results from a list or a table attachment: the ``propose_results`` proposal and the
import done when it is confirmed.

Columns: a student column is one named like "student", "name", "student name" (or a pair
"first name" + "last name"); the value column is the one named after a fitness test of the
school (fuzzy, ``assistant.resolve``), else "value"/"result"/"score" when the test is named.
Students are matched by name among the class's active roster only (the same fuzzy scoring as
everywhere in the assistant); rows whose student is not found are listed, never guessed.
Without a class name the class is the one of the person's classes that enrols most of the
matched students. The import runs ``assessments.services.fitness.record_fitness_results`` on
the latest open test event of the class that includes the test, else on a new event dated today.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError
from assistant import resolve
from assistant.models import Attachment, AttachmentKind
from assistant.tools.base import ActionProposal, Card, ToolResult

TOOL = "propose_results"
STUDENT_HEADERS = {"student", "students", "name", "student name", "full name", "nombre", "estudiante", "alumno"}
FIRST_HEADERS = {"first name", "first", "given name", "nombre"}
LAST_HEADERS = {"last name", "last", "surname", "family name", "apellido", "apellidos"}
VALUE_HEADERS = {"value", "result", "score", "resultado", "valor"}


def _columns(ctx, columns: list[str], test_name: str | None = None):
    """(student column names, value column name, FitnessTest or None)."""
    names = {resolve.normalise(str(c)): str(c) for c in columns}
    first = next((names[n] for n in names if n in FIRST_HEADERS), None)
    last = next((names[n] for n in names if n in LAST_HEADERS), None)
    student = next((names[n] for n in names if n in STUDENT_HEADERS and names[n] not in (first, last)), None)
    student_cols = [student] if student else ([first, last] if first and last else [])
    test = value_col = None
    if test_name and (match := resolve.resolve_test(ctx, test_name)) is not None:
        test = match.obj
    for column in columns:
        if str(column) in student_cols:
            continue
        match = resolve.resolve_test(ctx, str(column))
        if match is not None and (test is None or match.obj.pk == test.pk):
            test, value_col = match.obj, str(column)
            break
    if value_col is None and test is not None:
        value_col = next((names[n] for n in names if n in VALUE_HEADERS), None)
    return student_cols, value_col, test


def looks_like_results(ctx, columns: list[str]) -> bool:
    student_cols, value_col, test = _columns(ctx, columns)
    return bool(student_cols and value_col and test)


def _roster_candidates(ctx, pe_class) -> list:
    from physed.selectors.roster import class_roster

    enrolled = set(class_roster(pe_class).values_list("student_id", flat=True))
    return [row for row in resolve.student_candidates(ctx) if row[0].pk in enrolled]


def _guess_class(ctx, names: list[str]):
    """The person's class enrolling most of the students named (None when no name matches)."""
    from django.db.models import Count, Q

    from physed.models import EnrollmentStatus
    from physed.selectors.roster import class_list

    candidates = resolve.student_candidates(ctx)
    ids = {m.obj.pk for name in names if (m := resolve.best_match(name, candidates)) is not None}
    if not ids:
        return None
    rows = class_list(ctx.user, ctx.school).annotate(
        hits=Count(
            "enrollments",
            filter=Q(enrollments__student_id__in=ids, enrollments__status=EnrollmentStatus.ACTIVE),
        )
    )
    best = max(rows, key=lambda c: (c.hits, c.is_mine, -c.pk), default=None)
    return best if best is not None and best.hits else None


def build_results_proposal(ctx, *, class_name=None, test_name=None, attachment_id=None, results=None) -> ToolResult:
    """The ``propose_results`` result (see the module docstring)."""
    attachment = None
    if attachment_id is not None:
        attachment = (
            Attachment.objects.visible_to(ctx.user)
            .filter(pk=attachment_id, conversation__school=ctx.school, kind=AttachmentKind.TABLE)
            .first()
        )
        if attachment is None:
            return ToolResult(tool=TOOL, ok=False, message=_("I could not find that table attachment."))
        from assistant.services.attachments import table_rows

        table = table_rows(attachment)
        student_cols, value_col, test = _columns(ctx, attachment.table.get("columns", []), test_name)
        if not student_cols or value_col is None:
            return ToolResult(
                tool=TOOL, ok=False, message=_("The table needs a student column and a column named after a test.")
            )
        rows = [(" ".join(str(row.get(c, "")) for c in student_cols).strip(), row.get(value_col, "")) for row in table]
    else:
        match = resolve.resolve_test(ctx, test_name) if test_name else None
        test = match.obj if match else None
        rows = [
            (str(r.get("student_name", "")).strip(), r.get("value", "")) for r in results or [] if isinstance(r, dict)
        ]
    if test is None:
        return ToolResult(tool=TOOL, ok=False, message=_("Say which fitness test the results are for."))
    if not rows:
        return ToolResult(tool=TOOL, ok=False, message=_("There are no results to record."))
    if class_name:
        match = resolve.resolve_class(ctx, class_name)
        if match is None:
            return ToolResult(
                tool=TOOL, ok=False, message=_("I could not find the class “%(name)s”.") % {"name": class_name}
            )
        pe_class = match.obj
    else:
        pe_class = _guess_class(ctx, [name for name, _value in rows if name])
        if pe_class is None:
            return ToolResult(tool=TOOL, ok=False, message=_("Say which class the results are for."))
    roster = _roster_candidates(ctx, pe_class)
    entries, unmatched = [], []
    for number, (name, value) in enumerate(rows, start=1):
        match = resolve.best_match(name, roster) if name else None
        if match is None:
            unmatched.append({"row": number, "name": name})
        else:
            entries.append({"row": number, "student_id": match.obj.pk, "student_name": match.name, "value": value})
    if not entries:
        return ToolResult(
            tool=TOOL,
            ok=False,
            message=_("None of the students named is enrolled in %(class)s.") % {"class": pe_class.name},
        )
    summary = _("Record %(count)d %(test)s results for %(class)s.") % {
        "count": len(entries),
        "test": test.name,
        "class": pe_class.name,
    }
    sentences = [summary]
    if unmatched:
        sentences.append(
            _("Not matched to a student of the class (skipped): %(names)s.")
            % {"names": ", ".join(f"{u['name'] or '?'} (row {u['row']})" for u in unmatched[:10])}
        )
    payload = {
        "class_id": pe_class.pk,
        "test_id": test.pk,
        "attachment_id": attachment.pk if attachment else None,
        "entries": entries,
        "unmatched": unmatched,
    }
    card = Card(
        kind="table",
        title=summary,
        columns=[_("Student"), f"{test.name} ({test.unit})"],
        rows=[[e["student_name"], e["value"]] for e in entries[:20]],
    )
    return ToolResult(
        tool=TOOL,
        data={"class": pe_class.name, "test": test.name, "matched": len(entries), "unmatched": len(unmatched)},
        sentences=[*sentences, _("Confirm to record them, or reject it.")],
        cards=[card],
        proposals=[ActionProposal(kind="record_results", summary=summary[:300], payload=payload)],
    )


def results_proposal_for_attachment(ctx, attachment) -> ToolResult:
    from accounts.selectors import has_school_perm

    if not has_school_perm(ctx.user, "assessments.add_fitnessresult", ctx.school.pk):
        return ToolResult(tool=TOOL, ok=False, message=_("You do not have permission to record fitness results."))
    return build_results_proposal(ctx, attachment_id=attachment.pk)


def _event_for(actor, pe_class, test):
    from assessments.models import TestEvent, TestEventStatus
    from assessments.services.fitness import create_test_event

    event = (
        TestEvent.objects.filter(pe_class=pe_class, tests=test, status=TestEventStatus.OPEN)
        .order_by("-date", "-pk")
        .first()
    )
    if event is not None:
        return event
    today = timezone.localdate()
    return create_test_event(
        actor=actor, pe_class=pe_class, name=f"{test.name} {today.isoformat()}"[:120], date=today, tests=[test]
    )


@transaction.atomic
def import_results(*, actor, school, payload: dict) -> tuple[str, str, dict]:
    """Records the confirmed results; returns (label, url, summary). ``ServiceError`` when refused
    (the ``RowErrors`` of the assessments service name the rows, mapped back to the students)."""
    from assessments.models import FitnessResult
    from assessments.selectors.fitness import tests_for_school
    from assessments.services.fitness import record_fitness_results
    from physed.models import PEClass, Student

    pe_class = PEClass.objects.visible_to(actor).filter(pk=payload.get("class_id"), school=school).first()
    test = tests_for_school(school).filter(pk=payload.get("test_id")).first()
    if pe_class is None or test is None:
        raise ServiceError(_("The class or the test is no longer available."), code="not_found")
    entries = payload.get("entries") or []
    students = Student.objects.visible_to(actor).in_bulk([e["student_id"] for e in entries])
    event = _event_for(actor, pe_class, test)
    existing = set(
        FitnessResult.objects.filter(event=event, test=test, student_id__in=list(students)).values_list(
            "student_id", flat=True
        )
    )
    rows, usable = [], []
    for entry in entries:
        student = students.get(entry["student_id"])
        if student is None:
            rows.append(
                {"row": entry["row"], "student": entry["student_name"], "status": "error", "error": _("Not found.")}
            )
        else:
            usable.append((entry, student))
    try:
        record_fitness_results(
            actor=actor,
            event=event,
            entries=[{"student": student, "test": test, "value": entry["value"]} for entry, student in usable],
        )
    except ServiceError as exc:
        problems = getattr(exc, "rows", {}) or {}
        details = [
            f"{usable[index][0]['student_name']} (row {usable[index][0]['row']}): "
            + "; ".join(m for messages in fields.values() for m in messages)
            for index, fields in sorted(problems.items())
            if index < len(usable)
        ]
        raise ServiceError(
            (exc.message + (" — " + " | ".join(details[:10]) if details else ""))[:1000], code="import_failed"
        ) from exc
    for entry, student in usable:
        status = "updated" if student.pk in existing else "created"
        rows.append({"row": entry["row"], "student": entry["student_name"], "status": status})
    rows += [
        {"row": u["row"], "student": u["name"], "status": "error", "error": _("Not matched.")}
        for u in payload.get("unmatched", [])
    ]
    rows.sort(key=lambda r: r["row"])
    summary = {
        "event_id": event.pk,
        "created": sum(1 for r in rows if r["status"] == "created"),
        "updated": sum(1 for r in rows if r["status"] == "updated"),
        "errors": sum(1 for r in rows if r["status"] == "error"),
        "rows": rows,
    }
    if payload.get("attachment_id"):
        Attachment.objects.visible_to(actor).filter(pk=payload["attachment_id"]).update(
            imported_at=timezone.now(), import_summary=summary
        )
    label = _("%(test)s results for %(class)s (%(event)s)") % {
        "test": test.name,
        "class": pe_class.name,
        "event": event.name,
    }
    return label[:200], reverse("assessments-event-detail", args=[event.pk]), summary
