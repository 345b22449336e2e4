"""The content demo: ≥ 30 items written for the demo, every kind, lesson plans tied to the shipped
activity library, version history, shares, comments, views and a scheduled lesson — seeded through
the services, deterministic and idempotent. Runs on a minimal demo school (not the whole
seed_demo) so it stays fast."""

import datetime
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import make_member
from content import demo_items
from content.markdown import unsafe_markup
from content.models import (
    Category,
    ContentComment,
    ContentItem,
    ContentKind,
    ContentShare,
    ContentVersion,
    ContentView,
    LessonSchedule,
    ShareAudience,
)
from content.selectors.access import can_edit
from physed.services.library_data import load_library
from physed.tests.factories_sessions import ClassSessionFactory, class_with_students

PHYSED_DATA = Path(settings.BASE_DIR) / "physed" / "data"


def _specs():
    return {spec["key"]: spec for spec in demo_items.load_items()}


# --- the data file (no database) -------------------------------------------------------------


def test_data_file_is_ours_and_complete():
    data = json.loads(demo_items.DATA.read_text(encoding="utf-8"))
    assert data["source"] == "Written for this project's demo data"
    specs = data["items"]
    assert len(specs) >= 32
    kinds = Counter(spec["kind"] for spec in specs)
    assert set(kinds) == set(ContentKind.values)
    assert kinds["lesson_plan"] >= 14 and kinds["unit"] >= 4 and kinds["handout"] >= 4
    assert kinds["activity_card"] >= 3 and kinds["assessment_template"] >= 2
    assert kinds["video_link"] >= 2 and kinds["document"] >= 1
    statuses = Counter(spec["status"] for spec in specs)
    assert statuses["archived"] == 1 and statuses["draft"] >= 2 and statuses["published"] > len(specs) / 2
    assert sum(spec["language"] == "es" for spec in specs) >= 3
    assert len({spec["title"] for spec in specs}) == len(specs)


def test_bodies_are_safe_markdown_within_the_limit():
    for spec in demo_items.load_items():
        for text in (spec["title"], spec.get("summary", ""), spec["body"], demo_items.final_body(spec)):
            assert unsafe_markup(text) == [], spec["key"]
        assert len(demo_items.final_body(spec)) <= settings.CONTENT_MAX_BODY_CHARS
        assert all(tag == tag.lower() for tag in spec["tags"]), spec["key"]


def test_lesson_plans_are_full_plans_tied_to_the_shipped_library():
    shipped = {a["slug"] for a in json.loads((PHYSED_DATA / "library" / "activities.json").read_text())}
    shape = json.loads((PHYSED_DATA / "shape_america_2024.json").read_text())
    codes = {i["code"] for i in shape["indicators"]}
    numbers = {s["number"] for s in shape["standards"]}
    sections = ["## Objectives", "## Equipment", "## Warm-up", "## Main activity", "## Differentiation", "## Safety"]
    for spec in demo_items.load_items():
        assert set(spec["activities"]) <= shipped, spec["key"]
        assert set(spec["indicators"]) <= codes and set(spec["standards"]) <= numbers, spec["key"]
        if spec["kind"] != "lesson_plan":
            continue
        body = demo_items.final_body(spec)
        assert 250 <= len(body.split()) <= 600, spec["key"]
        assert 1 <= len(spec["activities"]) <= 3 and spec["standards"], spec["key"]
        assert all(section in body for section in sections), spec["key"]
        assert "min)**" in body  # timings


def test_units_list_their_lessons():
    specs = _specs()
    units = [spec for spec in specs.values() if spec["kind"] == "unit"]
    assert len(units) >= 4
    for unit in units:
        assert unit["lessons"]
        for key in unit["lessons"]:
            assert specs[key]["kind"] == "lesson_plan"
            assert specs[key]["title"] in unit["body"]


# --- seeding ---------------------------------------------------------------------------------


@pytest.fixture
def demo_school(school):
    """A school with the demo logins, the shipped library, a class the demo student attends and
    an upcoming session of a class teacher2 teaches."""
    load_library()
    people = {
        "head": make_member(school, Role.DEPARTMENT_HEAD, email=f"head@{school.slug}.demo"),
        "teacher": make_member(school, Role.TEACHER, email=f"teacher@{school.slug}.demo"),
        "teacher2": make_member(school, Role.TEACHER, email=f"teacher2@{school.slug}.demo"),
        "student": make_member(school, Role.STUDENT, email=f"student@{school.slug}.demo"),
    }
    pe_class, (sky, _other) = class_with_students(school, 2)
    sky.user = people["student"]
    sky.save(update_fields=["user"])
    pe_class.teachers.add(people["teacher2"])
    other_class, _students = class_with_students(school, 1)
    session = ClassSessionFactory(pe_class=pe_class, date=timezone.localdate() + datetime.timedelta(days=2))
    ClassSessionFactory(pe_class=other_class, date=timezone.localdate() + datetime.timedelta(days=1))
    return people, pe_class, session


def _counts(school):
    return {
        "items": ContentItem.objects.filter(school=school).count(),
        "versions": ContentVersion.objects.filter(item__school=school).count(),
        "categories": Category.objects.filter(school=school).count(),
        "shares": ContentShare.objects.filter(item__school=school).count(),
        "comments": ContentComment.objects.filter(item__school=school).count(),
        "views": ContentView.objects.filter(item__school=school).count(),
        "schedules": LessonSchedule.objects.filter(item__school=school).count(),
    }


@pytest.mark.django_db
def test_seed_writes_the_library_with_history_shares_and_comments(demo_school, school, other_school):
    people, pe_class, session = demo_school
    demo_items.seed({"schools": {school.slug: school}, "scale": 1})
    specs = list(demo_items.load_items())
    items = {item.title: item for item in ContentItem.objects.filter(school=school)}
    assert len(items) == len(specs) >= 32
    assert not ContentItem.objects.filter(school=other_school).exists()
    assert set(item.kind for item in items.values()) == set(ContentKind.values)
    assert Counter(item.owner.email.split("@")[0] for item in items.values()) == Counter(s["owner"] for s in specs)

    # lesson plans linked to the shipped activities, standards and indicators by slug/number/code
    for spec in specs:
        item = items[spec["title"]]
        assert sorted(item.activities.values_list("slug", flat=True)) == sorted(spec["activities"])
        assert all(a.school_id is None for a in item.activities.all())
        assert sorted(item.standards.values_list("number", flat=True)) == sorted(spec["standards"])
        assert sorted(item.indicators.values_list("code", flat=True)) == sorted(spec["indicators"])
        assert item.body == demo_items.final_body(spec)
        assert item.version == 1 + len(spec.get("history", ()))
        tags = [e["set"]["tags"] for e in spec.get("history", ()) if "tags" in e.get("set", {})]
        assert sorted(item.tags.names()) == sorted(tags[-1] if tags else spec["tags"])

    # version history: about a third of the items, with authors and notes
    with_history = [item for item in items.values() if item.versions.count() >= 2]
    assert len(with_history) >= len(items) // 4
    ultimate = items["Ultimate: the vertical stack and cutting to space"]
    assert list(ultimate.versions.order_by("number").values_list("number", "author__email", "change_note")) == [
        (1, people["teacher2"].email, "Created"),
        (2, people["teacher"].email, "Warm-up timing fixed: the throwing pairs need 10 minutes, not 5"),
        (3, people["teacher2"].email, "Added a spirit-circle question"),
    ]
    assert "**(10 min)** Throwing pairs" in ultimate.body
    assert ultimate.versions.get(number=1).snapshot["body"].count("**(5 min)** Throwing pairs") == 1
    pickleball = items["Pickleball: dinking and the kitchen rule"]
    assert pickleball.status == "published" and pickleball.published_at is not None
    assert pickleball.versions.get(number=1).snapshot["status"] == "draft"
    assert pickleball.versions.get(number=2).author == people["head"]

    # categories: a tree with correct paths and depths
    volleyball = Category.objects.get(school=school, name="Volleyball")
    assert volleyball.parent.name == "Net/wall games" and volleyball.depth == 1
    assert volleyball.path == f"/{volleyball.parent_id}/{volleyball.pk}/"
    assert items["Volleyball underhand serve checklist"].category == volleyball

    # shares: the whole school for published non-private items, colleagues, the student's class
    school_shared = set(
        ContentShare.objects.filter(item__school=school, audience=ShareAudience.SCHOOL).values_list(
            "item__title", flat=True
        )
    )
    assert school_shared == {s["title"] for s in specs if s["status"] == "published" and not s.get("private")}
    assert can_edit(people["teacher"], items["Weight room safety procedures"])
    assert not can_edit(people["teacher"], items["Volleyball: 4 vs 4 games with the three-touch rule"])
    class_shared = set(
        ContentShare.objects.filter(
            item__school=school, audience=ShareAudience.PE_CLASS, pe_class=pe_class
        ).values_list("item__title", flat=True)
    )
    assert "Heart-rate zones explained" in class_shared and len(class_shared) >= 3
    student_sees = set(ContentItem.objects.visible_to(people["student"]).values_list("title", flat=True))
    assert student_sees == {s["title"] for s in specs if s.get("share_class") and s["status"] == "published"}
    reporting = items["End-of-term reporting guide for PE staff"]
    assert reporting.status == "draft" and not reporting.shares.exists()
    assert set(ContentItem.objects.visible_to(people["teacher"]).filter(pk=reporting.pk)) == {reporting}

    # comments with resolved @mentions
    comments = ContentComment.objects.filter(item__school=school)
    assert comments.count() == sum(len(s.get("comments", ())) for s in specs) >= 5
    first = comments.filter(item=items["Volleyball: forearm pass and underhand serve"]).order_by("pk").first()
    assert first.author == people["teacher2"] and f"@{people['teacher'].email}" in first.body
    assert list(first.mentions.all()) == [people["teacher"]]
    assert all(c.mentions.exists() for c in comments)

    # views for "recently viewed" / "popular", never by the owner
    views = ContentView.objects.filter(item__school=school)
    assert views.count() >= 10 and not views.filter(user_id=F("item__owner_id")).exists()
    popular = views.order_by("-view_count", "pk").first()
    assert popular.view_count == 9 and popular.item.status == "published"

    # a lesson plan scheduled into the upcoming session of a class its owner teaches
    schedule = LessonSchedule.objects.get(item__school=school)
    assert schedule.session == session
    assert schedule.item.title == "Heart-rate zones lab" and schedule.version_number == schedule.item.version
    assert schedule.scheduled_by == people["teacher2"]


@pytest.mark.django_db
def test_seed_twice_adds_nothing_and_scale_changes_nothing(demo_school, school):
    demo_items.seed({"schools": {school.slug: school}, "scale": 1})
    before = _counts(school)
    assert before["items"] >= 32 and before["shares"] > 0 and before["schedules"] == 1
    demo_items.seed({"schools": {school.slug: school}, "scale": 3})
    assert _counts(school) == before


@pytest.mark.django_db
def test_seed_without_demo_staff_or_library_does_not_break(school):
    """No demo logins: nothing; two of the three logins and no shipped library: the items anyway."""
    demo_items.seed({"schools": {school.slug: school}})
    assert not ContentItem.objects.filter(school=school).exists()
    make_member(school, Role.TEACHER, email=f"teacher@{school.slug}.demo")
    make_member(school, Role.DEPARTMENT_HEAD, email=f"head@{school.slug}.demo")
    demo_items.seed({"schools": {school.slug: school}})
    assert ContentItem.objects.filter(school=school).count() == len(demo_items.load_items())
