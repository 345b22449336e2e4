"""API: /api/v1/safety/sessions/<id>/live/ and /risk/, alerts (filters, acknowledge), risk models
(latest, history, refit) — values, 304, 400 with nothing stored, 403 and 404."""

import math

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from physed.tests.factories_sessions import ClassSessionFactory
from safety.models import RiskModel, SafetyAlert
from safety.tests.factories_monitoring import HEAT_ACTIONS, RiskModelFactory, SafetyAlertFactory, hot_afternoon

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(school, teacher):
    return hot_afternoon(school, teacher)


def test_live_json_has_the_panel_and_conditional_get(client_for, teacher, scenario):
    api = client_for(teacher)
    session = scenario["session"]
    response = api.get(f"/api/v1/safety/sessions/{session.pk}/live/")
    assert response.status_code == 200
    body = response.json()
    assert body["session"] == session.pk
    assert body["pe_class"] == scenario["pe_class"].pk
    assert body["attendance_taken"] is True
    assert [s["name"] for s in body["students"]] == ["Maya Ortiz", "Leo Park"]
    assert body["environment"]["decision"] == "modify"
    assert body["environment"]["actions"] == HEAT_ACTIONS
    assert body["environment"]["measures"][0]["measure"] == "heat_index_f"
    assert round(body["environment"]["measures"][0]["value"]) == 100
    [need] = body["needs"]
    assert need["name"] == "Maya Ortiz"
    assert need["instructions"] == ["Inhaler before PE"]
    assert need["medications"] == [{"name": "Salbutamol inhaler", "schedule": "before_pe", "location": "student"}]
    assert body["alerts"][0]["key"] == "environment:modify"
    assert body["risk"]["band"] in {"low", "moderate", "high", "very_high"}
    assert response["Cache-Control"] == "private, no-store"
    etag = response["ETag"]
    again = api.get(f"/api/v1/safety/sessions/{session.pk}/live/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    # the needs read is audited on the 200 only
    assert AuditEvent.objects.filter(action="safety.class_needs_viewed").count() == 1


def test_risk_json_adds_up_and_uses_the_priors(client_for, teacher, scenario):
    response = client_for(teacher).get(f"/api/v1/safety/sessions/{scenario['session'].pk}/risk/")
    assert response.status_code == 200
    body = response.json()
    assert body["method"] == "prior"
    assert body["model_id"] is None
    assert body["participants"] == 2
    assert [f["key"] for f in body["factors"]] == [
        "activity",
        "environment",
        "restricted",
        "recent_injury",
        "supervision",
        "equipment",
    ]
    assert round(body["baseline"] + sum(f["contribution"] for f in body["factors"]), 1) == body["score"]
    by_key = {f["key"]: f for f in body["factors"]}
    # activity level 3 → 2 steps of 1.5; environment "modify" → 1 step of 1.4
    assert by_key["activity"]["rate_ratio"] == pytest.approx(2.25)
    assert by_key["environment"]["rate_ratio"] == pytest.approx(1.4)
    assert by_key["environment"]["value"] == "modify"
    assert body["relative_rate"] == pytest.approx(2.25 * 1.4)
    expected_score = 100 * 3.15 / (3.15 + 3)
    assert body["score"] == round(expected_score, 1)
    assert body["band"] == "high"
    # 2 students x 40 minutes at 1 per 1,000 hours x 3.15
    assert body["expected_incidents"] == pytest.approx(0.001 * 3.15 * 2 * 40 / 60)


def test_session_routes_404_for_another_school_and_403_for_a_guardian(client_for, other_teacher, guardian, scenario):
    session = scenario["session"]
    for suffix in ("live", "risk"):
        assert client_for(other_teacher).get(f"/api/v1/safety/sessions/{session.pk}/{suffix}/").status_code == 404
        assert client_for(guardian).get(f"/api/v1/safety/sessions/{session.pk}/{suffix}/").status_code == 403


def test_alert_list_filters(client_for, teacher, school, other_school):
    session = ClassSessionFactory(pe_class__school=school, date=timezone.localdate())
    other_session = ClassSessionFactory(pe_class__school=school)
    open_danger = SafetyAlertFactory(session=session, level="danger", kind="equipment")
    SafetyAlertFactory(session=session, level="warning", acknowledged_by=teacher, acknowledged_at=timezone.now())
    SafetyAlertFactory(session=other_session, level="warning")
    foreign = SafetyAlertFactory(session=ClassSessionFactory(pe_class__school=other_school))
    api = client_for(teacher)
    ids = lambda response: [row["id"] for row in response.json()["results"]]  # noqa: E731
    everything = api.get("/api/v1/safety/alerts/")
    assert everything.status_code == 200
    assert foreign.pk not in ids(everything)
    assert len(ids(everything)) == 3
    assert ids(api.get("/api/v1/safety/alerts/", {"session": session.pk, "acknowledged": "false"})) == [open_danger.pk]
    assert ids(api.get("/api/v1/safety/alerts/", {"level": "danger"})) == [open_danger.pk]
    assert len(ids(api.get("/api/v1/safety/alerts/", {"acknowledged": "true"}))) == 1
    assert api.get("/api/v1/safety/alerts/", {"acknowledged": "maybe"}).status_code == 400
    assert api.get("/api/v1/safety/alerts/", {"level": "purple"}).status_code == 400
    row = api.get(f"/api/v1/safety/alerts/{open_danger.pk}/").json()
    assert row["class_name"] == session.pe_class.name
    assert row["acknowledged"] is False


def test_acknowledge_once_then_400_and_nothing_changes(client_for, teacher, school):
    alert = SafetyAlertFactory(session=ClassSessionFactory(pe_class__school=school))
    api = client_for(teacher)
    response = api.post(f"/api/v1/safety/alerts/{alert.pk}/acknowledge/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["acknowledged"] is True
    assert response.json()["acknowledged_by"] == teacher.pk
    alert.refresh_from_db()
    first = alert.acknowledged_at
    again = api.post(f"/api/v1/safety/alerts/{alert.pk}/acknowledge/", {}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"] == {"alert": ["This alert was already acknowledged."]}
    alert.refresh_from_db()
    assert alert.acknowledged_at == first
    assert AuditEvent.objects.filter(action="safety.alert_acknowledged").count() == 1


def test_acknowledge_403_for_guardian_404_for_other_school(client_for, guardian, other_teacher, school):
    alert = SafetyAlertFactory(session=ClassSessionFactory(pe_class__school=school))
    assert client_for(guardian).post(f"/api/v1/safety/alerts/{alert.pk}/acknowledge/").status_code == 403
    assert client_for(other_teacher).post(f"/api/v1/safety/alerts/{alert.pk}/acknowledge/").status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_latest_model_is_the_priors_when_never_fitted(client_for, teacher, school):
    response = client_for(teacher).get("/api/v1/safety/risk-model/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] is None and body["method"] == "prior"
    assert body["school"] == school.pk
    factors = {row["key"]: row for row in body["factors"]}
    assert factors["intercept"]["rate_ratio"] == pytest.approx(1.0)  # per 1,000 participation-hours
    assert factors["recent_injury"]["rate_ratio"] == pytest.approx(2.0)
    assert factors["recent_injury"]["low"] == pytest.approx(2.0 * math.exp(-1.959964 * 0.5))
    assert not RiskModel.objects.exists()


def test_latest_model_returns_the_newest_fit(client_for, teacher, school):
    RiskModelFactory(school=school, method="prior")
    newest = RiskModelFactory(school=school, method="poisson", coefficients={"intercept": -7.0, "activity": 0.5})
    body = client_for(teacher).get("/api/v1/safety/risk-model/", {"school": school.pk}).json()
    assert body["id"] == newest.pk
    assert body["rate_ratios"]["activity"] == pytest.approx(math.exp(0.5))


def test_latest_model_bad_school_is_400(client_for, teacher, other_school):
    api = client_for(teacher)
    assert api.get("/api/v1/safety/risk-model/", {"school": other_school.pk}).status_code == 400
    assert api.get("/api/v1/safety/risk-model/", {"school": "abc"}).status_code == 400
    assert api.get("/api/v1/safety/risk-model/", {"school": 0}).status_code == 400


def test_refit_stores_a_model_for_department_heads_only(client_for, department_head, teacher, school, other_school):
    assert client_for(teacher).post("/api/v1/safety/risk-model/refit/", {}, format="json").status_code == 403
    api = client_for(department_head)
    response = api.post("/api/v1/safety/risk-model/refit/", {"school": school.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    model = RiskModel.objects.get()
    assert body["id"] == model.pk and model.school == school
    assert model.method == "prior" and model.sessions == 0 and model.incidents == 0
    assert "below the 20 incidents and 2000 hours" in model.notes
    assert AuditEvent.objects.filter(action="safety.riskmodel_fitted", actor=department_head).count() == 1
    # bad input: nothing stored
    for payload in ({"school": other_school.pk}, {"school": 0}, {"school": school.pk, "method": "poisson"}):
        assert api.post("/api/v1/safety/risk-model/refit/", payload, format="json").status_code == 400
    assert RiskModel.objects.count() == 1


def test_risk_model_history_lists_own_school_only(client_for, teacher, school, other_school):
    own = RiskModelFactory(school=school)
    RiskModelFactory(school=other_school)
    body = client_for(teacher).get("/api/v1/safety/risk-models/").json()
    assert [row["id"] for row in body["results"]] == [own.pk]
    detail = client_for(teacher).get(f"/api/v1/safety/risk-models/{own.pk}/").json()
    assert {row["key"] for row in detail["factors"]} >= {"intercept", "activity", "equipment"}


def test_alert_unique_per_session_and_key(school):
    session = ClassSessionFactory(pe_class__school=school)
    SafetyAlertFactory(session=session, key="supervision")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyAlert.objects.create(session=session, key="supervision", kind="supervision", message="again")
