"""Items API: create/edit with values asserted, 409 with the changes in ``fields``, missing version
400, unsafe Markdown 400 with no new version, scoped ids, rights (404 / 403), students, filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentItem, ContentShare, ContentStatus, ContentVersion, ContentView, ShareAudience
from content.tests.factories import CategoryFactory, ContentItemFactory
from physed.tests.factories import ActivityFactory, EnrollmentFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db
ITEMS = "/api/v1/content/items/"


def test_create_and_retrieve_with_values(client_for, school, teacher):
    category = CategoryFactory(school=school)
    activity = ActivityFactory(school=school)
    api = client_for(teacher)
    response = api.post(
        ITEMS,
        {
            "title": "Dribbling stations",
            "kind": "lesson_plan",
            "body": "# Plan\n\nDribble.",
            "grade_min": 2,
            "grade_max": 4,
            "category": category.pk,
            "activities": [activity.pk],
            "tags": ["Dribbling", "dribbling", "Basketball"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Dribbling stations" and body["version"] == 1 and body["owner"] == teacher.pk
    assert body["tags"] == ["basketball", "dribbling"] and body["activities"] == [activity.pk]
    assert body["category"] == category.pk and body["school"] == school.pk
    assert body["body_html"] == "<h1>Plan</h1>\n<p>Dribble.</p>\n"
    assert body["my_rights"] == {"view": True, "edit": True, "manage": True}
    detail = api.get(f"{ITEMS}{body['id']}/")
    assert detail.status_code == 200 and detail.json()["title"] == "Dribbling stations"
    assert ContentView.objects.get(item_id=body["id"], user=teacher).view_count == 1


def test_create_refuses_other_schools_category_and_activity(client_for, school, other_school, teacher):
    api = client_for(teacher)
    for payload in (
        {"category": CategoryFactory(school=other_school).pk},
        {"activities": [ActivityFactory(school=other_school).pk]},
    ):
        response = api.post(ITEMS, {"title": "x", **payload}, format="json")
        assert response.status_code == 400
        assert set(response.json()["error"]["fields"]) == set(payload)
    assert ContentItem.objects.count() == 0


def test_patch_requires_version_and_stale_is_409_with_changes(client_for, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher, title="Serve", body="A")
    api = client_for(teacher)
    response = api.patch(f"{ITEMS}{item.pk}/", {"title": "No version"}, format="json")
    assert response.status_code == 400 and "version" in response.json()["error"]["fields"]

    response = api.patch(f"{ITEMS}{item.pk}/", {"version": 1, "body": "B", "change_note": "mine"}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2 and response.json()["body"] == "B"

    response = api.patch(f"{ITEMS}{item.pk}/", {"version": 1, "title": "Stale"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    fields = error["fields"]
    assert fields["current_version"] == 2 and fields["your_version"] == 1
    (change,) = fields["changes"]
    assert change["field"] == "body"
    assert {"op": "delete", "text": "A"} in change["lines"] and {"op": "insert", "text": "B"} in change["lines"]
    assert fields["versions_since"][0]["change_note"] == "mine"
    item.refresh_from_db()
    assert item.title == "Serve" and item.version == 2


def test_unsafe_markdown_is_400_and_no_new_version(client_for, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    response = client_for(teacher).patch(
        f"{ITEMS}{item.pk}/", {"version": 1, "body": '<img src=x onerror="alert(1)">'}, format="json"
    )
    assert response.status_code == 400 and "body" in response.json()["error"]["fields"]
    assert ContentVersion.objects.filter(item=item).count() == 1


def test_other_school_404_and_colleague_403(client_for, school, teacher, other_teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    foreign = client_for(other_teacher)
    for method, url in [
        ("get", f"{ITEMS}{item.pk}/"),
        ("patch", f"{ITEMS}{item.pk}/"),
        ("delete", f"{ITEMS}{item.pk}/"),
        ("get", f"{ITEMS}{item.pk}/attachments/"),
        ("get", f"{ITEMS}{item.pk}/schedules/"),
    ]:
        assert getattr(foreign, method)(url, {"version": 1}, format="json").status_code == 404, url
    colleague = client_for(make_member(school, Role.TEACHER))
    assert colleague.get(f"{ITEMS}{item.pk}/").status_code == 403
    response = colleague.patch(f"{ITEMS}{item.pk}/", {"version": 1, "title": "Hijack"}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert colleague.delete(f"{ITEMS}{item.pk}/").status_code == 403
    item.refresh_from_db()
    assert item.title != "Hijack" and ContentItem.objects.filter(pk=item.pk).exists()


def test_edit_share_may_edit_but_not_delete_or_change_co_authors(client_for, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    ContentShare.objects.create(item=item, audience=ShareAudience.SCHOOL, can_edit=True)
    colleague = make_member(school, Role.TEACHER)
    api = client_for(colleague)
    assert api.patch(f"{ITEMS}{item.pk}/", {"version": 1, "title": "Edited"}, format="json").status_code == 200
    response = api.patch(f"{ITEMS}{item.pk}/", {"version": 2, "co_authors": [colleague.pk]}, format="json")
    assert response.status_code == 403
    assert api.delete(f"{ITEMS}{item.pk}/").status_code == 403
    assert client_for(teacher).delete(f"{ITEMS}{item.pk}/").status_code == 204
    assert not ContentItem.objects.filter(pk=item.pk).exists()


def test_student_lists_published_class_shared_items_only(client_for, school, teacher, student):
    pe_class = PEClassFactory(school=school)
    EnrollmentFactory(pe_class=pe_class, student=StudentFactory(school=school, user=student))
    published = ContentItemFactory(school=school, owner=teacher, status=ContentStatus.PUBLISHED)
    draft = ContentItemFactory(school=school, owner=teacher, status=ContentStatus.DRAFT)
    ContentItemFactory(school=school, owner=teacher, status=ContentStatus.PUBLISHED)  # not shared
    for item in (published, draft):
        ContentShare.objects.create(item=item, audience=ShareAudience.PE_CLASS, pe_class=pe_class)
    api = client_for(student)
    listed = api.get(ITEMS).json()["results"]
    assert [row["id"] for row in listed] == [published.pk]
    assert api.get(f"{ITEMS}{published.pk}/").json()["my_rights"] == {"view": True, "edit": False, "manage": False}
    assert api.get(f"{ITEMS}{draft.pk}/").status_code == 403
    assert api.post(ITEMS, {"title": "x"}, format="json").status_code == 403


def test_list_filters_and_no_n_plus_one(client_for, school, teacher):
    colleague = make_member(school, Role.TEACHER)
    mine = ContentItemFactory(school=school, owner=teacher, title="Juggling", kind="handout", tags=["a", "b"])
    theirs = ContentItemFactory(school=school, owner=colleague, title="Relay races", tags=["c"])
    ContentShare.objects.create(item=theirs, audience=ShareAudience.SCHOOL)
    ContentItemFactory(school=school, owner=colleague, title="Private")
    api = client_for(teacher)

    def ids(query=""):
        return sorted(row["id"] for row in api.get(f"{ITEMS}{query}").json()["results"])

    assert ids() == sorted([mine.pk, theirs.pk])
    assert ids("?mine=true") == [mine.pk]
    assert ids("?shared_with_me=true") == [theirs.pk]
    assert ids("?kind=handout") == [mine.pk]
    assert ids(f"?owner={colleague.pk}") == [theirs.pk]
    assert ids("?q=relay") == [theirs.pk]
    row = next(r for r in api.get(ITEMS).json()["results"] if r["id"] == mine.pk)
    assert row["tags"] == ["a", "b"]
    with CaptureQueriesContext(connection) as few:
        api.get(ITEMS)
    for n in range(5):
        ContentItemFactory(school=school, owner=teacher, tags=[f"t{n}"])
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(ITEMS).json()["results"]) == 7
    assert len(many) == len(few)


def test_update_edit_then_put_keeps_school(client_for, school, other_school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    response = client_for(teacher).put(
        f"{ITEMS}{item.pk}/", {"version": 1, "title": "Put title", "school": other_school.pk}, format="json"
    )
    assert response.status_code == 400 and "school" in response.json()["error"]["fields"]
    response = client_for(teacher).put(f"{ITEMS}{item.pk}/", {"version": 1, "title": "Put title"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Put title"
    assert response.json()["school"] == school.pk


def test_co_author_outside_school_is_400(client_for, school, teacher, other_teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    response = client_for(teacher).patch(
        f"{ITEMS}{item.pk}/", {"version": 1, "co_authors": [other_teacher.pk]}, format="json"
    )
    assert response.status_code == 400 and "co_authors" in response.json()["error"]["fields"]
    assert list(item.co_authors.all()) == []
