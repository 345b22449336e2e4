"""Fitness pages: the entry grid (all or nothing, errors per cell), event pages, standards,
settings and the student's own page (body composition privacy)."""

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.models import FitnessResult, SchoolFitnessSettings
from assessments.services import fitness as services
from assessments.tests.factories_fitness import fitness_event, shipped_tests
from physed.models import Guardianship

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_entry_grid_saves_all_cells(client, school, teacher):
    event, (girl, boy), tests = fitness_event(school)
    url = reverse("assessments-event-entry", args=[event.pk])
    page = _login(client, teacher).get(url)
    assert page.status_code == 200
    assert b'inputmode="numeric"' in page.content
    response = client.post(
        url,
        {
            f"c-{girl.pk}-{tests['pacer_20m'].pk}": "23",
            f"c-{girl.pk}-{tests['curl_up'].pk}": "20",
            f"c-{boy.pk}-{tests['pacer_20m'].pk}": "",
            f"c-{boy.pk}-{tests['curl_up'].pk}": "9",
        },
    )
    assert response.status_code == 302
    saved = {(r.student_id, r.test.code): (r.value, r.zone) for r in FitnessResult.objects.select_related("test")}
    assert saved[(girl.pk, "pacer_20m")][1] == "HFZ"
    assert saved[(boy.pk, "curl_up")][1] == "NI"
    assert len(saved) == 3
    detail = client.get(reverse("assessments-event-detail", args=[event.pk]))
    assert "Healthy Fitness Zone" in detail.content.decode()


def test_entry_grid_with_one_bad_cell_saves_nothing_and_marks_the_cell(client, school, teacher):
    event, (girl, boy), tests = fitness_event(school)
    url = reverse("assessments-event-entry", args=[event.pk])
    response = _login(client, teacher).post(
        url,
        {f"c-{girl.pk}-{tests['curl_up'].pk}": "20", f"c-{boy.pk}-{tests['pacer_20m'].pk}": "400"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "PACER (20 m) laps must be between 0 and 250." in body
    assert f'id="c-{boy.pk}-{tests["pacer_20m"].pk}-error"' in body
    assert 'value="400"' in body
    assert FitnessResult.objects.count() == 0


def test_mile_time_mm_ss_in_the_grid(client, school, teacher):
    event, (girl, _boy), tests = fitness_event(school, ("mile_run",), ages=[14, 14])
    response = _login(client, teacher).post(
        reverse("assessments-event-entry", args=[event.pk]), {f"c-{girl.pk}-{tests['mile_run'].pk}": "9:45"}
    )
    assert response.status_code == 302
    assert str(FitnessResult.objects.get().value) == "9.75"
    page = client.get(reverse("assessments-event-entry", args=[event.pk]))
    assert 'value="9:45"' in page.content.decode()


def test_other_school_gets_404_and_student_403(client, school, other_teacher, student):
    event, _students, _tests = fitness_event(school)
    url = reverse("assessments-event-detail", args=[event.pk])
    assert _login(client, other_teacher).get(url).status_code == 404
    assert _login(client, student).get(reverse("assessments-event-list")).status_code == 403


def test_event_list_and_create(client, school, teacher):
    event, _students, tests = fitness_event(school)
    page = _login(client, teacher).get(reverse("assessments-event-list"))
    assert page.status_code == 200 and "Fall pre-test" in page.content.decode()
    response = client.post(
        reverse("assessments-event-create"),
        {
            "pe_class": event.pe_class.pk,
            "name": "Mid-year",
            "window": "Winter",
            "date": "2026-11-17",
            "tests": [tests["curl_up"].pk],
        },
    )
    assert response.status_code == 302
    assert event.pe_class.test_events.filter(name="Mid-year").exists()


def test_delete_needs_confirmation(client, school, teacher):
    event, _students, _tests = fitness_event(school)
    url = reverse("assessments-event-delete", args=[event.pk])
    assert _login(client, teacher).get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not type(event).objects.filter(pk=event.pk).exists()


def test_standards_page_shows_source_and_bands(client, school, teacher):
    shipped_tests()
    body = _login(client, teacher).get(reverse("assessments-standards")).content.decode()
    assert "CDE PFT Reference Guide, January 2020" in body
    assert "aerobic_capacity_vo2max" in body and "≥ 40.1" in body


def test_settings_page(client, school, teacher, department_head):
    shipped_tests()
    assert _login(client, teacher).get(reverse("assessments-fitness-settings")).status_code == 403
    client.force_login(department_head)
    current = services.settings_for(school)
    response = client.post(
        reverse("assessments-fitness-settings"),
        {"standard_set": current.standard_set_id, "record_body_composition": "on"},
    )
    assert response.status_code == 302
    assert SchoolFitnessSettings.objects.get(school=school).record_body_composition is True


def test_student_page_body_composition_privacy(client, school, teacher, member, guardian):
    event, (girl, boy), tests = fitness_event(school, ("curl_up",))
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
    url = reverse("assessments-student-fitness", args=[girl.pk])
    staff_view = _login(client, teacher).get(url).content.decode()
    assert "Curl-up" in staff_view and "Body mass index" not in staff_view
    own = member(school, Role.STUDENT, email="girl@northside.test")
    girl.user = own
    girl.save()
    own_view = _login(client, own).get(url).content.decode()
    assert "Body mass index" in own_view
    other = member(school, Role.STUDENT, email="boy@northside.test")
    boy.user = other
    boy.save()
    assert _login(client, other).get(url).status_code == 404
    Guardianship.objects.create(student=girl, guardian=guardian, name="Parent", email="p@example.org")
    assert "Body mass index" in _login(client, guardian).get(url).content.decode()
