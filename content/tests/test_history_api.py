"""History API: versions list/detail, diff, restore (201, 409 with changes since, 400, 403, 404)."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentItem
from content.services.items import create_item, update_item
from content.tests.factories import ContentShareFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/content/items"


@pytest.fixture
def item(school, teacher):
    item = create_item(actor=teacher, school=school, title="Volleyball serve", body="Underhand\nTarget", tags=["serve"])
    update_item(actor=teacher, item=item, base_version=1, body="Underhand\nOverhand", change_note="harder")
    update_item(actor=teacher, item=item, base_version=2, tags=["serve", "volleyball"], duration_minutes=50)
    item.refresh_from_db()
    return item


def test_versions_list_newest_first_with_authors_and_changed_fields(client_for, teacher, item):
    response = client_for(teacher).get(f"{BASE}/{item.pk}/versions/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    rows = body["results"]
    assert [row["number"] for row in rows] == [3, 2, 1]
    assert [row["changed_fields"] for row in rows] == [["duration_minutes", "tags"], ["body"], []]
    assert rows[1]["change_note"] == "harder" and rows[2]["change_note"] == "Created"
    assert rows[0]["author"] == {"id": teacher.pk, "name": teacher.get_full_name() or teacher.email}
    assert rows[0]["restored_from"] is None and "snapshot" not in rows[0]


def test_versions_list_queries_do_not_grow_with_page_size(client_for, teacher, item, django_assert_max_num_queries):
    for n in range(3, 40):
        update_item(actor=teacher, item=item, base_version=n, title=f"Serve {n}")
    api = client_for(teacher)
    with django_assert_max_num_queries(14):
        small = api.get(f"{BASE}/{item.pk}/versions/?page_size=5&page=2")
    with django_assert_max_num_queries(14):
        large = api.get(f"{BASE}/{item.pk}/versions/?page_size=40")
    assert [row["number"] for row in small.json()["results"]] == [35, 34, 33, 32, 31]
    assert small.json()["results"][-1]["changed_fields"] == ["title"]
    assert len(large.json()["results"]) == 40
    assert api.get(f"{BASE}/{item.pk}/versions/?page_size=0").status_code == 400


def test_version_detail_has_the_snapshot(client_for, teacher, item):
    response = client_for(teacher).get(f"{BASE}/{item.pk}/versions/1/")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == 1 and body["changed_fields"] == []
    assert body["snapshot"]["body"] == "Underhand\nTarget" and body["snapshot"]["tags"] == ["serve"]
    assert body["snapshot"]["category"] is None and body["snapshot"]["title"] == "Volleyball serve"
    assert client_for(teacher).get(f"{BASE}/{item.pk}/versions/2/").json()["changed_fields"] == ["body"]
    missing = client_for(teacher).get(f"{BASE}/{item.pk}/versions/9/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_diff_between_two_versions(client_for, teacher, item):
    response = client_for(teacher).get(f"{BASE}/{item.pk}/diff/?from=1&to=3")
    assert response.status_code == 200
    assert response.json() == {
        "from": 1,
        "to": 3,
        "changes": [
            {
                "field": "body",
                "label": "body",
                "kind": "text",
                "lines": [
                    {"op": "equal", "text": "Underhand"},
                    {"op": "delete", "text": "Target"},
                    {"op": "insert", "text": "Overhand"},
                ],
            },
            {"field": "duration_minutes", "label": "duration (minutes)", "kind": "value", "old": "", "new": "50"},
            {"field": "tags", "label": "tags", "kind": "set", "added": ["volleyball"], "removed": []},
        ],
    }
    default = client_for(teacher).get(f"{BASE}/{item.pk}/diff/").json()
    assert (default["from"], default["to"]) == (2, 3)
    same = client_for(teacher).get(f"{BASE}/{item.pk}/diff/?from=2&to=2").json()
    assert same == {"from": 2, "to": 2, "changes": []}


@pytest.mark.parametrize("query, param", [("from=8&to=2", "from"), ("from=1&to=99", "to"), ("from=x", "from")])
def test_diff_with_unknown_numbers_is_400_naming_the_parameter(client_for, teacher, item, query, param):
    response = client_for(teacher).get(f"{BASE}/{item.pk}/diff/?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == [param] and error["code"] == "invalid"


def test_restore_creates_a_new_version_with_the_old_content(client_for, teacher, item):
    response = client_for(teacher).post(f"{BASE}/{item.pk}/restore/", {"number": 1, "version": 3}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == 4 and body["restored_from"] == 1 and body["change_note"] == "Restored version 1"
    assert body["changed_fields"] == ["body", "duration_minutes", "tags"]
    assert body["snapshot"]["body"] == "Underhand\nTarget" and body["snapshot"]["tags"] == ["serve"]
    item.refresh_from_db()
    assert item.version == 4 and item.duration_minutes is None


def test_restoring_identical_content_is_200_without_a_new_version(client_for, teacher, item):
    response = client_for(teacher).post(f"{BASE}/{item.pk}/restore/", {"number": 3, "version": 3}, format="json")
    assert response.status_code == 200 and response.json()["number"] == 3
    assert item.versions.count() == 3


def test_a_stale_restore_is_409_with_the_changes_since(client_for, teacher, item):
    update_item(actor=teacher, item=item, base_version=3, title="Serving", change_note="rename")
    response = client_for(teacher).post(f"{BASE}/{item.pk}/restore/", {"number": 1, "version": 3}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["fields"]["current_version"] == 4 and error["fields"]["your_version"] == 3
    assert [c["field"] for c in error["fields"]["changes"]] == ["title"]
    assert [v["change_note"] for v in error["fields"]["versions_since"]] == ["rename"]
    assert ContentItem.objects.get(pk=item.pk).version == 4


@pytest.mark.parametrize(
    "payload, field",
    [({"number": 9, "version": 3}, "number"), ({"number": 1}, "version"), ({"number": 1, "version": 3, "x": 1}, "x")],
)
def test_bad_restore_requests_are_400_and_change_nothing(client_for, teacher, item, payload, field):
    response = client_for(teacher).post(f"{BASE}/{item.pk}/restore/", payload, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert ContentItem.objects.get(pk=item.pk).version == 3


def test_permissions_other_school_404_no_rights_403_anonymous_401(client_for, school, item, other_teacher):
    urls = [f"{BASE}/{item.pk}/versions/", f"{BASE}/{item.pk}/versions/1/", f"{BASE}/{item.pk}/diff/"]
    for url in urls:
        assert client_for(other_teacher).get(url).status_code == 404
        assert APIClient().get(url).status_code == 401
    restore = f"{BASE}/{item.pk}/restore/"
    assert client_for(other_teacher).post(restore, {"number": 1, "version": 3}, format="json").status_code == 404
    colleague = make_member(school, Role.TEACHER, email="colleague@northside.test")
    api = client_for(colleague)
    assert all(api.get(url).status_code == 403 for url in urls)
    ContentShareFactory(item=item)  # view only: history yes, restore no
    assert all(api.get(url).status_code == 200 for url in urls)
    response = api.post(restore, {"number": 1, "version": 3}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert ContentItem.objects.get(pk=item.pk).version == 3
