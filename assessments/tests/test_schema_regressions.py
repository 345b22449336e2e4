"""Regressions found by the schemathesis run (tests/test_schemathesis.py) over the assessments API."""

import pytest

from assessments.models import FitnessResult
from assessments.tests.factories_fitness import fitness_event

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assessments"


def test_unclassified_result_zone_is_blank_and_documented(school, teacher, client_for, api_client):
    """A result with no zone (no standard for the test, age or sex) is listed with ``zone: ""``,
    which the schema now allows (ZoneEnum or BlankEnum)."""
    event, students, tests = fitness_event(school)
    event.pe_class.teachers.add(teacher)
    result = FitnessResult.objects.create(event=event, student=students[0], test=tests["pacer_20m"], value=30)
    data = client_for(teacher).get(f"{BASE}/fitness-results/{result.pk}/").json()
    assert data["zone"] == ""
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    zone = schema["components"]["schemas"]["FitnessResult"]["properties"]["zone"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in zone["oneOf"]


def test_an_event_dated_before_a_students_birth_leaves_the_age_empty_instead_of_failing(school, teacher):
    """Schemathesis: PUT a test event with date 2000-01-01 re-classified its results with a
    negative age (a database check error, 500)."""
    import datetime

    from assessments.models import FitnessResult
    from assessments.services import fitness as services
    from assessments.tests.factories_fitness import fitness_event

    event, (girl, _boy), tests = fitness_event(school)
    services.record_fitness_results(
        actor=teacher, event=event, entries=[{"student": girl, "test": tests["pacer_20m"], "value": 23}]
    )
    services.update_test_event(actor=teacher, event=event, date=datetime.date(2000, 1, 1))
    result = FitnessResult.objects.get(student=girl)
    assert result.age_at_test is None
    assert result.zone == ""
