"""Class tools: ``list_classes`` (the person's classes) and ``class_overview`` (roster size,
attendance rate, recent and next sessions, at-risk count) — from ``physed.selectors.roster``,
``physed.selectors.attendance``, ``physed.selectors.sessions`` and ``progress.selectors.at_risk``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assistant.tools.base import Card, Tool, ToolResult, register
from assistant.tools.common import CLASS_NAME, class_link, find_class, link, may, percent, require_class_access


def _grades(pe_class) -> str:
    if pe_class.grade_from == pe_class.grade_to:
        return str(pe_class.grade_from)
    return f"{pe_class.grade_from}–{pe_class.grade_to}"


class ListClasses(Tool):
    name = "list_classes"
    description = "The person's PE classes in this school (their own first): name, grades, students, link."
    parameters = {"type": "object", "properties": {}, "additionalProperties": False}
    permission = "physed.view_peclass"

    def run(self, ctx, **arguments) -> ToolResult:
        from physed.selectors.roster import class_list

        rows = list(class_list(ctx.user, ctx.school).prefetch_related(None))
        mine = [c for c in rows if c.is_mine] or rows
        result = ToolResult(tool=self.name)
        if not mine:
            result.sentences.append(_("You have no active classes in this school."))
            result.data = {"classes": []}
            return result
        result.data = {
            "classes": [
                {"id": c.pk, "name": c.name, "grades": _grades(c), "students": c.enrolled, "mine": c.is_mine}
                for c in mine
            ]
        }
        result.sentences.append(
            ngettext("You have %(count)d class:", "You have %(count)d classes:", len(mine)) % {"count": len(mine)}
            + " "
            + "; ".join(
                _("%(name)s (grade %(grades)s, %(students)d students)")
                % {"name": c.name, "grades": _grades(c), "students": c.enrolled}
                for c in mine
            )
            + "."
        )
        result.citations = [class_link(c) for c in mine]
        result.cards.append(
            Card(
                kind="table",
                title=_("Your classes"),
                columns=[_("Class"), _("Grades"), _("Students")],
                rows=[[c.name, _grades(c), c.enrolled] for c in mine],
                links=list(result.citations),
            )
        )
        return result


class ClassOverview(Tool):
    name = "class_overview"
    description = "One class: roster size, attendance rate, recent and next sessions, students at risk."
    parameters = {
        "type": "object",
        "properties": {"class_name": CLASS_NAME},
        "required": ["class_name"],
        "additionalProperties": False,
    }
    permission = "physed.view_peclass"

    def run(self, ctx, class_name: str = "", **arguments) -> ToolResult:
        from physed.selectors.attendance import class_attendance_summary
        from physed.selectors.roster import class_roster
        from physed.selectors.sessions import upcoming_and_recent

        pe_class = find_class(ctx, class_name)
        require_class_access(ctx, pe_class, "physed.view_peclass")
        size = class_roster(pe_class).count()
        summary = class_attendance_summary(pe_class)
        upcoming, recent = upcoming_and_recent(pe_class, limit=3, today=ctx.today)
        result = ToolResult(tool=self.name, citations=[class_link(pe_class)])
        data = {
            "class": {"id": pe_class.pk, "name": pe_class.name},
            "students": size,
            "attendance_rate": summary["attendance_rate"],
            "participation_rate": summary["participation_rate"],
            "recorded": summary["total"],
            "upcoming": [{"id": s.pk, "date": s.date.isoformat(), "title": s.title} for s in upcoming],
            "recent": [{"id": s.pk, "date": s.date.isoformat(), "title": s.title} for s in recent],
        }
        result.sentences.append(_("%(name)s has %(count)d students enrolled.") % {"name": pe_class.name, "count": size})
        if summary["total"]:
            result.sentences.append(
                _("Attendance is %(attendance)s and participation %(participation)s over %(records)d records.")
                % {
                    "attendance": percent(summary["attendance_rate"]),
                    "participation": percent(summary["participation_rate"]),
                    "records": summary["total"],
                }
            )
        else:
            result.sentences.append(_("No attendance has been recorded yet."))
        if upcoming:
            result.sentences.append(_("Next session: %(date)s.") % {"date": upcoming[0].date.isoformat()})
        if recent:
            result.sentences.append(_("Last session: %(date)s.") % {"date": recent[0].date.isoformat()})
        for session in upcoming[:1] + recent[:1]:
            result.citations.append(link(f"{session.date.isoformat()}", "session-detail", session.pk, kind="session"))
        if may(ctx, "progress.view_goal"):
            from progress.selectors.at_risk import at_risk

            flagged = at_risk(pe_class, today=ctx.today)
            data["at_risk"] = len(flagged)
            result.sentences.append(
                ngettext(
                    "%(count)d student is flagged at risk.", "%(count)d students are flagged at risk.", len(flagged)
                )
                % {"count": len(flagged)}
            )
        result.data = data
        return result


register(ListClasses())
register(ClassOverview())
