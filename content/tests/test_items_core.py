"""The core write path and the visibility rule: versions on every save, 409 on a stale edit with
what changed, restore as a new version, unsafe Markdown refused, who sees what."""

import pytest

from accounts.models import Role
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from content.models import ContentItem, ContentShare, ContentStatus, ContentVersion, ShareAudience
from content.selectors.access import can_edit, can_manage, can_view
from content.services.common import ConflictError
from content.services.items import create_item, restore_version, update_item
from content.tests.factories import ContentItemFactory
from physed.models import Enrollment
from physed.tests.factories import EnrollmentFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_create_writes_version_one_with_a_snapshot(school, teacher):
    item = create_item(
        actor=teacher,
        school=school,
        title="  Throwing and catching ",
        body="Overhand throw.",
        tags=["Throwing", "throwing ", "K-2"],
    )
    assert item.version == 1 and item.owner == teacher and item.title == "Throwing and catching"
    version = item.versions.get()
    assert version.number == 1 and version.author == teacher
    assert version.snapshot["tags"] == ["k-2", "throwing"]
    assert version.snapshot["body"] == "Overhand throw."


def test_every_save_adds_a_version_and_a_stale_edit_is_409_with_the_changes(school, teacher):
    item = create_item(actor=teacher, school=school, title="Volleyball serve", body="Line 1\nLine 2")
    update_item(actor=teacher, item=item, base_version=1, body="Line 1\nLine 2 changed", change_note="fix")
    item.refresh_from_db()
    assert item.version == 2
    assert list(item.versions.values_list("number", "change_note")) == [(2, "fix"), (1, "Created")]

    with pytest.raises(ConflictError) as raised:
        update_item(actor=teacher, item=item, base_version=1, title="Overwrite")
    assert raised.value.status == 409
    extra = raised.value.extra
    assert extra["current_version"] == 2 and extra["your_version"] == 1
    (change,) = extra["changes"]
    assert change["field"] == "body" and change["kind"] == "text"
    assert {"op": "delete", "text": "Line 2"} in change["lines"]
    assert {"op": "insert", "text": "Line 2 changed"} in change["lines"]
    item.refresh_from_db()
    assert item.title == "Volleyball serve" and item.version == 2


def test_saving_without_changes_adds_no_version(school, teacher):
    item = create_item(actor=teacher, school=school, title="Same")
    update_item(actor=teacher, item=item, base_version=1, title="Same")
    assert ContentVersion.objects.filter(item=item).count() == 1


def test_restore_makes_a_new_version_with_the_old_content(school, teacher):
    item = create_item(actor=teacher, school=school, title="First title", tags=["a"])
    update_item(actor=teacher, item=item, base_version=1, title="Second title", tags=["b"])
    restored = restore_version(actor=teacher, item=item, number=1)
    assert restored.version == 3 and restored.title == "First title"
    assert [t.name for t in restored.tags.all()] == ["a"]
    assert restored.versions.get(number=3).restored_from == 1


def test_script_in_markdown_and_oversized_body_are_refused(school, teacher, settings):
    with pytest.raises(ServiceError) as raised:
        create_item(actor=teacher, school=school, title="x", body="hi <script>alert(1)</script>")
    assert raised.value.field == "body" and raised.value.code == "unsafe_markup"
    settings.CONTENT_MAX_BODY_CHARS = 10
    with pytest.raises(ServiceError) as raised:
        create_item(actor=teacher, school=school, title="x", body="x" * 11)
    assert raised.value.code == "too_long"
    assert ContentItem.objects.count() == 0


def test_visibility_owner_share_school_class_and_students(school, teacher, other_teacher):
    colleague = make_member(school, Role.TEACHER)
    head = make_member(school, Role.DEPARTMENT_HEAD)
    item = ContentItemFactory(school=school, owner=teacher, status=ContentStatus.DRAFT)
    assert can_view(teacher, item) and can_edit(teacher, item) and can_manage(teacher, item)
    assert not can_view(colleague, item) and not can_view(other_teacher, item)
    assert can_view(head, item) and can_manage(head, item)

    ContentShare.objects.create(item=item, audience=ShareAudience.SCHOOL)
    assert can_view(colleague, item) and not can_edit(colleague, item)

    pe_class = PEClassFactory(school=school)
    pupil_user = make_member(school, Role.STUDENT)
    pupil = StudentFactory(school=school, user=pupil_user)
    EnrollmentFactory(pe_class=pe_class, student=pupil)
    ContentShare.objects.create(item=item, audience=ShareAudience.PE_CLASS, pe_class=pe_class)
    assert not can_view(pupil_user, item)  # draft
    item.status = ContentStatus.PUBLISHED
    item.save()
    assert can_view(pupil_user, item)
    Enrollment.objects.filter(student=pupil).update(status="withdrawn")
    assert not can_view(pupil_user, item)
    assert list(ContentItem.objects.visible_to(other_teacher)) == []
