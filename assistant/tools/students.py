"""Student tools: ``student_progress`` (latest fitness results with zones, goals, attendance,
at-risk reasons) and ``attendance`` (a class's or a student's attendance, optionally over the last
``days``). Each part is included only when the person holds its permission in the school
(fitness: ``assessments.view_testevent``, goals and at-risk: ``progress.view_goal``)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from assistant.tools.base import Card, Tool, ToolResult, register
from assistant.tools.common import (
    CLASS_NAME,
    STUDENT_NAME,
    class_link,
    find_class,
    find_student,
    link,
    may,
    number,
    percent,
    require_class_access,
    student_link,
    student_name,
)


def _fitness(ctx, student, result: ToolResult) -> None:
    from assessments.selectors.fitness import can_see_body_composition, student_results

    rows = student_results(student, include_body_composition=can_see_body_composition(ctx.user, student))
    latest = {}
    for row in rows:
        latest[row.test_id] = row  # ordered by date: the last one wins
    if not latest:
        result.sentences.append(_("%(name)s has no fitness results yet.") % {"name": student_name(student)})
        return
    table = []
    for row in latest.values():
        value = f"{number(row.value)} {row.test.unit}".strip()
        table.append([row.test.name, value, row.zone, row.event.date.isoformat()])
        result.data.setdefault("fitness", []).append(
            {
                "test": row.test.name,
                "value": float(row.value),
                "unit": row.test.unit,
                "zone": row.zone,
                "date": row.event.date.isoformat(),
                "event": row.event_id,
            }
        )
    described = "; ".join(
        _("%(test)s %(value)s (%(zone)s)") % {"test": t, "value": v, "zone": z or "—"} for t, v, z, _d in table
    )
    result.sentences.append(_("Latest fitness results: %(list)s.") % {"list": described})
    result.cards.append(
        Card(
            kind="table",
            title=_("Latest fitness results"),
            columns=[_("Test"), _("Result"), _("Zone"), _("Date")],
            rows=table,
        )
    )
    newest = max(latest.values(), key=lambda r: r.event.date)
    result.citations.append(link(newest.event.name, "assessments-event-detail", newest.event_id, kind="test_event"))


def _goals(ctx, student, result: ToolResult) -> None:
    from progress.selectors.dashboard import goal_cards

    cards = goal_cards([student])
    result.data["goals"] = [
        {
            "title": c["goal"].title,
            "target": float(c["goal"].target),
            "current": c["current"],
            "percent": c["percent"],
            "deadline": c["goal"].deadline.isoformat(),
        }
        for c in cards
    ]
    for card in cards:
        goal = card["goal"]
        result.sentences.append(
            _("Goal “%(title)s”: %(current)s of target %(target)s %(unit)s by %(deadline)s (%(percent)s done).")
            % {
                "title": goal.title,
                "current": number(card["current"]),
                "target": number(goal.target),
                "unit": goal.unit,
                "deadline": goal.deadline.isoformat(),
                "percent": "—" if card["percent"] is None else f"{card['percent']}%",
            }
        )
        result.citations.append(link(goal.title, "progress-goal-detail", goal.pk, kind="goal"))


def _at_risk(ctx, student, result: ToolResult) -> None:
    from physed.selectors.roster import current_enrollments
    from progress.selectors.at_risk import at_risk, staff_class_access

    for enrollment in current_enrollments(student):
        pe_class = enrollment.pe_class
        if not staff_class_access(ctx.user, pe_class, "progress.view_goal"):
            continue
        for row in at_risk(pe_class, today=ctx.today):
            if row["student"] == student.pk:
                result.data.setdefault("at_risk", []).extend(r["message"] for r in row["reasons"])
                result.sentences.append(
                    _("Flagged at risk in %(class)s: %(reasons)s")
                    % {"class": pe_class.name, "reasons": " ".join(r["message"] for r in row["reasons"])}
                )


class StudentProgress(Tool):
    name = "student_progress"
    description = "One student: latest fitness results with zones, goals, attendance, at-risk reasons."
    parameters = {
        "type": "object",
        "properties": {"student_name": STUDENT_NAME},
        "required": ["student_name"],
        "additionalProperties": False,
    }
    permission = "physed.view_student"

    def run(self, ctx, student_name: str = "", **arguments) -> ToolResult:
        from physed.selectors.attendance import student_attendance_summary

        student = find_student(ctx, student_name)
        result = ToolResult(tool=self.name, citations=[student_link(student)])
        result.data = {"student": {"id": student.pk, "name": student_name_of(student)}}
        if may(ctx, "assessments.view_testevent"):
            _fitness(ctx, student, result)
        if may(ctx, "progress.view_goal"):
            _goals(ctx, student, result)
        if may(ctx, "physed.view_attendancerecord"):
            summary = student_attendance_summary(student, today=ctx.today)
            result.data["attendance_rate"] = summary["attendance_rate"]
            if summary["total"]:
                result.sentences.append(
                    _("Attended %(rate)s of %(total)d recorded sessions.")
                    % {"rate": percent(summary["attendance_rate"]), "total": summary["total"]}
                )
        if may(ctx, "progress.view_goal"):
            _at_risk(ctx, student, result)
        return result


def student_name_of(student) -> str:
    return student_name(student)


class Attendance(Tool):
    name = "attendance"
    description = "Attendance of a class or a student (rates and counts), optionally over the last N days."
    parameters = {
        "type": "object",
        "properties": {
            "class_name": CLASS_NAME,
            "student_name": STUDENT_NAME,
            "days": {"type": "integer", "description": "Only the last N days."},
        },
        "additionalProperties": False,
    }
    permission = "physed.view_attendancerecord"

    def run(self, ctx, class_name=None, student_name=None, days=None, **arguments) -> ToolResult:
        from physed.models import AttendanceRecord, SessionStatus
        from physed.models.sessions import ON_SITE_STATUSES, PARTICIPATING_STATUSES

        result = ToolResult(tool=self.name)
        records = AttendanceRecord.objects.visible_to(ctx.user).exclude(session__status=SessionStatus.CANCELLED)
        subject = []
        if class_name:
            pe_class = find_class(ctx, class_name)
            require_class_access(ctx, pe_class, "physed.view_attendancerecord")
            records = records.filter(session__pe_class=pe_class)
            subject.append(pe_class.name)
            result.citations.append(class_link(pe_class))
            result.data["class"] = {"id": pe_class.pk, "name": pe_class.name}
        if student_name:
            student = find_student(ctx, student_name)
            records = records.filter(student=student)
            subject.append(student_name_of(student))
            result.citations.append(student_link(student))
            result.data["student"] = {"id": student.pk, "name": student_name_of(student)}
        if not subject:
            from physed.selectors.roster import class_list

            mine = class_list(ctx.user, ctx.school).filter(teachers=ctx.user)
            records = records.filter(session__pe_class__in=mine.values("pk"))
            subject.append(_("your classes"))
        if days:
            since = ctx.today - datetime.timedelta(days=int(days))
            records = records.filter(session__date__gt=since, session__date__lte=ctx.today)
        statuses = list(records.values_list("status", flat=True))
        total = len(statuses)
        on_site = sum(s in ON_SITE_STATUSES for s in statuses)
        participating = sum(s in PARTICIPATING_STATUSES for s in statuses)
        counts = {status: statuses.count(status) for status in sorted(set(statuses))}
        rate = on_site / total if total else None
        result.data.update(
            {
                "records": total,
                "counts": counts,
                "attendance_rate": rate,
                "participation_rate": participating / total if total else None,
                "days": days,
            }
        )
        who = " / ".join(subject)
        if not total:
            result.sentences.append(_("No attendance is recorded for %(who)s in that period.") % {"who": who})
            return result
        if days:
            sentence = _(
                "%(who)s, last %(days)d days: attendance %(rate)s, participation %(part)s (%(total)d records)."
            )
        else:
            sentence = _("%(who)s: attendance %(rate)s, participation %(part)s (%(total)d records).")
        result.sentences.append(
            sentence
            % {
                "who": who,
                "days": days or 0,
                "rate": percent(rate),
                "part": percent(participating / total),
                "total": total,
            }
        )
        result.cards.append(
            Card(
                kind="chart",
                title=_("Attendance records by status"),
                unit=_("records"),
                series=[{"label": status, "value": count} for status, count in counts.items()],
            )
        )
        return result


register(StudentProgress())
register(Attendance())
