"""Builders for progress-report tests: one student with a full term of numbers."""

import dataclasses
import datetime

from assessments.models import (
    CriterionScore,
    Feedback,
    FeedbackKind,
    FeedbackVisibility,
    FitnessResult,
    FitnessTest,
    PerformanceLevel,
    Rubric,
    RubricCriterion,
    SkillAssessment,
    StandardBand,
    StandardSet,
    TestComponent,
    TestEvent,
)
from physed.models import AttendanceRecord, AttendanceStatus, ClassSession, Enrollment, Guardianship, PEClass, Student
from progress.models import Achievement, AchievementDefinition, EntrySource, Goal, Milestone, ProgressEntry

__all__ = ["PERIOD_END", "PERIOD_START", "ReportWorld", "build_report_world"]

PERIOD_START = datetime.date(2026, 10, 1)
PERIOD_END = datetime.date(2026, 12, 18)


@dataclasses.dataclass
class ReportWorld:
    pe_class: PEClass
    student: Student
    pacer: FitnessTest
    curl_up: FitnessTest
    standard_set: StandardSet
    goal: Goal


def _test(code, name, unit, *, component, measure):
    test, _created = FitnessTest.objects.get_or_create(
        school=None,
        code=code,
        defaults={
            "name": name,
            "unit": unit,
            "component": component,
            "plausible_min": 0,
            "plausible_max": 250,
            "standard_measure": measure,
            "scoring": "direct",
            "position": 1 if code == "pacer_20m" else 5,
        },
    )
    return test


def build_report_world(
    school, *, teacher=None, student_user=None, guardian_user=None, with_data: bool = True
) -> ReportWorld:
    """Maya Lopez (girl, 12) in "PE 7A" (2026, s1). With data: PACER 25 → 31 (HFZ, VO2max 42.1),
    curl-up 14 → 12 (NI; HFZ from 18), a throwing rubric (83.3), a goal of 35 laps (2 of 3
    milestones), one badge, 20 sessions (17 present, 1 late, 2 absent), one family comment."""
    pe_class = PEClass.objects.create(
        school=school, name="PE 7A", school_year=2026, term="s1", grade_from=7, grade_to=7
    )
    if teacher is not None:
        pe_class.teachers.add(teacher)
    student = Student.objects.create(
        school=school,
        first_name="Maya",
        last_name="Lopez",
        sex="F",
        grade=7,
        date_of_birth=datetime.date(2014, 3, 2),
        user=student_user,
    )
    Enrollment.objects.create(pe_class=pe_class, student=student, start_date=datetime.date(2026, 8, 20))
    if guardian_user is not None:
        Guardianship.objects.create(student=student, guardian=guardian_user, name="Pat Lopez", email="pat@example.org")
    pacer = _test(
        "pacer_20m", "PACER (20 m)", "laps", component=TestComponent.AEROBIC, measure="aerobic_capacity_vo2max"
    )
    curl = _test("curl_up", "Curl-up", "count", component=TestComponent.ABDOMINAL, measure="curl_up")
    standard_set = StandardSet.objects.create(
        code="report-test-set",
        name="Test set",
        version="1",
        source="Test fixture",
        effective_from=datetime.date(2020, 1, 1),
    )
    StandardBand.objects.create(
        standard_set=standard_set,
        measure="curl_up",
        sex="F",
        age_from=12,
        age_to=12,
        zone="HFZ",
        lower=18,
        unit="count",
    )
    StandardBand.objects.create(
        standard_set=standard_set,
        measure="curl_up",
        sex="F",
        age_from=13,
        age_to=13,
        zone="HFZ",
        lower=18,
        unit="count",
    )
    goal = Goal.objects.create(
        school=school,
        student=student,
        title="Run 35 PACER laps",
        metric_key="fitness.pacer_20m",
        metric_label="PACER (20 m)",
        unit="laps",
        baseline=25,
        target=35,
        start_date=datetime.date(2026, 9, 1),
        deadline=datetime.date(2027, 5, 31),
    )
    world = ReportWorld(pe_class, student, pacer, curl, standard_set, goal)
    if not with_data:
        return world
    fall = TestEvent.objects.create(
        pe_class=pe_class, name="Fall pre-test", window="Fall", date=datetime.date(2026, 9, 15)
    )
    mid = TestEvent.objects.create(pe_class=pe_class, name="Mid-term", window="Fall", date=datetime.date(2026, 11, 10))
    fall.tests.set([pacer, curl])
    mid.tests.set([pacer, curl])
    common = {"student": student, "age_at_test": 12, "standard_set": standard_set}
    FitnessResult.objects.create(event=fall, test=pacer, value=25, zone="NI", estimated_vo2max=39.5, **common)
    FitnessResult.objects.create(event=fall, test=curl, value=14, zone="NI", **common)
    FitnessResult.objects.create(event=mid, test=pacer, value=31, zone="HFZ", estimated_vo2max=42.1, **common)
    FitnessResult.objects.create(event=mid, test=curl, value=12, zone="NI", **common)
    ProgressEntry.objects.create(
        school=school,
        student=student,
        metric_key="fitness.pacer_20m",
        value=25,
        date=datetime.date(2026, 9, 15),
        source=EntrySource.MANUAL,
    )
    ProgressEntry.objects.create(
        school=school,
        student=student,
        metric_key="fitness.pacer_20m",
        value=31,
        date=datetime.date(2026, 11, 10),
        source=EntrySource.MANUAL,
    )
    Milestone.objects.create(
        goal=goal,
        title="27 laps",
        target_value=27,
        due_date=datetime.date(2026, 11, 1),
        reached_at=datetime.date(2026, 11, 10),
        reached_value=31,
    )
    Milestone.objects.create(
        goal=goal,
        title="30 laps",
        target_value=30,
        due_date=datetime.date(2027, 1, 15),
        reached_at=datetime.date(2026, 11, 10),
        reached_value=31,
    )
    Milestone.objects.create(goal=goal, title="33 laps", target_value=33, due_date=datetime.date(2027, 3, 15))
    rubric = Rubric.objects.create(school=school, title="Overhand throw")
    step = RubricCriterion.objects.create(rubric=rubric, name="Step", position=1)
    follow = RubricCriterion.objects.create(rubric=rubric, name="Follow-through", position=2)
    developing = PerformanceLevel.objects.create(rubric=rubric, name="Developing", points=2, position=1)
    proficient = PerformanceLevel.objects.create(rubric=rubric, name="Proficient", points=3, position=2)
    older = SkillAssessment.objects.create(
        rubric=rubric, student=student, pe_class=pe_class, date=datetime.date(2026, 10, 5), score=50
    )
    CriterionScore.objects.create(assessment=older, criterion=step, level=developing, points=2)
    latest = SkillAssessment.objects.create(
        rubric=rubric, student=student, pe_class=pe_class, date=datetime.date(2026, 11, 12), score=83.3
    )
    CriterionScore.objects.create(assessment=latest, criterion=step, level=proficient, points=3)
    CriterionScore.objects.create(assessment=latest, criterion=follow, level=developing, points=2)
    SkillAssessment.objects.create(
        rubric=rubric, student=student, date=datetime.date(2026, 11, 13), score=100, mode="self"
    )
    badge = AchievementDefinition.objects.create(
        school=None,
        code="report-streak",
        name="Attendance streak",
        description="Ten sessions in a row.",
        rule={"type": "attendance_streak", "length": 10},
    )
    Achievement.objects.create(definition=badge, student=student, awarded_on=datetime.date(2026, 11, 20))
    statuses = [AttendanceStatus.PRESENT] * 17 + [AttendanceStatus.LATE] + [AttendanceStatus.ABSENT] * 2
    for index, status in enumerate(statuses):
        session = ClassSession.objects.create(
            pe_class=pe_class, date=PERIOD_START + datetime.timedelta(days=index * 3), period="1", title="PE"
        )
        AttendanceRecord.objects.create(session=session, student=student, status=status)
    comment = Feedback.objects.create(
        student=student,
        kind=FeedbackKind.TEACHER_COMMENT,
        visibility=FeedbackVisibility.FAMILY,
        author=teacher,
        body="Great effort in the PACER.",
    )
    Feedback.objects.filter(pk=comment.pk).update(
        created_at=datetime.datetime(2026, 11, 11, 10, 0, tzinfo=datetime.UTC)
    )
    private = Feedback.objects.create(
        student=student,
        kind=FeedbackKind.TEACHER_COMMENT,
        visibility=FeedbackVisibility.STAFF,
        author=teacher,
        body="Staff-only note.",
    )
    Feedback.objects.filter(pk=private.pk).update(
        created_at=datetime.datetime(2026, 11, 11, 10, 0, tzinfo=datetime.UTC)
    )
    return world


def add_more_results(world: ReportWorld, *, count: int) -> None:
    """More events, results, assessments and attendance for the same student (query-count checks)."""
    rubric = Rubric.objects.get(school=world.student.school, title="Overhand throw")
    level = rubric.levels.first()
    for index in range(count):
        day = PERIOD_START + datetime.timedelta(days=index + 1)
        event = TestEvent.objects.create(pe_class=world.pe_class, name=f"Extra {index}", date=day)
        FitnessResult.objects.create(
            event=event, student=world.student, test=world.pacer, value=20 + index, zone="NI", age_at_test=12
        )
        assessment = SkillAssessment.objects.create(rubric=rubric, student=world.student, date=day, score=50)
        for criterion in rubric.criteria.all():
            CriterionScore.objects.create(assessment=assessment, criterion=criterion, level=level, points=level.points)
        session = ClassSession.objects.create(pe_class=world.pe_class, date=day, period="2", title="Extra")
        AttendanceRecord.objects.create(session=session, student=world.student, status=AttendanceStatus.PRESENT)
