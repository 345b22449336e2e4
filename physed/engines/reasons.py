"""Reason sentences and default modification texts (translatable). The engines emit
``Reason(key, params)`` — plain data that is stored as JSON — and pages/API render it in the
reader's language with ``render_reason``."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Reason:
    key: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"key": self.key, "params": dict(self.params)}


TEMPLATES = {
    # adaptation
    "rpe_high": _("RPE %(mean)s average over the last %(n)s sessions (≥ %(threshold)s = very hard)"),
    "rpe_low": _(
        "RPE %(mean)s average over the last %(n)s sessions (≤ %(threshold)s = easy) with good scores "
        "(%(metric)s at %(share)s of its scale)"
    ),
    "hr_sustained": _(
        "Average heart rate %(share)s of the age-predicted maximum (%(hrmax)s bpm at age %(age)s, %(formula)s) "
        "over the last %(n)s sessions (above %(threshold)s = sustained near-maximal)"
    ),
    "hr_peak": _(
        "Peak heart rate at or above %(threshold)s of the age-predicted maximum (%(hrmax)s bpm at age %(age)s) "
        "in %(count)s of the last %(n)s sessions"
    ),
    "score_falling": _("%(metric)s falling by %(slope)s of its scale per session over the last %(n)s sessions"),
    "score_rising": _("%(metric)s rising by %(slope)s of its scale per session over the last %(n)s sessions"),
    "skill_gap_easier": _("Activity difficulty %(difficulty)s is well above the student's skill level %(skill)s"),
    "skill_gap_harder": _("Activity difficulty %(difficulty)s is well below the student's skill level %(skill)s"),
    "preferred_kind": _("This kind of modification is in the student's profile as preferred"),
    "attendance_sitting_out": _("Sitting out today (injury)"),
    "attendance_medical": _("Medical status today"),
    "attendance_not_dressed": _("Not dressed for activity today"),
    "attendance_late": _("Arrived %(minutes)s minutes late: the warm-up was missed"),
    "restriction": _("Restriction “%(restriction)s” conflicts with %(activity)s (%(detail)s)"),
    "environment": _("%(alert)s alert (level %(level)s): %(message)s"),
    # recommendation
    "need": _("%(component)s: %(share)s of the students with results are below the school median for their grade"),
    "need_none": _("No measured gap in the components it develops"),
    "variety_category": _("%(category)s was done %(ago)s session(s) ago"),
    "equipment_missing": _("Needs equipment that is not available: %(missing)s"),
    "space_mismatch": _("Written for %(activity_space)s; the class uses %(space)s"),
    "pool_needed": _("Needs a pool; the class uses %(space)s"),
    "group_too_small": _("Needs at least %(min)s players; the class has %(size)s"),
    "duration_over": _("Takes %(duration)s minutes; %(available)s minutes are available"),
    "grade_match": _("Written for the class's grade span"),
    "grade_adjacent": _("Written for a neighbouring grade span"),
    "grade_other": _("Not written for the class's grade span"),
    "environment_outdoor": _("%(alert)s alert and this activity is outdoors"),
    "environment_excluded": _("%(alert)s alert at level %(level)s: no outdoor activities"),
    "environment_vigorous": _("%(alert)s alert and this activity is vigorous"),
    "risk_level": _("Risk level %(level)s of 4"),
    "risk_restrictions": _("%(count)s student(s) have a “%(restriction)s” restriction it conflicts with"),
    "preference_up": _("Picked before at your school (learned preference %(value)s)"),
    "preference_down": _("Dismissed before at your school (learned preference %(value)s)"),
    "skill_fit": _("Difficulty %(difficulty)s against skill level %(skill)s"),
    "restriction_modified": _("Needs a modification for the “%(restriction)s” restriction (%(kind)s)"),
    "restriction_excluded": _("Conflicts with the “%(restriction)s” restriction and has no modification for it"),
}


def _variety_activity(count: int) -> str:
    return ngettext("Done in the last session", "Done %(ago)s sessions ago", count)


# keys whose sentence depends on a count: (the count's param, the template for that count)
PLURALS = {"variety_activity": ("ago", _variety_activity)}

# texts used when an activity has no modification of the needed kind (keys: "<kind>:<direction>",
# "restriction:<kind>", "attendance:<status>", "environment")
DEFAULT_TEXTS = {
    "intensity:easier": _("Lower the intensity: walk instead of run, longer rests, a conversational pace."),
    "intensity:harder": _("Raise the intensity: shorter rests, a faster pace or an extra challenge."),
    "duration:easier": _("Shorten the work: shorter bouts with a rest between them."),
    "duration:harder": _("Extend the work time of the block."),
    "rules:easier": _("Simplify the rules: fewer rules, no defender or a protected zone."),
    "rules:harder": _("Add a rule that raises the challenge (fewer touches, a time limit, a defender)."),
    "equipment:easier": _("Use easier equipment: larger, lighter or softer balls, bigger or closer targets."),
    "equipment:harder": _("Use more demanding equipment: smaller balls, smaller or farther targets."),
    "instruction:easier": _("Demonstrate, give one cue at a time and check for understanding."),
    "instruction:harder": _("Give a tactical problem to solve instead of step-by-step instructions."),
    "group_size:easier": _("Work in smaller groups so the student gets more turns and less pressure."),
    "group_size:harder": _("Play in larger groups or outnumbered (e.g. 2 against 3)."),
    "space:easier": _("Use a smaller area or a marked lane of their own."),
    "space:harder": _("Use a larger area that demands more movement."),
    "assistance:easier": _("Take an assistant role: scorekeeper, timer, referee's helper or equipment manager."),
    "assistance:harder": _("Lead a group or demonstrate for peers."),
    "restriction:no_contact": _("Play a non-contact version: no tackling or body contact; tag by touching the ball."),
    "restriction:no_high_impact": _("Replace jumps and landings with low-impact moves (step instead of jump)."),
    "restriction:no_running": _("Walk or move in a marked zone instead of running; a partner fetches balls."),
    "restriction:limited_duration": _("Join for part of the block, then rest or take an assistant role."),
    "restriction:no_vigorous": _("Work at a light to moderate pace with rests whenever needed."),
    "restriction:no_aquatics": _("Take a poolside role (timer, coach's helper) or a dry-land alternative."),
    "attendance:sitting_out": _("Seated or assistant role: scorekeeper, timer, referee's helper or equipment manager."),
    "attendance:medical": _("Seated or assistant role as the medical status allows; no exertion."),
    "attendance:not_dressed": _("Non-active role for this block: scorekeeper, peer coach or equipment manager."),
    "attendance:late": _("A short individual warm-up (about 5 minutes) before joining the block."),
    "environment": _("Lower the intensity for everyone: shade breaks, water every 10–15 minutes, shorter bouts."),
}


def default_text(key: str) -> str:
    return str(DEFAULT_TEXTS.get(key, ""))


def _label(key: str, value):
    """Some params are codes rendered as their translated labels."""
    if key == "restriction":
        from physed.models.adaptation import RestrictionKind

        return dict(RestrictionKind.choices).get(value, value)
    if key == "component":
        from physed.models.library import FitnessComponent

        return dict(FitnessComponent.choices).get(value, value)
    if key == "category":
        from physed.models.library import ActivityCategory

        return dict(ActivityCategory.choices).get(value, value)
    if key in ("space", "activity_space"):
        from physed.models.roster import Space

        return dict(Space.choices).get(value, value)
    if key == "kind":
        from physed.models.adaptation import ModificationKind

        return dict(ModificationKind.choices).get(value, value)
    return value


def render_reason(reason) -> str:
    """``reason`` is a ``Reason`` or its dict form; unknown keys render as the key itself."""
    if isinstance(reason, dict):
        key, params = reason.get("key", ""), reason.get("params") or {}
    else:
        key, params = reason.key, reason.params
    params = {name: _label(name, value) for name, value in params.items()}
    if key in PLURALS:
        count_param, template_for = PLURALS[key]
        return template_for(int(params.get(count_param) or 0)) % params
    template = TEMPLATES.get(key)
    if template is None:
        return key
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
