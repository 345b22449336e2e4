"""Comments: @mentions resolved only among viewers and notified, the owner told, bad input
refused with nothing written, escaped rendering with highlighted mentions, deletion rights."""

import pytest

from accounts.models import Notification, Role
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from content.models import ContentComment
from content.selectors.sharing import comments_for
from content.services.comments import add_comment, delete_comment, mention_handles
from content.services.sharing import share
from content.tests.factories import ContentItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(school, teacher):
    return ContentItemFactory(school=school, owner=teacher, title="Juggling")


def test_mention_handles_take_emails_and_local_parts():
    body = "Thanks @ana.lopez@northside.test and @bo. Mail me at x@y.org, cc @ana.lopez@northside.test"
    assert mention_handles(body) == ["ana.lopez@northside.test", "bo"]


def test_mentions_notify_viewers_only_and_report_the_rest(item, teacher, school, other_teacher):
    ana = make_member(school, Role.TEACHER, email="ana.lopez@northside.test")
    bo = make_member(school, Role.TEACHER, email="bo@northside.test")  # cannot see the item
    share(actor=teacher, item=item, audience="user", user=ana)
    Notification.objects.all().delete()

    comment = add_comment(
        actor=ana,
        item=item,
        body="Great plan @teacher and @bo, see @teacher@southside.test and @ana.lopez@northside.test",
    )
    assert set(comment.mentions.values_list("pk", flat=True)) == {teacher.pk, ana.pk}
    assert comment.not_notified == ["bo", "teacher@southside.test"]
    notes = list(Notification.objects.values_list("user", "kind"))
    assert notes == [(teacher.pk, "content.mentioned")]  # the owner is told once; no self-notice
    assert not Notification.objects.filter(user__in=[bo, other_teacher]).exists()


def test_owner_is_told_of_comments_but_not_of_their_own(item, teacher, school):
    head = make_member(school, Role.DEPARTMENT_HEAD)
    add_comment(actor=head, item=item, body="Please add a cool-down.")
    note = Notification.objects.get()
    assert note.user == teacher and note.kind == "content.commented"
    assert note.body == "Please add a cool-down." and note.url == f"/content/items/{item.pk}/comments/"
    add_comment(actor=teacher, item=item, body="Done.")
    assert Notification.objects.count() == 1


def test_bad_comments_are_refused_and_nothing_is_written(item, teacher, school):
    for body, code in (("   ", "required"), ("x" * 5001, "too_long"), ("<script>alert(1)</script>", "unsafe_markup")):
        with pytest.raises(ServiceError) as raised:
            add_comment(actor=teacher, item=item, body=body)
        assert raised.value.status == 400 and raised.value.code == code and raised.value.field == "body"
    stranger = make_member(school, Role.TEACHER)
    with pytest.raises(ServiceError) as raised:
        add_comment(actor=stranger, item=item, body="hi")
    assert raised.value.status == 403
    assert not ContentComment.objects.exists() and not Notification.objects.exists()


def test_rendering_escapes_everything_and_highlights_mentions(item, teacher, school):
    ana = make_member(school, Role.DEPARTMENT_HEAD, email="ana@northside.test")
    add_comment(actor=teacher, item=item, body="<b>bold</b> & @ana\nline two @nobody")
    (comment,) = comments_for(teacher, item)
    assert comment.html == (
        '<p>&lt;b&gt;bold&lt;/b&gt; &amp; <mark class="mention">@ana</mark><br>line two @nobody</p>'
    )
    assert comment.can_delete is True
    assert comments_for(ana, item)[0].can_delete is True  # manager


def test_delete_own_or_as_manager_only(item, teacher, school):
    colleague = make_member(school, Role.TEACHER)
    share(actor=teacher, item=item, audience="school")
    mine = add_comment(actor=colleague, item=item, body="mine")
    owners = add_comment(actor=teacher, item=item, body="owner's")
    assert [c.can_delete for c in comments_for(colleague, item)] == [True, False]
    with pytest.raises(ServiceError) as raised:
        delete_comment(actor=colleague, comment=owners)
    assert raised.value.status == 403
    delete_comment(actor=colleague, comment=mine)
    delete_comment(actor=teacher, comment=add_comment(actor=colleague, item=item, body="again"))
    assert list(ContentComment.objects.values_list("body", flat=True)) == ["owner's"]
