"""Fitness analytics: values on a small known dataset (HFZ share per test and grade, pre/post,
percentiles, histogram, attendance vs performance), permissions, body composition, query counts."""

import datetime
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_member
from assessments.selectors import analytics as selectors
from assessments.tests.factories_analytics import (
    analytics_class,
    analytics_event,
    analytics_result,
    analytics_test,
    attendance_for,
)

FALL, SPRING = datetime.date(2026, 9, 15), datetime.date(2027, 3, 15)
P, A, L = "present", "absent", "late"


@pytest.fixture
def data(school, teacher):
    pacer = analytics_test("pacer_20m", position=1)
    mile = analytics_test("mile_run", higher_is_better=False, position=3, unit="s")
    bmi = analytics_test("bmi", body=True, position=20, unit="kg/m²")
    pe_class, (s0, s1, s2, s3) = analytics_class(school, grades=[7, 7, 7, 8], teachers=[teacher])
    fall = analytics_event(pe_class, window="Fall", date=FALL, tests=[pacer, mile, bmi])
    spring = analytics_event(pe_class, window="Spring", date=SPRING, tests=[pacer, mile])
    for student, value, zone in [(s0, 20, "NI"), (s1, 30, "HFZ"), (s2, 40, "HFZ"), (s3, 15, "NI-HR")]:
        analytics_result(fall, student, pacer, value, zone)
    for student, value, zone in [(s0, 26, "HFZ"), (s1, 28, "NI"), (s2, 45, "HFZ")]:
        analytics_result(spring, student, pacer, value, zone)
    analytics_result(fall, s0, mile, 600, "NI")
    analytics_result(spring, s0, mile, 560, "HFZ")
    analytics_result(fall, s0, bmi, 18, "HFZ")
    attendance_for(pe_class, s0, [P, P, P, P])
    attendance_for(pe_class, s1, [P, A, L, A])
    attendance_for(pe_class, s2, [P, P, L, P])
    attendance_for(pe_class, s3, [A, A, A, P])
    return {"class": pe_class, "students": [s0, s1, s2, s3], "pacer": pacer, "mile": mile, "bmi": bmi}


def _by_code(rows):
    return {row["code"]: row for row in rows}


def test_hfz_share_uses_the_latest_result_per_student_and_splits_by_grade(data):
    result = selectors.analytics(pe_class=data["class"])
    pacer = _by_code(result["hfz"])["pacer_20m"]
    assert (pacer["results"], pacer["classified"], pacer["hfz"], pacer["ni"], pacer["ni_hr"]) == (4, 4, 2, 1, 1)
    assert pacer["hfz_share"] == 0.5
    grades = {row["grade"]: row for row in pacer["grades"]}
    assert grades[7]["hfz"] == 2 and grades[7]["classified"] == 3 and grades[7]["hfz_share"] == 0.6667
    assert grades[8]["hfz"] == 0 and grades[8]["hfz_share"] == 0.0
    assert _by_code(result["hfz"])["mile_run"]["hfz_share"] == 1.0
    assert "bmi" not in _by_code(result["hfz"])  # body composition only on request


def test_prepost_between_the_first_and_last_window(data):
    prepost = selectors.analytics(pe_class=data["class"])["prepost"]
    assert (prepost["windows"], prepost["pre"], prepost["post"]) == (["Fall", "Spring"], "Fall", "Spring")
    pacer = _by_code(prepost["tests"])["pacer_20m"]
    # s0 20→26, s1 30→28, s2 40→45 (s3 has no spring result)
    assert pacer["students"] == 3
    assert (pacer["mean_pre"], pacer["mean_post"], pacer["mean_change"]) == (30.0, 33.0, 3.0)
    assert pacer["improved"] == 2 and pacer["improved_share"] == 0.6667
    mile = _by_code(prepost["tests"])["mile_run"]  # lower is better: 600 → 560 is an improvement
    assert (mile["mean_change"], mile["improved"], mile["improved_share"]) == (-40.0, 1, 1.0)


def test_percentiles_and_histogram_of_one_test(data):
    dist = selectors.analytics(pe_class=data["class"], filters=selectors.Filters(test=data["pacer"]))["distribution"]
    # latest values sorted: 15, 26, 28, 45 (linear interpolation, percentile_cont)
    assert dist["count"] == 4 and dist["mean"] == 28.5
    assert dist["percentiles"] == {"p10": 18.3, "p25": 23.25, "p50": 27.0, "p75": 32.25, "p90": 39.9}
    assert sum(b["count"] for b in dist["histogram"]) == 4
    assert dist["histogram"][0] == {"low": 15.0, "high": 18.0, "count": 1}
    assert dist["histogram"][-1]["count"] == 1 and dist["histogram"][-1]["high"] == 45.0


def test_percentile_function_matches_statistics_inclusive_quantiles():
    values = sorted([3.0, 9, 1, 7, 4, 12, 8, 15, 2, 6])
    cuts = statistics.quantiles(values, n=4, method="inclusive")
    assert selectors.percentile(values, 25) == pytest.approx(cuts[0])
    assert selectors.percentile(values, 50) == pytest.approx(cuts[1])
    assert selectors.percentile(values, 75) == pytest.approx(cuts[2])
    assert selectors.percentile([5.0], 90) == 5.0 and selectors.percentile([], 50) is None


def test_attendance_vs_performance_pearson(data):
    att = selectors.analytics(pe_class=data["class"])["attendance"]
    # attendance rate (on site incl. late): s0 4/4, s1 2/4, s2 4/4, s3 1/4; latest laps 26, 28, 45, 15
    points = {(p["attendance_rate"], p["value"]) for p in att["points"]}
    assert points == {(1.0, 26.0), (0.5, 28.0), (1.0, 45.0), (0.25, 15.0)}
    expected = statistics.correlation([1.0, 0.5, 1.0, 0.25], [26, 28, 45, 15])
    assert att["test"] == "pacer_20m" and att["students"] == 4
    assert att["pearson_r"] == pytest.approx(expected, abs=1e-4)


def test_filters_grade_and_dates(data):
    grade8 = selectors.analytics(pe_class=data["class"], filters=selectors.Filters(grade=8))
    assert _by_code(grade8["hfz"])["pacer_20m"]["results"] == 1
    fall_only = selectors.analytics(pe_class=data["class"], filters=selectors.Filters(end=datetime.date(2026, 12, 31)))
    pacer = _by_code(fall_only["hfz"])["pacer_20m"]
    assert pacer["hfz"] == 2 and pacer["ni"] == 1 and pacer["ni_hr"] == 1  # the fall values
    assert fall_only["prepost"]["tests"] == []


# --- API ------------------------------------------------------------------------------------


def _class_url(pe_class):
    return reverse("assessments-analytics-class-api", args=[pe_class.pk])


def test_api_class_numbers_for_its_teacher(client_for, teacher, data):
    response = client_for(teacher).get(_class_url(data["class"]))
    assert response.status_code == 200
    body = response.json()
    assert _by_code(body["hfz"])["pacer_20m"]["hfz_share"] == 0.5
    assert _by_code(body["prepost"]["tests"])["pacer_20m"]["mean_change"] == 3.0
    assert body["body_composition"] is False and "bmi" not in _by_code(body["hfz"])
    assert response["Cache-Control"] == "private, no-store"


def test_api_body_composition_for_department_head_only(client_for, department_head, data):
    body = client_for(department_head).get(_class_url(data["class"])).json()
    assert body["body_composition"] is True
    assert _by_code(body["hfz"])["bmi"]["hfz"] == 1


def test_api_permissions(api_client, client_for, school, other_teacher, assistant, data):
    url = _class_url(data["class"])
    assert api_client.get(url).status_code == 401
    assert client_for(other_teacher).get(url).status_code == 404
    assert client_for(assistant).get(url).status_code == 403
    not_theirs = make_member(school, Role.TEACHER, email="t2@northside.test")
    assert client_for(not_theirs).get(url).status_code == 403
    student_user = make_member(school, Role.STUDENT, email="kid@northside.test")
    assert client_for(student_user).get(url).status_code == 403


def test_api_school_dashboard(client_for, teacher, department_head, school, data):
    url = reverse("assessments-analytics-school-api")
    assert client_for(teacher).get(url).status_code == 403
    response = client_for(department_head).get(url, {"grade": 7})
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "school" and body["school"] == school.pk
    assert _by_code(body["hfz"])["pacer_20m"]["hfz_share"] == 0.6667


def test_api_bad_filters_are_400(client_for, department_head, other_school, data):
    client = client_for(department_head)
    url = _class_url(data["class"])
    response = client.get(url, {"from": "2027-01-01", "to": "2026-01-01"})
    assert response.status_code == 400 and "to" in response.json()["error"]["fields"]
    assert client.get(url, {"grade": 13}).status_code == 400
    assert client.get(url, {"test": 999999}).status_code == 400
    school_url = reverse("assessments-analytics-school-api")
    assert client.get(school_url, {"school": other_school.pk}).status_code == 400


def _grow(school, pe_class, pacer, students: int):
    from assessments.tests.factories_analytics import analytics_result
    from physed.models import Enrollment, Student

    fall = pe_class.test_events.get(window="Fall")
    for number in range(students):
        student = Student.objects.create(
            school=school, first_name="X", last_name=f"Grow{number}", grade=7, external_id=f"grow-{number}"
        )
        Enrollment.objects.create(pe_class=pe_class, student=student, start_date=datetime.date(2026, 8, 20))
        analytics_result(fall, student, pacer, 20 + number, "HFZ")
        attendance_for(pe_class, student, [P, A])


def test_query_count_does_not_grow_with_the_data(client_for, department_head, school, data):
    client = client_for(department_head)
    url = _class_url(data["class"])
    school_url = reverse("assessments-analytics-school-api")
    client.get(url)  # warm the permission cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as small_school:
        assert client.get(school_url).status_code == 200
    _grow(school, data["class"], data["pacer"], 25)
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).json()
    with CaptureQueriesContext(connection) as large_school:
        assert client.get(school_url).status_code == 200
    assert _by_code(body["hfz"])["pacer_20m"]["results"] == 29
    assert len(large) == len(small)
    assert len(large_school) == len(small_school)


def test_query_count_is_bounded(django_assert_max_num_queries, client_for, department_head, data):
    client = client_for(department_head)
    client.get(_class_url(data["class"]))
    with django_assert_max_num_queries(20):
        client.get(_class_url(data["class"]))


# --- pages ----------------------------------------------------------------------------------


def test_class_page_shows_the_numbers(client, teacher, data):
    client.force_login(teacher)
    response = client.get(reverse("assessments-analytics-class", args=[data["class"].pk]), {"test": data["pacer"].pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "50%" in text  # PACER share in HFZ
    assert "<svg" in text and "P50" in text and "27.0" in text
    assert "Pearson r = " in text


def test_pages_permissions(client, school, other_teacher, teacher, department_head, data):
    url = reverse("assessments-analytics-class", args=[data["class"].pk])
    school_url = reverse("assessments-analytics-school")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(other_teacher)
    assert client.get(url).status_code == 404
    client.force_login(make_member(school, Role.TEACHER, email="t9@northside.test"))
    assert client.get(url).status_code == 403
    client.force_login(teacher)
    assert client.get(school_url).status_code == 403
    client.force_login(department_head)
    response = client.get(school_url)
    assert response.status_code == 200 and "School fitness analytics" in response.content.decode()
    assert client.get(school_url, {"date_from": "2027-01-01", "date_to": "2026-01-01"}).status_code == 400


def test_scatter_points_pass_through_as_the_field_serializers_would_write_them(
    client_for, department_head, school, data
):
    from rest_framework import serializers

    from assessments.api.analytics_serializers import FitnessScatterPointSerializer

    body = client_for(department_head).get(f"/api/v1/assessments/analytics/school/?school={school.pk}").json()
    points = body["attendance"]["points"]
    assert points  # the fixture has attendance and PACER results
    full = serializers.ListSerializer(child=FitnessScatterPointSerializer()).to_representation(points)
    assert points == full
    assert all(isinstance(p["student"], int) and isinstance(p["attendance_rate"], float) for p in points)
