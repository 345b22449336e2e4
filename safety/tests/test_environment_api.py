"""Environment API: readings (create/list/filter/retrieve, bad input → 400 and nothing stored),
status, what-if evaluation, rule sets (shipped read-only, copy, own CRUD) and settings."""

from datetime import timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings
from safety.services.environment_data import load_shipped_rule_sets
from safety.tests.factories import EnvironmentReadingFactory, EnvironmentRuleSetFactory, heat_rules

pytestmark = pytest.mark.django_db
READINGS = "/api/v1/safety/environment-readings/"
RULE_SETS = "/api/v1/safety/environment-rule-sets/"


@pytest.fixture
def shipped(db):
    load_shipped_rule_sets()
    return {r.code: r for r in EnvironmentRuleSet.objects.filter(school=None)}


@pytest.fixture
def st_johns(school, shipped):
    SafetySettings.objects.create(school=school, rule_set=shipped["st-johns-heat-index-aqi"])
    return shipped["st-johns-heat-index-aqi"]


def test_teacher_enters_a_reading_in_fahrenheit_and_heat_index_is_stored(teacher, client_for, school):
    response = client_for(teacher).post(
        READINGS,
        {"temperature": 90, "temperature_unit": "F", "relative_humidity": 60, "space": "field", "aqi": 42},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["temperature_c"] == 32.2
    assert body["heat_index_f"] == pytest.approx(99.7, abs=0.1)  # 90 °F / 60 % → 99.68 °F (chart: 100)
    assert body["wind_chill_c"] is None
    reading = EnvironmentReading.objects.get()
    assert reading.school == school and reading.recorded_by == teacher and reading.source == "manual"
    assert AuditEvent.objects.filter(action="safety.environment_reading_created").count() == 1


def test_wind_chill_stored_from_mph(teacher, client_for):
    response = client_for(teacher).post(
        READINGS, {"temperature": 0, "temperature_unit": "F", "wind_speed": 15, "wind_unit": "mph"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["wind_chill_f"] == pytest.approx(-19.4, abs=0.15)  # NWS: −19 °F (stored to 0.1 °C)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"temperature": 61}, "temperature"),
        ({"temperature": 150, "temperature_unit": "F"}, "temperature"),
        ({"temperature": 20, "relative_humidity": 101}, "relative_humidity"),
        ({"temperature": 20, "wind_speed": 251}, "wind_speed"),
        ({"temperature": 20, "wbgt": 51}, "wbgt"),
        ({"temperature": 20, "aqi": 501}, "aqi"),
        ({"temperature": 20, "aqi": -1}, "aqi"),
        ({"temperature": 20, "recorded_at": (timezone.now() + timedelta(minutes=30)).isoformat()}, "recorded_at"),
        ({"temperature": 20, "humidex": 30}, "humidex"),
        ({"relative_humidity": 20}, "temperature"),
        ({"temperature": "hot"}, "temperature"),
    ],
)
def test_bad_readings_are_400_and_nothing_stored(teacher, client_for, payload, field):
    response = client_for(teacher).post(READINGS, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not EnvironmentReading.objects.exists()


def test_reading_list_filters_and_scoping(teacher, client_for, school, other_school):
    now = timezone.now()
    EnvironmentReadingFactory(school=school, space="field", recorded_at=now - timedelta(days=2))
    today = EnvironmentReadingFactory(school=school, space="gym", recorded_at=now)
    EnvironmentReadingFactory(school=other_school, recorded_at=now)
    client = client_for(teacher)
    assert client.get(READINGS).json()["count"] == 2
    assert [r["id"] for r in client.get(READINGS, {"space": "gym"}).json()["results"]] == [today.pk]
    since = (now - timedelta(days=1)).date().isoformat()
    assert [r["id"] for r in client.get(READINGS, {"date_after": since}).json()["results"]] == [today.pk]
    assert client.get(READINGS, {"source": "provider"}).json()["count"] == 0
    # an offset RFC 3339 allows but PostgreSQL does not (beyond ±15:59) is compared in UTC
    far_east = (now - timedelta(days=1)).astimezone(dt_timezone(timedelta(hours=23, minutes=30)))
    assert [r["id"] for r in client.get(READINGS, {"recorded_after": far_east.isoformat()}).json()["results"]] == [
        today.pk
    ]


def test_other_schools_reading_is_404_and_student_is_403(teacher, student, client_for, other_school):
    foreign = EnvironmentReadingFactory(school=other_school)
    assert client_for(teacher).get(f"{READINGS}{foreign.pk}/").status_code == 404
    assert client_for(student).get(READINGS).status_code == 403
    assert client_for(student).post(READINGS, {"temperature": 20}, format="json").status_code == 403


def test_status_reports_modify_on_a_hot_afternoon(teacher, client_for, school, st_johns):
    # 32 °C / 50 % → HI ≈ 94 °F (go); 33 °C / 45 % → HI ≈ 96 °F (St. Johns 95-98: modify)
    EnvironmentReadingFactory(school=school, temperature_c=33, relative_humidity=45, heat_index_c=35.6)
    body = client_for(teacher).get("/api/v1/safety/environment/status/", {"space": "field"}).json()
    assert body["decision"] == "modify"
    assert body["stale"] is False
    heat = next(m for m in body["measures"] if m["measure"] == "heat_index_f")
    assert heat["value"] == 96 and heat["band_label"] == "HI 95-98 °F: limit outdoor activities"
    assert "Limit outdoor activities (they may be cancelled)" in body["actions"]
    assert any("St. Johns County School District" in r for r in body["reasons"])


def test_status_without_reading_is_go_and_stale(teacher, client_for, st_johns):
    body = client_for(teacher).get("/api/v1/safety/environment/status/").json()
    assert body["decision"] == "go" and body["stale"] is True and body["reading"] is None
    gym = client_for(teacher).get("/api/v1/safety/environment/status/", {"space": "gym"}).json()
    assert gym["decision"] == "go" and gym["stale"] is False


def test_evaluate_stores_nothing(teacher, client_for, shipped):
    response = client_for(teacher).post(
        "/api/v1/safety/environment/evaluate/",
        {"temperature": 33, "relative_humidity": 55, "rule_set": shipped["lewisville-isd"].pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "modify"  # HI 100 °F → Lewisville 99-103
    assert body["values"]["heat_index_f"] == pytest.approx(100.06, abs=0.01)
    assert not EnvironmentReading.objects.exists()
    bad = client_for(teacher).post("/api/v1/safety/environment/evaluate/", {"temperature": 99}, format="json")
    assert bad.status_code == 400


def test_evaluate_refuses_another_schools_rule_set(teacher, client_for, other_school):
    foreign = EnvironmentRuleSetFactory(school=other_school)
    response = client_for(teacher).post(
        "/api/v1/safety/environment/evaluate/", {"temperature": 20, "rule_set": foreign.pk}, format="json"
    )
    assert response.status_code == 400 and "rule_set" in response.json()["error"]["fields"]


def test_rule_sets_list_shipped_and_own_only(teacher, client_for, school, other_school, shipped):
    own = EnvironmentRuleSetFactory(school=school)
    EnvironmentRuleSetFactory(school=other_school)
    body = client_for(teacher).get(RULE_SETS, {"page_size": 50}).json()
    ids = {r["id"] for r in body["results"]}
    assert ids == {own.pk, *(r.pk for r in shipped.values())}
    assert client_for(teacher).get(RULE_SETS, {"shipped": "false"}).json()["count"] == 1
    assert client_for(teacher).get(RULE_SETS, {"shipped": "maybe"}).status_code == 400


def test_shipped_rule_set_is_read_only_with_copy_it(department_head, client_for, shipped):
    ghsa = shipped["ghsa-wbgt"]
    client = client_for(department_head)
    response = client.patch(f"{RULE_SETS}{ghsa.pk}/", {"name": "Mine"}, format="json")
    assert response.status_code == 403 and "Copy it" in response.json()["error"]["message"]
    assert client.delete(f"{RULE_SETS}{ghsa.pk}/").status_code == 403
    copy = client.post(f"{RULE_SETS}{ghsa.pk}/copy/", {}, format="json")
    assert copy.status_code == 201
    body = copy.json()
    assert body["based_on"] == ghsa.pk and body["is_shipped"] is False and body["rules"] == ghsa.rules
    assert body["name"] == "GHSA WBGT practice policy (Georgia) (copy)"


def test_own_rule_set_crud_with_validation(department_head, teacher, client_for, school):
    client = client_for(department_head)
    created = client.post(RULE_SETS, {"name": "Our heat rules", "rules": heat_rules()}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["code"] == "our-heat-rules" and created.json()["school"] == school.pk
    bad_rules = heat_rules()
    bad_rules["heat_index_f"]["bands"][1]["min"] = 120
    response = client.patch(f"{RULE_SETS}{pk}/", {"rules": bad_rules}, format="json")
    assert response.status_code == 400 and "min must not be greater" in str(response.json())
    assert EnvironmentRuleSet.objects.get(pk=pk).rules == heat_rules()
    assert client.patch(f"{RULE_SETS}{pk}/", {"name": "Renamed"}, format="json").json()["name"] == "Renamed"
    assert client_for(teacher).patch(f"{RULE_SETS}{pk}/", {"name": "x"}, format="json").status_code == 403
    assert client.post(RULE_SETS, {"name": "x", "rules": {"aqi": []}}, format="json").status_code == 400
    assert client.post(RULE_SETS, {"name": "x", "rules": heat_rules(), "school": 99}, format="json").status_code == 400
    assert EnvironmentRuleSet.objects.filter(school=school).count() == 1


def test_delete_own_rule_set_needs_school_admin(department_head, school_admin, client_for, school):
    own = EnvironmentRuleSetFactory(school=school)
    assert client_for(department_head).delete(f"{RULE_SETS}{own.pk}/").status_code == 403
    assert client_for(school_admin).delete(f"{RULE_SETS}{own.pk}/").status_code == 204
    assert not EnvironmentRuleSet.objects.filter(pk=own.pk).exists()


def test_settings_get_and_patch(department_head, teacher, client_for, school, other_school, shipped):
    foreign = EnvironmentRuleSetFactory(school=other_school)
    client = client_for(department_head)
    body = client.get("/api/v1/safety/settings/").json()
    assert body["count"] == 1 and body["results"][0]["school"] == school.pk
    pk = body["results"][0]["id"]
    chosen = client.patch(f"/api/v1/safety/settings/{pk}/", {"rule_set": shipped["terrell-isd"].pk}, format="json")
    assert chosen.status_code == 200 and chosen.json()["rule_set_name"] == "Terrell ISD recess weather guidelines"
    assert client.patch(f"/api/v1/safety/settings/{pk}/", {"rule_set": foreign.pk}, format="json").status_code == 400
    assert client.patch(f"/api/v1/safety/settings/{pk}/", {"school": other_school.pk}, format="json").status_code == 400
    assert (
        client.patch(f"/api/v1/safety/settings/{pk}/", {"reading_max_age_minutes": 1}, format="json").status_code == 400
    )
    assert (
        client_for(teacher).patch(f"/api/v1/safety/settings/{pk}/", {"rule_set": None}, format="json").status_code
        == 403
    )
    assert SafetySettings.objects.get(pk=pk).rule_set == shipped["terrell-isd"]
    assert AuditEvent.objects.filter(action="safety.settings_updated").count() == 1
