"""Content's personal-data entries: a teacher's items, versions, comments, mentions, views,
grants, attachments, shares, schedules and categories are exported, and erasure keeps the school's
materials while cutting or deleting the person's links."""

import json
import zipfile

import pytest
from django.core.files.base import ContentFile

from accounts.models import ErasureRequest, Role
from accounts.privacy import exporter, registry
from accounts.services.privacy import erase_subject
from accounts.tests.factories import make_member
from content.models import (
    Category,
    ContentAttachment,
    ContentComment,
    ContentItem,
    ContentItemUserObjectPermission,
    ContentShare,
    ContentVersion,
    ContentView,
    LessonSchedule,
)
from content.services.comments import add_comment
from content.services.items import create_item, update_item
from content.services.sharing import share
from content.services.views import record_view
from content.tests.factories import CategoryFactory, ContentItemFactory, LessonScheduleFactory

pytestmark = pytest.mark.django_db

LABELS = [
    "content.ContentItem",
    "content.ContentVersion",
    "content.ContentAttachment",
    "content.ContentShare",
    "content.LessonSchedule",
    "content.Category",
    "content.ContentComment",
    "content.ContentComment_mentions",
    "content.ContentView",
    "content.ContentItemUserObjectPermission",
]


@pytest.fixture
def world(school, teacher):
    """``subject`` owns one item, co-authors another, and touches everything else."""
    subject = make_member(school, Role.TEACHER, email="sam@northside.test")
    owned = create_item(actor=subject, school=school, title="Sam's unit")
    update_item(actor=subject, item=owned, base_version=1, body="v2")
    other = create_item(actor=teacher, school=school, title="Team plan", co_authors=[subject])
    attachment = ContentAttachment(
        item=owned, original_name="a.pdf", content_type="application/pdf", size=4, uploaded_by=subject
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF"), save=True)
    share(actor=subject, item=owned, audience="school")
    shared = ContentItemFactory(school=school, owner=teacher, title="Shared with Sam")
    share(actor=teacher, item=shared, audience="user", user=subject)
    add_comment(actor=subject, item=shared, body="Thanks!")
    add_comment(actor=teacher, item=shared, body="You're welcome @sam")
    record_view(subject, shared)
    LessonScheduleFactory(item=owned, scheduled_by=subject)
    CategoryFactory(school=school, created_by=subject)
    return {"subject": subject, "owned": owned, "other": other, "shared": shared}


def test_every_content_model_is_registered():
    labels = {entry.label for entry in registry.entries()}
    assert set(LABELS) <= labels


def test_export_holds_every_kind_of_row(world):
    archive, manifest = exporter.build_archive(world["subject"])
    with archive:
        zf = zipfile.ZipFile(archive)

        def rows(label):
            return json.loads(zf.read(f"data/{label.lower()}.json"))

        assert sorted(row["title"] for row in rows("content.ContentItem")) == ["Sam's unit", "Team plan"]
        assert "search_vector" not in rows("content.ContentItem")[0]
        assert [row["number"] for row in rows("content.ContentVersion")] == [1, 2]
        assert [row["original_name"] for row in rows("content.ContentAttachment")] == ["a.pdf"]
        assert [row["audience"] for row in rows("content.ContentShare")] == ["school"]
        assert len(rows("content.LessonSchedule")) == 1 and len(rows("content.Category")) == 1
        assert [row["body"] for row in rows("content.ContentComment")] == ["Thanks!"]
        assert len(rows("content.ContentComment_mentions")) == 1
        assert [row["view_count"] for row in rows("content.ContentView")] == [1]
        assert len(rows("content.ContentItemUserObjectPermission")) == 1
    assert {f["model"] for f in manifest["files"] if "model" in f} >= set(LABELS)


def test_erasure_keeps_the_schools_items_and_cuts_the_persons_links(world, school):
    subject = world["subject"]
    erasure = ErasureRequest.objects.create(school=school, subject=subject, requested_by=subject)
    ledger = {row.model: (row.action, row.rows) for row in erase_subject(erasure=erasure)}
    assert ledger["content.ContentItem"] == (registry.ANONYMIZED, 2)
    assert ledger["content.ContentComment"] == (registry.DELETE, 1)
    assert ledger["content.ContentView"] == (registry.DELETE, 1)

    owned, other = ContentItem.objects.get(pk=world["owned"].pk), ContentItem.objects.get(pk=world["other"].pk)
    assert owned.owner is None and owned.body == "v2"  # the school keeps the item
    assert list(other.co_authors.all()) == []
    assert not ContentVersion.objects.filter(author=subject).exists()
    assert ContentVersion.objects.filter(item=owned).count() == 2
    assert ContentAttachment.objects.get().uploaded_by is None
    assert ContentShare.objects.get().shared_by is None
    assert LessonSchedule.objects.get().scheduled_by is None
    assert Category.objects.get().created_by is None
    assert list(ContentComment.objects.values_list("body", flat=True)) == ["You're welcome @sam"]
    assert not ContentComment.mentions.through.objects.filter(user=subject).exists()
    assert not ContentView.objects.filter(user=subject).exists()
    assert not ContentItemUserObjectPermission.objects.filter(user=subject).exists()
