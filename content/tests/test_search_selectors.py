"""Search selector: ranking on both backends, every filter, exact facet counts, who sees what."""

import pytest
from django.db import connection

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentShare, ContentStatus, ShareAudience
from content.selectors.search import SearchParams, search, snippet, terms_of
from content.tests.factories import CategoryFactory, ContentItemFactory
from physed.tests.factories import EnrollmentFactory, PEClassFactory, StudentFactory
from physed.tests.factories_library import PEStandardFactory

pytestmark = pytest.mark.django_db


def titles(user, **params):
    return [item.title for item in search(user, SearchParams(**params), facets=False).items]


def _ranked_trio(school, teacher):
    ContentItemFactory(
        school=school, owner=teacher, title="Body match", summary="Warm-up games.", body="Finish with a frisbee relay."
    )
    ContentItemFactory(
        school=school, owner=teacher, title="Summary match", summary="Frisbee throwing basics.", body="Stations."
    )
    ContentItemFactory(school=school, owner=teacher, title="Frisbee golf", summary="Target games.", body="Course.")
    ContentItemFactory(school=school, owner=teacher, title="Unrelated", summary="Tag games.", body="Chase.")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_fallback_ranks_title_above_summary_above_body(school, teacher):
    _ranked_trio(school, teacher)
    result = search(teacher, SearchParams(q="frisbee"), facets=False)
    rows = [(item.title, item.rank) for item in result.items]
    assert rows == [("Frisbee golf", 3.0), ("Summary match", 2.0), ("Body match", 1.0)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_postgres_ranks_title_above_summary_above_body(school, teacher):
    _ranked_trio(school, teacher)
    result = search(teacher, SearchParams(q="frisbee"), facets=False)
    rows = list(result.items)
    assert [item.title for item in rows] == ["Frisbee golf", "Summary match", "Body match"]
    assert rows[0].rank > rows[1].rank > rows[2].rank > 0


def test_every_word_must_match_and_ties_go_newest_first(school, teacher):
    first = ContentItemFactory(school=school, owner=teacher, title="Volleyball serve", summary="", body="")
    second = ContentItemFactory(school=school, owner=teacher, title="Volleyball serve drills", summary="", body="")
    ContentItemFactory(school=school, owner=teacher, title="Volleyball set", summary="", body="")
    type(first).objects.filter(pk=first.pk).update(updated_at=second.updated_at.replace(year=2020))
    assert titles(teacher, q="volleyball serve") == ["Volleyball serve drills", "Volleyball serve"]
    assert terms_of('"Volleyball" serve -x or Serve') == ["volleyball", "serve", "x"]


def test_filters(school, teacher, other_teacher):
    colleague = make_member(school, Role.TEACHER)
    root = CategoryFactory(school=school, name="Net games")
    child = CategoryFactory(school=school, parent=root, name="Volleyball")
    other_root = CategoryFactory(school=school, name="Dance")
    standard = PEStandardFactory()
    low = ContentItemFactory(
        school=school,
        owner=teacher,
        title="K-2",
        grade_min=0,
        grade_max=2,
        category=root,
        tags=["throwing"],
        kind="handout",
        language="es",
    )
    mid = ContentItemFactory(
        school=school,
        owner=teacher,
        title="3-5",
        grade_min=3,
        grade_max=5,
        category=child,
        tags=["throwing", "volleyball"],
    )
    mid.standards.add(standard)
    ContentItemFactory(school=school, owner=teacher, title="9-12", grade_min=9, grade_max=12, category=other_root)
    shared = ContentItemFactory(school=school, owner=colleague, title="Colleague's", grade_min=6, grade_max=8)
    ContentShare.objects.create(item=shared, audience=ShareAudience.SCHOOL)
    ContentItemFactory(school=school, owner=teacher, title="Old", status=ContentStatus.ARCHIVED)
    ContentItemFactory(school=other_school_item_school(other_teacher), owner=other_teacher, title="Elsewhere")

    assert sorted(titles(teacher)) == sorted(["K-2", "3-5", "9-12", "Colleague's"])  # archived and other school out
    assert titles(teacher, grade=4) == ["3-5"]
    assert titles(teacher, grade=0) == ["K-2"]
    assert sorted(titles(teacher, grade_band="prek_2")) == ["K-2"]
    assert sorted(titles(teacher, grade_band="6_8")) == ["Colleague's"]
    assert sorted(titles(teacher, category=root)) == ["3-5", "K-2"]  # the subtree
    assert titles(teacher, category=child) == ["3-5"]
    assert sorted(titles(teacher, tags=["throwing"])) == ["3-5", "K-2"]
    assert titles(teacher, tags=["throwing", "volleyball"]) == ["3-5"]
    assert titles(teacher, standard=standard.pk) == ["3-5"]
    assert titles(teacher, shared=True) == ["Colleague's"]
    assert "Colleague's" not in titles(teacher, owner="me")
    assert titles(teacher, owner=str(colleague.pk)) == ["Colleague's"]
    assert titles(teacher, kind="handout") == ["K-2"] == titles(teacher, language="es")
    assert titles(teacher, status="archived") == ["Old"]
    assert low.pk != mid.pk


def other_school_item_school(user):
    return user.memberships.first().school


def test_facet_counts_are_exact(school, teacher):
    root = CategoryFactory(school=school, name="Net games")
    child = CategoryFactory(school=school, parent=root, name="Volleyball")
    standard = PEStandardFactory(short_name="Motor skills")
    a = ContentItemFactory(
        school=school,
        owner=teacher,
        title="Serve A",
        kind="handout",
        category=root,
        tags=["serve", "volleyball"],
        grade_min=3,
        grade_max=7,
    )
    b = ContentItemFactory(
        school=school,
        owner=teacher,
        title="Serve B",
        kind="handout",
        category=child,
        tags=["serve"],
        grade_min=0,
        grade_max=2,
        status=ContentStatus.PUBLISHED,
    )
    ContentItemFactory(
        school=school, owner=teacher, title="Serve C", kind="unit", tags=["serve"], grade_min=9, grade_max=12
    )
    ContentItemFactory(school=school, owner=teacher, title="Dance", kind="unit", tags=["dance"])
    a.standards.add(standard)
    b.standards.add(standard)
    facets = search(teacher, SearchParams(q="serve")).facets
    assert facets["kind"] == [{"value": "handout", "count": 2}, {"value": "unit", "count": 1}]
    assert facets["status"] == [{"value": "draft", "count": 2}, {"value": "published", "count": 1}]
    assert facets["grade_band"] == [
        {"value": "prek_2", "count": 1},
        {"value": "3_5", "count": 1},
        {"value": "6_8", "count": 1},
        {"value": "9_12", "count": 1},
    ]
    assert facets["category"] == [{"id": root.pk, "name": "Net games", "count": 2}]
    assert facets["tag"] == [{"name": "serve", "count": 3}, {"name": "volleyball", "count": 1}]
    assert facets["standard"] == [{"id": standard.pk, "name": f"{standard.number}. Motor skills", "count": 2}]
    assert facets["owner"] == [{"id": teacher.pk, "name": teacher.get_full_name() or teacher.email, "count": 3}]
    assert facets["language"] == [{"value": "en", "count": 3}]


def test_students_see_only_published_items_shared_with_their_class(school, teacher):
    pe_class = PEClassFactory(school=school)
    pupil_user = make_member(school, Role.STUDENT)
    EnrollmentFactory(pe_class=pe_class, student=StudentFactory(school=school, user=pupil_user))
    published = ContentItemFactory(school=school, owner=teacher, title="Published", status=ContentStatus.PUBLISHED)
    draft = ContentItemFactory(school=school, owner=teacher, title="Draft")
    ContentItemFactory(school=school, owner=teacher, title="Not shared", status=ContentStatus.PUBLISHED)
    school_wide = ContentItemFactory(school=school, owner=teacher, title="Staff only", status=ContentStatus.PUBLISHED)
    for item in (published, draft):
        ContentShare.objects.create(item=item, audience=ShareAudience.PE_CLASS, pe_class=pe_class)
    ContentShare.objects.create(item=school_wide, audience=ShareAudience.SCHOOL)
    assert titles(pupil_user) == ["Published"]
    assert titles(pupil_user, q="lesson") == [] or titles(pupil_user, q="striking") == ["Published"]


def test_snippet_is_plain_text_around_the_match(school, teacher):
    item = ContentItemFactory(
        school=school,
        owner=teacher,
        summary="",
        body="# Plan\n\n" + "word " * 80 + "**frisbee** & relay " + "more " * 80,
    )
    text = snippet(item, ["frisbee"])
    assert "frisbee & relay" in text and "<" not in text and "**" not in text and "&amp;" not in text
    assert text.startswith("… ") and text.endswith(" …")
    item.summary = "Frisbee basics"
    assert snippet(item, ["frisbee"]) == "Frisbee basics"
