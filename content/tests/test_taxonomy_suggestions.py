"""Tag suggestions on a constructed library: order, scores and reasons; evidence only from items
the user may see; another school's vocabulary never suggested."""

import pytest

from content.selectors.taxonomy_suggestions import suggest_for_item, suggest_tags
from content.tests.factories import ContentItemFactory
from physed.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(school, other_school, teacher):
    activity = ActivityFactory(school=school)
    item = ContentItemFactory(
        school=school,
        owner=teacher,
        title="Volleyball serve practice",
        summary="Underhand serve for beginners.",
        body="Start with *net games* and a warm up.",
        tags=["beginner"],
    )
    item.activities.set([activity])
    ContentItemFactory(school=school, owner=teacher, tags=["beginner", "net games"])
    ContentItemFactory(school=school, owner=teacher, tags=["beginner", "striking"])
    related = ContentItemFactory(school=school, owner=teacher, title="Bats", body="", summary="", tags=["striking"])
    related.activities.set([activity])
    ContentItemFactory(school=school, owner=teacher, title="Ball", body="", summary="", tags=["volleyball"])
    ContentItemFactory(
        school=school, owner=teacher, title="Misc", body="", summary="", tags=["serve", "unrelated", "warm-up"]
    )
    # another teacher's private item: invisible to the teacher
    ContentItemFactory(school=school, title="Private", body="", summary="", tags=["beginner", "hidden tag"])
    # another school's vocabulary
    ContentItemFactory(school=other_school, title="Volleyball spike", tags=["beginner", "spike", "volleyball serve"])
    return item


def test_ranked_with_scores_and_reasons(library, teacher):
    rows = suggest_for_item(teacher, library)
    assert [(row["name"], row["score"]) for row in rows] == [
        ("serve", 3.0),
        ("volleyball", 3.0),
        ("net games", 2.0),
        ("striking", 1.5),
        ("warm-up", 1.0),
    ]
    by_name = {row["name"]: row["reasons"] for row in rows}
    assert by_name["serve"] == ["“serve” appears in the title"]
    assert by_name["net games"] == [
        "“net games” appears in the summary or body",
        "used together with your tags on 1 item",
    ]
    assert by_name["striking"] == [
        "used together with your tags on 1 item",
        "on 1 item with the same activities or standards",
    ]
    names = {row["name"] for row in rows}
    assert "beginner" not in names  # already on the item
    assert "hidden tag" not in names  # its only evidence is an item the teacher cannot see
    assert not names & {"spike", "volleyball serve"}  # another school's tags


def test_evidence_follows_visibility(library, department_head):
    rows = {row["name"]: row for row in suggest_for_item(department_head, library)}
    assert rows["hidden tag"]["score"] == 1.0
    assert rows["hidden tag"]["reasons"] == ["used together with your tags on 1 item"]


def test_draft_text_and_limit(library, teacher, school):
    rows = suggest_tags(teacher, school, title="Striking games", tags=["Beginner"], limit=2)
    assert [(row["name"], row["score"]) for row in rows] == [("striking", 4.0), ("net games", 1.0)]
    assert suggest_tags(teacher, school, title="Nothing matches") == []
