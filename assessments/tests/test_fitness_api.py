"""Fitness API: permissions (401/403/404), bulk entry, body-composition privacy, settings."""

from decimal import Decimal

import pytest

from accounts.models import Role
from assessments.models import FitnessResult, FitnessTest, SchoolFitnessSettings, TestEvent
from assessments.services import fitness as services
from assessments.tests.factories_fitness import fitness_event, shipped_tests
from progress.models import ProgressEntry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assessments"


def _post_results(client, event, rows):
    return client.post(f"{BASE}/test-events/{event.pk}/results/", {"results": rows}, format="json")


def test_bulk_entry_saves_and_classifies(school, teacher, client_for):
    event, (girl, boy), tests = fitness_event(school)
    response = _post_results(
        client_for(teacher),
        event,
        [
            {"student": girl.pk, "test": tests["pacer_20m"].pk, "value": 23},
            {"student": boy.pk, "test": tests["curl_up"].pk, "value": "25"},
        ],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 2, "removed": 0}
    listed = client_for(teacher).get(f"{BASE}/test-events/{event.pk}/results/").json()["results"]
    by_test = {row["test_code"]: row for row in listed}
    assert by_test["pacer_20m"]["estimated_vo2max"] == "40.3"
    assert by_test["pacer_20m"]["zone"] == "HFZ"
    assert by_test["curl_up"]["zone"] == "HFZ"  # boys 12: HFZ ≥ 18


def test_bulk_entry_out_of_range_is_400_in_the_error_shape_and_nothing_stored(school, teacher, client_for):
    event, (girl, boy), tests = fitness_event(school)
    response = _post_results(
        client_for(teacher),
        event,
        [
            {"student": girl.pk, "test": tests["curl_up"].pk, "value": 20},
            {"student": boy.pk, "test": tests["pacer_20m"].pk, "value": 300},
        ],
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"]["results"]["1"]["value"] == ["PACER (20 m) laps must be between 0 and 250."]
    assert FitnessResult.objects.count() == 0 and ProgressEntry.objects.count() == 0


def test_bulk_entry_with_another_schools_student_is_400(school, other_school, teacher, client_for):
    event, (_girl, _boy), tests = fitness_event(school)
    _other_event, (foreign, _), _ = fitness_event(other_school)
    response = _post_results(
        client_for(teacher), event, [{"student": foreign.pk, "test": tests["curl_up"].pk, "value": 20}]
    )
    assert response.status_code == 400
    assert FitnessResult.objects.count() == 0


def test_event_permissions(school, other_school, teacher, other_teacher, student, client_for, api_client):
    event, _students, _tests = fitness_event(school)
    url = f"{BASE}/test-events/{event.pk}/"
    assert api_client.get(url).status_code == 401
    assert client_for(other_teacher).get(url).status_code == 404
    assert client_for(student).get(f"{BASE}/test-events/").status_code == 403
    assert client_for(teacher).get(url).json()["name"] == "Fall pre-test"
    assert client_for(other_teacher).delete(url).status_code == 404
    assert TestEvent.objects.filter(pk=event.pk).exists()


def test_assistant_cannot_create_event_but_teacher_can(school, teacher, assistant, client_for):
    event, _students, tests = fitness_event(school)
    payload = {
        "pe_class": event.pe_class.pk,
        "name": "Mid-year",
        "window": "Winter",
        "date": "2026-11-17",
        "tests": [tests["pacer_20m"].pk, tests["trunk_lift"].pk],
    }
    assert client_for(assistant).post(f"{BASE}/test-events/", payload, format="json").status_code == 403
    response = client_for(teacher).post(f"{BASE}/test-events/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Mid-year" and len(response.json()["tests"]) == 2


def test_event_with_body_composition_test_is_400_when_off(school, teacher, client_for):
    event, _students, tests = fitness_event(school)
    payload = {"pe_class": event.pe_class.pk, "name": "BMI", "date": "2026-11-17", "tests": [tests["bmi"].pk]}
    response = client_for(teacher).post(f"{BASE}/test-events/", payload, format="json")
    assert response.status_code == 400
    assert "body composition" in response.json()["error"]["fields"]["tests"][0]
    assert TestEvent.objects.filter(name="BMI").count() == 0


def _with_bmi(school, teacher):
    event, (girl, _boy), tests = fitness_event(school, ("curl_up",))
    services.settings_for(school)
    SchoolFitnessSettings.objects.filter(school=school).update(record_body_composition=True)
    event.tests.add(tests["bmi"])
    services.record_fitness_results(
        actor=teacher,
        event=event,
        entries=[
            {"student": girl, "test": tests["curl_up"], "value": 20},
            {"student": girl, "test": tests["bmi"], "value": 19},
        ],
    )
    return event, girl


def test_body_composition_rows_hidden_from_teacher_shown_to_department_head(
    school, teacher, department_head, client_for
):
    _event, girl = _with_bmi(school, teacher)
    seen = client_for(teacher).get(f"{BASE}/fitness-results/", {"student": girl.pk}).json()["results"]
    assert [row["test_code"] for row in seen] == ["curl_up"]
    bmi = FitnessResult.objects.get(test__code="bmi")
    assert client_for(teacher).get(f"{BASE}/fitness-results/{bmi.pk}/").status_code == 404
    head = client_for(department_head).get(f"{BASE}/fitness-results/", {"student": girl.pk}).json()["results"]
    assert sorted(row["test_code"] for row in head) == ["bmi", "curl_up"]


def test_results_list_filters_and_isolation(school, other_school, teacher, other_teacher, client_for):
    event, (girl, boy), tests = fitness_event(school)
    services.record_fitness_results(
        actor=teacher,
        event=event,
        entries=[
            {"student": girl, "test": tests["curl_up"], "value": 5},
            {"student": boy, "test": tests["curl_up"], "value": 40},
        ],
    )
    rows = client_for(teacher).get(f"{BASE}/fitness-results/", {"zone": "NI"}).json()["results"]
    assert [(row["student"], row["value"]) for row in rows] == [(girl.pk, "5.00")]
    assert client_for(other_teacher).get(f"{BASE}/fitness-results/").json()["results"] == []


def test_fitness_tests_list_and_school_test_writes(school, teacher, department_head, client_for):
    shipped_tests()
    listed = client_for(teacher).get(f"{BASE}/fitness-tests/", {"page_size": 50}).json()
    assert listed["count"] == 15
    payload = {
        "code": "plank",
        "name": "Plank hold",
        "component": "abdominal",
        "unit": "s",
        "plausible_min": "0",
        "plausible_max": "600",
    }
    assert client_for(teacher).post(f"{BASE}/fitness-tests/", payload, format="json").status_code == 403
    created = client_for(department_head).post(f"{BASE}/fitness-tests/", payload, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["shipped"] is False
    bad = client_for(department_head).post(
        f"{BASE}/fitness-tests/", {**payload, "code": "plank2", "plausible_min": "700"}, format="json"
    )
    assert bad.status_code == 400 and FitnessTest.objects.filter(code="plank2").count() == 0
    as_number = client_for(department_head).post(
        f"{BASE}/fitness-tests/", {**payload, "code": "plank3", "plausible_max": 600}, format="json"
    )
    assert as_number.status_code == 400 and list(as_number.json()["error"]["fields"]) == ["plausible_max"]
    pacer = FitnessTest.objects.get(school=None, code="pacer_20m")
    assert client_for(department_head).get(f"{BASE}/fitness-tests/{pacer.pk}/").status_code == 200
    assert (
        client_for(department_head).patch(f"{BASE}/fitness-tests/{pacer.pk}/", {"name": "X"}, format="json").status_code
        == 403
    )


def test_standard_sets_and_bands(school, teacher, client_for):
    shipped_tests()
    sets = client_for(teacher).get(f"{BASE}/standard-sets/").json()["results"]
    assert sets[0]["code"] == "fitnessgram-hfz" and sets[0]["band_count"] == 324
    bands = (
        client_for(teacher)
        .get(f"{BASE}/standard-sets/{sets[0]['id']}/bands/", {"measure": "curl_up", "sex": "F"})
        .json()
    )
    assert bands["count"] == 9
    assert bands["results"][0]["age_from"] == 10 and bands["results"][0]["lower"] == "12.00"


def test_fitness_settings_get_and_patch(school, teacher, department_head, client_for):
    shipped_tests()
    got = client_for(teacher).get(f"{BASE}/fitness-settings/").json()
    assert got["record_body_composition"] is False and got["standard_set"] is not None
    denied = client_for(teacher).patch(f"{BASE}/fitness-settings/", {"record_body_composition": True}, format="json")
    assert denied.status_code == 403
    done = client_for(department_head).patch(
        f"{BASE}/fitness-settings/", {"record_body_composition": True}, format="json"
    )
    assert done.status_code == 200 and done.json()["record_body_composition"] is True
    bad = client_for(department_head).patch(
        f"{BASE}/fitness-settings/", {"record_body_composition": "yes"}, format="json"
    )
    assert bad.status_code == 400


def test_delete_result_removes_progress_entry(school, teacher, client_for):
    event, (girl, _boy), tests = fitness_event(school)
    services.record_fitness_results(
        actor=teacher, event=event, entries=[{"student": girl, "test": tests["curl_up"], "value": 20}]
    )
    result = FitnessResult.objects.get()
    assert client_for(teacher).delete(f"{BASE}/fitness-results/{result.pk}/").status_code == 204
    assert ProgressEntry.objects.count() == 0


def test_member_role_student_of_school_cannot_list_results(school, member, client_for):
    user = member(school, Role.STUDENT, email="kid@northside.test")
    assert client_for(user).get(f"{BASE}/fitness-results/").status_code == 403
    assert Decimal("1") == 1
