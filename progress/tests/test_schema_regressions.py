"""Regressions found by the schemathesis run (tests/test_schemathesis.py) over the progress API."""

import pytest

from physed.tests.factories import PEClassFactory, StudentFactory
from progress.models import GoalStatus
from progress.services import goals as services
from progress.tests.factories_goals import days, linked_student, register_test_metrics

pytestmark = pytest.mark.django_db
BASE = "/api/v1/progress"


@pytest.fixture(autouse=True)
def _metrics():
    register_test_metrics()


def _goal(student=None, **fields):
    values = {"title": "Laps", "metric_key": "t.laps", "baseline": 20, "target": 30, "deadline": days(30)}
    values.update(fields)
    return services.create_goal(actor=None, student=student, **values)


def test_goal_without_class_or_student_name_is_documented_nullable(client_for, teacher, school, api_client):
    """``class_name`` of a student's goal (no class) is null, and the schema says it may be."""
    goal = _goal(StudentFactory(school=school))
    data = client_for(teacher).get(f"{BASE}/goals/{goal.pk}/").json()
    assert data["class_name"] is None
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    properties = schema["components"]["schemas"]["Goal"]["properties"]
    assert properties["class_name"].get("nullable") is True
    assert properties["student_name"].get("nullable") is True


def test_decisions_lock_only_the_goal(client_for, teacher, school):
    """Approve, reject and cancel lock the goal row alone: on PostgreSQL a lock over the outer join
    to the (nullable) student was a 500 ("FOR UPDATE cannot be applied to the nullable side")."""
    me = linked_student(school)
    client = client_for(teacher)
    for action, status in (("approve", "active"), ("reject", "rejected")):
        goal = services.create_goal(
            actor=me.user, student=me, title="x", metric_key="t.laps", baseline=1, target=5, deadline=days(9)
        )
        response = client.post(f"{BASE}/goals/{goal.pk}/{action}/", {"note": "n" * 300}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == status
    response = client.post(f"{BASE}/goals/{_goal(me).pk}/cancel/", {"note": "Done"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == GoalStatus.CANCELLED
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(teacher)
    class_goal = _goal(pe_class=pe_class)
    response = client.post(f"{BASE}/goals/{class_goal.pk}/cancel/", {}, format="json")
    assert response.status_code == 200, response.json()


def test_student_progress_with_a_non_numeric_id_is_a_json_404(teacher, client_for):
    """Schemathesis: ``/students/null,null/progress/`` reached the view and failed on int()."""
    response = client_for(teacher).get("/api/v1/progress/students/null%2Cnull/progress/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_shipped_filter_takes_only_true_or_false(teacher, client_for):
    """Schemathesis: ``?shipped=-58800`` was read as true."""
    client = client_for(teacher)
    assert client.get("/api/v1/progress/achievement-definitions/", {"shipped": "-58800"}).status_code == 400
    assert client.get("/api/v1/progress/achievement-definitions/", {"shipped": "true"}).status_code == 200
