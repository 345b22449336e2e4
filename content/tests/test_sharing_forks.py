"""Fork: the copy carries the content, tags, relations and attachments, not the shares or
comments; it is the actor's draft, version 1 noting its source."""

import pytest
from django.core.files.base import ContentFile

from accounts.models import AuditEvent, Role
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from content.models import ContentAttachment, ContentItem, ContentStatus
from content.services.comments import add_comment
from content.services.forks import fork_item
from content.services.items import create_item
from content.services.sharing import share
from physed.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _attach(item, name="plan.pdf", data=b"%PDF-1.4 warm-up"):
    attachment = ContentAttachment(
        item=item, original_name=name, content_type="application/pdf", size=len(data), uploaded_by=item.owner
    )
    attachment.file.save(name, ContentFile(data), save=True)
    return attachment


def test_fork_copies_content_tags_relations_and_files_but_not_shares(school, teacher):
    activity = ActivityFactory(school=school)
    original = create_item(
        actor=teacher,
        school=school,
        title="Parachute games",
        body="Mushroom lift.",
        tags=["cooperation", "k-2"],
        activities=[activity],
        status=ContentStatus.PUBLISHED,
        grade_min=0,
        grade_max=2,
    )
    _attach(original)
    colleague = make_member(school, Role.TEACHER)
    share(actor=teacher, item=original, audience="user", user=colleague)
    share(actor=teacher, item=original, audience="school")
    add_comment(actor=colleague, item=original, body="Lovely")

    copy = fork_item(actor=colleague, item=original)
    assert copy.pk != original.pk and copy.owner == colleague and copy.forked_from == original
    assert copy.title == "Parachute games (copy)" and copy.status == ContentStatus.DRAFT
    assert (copy.body, copy.grade_min, copy.grade_max) == ("Mushroom lift.", 0, 2)
    assert sorted(t.name for t in copy.tags.all()) == ["cooperation", "k-2"]
    assert list(copy.activities.all()) == [activity]
    version = copy.versions.get()
    assert version.number == 1 and version.change_note == "Copied from Parachute games v1"
    (attachment,) = copy.attachments.all()
    assert attachment.original_name == "plan.pdf" and attachment.uploaded_by == colleague
    assert attachment.file.name != original.attachments.get().file.name
    with attachment.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 warm-up"
    assert not copy.shares.exists() and not copy.comments.exists()
    assert copy.contentitemuserobjectpermission_set.count() == 0
    assert AuditEvent.objects.get(action="content.item_forked").changes["forked_from"] == original.pk


def test_fork_needs_view_and_create_rights(school, teacher, assistant, other_school):
    original = create_item(actor=teacher, school=school, title="Tumbling")
    stranger = make_member(school, Role.TEACHER)
    with pytest.raises(ServiceError) as raised:
        fork_item(actor=stranger, item=original)
    assert raised.value.status == 403
    share(actor=teacher, item=original, audience="school")
    with pytest.raises(ServiceError) as raised:
        fork_item(actor=assistant, item=original)  # may view, may not create
    assert raised.value.status == 403
    with pytest.raises(ServiceError) as raised:
        fork_item(actor=stranger, item=original, school=other_school)
    assert raised.value.status == 400
    assert ContentItem.objects.count() == 1
    assert fork_item(actor=stranger, item=original, title="My tumbling").title == "My tumbling"
