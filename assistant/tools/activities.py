"""Activity tools: ``recommend_activities`` (the physed recommendation engine for a class, with
its reasons; an optional focus keeps the ranked activities whose name, category or fitness
components mention it) and ``adaptations`` (restrictions in force for a student or a class the
person may see, what they conflict with in a named activity and the activity's own easier
modification; pending adaptation proposals)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from assistant.resolve import normalise
from assistant.tools.base import Card, Tool, ToolResult, register
from assistant.tools.common import (
    CLASS_NAME,
    STUDENT_NAME,
    class_link,
    find_activity,
    find_class,
    find_student,
    link,
    may,
    require_class_access,
    student_link,
)
from assistant.tools.common import student_name as display_name

SHOWN = 5
CANDIDATES = 30


def _mentions_focus(row: dict, focus: str) -> bool:
    activity = row["activity"]
    haystack = " ".join(
        [activity["name"], activity["category"], str(activity["category_label"]), *activity["fitness_components"]]
    )
    return all(word in normalise(haystack) for word in normalise(focus).split())


class RecommendActivities(Tool):
    name = "recommend_activities"
    description = "Activities the recommendation engine ranks best for a class, with its reasons."
    parameters = {
        "type": "object",
        "properties": {
            "class_name": CLASS_NAME,
            "focus": {"type": "string", "description": "e.g. aerobic, invasion games, flexibility."},
        },
        "required": ["class_name"],
        "additionalProperties": False,
    }
    permission = "physed.view_activity"

    def run(self, ctx, class_name: str = "", focus=None, **arguments) -> ToolResult:
        from physed.selectors.recommendation import Filters, present, recommend_for_class

        pe_class = find_class(ctx, class_name)
        require_class_access(ctx, pe_class, "physed.view_peclass")
        shown = present(recommend_for_class(pe_class, Filters(limit=CANDIDATES)))
        rows = shown["results"]
        result = ToolResult(tool=self.name, citations=[class_link(pe_class)])
        if focus:
            focused = [row for row in rows if _mentions_focus(row, focus)]
            if not focused:
                result.sentences.append(
                    _("None of the recommended activities matches “%(focus)s”; here are the best overall.")
                    % {"focus": focus}
                )
            rows = focused or rows
        rows = rows[:SHOWN]
        result.data = {
            "class": {"id": pe_class.pk, "name": pe_class.name},
            "considered": shown["considered"],
            "gaps": [{"component": g["label"], "share_below": g["share_below"]} for g in shown["gaps"]],
            "recommendations": [
                {"activity": row["activity"]["name"], "score": row["score"], "reasons": row["reasons"]} for row in rows
            ],
        }
        if not rows:
            result.sentences.append(
                _("The engine found no suitable activity for %(class)s.") % {"class": pe_class.name}
            )
            return result
        result.sentences.append(
            _("For %(class)s I recommend %(list)s (out of %(count)d activities considered).")
            % {
                "class": pe_class.name,
                "list": ", ".join(row["activity"]["name"] for row in rows),
                "count": shown["considered"],
            }
        )
        if rows[0]["reasons"]:
            result.sentences.append(
                _("Why %(activity)s: %(reasons)s.")
                % {"activity": rows[0]["activity"]["name"], "reasons": "; ".join(rows[0]["reasons"][:3])}
            )
        if shown["gaps"]:
            gap = shown["gaps"][0]
            result.sentences.append(
                _("Biggest fitness gap: %(component)s (%(share)s of students below the healthy zone).")
                % {"component": gap["label"], "share": gap["share_label"]}
            )
        links = [
            link(row["activity"]["name"], "activity-detail", row["activity"]["id"], kind="activity") for row in rows
        ]
        result.citations += links
        result.cards.append(
            Card(
                kind="table",
                title=_("Recommended activities"),
                columns=[_("Activity"), _("Score"), _("Why")],
                rows=[[row["activity"]["name"], row["score"], "; ".join(row["reasons"][:2])] for row in rows],
                links=links,
            )
        )
        return result


def _restrictions(ctx, students) -> dict[int, list[str]]:
    """Restriction kinds in force today that the person may see: the safety restrictions (with
    ``safety.view_class_needs``) and the adaptation profiles' (with ``physed.view_adaptationprofile``)."""
    kinds: dict[int, list[str]] = {}
    if may(ctx, "safety.view_class_needs"):
        from safety.selectors.medical import restriction_provider

        for sid, found in restriction_provider(students, ctx.today).items():
            kinds.setdefault(sid, []).extend(found)
    if may(ctx, "physed.view_adaptationprofile"):
        from physed.models import AdaptationProfile

        for profile in AdaptationProfile.objects.filter(student__in=students):
            for kind in profile.active_restrictions(ctx.today):
                if kind not in kinds.setdefault(profile.student_id, []):
                    kinds[profile.student_id].append(kind)
    return kinds


class Adaptations(Tool):
    name = "adaptations"
    description = "Adaptations for a student or a class: restrictions in force and how to modify an activity."
    parameters = {
        "type": "object",
        "properties": {
            "student_name": STUDENT_NAME,
            "class_name": CLASS_NAME,
            "activity_name": {"type": "string", "description": "The activity to adapt (fuzzy)."},
        },
        "additionalProperties": False,
    }
    permission = "physed.view_adaptationproposal"

    def run(self, ctx, student_name=None, class_name=None, activity_name=None, **arguments) -> ToolResult:
        from physed.engines.adaptation import modification_text, restriction_conflict, restriction_kinds
        from physed.engines.types import EASIER
        from physed.models import RestrictionKind
        from physed.selectors.adaptation import activity_info
        from physed.selectors.recommendation import class_students

        result = ToolResult(tool=self.name)
        if student_name:
            students = [find_student(ctx, student_name)]
            result.citations.append(student_link(students[0]))
        elif class_name:
            pe_class = find_class(ctx, class_name)
            require_class_access(ctx, pe_class, "physed.view_peclass")
            students = class_students(pe_class)
            result.citations.append(class_link(pe_class))
        else:
            result.ok = False
            result.message = _("Name a student or a class.")
            return result
        activity = find_activity(ctx, activity_name) if activity_name else None
        info = activity_info(activity) if activity else None
        kinds = _restrictions(ctx, students)
        labels = dict(RestrictionKind.choices)
        rows, data = [], []
        for student in students:
            for kind in kinds.get(student.pk, []):
                conflict = restriction_conflict(kind, info) if info else None
                change = ""
                if conflict:
                    change = " ".join(modification_text(info, mk, EASIER) for mk in restriction_kinds(kind)[:1])
                rows.append([display_name(student), str(labels.get(kind, kind)), conflict or "", change])
                data.append(
                    {"student": display_name(student), "restriction": kind, "conflict": conflict, "change": change}
                )
        result.data = {"restrictions": data, "activity": activity.name if activity else None}
        if activity:
            result.citations.append(link(activity.name, "activity-detail", activity.pk, kind="activity"))
        if not rows:
            result.sentences.append(_("No activity restrictions in force that you may see."))
        else:
            affected = len({r[0] for r in rows})
            result.sentences.append(_("%(count)d student(s) have restrictions in force today.") % {"count": affected})
            for name, label, conflict, change in rows:
                if conflict:
                    result.sentences.append(
                        _("%(student)s (%(restriction)s) conflicts with %(activity)s (%(why)s): %(change)s")
                        % {
                            "student": name,
                            "restriction": label,
                            "activity": activity.name,
                            "why": conflict,
                            "change": change,
                        }
                    )
            result.cards.append(
                Card(
                    kind="table",
                    title=_("Restrictions and adaptations"),
                    columns=[_("Student"), _("Restriction"), _("Conflict"), _("Change")],
                    rows=rows,
                )
            )
        if info and info.modifications:
            result.data["modifications"] = [dict(m) for m in info.modifications]
            easier = [str(m.get(EASIER)) for m in info.modifications if m.get(EASIER)]
            if easier:
                result.sentences.append(
                    _("%(activity)s can be made easier: %(list)s")
                    % {"activity": activity.name, "list": "; ".join(easier[:3])}
                )
        return result


register(RecommendActivities())
register(Adaptations())
