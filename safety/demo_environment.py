"""Demo data: environment. Northside uses the GHSA WBGT policy, Southside the St. Johns County
heat index + EPA AQI rule set; both get readings for the last three days and today, ending with a
hot, current reading so the live panel shows "go with modifications" for outdoor spaces
(Northside: WBGT 29.0 °C = 84.2 °F, band 82.0–86.9; Southside: 33 °C / 48 % → heat index ≈ 96 °F,
band 95–98). Idempotent: readings are keyed by school, time and the demo location; the current
reading (a minute ago) is added only when the school's latest one is more than 30 minutes old."""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from safety.engines import weather
from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings
from safety.services.environment_data import load_shipped_rule_sets

LOCATION = "Demo: main field"
NOW_LOCATION = "Demo: main field (latest)"
RULE_SETS = {"northside": "ghsa-wbgt", "southside": "st-johns-heat-index-aqi"}
# (temperature °C, RH %, wind km/h, WBGT °C or None, AQI)
DAY = [(22.0, 75, 8, 20.5, 35), (27.5, 62, 10, 25.0, 48), (31.0, 52, 12, 27.5, 62)]
CURRENT = {
    "northside": (31.0, 55, 9, 29.0, 45),
    "southside": (33.0, 48, 9, None, 60),
}


def _reading(school, at, values, location: str = LOCATION) -> EnvironmentReading:
    temperature, rh, wind, wbgt, aqi = values
    hi, wc = weather.derived(temperature, rh, wind)
    reading, _created = EnvironmentReading.objects.get_or_create(
        school=school,
        recorded_at=at,
        location=location,
        defaults={
            "space": "field",
            "temperature_c": Decimal(str(temperature)),
            "relative_humidity": Decimal(str(rh)),
            "wind_speed_kmh": Decimal(str(wind)),
            "wbgt_c": None if wbgt is None else Decimal(str(wbgt)),
            "aqi": aqi,
            "heat_index_c": None if hi is None else Decimal(str(round(hi, 1))),
            "wind_chill_c": None if wc is None else Decimal(str(round(wc, 1))),
        },
    )
    return reading


def seed(context) -> None:
    load_shipped_rule_sets()
    now = timezone.now()
    today = timezone.localdate()
    for slug, school in context.get("schools", {}).items():
        code = RULE_SETS.get(slug)
        rule_set = EnvironmentRuleSet.objects.filter(school=None, code=code).first() if code else None
        SafetySettings.objects.update_or_create(
            school=school, defaults={"rule_set": rule_set, "reading_max_age_minutes": 480}
        )
        for days_ago in (3, 2, 1, 0):
            day = today - timedelta(days=days_ago)
            for hour, values in zip((9, 11, 13), DAY, strict=True):
                at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
                if at <= now - timedelta(minutes=10):
                    _reading(school, at, values)
        latest = (
            EnvironmentReading.objects.filter(school=school, location=NOW_LOCATION).order_by("-recorded_at").first()
        )
        if latest is None or now - latest.recorded_at > timedelta(minutes=30):
            at = (now - timedelta(minutes=1)).replace(second=0, microsecond=0)
            _reading(school, at, CURRENT.get(slug, DAY[-1]), NOW_LOCATION)
