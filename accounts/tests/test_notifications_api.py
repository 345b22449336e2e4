"""In-app notifications API: own only, unread filter, pagination, mark read, read-all, count."""

import pytest

from accounts.models import Notification
from accounts.tests.factories_preferences import NotificationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


def test_lists_only_own_in_app_notifications_newest_first(client_for, teacher, other_teacher):
    first = NotificationFactory(user=teacher, title="First")
    second = NotificationFactory(user=teacher, title="Second")
    NotificationFactory(user=teacher, title="Email only", in_app=False)
    NotificationFactory(user=other_teacher, title="Not yours")
    body = client_for(teacher).get(URL).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk]
    assert body["results"][0]["title"] == "Second" and body["results"][0]["is_read"] is False
    assert body["results"][0]["kind"] == "account.role_changed"


def test_unread_filter_and_pagination(client_for, teacher):
    from django.utils import timezone

    read = NotificationFactory(user=teacher, read_at=timezone.now())
    unread = [NotificationFactory(user=teacher) for _ in range(3)]
    client = client_for(teacher)
    ids = {row["id"] for row in client.get(URL, {"unread": "true"}).json()["results"]}
    assert ids == {n.pk for n in unread}
    assert [row["id"] for row in client.get(URL, {"unread": "false"}).json()["results"]] == [read.pk]
    page = client.get(URL, {"page_size": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]


def test_mark_one_read(client_for, teacher, other_teacher):
    mine = NotificationFactory(user=teacher)
    theirs = NotificationFactory(user=other_teacher)
    client = client_for(teacher)
    response = client.post(f"{URL}{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    mine.refresh_from_db()
    first_read = mine.read_at
    assert first_read is not None
    client.post(f"{URL}{mine.pk}/read/")  # idempotent: the first read time stays
    mine.refresh_from_db()
    assert mine.read_at == first_read
    assert client.post(f"{URL}{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_and_unread_count(client_for, teacher, other_teacher):
    for _ in range(3):
        NotificationFactory(user=teacher)
    NotificationFactory(user=other_teacher)
    client = client_for(teacher)
    assert client.get(f"{URL}unread-count/").json() == {"unread": 3}
    assert client.post(f"{URL}read-all/").json() == {"marked": 3}
    assert client.get(f"{URL}unread-count/").json() == {"unread": 0}
    assert Notification.objects.filter(user=other_teacher, read_at__isnull=True).count() == 1


def test_anonymous_is_401(api_client):
    for method, url in [
        ("get", URL),
        ("get", f"{URL}unread-count/"),
        ("post", f"{URL}read-all/"),
        ("post", f"{URL}1/read/"),
    ]:
        assert getattr(api_client, method)(url).status_code == 401


def test_personal_data_is_not_stored_by_caches(client_for, teacher):
    NotificationFactory(user=teacher)
    response = client_for(teacher).get(URL)
    assert "no-store" in response["Cache-Control"]


def test_list_query_count_does_not_grow(client_for, teacher, django_assert_max_num_queries):
    for _ in range(30):
        NotificationFactory(user=teacher)
    client = client_for(teacher)
    client.get(URL)
    with django_assert_max_num_queries(3):
        assert len(client.get(URL, {"page_size": 30}).json()["results"]) == 30
