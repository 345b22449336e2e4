"""recommend_activities, adaptations and search_content."""

import datetime

import pytest
from django.urls import reverse

from assistant.tests.factories import tools_world
from assistant.tools.base import ToolContext, run_tool
from content.tests.factories import ContentItemFactory
from physed.models import AdaptationProfile
from physed.tests.factories import ActivityFactory

TODAY = datetime.date(2026, 10, 20)


@pytest.fixture
def ctx(school, teacher):
    return ToolContext(user=teacher, school=school, today=TODAY)


@pytest.mark.django_db
def test_search_content_top_items_with_links(ctx, school, teacher, other_school):
    mine = ContentItemFactory(school=school, owner=teacher, title="Volleyball serving lesson", status="published")
    ContentItemFactory(school=other_school, title="Volleyball secrets", status="published")
    result = run_tool(ctx, "search_content", {"query": "volleyball"})
    assert result.ok, result.message
    assert [item["title"] for item in result.data["items"]] == ["Volleyball serving lesson"]
    assert result.citations[0].url == reverse("content-item-detail", args=[mine.pk])
    assert result.cards[0].kind == "links"
    nothing = run_tool(ctx, "search_content", {"query": "quidditch"})
    assert nothing.sentences == ["I found nothing in the library for “quidditch”."]


@pytest.mark.django_db
def test_recommend_activities_for_a_class(ctx, school, teacher):
    world = tools_world(school, teacher)
    ActivityFactory(school=school, name="Sharks and minnows", grade_bands=["3_5"])
    result = run_tool(ctx, "recommend_activities", {"class_name": "Grade 5 Blue"})
    assert result.ok, result.message
    assert result.data["class"]["name"] == "Grade 5 Blue"
    assert result.data["considered"] >= 1
    names = [row["activity"] for row in result.data["recommendations"]]
    assert len(names) <= 5
    if names:
        assert result.sentences[0].startswith(f"For Grade 5 Blue I recommend {names[0]}")
    assert result.citations[0].url == reverse("class-detail", args=[world.blue.pk])


@pytest.mark.django_db
def test_adaptations_restrictions_and_conflicts(ctx, school, teacher):
    world = tools_world(school, teacher)
    AdaptationProfile.objects.create(
        student=world.liam,
        restrictions=[{"kind": "no_running", "until": None}, {"kind": "no_contact", "until": "2026-01-01"}],
    )
    tag = ActivityFactory(school=school, name="Freeze tag", intensity="vigorous", skills=["running", "dodging"])
    result = run_tool(ctx, "adaptations", {"class_name": "Grade 5 Blue", "activity_name": "freeze tag"})
    assert result.ok, result.message
    assert result.data["activity"] == "Freeze tag"
    rows = result.data["restrictions"]
    assert [(r["student"], r["restriction"]) for r in rows] == [("Liam Chen", "no_running")]
    assert rows[0]["conflict"]
    assert result.sentences[0] == "1 student(s) have restrictions in force today."
    assert reverse("activity-detail", args=[tag.pk]) in [c.url for c in result.citations]
    none = run_tool(ctx, "adaptations", {})
    assert not none.ok and none.message == "Name a student or a class."


@pytest.mark.django_db
def test_recommend_with_a_focus_and_student_adaptations(ctx, school, teacher):
    world = tools_world(school, teacher)
    ActivityFactory(school=school, name="Sharks and minnows", grade_bands=["3_5"])
    nothing = run_tool(ctx, "recommend_activities", {"class_name": "Grade 5 Blue", "focus": "underwater hockey"})
    assert nothing.sentences[0] == (
        "None of the recommended activities matches “underwater hockey”; here are the best overall."
    )
    aerobic = run_tool(ctx, "recommend_activities", {"class_name": "Grade 5 Blue", "focus": "aerobic"})
    assert aerobic.ok and not aerobic.sentences[0].startswith("None")
    calm = run_tool(ctx, "adaptations", {"student_name": "Noah Smith"})
    assert calm.data["restrictions"] == []
    assert calm.sentences == ["No activity restrictions in force that you may see."]
    assert calm.citations[0].url == reverse("student-detail", args=[world.noah.pk])
