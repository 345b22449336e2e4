"""Goal pages: hub, list, create/propose, detail with chart and forecast slot, the polled panel
(ETag → 304), student and class progress, visibility (other school 404, students see own)."""

import pytest
from django.urls import reverse

from physed.tests.factories import EnrollmentFactory, PEClassFactory, StudentFactory
from progress.models import Goal, GoalStatus
from progress.services import goals as services
from progress.tests.factories_core import AchievementFactory
from progress.tests.factories_goals import days, entry, linked_student, register_test_metrics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics():
    register_test_metrics()


def _goal(student=None, pe_class=None, **fields):
    values = {"title": "Laps up", "metric_key": "t.laps", "baseline": 20, "target": 30, "deadline": days(30)}
    values.update(fields)
    return services.create_goal(actor=None, student=student, pe_class=pe_class, **values)


def test_detail_shows_chart_milestones_and_polls_with_etag(client, teacher, school):
    student = StudentFactory(school=school)
    goal = _goal(student, milestones=[{"title": "Halfway", "target_value": 25, "due_date": days(10)}])
    entry(student, 24, days(0))
    client.force_login(teacher)
    page = client.get(reverse("progress-goal-detail", args=[goal.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Halfway" in html and 'hx-trigger="every 30s"' in html
    url = reverse("progress-goal-panel", args=[goal.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    entry(student, 26, days(0))
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_other_school_goal_is_404_and_student_sees_only_own(client, teacher, other_school, school):
    other_goal = _goal(StudentFactory(school=other_school))
    client.force_login(teacher)
    assert client.get(reverse("progress-goal-detail", args=[other_goal.pk])).status_code == 404
    me = linked_student(school)
    classmate = StudentFactory(school=school)
    theirs = _goal(classmate)
    mine = _goal(me)
    client.force_login(me.user)
    assert client.get(reverse("progress-goal-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("progress-goal-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("progress-student", args=[classmate.pk])).status_code == 404
    assert client.get(reverse("progress-student", args=[me.pk])).status_code == 200
    assert client.get(reverse("progress-home")).status_code == 302  # straight to their own page


def test_teacher_creates_goal_with_milestone_via_form(client, teacher, school):
    student = StudentFactory(school=school)
    client.force_login(teacher)
    assert client.get(reverse("progress-goal-create")).status_code == 200
    data = {
        "student": student.pk,
        "title": "Laps",
        "metric_key": "t.laps",
        "baseline": "20",
        "target": "30",
        "start_date": days(0).isoformat(),
        "deadline": days(20).isoformat(),
        "ms-TOTAL_FORMS": "3",
        "ms-INITIAL_FORMS": "0",
        "ms-0-title": "Step",
        "ms-0-target_value": "25",
        "ms-0-due_date": days(10).isoformat(),
    }
    response = client.post(reverse("progress-goal-create"), data)
    goal = Goal.objects.get()
    assert response.status_code == 302 and goal.milestones.count() == 1
    data["target"] = "10"
    response = client.post(reverse("progress-goal-create"), data)
    assert response.status_code == 200 and "target must be above" in response.content.decode()
    assert Goal.objects.count() == 1


def test_student_proposes_and_teacher_approves_on_pages(client, teacher, school):
    me = linked_student(school)
    client.force_login(me.user)
    data = {
        "title": "Mine",
        "metric_key": "t.laps",
        "baseline": "5",
        "target": "9",
        "deadline": days(20).isoformat(),
        "ms-TOTAL_FORMS": "3",
        "ms-INITIAL_FORMS": "0",
    }
    assert client.post(reverse("progress-goal-create"), data).status_code == 302
    goal = Goal.objects.get()
    assert goal.student == me and goal.status == GoalStatus.PROPOSED
    client.force_login(teacher)
    assert "Proposed" in client.get(reverse("progress-home")).content.decode()
    client.post(reverse("progress-goal-approve", args=[goal.pk]), {"note": "ok"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_class_page_shows_per_student_bars(client, teacher, student, school):
    pe_class = PEClassFactory(school=school)
    kid = EnrollmentFactory(pe_class=pe_class).student
    _goal(pe_class=pe_class, title="Class laps")
    entry(kid, 25, days(0))
    client.force_login(teacher)
    html = client.get(reverse("progress-class", args=[pe_class.pk])).content.decode()
    assert "Class laps" in html and kid.display_name in html and 'value="50"' in html
    client.force_login(student)
    assert client.get(reverse("progress-class", args=[pe_class.pk])).status_code == 403


def test_lists_and_badges(client, teacher, school):
    _goal(StudentFactory(school=school), title="Findme")
    _goal(StudentFactory(school=school), title="Other")
    AchievementFactory(student__school=school, definition__name="Star")
    client.force_login(teacher)
    html = client.get(reverse("progress-goal-list"), {"search": "findme"}).content.decode()
    assert "Findme" in html and "Other" not in html
    assert "Star" in client.get(reverse("progress-achievement-list")).content.decode()


def test_manual_entry_page(client, teacher, assistant, school):
    student = StudentFactory(school=school)
    client.force_login(assistant)
    assert client.get(reverse("progress-entry-add", args=[student.pk])).status_code == 403
    client.force_login(teacher)
    data = {"metric_key": "t.laps", "value": "12", "date": days(0).isoformat()}
    assert client.post(reverse("progress-entry-add", args=[student.pk]), data).status_code == 302
    assert student.progress_entries.get().value == 12
