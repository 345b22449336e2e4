"""Environment writes: readings (validated against physical ranges, heat index and wind chill
computed with the NWS formulas and stored), a school's own rule sets (create, edit, copy, delete —
shipped ones are read-only: copy them), and the school's safety settings (the rule set in use).
Every change is audited in the same transaction."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import School
from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.schools import school_for_write
from physed.models import Space
from safety.engines import rules as rules_engine
from safety.engines import weather
from safety.models import EnvironmentReading, EnvironmentRuleSet, ReadingSource, SafetySettings

ADD_READING = "safety.add_environmentreading"
ADD_RULE_SET = "safety.add_environmentruleset"
CHANGE_RULE_SET = "safety.change_environmentruleset"
DELETE_RULE_SET = "safety.delete_environmentruleset"
CHANGE_SETTINGS = "safety.change_safetysettings"

# physical ranges (SI), the same as the model validators: field → (low, high, label)
RANGES = {
    "temperature_c": (-60, 60, "°C"),
    "relative_humidity": (0, 100, "%"),
    "wind_speed_kmh": (0, 250, "km/h"),
    "wbgt_c": (-30, 50, "°C"),
    "aqi": (0, 500, ""),
}
FUTURE_TOLERANCE = timedelta(minutes=5)
RULE_SET_FIELDS = ("name", "region", "description", "rules", "sources", "caveats")
SETTINGS_FIELDS = ("rule_set", "reading_max_age_minutes", "default_supervision_ratio")


def shipped_read_only_message() -> str:
    return _("Shipped rule sets are read-only. Copy it into your school to edit it.")


def _require(actor, perm: str, school: School) -> None:
    if actor is not None and not has_school_perm(actor, perm, school.pk):
        raise ServiceError(
            _("You do not have permission to do this in this school."), code="permission_denied", status=403
        )


def _tenth(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def to_si(
    *, temperature=None, unit: str = "C", wbgt=None, wind_speed=None, wind_unit: str = "kmh"
) -> dict[str, float | None]:
    """Converts what a user typed (°C or °F; km/h or mph) to the stored SI units."""
    fahrenheit = str(unit).upper() == "F"
    convert = weather.f_to_c if fahrenheit else float

    def _t(value):
        return None if value is None else convert(float(value))

    wind = None if wind_speed is None else float(wind_speed)
    if wind is not None and wind_unit == "mph":
        wind = weather.mph_to_kmh(wind)
    return {"temperature_c": _t(temperature), "wbgt_c": _t(wbgt), "wind_speed_kmh": wind}


def check_values(values: dict) -> dict:
    """Physical-range check of SI values (a ServiceError naming the field); returns them rounded
    to the stored precision."""
    checked = {}
    for name, (low, high, unit) in RANGES.items():
        value = values.get(name)
        if value is None:
            if name == "temperature_c" and name in values:
                raise ServiceError(_("Enter the air temperature."), field=name, code="required")
            continue
        if isinstance(value, bool) or not low <= float(value) <= high:
            raise ServiceError(
                _("%(value)s is outside the physical range %(low)s to %(high)s %(unit)s.")
                % {"value": value, "low": low, "high": high, "unit": unit},
                field=name,
                code="out_of_range",
            )
        checked[name] = int(value) if name == "aqi" else _tenth(value)
    return checked


@transaction.atomic
def record_reading(
    *,
    actor,
    school: School,
    temperature_c,
    recorded_at=None,
    relative_humidity=None,
    wind_speed_kmh=None,
    wbgt_c=None,
    aqi=None,
    precipitation: bool = False,
    lightning: bool = False,
    space: str = Space.FIELD,
    location: str = "",
    source: str = ReadingSource.MANUAL,
    provider: str = "",
) -> EnvironmentReading:
    """Stores one observation. Refused (nothing stored) when a value is outside its physical range
    or the time is more than 5 minutes in the future. ``actor`` None = the provider task."""
    _require(actor, ADD_READING, school)
    now = timezone.now()
    recorded_at = recorded_at or now
    if recorded_at > now + FUTURE_TOLERANCE:
        raise ServiceError(_("The reading's time is in the future."), field="recorded_at", code="future")
    if space not in Space.values:
        raise ServiceError(_("Unknown space."), field="space", code="invalid")
    values = check_values(
        {
            "temperature_c": temperature_c,
            "relative_humidity": relative_humidity,
            "wind_speed_kmh": wind_speed_kmh,
            "wbgt_c": wbgt_c,
            "aqi": aqi,
        }
    )
    # from the values as given (a °F entry converted to °C is rounded only when stored)
    heat_index_c, wind_chill_c = weather.derived(
        float(temperature_c),
        None if relative_humidity is None else float(relative_humidity),
        None if wind_speed_kmh is None else float(wind_speed_kmh),
    )
    reading = EnvironmentReading.objects.create(
        school=school,
        recorded_at=recorded_at,
        space=space,
        location=location or "",
        source=source,
        provider=provider or "",
        precipitation=bool(precipitation),
        lightning=bool(lightning),
        heat_index_c=_tenth(heat_index_c),
        wind_chill_c=_tenth(wind_chill_c),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    record_event(
        "safety.environment_reading_created",
        actor=actor,
        school=school,
        target=reading,
        changes={"space": space, "source": source, "temperature_c": str(values["temperature_c"])},
    )
    return reading


# ---- rule sets ------------------------------------------------------------------------------


def _check_rule_set(values: dict) -> None:
    if "name" in values and not str(values["name"] or "").strip():
        raise ServiceError(_("A name is needed."), field="name", code="required")
    if "rules" in values:
        errors = rules_engine.validate_rules(values["rules"])
        if errors:
            raise ServiceError(" ".join(errors), field="rules", code="invalid_rules")
    sources = values.get("sources", [])
    if not isinstance(sources, list) or not all(
        isinstance(s, dict) and isinstance(s.get("title"), str) and s["title"].strip() and set(s) <= {"title", "url"}
        for s in sources
    ):
        raise ServiceError(
            _('Sources must be a list of {"title": ..., "url": ...} objects.'), field="sources", code="invalid"
        )
    caveats = values.get("caveats", [])
    if not isinstance(caveats, list) or not all(isinstance(c, str) and c.strip() for c in caveats):
        raise ServiceError(_("Caveats must be a list of texts."), field="caveats", code="invalid")


def _unique_code(school: School, name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:50] or "rule-set"
    taken = set(
        EnvironmentRuleSet.objects.filter(school=school, code__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("code", flat=True)
    )
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def _snapshot(rule_set: EnvironmentRuleSet) -> dict:
    return {name: getattr(rule_set, name) for name in RULE_SET_FIELDS}


def require_school_rule_set(rule_set: EnvironmentRuleSet) -> None:
    if rule_set.school_id is None:
        raise ServiceError(shipped_read_only_message(), code="shipped_read_only", status=403)


@transaction.atomic
def create_rule_set(*, actor, school: School | None = None, name: str, rules: dict, **fields) -> EnvironmentRuleSet:
    """A school's own rule set (validated: known measures, well-formed bands, valid decisions)."""
    school = school_for_write(actor=actor, perm=ADD_RULE_SET, school=school)
    values = {"name": name, "rules": rules, **{k: v for k, v in fields.items() if k in RULE_SET_FIELDS}}
    _check_rule_set(values)
    rule_set = EnvironmentRuleSet.objects.create(school=school, code=_unique_code(school, name), **values)
    record_event(
        "safety.environment_rule_set_created",
        actor=actor,
        school=school,
        target=rule_set,
        changes={"after": _snapshot(rule_set)},
    )
    return rule_set


@transaction.atomic
def update_rule_set(*, actor, rule_set: EnvironmentRuleSet, **fields) -> EnvironmentRuleSet:
    require_school_rule_set(rule_set)
    _require(actor, CHANGE_RULE_SET, rule_set.school)
    values = {k: v for k, v in fields.items() if k in RULE_SET_FIELDS}
    _check_rule_set(values)
    before = _snapshot(rule_set)
    for name, value in values.items():
        setattr(rule_set, name, value)
    rule_set.save()
    after = _snapshot(rule_set)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changed:
        record_event(
            "safety.environment_rule_set_updated", actor=actor, school=rule_set.school, target=rule_set, changes=changed
        )
    return rule_set


@transaction.atomic
def delete_rule_set(*, actor, rule_set: EnvironmentRuleSet) -> None:
    """Deletes a school's own rule set; schools using it fall back to no rule set."""
    require_school_rule_set(rule_set)
    _require(actor, DELETE_RULE_SET, rule_set.school)
    school, pk, before = rule_set.school, rule_set.pk, _snapshot(rule_set)
    rule_set.delete()
    record_event(
        "safety.environment_rule_set_deleted",
        actor=actor,
        school=school,
        target_type="safety.environmentruleset",
        target_id=str(pk),
        target_label=before["name"],
        changes={"before": before},
    )


@transaction.atomic
def copy_rule_set(
    *, actor, rule_set: EnvironmentRuleSet, school: School | None = None, name: str = ""
) -> EnvironmentRuleSet:
    """Copies a shipped (or the school's own) rule set into the school, to edit it (``based_on``)."""
    school = school_for_write(actor=actor, perm=ADD_RULE_SET, school=school)
    name = (name or "").strip() or _("%(name)s (copy)") % {"name": rule_set.name}
    copy = EnvironmentRuleSet.objects.create(
        school=school,
        code=_unique_code(school, name),
        name=name[:160],
        region=rule_set.region,
        description=rule_set.description,
        rules=rule_set.rules,
        sources=rule_set.sources,
        caveats=rule_set.caveats,
        version=rule_set.version,
        based_on=rule_set,
    )
    record_event(
        "safety.environment_rule_set_copied",
        actor=actor,
        school=school,
        target=copy,
        changes={"source": {"id": rule_set.pk, "code": rule_set.code, "shipped": rule_set.is_shipped}},
    )
    return copy


# ---- settings -------------------------------------------------------------------------------


def ensure_settings(school: School) -> SafetySettings:
    """The school's settings row (created with the defaults on first use)."""
    settings_row, _created = SafetySettings.objects.select_related("rule_set").get_or_create(school=school)
    return settings_row


@transaction.atomic
def update_settings(*, actor, school: School, **fields) -> SafetySettings:
    """Chooses the school's rule set (shipped or the school's own) and its safety defaults."""
    _require(actor, CHANGE_SETTINGS, school)
    settings_row = ensure_settings(school)
    values = {k: v for k, v in fields.items() if k in SETTINGS_FIELDS}
    rule_set = values.get("rule_set")
    if rule_set is not None and rule_set.school_id not in (None, school.pk):
        raise ServiceError(_("This rule set does not exist."), field="rule_set", code="does_not_exist")
    limits = {"reading_max_age_minutes": (5, 480), "default_supervision_ratio": (1, 100)}
    for name, (low, high) in limits.items():
        if name in values and not (isinstance(values[name], int) and low <= values[name] <= high):
            raise ServiceError(
                _("Use a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}, field=name
            )
    before = {k: getattr(settings_row, f"{k}_id" if k == "rule_set" else k) for k in SETTINGS_FIELDS}
    for name, value in values.items():
        setattr(settings_row, name, value)
    settings_row.save()
    after = {k: getattr(settings_row, f"{k}_id" if k == "rule_set" else k) for k in SETTINGS_FIELDS}
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changed:
        record_event("safety.settings_updated", actor=actor, school=school, target=settings_row, changes=changed)
    return settings_row


# ---- provider -------------------------------------------------------------------------------


def poll_provider(provider=None, schools=None) -> dict:
    """Asks the configured provider (``SAFETY_WEATHER_PROVIDER``) for each school's outdoor
    conditions and stores them as provider readings. A school's failure (None, an exception, a
    value out of range) is counted and skipped; nothing else is affected."""
    import logging

    from safety.weather_providers import get_provider

    provider = provider or get_provider()
    if provider is None:
        return {"provider": "", "stored": 0, "skipped": 0}
    stored = skipped = 0
    for school in schools if schools is not None else School.objects.all():
        try:
            data = provider.fetch(school, Space.FIELD)
            if data is None:
                skipped += 1
                continue
            record_reading(
                actor=None,
                school=school,
                temperature_c=data.temperature_c,
                recorded_at=data.recorded_at,
                relative_humidity=data.relative_humidity,
                wind_speed_kmh=data.wind_speed_kmh,
                wbgt_c=data.wbgt_c,
                aqi=data.aqi,
                precipitation=data.precipitation,
                lightning=data.lightning,
                space=Space.FIELD,
                location=data.location,
                source=ReadingSource.PROVIDER,
                provider=getattr(provider, "name", "")[:60],
            )
            stored += 1
        except Exception:  # one school's bad data must not stop the others
            logging.getLogger(__name__).warning("weather provider failed for school %s", school.pk, exc_info=True)
            skipped += 1
    return {"provider": getattr(provider, "name", ""), "stored": stored, "skipped": skipped}
