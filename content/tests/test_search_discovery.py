"""Discovery: related items (order, scores, reasons), recently viewed, popular in my school."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentShare, ShareAudience
from content.selectors.discovery import popular_items, recently_viewed, related_items
from content.services.views import record_view
from content.tests.factories import CategoryFactory, ContentItemFactory, ContentViewFactory
from physed.tests.factories_library import ActivityFactory, PEStandardFactory

pytestmark = pytest.mark.django_db


def test_related_order_scores_and_reasons(school, teacher, other_teacher):
    category = CategoryFactory(school=school, name="Net games")
    standard = PEStandardFactory(number=101)
    activity = ActivityFactory(school=school, name="Four square")
    item = ContentItemFactory(
        school=school, owner=teacher, title="Serve", category=category, tags=["volleyball", "serve", "net"]
    )
    item.standards.add(standard)
    item.activities.add(activity)
    two_tags = ContentItemFactory(school=school, owner=teacher, title="Two tags", tags=["volleyball", "serve"])
    activity_and_category = ContentItemFactory(school=school, owner=teacher, title="Activity", category=category)
    activity_and_category.activities.add(activity)
    standard_only = ContentItemFactory(school=school, owner=teacher, title="Standard")
    standard_only.standards.add(standard)
    ContentItemFactory(school=school, owner=teacher, title="Nothing shared", tags=["dance"])
    hidden = ContentItemFactory(
        school=school, owner=make_member(school, Role.TEACHER), title="Hidden", tags=["volleyball", "serve", "net"]
    )
    rows = related_items(teacher, item)
    # ties go to the newest: "Activity" was created after "Two tags"
    assert [(row.item.title, row.score) for row in rows] == [("Activity", 4), ("Two tags", 4), ("Standard", 2)]
    by_title = {row.item.title: row for row in rows}
    assert by_title["Two tags"].reasons == ["2 shared tags: serve, volleyball"]
    assert by_title["Activity"].reasons == ["1 shared activity: Four square", "Same category: Net games"]
    assert by_title["Standard"].reasons == ["1 shared standard: 101"]
    assert hidden.pk not in [row.item.pk for row in rows] and two_tags.pk != item.pk
    assert [row.item.title for row in related_items(teacher, item, limit=1)] == ["Activity"]
    assert related_items(other_teacher, item) == []


def test_recently_viewed_newest_first_and_only_still_visible(school, teacher):
    colleague = make_member(school, Role.TEACHER)
    mine = ContentItemFactory(school=school, owner=teacher, title="Mine")
    shared = ContentItemFactory(school=school, owner=colleague, title="Shared")
    share = ContentShare.objects.create(item=shared, audience=ShareAudience.SCHOOL)
    now = timezone.now()
    ContentViewFactory(item=mine, user=teacher, last_viewed_at=now - datetime.timedelta(hours=2))
    ContentViewFactory(item=shared, user=teacher, last_viewed_at=now - datetime.timedelta(hours=1))
    assert [view.item.title for view in recently_viewed(teacher)] == ["Shared", "Mine"]
    record_view(teacher, mine)
    assert [view.item.title for view in recently_viewed(teacher)] == ["Mine", "Shared"]
    assert recently_viewed(teacher)[0].view_count == 2
    share.delete()
    assert [view.item.title for view in recently_viewed(teacher)] == ["Mine"]


def test_popular_by_recent_viewers_then_total_views(school, teacher):
    viewers = [make_member(school, Role.TEACHER) for _ in range(3)]
    now = timezone.now()
    old = now - datetime.timedelta(days=40)
    a = ContentItemFactory(school=school, owner=teacher, title="Two viewers")
    b = ContentItemFactory(school=school, owner=teacher, title="One viewer, many views")
    c = ContentItemFactory(school=school, owner=teacher, title="One viewer")
    d = ContentItemFactory(school=school, owner=teacher, title="Only old views")
    ContentItemFactory(school=school, owner=teacher, title="Never viewed")
    ContentViewFactory(item=a, user=viewers[0], last_viewed_at=now)
    ContentViewFactory(item=a, user=viewers[1], last_viewed_at=now)
    ContentViewFactory(item=a, user=viewers[2], last_viewed_at=old)
    ContentViewFactory(item=b, user=viewers[0], last_viewed_at=now, view_count=9)
    ContentViewFactory(item=c, user=viewers[1], last_viewed_at=now, view_count=2)
    ContentViewFactory(item=d, user=viewers[0], last_viewed_at=old, view_count=50)
    rows = popular_items(teacher, limit=10)
    assert [(row.title, row.recent_viewers, row.total_views) for row in rows] == [
        ("Two viewers", 2, 3),
        ("One viewer, many views", 1, 9),
        ("One viewer", 1, 2),
    ]
    assert popular_items(viewers[0]) == []  # viewers[0] sees none of these (not shared)
