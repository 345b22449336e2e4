"""Results: the bulk API (range/kind validation per row, all or nothing, participants only),
the results list with filters, and the entry grid page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from physed.models import AttendanceRecord, AttendanceStatus, PerformanceResult
from physed.services.results import value_error
from physed.tests.factories_sessions import (
    ClassSessionFactory,
    MetricTypeFactory,
    SessionBlockFactory,
    class_with_students,
    shipped_metric,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(school):
    pe_class, students = class_with_students(school, 3)
    session = ClassSessionFactory(pe_class=pe_class, date=datetime.date(2026, 9, 14))
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT]
    for student, status in zip(students, statuses, strict=True):
        AttendanceRecord.objects.create(session=session, student=student, status=status)
    return session, students


def _url(session):
    return f"/api/v1/physed/sessions/{session.pk}/results/"


def test_bulk_results_upsert(running, teacher, client_for):
    session, students = running
    pacer, rpe = shipped_metric("pacer_laps"), shipped_metric("rpe")
    block = SessionBlockFactory(session=session, order=1)
    client = client_for(teacher)
    payload = {
        "results": [
            {"student": students[0].pk, "metric": pacer.pk, "value": 31, "block": block.pk},
            {"student": students[1].pk, "metric": pacer.pk, "value": "27"},
            {"student": students[0].pk, "metric": rpe.pk, "value": 6.5},
        ]
    }
    response = client.post(_url(session), payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"session": session.pk, "saved": 3, "removed": 0}
    again = client.post(
        _url(session),
        {
            "results": [
                {"student": students[0].pk, "metric": pacer.pk, "value": 33},
                {"student": students[0].pk, "metric": rpe.pk, "value": None},
            ]
        },
        format="json",
    )
    assert again.json()["saved"] == 1 and again.json()["removed"] == 1
    values = {(r.student_id, r.metric.code): r.value for r in PerformanceResult.objects.select_related("metric")}
    assert values == {(students[0].pk, "pacer_laps"): Decimal("33"), (students[1].pk, "pacer_laps"): Decimal("27")}
    listed = client.get(_url(session)).json()
    assert {row["value"] for row in listed["results"]} == {"33.00", "27.00"}


def test_invalid_rows_report_each_error_and_write_nothing(running, teacher, client_for, other_school):
    session, students = running
    pacer, rpe, sprint = shipped_metric("pacer_laps"), shipped_metric("rpe"), shipped_metric("sprint_time")
    foreign_metric = MetricTypeFactory(school=other_school)
    payload = {
        "results": [
            {"student": students[0].pk, "metric": pacer.pk, "value": 30},  # fine
            {"student": students[0].pk, "metric": rpe.pk, "value": 11},  # out of range
            {"student": students[1].pk, "metric": pacer.pk, "value": 12.5},  # not whole
            {"student": students[2].pk, "metric": pacer.pk, "value": 20},  # absent
            {"student": students[1].pk, "metric": foreign_metric.pk, "value": 1},  # other school's metric
            {"student": students[1].pk, "metric": sprint.pk, "value": "4.123"},  # too many decimals
            {"student": students[0].pk, "metric": pacer.pk, "value": 31},  # duplicate
        ]
    }
    response = client_for(teacher).post(_url(session), payload, format="json")
    assert response.status_code == 400
    rows = response.json()["error"]["fields"]["results"]
    assert set(rows) == {"1", "2", "3", "4", "5", "6"}
    assert "between 0 and 10" in rows["1"]["value"][0]
    assert "whole number" in rows["2"]["value"][0]
    assert "present or late" in rows["3"]["student"][0]
    assert rows["4"]["metric"] == ["Unknown metric."]
    assert "2 decimal places" in rows["5"]["value"][0]
    assert "already" in rows["6"]["metric"][0]
    assert not PerformanceResult.objects.exists()


def test_nan_and_text_values_are_refused(running, teacher, client_for):
    session, students = running
    pacer = shipped_metric("pacer_laps")
    for value in ("NaN", "Infinity", "lots"):
        response = client_for(teacher).post(
            _url(session), {"results": [{"student": students[0].pk, "metric": pacer.pk, "value": value}]}, format="json"
        )
        assert response.status_code == 400


def test_value_error_rules():
    pacer, mile, sit = shipped_metric("pacer_laps"), shipped_metric("mile_time"), shipped_metric("sit_and_reach")
    assert value_error(pacer, 0) is None and value_error(pacer, 250) is None
    assert value_error(pacer, 251) and value_error(pacer, -1)
    assert value_error(mile, 100)  # a 100 s mile is a typo
    assert value_error(sit, "25.5") is None and "1 decimal" in value_error(sit, "25.55")
    assert value_error(pacer, "x") == "Enter a number."


def test_results_permissions(running, student, other_teacher, client_for):
    session, students = running
    pacer = shipped_metric("pacer_laps")
    payload = {"results": [{"student": students[0].pk, "metric": pacer.pk, "value": 30}]}
    assert client_for(student).post(_url(session), payload, format="json").status_code == 403
    assert client_for(other_teacher).post(_url(session), payload, format="json").status_code == 404


def test_results_list_filters(running, teacher, client_for):
    session, students = running
    pacer, rpe = shipped_metric("pacer_laps"), shipped_metric("rpe")
    PerformanceResult.objects.create(session=session, student=students[0], metric=pacer, value=30)
    PerformanceResult.objects.create(session=session, student=students[1], metric=pacer, value=20)
    PerformanceResult.objects.create(session=session, student=students[0], metric=rpe, value=5)
    client = client_for(teacher)
    assert client.get("/api/v1/physed/results/", {"student": students[0].pk}).json()["count"] == 2
    assert client.get("/api/v1/physed/results/", {"metric_code": "pacer_laps"}).json()["count"] == 2
    assert client.get("/api/v1/physed/results/", {"metric": rpe.pk}).json()["count"] == 1
    assert client.get("/api/v1/physed/results/", {"pe_class": session.pe_class_id}).json()["count"] == 3
    assert client.get("/api/v1/physed/results/", {"date_after": "2026-09-15"}).json()["count"] == 0
    response = client.get("/api/v1/physed/results/")
    assert response["Cache-Control"] == "private, no-store"
    records = client.get("/api/v1/physed/attendance-records/", {"status": "absent"}).json()
    assert [row["student"] for row in records["results"]] == [students[2].pk]


def test_entry_grid_page(running, teacher, client):
    session, students = running
    pacer, rpe = shipped_metric("pacer_laps"), shipped_metric("rpe")
    PerformanceResult.objects.create(session=session, student=students[1], metric=pacer, value=20)
    client.force_login(teacher)
    url = reverse("session-results", args=[session.pk]) + "?metric=pacer_laps&metric=rpe"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'name="v-{students[0].pk}-{pacer.pk}"' in html and f'name="v-{students[2].pk}-{pacer.pk}"' not in html
    assert 'step="0.1"' in html and 'max="250.00"' in html and 'value="20"' in html
    data = {
        f"v-{students[0].pk}-{pacer.pk}": "31",
        f"v-{students[0].pk}-{rpe.pk}": "6,5",
        f"v-{students[1].pk}-{pacer.pk}": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    values = {(r.student_id, r.metric_id): r.value for r in PerformanceResult.objects.all()}
    assert values == {(students[0].pk, pacer.pk): Decimal("31"), (students[0].pk, rpe.pk): Decimal("6.5")}
    bad = client.post(url, {f"v-{students[0].pk}-{pacer.pk}": "999", f"v-{students[1].pk}-{pacer.pk}": "oops"})
    assert bad.status_code == 400
    assert "Enter a number." in bad.content.decode()
    bad = client.post(url, {f"v-{students[0].pk}-{pacer.pk}": "999"})
    assert bad.status_code == 400 and "between 0 and 250" in bad.content.decode()
    assert PerformanceResult.objects.get(student=students[0], metric=pacer).value == Decimal("31")


def test_entry_grid_defaults_to_recorded_metrics_and_picker(running, teacher, client):
    session, _students = running
    shipped_metric("pacer_laps")
    client.force_login(teacher)
    html = client.get(reverse("session-results", args=[session.pk])).content.decode()
    assert "Choose one or more metrics" in html and 'value="pacer_laps"' in html
