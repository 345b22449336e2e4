"""``seed_demo --scale N`` (issue 10 §3): the scaled copies of the demo roster and its data.

Seeds the areas that scale (roster, sessions, incidents, content, memories; fitness results for
the scaled classes) at scale 1, then at scale 2 (twice), on SQLite; the slow service-only areas
(the scale-1 fitness results, reports, medical, risk, the assistant) are covered by
``tests/test_seed_demo_whole.py``. Checked: the exact counts the
generator defines (copy 2 = the scale-1 volume again, the two family records and preferences
aside), idempotency, the newest-result flags, and that every row stays in its school.
"""

import json

import pytest
from django.db.models import Count, F

from accounts import demo as accounts_demo
from accounts.models import School
from assessments import demo_scale as assessments_scale
from assessments.models import FitnessResult, TestEvent
from assessments.services.fitness_data import load_shipped
from content import demo as content_demo
from content.models import ContentItem, ContentVersion
from memory import demo as memory_demo
from memory.models import Memory
from physed import demo_library, demo_roster, demo_sessions
from physed.demo_scale import SCALED
from physed.models import AttendanceRecord, ClassSession, Enrollment, PEClass, PerformanceResult, Student
from progress.models import ProgressEntry
from safety import demo_incidents
from safety import demo_scale as safety_scale
from safety.models import Incident, IncidentStudent

pytestmark = [pytest.mark.django_db]

ROSTER = json.loads(demo_roster.DATA.read_text())["schools"]


def _seed(scale: int) -> dict:
    context = {"scale": scale}
    accounts_demo.seed(context)
    load_shipped()  # the fitness tests and standards (demo_fitness loads them before its results)
    for area in (demo_library, demo_roster, demo_sessions, assessments_scale):
        area.seed(context)
    for area in (demo_incidents, safety_scale, content_demo, memory_demo):
        area.seed(context)
    return context


def _counts() -> dict[str, int]:
    models = {
        "students": Student,
        "classes": PEClass,
        "enrollments": Enrollment,
        "sessions": ClassSession,
        "attendance": AttendanceRecord,
        "session_results": PerformanceResult,
        "test_events": TestEvent,
        "fitness_results": FitnessResult,
        "progress_entries": ProgressEntry,
        "incidents": Incident,
        "content_items": ContentItem,
        "content_versions": ContentVersion,
        "memories": Memory,
    }
    return {name: model.objects.count() for name, model in models.items()}


def test_scale_two_doubles_the_demo_and_stays_consistent():
    _seed(1)
    one = _counts()
    grade_total = sum(sum(spec["grades"].values()) for spec in ROSTER.values())
    class_total = sum(len(spec["classes"]) for spec in ROSTER.values())
    assert one["students"] == grade_total + 2 * len(ROSTER)  # + Sky and Robin per school
    assert one["classes"] == class_total
    assert not Student.objects.filter(external_id__contains=SCALED).exists()

    _seed(2)
    two = _counts()
    # exactly the scale-1 volume again (the two family records per school are not copied)
    assert two["students"] == one["students"] + grade_total
    assert two["classes"] == 2 * one["classes"]
    assert two["enrollments"] == 2 * one["enrollments"]
    assert two["sessions"] == 2 * one["sessions"]
    assert two["attendance"] == 2 * one["attendance"]
    # both testing windows for every scaled class: 6 results per enrolled student and window
    assert one["test_events"] == one["fitness_results"] == 0
    assert two["test_events"] == 2 * one["classes"]
    assert two["fitness_results"] == 2 * 6 * (two["enrollments"] - one["enrollments"])
    assert two["incidents"] == 2 * one["incidents"] == 2 * len(demo_incidents.SPECS) * len(ROSTER)
    assert two["content_items"] == 2 * one["content_items"]
    assert two["content_versions"] == one["content_versions"] + one["content_items"]
    # facts and episodes once more per teacher (3 + 3 each); preferences stay one per key
    assert two["memories"] == one["memories"] + 6 * 2 * len(ROSTER)
    # session results are drawn at random per class: about twice as many
    assert 1.7 * one["session_results"] < two["session_results"] < 2.3 * one["session_results"]
    # progress entries: one per fitness result
    assert two["progress_entries"] - one["progress_entries"] == two["fitness_results"]

    _seed(2)
    assert _counts() == two  # idempotent

    _check_latest_flags()
    _check_school_scope()
    _check_copies()


def _check_latest_flags():
    """One newest result per student and test, and per student, test and window."""
    latest = FitnessResult.objects.filter(is_latest=True).values("student", "test").annotate(n=Count("pk"))
    pairs = FitnessResult.objects.values("student", "test").distinct().count()
    assert latest.count() == pairs and {row["n"] for row in latest} == {1}
    in_window = (
        FitnessResult.objects.filter(is_latest_in_window=True)
        .values("student", "test", "event__window")
        .annotate(n=Count("pk"))
    )
    assert {row["n"] for row in in_window} == {1}
    assert in_window.count() == FitnessResult.objects.values("student", "test", "event__window").distinct().count()
    # the newest is the mid-year result for every scaled student
    scaled = FitnessResult.objects.filter(student__external_id__contains=SCALED)
    assert scaled.exists()
    assert set(scaled.filter(is_latest=True).values_list("event__name", flat=True)) == {"Mid-year"}


def _check_school_scope():
    """Every link made by the scaled copies stays inside one school."""
    assert not Enrollment.objects.exclude(student__school=F("pe_class__school")).exists()
    assert not AttendanceRecord.objects.exclude(student__school=F("session__pe_class__school")).exists()
    assert not FitnessResult.objects.exclude(student__school=F("event__pe_class__school")).exists()
    assert not ProgressEntry.objects.exclude(school=F("student__school")).exists()
    assert not Incident.objects.exclude(school=F("pe_class__school")).exists()
    assert not IncidentStudent.objects.exclude(student__school=F("incident__school")).exists()
    assert not Memory.objects.exclude(pe_class__isnull=True).exclude(pe_class__school=F("school")).exists()
    assert not ContentItem.objects.exclude(owner__memberships__school=F("school")).exists()
    for school in School.objects.all():
        classes = PEClass.objects.filter(school=school, external_id__contains=SCALED)
        assert classes.count() == len(ROSTER[school.slug]["classes"])
        # each copy class is taught by a demo teacher of its own school, with the object permissions
        for pe_class in classes:
            teachers = list(pe_class.teachers.all())
            assert len(teachers) == 1 and teachers[0].email.endswith(f"@{school.slug}.demo")
            assert teachers[0].has_perm("physed.change_peclass", pe_class)
        assert Incident.objects.filter(school=school).values("reference").distinct().count() == 2 * len(
            demo_incidents.SPECS
        )


def _check_copies():
    """The copies look like the demo: names, enrolment sizes, incident states, searchable memories."""
    spec = ROSTER["northside"]
    base = PEClass.objects.get(school__slug="northside", name="PE 6")
    copy = PEClass.objects.get(school__slug="northside", external_id=f"{base.external_id}{SCALED}2")
    assert copy.name == "PE 6 (2)"
    assert copy.meetings.count() == 3
    assert copy.enrollments.count() == spec["classes"][0]["size"]
    enrolled = copy.enrollments.values_list("student__external_id", flat=True)
    assert {external_id.rsplit("-", 1)[0] for external_id in enrolled} == {f"{spec['prefix']}{SCALED}2"}
    scaled = Incident.objects.filter(description__endswith="[demo ×2]")
    assert sorted(scaled.values_list("status", flat=True)) == sorted(
        row[10] for row in demo_incidents.SPECS for _school in ROSTER
    )
    assert ContentItem.objects.filter(title__endswith=" (2)").count() * 2 == ContentItem.objects.count()
    teacher_memories = Memory.objects.filter(owner__email="teacher@northside.demo", content__contains="PE 6 (2)")
    assert teacher_memories.exists()
