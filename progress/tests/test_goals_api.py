"""Goals, entries, badges and student progress over the API: permissions (401/403/404),
visibility (other school 404, students and guardians see their own), 400 with nothing stored."""

import pytest

from physed.tests.factories import StudentFactory
from progress.models import AchievementDefinition, Goal, GoalStatus, ProgressEntry
from progress.services import goals as services
from progress.tests.factories_core import AchievementFactory
from progress.tests.factories_goals import days, entry, linked_student, register_test_metrics

pytestmark = pytest.mark.django_db
BASE = "/api/v1/progress"


@pytest.fixture(autouse=True)
def _metrics():
    register_test_metrics()


def _goal(student, **fields):
    values = {"title": "Laps", "metric_key": "t.laps", "baseline": 20, "target": 30, "deadline": days(30)}
    values.update(fields)
    return services.create_goal(actor=None, student=student, **values)


def _body(student, **fields):
    body = {
        "student": student.pk,
        "title": "Run more",
        "metric_key": "t.laps",
        "baseline": "20",
        "target": "30",
        "deadline": days(40).isoformat(),
        "milestones": [{"title": "Half", "target_value": "25", "due_date": days(20).isoformat()}],
    }
    body.update(fields)
    return body


def test_anonymous_is_401(api_client):
    assert api_client.get(f"{BASE}/goals/").status_code == 401


def test_teacher_creates_with_milestones_and_reads_progress(client_for, teacher, school):
    student = StudentFactory(school=school)
    entry(student, 26, days(0))
    response = client_for(teacher).post(f"{BASE}/goals/", _body(student), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["unit"], data["current_value"], data["percent"]) == ("active", "laps", 26.0, 60)
    assert data["milestones"][0]["reached_at"] == days(0).isoformat()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target": "10"}, "target"),
        ({"metric_key": "t.nope"}, "metric_key"),
        ({"deadline": days(-3).isoformat(), "start_date": days(-9).isoformat()}, "deadline"),
        ({"milestones": [{"title": "x", "target_value": "35", "due_date": days(5).isoformat()}]}, "milestones[0]"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_400_and_nothing_stored(client_for, teacher, school, fields, field):
    response = client_for(teacher).post(f"{BASE}/goals/", _body(StudentFactory(school=school), **fields), format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert Goal.objects.count() == 0


def test_other_school_student_id_is_400_and_other_school_goal_404(client_for, teacher, other_school):
    other = StudentFactory(school=other_school)
    client = client_for(teacher)
    assert client.post(f"{BASE}/goals/", _body(other), format="json").status_code == 400
    goal = _goal(other)
    assert client.get(f"{BASE}/goals/{goal.pk}/").status_code == 404
    assert client.post(f"{BASE}/goals/{goal.pk}/cancel/", {}, format="json").status_code == 404
    assert client.get(f"{BASE}/students/{other.pk}/progress/").status_code == 404


def test_student_sees_own_goals_only_and_proposes(client_for, teacher, school):
    me = linked_student(school)
    classmate = StudentFactory(school=school)
    mine, theirs = _goal(me), _goal(classmate)
    client = client_for(me.user)
    ids = [row["id"] for row in client.get(f"{BASE}/goals/").json()["results"]]
    assert ids == [mine.pk]
    assert client.get(f"{BASE}/goals/{theirs.pk}/").status_code == 404
    assert client.get(f"{BASE}/students/{classmate.pk}/progress/").status_code == 404
    summary = client.get(f"{BASE}/students/{me.pk}/progress/").json()
    assert [g["id"] for g in summary["goals"]] == [mine.pk]
    # a student proposes for themselves, never for someone else
    response = client.post(f"{BASE}/goals/", _body(me, milestones=[]), format="json")
    assert response.status_code == 201 and response.json()["status"] == "proposed"
    assert client.post(f"{BASE}/goals/", _body(classmate), format="json").status_code == 403
    proposed = response.json()["id"]
    assert client.post(f"{BASE}/goals/{proposed}/approve/", {}, format="json").status_code == 403
    response = client_for(teacher).post(f"{BASE}/goals/{proposed}/approve/", {"note": "Go!"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    assert client.delete(f"{BASE}/goals/{mine.pk}/").status_code == 403


def test_guardian_sees_the_child(client_for, guardian, school):
    child = linked_student(school, guardian=guardian)
    goal = _goal(child)
    _goal(StudentFactory(school=school))
    client = client_for(guardian)
    assert [row["id"] for row in client.get(f"{BASE}/goals/").json()["results"]] == [goal.pk]
    entry(child, 21, days(0))
    assert len(client.get(f"{BASE}/entries/").json()["results"]) == 1


def test_filters_and_search(client_for, teacher, school):
    a, b = StudentFactory(school=school, first_name="Ada"), StudentFactory(school=school, first_name="Bo")
    ga = _goal(a, title="Sprint")
    _goal(b)
    client = client_for(teacher)
    assert [r["id"] for r in client.get(f"{BASE}/goals/", {"student": a.pk}).json()["results"]] == [ga.pk]
    assert [r["id"] for r in client.get(f"{BASE}/goals/", {"search": "sprint"}).json()["results"]] == [ga.pk]
    assert client.get(f"{BASE}/goals/", {"status": "achieved"}).json()["results"] == []
    assert client.get(f"{BASE}/goals/", {"status": "bogus"}).status_code == 400


def test_reject_needs_note_and_cancel(client_for, teacher, school):
    me = linked_student(school)
    goal = services.create_goal(
        actor=me.user, student=me, title="x", metric_key="t.laps", baseline=1, target=5, deadline=days(9)
    )
    client = client_for(teacher)
    response = client.post(f"{BASE}/goals/{goal.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and "note" in str(response.json())
    assert (
        client.post(f"{BASE}/goals/{goal.pk}/reject/", {"note": "Later"}, format="json").json()["status"] == "rejected"
    )
    other = _goal(me)
    assert client.post(f"{BASE}/goals/{other.pk}/cancel/", {}, format="json").json()["status"] == "cancelled"
    assert Goal.objects.get(pk=other.pk).status == GoalStatus.CANCELLED


def test_manual_entries(client_for, teacher, assistant, school):
    student = StudentFactory(school=school)
    body = {"student": student.pk, "metric_key": "t.laps", "value": "33", "date": days(0).isoformat()}
    assert client_for(assistant).post(f"{BASE}/entries/", body, format="json").status_code == 403
    response = client_for(teacher).post(f"{BASE}/entries/", body, format="json")
    assert response.status_code == 201 and response.json()["source"] == "manual"
    for bad in ({"value": "999"}, {"date": days(2).isoformat()}, {"metric_key": "attendance.rate"}):
        response = client_for(teacher).post(f"{BASE}/entries/", {**body, **bad}, format="json")
        assert response.status_code == 400
    assert ProgressEntry.objects.count() == 1


def test_badge_definitions_and_awards(client_for, department_head, teacher, school, other_school):
    client = client_for(department_head)
    rule = {"type": "attendance_streak", "length": 5}
    response = client.post(
        f"{BASE}/achievement-definitions/",
        {"code": "five", "name": "Five", "description": "5", "rule": rule},
        format="json",
    )
    assert response.status_code == 201, response.json()
    bad = {"code": "bad", "name": "Bad", "description": "b", "rule": {"type": "magic"}}
    assert client.post(f"{BASE}/achievement-definitions/", bad, format="json").status_code == 400
    bad["rule"] = {"type": "attendance_streak", "length": 5, "x": 1}
    assert client.post(f"{BASE}/achievement-definitions/", bad, format="json").status_code == 400
    assert AchievementDefinition.objects.filter(code="bad").count() == 0
    assert (
        client_for(teacher)
        .post(
            f"{BASE}/achievement-definitions/",
            {"code": "t", "name": "T", "description": "t", "rule": rule},
            format="json",
        )
        .status_code
        == 403
    )
    mine = AchievementFactory(student__school=school)
    AchievementFactory(student__school=other_school)
    rows = client_for(teacher).get(f"{BASE}/achievements/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    student = linked_student(school)
    assert client_for(student.user).get(f"{BASE}/achievements/").json()["results"] == []
