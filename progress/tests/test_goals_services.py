"""Goal rules: direction, dates, milestones, approval flow with notifications, automatic progress
(achieved + milestone reached from an entry), missed after the deadline, audit."""

from decimal import Decimal

import pytest

from accounts.models import AuditEvent, Notification
from accounts.services.errors import ServiceError
from physed.tests.factories import EnrollmentFactory, PEClassFactory, StudentFactory
from progress.models import Goal, GoalStatus, Milestone
from progress.notifications import GOAL_DECIDED, GOAL_PROPOSED
from progress.selectors.goals import current_value, goal_series
from progress.services import goals as services
from progress.services.entries import record_entry
from progress.tests.factories_goals import days, entry, linked_student, register_test_metrics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics():
    register_test_metrics()


def _goal(teacher, student, **fields):
    values = {"title": "More laps", "metric_key": "t.laps", "baseline": 20, "target": 30, "deadline": days(60)}
    values.update(fields)
    return services.create_goal(actor=teacher, student=student, **values)


def test_create_copies_the_metric_and_audits(teacher, school):
    student = StudentFactory(school=school)
    goal = _goal(teacher, student, milestones=[{"title": "Half", "target_value": 25, "due_date": days(30)}])
    assert (goal.status, goal.metric_label, goal.unit, goal.higher_is_better) == ("active", "Laps", "laps", True)
    assert goal.baseline == Decimal("20.00") and goal.start_date == days(0)
    assert [(m.title, m.target_value) for m in goal.milestones.all()] == [("Half", Decimal("25.00"))]
    assert AuditEvent.objects.filter(action="progress.goal_created", target_id=str(goal.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"metric_key": "t.unknown"}, "metric_key"),
        ({"target": 15}, "target"),  # higher is better: target below baseline
        ({"target": 20}, "target"),  # not better at all
        ({"metric_key": "t.mile", "baseline": 600, "target": 650}, "target"),  # lower is better
        ({"deadline": days(-1), "start_date": days(-10)}, "deadline"),  # in the past
        ({"start_date": days(10), "deadline": days(5)}, "deadline"),
        ({"target": 400}, "target"),  # above the metric's range
        ({"milestones": [{"title": "x", "target_value": 35, "due_date": days(10)}]}, "milestones[0]"),
        ({"milestones": [{"title": "x", "target_value": 25, "due_date": days(90)}]}, "milestones[0]"),
        (
            {
                "milestones": [
                    {"title": "a", "target_value": 27, "due_date": days(10)},
                    {"title": "b", "target_value": 24, "due_date": days(20)},
                ]
            },
            "milestones",
        ),
    ],
)
def test_invalid_goals_are_refused_and_nothing_is_stored(teacher, school, fields, field):
    student = StudentFactory(school=school)
    with pytest.raises(ServiceError) as err:
        _goal(teacher, student, **fields)
    assert err.value.field == field
    assert Goal.objects.count() == 0 and Milestone.objects.count() == 0


def test_lower_is_better_goal_accepts_a_lower_target(teacher, school):
    goal = _goal(teacher, StudentFactory(school=school), metric_key="t.mile", baseline=600, target=540)
    assert goal.higher_is_better is False


def test_baseline_defaults_to_the_latest_entry_before_the_start(teacher, school):
    student = StudentFactory(school=school)
    entry(student, 18, days(-20))
    entry(student, 22, days(-5))
    entry(student, 40, days(1))  # after the start: not the baseline
    goal = _goal(teacher, student, baseline=None, target=30)
    assert goal.baseline == Decimal("22.00")


def test_no_baseline_and_no_entry_is_a_400(teacher, school):
    with pytest.raises(ServiceError) as err:
        _goal(teacher, StudentFactory(school=school), baseline=None)
    assert err.value.field == "baseline"


def test_exactly_one_subject(teacher, school):
    pe_class = PEClassFactory(school=school)
    with pytest.raises(ServiceError) as err:
        _goal(teacher, StudentFactory(school=school), pe_class=pe_class)
    assert err.value.field == "student"


def test_other_school_student_and_plain_student_are_refused(teacher, school, other_school):
    with pytest.raises(ServiceError) as err:
        _goal(teacher, StudentFactory(school=other_school))
    assert err.value.status == 403
    someone = linked_student(school)
    with pytest.raises(ServiceError) as err:
        _goal(someone.user, StudentFactory(school=school))
    assert err.value.status == 403


def test_proposal_approval_flow_notifies_both_ways(teacher, school):
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(teacher)
    student = linked_student(school)
    EnrollmentFactory(pe_class=pe_class, student=student)
    goal = _goal(student.user, student)
    assert goal.status == GoalStatus.PROPOSED and goal.proposed_by_student
    assert Notification.objects.filter(user=teacher, kind=GOAL_PROPOSED).count() == 1

    with pytest.raises(ServiceError):  # students cannot approve
        services.approve_goal(actor=student.user, goal=goal)
    with pytest.raises(ServiceError) as err:  # rejecting needs a note
        services.reject_goal(actor=teacher, goal=goal, note="")
    assert err.value.field == "note"

    goal = services.approve_goal(actor=teacher, goal=goal, note="Great goal")
    assert (goal.status, goal.approved_by, goal.decision_note) == ("active", teacher, "Great goal")
    note = Notification.objects.get(user=student.user, kind=GOAL_DECIDED)
    assert "approved" in note.title and note.body == "Great goal"
    with pytest.raises(ServiceError) as err:
        services.approve_goal(actor=teacher, goal=goal)
    assert err.value.field == "status"
    assert AuditEvent.objects.filter(action="progress.goal_approved").count() == 1


def test_reject_keeps_the_note(teacher, school):
    student = linked_student(school)
    goal = _goal(student.user, student)
    goal = services.reject_goal(actor=teacher, goal=goal, note="Too easy — aim higher")
    assert goal.status == GoalStatus.REJECTED and goal.decision_note == "Too easy — aim higher"


def test_student_cannot_propose_a_class_goal(school):
    student = linked_student(school)
    with pytest.raises(ServiceError) as err:
        services.create_goal(
            actor=student.user,
            pe_class=PEClassFactory(school=school),
            title="x",
            metric_key="t.laps",
            baseline=1,
            target=2,
            deadline=days(5),
        )
    assert err.value.status == 403


def test_entry_reaches_milestone_then_goal(teacher, school, django_capture_on_commit_callbacks):
    student = linked_student(school)
    goal = _goal(
        teacher,
        student,
        milestones=[
            {"title": "First", "target_value": 24, "due_date": days(20)},
            {"title": "Second", "target_value": 27, "due_date": days(40)},
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_entry(student=student, metric_key="t.laps", value=25, date=days(0), source="manual")
    goal.refresh_from_db()
    first, second = goal.milestones.all()
    assert (first.reached_at, first.reached_value, second.reached_at) == (days(0), Decimal("25.00"), None)
    assert goal.status == GoalStatus.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        record_entry(student=student, metric_key="t.laps", value=31, date=days(1), source="manual")
    goal.refresh_from_db()
    second = goal.milestones.get(title="Second")
    assert (second.reached_at, second.reached_value) == (days(1), Decimal("31.00"))
    assert goal.status == GoalStatus.ACHIEVED and goal.achieved_at is not None
    assert current_value(goal) == 31.0
    assert AuditEvent.objects.filter(action="progress.goal_achieved", target_id=str(goal.pk)).count() == 1


def test_lower_is_better_goal_is_achieved_at_or_below_target(teacher, school, django_capture_on_commit_callbacks):
    student = StudentFactory(school=school)
    goal = _goal(teacher, student, metric_key="t.mile", baseline=600, target=540)
    with django_capture_on_commit_callbacks(execute=True):
        record_entry(student=student, metric_key="t.mile", value=545, date=days(0), source="manual")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        record_entry(student=student, metric_key="t.mile", value=540, date=days(0), source="manual")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED


def test_class_goal_uses_the_mean_of_latest_entries(teacher, school, django_capture_on_commit_callbacks):
    pe_class = PEClassFactory(school=school)
    a, b = (EnrollmentFactory(pe_class=pe_class).student for _ in range(2))
    goal = services.create_goal(
        actor=teacher,
        pe_class=pe_class,
        title="Class laps",
        metric_key="t.laps",
        baseline=20,
        target=30,
        deadline=days(30),
    )
    entry(a, 20, days(0))
    entry(b, 30, days(0))
    entry(a, 32, days(1))
    assert goal_series(goal) == [(days(0), 25.0), (days(1), 31.0)]
    with django_capture_on_commit_callbacks(execute=True):
        record_entry(student=b, metric_key="t.laps", value=28, date=days(2), source="manual")
    goal.refresh_from_db()
    assert current_value(goal) == 30.0 and goal.status == GoalStatus.ACHIEVED


def test_missed_after_the_deadline(teacher, school):
    goal = _goal(teacher, StudentFactory(school=school), deadline=days(3))
    Goal.objects.filter(pk=goal.pk).update(deadline=days(-1), start_date=days(-10))
    assert services.mark_missed() == 1
    goal.refresh_from_db()
    assert goal.status == GoalStatus.MISSED
    assert services.mark_missed() == 0


def test_cancel_and_edit_rules(teacher, school, assistant):
    goal = _goal(teacher, StudentFactory(school=school))
    with pytest.raises(ServiceError) as err:
        services.update_goal(actor=teacher, goal=goal, target=10)
    assert err.value.field == "target"
    goal.refresh_from_db()
    assert goal.target == Decimal("30.00")
    goal = services.update_goal(actor=teacher, goal=goal, target=35)
    assert goal.target == Decimal("35.00")
    with pytest.raises(ServiceError) as err:
        services.cancel_goal(actor=assistant, goal=goal)
    assert err.value.status == 403
    goal = services.cancel_goal(actor=teacher, goal=goal)
    assert goal.status == GoalStatus.CANCELLED
    with pytest.raises(ServiceError):
        services.update_goal(actor=teacher, goal=goal, target=36)
