"""Sharing services: who gains and loses access, idempotence, outsiders refused, audit and
notifications, and the merged share list."""

import pytest

from accounts.models import AuditEvent, Notification, Role
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from content.models import ContentItemUserObjectPermission, ContentShare, ContentStatus
from content.selectors.access import can_edit, can_manage, can_view
from content.selectors.sharing import shares_of
from content.services.items import update_item
from content.services.sharing import share, unshare
from content.tests.factories import ContentItemFactory
from physed.tests.factories import EnrollmentFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(school, teacher):
    return ContentItemFactory(school=school, owner=teacher, title="Relay races", status=ContentStatus.DRAFT)


def _pupil(school, pe_class):
    user = make_member(school, Role.STUDENT)
    EnrollmentFactory(pe_class=pe_class, student=StudentFactory(school=school, user=user))
    return user


def test_view_share_with_a_colleague_lets_them_see_but_not_edit(item, teacher, school):
    colleague = make_member(school, Role.TEACHER, first_name="Ana", last_name="Lopez")
    assert not can_view(colleague, item)
    result = share(actor=teacher, item=item, audience="user", user=colleague)
    assert result == {
        "audience": "user",
        "target_id": colleague.pk,
        "target_label": "Ana Lopez",
        "can_edit": False,
        "created": True,
    }
    assert can_view(colleague, item) and not can_edit(colleague, item) and not can_manage(colleague, item)
    with pytest.raises(ServiceError) as raised:
        update_item(actor=colleague, item=item, base_version=1, title="Mine now")
    assert raised.value.status == 403
    note = Notification.objects.get(user=colleague)
    assert note.kind == "content.item_shared" and "Relay races" in note.title
    assert note.url == f"/content/items/{item.pk}/"
    event = AuditEvent.objects.filter(action="content.item_shared").get()
    assert event.changes == {"audience": "user", "target": colleague.pk, "can_edit": False}


def test_edit_share_allows_update_and_sharing_again_changes_rights(item, teacher, school):
    colleague = make_member(school, Role.TEACHER)
    share(actor=teacher, item=item, audience="user", user=colleague, can_edit=True)
    assert sorted(
        ContentItemUserObjectPermission.objects.filter(user=colleague).values_list("permission__codename", flat=True)
    ) == ["change_contentitem", "view_contentitem"]
    updated = update_item(actor=colleague, item=item, base_version=1, title="Relay races v2")
    assert updated.title == "Relay races v2" and updated.version == 2

    again = share(actor=teacher, item=item, audience="user", user=colleague, can_edit=False)
    assert again["created"] is False and again["can_edit"] is False
    assert list(
        ContentItemUserObjectPermission.objects.filter(user=colleague).values_list("permission__codename", flat=True)
    ) == ["view_contentitem"]
    assert can_view(colleague, item) and not can_edit(colleague, item)
    assert Notification.objects.filter(user=colleague).count() == 2  # granted, then rights changed


def test_school_share_reaches_all_staff_but_not_students(item, teacher, school, assistant, student):
    colleague = make_member(school, Role.TEACHER)
    result = share(actor=teacher, item=item, audience="school", can_edit=False)
    assert result["target_id"] == 0 and result["target_label"] == "Northside Middle School"
    assert can_view(colleague, item) and can_view(assistant, item) and not can_edit(colleague, item)
    assert not can_view(student, item)
    share(actor=teacher, item=item, audience="school", can_edit=True)
    assert ContentShare.objects.filter(item=item).count() == 1 and can_edit(colleague, item)


def test_class_share_teachers_and_enrolled_students_once_published(item, teacher, school):
    class_teacher = make_member(school, Role.TEACHER)
    bystander = make_member(school, Role.TEACHER)
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(class_teacher)
    other_class = PEClassFactory(school=school)
    pupil, outsider_pupil = _pupil(school, pe_class), _pupil(school, other_class)

    share(actor=teacher, item=item, audience="class", pe_class=pe_class)
    assert can_view(class_teacher, item) and not can_view(bystander, item)
    assert not can_view(pupil, item)  # still a draft
    update_item(actor=teacher, item=item, base_version=1, status=ContentStatus.PUBLISHED)
    assert can_view(pupil, item) and not can_edit(pupil, item)
    assert not can_view(outsider_pupil, item)
    assert list(Notification.objects.filter(kind="content.item_shared").values_list("user", flat=True)) == [
        class_teacher.pk
    ]


def test_sharing_with_outsiders_or_another_schools_class_is_400_and_changes_nothing(
    item, teacher, other_teacher, other_school, school, guardian
):
    for user in (other_teacher, guardian):
        with pytest.raises(ServiceError) as raised:
            share(actor=teacher, item=item, audience="user", user=user)
        assert raised.value.status == 400 and raised.value.field == "user"
        assert raised.value.message == "This person is not in this school."
    with pytest.raises(ServiceError) as raised:
        share(actor=teacher, item=item, audience="class", pe_class=PEClassFactory(school=other_school))
    assert raised.value.field == "pe_class"
    with pytest.raises(ServiceError) as raised:
        share(actor=teacher, item=item, audience="everyone")
    assert raised.value.field == "audience"
    assert not ContentItemUserObjectPermission.objects.exists() and not ContentShare.objects.exists()
    assert not AuditEvent.objects.filter(action="content.item_shared").exists()
    assert not can_view(other_teacher, item)


def test_students_can_view_but_not_edit_and_only_managers_share(item, teacher, school, student):
    with pytest.raises(ServiceError) as raised:
        share(actor=teacher, item=item, audience="user", user=student, can_edit=True)
    assert raised.value.field == "can_edit"
    colleague = make_member(school, Role.TEACHER)
    with pytest.raises(ServiceError) as raised:
        share(actor=colleague, item=item, audience="school")
    assert raised.value.status == 403
    share(actor=teacher, item=item, audience="user", user=student)
    assert not can_view(student, item)  # students see published items only
    item.status = ContentStatus.PUBLISHED
    item.save()
    assert can_view(student, item)


def test_unshare_removes_access_and_reports_whether_anything_was_shared(item, teacher, school):
    colleague = make_member(school, Role.TEACHER)
    pe_class = PEClassFactory(school=school)
    share(actor=teacher, item=item, audience="user", user=colleague, can_edit=True)
    share(actor=teacher, item=item, audience="school")
    share(actor=teacher, item=item, audience="class", pe_class=pe_class)
    assert [(row["audience"], row["target_id"], row["can_edit"]) for row in shares_of(item)] == [
        ("user", colleague.pk, True),
        ("school", 0, False),
        ("class", pe_class.pk, False),
    ]
    assert unshare(actor=teacher, item=item, audience="user", user=colleague) is True
    assert not ContentItemUserObjectPermission.objects.filter(user=colleague).exists()
    assert can_view(colleague, item)  # still through the school share
    assert unshare(actor=teacher, item=item, audience="school") is True
    assert not can_view(colleague, item)
    assert unshare(actor=teacher, item=item, audience="class", pe_class=pe_class) is True
    assert unshare(actor=teacher, item=item, audience="school") is False
    assert shares_of(item) == []
    assert AuditEvent.objects.filter(action="content.item_unshared").count() == 3


def test_department_head_may_share_anothers_item(item, department_head, school):
    colleague = make_member(school, Role.ASSISTANT)
    share(actor=department_head, item=item, audience="user", user=colleague)
    row = shares_of(item)[0]
    assert row["target_id"] == colleague.pk and row["shared_by"] is None and row["created"] is None
    assert can_view(colleague, item)
