"""Session pages: list, plan, generate, planner (add/up/down/remove without JS), copy, status,
delete with confirmation, the live page, analytics pages and the class/student panels."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from guardian.shortcuts import assign_perm

from physed.models import AttendanceRecord, ClassSession, PerformanceResult, SessionBlock
from physed.tests.factories_library import ActivityFactory, ExerciseFactory
from physed.tests.factories_roster import ClassMeetingFactory, PEClassFactory
from physed.tests.factories_sessions import (
    ClassSessionFactory,
    SessionBlockFactory,
    class_with_students,
    shipped_metric,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pe_class(school):
    return PEClassFactory(school=school, name="PE 7 Blue")


def test_session_list_with_filters(pe_class, teacher, client):
    ClassSessionFactory(pe_class=pe_class, title="Volleyball basics", status="completed")
    ClassSessionFactory(pe_class=pe_class, title="Dance")
    client.force_login(teacher)
    url = reverse("class-sessions", args=[pe_class.pk])
    html = client.get(url).content.decode()
    assert "Volleyball basics" in html and "Dance" in html and "Plan a session" in html
    html = client.get(url, {"q": "volley"}).content.decode()
    assert "Volleyball basics" in html and "Dance" not in html
    html = client.get(url, {"status": "planned"}).content.decode()
    assert "Dance" in html and "Volleyball" not in html


def test_session_list_empty_state_and_permissions(pe_class, assistant, student, other_teacher, client):
    client.force_login(assistant)
    html = client.get(reverse("class-sessions", args=[pe_class.pk])).content.decode()
    assert "No sessions yet." in html and "Plan a session" not in html
    client.force_login(student)
    assert client.get(reverse("class-sessions", args=[pe_class.pk])).status_code == 403
    client.force_login(other_teacher)
    assert client.get(reverse("class-sessions", args=[pe_class.pk])).status_code == 404


def test_plan_a_session_then_use_the_planner(pe_class, teacher, client):
    shipped = ActivityFactory(school=None, name="Sharks and minnows", duration_minutes=15)
    ExerciseFactory(school=None, name="Plank")
    client.force_login(teacher)
    response = client.post(
        reverse("session-create", args=[pe_class.pk]), {"date": "2026-09-21", "title": "Tag", "start_time": "09:00"}
    )
    session = ClassSession.objects.get()
    assert response.status_code == 302 and response.url == reverse("session-plan", args=[session.pk])
    plan_url = reverse("session-plan", args=[session.pk])
    html = client.get(plan_url, {"q": "shark"}).content.decode()
    assert "Sharks and minnows" in html and 'value="15"' in html
    client.post(plan_url, {"kind": "activity", "item": shipped.pk, "minutes": 15})
    exercise_page = client.get(plan_url, {"kind": "exercise"}).content.decode()
    assert "Plank" in exercise_page
    plank = ExerciseFactory._meta.model.objects.get(name="Plank")
    client.post(plan_url, {"kind": "exercise", "item": plank.pk, "minutes": 5})
    blocks = list(session.blocks.order_by("order"))
    assert [(b.order, b.planned_minutes) for b in blocks] == [(1, 15), (2, 5)]
    client.post(reverse("session-block", args=[session.pk, blocks[1].pk]), {"action": "up"})
    assert list(session.blocks.order_by("order").values_list("exercise__name", flat=True)) == ["Plank", None]
    client.post(reverse("session-block", args=[session.pk, blocks[0].pk]), {"action": "remove"})
    assert session.blocks.count() == 1 and session.blocks.get().order == 1
    bad = client.post(plan_url, {"kind": "activity", "item": 999999, "minutes": 5}, follow=True)
    assert "not in the library" in bad.content.decode()
    invalid = client.post(plan_url, {"kind": "activity", "item": shipped.pk, "minutes": 0}, follow=True)
    assert "Choose an item" in invalid.content.decode()


def test_planner_hides_other_schools_items(pe_class, teacher, client, other_school):
    ActivityFactory(school=other_school, name="Secret drill")
    session = ClassSessionFactory(pe_class=pe_class)
    client.force_login(teacher)
    html = client.get(reverse("session-plan", args=[session.pk]), {"q": "secret"}).content.decode()
    assert "Secret drill" not in html and "Nothing in the library matches" in html


def test_generate_page(pe_class, teacher, client):
    ClassMeetingFactory(pe_class=pe_class, weekday=2)
    client.force_login(teacher)
    url = reverse("session-generate", args=[pe_class.pk])
    assert "Wednesday" in client.get(url).content.decode()
    response = client.post(url, {"start": "2026-09-01", "end": "2026-09-30"})
    assert response.status_code == 302
    assert ClassSession.objects.filter(pe_class=pe_class).count() == 5
    assert client.post(url, {"start": "2026-09-30", "end": "2026-09-01"}).status_code == 200


def test_live_page_edit_copy_status_delete(pe_class, teacher, client, school):
    _klass, students = class_with_students(school, 2)
    session = ClassSessionFactory(pe_class=pe_class, title="Relays", date=datetime.date(2026, 9, 21))
    SessionBlockFactory(session=session, order=1, activity=ActivityFactory(school=None, name="Relay race"))
    AttendanceRecord.objects.create(session=session, student=students[0], status="absent", note="away")
    client.force_login(teacher)
    detail = reverse("session-detail", args=[session.pk])
    html = client.get(detail).content.decode()
    assert "Relays" in html and "Relay race" in html and "away" in html and "Start session" in html
    client.post(reverse("session-status", args=[session.pk]), {"transition": "start"})
    session.refresh_from_db()
    assert session.status == "in_progress"
    response = client.post(reverse("session-status", args=[session.pk]), {"transition": "start"}, follow=True)
    assert "cannot be started" in response.content.decode()
    response = client.post(
        reverse("session-edit", args=[session.pk]), {"date": "2026-09-22", "title": "Relays 2", "notes": ""}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Relays 2" and session.date == datetime.date(2026, 9, 22)
    response = client.post(reverse("session-copy", args=[session.pk]), {"date": "2026-09-29"})
    copy = ClassSession.objects.exclude(pk=session.pk).get()
    assert response.url == reverse("session-detail", args=[copy.pk]) and copy.blocks.count() == 1
    confirm = client.get(reverse("session-delete", args=[session.pk]))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert client.post(reverse("session-delete", args=[session.pk]), {}).status_code == 400
    assert ClassSession.objects.filter(pk=session.pk).exists()
    response = client.post(reverse("session-delete", args=[session.pk]), {"confirm": "on"})
    assert response.url == reverse("class-sessions", args=[pe_class.pk])
    assert not ClassSession.objects.filter(pk=session.pk).exists()


def test_assistant_sees_run_actions_not_plan_actions(pe_class, assistant, client):
    session = ClassSessionFactory(pe_class=pe_class)
    client.force_login(assistant)
    html = client.get(reverse("session-detail", args=[session.pk])).content.decode()
    assert "Take attendance" in html and "Open the planner" not in html and "Delete" not in html
    assert client.get(reverse("session-plan", args=[session.pk])).status_code == 403
    assert client.post(reverse("session-status", args=[session.pk]), {"transition": "cancel"}).status_code == 403


def test_analytics_pages(school, teacher, client):
    pe_class, (kid, other) = class_with_students(school, 2)
    pacer = shipped_metric("pacer_laps")
    for week in range(3):
        session = ClassSessionFactory(
            pe_class=pe_class, date=datetime.date(2026, 9, 7) + datetime.timedelta(weeks=week)
        )
        AttendanceRecord.objects.create(session=session, student=kid, status="absent" if week == 1 else "present")
        AttendanceRecord.objects.create(session=session, student=other, status="present")
        PerformanceResult.objects.create(session=session, student=kid, metric=pacer, value=20 + week)
    client.force_login(teacher)
    html = client.get(reverse("class-attendance-analytics", args=[pe_class.pk])).content.decode()
    assert "<svg" in html and kid.display_name in html and "Students below 80 percent" in html
    html = client.get(reverse("class-performance-analytics", args=[pe_class.pk])).content.decode()
    assert "PACER laps" in html and "<svg" in html and "The class mean is improving." in html
    html = client.get(reverse("student-attendance-analytics", args=[kid.pk])).content.decode()
    assert "67" in html and "Participation is below 80 percent" in html
    html = client.get(
        reverse("student-performance-analytics", args=[kid.pk]), {"metric": "pacer_laps"}
    ).content.decode()
    assert "Improving." in html and "Trend" in html
    empty = client.get(reverse("student-performance-analytics", args=[other.pk])).content.decode()
    assert "No results recorded yet." in empty


def test_student_reads_own_analytics_page_only(school, student, client):
    _pe_class, (kid, other) = class_with_students(school, 2)
    assign_perm("physed.view_student", student, kid)
    client.force_login(student)
    assert client.get(reverse("student-attendance-analytics", args=[kid.pk])).status_code == 200
    assert client.get(reverse("student-attendance-analytics", args=[other.pk])).status_code == 403


def _render(template, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template(template).render(Context({"request": request, **context}))


def test_class_panel(school, teacher, student):
    pe_class, (kid,) = class_with_students(school, 1)
    today = datetime.date.today()
    past = ClassSessionFactory(pe_class=pe_class, date=today - datetime.timedelta(days=3), title="Past one")
    ClassSessionFactory(pe_class=pe_class, date=today + datetime.timedelta(days=3), title="Future one")
    AttendanceRecord.objects.create(session=past, student=kid, status="present")
    html = _render("{% load physed_sessions %}{% class_sessions_panel pe_class %}", teacher, pe_class=pe_class)
    assert "Past one" in html and "Future one" in html and "100 percent" in html and "1/1 took part" in html
    assert (
        _render("{% load physed_sessions %}{% class_sessions_panel pe_class %}", student, pe_class=pe_class).strip()
        == ""
    )


def test_student_panel(school, teacher, guardian):
    pe_class, (kid,) = class_with_students(school, 1)
    pacer = shipped_metric("pacer_laps")
    session = ClassSessionFactory(pe_class=pe_class)
    AttendanceRecord.objects.create(session=session, student=kid, status="present")
    PerformanceResult.objects.create(session=session, student=kid, metric=pacer, value=30)
    html = _render("{% load physed_sessions %}{% student_sessions_panel student %}", teacher, student=kid)
    assert "100" in html and "PACER laps" in html and "<svg" in html
    assert (
        _render("{% load physed_sessions %}{% student_sessions_panel student %}", guardian, student=kid).strip() == ""
    )
    assign_perm("physed.view_student", guardian, kid)
    assert "Attendance details" in _render(
        "{% load physed_sessions %}{% student_sessions_panel student %}", guardian, student=kid
    )


def test_block_model_str(pe_class):
    block = SessionBlockFactory(session=ClassSessionFactory(pe_class=pe_class), order=1, planned_minutes=9)
    assert "(9 min)" in str(block) and SessionBlock.objects.count() == 1
