"""Awards: idempotent (same entry twice → one award), evidence with numbers, notifications to the
student and guardians, shipped badges loaded, school badges validated."""

import pytest

from accounts.models import Notification
from accounts.services.errors import ServiceError
from physed.models import AttendanceStatus
from physed.tests.factories import AttendanceRecordFactory, ClassSessionFactory, EnrollmentFactory, PEClassFactory
from progress.models import Achievement, AchievementDefinition, GoalStatus
from progress.notifications import BADGE_AWARDED
from progress.services import achievements as services
from progress.services import goals as goal_services
from progress.services.achievements_data import load_shipped
from progress.services.entries import record_entry
from progress.tests.factories_goals import days, linked_student, register_test_metrics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics():
    register_test_metrics()


def _badge(school=None, **rule):
    return AchievementDefinition.objects.create(
        school=school, code=f"b-{rule['type']}", name=f"Badge {rule['type']}", description="d", rule=rule
    )


def test_load_shipped_is_idempotent():
    assert load_shipped() == 4
    assert load_shipped() == 4
    codes = set(AchievementDefinition.objects.filter(school=None).values_list("code", flat=True))
    assert codes == {"all-hfz", "attendance-streak-10", "pacer-improvement-10", "goal-achieved"}
    assert AchievementDefinition.objects.get(code="attendance-streak-10").rule == {
        "type": "attendance_streak",
        "length": 10,
    }


def test_same_entry_twice_awards_once_with_evidence(school, guardian, django_capture_on_commit_callbacks):
    badge = _badge(type="improvement", metric_key="t.laps", delta=10)
    student = linked_student(school, guardian=guardian)
    with django_capture_on_commit_callbacks(execute=True):
        record_entry(student=student, metric_key="t.laps", value=20, date=days(-10), source="manual")
    assert not Achievement.objects.exists()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            record_entry(
                student=student, metric_key="t.laps", value=30, date=days(0), source="fitness_result", source_id="r1"
            )
    award = Achievement.objects.get()
    assert (award.definition, award.student, award.awarded_on) == (badge, student, days(0))
    assert award.evidence["numbers"] == {
        "metric_key": "t.laps",
        "first": 20.0,
        "latest": 30.0,
        "gain": 10.0,
        "delta": 10.0,
    }
    assert services.evaluate_student(student) == []
    assert Notification.objects.filter(kind=BADGE_AWARDED, user=student.user).count() == 1
    assert Notification.objects.filter(kind=BADGE_AWARDED, user=guardian).count() == 1


def test_all_hfz_award_from_fitness_entries(school, django_capture_on_commit_callbacks):
    _badge(type="all_hfz", min_tests=2)
    student = linked_student(school)
    with django_capture_on_commit_callbacks(execute=True):
        for n, (key, zone) in enumerate([("t.laps", "HFZ"), ("t.mile", "HFZ")]):
            record_entry(
                student=student,
                metric_key=key,
                value=100,
                date=days(0),
                source="fitness_result",
                source_id=f"f{n}",
                zone=zone,
                group_key="event:9",
            )
    award = Achievement.objects.get(student=student)
    assert award.evidence["numbers"]["tests"] == 2 and award.evidence["numbers"]["group_key"] == "event:9"


def test_attendance_streak_award_nightly(school):
    _badge(type="attendance_streak", length=3)
    pe_class = PEClassFactory(school=school)
    student = EnrollmentFactory(pe_class=pe_class).student
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.PRESENT, AttendanceStatus.LATE]
    for n, status in enumerate(statuses):
        session = ClassSessionFactory(pe_class=pe_class, date=days(-10 + n))
        AttendanceRecordFactory(session=session, student=student, status=status)
    assert services.evaluate_all(school) == 0
    session = ClassSessionFactory(pe_class=pe_class, date=days(-1))
    AttendanceRecordFactory(session=session, student=student, status=AttendanceStatus.PRESENT)
    assert services.evaluate_all(school) == 1
    award = Achievement.objects.get()
    assert award.awarded_on == days(-1) and award.evidence["numbers"] == {"length": 3, "longest": 3}
    assert services.evaluate_all(school) == 0


def test_goal_achieved_badge_follows_the_goal(school, teacher, django_capture_on_commit_callbacks):
    _badge(type="goal_achieved", count=1)
    student = linked_student(school)
    goal = goal_services.create_goal(
        actor=teacher, student=student, title="Laps", metric_key="t.laps", baseline=10, target=12, deadline=days(9)
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_entry(student=student, metric_key="t.laps", value=12, date=days(0), source="manual")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    assert Achievement.objects.filter(student=student, definition__code="b-goal_achieved").count() == 1


def test_school_badge_rules_validated(school, department_head, teacher):
    badge = services.create_definition(
        actor=department_head,
        school=school,
        code="Laps 5",
        name="Laps",
        description="More laps",
        rule={"type": "improvement", "metric_key": "t.laps", "delta": 5},
    )
    assert badge.code == "laps-5" and badge.school == school
    for (rule,) in [
        ({"type": "magic"},),
        ({"type": "attendance_streak", "length": -2},),
        ({"type": "improvement", "metric_key": "t.nope", "delta": 2},),
    ]:
        with pytest.raises(ServiceError) as err:
            services.create_definition(
                actor=department_head, school=school, code="x", name="x", description="x", rule=rule
            )
        assert err.value.field == "rule"
    with pytest.raises(ServiceError) as err:
        services.create_definition(
            actor=teacher, school=school, code="y", name="y", description="y", rule={"type": "all_hfz"}
        )
    assert err.value.status == 403
    assert AchievementDefinition.objects.filter(school=school).count() == 1
    load_shipped()
    shipped = AchievementDefinition.objects.get(code="all-hfz")
    with pytest.raises(ServiceError) as err:
        services.update_definition(actor=department_head, definition=shipped, name="Mine")
    assert err.value.status == 403
