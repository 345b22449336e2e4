"""Write tools: they never write, they propose (``ActionProposal``) what the person may confirm.

Each resolves the names it is given within what the person may see (``assistant.resolve``),
checks the permission the final write will need, and builds a summary in words plus a payload
of resolved ids that ``assistant.services.actions.confirm_action`` carries out with the owning
app's service (a progress goal, a draft content item, fitness results).
"""

from __future__ import annotations

import datetime
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from assistant import resolve
from assistant.tools.base import ActionProposal, Tool, ToolContext, ToolResult, register

GOAL_PERM = "progress.add_goal"
CONTENT_PERM = "content.add_contentitem"
RESULTS_PERM = "assessments.add_fitnessresult"
DEFAULT_GOAL_WEEKS = 6
DEFAULT_LESSON_MINUTES = 45


def _refused(tool: str, message: str) -> ToolResult:
    return ToolResult(tool=tool, ok=False, message=message)


def _not_found(tool: str, what: str, name: str) -> ToolResult:
    return _refused(tool, _("I could not find the %(what)s “%(name)s”.") % {"what": what, "name": name})


def resolve_metric(ctx: ToolContext, name: str):
    """The progress metric (``MetricInfo``) named ``name``: a metric key, a fitness test of the
    school (fuzzy) or the closest metric label (difflib ratio ≥ 0.6)."""
    from progress import metrics

    name = (name or "").strip()
    if not name:
        return None
    info = metrics.describe(ctx.school, name)
    if info is not None:
        return info
    test = resolve.resolve_test(ctx, name)
    if test is not None and (info := metrics.describe(ctx.school, f"fitness.{test.obj.code}")) is not None:
        return info
    wanted = resolve.normalise(name)
    scored = [
        (SequenceMatcher(None, wanted, resolve.normalise(info.label)).ratio(), info.label, info)
        for info in metrics.catalogue(ctx.school)
    ]
    scored = [row for row in scored if row[0] >= 0.6]
    return max(scored, key=lambda row: (row[0], row[1]))[2] if scored else None


class ProposeGoal(Tool):
    name = "propose_goal"
    description = "Propose a goal (metric and target) for a student or a class; created only after confirmation."
    parameters = {
        "type": "object",
        "properties": {
            "student_name": {"type": "string"},
            "class_name": {"type": "string"},
            "metric": {"type": "string", "description": "e.g. PACER, attendance rate"},
            "target": {"type": "number"},
            "due_date": {"type": "string", "description": "YYYY-MM-DD"},
            "title": {"type": "string"},
        },
        "required": ["metric", "target"],
        "additionalProperties": False,
    }

    def run(self, ctx, *, metric, target, student_name=None, class_name=None, due_date=None, title=None):
        if not has_school_perm(ctx.user, GOAL_PERM, ctx.school.pk):
            return _refused(self.name, _("You do not have permission to create goals."))
        student = pe_class = None
        if student_name:
            match = resolve.resolve_student(ctx, student_name)
            if match is None:
                return _not_found(self.name, _("student"), student_name)
            student = match.obj
        elif class_name:
            match = resolve.resolve_class(ctx, class_name)
            if match is None:
                return _not_found(self.name, _("class"), class_name)
            pe_class = match.obj
        else:
            return _refused(self.name, _("Say which student or class the goal is for."))
        info = resolve_metric(ctx, metric)
        if info is None:
            return _not_found(self.name, _("metric"), metric)
        if due_date:
            try:
                deadline = datetime.date.fromisoformat(due_date)
            except ValueError:
                return _refused(self.name, _("The due date must be a date like 2026-12-31."))
        else:
            deadline = ctx.today + datetime.timedelta(weeks=DEFAULT_GOAL_WEEKS)
        if deadline < ctx.today:
            return _refused(self.name, _("The due date is in the past."))
        from progress.selectors.goals import default_baseline

        subject = student.display_name if student else pe_class.name
        baseline = default_baseline(metric_key=info.key, start=ctx.today, student=student, pe_class=pe_class)
        if baseline is None and info.key != "attendance.rate":
            return _refused(
                self.name,
                _("There is no %(metric)s value for %(subject)s yet to start the goal from.")
                % {"metric": info.label, "subject": subject},
            )
        title = (title or "").strip() or _("%(metric)s: %(target)s %(unit)s") % {
            "metric": info.label,
            "target": f"{target:g}",
            "unit": info.unit,
        }
        summary = _(
            "Create the goal “%(title)s” for %(subject)s: %(metric)s from %(baseline)s to %(target)s %(unit)s "
            "by %(date)s."
        ) % {
            "baseline": "–" if baseline is None else f"{float(baseline):g}",
            "title": title.strip(),
            "subject": subject,
            "metric": info.label,
            "target": f"{target:g}",
            "unit": info.unit,
            "date": deadline.isoformat(),
        }
        payload = {
            "student_id": student.pk if student else None,
            "class_id": pe_class.pk if pe_class else None,
            "metric_key": info.key,
            "target": target,
            "deadline": deadline.isoformat(),
            "title": title.strip()[:160],
            "baseline": baseline,
        }
        return ToolResult(
            tool=self.name,
            data={**payload, "subject": subject, "metric": info.label, "unit": info.unit},
            sentences=[summary, _("Confirm to create it, or reject it.")],
            proposals=[ActionProposal(kind="create_goal", summary=summary, payload=payload)],
        )


def _pick_activity(ctx, topic: str, activity_name: str | None):
    from physed.models import Activity

    for name in (activity_name, topic):
        if name and (match := resolve.resolve_activity(ctx, name)) is not None:
            return match.obj
    # the topic may be a skill or a word of the description ("dribbling", "teamwork")
    words = [w for w in resolve.normalise(topic).split() if len(w) > 3 and w not in resolve.STOPWORDS]
    candidates = Activity.objects.visible_to(ctx.user).filter(school__isnull=True) | Activity.objects.visible_to(
        ctx.user
    ).filter(school=ctx.school)
    best = None
    for activity in candidates.order_by("name", "pk"):
        text = resolve.normalise(" ".join([activity.name, activity.description, " ".join(map(str, activity.skills))]))
        hits = sum(1 for word in words if word in text)
        if hits and (best is None or hits > best[0]):
            best = (hits, activity)
    return best[1] if best else None


def _safety_lines(ctx, pe_class, activity) -> list[str]:
    """Class needs as counts by restriction kind (no names, no medical details: the plan is a
    shareable document), only for a person who may see the class's needs."""
    lines = []
    if activity is not None:
        lines.append(
            _("Risk level: %(risk)s; contact: %(contact)s. Check the space and equipment before starting.")
            % {"risk": activity.get_risk_level_display(), "contact": activity.get_contact_level_display()}
        )
    if pe_class is not None and has_school_perm(ctx.user, "safety.view_class_needs", ctx.school.pk):
        from safety.selectors.medical import class_needs, class_students

        needs = class_needs(class_students(pe_class, ctx.today), ctx.today)
        kinds: dict[str, int] = {}
        for need in needs:
            for kind in need.restrictions:
                kinds[kind] = kinds.get(kind, 0) + 1
        for kind, count in sorted(kinds.items()):
            lines.append(
                _("%(count)d student(s) with an activity restriction (%(kind)s): plan an alternative.")
                % {"count": count, "kind": kind.replace("_", " ")}
            )
        urgent = sum(1 for need in needs if need.alert_level == "danger")
        if urgent:
            lines.append(
                _("%(count)d student(s) need emergency medication at hand: check the class needs page first.")
                % {"count": urgent}
            )
        if needs and not kinds and not urgent:
            lines.append(
                _("%(count)d student(s) have PE instructions: read the class needs page.") % {"count": len(needs)}
            )
    lines.append(_("Keep water available and watch for signs of overexertion."))
    return lines


def lesson_plan_body(ctx, *, topic: str, pe_class, activity, minutes: int) -> str:
    """A Markdown lesson plan: warm-up, main activity (with the activity's own instructions, cues,
    equipment and modifications), cool-down and safety notes. Times: warm-up 15 % and cool-down
    10 % of the lesson (at least 5 minutes each), the rest for the main activity."""
    warm = max(5, round(minutes * 0.15))
    cool = max(5, round(minutes * 0.10))
    main = max(5, minutes - warm - cool)
    lines = [f"# {topic}", ""]
    facts = [_("**Duration:** %(minutes)d minutes") % {"minutes": minutes}]
    if pe_class is not None:
        facts.insert(
            0,
            _("**Class:** %(name)s (grades %(low)s–%(high)s)")
            % {
                "name": pe_class.name,
                "low": pe_class.grade_from,
                "high": pe_class.grade_to,
            },
        )
    lines += [" · ".join(facts), "", _("## Warm-up (%(minutes)d min)") % {"minutes": warm}, ""]
    lines.append("- " + _("Pulse raiser: jog, skip and side-step around the space (3 min)."))
    lines.append("- " + _("Dynamic stretches for the muscles the main activity uses (leg swings, arm circles)."))
    if activity is not None and activity.skills:
        lines.append(
            "- " + _("Skill rehearsal without pressure: %(skills)s.") % {"skills": ", ".join(map(str, activity.skills))}
        )
    lines += [
        "",
        _("## Main activity: %(name)s (%(minutes)d min)")
        % {"name": activity.name if activity else topic, "minutes": main},
        "",
    ]
    if activity is not None:
        lines += [activity.instructions.strip(), ""]
        if activity.teaching_cues:
            lines += [_("**Teaching cues:**"), *[f"- {cue}" for cue in activity.teaching_cues], ""]
        equipment = [e.name for e in activity.equipment.all()]
        if equipment:
            lines += [_("**Equipment:** %(items)s") % {"items": ", ".join(equipment)}, ""]
        mods = [m for m in activity.modifications if isinstance(m, dict)]
        if mods:
            lines.append(_("**Modifications:**"))
            for mod in mods:
                if mod.get("easier"):
                    lines.append("- " + _("Easier: %(text)s") % {"text": mod["easier"]})
                if mod.get("harder"):
                    lines.append("- " + _("Harder: %(text)s") % {"text": mod["harder"]})
            lines.append("")
    else:
        lines += [
            _("Practise %(topic)s in small groups, from simple drills to a game situation.") % {"topic": topic},
            "",
        ]
    lines += [_("## Cool-down (%(minutes)d min)") % {"minutes": cool}, ""]
    lines.append("- " + _("Walk and slow breathing until heart rates settle."))
    lines.append("- " + _("Static stretches held 20–30 seconds."))
    lines.append("- " + _("Reflection: one thing that went well, one thing to practise."))
    lines += ["", _("## Safety notes"), "", *[f"- {line}" for line in _safety_lines(ctx, pe_class, activity)], ""]
    return "\n".join(lines)


class ProposeLessonPlan(Tool):
    name = "propose_lesson_plan"
    description = "Draft a lesson plan (warm-up, main activity, cool-down, safety) saved as a draft after confirmation."
    parameters = {
        "type": "object",
        "properties": {
            "topic": {"type": "string"},
            "class_name": {"type": "string"},
            "activity_name": {"type": "string"},
            "duration_minutes": {"type": "integer"},
        },
        "required": ["topic"],
        "additionalProperties": False,
    }

    def run(self, ctx, *, topic, class_name=None, activity_name=None, duration_minutes=None):
        if not has_school_perm(ctx.user, CONTENT_PERM, ctx.school.pk):
            return _refused(self.name, _("You do not have permission to create content."))
        topic = " ".join((topic or "").split())[:150]
        if not topic:
            return _refused(self.name, _("Say what the lesson is about."))
        pe_class = None
        if class_name:
            match = resolve.resolve_class(ctx, class_name)
            if match is None:
                return _not_found(self.name, _("class"), class_name)
            pe_class = match.obj
        activity = _pick_activity(ctx, topic, activity_name)
        minutes = duration_minutes or (activity.duration_minutes if activity and activity.duration_minutes else None)
        minutes = min(240, max(15, int(minutes or DEFAULT_LESSON_MINUTES)))
        body = lesson_plan_body(ctx, topic=topic, pe_class=pe_class, activity=activity, minutes=minutes)
        title = _("Lesson plan: %(topic)s") % {"topic": topic}
        summary = _("Save the draft lesson plan “%(title)s” (%(minutes)d min%(activity)s) in the content library.") % {
            "title": title,
            "minutes": minutes,
            "activity": ", " + activity.name if activity else "",
        }
        payload = {
            "title": title[:200],
            "summary": (_("%(minutes)d-minute lesson on %(topic)s.") % {"minutes": minutes, "topic": topic})[:300],
            "body": body,
            "duration_minutes": minutes,
            "grade_min": pe_class.grade_from if pe_class else 0,
            "grade_max": pe_class.grade_to if pe_class else 12,
            "activity_id": activity.pk if activity else None,
            "class_id": pe_class.pk if pe_class else None,
        }
        return ToolResult(
            tool=self.name,
            data={"title": title, "minutes": minutes, "activity": activity.name if activity else None},
            sentences=[summary, _("Confirm to save it as a draft you can edit, or reject it.")],
            proposals=[ActionProposal(kind="draft_lesson_plan", summary=summary, payload=payload)],
        )


class ProposeResults(Tool):
    name = "propose_results"
    description = (
        "Propose recording fitness results for a class (from a list or an attached table); saved after confirmation."
    )
    parameters = {
        "type": "object",
        "properties": {
            "class_name": {"type": "string"},
            "test_name": {"type": "string"},
            "attachment_id": {"type": "integer"},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"student_name": {"type": "string"}, "value": {"type": ["number", "string"]}},
                },
            },
        },
        "additionalProperties": False,
    }

    def run(self, ctx, *, class_name=None, test_name=None, attachment_id=None, results=None):
        from assistant.services.attachments_import import build_results_proposal

        if not has_school_perm(ctx.user, RESULTS_PERM, ctx.school.pk):
            return _refused(self.name, _("You do not have permission to record fitness results."))
        return build_results_proposal(
            ctx, class_name=class_name, test_name=test_name, attachment_id=attachment_id, results=results
        )


for _tool in (ProposeGoal(), ProposeLessonPlan(), ProposeResults()):
    register(_tool)
