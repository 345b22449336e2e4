"""Environment services and selectors: readings, status, alerts for the PE engines, the provider
task, shipped data loading, demo and privacy."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.privacy import registry
from accounts.services.errors import ServiceError
from physed.selectors.adaptation_providers import environment_alerts
from safety import demo_environment
from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings
from safety.selectors.environment import current_status, environment_alert_provider
from safety.services import environment as services
from safety.services.environment_data import load_shipped_rule_sets
from safety.tasks_environment import fetch_environment_readings
from safety.tests.factories import EnvironmentReadingFactory, EnvironmentRuleSetFactory
from safety.weather_providers import ReadingData, WeatherProvider

pytestmark = pytest.mark.django_db


def test_loading_shipped_rule_sets_is_idempotent():
    assert load_shipped_rule_sets() == 5
    ghsa = EnvironmentRuleSet.objects.get(code="ghsa-wbgt")
    ghsa.name = "changed"
    ghsa.save()
    assert load_shipped_rule_sets() == 0
    assert EnvironmentRuleSet.objects.filter(school=None).count() == 5
    ghsa.refresh_from_db()
    assert ghsa.name == "GHSA WBGT practice policy (Georgia)"
    assert ghsa.rules["lightning"]["bands"][0]["decision"] == "stop"
    assert ghsa.caveats


def test_record_reading_computes_and_rounds(teacher, school):
    reading = services.record_reading(
        actor=teacher,
        school=school,
        temperature_c=services.to_si(temperature=96, unit="F")["temperature_c"],
        relative_humidity=65,
    )
    assert reading.temperature_c == Decimal("35.6")
    assert reading.heat_index_c == Decimal("49.5")  # 121.0 °F
    assert reading.wind_chill_c is None


def test_record_reading_refusals_store_nothing(teacher, student, school):
    with pytest.raises(ServiceError) as exc:
        services.record_reading(actor=teacher, school=school, temperature_c=float("nan"))
    assert exc.value.field == "temperature_c"
    with pytest.raises(ServiceError):
        services.record_reading(
            actor=teacher, school=school, temperature_c=20, recorded_at=timezone.now() + timedelta(minutes=6)
        )
    with pytest.raises(ServiceError) as denied:
        services.record_reading(actor=student, school=school, temperature_c=20)
    assert denied.value.status == 403
    # 4 minutes ahead is a clock difference, not the future
    services.record_reading(
        actor=teacher, school=school, temperature_c=20, recorded_at=timezone.now() + timedelta(minutes=4)
    )
    assert EnvironmentReading.objects.count() == 1


def test_model_validators_match_the_ranges(school):
    reading = EnvironmentReading(school=school, recorded_at=timezone.now(), temperature_c=Decimal("61"), aqi=501)
    with pytest.raises(Exception) as exc:
        reading.full_clean()
    assert "temperature_c" in str(exc.value) and "aqi" in str(exc.value)


def test_current_status_stale_and_indoor_rules(school):
    rule_set = EnvironmentRuleSetFactory(school=school)
    SafetySettings.objects.create(school=school, rule_set=rule_set, reading_max_age_minutes=30)
    EnvironmentReadingFactory(
        school=school, recorded_at=timezone.now() - timedelta(minutes=45), heat_index_c=Decimal("40")
    )
    stale = current_status(school, "field")
    assert stale.decision == "go" and stale.stale and "no current reading" in stale.reasons[0]
    EnvironmentReadingFactory(school=school, heat_index_c=Decimal("34"))  # 93.2 °F → 90-98 modify
    now = current_status(school, "court")  # court shares the outdoor reading
    assert now.decision == "modify" and now.actions == ["Water breaks"] and not now.stale
    assert current_status(school, "gym").decision == "go"
    EnvironmentReadingFactory(school=school, space="gym", heat_index_c=Decimal("38"))
    assert current_status(school, "gym").decision == "indoors"


def test_alerts_feed_the_pe_engines(school):
    rule_set = EnvironmentRuleSetFactory(school=school)
    SafetySettings.objects.create(school=school, rule_set=rule_set)
    EnvironmentReadingFactory(school=school, heat_index_c=Decimal("34"), lightning=True)
    alerts = environment_alert_provider(school, timezone.localdate(), "field")
    assert [(a.kind, a.level, a.outdoor_only) for a in alerts] == [("heat", 2, True), ("lightning", 3, True)]
    assert "Water breaks" in alerts[0].message
    assert environment_alert_provider(school, timezone.localdate() + timedelta(days=1)) == []
    # registered with physed at startup
    assert [a.kind for a in environment_alerts(school, timezone.localdate(), "field")] == ["heat", "lightning"]


class FakeProvider(WeatherProvider):
    name = "fake"

    def fetch(self, school, space):
        if school.slug == "southside":
            return None
        return ReadingData(temperature_c=30.0, relative_humidity=50, wind_speed_kmh=5, aqi=40)


class BrokenProvider(WeatherProvider):
    name = "broken"

    def fetch(self, school, space):
        return ReadingData(temperature_c=99.0)


def test_provider_task_does_nothing_without_a_provider(school):
    assert fetch_environment_readings() == {"provider": "", "stored": 0, "skipped": 0}
    assert not EnvironmentReading.objects.exists()


@override_settings(SAFETY_WEATHER_PROVIDER="safety.tests.test_environment_services.FakeProvider")
def test_provider_task_stores_provider_readings(school, other_school):
    assert fetch_environment_readings() == {"provider": "fake", "stored": 1, "skipped": 1}
    reading = EnvironmentReading.objects.get()
    assert reading.school == school and reading.source == "provider" and reading.provider == "fake"
    assert reading.heat_index_c is not None and reading.recorded_by is None


@override_settings(SAFETY_WEATHER_PROVIDER="safety.tests.test_environment_services.BrokenProvider")
def test_provider_out_of_range_values_are_skipped(school):
    assert fetch_environment_readings()["skipped"] == 1
    assert not EnvironmentReading.objects.exists()


def test_demo_is_idempotent_and_shows_modify_now(school, other_school):
    context = {"schools": {"northside": school, "southside": other_school}}
    demo_environment.seed(context)
    count = EnvironmentReading.objects.count()
    demo_environment.seed(context)
    assert EnvironmentReading.objects.count() == count >= 8
    assert SafetySettings.objects.get(school=school).rule_set.code == "ghsa-wbgt"
    assert SafetySettings.objects.get(school=other_school).rule_set.code == "st-johns-heat-index-aqi"
    north, south = current_status(school, "field"), current_status(other_school, "field")
    assert north.decision == "modify" and north.measures[0].band_label.startswith("82.0-86.9")
    assert south.decision == "modify"
    assert next(m for m in south.measures if m.measure == "heat_index_f").value == 96


def test_privacy_registration(teacher, school):
    entry = registry.entry_for("safety.EnvironmentReading")
    assert entry is not None and entry.user_path == "recorded_by"
    assert "safety.EnvironmentRuleSet" in registry.exclusions()
    assert "safety.SafetySettings" in registry.exclusions()
