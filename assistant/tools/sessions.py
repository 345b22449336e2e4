"""``upcoming_sessions``: the planned sessions of one class (or of the person's own classes) in
the next ``days`` days (default ``DEFAULT_DAYS``), from the scoped ``ClassSession`` queryset."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assistant.tools.base import Card, Tool, ToolResult, register
from assistant.tools.common import CLASS_NAME, class_link, find_class, link, require_class_access

DEFAULT_DAYS = 7
LIMIT = 20


class UpcomingSessions(Tool):
    name = "upcoming_sessions"
    description = "Planned sessions of a class (or of all the person's classes) in the next N days."
    parameters = {
        "type": "object",
        "properties": {"class_name": CLASS_NAME, "days": {"type": "integer", "description": "Default 7."}},
        "additionalProperties": False,
    }
    permission = "physed.view_classsession"

    def run(self, ctx, class_name=None, days=None, **arguments) -> ToolResult:
        from physed.models import ClassSession, SessionStatus

        days = max(1, min(int(days or DEFAULT_DAYS), 366))
        until = ctx.today + datetime.timedelta(days=days)
        rows = (
            ClassSession.objects.visible_to(ctx.user)
            .filter(pe_class__school=ctx.school, date__gte=ctx.today, date__lte=until)
            .exclude(status__in=[SessionStatus.COMPLETED, SessionStatus.CANCELLED])
            .select_related("pe_class")
            .order_by("date", "start_time", "pk")
        )
        result = ToolResult(tool=self.name)
        if class_name:
            pe_class = find_class(ctx, class_name)
            require_class_access(ctx, pe_class, "physed.view_classsession")
            rows = rows.filter(pe_class=pe_class)
            who = pe_class.name
            result.citations.append(class_link(pe_class))
        else:
            rows = rows.filter(pe_class__teachers=ctx.user)
            who = _("your classes")
        sessions = list(rows[:LIMIT])
        result.data = {
            "days": days,
            "sessions": [
                {
                    "id": s.pk,
                    "class": s.pe_class.name,
                    "date": s.date.isoformat(),
                    "start": s.start_time.strftime("%H:%M") if s.start_time else "",
                    "title": s.title,
                }
                for s in sessions
            ],
        }
        if not sessions:
            result.sentences.append(
                _("No sessions are planned for %(who)s in the next %(days)d days.") % {"who": who, "days": days}
            )
            return result
        result.sentences.append(
            ngettext(
                "%(count)d session is planned for %(who)s in the next %(days)d days.",
                "%(count)d sessions are planned for %(who)s in the next %(days)d days.",
                len(sessions),
            )
            % {"count": len(sessions), "who": who, "days": days}
        )
        first = sessions[0]
        result.sentences.append(
            _("The next one is %(class)s on %(date)s%(title)s.")
            % {
                "class": first.pe_class.name,
                "date": first.date.isoformat(),
                "title": f" ({first.title})" if first.title else "",
            }
        )
        links = [
            link(f"{s.pe_class.name} {s.date.isoformat()}", "session-detail", s.pk, kind="session") for s in sessions
        ]
        result.citations += links
        result.cards.append(
            Card(
                kind="table",
                title=_("Upcoming sessions"),
                columns=[_("Date"), _("Time"), _("Class"), _("Lesson")],
                rows=[[r["date"], r["start"], r["class"], r["title"]] for r in result.data["sessions"]],
                links=links,
            )
        )
        return result


register(UpcomingSessions())
