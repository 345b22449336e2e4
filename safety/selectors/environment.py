"""Environment reads: the current status of a space (reading → rule set → decision, actions and
reasons), "what if" evaluation of typed values, the alerts the PE engines act on, and the
readings chart of a day.

Contract for the other safety areas (live panel, risk score):

* ``current_status(school, space=None, at=None) -> EnvironmentStatus``
* ``environment_alert_provider(school, on_date, space=None) -> list[EnvironmentAlert]``

Which reading counts: for an outdoor space (field, court; ``space=None`` means outdoors) the
latest outdoor reading of the school at or before ``at``; for an indoor space (gym, classroom,
pool) only a reading taken in that space. A reading older than the school's
``reading_max_age_minutes`` (default 60) is not current: the status is then "go" with
``stale=True`` and a reason asking for a new reading.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from physed.engines.types import EnvironmentAlert
from physed.models import Space
from safety.engines import rules as rules_engine
from safety.engines import weather
from safety.engines.rules import MeasureResult
from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings

__all__ = [
    "OUTDOOR_SPACES",
    "EnvironmentStatus",
    "MeasureResult",
    "current_status",
    "environment_alert_provider",
    "evaluate_values",
]

OUTDOOR_SPACES = (Space.FIELD, Space.COURT)
DEFAULT_MAX_AGE = 60
ALERT_KINDS = {
    "wbgt_f": "heat",
    "heat_index_f": "heat",
    "temperature_f": "cold",
    "wind_chill_f": "cold",
    "aqi": "air_quality",
    "lightning": "lightning",
    "precipitation": "precipitation",
}
ALERT_LEVELS = {"modify": 2, "indoors": 3, "stop": 3}


@dataclass
class EnvironmentStatus:
    decision: str
    reading: EnvironmentReading | None
    rule_set: EnvironmentRuleSet | None
    measures: list[MeasureResult] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    stale: bool = False
    reasons: list[str] = field(default_factory=list)
    space: str = Space.FIELD
    values: dict = field(default_factory=dict)  # the measures evaluated (°F, AQI, flags)


def settings_for(school) -> SafetySettings:
    """The school's settings, or unsaved defaults when the school has none yet."""
    found = SafetySettings.objects.filter(school=school).select_related("rule_set").first()
    return found or SafetySettings(school=school, reading_max_age_minutes=DEFAULT_MAX_AGE)


def rule_set_for(school) -> EnvironmentRuleSet | None:
    return settings_for(school).rule_set


def is_outdoor(space: str | None) -> bool:
    return space is None or space in OUTDOOR_SPACES


def reading_measures(reading: EnvironmentReading) -> dict[str, float | None]:
    return weather.measures(
        temperature_c=reading.temperature_c,
        relative_humidity=reading.relative_humidity,
        wind_speed_kmh=reading.wind_speed_kmh,
        wbgt_c=reading.wbgt_c,
        aqi=reading.aqi,
        lightning=reading.lightning,
        precipitation=reading.precipitation,
        heat_index_c=reading.heat_index_c,
        wind_chill_c=reading.wind_chill_c,
    )


@dataclass
class ShownMeasure(MeasureResult):
    """A measure result as the reader sees it: the measure's name, the band label, the actions, the
    source and the note in the active language. The engine and the rule sets stay English (their
    texts are the msgids, listed in ``safety/data_strings.py``); decisions and measures stay keys."""

    shown_name: str = ""

    @property
    def name(self) -> str:
        return self.shown_name or super().name


ENGINE_NOTES = {  # the notes ``rules.evaluate_measure`` gives
    "not measured": gettext_lazy("not measured"),
    "no band applies": gettext_lazy("no band applies"),
    "between two bands: the more restrictive applies": gettext_lazy("between two bands: the more restrictive applies"),
}


def decision_word(decision: str) -> str:
    """The decision as a word inside a sentence ("→ modify")."""
    words = {
        "go": pgettext("environment decision", "go"),
        "modify": pgettext("environment decision", "modify"),
        "indoors": pgettext("environment decision", "indoors"),
        "stop": pgettext("environment decision", "stop"),
    }
    return words.get(decision, decision)


def shown_measure(result: MeasureResult) -> ShownMeasure:
    note = ENGINE_NOTES.get(result.note)
    return ShownMeasure(
        measure=result.measure,
        value=result.value,
        unit=result.unit,
        band_label=_(result.band_label) if result.band_label else "",
        decision=result.decision,
        actions=[_(action) for action in result.actions],
        source=_(result.source) if result.source else "",
        note=str(note) if note else result.note,
        shown_name=_(result.name),
    )


def reason_text(result: ShownMeasure, rule_set_name: str = "") -> str:
    """``rules.reason_for`` in the active language (same sentence in English)."""
    name = result.name
    if result.value is None:
        return _("%(measure)s: not measured, not evaluated.") % {"measure": name}
    if result.measure in rules_engine.FLAG_MEASURES:
        value = _("reported") if result.value else _("not reported")
    else:
        value = f"{result.value:g} {result.unit}".strip()
    source = result.source or rule_set_name
    if not result.band_label:
        return _("%(measure)s %(value)s: no band of %(source)s applies (go).") % {
            "measure": name,
            "value": value,
            "source": source,
        }
    params = {
        "measure": name,
        "value": value,
        "band": result.band_label,
        "note": result.note,
        "decision": decision_word(result.decision),
        "source": source,
    }
    if result.note:
        return _('%(measure)s %(value)s is in band "%(band)s" (%(note)s) → %(decision)s (%(source)s).') % params
    return _('%(measure)s %(value)s is in band "%(band)s" → %(decision)s (%(source)s).') % params


def evaluate_measures(values: dict, rule_set: EnvironmentRuleSet | None) -> rules_engine.Evaluation:
    """The engine's evaluation, with what the reader sees (measure names, band labels, actions,
    notes, reasons) in the active language."""
    if rule_set is None:
        return rules_engine.Evaluation(
            "go", [], [], [_("No environment rule set is chosen for this school: choose one in the settings.")]
        )
    evaluation = rules_engine.evaluate(rule_set.rules, values, rule_set_name=rule_set.name)
    measures = [shown_measure(result) for result in evaluation.measures]
    return rules_engine.Evaluation(
        decision=evaluation.decision,
        measures=measures,
        actions=[_(action) for action in evaluation.actions],
        reasons=[reason_text(result, rule_set.name) for result in measures],
    )


def latest_reading(school, space: str | None, at: datetime) -> EnvironmentReading | None:
    queryset = EnvironmentReading.objects.filter(school=school, recorded_at__lte=at)
    spaces = OUTDOOR_SPACES if is_outdoor(space) else (space,)
    return queryset.filter(space__in=spaces).order_by("-recorded_at", "-pk").first()


def current_status(school, space: str | None = None, at: datetime | None = None) -> EnvironmentStatus:
    at = at or timezone.now()
    settings_row = settings_for(school)
    rule_set = settings_row.rule_set
    shown_space = space or Space.FIELD
    reading = latest_reading(school, space, at)
    if reading is None and not is_outdoor(space):
        return EnvironmentStatus(
            "go", None, rule_set, space=shown_space, reasons=[_("Indoor space: outdoor conditions do not apply.")]
        )
    max_age = timedelta(minutes=settings_row.reading_max_age_minutes or DEFAULT_MAX_AGE)
    if reading is None or at - reading.recorded_at > max_age:
        if reading is None:
            reason = _("There is no current reading: enter one before going outside.")
        else:
            local = timezone.localtime(reading.recorded_at)
            reason = _("There is no current reading (the latest is from %(time)s): enter a new one.") % {
                "time": local.strftime("%Y-%m-%d %H:%M")
            }
        return EnvironmentStatus("go", reading, rule_set, stale=True, reasons=[reason], space=shown_space)
    values = reading_measures(reading)
    evaluation = evaluate_measures(values, rule_set)
    return EnvironmentStatus(
        evaluation.decision,
        reading,
        rule_set,
        measures=evaluation.measures,
        actions=evaluation.actions,
        reasons=evaluation.reasons,
        space=shown_space,
        values=values,
    )


def evaluate_values(school, values: dict, rule_set: EnvironmentRuleSet | None = None) -> EnvironmentStatus:
    """ "What if": evaluates SI values (as a reading holds them) with ``rule_set`` or the school's,
    storing nothing."""
    rule_set = rule_set or rule_set_for(school)
    measures = weather.measures(
        temperature_c=values["temperature_c"],
        relative_humidity=values.get("relative_humidity"),
        wind_speed_kmh=values.get("wind_speed_kmh"),
        wbgt_c=values.get("wbgt_c"),
        aqi=values.get("aqi"),
        lightning=values.get("lightning", False),
        precipitation=values.get("precipitation", False),
    )
    evaluation = evaluate_measures(measures, rule_set)
    return EnvironmentStatus(
        evaluation.decision,
        None,
        rule_set,
        measures=evaluation.measures,
        actions=evaluation.actions,
        reasons=evaluation.reasons,
        space=values.get("space") or Space.FIELD,
        values=measures,
    )


def alerts_for(status: EnvironmentStatus) -> list[EnvironmentAlert]:
    """One alert per measure that requires a change: modify → level 2 (the engines reduce
    intensity and duration, add breaks), move indoors / stop → level 3 (outdoor activities are left
    out). Outdoor-only, since the decisions are about being outside."""
    alerts = []
    for result in status.measures:
        level = ALERT_LEVELS.get(result.decision)
        if level is None or result.value is None:
            continue
        if not isinstance(result, ShownMeasure):
            result = shown_measure(result)
        message = reason_text(result, status.rule_set.name if status.rule_set else "")
        if result.actions:
            message = f"{message} {' '.join(result.actions)}"
        alerts.append(
            EnvironmentAlert(kind=ALERT_KINDS.get(result.measure, result.measure), level=level, message=message)
        )
    return alerts


def environment_alert_provider(school, on_date: date, space: str | None = None) -> list[EnvironmentAlert]:
    """Alerts for planning and adapting a session (physed hook). Only today has a current reading;
    another day has no alerts (a forecast is not a reading)."""
    if school is None or on_date != timezone.localdate():
        return []
    return alerts_for(current_status(school, space))


# ---- lists and charts -------------------------------------------------------------------------


def readings_for(user):
    return EnvironmentReading.objects.visible_to(user).select_related("school", "recorded_by")


def rule_sets_for(user):
    return EnvironmentRuleSet.objects.visible_to(user).select_related("school", "based_on")


def day_series(school, day: date, space: str | None = None) -> list[EnvironmentReading]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    queryset = EnvironmentReading.objects.filter(
        school=school, recorded_at__gte=start, recorded_at__lt=start + timedelta(days=1)
    )
    if space:
        queryset = queryset.filter(space=space)
    return list(queryset.order_by("recorded_at", "pk"))


def day_chart(school, day: date, space: str | None = None):
    """Heat index and WBGT (°F) over the day, as a line chart with its table."""
    from physed.charts import Series, line_chart

    readings = day_series(school, day, space)

    def points(attr):
        return [
            (timezone.localtime(r.recorded_at), round(weather.c_to_f(float(getattr(r, attr))), 1))
            for r in readings
            if getattr(r, attr) is not None
        ]

    series = [
        Series(_("Heat index (°F)"), points("heat_index_c")),
        Series(_("WBGT (°F)"), points("wbgt_c")),
        Series(_("Air temperature (°F)"), points("temperature_c")),
    ]
    return line_chart(
        [s for s in series if s.points],
        title=_("Readings on %(day)s") % {"day": day.isoformat()},
        y_label="°F",
        empty_message=_("No readings on this day."),
    )
