"""Sharing, comment and copy pages: the permission matrix (anonymous → login, other school → 404,
same school without rights → 403) and the flows with their effects."""

import pytest

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentComment, ContentItem, ContentItemUserObjectPermission, ContentShare
from content.selectors.access import can_view
from content.services.comments import add_comment
from content.services.sharing import share
from content.tests.factories import ContentItemFactory
from physed.tests.factories import PEClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(school, teacher):
    return ContentItemFactory(school=school, owner=teacher, title="Hula hoops")


def _urls(item, comment):
    return [
        f"/content/items/{item.pk}/sharing/",
        f"/content/items/{item.pk}/sharing/school/0/remove/",
        f"/content/items/{item.pk}/comments/",
        f"/content/comments/{comment.pk}/delete/",
        f"/content/items/{item.pk}/fork/",
    ]


def test_permission_matrix(client, item, teacher, school, other_teacher):
    comment = add_comment(actor=teacher, item=item, body="note")
    share(actor=teacher, item=item, audience="school")
    for url in _urls(item, comment):
        assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(other_teacher)
    for url in _urls(item, comment):
        assert client.get(url).status_code == 404, url
    colleague = make_member(school, Role.TEACHER)  # sees it through the school share
    client.force_login(colleague)
    statuses = [client.get(url).status_code for url in _urls(item, comment)]
    assert statuses == [403, 403, 200, 403, 200]
    client.force_login(teacher)
    assert [client.get(url).status_code for url in _urls(item, comment)] == [200, 200, 200, 200, 200]


def test_share_page_lists_adds_and_removes(client, item, teacher, school):
    colleague = make_member(school, Role.TEACHER, first_name="Cara", last_name="Diaz")
    pe_class = PEClassFactory(school=school, name="Grade 4 PE")
    client.force_login(teacher)
    page = client.get(f"/content/items/{item.pk}/sharing/").content.decode()
    assert "Not shared yet" in page and "Cara Diaz" in page and "Grade 4 PE" in page

    response = client.post(
        f"/content/items/{item.pk}/sharing/", {"audience": "user", "user": colleague.pk, "access": "edit"}
    )
    assert response.status_code == 302
    client.post(f"/content/items/{item.pk}/sharing/", {"audience": "class", "pe_class": pe_class.pk, "access": "view"})
    page = client.get(f"/content/items/{item.pk}/sharing/").content.decode()
    assert "may edit" in page and f"/sharing/user/{colleague.pk}/remove/" in page
    assert f"/sharing/class/{pe_class.pk}/remove/" in page

    remove = f"/content/items/{item.pk}/sharing/user/{colleague.pk}/remove/"
    assert "Stop sharing" in client.get(remove).content.decode()
    assert client.post(remove, {}).status_code == 400  # no confirmation: nothing removed
    assert ContentItemUserObjectPermission.objects.filter(user=colleague).count() == 2
    assert client.post(remove, {"confirm": "on"}).status_code == 302
    assert not ContentItemUserObjectPermission.objects.filter(user=colleague).exists()
    assert client.get(f"/content/items/{item.pk}/sharing/school/0/remove/").status_code == 404  # not shared


def test_share_form_errors_change_nothing(client, item, teacher, other_teacher):
    client.force_login(teacher)
    response = client.post(f"/content/items/{item.pk}/sharing/", {"audience": "user", "access": "view"})
    assert response.status_code == 400 and "Choose the person to share with." in response.content.decode()
    response = client.post(
        f"/content/items/{item.pk}/sharing/", {"audience": "user", "user": other_teacher.pk, "access": "view"}
    )
    assert response.status_code == 400
    assert not ContentItemUserObjectPermission.objects.exists() and not ContentShare.objects.exists()


def test_comment_page_posts_and_reports_unnotified_mentions(client, item, teacher, school):
    client.force_login(teacher)
    response = client.post(f"/content/items/{item.pk}/comments/", {"body": "Ask @nobody <i>x</i>"}, follow=True)
    page = response.content.decode()
    assert "Not notified: @nobody cannot see this item." in page
    assert "Ask @nobody &lt;i&gt;x&lt;/i&gt;" in page
    comment = ContentComment.objects.get()
    assert response.redirect_chain[-1][0] == f"/content/items/{item.pk}/comments/#comment-{comment.pk}"
    response = client.post(f"/content/items/{item.pk}/comments/", {"body": "<script>x</script>"})
    assert response.status_code == 400 and "Scripts" in response.content.decode()
    response = client.post(f"/content/items/{item.pk}/comments/", {"body": "ok", "next": "https://evil.example/"})
    assert response["Location"].startswith(f"/content/items/{item.pk}/comments/#comment-")
    assert ContentComment.objects.count() == 2


def test_comment_delete_with_confirmation(client, item, teacher):
    comment = add_comment(actor=teacher, item=item, body="bye")
    client.force_login(teacher)
    url = f"/content/comments/{comment.pk}/delete/"
    assert "bye" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 400 and ContentComment.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not ContentComment.objects.exists()


def test_fork_page_copies_and_redirects(client, item, school, assistant):
    share(actor=item.owner, item=item, audience="school")
    client.force_login(assistant)
    assert client.get(f"/content/items/{item.pk}/fork/").status_code == 403  # may view, not create
    colleague = make_member(school, Role.TEACHER)
    client.force_login(colleague)
    assert "Hula hoops (copy)" in client.get(f"/content/items/{item.pk}/fork/").content.decode()
    response = client.post(f"/content/items/{item.pk}/fork/", {"title": ""})
    copy = ContentItem.objects.get(owner=colleague)
    assert response.status_code == 302 and response["Location"] == f"/content/items/{copy.pk}/"
    assert copy.title == "Hula hoops (copy)" and can_view(colleague, copy)


def test_admin_lists_every_sharing_model(client, item, teacher, school):
    from accounts.tests.factories import UserFactory

    share(actor=teacher, item=item, audience="school")
    share(actor=teacher, item=item, audience="user", user=make_member(school, Role.TEACHER))
    add_comment(actor=teacher, item=item, body="admin sees me")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in (
        "contentshare",
        "contentcomment",
        "contentview",
        "contentitemuserobjectpermission",
        "contentitemgroupobjectpermission",
    ):
        response = client.get(f"/admin/content/{model}/")
        assert response.status_code == 200, model
    assert "teacher@northside.test" in client.get("/admin/content/contentcomment/").content.decode()
    assert "Hula hoops" in client.get("/admin/content/contentshare/").content.decode()
