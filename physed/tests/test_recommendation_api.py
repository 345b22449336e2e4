"""Recommendations API on a generated school: two grade-7 classes, one weak in aerobic capacity
(PACER laps low, mile times high — lower is better), a 20-activity library with known components."""

import datetime
import random

import pytest

from accounts.models import AuditEvent, Role
from physed.models import EngineWeights, RecommendationFeedback, SessionBlock, SessionStatus
from physed.tests.factories import (
    ActivityFactory,
    ClassSessionFactory,
    EnrollmentFactory,
    EquipmentTypeFactory,
    PEClassFactory,
    SessionBlockFactory,
    StudentFactory,
)
from physed.tests.factories_adaptation import AdaptationProfileFactory, record
from physed.tests.test_recommendation_engine import SPECS

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 10, 15)


def build_library(school):
    activities = {}
    for name, category, components, space, intensity, contact, equipment in SPECS:
        activity = ActivityFactory(
            school=school,
            name=name,
            category=category,
            fitness_components=list(components),
            space=space,
            intensity=intensity,
            contact_level=contact,
            grade_bands=["6_8"],
            duration_minutes=15,
            modifications=[{"kind": "rules", "easier": "Tag with a flag, no body contact."}]
            if contact != "none"
            else [],
        )
        activity.equipment.set([EquipmentTypeFactory(slug=slug, name=slug) for slug in equipment])
        activities[name] = activity
    return activities


@pytest.fixture
def world(school, teacher):
    rng = random.Random(11)
    activities = build_library(school)
    classes = {}
    for label, laps_mean, mile_mean in (("weak", 22, 700), ("strong", 48, 540)):
        pe_class = PEClassFactory(school=school, name=f"PE 7 {label}", space="gym")
        pe_class.teachers.add(teacher)
        tested = ClassSessionFactory(
            pe_class=pe_class, date=TODAY - datetime.timedelta(days=3), status=SessionStatus.COMPLETED
        )
        for _ in range(12):
            student = StudentFactory(school=school, grade=7)
            EnrollmentFactory(pe_class=pe_class, student=student)
            record(tested, student, "pacer_laps", round(rng.gauss(laps_mean, 4)))
            record(tested, student, "mile_time", round(rng.gauss(mile_mean, 25)))
            record(tested, student, "push_ups", round(rng.gauss(20, 4)))
        classes[label] = pe_class
    return {"activities": activities, **classes}


def recs(client, pe_class, **params):
    response = client.get(f"/api/v1/physed/classes/{pe_class.pk}/recommendations/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_class_weak_in_aerobic_capacity_gets_aerobic_activities_in_its_top_five(client_for, teacher, world):
    body = recs(client_for(teacher), world["weak"], limit=5)
    assert body["considered"] == 20
    assert body["gaps"][0]["component"] == "aerobic" and body["gaps"][0]["share_below"] == 1.0
    top = body["results"]
    assert [r["rank"] for r in top] == [1, 2, 3, 4, 5]
    aerobic = [r["activity"]["name"] for r in top if "aerobic" in r["activity"]["fitness_components"]]
    assert len(aerobic) >= 3, [r["activity"]["name"] for r in top]
    assert "aerobic" in top[0]["activity"]["fitness_components"]
    assert top[0]["reasons"][0].startswith("Aerobic capacity: 100% of the students with results are below")
    need = next(c for c in top[0]["components"] if c["name"] == "need")
    assert need["value"] == 1.0 and need["points"] == need["value"] * need["weight"]
    assert top[0]["score"] == pytest.approx(sum(c["points"] for c in top[0]["components"]), abs=1e-3)
    strong = recs(client_for(teacher), world["strong"], limit=5)
    assert "aerobic" not in {g["component"] for g in strong["gaps"] if g["value"] > 0}
    assert sum("aerobic" in r["activity"]["fitness_components"] for r in strong["results"]) < 3


def test_dismissed_activities_drop(client_for, teacher, world):
    client = client_for(teacher)
    first = recs(client, world["weak"])["results"][0]["activity"]
    positions = []
    for _ in range(3):
        response = client.post(
            "/api/v1/physed/recommendations/feedback/",
            {"pe_class": world["weak"].pk, "activity": first["id"], "action": "dismiss", "reason": "Not today"},
            format="json",
        )
        assert response.status_code == 201, response.content
        names = [r["activity"]["id"] for r in recs(client, world["weak"], limit=50)["results"]]
        positions.append(names.index(first["id"]))
    assert positions == sorted(positions) and positions[-1] >= 5
    pref = EngineWeights.objects.get(key=f"activity:{first['id']}")
    assert pref.weight < 0 and pref.decisions == 3 and pref.positive == 0
    assert AuditEvent.objects.filter(action="physed.recommendation_dismissed").count() == 3


def test_pick_adds_the_activity_to_the_session_and_raises_it(client_for, teacher, world):
    client = client_for(teacher)
    session = ClassSessionFactory(pe_class=world["weak"], date=TODAY, status=SessionStatus.PLANNED)
    yoga = world["activities"]["Yoga flow"]
    before = [r["activity"]["id"] for r in recs(client, world["weak"], limit=50)["results"]]
    response = client.post(
        "/api/v1/physed/recommendations/feedback/",
        {"pe_class": world["weak"].pk, "activity": yoga.pk, "action": "pick", "session": session.pk, "score": 1.2},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["session"] == session.pk and response.json()["actor"] == teacher.pk
    block = SessionBlock.objects.get(session=session)
    assert (block.activity, block.order, block.planned_minutes) == (yoga, 1, 15)
    after = [r["activity"]["id"] for r in recs(client, world["weak"], limit=50)["results"]]
    # it is now in the session (variety pulls it down) but the school preference went up
    assert EngineWeights.objects.get(key=f"activity:{yoga.pk}").weight > 0
    assert EngineWeights.objects.get(key="category:fitness").weight > 0
    assert before and after


def test_feedback_bad_input(client_for, teacher, world, other_school):
    client = client_for(teacher)
    other_session = ClassSessionFactory(pe_class=world["strong"], date=TODAY)
    done = ClassSessionFactory(pe_class=world["weak"], date=TODAY, status=SessionStatus.COMPLETED)
    yoga = world["activities"]["Yoga flow"]
    foreign_activity = ActivityFactory(school=other_school)
    cases = [
        ({"pe_class": world["weak"].pk, "activity": yoga.pk, "action": "love"}, "action"),
        ({"pe_class": world["weak"].pk, "activity": foreign_activity.pk, "action": "pick"}, "activity"),
        ({"pe_class": world["weak"].pk, "activity": yoga.pk, "action": "pick", "session": other_session.pk}, "session"),
        ({"pe_class": world["weak"].pk, "activity": yoga.pk, "action": "pick", "session": done.pk}, "session"),
        ({"pe_class": PEClassFactory(school=other_school).pk, "activity": yoga.pk, "action": "pick"}, "pe_class"),
        ({"activity": yoga.pk, "action": "pick"}, "pe_class"),
    ]
    for payload, field in cases:
        response = client.post("/api/v1/physed/recommendations/feedback/", payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json()["error"]["fields"], (payload, response.json())
    assert not RecommendationFeedback.objects.exists()


def test_recently_done_activities_are_penalised(client_for, teacher, world):
    client = client_for(teacher)
    first = recs(client, world["weak"])["results"][0]["activity"]
    yesterday = ClassSessionFactory(pe_class=world["weak"], date=TODAY - datetime.timedelta(days=1))
    SessionBlockFactory(session=yesterday, order=1, activity=world["activities"][first["name"]])
    results = recs(client, world["weak"], limit=50)["results"]
    ids = [r["activity"]["id"] for r in results]
    assert ids.index(first["id"]) > 0
    row = results[ids.index(first["id"])]
    variety = next(c for c in row["components"] if c["name"] == "variety")
    assert variety["value"] == -1.0 and "Done in the last session" in variety["reasons"]


def test_equipment_duration_and_space_filters(client_for, teacher, world):
    client = client_for(teacher)
    body = recs(client, world["weak"], equipment="mats,balls", duration=10, space="field")
    names = {r["activity"]["name"] for r in body["results"]}
    excluded = {e["activity"]["name"]: e["reasons"] for e in body["excluded"]}
    assert "Jump rope intervals" in excluded and "Jump rope intervals" not in names
    assert excluded["Jump rope intervals"] == ["Needs equipment that is not available: jump-ropes"]
    assert "PACER relay" in names  # needs nothing
    pacer = next(r for r in body["results"] if r["activity"]["name"] == "PACER relay")
    feasibility = next(c for c in pacer["components"] if c["name"] == "feasibility")
    assert "Takes 15 minutes; 10 minutes are available" in feasibility["reasons"]
    assert "Written for Gym; the class uses Field" in feasibility["reasons"]


def test_recommendation_query_errors(client_for, teacher, world):
    client = client_for(teacher)
    other = ClassSessionFactory(pe_class=world["strong"], date=TODAY)
    base = f"/api/v1/physed/classes/{world['weak'].pk}/recommendations/"
    for params, field in (
        ({"limit": 0}, "limit"),
        ({"limit": 500}, "limit"),
        ({"space": "moon"}, "space"),
        ({"duration": "long"}, "duration"),
        ({"session": other.pk}, "session"),
        ({"session": 99999999}, "session"),
    ):
        response = client.get(base, params)
        assert response.status_code == 400, params
        assert field in response.json()["error"]["fields"]


def test_recommendation_permissions(api_client, client_for, member, school, world, other_teacher):
    base = f"/api/v1/physed/classes/{world['weak'].pk}/recommendations/"
    assert api_client.get(base).status_code == 401
    assert client_for(other_teacher).get(base).status_code == 404
    for role in (Role.STUDENT, Role.GUARDIAN):
        assert client_for(member(school, role)).get(base).status_code == 403
    assistant = client_for(member(school, Role.ASSISTANT))
    assert assistant.get(base).status_code == 200
    response = assistant.post(
        "/api/v1/physed/recommendations/feedback/",
        {"pe_class": world["weak"].pk, "activity": world["activities"]["Yoga flow"].pk, "action": "pick"},
        format="json",
    )
    assert response.status_code == 403


def test_student_recommendations_respect_restrictions(client_for, teacher, world, school):
    student = world["weak"].enrollments.first().student
    AdaptationProfileFactory(student=student, restrictions=[{"kind": "no_contact", "until": None}], skill_level=2)
    contact = ActivityFactory(school=school, name="Sumo", contact_level="contact", fitness_components=["power"])
    response = client_for(teacher).get(f"/api/v1/physed/students/{student.pk}/recommendations/", {"limit": 50})
    assert response.status_code == 200, response.content
    body = response.json()
    assert response["Cache-Control"] == "private, no-store"
    assert "Sumo" in {e["activity"]["name"] for e in body["excluded"]}
    assert contact.pk not in {r["activity"]["id"] for r in body["results"]}
    for row in body["results"]:
        if row["activity"]["name"] in ("Ultimate frisbee", "Kickball", "Flag football"):
            assert row["modifications_needed"] == [
                {"restriction": "no_contact", "kind": "rules", "text": "Tag with a flag, no body contact."}
            ]
    assert body["gaps"][0]["component"] == "aerobic"
    assert {"skill_fit"} <= {c["name"] for c in body["results"][0]["components"]}


def test_student_recommendations_permissions(api_client, client_for, member, school, world, other_teacher):
    student = world["weak"].enrollments.first().student
    url = f"/api/v1/physed/students/{student.pk}/recommendations/"
    assert api_client.get(url).status_code == 401
    assert client_for(other_teacher).get(url).status_code == 404
    assert client_for(member(school, Role.GUARDIAN)).get(url).status_code == 403


def test_feedback_list_is_scoped(client_for, teacher, world, other_school):
    from physed.tests.factories_adaptation import RecommendationFeedbackFactory

    mine = RecommendationFeedbackFactory(pe_class=world["weak"], activity=world["activities"]["Yoga flow"])
    RecommendationFeedbackFactory(pe_class__school=other_school)
    rows = client_for(teacher).get("/api/v1/physed/recommendations/feedback/").json()["results"]
    assert [(r["id"], r["activity_name"]) for r in rows] == [(mine.pk, "Yoga flow")]
    filtered = client_for(teacher).get("/api/v1/physed/recommendations/feedback/", {"action": "pick"}).json()
    assert filtered["results"] == []
