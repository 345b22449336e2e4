"""Sharing, comment and copy API: the permission matrix (401/404/403), values of every answer,
bad input in the error shape with nothing changed."""

import pytest

from accounts.models import Notification, Role
from accounts.tests.factories import make_member
from content.models import ContentComment, ContentItem, ContentItemUserObjectPermission, ContentShare
from content.services.comments import add_comment
from content.services.sharing import share
from content.tests.factories import ContentItemFactory
from physed.tests.factories import PEClassFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/content"


@pytest.fixture
def item(school, teacher):
    return ContentItemFactory(school=school, owner=teacher, title="Frisbee")


def test_permission_matrix(api_client, client_for, item, teacher, school, other_teacher):
    comment = add_comment(actor=teacher, item=item, body="note")
    calls = [
        ("get", f"{BASE}/items/{item.pk}/shares/", None),
        ("post", f"{BASE}/items/{item.pk}/shares/", {"audience": "school"}),
        ("post", f"{BASE}/items/{item.pk}/shares/remove/", {"audience": "school"}),
        ("get", f"{BASE}/items/{item.pk}/comments/", None),
        ("post", f"{BASE}/items/{item.pk}/comments/", {"body": "hi"}),
        ("delete", f"{BASE}/comments/{comment.pk}/", None),
        ("post", f"{BASE}/items/{item.pk}/fork/", {}),
    ]

    def statuses(client):
        return [getattr(client, method)(url, data, format="json").status_code for method, url, data in calls]

    assert statuses(api_client) == [401] * 7
    assert statuses(client_for(other_teacher)) == [404] * 7
    stranger = make_member(school, Role.TEACHER)
    assert statuses(client_for(stranger)) == [403] * 7
    assert ContentComment.objects.count() == 1 and ContentItem.objects.count() == 1
    assert not ContentShare.objects.exists()


def test_share_list_add_update_and_remove(client_for, item, teacher, school):
    colleague = make_member(school, Role.TEACHER, first_name="Eli", last_name="Ng")
    pe_class = PEClassFactory(school=school)
    api = client_for(teacher)
    url = f"{BASE}/items/{item.pk}/shares/"
    response = api.post(url, {"audience": "user", "user": colleague.pk, "can_edit": True}, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {
        "audience": "user",
        "target_id": colleague.pk,
        "target_label": "Eli Ng",
        "can_edit": True,
        "created": True,
    }
    response = api.post(url, {"audience": "user", "user": colleague.pk, "can_edit": False}, format="json")
    assert response.status_code == 200 and response.json()["created"] is False
    assert api.post(url, {"audience": "class", "pe_class": pe_class.pk}, format="json").status_code == 201
    listed = api.get(url).json()
    assert [(row["audience"], row["target_id"], row["can_edit"]) for row in listed] == [
        ("user", colleague.pk, False),
        ("class", pe_class.pk, False),
    ]
    assert response["Cache-Control"] == "private, no-store"
    response = api.post(f"{url}remove/", {"audience": "user", "user": colleague.pk}, format="json")
    assert response.status_code == 200 and response.json() == {"removed": True}
    response = api.post(f"{url}remove/", {"audience": "user", "user": colleague.pk}, format="json")
    assert response.json() == {"removed": False}
    assert not ContentItemUserObjectPermission.objects.exists()


def test_bad_share_payloads_are_400_and_change_nothing(client_for, item, teacher, other_teacher, other_school):
    api = client_for(teacher)
    url = f"{BASE}/items/{item.pk}/shares/"
    cases = [
        ({"audience": "user", "user": other_teacher.pk}, "user", "This person is not in this school."),
        ({"audience": "user", "user": 999999}, "user", "This person is not in this school."),
        ({"audience": "user"}, "user", "Choose the person to share with."),
        ({"audience": "class", "pe_class": PEClassFactory(school=other_school).pk}, "pe_class", None),
        ({"audience": "everyone"}, "audience", None),
        ({"audience": "school", "can_edit": "yes"}, "can_edit", None),
        ({"audience": "school", "school": 1}, "school", None),
    ]
    for payload, field, message in cases:
        response = api.post(url, payload, format="json")
        assert response.status_code == 400, payload
        error = response.json()["error"]
        assert field in error["fields"], (payload, error)
        if message:
            assert error["fields"][field] == [message]
    assert not ContentShare.objects.exists() and not ContentItemUserObjectPermission.objects.exists()


def test_comments_list_add_and_delete(client_for, item, teacher, school):
    ana = make_member(school, Role.TEACHER, email="ana@northside.test")
    share(actor=teacher, item=item, audience="school")
    Notification.objects.all().delete()
    api = client_for(ana)
    url = f"{BASE}/items/{item.pk}/comments/"
    response = api.post(url, {"body": "Try it @teacher and @ghost"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["body"] == "Try it @teacher and @ghost" and body["author"] == ana.pk
    assert body["mentions"] == [teacher.pk] and body["not_notified"] == ["ghost"]
    assert list(Notification.objects.values_list("user", "kind")) == [(teacher.pk, "content.mentioned")]
    for payload in ({"body": ""}, {"body": "x" * 5001}, {"body": "<iframe src=x>"}, {"text": "hi"}):
        response = api.post(url, payload, format="json")
        assert response.status_code == 400 and response.json()["error"]["fields"], payload
    listed = api.get(url).json()
    assert listed["count"] == 1
    assert listed["results"][0]["author_name"] == (ana.get_full_name() or ana.email)
    assert listed["results"][0]["id"] == body["id"]
    comment_id = body["id"]
    assert client_for(make_member(school, Role.TEACHER)).delete(f"{BASE}/comments/{comment_id}/").status_code == 403
    assert api.delete(f"{BASE}/comments/{comment_id}/").status_code == 204
    assert not ContentComment.objects.exists()


def test_fork_returns_201_with_the_copy(client_for, item, school):
    colleague = make_member(school, Role.TEACHER)
    share(actor=item.owner, item=item, audience="user", user=colleague)
    response = client_for(colleague).post(f"{BASE}/items/{item.pk}/fork/", {"title": "My frisbee"}, format="json")
    assert response.status_code == 201, response.content
    copy = ContentItem.objects.get(owner=colleague)
    assert response.json() == {
        "id": copy.pk,
        "title": "My frisbee",
        "version": 1,
        "status": "draft",
        "forked_from": item.pk,
    }
    response = client_for(colleague).post(f"{BASE}/items/{item.pk}/fork/", {"owner": 1}, format="json")
    assert response.status_code == 400 and ContentItem.objects.count() == 2


def _count_queries(api, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def test_comment_list_query_count_does_not_grow_with_rows(client_for, item, teacher, school):
    ana = make_member(school, Role.TEACHER, email="ana@northside.test")
    share(actor=teacher, item=item, audience="school")
    api = client_for(teacher)
    url = f"{BASE}/items/{item.pk}/comments/"
    add_comment(actor=ana, item=item, body="one @teacher")
    few = _count_queries(api, url)
    for number in range(6):
        add_comment(actor=ana, item=item, body=f"more {number} @teacher")
    assert _count_queries(api, url) == few
    assert api.get(url).json()["count"] == 7
