"""A small realistic world for the BRAIN tests (intents, learning, built-in provider): a teacher
with two classes, students with PACER results, and a ``ctx`` for them. Imported by the other
``test_intents*``/``test_learning*``/``test_builtin*`` modules."""

import datetime
import importlib

import pytest

from assistant.tools.base import REGISTRY, ToolContext

TOOL_MODULES = ("classes", "students", "fitness", "sessions", "activities", "safety", "content", "actions")


def load_tools():
    for module in TOOL_MODULES:
        importlib.import_module(f"assistant.tools.{module}")


def build_world(school, teacher):
    from assessments.models import FitnessResult, TestEvent
    from assessments.tests.factories_fitness import shipped_tests
    from physed.models import Enrollment, PEClass, Student
    from physed.services.roster_classes import set_teachers

    load_tools()
    tests = shipped_tests()
    blue = PEClass.objects.create(
        school=school, name="Grade 5 Blue", school_year=2026, grade_from=5, grade_to=5, capacity=30, location="Gym"
    )
    red = PEClass.objects.create(
        school=school, name="Grade 6 Red", school_year=2026, grade_from=6, grade_to=6, capacity=30, location="Field"
    )
    set_teachers(blue, [teacher])
    set_teachers(red, [teacher])
    students = []
    for first, last, sex, laps in (
        ("Maya", "Lopez", "F", 40),
        ("Sam", "Okafor", "M", 12),
        ("Lucia", "Fernandez", "F", 30),
    ):
        student = Student.objects.create(
            school=school,
            first_name=first,
            last_name=last,
            grade=5,
            sex=sex,
            date_of_birth=datetime.date(2015, 3, 1),
            external_id=f"{first}-{last}",
        )
        Enrollment.objects.create(pe_class=blue, student=student, start_date=datetime.date(2026, 8, 20))
        students.append((student, laps))
    event = TestEvent.objects.create(pe_class=blue, name="Fall testing", window="Fall", date=datetime.date(2026, 10, 5))
    event.tests.set([tests["pacer_20m"]])
    for student, laps in students:
        FitnessResult.objects.create(event=event, student=student, test=tests["pacer_20m"], value=laps)
    from safety.models import EnvironmentRuleSet
    from safety.services.environment_data import load_shipped_rule_sets
    from safety.tests.factories_environment import SafetySettingsFactory

    load_shipped_rule_sets()
    SafetySettingsFactory(school=school, rule_set=EnvironmentRuleSet.objects.get(school=None, code="lewisville-isd"))
    ctx = ToolContext(user=teacher, school=school, today=datetime.date(2026, 10, 20), language="en")
    return {"ctx": ctx, "blue": blue, "red": red, "students": [s for s, _l in students], "event": event}


@pytest.fixture
def world(school, teacher):
    return build_world(school, teacher)


def test_world_registers_every_contract_tool(world):
    expected = {
        "list_classes",
        "class_overview",
        "student_progress",
        "fitness_results",
        "attendance",
        "upcoming_sessions",
        "recommend_activities",
        "adaptations",
        "safety_status",
        "heat_guidance",
        "search_content",
    }
    assert expected <= set(REGISTRY)
    assert world["blue"].name == "Grade 5 Blue"
