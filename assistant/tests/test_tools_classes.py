"""Read tools over classes, students, fitness and attendance: values from a known world."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditEvent
from assistant.tests.factories import tools_world
from assistant.tools.base import ToolContext, run_tool
from physed.models import AttendanceRecord, AttendanceStatus, ClassSession, SessionStatus

TODAY = datetime.date(2026, 10, 20)


@pytest.fixture
def world(school, teacher, other_school):
    return tools_world(school, teacher, other_school)


@pytest.fixture
def ctx(school, teacher):
    return ToolContext(user=teacher, school=school, today=TODAY)


@pytest.mark.django_db
def test_fitness_results_for_the_pacer(ctx, world):
    result = run_tool(ctx, "fitness_results", {"class_name": "grade 5 blu", "test_name": "pacer"})
    assert result.ok, result.message
    test = result.data["tests"][0]
    assert test["event"]["id"] == world.fall.pk
    assert test["zones"] == {"HFZ": 2, "NI": 1, "NI-HR": 1, "unclassified": 0}
    assert test["average"] == 36.0
    assert test["best_improvement"] == {"student": "Maya Rodríguez", "from": 30.0, "to": 45.0}
    assert result.sentences[0] == (
        "On PACER (20 m) (Fall testing, 2026-09-15), 2 of 3 students in Grade 5 Blue were in the Healthy "
        "Fitness Zone and 1 need improvement; the class average was 36 laps."
    )
    assert "Biggest improvement since 2026-03-10: Maya Rodríguez, from 30 to 45 laps." in result.sentences
    urls = [c.url for c in result.citations]
    assert reverse("assessments-event-detail", args=[world.fall.pk]) in urls
    assert reverse("class-detail", args=[world.blue.pk]) in urls
    chart = next(card for card in result.cards if card.kind == "chart")
    assert [point["value"] for point in chart.series] == [2, 0, 1]
    table = next(card for card in result.cards if card.kind == "table")
    assert table.rows[0][0] == "Liam Chen" and table.rows[0][1] == "42 laps" and table.rows[0][2] == "HFZ"
    assert AuditEvent.objects.filter(action="assistant.tool_called", target_id="fitness_results").count() == 1


@pytest.mark.django_db
def test_fitness_results_every_test_of_the_latest_event(ctx, world):
    result = run_tool(ctx, "fitness_results", {"class_name": "Grade 5 Blue"})
    assert [t["test"] for t in result.data["tests"]] == ["PACER (20 m)"]


@pytest.mark.django_db
def test_fitness_results_in_spanish(ctx, world):
    with translation.override("es"):
        result = run_tool(ctx, "fitness_results", {"class_name": "Grade 5 Blue", "test_name": "pacer"})
    assert result.ok
    assert result.data["tests"][0]["zones"]["HFZ"] == 2
    with translation.override("es"):
        missing = run_tool(ctx, "fitness_results", {"class_name": "Eagles Squad"})
    assert not missing.ok and "Eagles Squad" in missing.message


@pytest.mark.django_db
def test_another_schools_student_and_class_give_nothing(ctx, world):
    result = run_tool(ctx, "student_progress", {"student_name": "Zara Quintero"})
    assert not result.ok
    assert result.message == "I could not find a student called “Zara Quintero” among the students you may see."
    assert result.data == {} and result.sentences == [] and result.citations == []
    result = run_tool(ctx, "fitness_results", {"class_name": "Eagles Squad"})
    assert not result.ok and result.data == {}
    assert "Southside" not in result.message


@pytest.mark.django_db
def test_roles_without_access_get_not_ok(school, member, world):
    from accounts.models import Role

    pupil = member(school, Role.STUDENT)
    result = run_tool(ToolContext(user=pupil, school=school, today=TODAY), "fitness_results", {"class_name": "x"})
    assert not result.ok and result.message == "You do not have permission to see this."
    helper = member(school, Role.ASSISTANT)  # may see events, but does not teach Grade 5 Blue
    result = run_tool(
        ToolContext(user=helper, school=school, today=TODAY), "fitness_results", {"class_name": "Grade 5 Blue"}
    )
    assert not result.ok and result.data == {}


@pytest.mark.django_db
def test_list_classes(ctx, world):
    result = run_tool(ctx, "list_classes", {})
    assert result.data["classes"] == [
        {"id": world.blue.pk, "name": "Grade 5 Blue", "grades": "5", "students": 3, "mine": True}
    ]
    assert result.sentences == ["You have 1 class: Grade 5 Blue (grade 5, 3 students)."]
    assert result.citations[0].url == reverse("class-detail", args=[world.blue.pk])


@pytest.mark.django_db
def test_class_overview_and_attendance(ctx, world):
    session = ClassSession.objects.create(
        pe_class=world.blue, date=datetime.date(2026, 10, 14), status=SessionStatus.COMPLETED
    )
    for student, status in ((world.maya, AttendanceStatus.PRESENT), (world.liam, AttendanceStatus.ABSENT)):
        AttendanceRecord.objects.create(session=session, student=student, status=status)
    ClassSession.objects.create(pe_class=world.blue, date=datetime.date(2026, 10, 22))
    result = run_tool(ctx, "class_overview", {"class_name": "Grade 5 Blue"})
    assert result.ok, result.message
    assert result.data["students"] == 3
    assert result.data["attendance_rate"] == 0.5
    assert result.data["upcoming"][0]["date"] == "2026-10-22"
    assert "Grade 5 Blue has 3 students enrolled." in result.sentences
    assert "Next session: 2026-10-22." in result.sentences
    assert "at_risk" in result.data
    attendance = run_tool(ctx, "attendance", {"class_name": "Grade 5 Blue", "days": 30})
    assert attendance.data["records"] == 2 and attendance.data["attendance_rate"] == 0.5
    assert attendance.sentences == ["Grade 5 Blue, last 30 days: attendance 50%, participation 50% (2 records)."]
    old = run_tool(ctx, "attendance", {"student_name": "Maya", "days": 3})
    assert old.data["records"] == 0
    upcoming = run_tool(ctx, "upcoming_sessions", {"days": 7})
    assert [s["date"] for s in upcoming.data["sessions"]] == ["2026-10-22"]
    assert upcoming.sentences[0] == "1 session is planned for your classes in the next 7 days."


@pytest.mark.django_db
def test_student_progress(ctx, world):
    result = run_tool(ctx, "student_progress", {"student_name": "maya rodriguez"})
    assert result.ok, result.message
    assert result.data["student"]["name"] == "Maya Rodríguez"
    assert result.data["fitness"][0] == {
        "test": "PACER (20 m)",
        "value": 45.0,
        "unit": "laps",
        "zone": "HFZ",
        "date": "2026-09-15",
        "event": world.fall.pk,
    }
    assert "Latest fitness results: PACER (20 m) 45 laps (HFZ)." in result.sentences
    assert result.citations[0].url == reverse("student-detail", args=[world.maya.pk])


@pytest.mark.django_db
def test_empty_answers(ctx, world):
    none_planned = run_tool(ctx, "upcoming_sessions", {"class_name": "Grade 5 Blue", "days": 3})
    assert none_planned.sentences == ["No sessions are planned for Grade 5 Blue in the next 3 days."]
    untested = run_tool(ctx, "fitness_results", {"class_name": "Grade 6 Red"})
    assert not untested.ok  # not the teacher's class
    curl = run_tool(ctx, "fitness_results", {"class_name": "Grade 5 Blue", "test_name": "curl up"})
    assert curl.sentences == ["Grade 5 Blue has no Curl-up results yet."]
    nothing = run_tool(ctx, "attendance", {})
    assert nothing.sentences == ["No attendance is recorded for your classes in that period."]
    ella = run_tool(ctx, "student_progress", {"student_name": "Ella Brown"})
    assert "Ella Brown has no fitness results yet." in ella.sentences
