"""Write tools propose; confirm_action carries the proposal out through the owning app's service."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

import assistant.tools.actions  # noqa: F401 - registers the write tools
from accounts.models import AuditEvent
from accounts.services.errors import ServiceError
from assessments.models import FitnessResult, TestEvent
from assessments.tests.factories_analytics import analytics_test
from assistant.models import ActionStatus, Message, MessageRole, ProposedAction
from assistant.services.actions import confirm_action, reject_action
from assistant.tests.factories import ConversationFactory
from assistant.tools.base import ToolContext, run_tool
from content.models import ContentItem, ContentStatus
from physed.models import Enrollment, PEClass, Student
from physed.tests.factories_library import ActivityFactory
from progress.models import Goal

pytestmark = pytest.mark.django_db

NAMES = [("Maya", "Rodriguez"), ("Liam", "Chen"), ("Ava", "Patel")]


def build_world(school, teacher):
    from physed.services.roster_classes import set_teachers

    pe_class = PEClass.objects.create(
        school=school, name="Grade 5 Blue", school_year=2026, grade_from=5, grade_to=5, capacity=30, location="Gym"
    )
    students = []
    for number, (first, last) in enumerate(NAMES):
        student = Student.objects.create(
            school=school,
            first_name=first,
            last_name=last,
            grade=5,
            sex="F" if number % 2 else "M",
            date_of_birth=datetime.date(2015, 3, 1),
            external_id=f"G5B-{number}",
        )
        Enrollment.objects.create(pe_class=pe_class, student=student, start_date=datetime.date(2026, 8, 20))
        students.append(student)
    set_teachers(pe_class, [teacher])
    test = analytics_test("pacer_20m", unit="laps")
    test.name = "PACER (20 m)"
    test.save(update_fields=["name"])
    activity = ActivityFactory(
        school=None,
        name="Dribble Relay",
        instructions="Teams dribble to the cone and back, then hand over the ball.",
        teaching_cues=["Eyes up", "Soft touches"],
        skills=["dribbling"],
        modifications=[{"kind": "equipment", "easier": "Use a bigger ball", "harder": "Weak hand only"}],
    )
    conversation = ConversationFactory(school=school, owner=teacher)
    ctx = ToolContext(user=teacher, school=school, today=timezone.localdate(), language="en")
    return SimpleNamespace(
        school=school,
        teacher=teacher,
        pe_class=pe_class,
        students=students,
        test=test,
        activity=activity,
        conversation=conversation,
        ctx=ctx,
    )


@pytest.fixture
def world(school, teacher):
    return build_world(school, teacher)


def stored(world, result) -> ProposedAction:
    """The proposal stored as a reply's action, as post_message does."""
    message = Message.objects.create(conversation=world.conversation, role=MessageRole.ASSISTANT, text="…")
    proposal = result.proposals[0]
    return ProposedAction.objects.create(
        message=message, kind=proposal.kind, summary=proposal.summary, payload=proposal.payload
    )


def record_baseline(world, value=30):
    """A PACER result 10 days ago, through the fitness service (which feeds progress)."""
    from assessments.services.fitness import record_fitness_results
    from assessments.tests.factories_analytics import analytics_event

    event = analytics_event(world.pe_class, date=timezone.localdate() - datetime.timedelta(days=10), tests=[world.test])
    record_fitness_results(
        actor=world.teacher, event=event, entries=[{"student": world.students[0], "test": world.test, "value": value}]
    )
    return event


def test_propose_goal_resolves_names_and_confirm_creates_the_goal(world):
    record_baseline(world)
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    result = run_tool(
        world.ctx, "propose_goal", {"student_name": "maya rodrigez", "metric": "pacer", "target": 40, "due_date": due}
    )
    assert result.ok, result.message
    payload = result.proposals[0].payload
    assert payload["student_id"] == world.students[0].pk
    assert payload["metric_key"] == "fitness.pacer_20m"
    assert payload["deadline"] == due
    assert "Maya Rodriguez" in result.proposals[0].summary and "40" in result.proposals[0].summary
    assert Goal.objects.count() == 0  # proposing writes nothing

    assert payload["baseline"] == 30.0 and "from 30 to 40" in result.proposals[0].summary
    action = stored(world, result)
    done = confirm_action(actor=world.teacher, action=action)
    assert done.status == ActionStatus.DONE, done.error
    goal = Goal.objects.get()
    assert (goal.student_id, goal.metric_key, float(goal.target)) == (world.students[0].pk, "fitness.pacer_20m", 40.0)
    assert done.result_url == f"/progress/goals/{goal.pk}/" or str(goal.pk) in done.result_url
    assert AuditEvent.objects.filter(action="assistant.action_confirmed", target_id=str(action.pk)).exists()

    with pytest.raises(ServiceError) as twice:
        confirm_action(actor=world.teacher, action=action)
    assert (twice.value.status, twice.value.code) == (409, "already_decided")
    assert Goal.objects.count() == 1


def test_goal_without_a_baseline_is_refused_before_proposing(world):
    result = run_tool(world.ctx, "propose_goal", {"class_name": "grade 5 blue", "metric": "PACER", "target": 40})
    assert result.ok is False and not result.proposals
    assert result.message == "There is no PACER (20 m) value for Grade 5 Blue yet to start the goal from."


def test_a_goal_the_service_refuses_is_marked_failed(world):
    record_baseline(world, value=50)
    result = run_tool(world.ctx, "propose_goal", {"student_name": "Maya Rodriguez", "metric": "PACER", "target": 40})
    assert result.ok, result.message
    action = confirm_action(actor=world.teacher, action=stored(world, result))
    assert action.status == ActionStatus.FAILED
    assert action.error == "For this metric higher is better: the target must be above the baseline."
    assert Goal.objects.count() == 0


def test_propose_goal_refuses_unknown_names_and_other_schools(world, other_teacher, other_school):
    assert (
        run_tool(world.ctx, "propose_goal", {"student_name": "Nobody Here", "metric": "pacer", "target": 3}).ok is False
    )
    outsider = ToolContext(user=other_teacher, school=other_school, today=world.ctx.today)
    result = run_tool(outsider, "propose_goal", {"student_name": "Maya Rodriguez", "metric": "pacer", "target": 40})
    assert result.ok is False and not result.proposals


def test_only_the_owner_decides_and_reject_writes_nothing(world, other_teacher, member):
    from accounts.models import Role

    result = run_tool(world.ctx, "propose_lesson_plan", {"topic": "dribbling"})
    action = stored(world, result)
    colleague = member(world.school, Role.SCHOOL_ADMIN)
    for stranger in (other_teacher, colleague):
        with pytest.raises(ServiceError) as refused:
            reject_action(actor=stranger, action=action)
        assert refused.value.status == 404
    rejected = reject_action(actor=world.teacher, action=action)
    assert rejected.status == ActionStatus.REJECTED and rejected.decided_at is not None
    assert ContentItem.objects.count() == 0
    with pytest.raises(ServiceError) as again:
        confirm_action(actor=world.teacher, action=action)
    assert again.value.code == "already_decided"


def test_lesson_plan_body_comes_from_the_activity_and_becomes_a_draft(world):
    result = run_tool(
        world.ctx,
        "propose_lesson_plan",
        {"topic": "Dribbling", "class_name": "Grade 5 Blue", "activity_name": "dribble relay", "duration_minutes": 40},
    )
    assert result.ok, result.message
    payload = result.proposals[0].payload
    body = payload["body"]
    assert "## Warm-up (6 min)" in body and "## Cool-down (5 min)" in body
    assert "## Main activity: Dribble Relay (29 min)" in body
    assert "Teams dribble to the cone and back" in body
    assert "- Eyes up" in body and "Easier: Use a bigger ball" in body
    assert "## Safety notes" in body and "Grade 5 Blue" in body
    assert (payload["grade_min"], payload["grade_max"], payload["activity_id"]) == (5, 5, world.activity.pk)

    action = confirm_action(actor=world.teacher, action=stored(world, result))
    assert action.status == ActionStatus.DONE, action.error
    item = ContentItem.objects.get()
    assert (item.status, item.owner, item.duration_minutes) == (ContentStatus.DRAFT, world.teacher, 40)
    assert item.body == body and list(item.activities.all()) == [world.activity]
    assert action.result_url.endswith(f"/{item.pk}/")


def test_lesson_plan_safety_notes_count_restrictions_without_names(world):
    from safety.models import ActivityRestriction, MedicalProfile

    profile = MedicalProfile.objects.create(student=world.students[1])
    ActivityRestriction.objects.create(profile=profile, kind="no_running", start_date=datetime.date(2026, 1, 1))
    result = run_tool(world.ctx, "propose_lesson_plan", {"topic": "dribbling", "class_name": "Grade 5 Blue"})
    body = result.proposals[0].payload["body"]
    assert "1 student(s) with an activity restriction (no running)" in body
    assert "Liam" not in body and "Chen" not in body


def test_propose_results_from_a_list_and_confirm_records_them(world):
    result = run_tool(
        world.ctx,
        "propose_results",
        {
            "class_name": "Grade 5 Blue",
            "test_name": "PACER",
            "results": [
                {"student_name": "Maya Rodriguez", "value": 41},
                {"student_name": "liam chen", "value": "35"},
                {"student_name": "Zed Unknown", "value": 20},
            ],
        },
    )
    assert result.ok, result.message
    payload = result.proposals[0].payload
    assert [e["student_id"] for e in payload["entries"]] == [world.students[0].pk, world.students[1].pk]
    assert payload["unmatched"] == [{"row": 3, "name": "Zed Unknown"}]
    assert "Zed Unknown (row 3)" in " ".join(result.sentences)
    action = confirm_action(actor=world.teacher, action=stored(world, result))
    assert action.status == ActionStatus.DONE, action.error
    event = TestEvent.objects.get(pe_class=world.pe_class)
    values = dict(FitnessResult.objects.filter(event=event).values_list("student__first_name", "value"))
    assert {k: float(v) for k, v in values.items()} == {"Maya": 41.0, "Liam": 35.0}


def test_results_with_an_implausible_value_fail_and_store_nothing(world):
    result = run_tool(
        world.ctx,
        "propose_results",
        {"class_name": "Grade 5 Blue", "test_name": "PACER", "results": [{"student_name": "Ava Patel", "value": 9999}]},
    )
    action = confirm_action(actor=world.teacher, action=stored(world, result))
    assert action.status == ActionStatus.FAILED
    assert "Ava Patel (row 1)" in action.error
    assert FitnessResult.objects.count() == 0


def test_write_tools_need_the_final_permission(world, member):
    from accounts.models import Role

    student_user = member(world.school, Role.STUDENT)
    ctx = ToolContext(user=student_user, school=world.school, today=world.ctx.today)
    for name, arguments in (
        ("propose_goal", {"metric": "pacer", "target": 3, "class_name": "Grade 5 Blue"}),
        ("propose_lesson_plan", {"topic": "dribbling"}),
        ("propose_results", {"results": []}),
    ):
        result = run_tool(ctx, name, arguments)
        assert result.ok is False and not result.proposals, name
