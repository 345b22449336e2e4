"""Goal forecasts on built data and the at-risk list with the exact numbers of each reason;
the forecast API and page (permissions, values)."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_member
from physed.models import AttendanceRecord, ClassSession, Enrollment, PEClass, SessionStatus, Student
from physed.services.roster_classes import set_teachers
from progress.models import EntrySource, Goal, ProgressEntry
from progress.selectors.at_risk import at_risk, class_forecasts
from progress.selectors.forecasts import goal_forecast

TODAY = datetime.date.today()  # the API and page use today's date
START = TODAY - datetime.timedelta(days=150)
EARLY, LATE = TODAY - datetime.timedelta(days=140), TODAY - datetime.timedelta(days=17)


def _entry(student, key, day, value, zone=""):
    return ProgressEntry.objects.create(
        school=student.school,
        student=student,
        metric_key=key,
        value=value,
        date=day,
        zone=zone,
        source=EntrySource.MANUAL,
    )


def _attend(pe_class, student, statuses, first):
    for offset, status in enumerate(statuses):
        session, _ = ClassSession.objects.get_or_create(
            pe_class=pe_class,
            date=first + datetime.timedelta(days=offset * 2),
            defaults={"status": SessionStatus.COMPLETED},
        )
        AttendanceRecord.objects.create(session=session, student=student, status=status)


@pytest.fixture
def klass(school, teacher):
    pe_class = PEClass.objects.create(school=school, name="PE 7B", school_year=2026, grade_from=7, grade_to=7)
    set_teachers(pe_class, [teacher])
    students = []
    for number, name in enumerate(["Ana", "Ben", "Cy", "Dee"]):
        student = Student.objects.create(
            school=school, first_name=name, last_name="Lee", grade=7, external_id=f"k{number}"
        )
        Enrollment.objects.create(pe_class=pe_class, student=student, start_date=START)
        students.append(student)
    ana, ben, cy, dee = students
    # Ana: a perfect line 20, 21, 22, 23 every 10 days (0.1 lap/day); deadline day 100 → 30 < target 60
    for index in range(4):
        _entry(ana, "fitness.pacer_20m", START + datetime.timedelta(days=10 * index), 20 + index, "NI")
    goal = Goal.objects.create(
        school=school,
        student=ana,
        title="Run 60 laps",
        metric_key="fitness.pacer_20m",
        unit="laps",
        baseline=20,
        target=60,
        start_date=START,
        deadline=START + datetime.timedelta(days=100),
    )
    # Ben: latest aerobic result in NI-HR
    _entry(ben, "fitness.pacer_20m", EARLY, 25, "HFZ")
    _entry(ben, "fitness.pacer_20m", LATE, 12, "NI-HR")
    # Cy: curl-ups 30 → 24 between the last two testing events (20 % worse)
    _entry(cy, "fitness.curl_up", EARLY, 30, "HFZ")
    _entry(cy, "fitness.curl_up", LATE, 24, "HFZ")
    # attendance in the last 4 weeks: Ana 2 of 4 on site (absent twice), Dee 4 of 4
    first = TODAY - datetime.timedelta(days=20)
    _attend(pe_class, ana, ["present", "absent", "absent", "late"], first)
    _attend(pe_class, dee, ["present", "present", "sitting_out", "present"], first)
    return {"class": pe_class, "ana": ana, "ben": ben, "cy": cy, "dee": dee, "goal": goal}


def test_goal_forecast_on_a_perfect_line(klass):
    result = goal_forecast(klass["goal"])
    assert result["available"] is True and result["points"] == 4
    assert result["slope_per_week"] == pytest.approx(0.7)
    assert result["projected"] == pytest.approx(30.0)
    assert result["interval_80"] == pytest.approx([30.0, 30.0])
    assert result["probability"] == 0.0 and result["on_track"] is False
    assert result["reasons"][0].startswith("Slope +0.70 laps/week over 4 results")
    assert "Target 60.0 laps → 0% chance" in result["reasons"][2]


def test_goal_forecast_with_two_points_says_why(klass, school):
    goal = Goal.objects.create(
        school=school,
        student=klass["ben"],
        title="PACER",
        metric_key="fitness.pacer_20m",
        baseline=25,
        target=30,
        start_date=START,
        deadline=TODAY + datetime.timedelta(days=90),
    )
    result = goal_forecast(goal)
    assert result["available"] is False and result["reason"] == "too_few_points"
    assert result["reasons"] == ["No forecast yet: 2 result(s) so far, a trend needs at least 3."]


def test_at_risk_reasons_with_their_numbers(klass):
    flagged = {row["name"]: row["reasons"] for row in at_risk(klass["class"], today=TODAY)}
    assert set(flagged) == {"Ana Lee", "Ben Lee", "Cy Lee"}
    ana = {reason["rule"]: reason for reason in flagged["Ana Lee"]}
    # the goal's deadline (START + 100 days) is before TODAY → no goal reason; attendance 2/4 = 50 %
    assert set(ana) == {"attendance"}
    assert (ana["attendance"]["on_site"], ana["attendance"]["sessions"], ana["attendance"]["rate"]) == (2, 4, 0.5)
    assert ana["attendance"]["message"] == "Attended 2 of 4 sessions in the last 4 weeks (50%; flagged below 80%)."
    ben = {reason["rule"]: reason for reason in flagged["Ben Lee"]}
    assert (ben["aerobic_zone"]["zone"], ben["aerobic_zone"]["value"]) == ("NI-HR", 12.0)
    assert ben["declining_fitness"]["change_percent"] == 52.0  # 25 → 12
    assert at_risk(klass["class"], today=TODAY)[0]["name"] == "Ben Lee"  # most reasons first
    (cy,) = flagged["Cy Lee"]
    assert (cy["rule"], cy["previous"], cy["latest"], cy["change_percent"]) == ("declining_fitness", 30.0, 24.0, 20.0)


def test_goal_forecast_reason_before_the_deadline(klass):
    flagged = {
        row["name"]: row["reasons"] for row in at_risk(klass["class"], today=START + datetime.timedelta(days=60))
    }
    reasons = {reason["rule"]: reason for reason in flagged["Ana Lee"]}
    assert reasons["goal_forecast"]["probability"] == 0.0
    assert reasons["goal_forecast"]["projected"] == pytest.approx(30.0)
    assert reasons["goal_forecast"]["threshold"] == 0.3


def test_class_forecasts_lists_goals_and_at_risk(klass):
    result = class_forecasts(klass["class"], today=TODAY)
    assert [goal["title"] for goal in result["goals"]] == ["Run 60 laps"]
    assert result["goals"][0]["student_name"] == "Ana Lee"
    assert result["students"] == 4 and len(result["at_risk"]) == 3


def test_class_forecast_api_permissions_and_values(api_client, client_for, teacher, other_teacher, school, klass):
    url = reverse("progress-class-forecasts-api", args=[klass["class"].pk])
    assert api_client.get(url).status_code == 401
    assert client_for(other_teacher).get(url).status_code == 404
    outsider = make_member(school, Role.TEACHER, email="t3@northside.test")
    assert client_for(outsider).get(url).status_code == 403
    response = client_for(teacher).get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["goals"][0]["projected"] == pytest.approx(30.0)
    assert {row["name"] for row in body["at_risk"]} >= {"Ben Lee", "Cy Lee"}
    ben = next(row for row in body["at_risk"] if row["name"] == "Ben Lee")
    assert ben["reasons"][0]["numbers"]["zone"] == "NI-HR"


def test_goal_forecast_api_for_the_student_and_not_another(client_for, school, klass, teacher):
    url = reverse("progress-goal-forecast-api", args=[klass["goal"].pk])
    assert client_for(teacher).get(url).json()["projected"] == pytest.approx(30.0)
    ana_user = make_member(school, Role.STUDENT, email="ana@northside.test")
    klass["ana"].user = ana_user
    klass["ana"].save()
    assert client_for(ana_user).get(url).status_code == 200
    ben_user = make_member(school, Role.STUDENT, email="ben@northside.test")
    klass["ben"].user = ben_user
    klass["ben"].save()
    assert client_for(ben_user).get(url).status_code == 404


def test_forecast_page(client, teacher, klass):
    client.force_login(teacher)
    response = client.get(reverse("progress-forecasts", args=[klass["class"].pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Run 60 laps" in text and "Ben Lee" in text and "NI-HR" in text
