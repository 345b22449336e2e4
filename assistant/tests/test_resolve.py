import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistant.resolve import (
    MATCH_THRESHOLD,
    find_mentions,
    normalise,
    resolve_activity,
    resolve_class,
    resolve_student,
    resolve_test,
)
from assistant.tests.factories import tools_world
from assistant.tools.base import ToolContext


@pytest.fixture
def world(school, teacher, other_school):
    return tools_world(school, teacher, other_school)


@pytest.fixture
def ctx(school, teacher):
    return ToolContext(user=teacher, school=school, today=datetime.date(2026, 10, 20))


def test_normalise_removes_case_accents_and_punctuation():
    assert normalise("  Rodríguez, MAYA!  ") == "rodriguez maya"


@pytest.mark.django_db
def test_mentions_in_a_sentence(ctx, world):
    found = find_mentions(ctx, "How did grade 5 blue do on the pacer?")
    assert found.classes[0].obj == world.blue
    assert found.classes[0].score == 1.0
    assert all(m.obj != world.red for m in found.classes)  # "6" never matches "5"
    assert found.tests[0].obj == world.pacer  # 20 m before 15 m (test order) on a tie
    assert found.students == []


@pytest.mark.django_db
def test_misspellings_match_with_a_lower_score(ctx, world):
    found = find_mentions(ctx, "how is Maya Rodrigez doing in Grade 5 Blu on the pacr")
    assert found.students[0].obj == world.maya
    assert MATCH_THRESHOLD <= found.students[0].score < 1
    assert found.classes[0].obj == world.blue and found.classes[0].score < 1
    assert found.tests[0].obj.code == "pacer_20m" and found.tests[0].score < 1


@pytest.mark.django_db
def test_students_by_preferred_and_unique_first_name(ctx, world):
    assert resolve_student(ctx, "Nono Smith").obj == world.noah
    assert resolve_student(ctx, "liam").obj == world.liam
    assert find_mentions(ctx, "what about Ella?").students[0].obj == world.ella


@pytest.mark.django_db
def test_other_school_names_are_never_found(ctx, world):
    assert resolve_student(ctx, "Zara Quintero") is None
    assert resolve_class(ctx, "Eagles Squad") is None
    found = find_mentions(ctx, "How did Zara Quintero in Eagles Squad do?")
    assert found.students == [] and found.classes == []


@pytest.mark.django_db
def test_a_typed_part_of_a_longer_name(ctx, school, world):
    from physed.tests.factories import ActivityFactory

    freeze = ActivityFactory(school=school, name="Freeze Tag")
    ActivityFactory(school=school, name="Freeze Tag Relay Challenge")
    match = resolve_activity(ctx, "tag")
    assert match.obj == freeze and 0.8 < match.score < 1
    assert find_mentions(ctx, "can we play tag").activities == []  # sentences need the whole name
    assert resolve_class(ctx, "grade 6").obj == world.red
    assert resolve_class(ctx, "grade 7") is None  # digits must agree
    assert resolve_class(ctx, "blue").obj == world.blue


@pytest.mark.django_db
def test_unrelated_words_match_nothing(ctx, world):
    assert resolve_class(ctx, "swimming pool") is None
    assert resolve_test(ctx, "banana") is None


@pytest.mark.django_db
def test_one_query_per_kind(ctx, world):
    with CaptureQueriesContext(connection) as queries:
        find_mentions(ctx, "How did Maya in grade 5 blue do on the pacer and in tag?")
    assert len(queries) <= 6  # classes, students, activities, tests (+ membership lookups)
