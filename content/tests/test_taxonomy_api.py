"""Taxonomy API: categories CRUD and moves, tags (list, prefix, rename/merge/delete), suggestions
and bulk tagging — permission matrix (401/403/404), bad input (400, nothing changed), values."""

import pytest

from content.models import Category, ContentTag
from content.services import categories as cats
from content.tests.factories import CategoryFactory, ContentItemFactory, ContentShareFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/content"


@pytest.fixture
def head_api(client_for, department_head):
    return client_for(department_head)


def test_category_create_list_move_and_delete(head_api, school, department_head, teacher):
    root = head_api.post(f"{BASE}/categories/", {"name": "Games"}, format="json")
    assert root.status_code == 201, root.json()
    root = root.json()
    assert root["path"] == f"/{root['id']}/" and root["depth"] == 0 and root["school"] == school.pk
    child = head_api.post(f"{BASE}/categories/", {"name": "Net games", "parent": root["id"]}, format="json").json()
    assert child["path"] == f"/{root['id']}/{child['id']}/" and child["depth"] == 1
    ContentItemFactory(school=school, owner=teacher, category_id=child["id"])

    listed = head_api.get(f"{BASE}/categories/").json()
    rows = {row["name"]: row for row in listed["results"]}
    assert rows["Games"]["item_count"] == 1 and rows["Net games"]["item_count"] == 1
    only = head_api.get(f"{BASE}/categories/", {"parent": root["id"]}).json()["results"]
    assert [row["name"] for row in only] == ["Net games"]

    clash = head_api.post(f"{BASE}/categories/", {"name": "games"}, format="json")
    assert clash.status_code == 400 and "name" in clash.json()["error"]["fields"]

    fitness = head_api.post(f"{BASE}/categories/", {"name": "Fitness"}, format="json").json()
    moved = head_api.patch(f"{BASE}/categories/{root['id']}/", {"parent": fitness["id"]}, format="json")
    assert moved.status_code == 200 and moved.json()["depth"] == 1
    assert Category.objects.get(pk=child["id"]).path == f"/{fitness['id']}/{root['id']}/{child['id']}/"

    cycle = head_api.patch(f"{BASE}/categories/{fitness['id']}/", {"parent": child["id"]}, format="json")
    assert cycle.status_code == 400 and "parent" in cycle.json()["error"]["fields"]
    assert Category.objects.get(pk=fitness["id"]).parent_id is None

    refused = head_api.delete(f"{BASE}/categories/{root['id']}/")
    assert refused.status_code == 400 and "children" in refused.json()["error"]["fields"]
    gone = head_api.delete(f"{BASE}/categories/{root['id']}/?children=move_up")
    assert gone.status_code == 204
    assert Category.objects.get(pk=child["id"]).path == f"/{fitness['id']}/{child['id']}/"


def test_category_permissions(client_for, api_client, teacher, school, other_school, department_head, other_teacher):
    assert api_client.get(f"{BASE}/categories/").status_code == 401
    teacher_api = client_for(teacher)
    denied = teacher_api.post(f"{BASE}/categories/", {"name": "Mine"}, format="json")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    ours = CategoryFactory(school=school, name="Ours")
    assert teacher_api.get(f"{BASE}/categories/{ours.pk}/").json()["name"] == "Ours"
    assert teacher_api.patch(f"{BASE}/categories/{ours.pk}/", {"name": "X"}, format="json").status_code == 403
    assert teacher_api.delete(f"{BASE}/categories/{ours.pk}/").status_code == 403
    theirs = CategoryFactory(school=other_school, name="Theirs")
    head_api = client_for(department_head)
    assert head_api.get(f"{BASE}/categories/{theirs.pk}/").status_code == 404
    assert [row["name"] for row in head_api.get(f"{BASE}/categories/").json()["results"]] == ["Ours"]
    foreign_parent = head_api.post(f"{BASE}/categories/", {"name": "Sub", "parent": theirs.pk}, format="json")
    assert foreign_parent.status_code == 400 and "parent" in foreign_parent.json()["error"]["fields"]
    assert not Category.objects.filter(name="Sub").exists()
    assert client_for(other_teacher).get(f"{BASE}/categories/{ours.pk}/").status_code == 404


def test_tags_list_prefix_counts_and_management(client_for, school, other_school, teacher, department_head):
    ContentItemFactory(school=school, owner=teacher, tags=["volleyball", "net games"])
    ContentItemFactory(school=school, owner=teacher, tags=["volley basics"])
    ContentItemFactory(school=school, tags=["volleyball"])  # not visible to the teacher
    ContentItemFactory(school=other_school, tags=["volleyball", "voltage"])
    teacher_api = client_for(teacher)
    rows = teacher_api.get(f"{BASE}/tags/", {"q": "VOL"}).json()["results"]
    assert [(row["name"], row["item_count"]) for row in rows] == [("volley basics", 1), ("volleyball", 1)]
    head_rows = client_for(department_head).get(f"{BASE}/tags/", {"q": "vol"}).json()["results"]
    assert [(row["name"], row["item_count"]) for row in head_rows] == [("volley basics", 1), ("volleyball", 2)]

    basics = ContentTag.objects.get(school=school, name="volley basics")
    ball = ContentTag.objects.get(school=school, name="volleyball")
    foreign = ContentTag.objects.get(school=other_school, name="voltage")
    assert teacher_api.patch(f"{BASE}/tags/{basics.pk}/", {"name": "x"}, format="json").status_code == 403
    head_api = client_for(department_head)
    assert head_api.patch(f"{BASE}/tags/{foreign.pk}/", {"name": "x"}, format="json").status_code == 404
    clash = head_api.patch(f"{BASE}/tags/{basics.pk}/", {"name": "Volleyball"}, format="json")
    assert clash.status_code == 400 and "name" in clash.json()["error"]["fields"]
    renamed = head_api.patch(f"{BASE}/tags/{basics.pk}/", {"name": "Volley Skills"}, format="json")
    assert renamed.json()["name"] == "volley skills"
    bad = head_api.post(f"{BASE}/tags/{basics.pk}/merge/", {"into": foreign.pk}, format="json")
    assert bad.status_code == 400 and ContentTag.objects.filter(pk=basics.pk).exists()
    merged = head_api.post(f"{BASE}/tags/{basics.pk}/merge/", {"into": ball.pk}, format="json")
    assert merged.status_code == 200
    assert merged.json() == {
        "tag": {**merged.json()["tag"], "name": "volleyball", "item_count": 3},
        "items_retagged": 1,
    }
    assert head_api.delete(f"{BASE}/tags/{ball.pk}/").status_code == 204
    assert not ContentTag.objects.filter(pk=ball.pk).exists()


def test_suggest_api(client_for, school, other_school, teacher, student):
    item = ContentItemFactory(school=school, owner=teacher, title="Volleyball serve", tags=["beginner"])
    ContentItemFactory(school=school, owner=teacher, title="Other", tags=["volleyball", "serve"])
    foreign = ContentItemFactory(school=other_school, tags=["volleyball"])
    api = client_for(teacher)
    answer = api.post(f"{BASE}/tags/suggest/", {"item": item.pk}, format="json")
    assert answer.status_code == 200
    assert answer.json() == [
        {"name": "serve", "score": 3.0, "reasons": ["“serve” appears in the title"]},
        {"name": "volleyball", "score": 3.0, "reasons": ["“volleyball” appears in the title"]},
    ]
    draft = api.post(f"{BASE}/tags/suggest/", {"title": "Serve drills"}, format="json").json()
    assert [row["name"] for row in draft] == ["serve"]
    other = api.post(f"{BASE}/tags/suggest/", {"item": foreign.pk}, format="json")
    assert other.status_code == 400 and "item" in other.json()["error"]["fields"]
    empty = api.post(f"{BASE}/tags/suggest/", {}, format="json")  # an empty draft: nothing to match
    assert empty.status_code == 200 and empty.json() == []
    assert client_for(student).post(f"{BASE}/tags/suggest/", {"title": "x"}, format="json").status_code == 403


def test_bulk_tag_api(client_for, school, other_school, teacher):
    mine = ContentItemFactory(school=school, owner=teacher, tags=["old"])
    shared = ContentItemFactory(school=school)
    ContentShareFactory(item=shared)
    foreign = ContentItemFactory(school=other_school)
    api = client_for(teacher)
    refused = api.post(f"{BASE}/bulk-tag/", {"items": [mine.pk, foreign.pk], "add": ["new"]}, format="json")
    assert refused.status_code == 400
    assert str(foreign.pk) in refused.json()["error"]["fields"]["items"][0]
    mine.refresh_from_db()
    assert mine.version == 1 and list(mine.tags.names()) == ["old"]
    done = api.post(
        f"{BASE}/bulk-tag/", {"items": [mine.pk, shared.pk], "add": ["New"], "remove": ["old"]}, format="json"
    )
    assert done.status_code == 200
    assert done.json() == {"changed": [mine.pk], "skipped": [{"id": shared.pk, "reason": "no_edit_rights"}]}
    mine.refresh_from_db()
    assert mine.version == 2 and list(mine.tags.names()) == ["new"]
    assert api.post(f"{BASE}/bulk-tag/", {"items": [], "add": ["x"]}, format="json").status_code == 400


def test_category_service_used_by_api_keeps_positions(head_api, school, department_head):
    first = cats.create_category(actor=department_head, school=school, name="A")
    second = head_api.post(f"{BASE}/categories/", {"name": "B"}, format="json").json()
    assert (first.position, second["position"]) == (0, 1)
    moved = head_api.patch(f"{BASE}/categories/{second['id']}/", {"position": 0}, format="json").json()
    assert moved["position"] == 0
