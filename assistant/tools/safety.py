"""Safety tools: ``safety_status`` (the current environment status for a class's usual space or
outdoors, with its reasons, and what the class needs — counts only) and ``heat_guidance`` (the
school's environment rule set evaluated for a typed temperature: category, decision and the
concrete actions, naming the rule set's sources). Both read ``safety.selectors.environment`` and
``safety.selectors.medical``; the rule sets are data with sources (``docs/safety-environment.md``).

Humidity: the heat index (and a WBGT estimate) need it. When it is not given, ``heat_guidance``
answers at ``HEADLINE_HUMIDITY`` % and shows how the answer changes over ``HUMIDITY_SCENARIOS``,
saying so and asking for the humidity. WBGT rule sets: a typed temperature has no WBGT reading,
so it is estimated with the Australian Bureau of Meteorology approximation
``WBGT = 0.567·T + 0.393·e + 3.94`` (°C; ``e`` the water-vapour pressure in hPa from the
humidity; it assumes sun and light wind) — flagged as an estimate, since the rule sets ask for an
instrument reading.
"""

from __future__ import annotations

import math
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _

from assistant.tools.base import Card, Citation, Tool, ToolResult, register
from assistant.tools.common import CLASS_NAME, class_link, find_class, link, may, number, require_class_access

DECISIONS = ("go", "modify", "indoors", "stop")  # least → most restrictive (safety.engines.rules)
HUMIDITY_SCENARIOS = (30, 50, 70)  # % relative humidity shown when none is given
HEADLINE_HUMIDITY = 50


def estimated_wbgt_c(temperature_c: float, humidity: float) -> float:
    """Australian Bureau of Meteorology WBGT approximation (see the module docstring)."""
    vapour_hpa = humidity / 100 * 6.105 * math.exp(17.27 * temperature_c / (237.7 + temperature_c))
    return 0.567 * temperature_c + 0.393 * vapour_hpa + 3.94


# measures a heat question does not give: shown as "0" they would read as "no lightning seen"
NOT_ASKED = ("lightning", "precipitation")


def evaluate_at(rule_set, temperature_c: float, humidity: float):
    from safety.engines import weather
    from safety.selectors.environment import evaluate_measures

    wbgt = estimated_wbgt_c(temperature_c, humidity) if "wbgt_f" in (rule_set.rules or {}) else None
    values = weather.measures(temperature_c=temperature_c, relative_humidity=humidity, wbgt_c=wbgt)
    return evaluate_measures(values, rule_set), wbgt is not None


def class_needs_summary(ctx, pe_class, result: ToolResult) -> None:
    """Counts of what the class's students need (no names, no medical details)."""
    if not may(ctx, "safety.view_class_needs"):
        return
    from safety.selectors.medical import class_needs, class_students

    needs = class_needs(class_students(pe_class, ctx.today), ctx.today)
    conditions = Counter(c.label for n in needs for c in n.conditions)
    restrictions = Counter(r for n in needs for r in n.restrictions)
    at_hand = sum(1 for n in needs if n.medications)
    result.data["class_needs"] = {
        "students": len(needs),
        "conditions": dict(conditions),
        "restrictions": dict(restrictions),
        "medication_at_hand": at_hand,
    }
    if not needs:
        result.sentences.append(_("No student in %(class)s has recorded needs for PE.") % {"class": pe_class.name})
        return
    listed = ", ".join(f"{label}: {count}" for label, count in conditions.most_common())
    result.sentences.append(
        _("In %(class)s, %(count)d student(s) have needs to plan for (%(list)s); %(meds)d keep medication at hand.")
        % {"class": pe_class.name, "count": len(needs), "list": listed or "—", "meds": at_hand}
    )
    result.citations.append(link(_("Class needs"), "safety-class-needs", pe_class.pk, kind="class_needs"))


def _deciding(measures) -> list:
    """The measures that set the decision (the most restrictive band found)."""
    rated = [m for m in measures if m.band_label]
    if not rated:
        return []
    worst = max(DECISIONS.index(m.decision) for m in rated if m.decision in DECISIONS)
    return [m for m in rated if DECISIONS.index(m.decision) == worst]


def _rule_set_citations(rule_set) -> list[Citation]:
    cites = [link(rule_set.name, "safety-environment-rule-set", rule_set.pk, kind="rule_set")]
    for source in rule_set.sources or []:
        if isinstance(source, dict) and source.get("url"):
            cites.append(Citation(label=source.get("title") or source["url"], url=source["url"], kind="source"))
    return cites


class SafetyStatus(Tool):
    name = "safety_status"
    description = "The current environment status (go / modify / indoors / stop, with reasons) and what a class needs."
    parameters = {"type": "object", "properties": {"class_name": CLASS_NAME}, "additionalProperties": False}
    permission = "safety.view_environmentreading"

    def run(self, ctx, class_name=None, **arguments) -> ToolResult:
        from safety.selectors.environment import current_status, decision_word

        pe_class = None
        if class_name:
            pe_class = find_class(ctx, class_name)
            require_class_access(ctx, pe_class, "physed.view_peclass")
        status = current_status(ctx.school, pe_class.space if pe_class else None, timezone.now())
        result = ToolResult(
            tool=self.name, citations=[link(_("Environment status"), "safety-environment", kind="environment")]
        )
        result.data = {
            "decision": status.decision,
            "stale": status.stale,
            "space": status.space,
            "actions": list(status.actions),
            "reasons": list(status.reasons),
            "rule_set": status.rule_set.name if status.rule_set else None,
        }
        result.sentences.append(_("Current status: %(decision)s.") % {"decision": decision_word(status.decision)})
        result.sentences += list(status.reasons)
        if status.actions:
            result.sentences.append(_("Actions: %(list)s.") % {"list": "; ".join(status.actions)})
        if pe_class:
            result.citations.insert(0, class_link(pe_class))
            class_needs_summary(ctx, pe_class, result)
        return result


class HeatGuidance(Tool):
    name = "heat_guidance"
    description = (
        "What to do at a given temperature: category, decision and actions from the school's heat rule "
        "set (with its source); with a class, what that class needs."
    )
    parameters = {
        "type": "object",
        "properties": {
            "temperature": {"type": "number", "description": "Air temperature."},
            "unit": {"type": "string", "enum": ["F", "C"], "description": "Default F."},
            "humidity": {"type": "number", "description": "Relative humidity in % (for the heat index)."},
            "class_name": CLASS_NAME,
        },
        "required": ["temperature"],
        "additionalProperties": False,
    }
    permission = "safety.view_environmentruleset"

    def run(self, ctx, temperature=None, unit=None, humidity=None, class_name=None, **arguments) -> ToolResult:
        from safety.selectors.environment import decision_word, rule_set_for

        unit = unit or "F"
        temp_c = (float(temperature) - 32) * 5 / 9 if unit == "F" else float(temperature)
        temp_f = temp_c * 9 / 5 + 32
        pe_class = None
        if class_name:
            pe_class = find_class(ctx, class_name)
            require_class_access(ctx, pe_class, "physed.view_peclass")
        result = ToolResult(tool=self.name)
        rule_set = rule_set_for(ctx.school)
        if rule_set is None:
            result.ok = False
            result.message = _("No environment rule set is chosen for this school: choose one in the settings.")
            return result
        if humidity is not None and not 0 <= float(humidity) <= 100:
            result.ok = False
            result.message = _("Humidity must be between 0 and 100%.")
            return result
        assumed = humidity is None
        evaluation, wbgt_estimated = evaluate_at(rule_set, temp_c, HEADLINE_HUMIDITY if assumed else float(humidity))
        deciding = _deciding(evaluation.measures)
        category = "; ".join(f"{m.name}: {m.band_label}" for m in deciding)
        shown_temp = f"{number(temp_f)} °F ({number(temp_c)} °C)"
        result.data = {
            "temperature_f": round(temp_f, 1),
            "temperature_c": round(temp_c, 1),
            "humidity": HEADLINE_HUMIDITY if assumed else humidity,
            "humidity_assumed": assumed,
            "wbgt_estimated": wbgt_estimated,
            "rule_set": {"id": rule_set.pk, "name": rule_set.name},
            "category": category,
            "decision": evaluation.decision,
            "actions": list(evaluation.actions),
            "reasons": list(evaluation.reasons),
        }
        if deciding:
            result.sentences.append(
                _("At %(temp)s the %(rules)s rules put you in “%(category)s”: %(decision)s.")
                % {
                    "temp": shown_temp,
                    "rules": rule_set.name,
                    "category": category,
                    "decision": decision_word(evaluation.decision),
                }
            )
        else:
            result.sentences.append(
                _("At %(temp)s no band of %(rules)s applies: %(decision)s.")
                % {"temp": shown_temp, "rules": rule_set.name, "decision": decision_word(evaluation.decision)}
            )
        if evaluation.actions:
            result.sentences.append(_("What to do: %(list)s.") % {"list": "; ".join(evaluation.actions)})
        if assumed:
            scenarios = []
            for level in HUMIDITY_SCENARIOS:
                at_level, _estimated = evaluate_at(rule_set, temp_c, level)
                labels = "; ".join(m.band_label for m in _deciding(at_level.measures)) or "—"
                scenarios.append({"humidity": level, "decision": at_level.decision, "category": labels})
            result.data["scenarios"] = scenarios
            result.sentences.append(
                _(
                    "No humidity was given, so this is at %(headline)s%% humidity; from %(low)s%% to %(high)s%% it "
                    "ranges from “%(first)s” (%(first_decision)s) to “%(last)s” (%(last_decision)s). Tell me the "
                    "humidity for an exact answer."
                )
                % {
                    "headline": HEADLINE_HUMIDITY,
                    "low": scenarios[0]["humidity"],
                    "high": scenarios[-1]["humidity"],
                    "first": scenarios[0]["category"],
                    "first_decision": decision_word(scenarios[0]["decision"]),
                    "last": scenarios[-1]["category"],
                    "last_decision": decision_word(scenarios[-1]["decision"]),
                }
            )
        if wbgt_estimated:
            result.sentences.append(
                _(
                    "The WBGT is estimated from the temperature and humidity (Australian Bureau of Meteorology "
                    "approximation, sun and light wind); the rule set asks for a reading from a WBGT instrument."
                )
            )
        unmeasured = [m.name for m in evaluation.measures if m.value is None]
        if unmeasured:
            result.sentences.append(
                _("Not evaluated (needs a measurement): %(list)s.") % {"list": ", ".join(unmeasured)}
            )
        sources = [s.get("title") for s in rule_set.sources or [] if isinstance(s, dict) and s.get("title")]
        result.sentences.append(
            _("Source: %(sources)s.") % {"sources": "; ".join(sources) if sources else rule_set.name}
        )
        result.citations += _rule_set_citations(rule_set)
        result.cards.append(
            Card(
                kind="table",
                title=_("%(rules)s at %(temp)s") % {"rules": rule_set.name, "temp": shown_temp},
                columns=[_("Measure"), _("Value"), _("Band"), _("Decision")],
                rows=[
                    [
                        m.name,
                        "—" if m.value is None else f"{number(m.value)} {m.unit}".strip(),
                        m.band_label,
                        decision_word(m.decision) if m.band_label else "",
                    ]
                    for m in evaluation.measures
                    if m.measure not in NOT_ASKED  # a typed temperature says nothing about storms
                ],
            )
        )
        if pe_class:
            result.citations.insert(0, class_link(pe_class))
            class_needs_summary(ctx, pe_class, result)
        return result


register(SafetyStatus())
register(HeatGuidance())
