"""Item pages: create and edit with values asserted, the 409 page on a stale edit, unsafe
Markdown refused, rights (404 other school, 403 colleague), delete with a confirmation."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_member
from content.models import ContentItem, ContentShare, ContentStatus, ContentVersion, ContentView, ShareAudience
from content.services.items import update_item
from content.tests.factories import CategoryFactory, ContentItemFactory
from physed.tests.factories import ActivityFactory, EnrollmentFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "kind": "lesson_plan",
        "title": "Overhand throw",
        "summary": "Throwing for accuracy.",
        "body": "## Warm-up\n\nPartner toss.",
        "status": "draft",
        "grade_min": "3",
        "grade_max": "5",
        "duration_minutes": "40",
        "video_url": "",
        "language": "en",
        "tag_names": "Throwing, k-2 , throwing",
        "change_note": "",
    }
    data.update(overrides)
    return data


def test_create_page_saves_the_item_with_tags_category_and_activities(client, school, teacher):
    category = CategoryFactory(school=school, name="Target games")
    own = ActivityFactory(school=school, name="Bean bag toss")
    shipped = ActivityFactory(school=None, name="Cone knockdown")
    client.force_login(teacher)
    page = client.get(reverse("content-item-create"))
    assert page.status_code == 200 and b"Bean bag toss" in page.content and b"Cone knockdown" in page.content
    response = client.post(
        reverse("content-item-create"),
        _form(category=str(category.pk), activities=[str(own.pk), str(shipped.pk)]),
    )
    item = ContentItem.objects.get()
    assert response.status_code == 302 and response.url == reverse("content-item-detail", args=[item.pk])
    assert item.title == "Overhand throw" and item.owner == teacher and item.version == 1
    assert (item.grade_min, item.grade_max, item.duration_minutes) == (3, 5, 40)
    assert item.category == category
    assert sorted(t.name for t in item.tags.all()) == ["k-2", "throwing"]
    assert set(item.activities.all()) == {own, shipped}


def test_create_page_refuses_another_schools_activity_and_unsafe_markdown(client, school, other_school, teacher):
    foreign = ActivityFactory(school=other_school, name="Their activity")
    client.force_login(teacher)
    page = client.get(reverse("content-item-create"))
    assert b"Their activity" not in page.content
    response = client.post(reverse("content-item-create"), _form(activities=[str(foreign.pk)]))
    assert response.status_code == 400
    response = client.post(reverse("content-item-create"), _form(body="hi <script>alert(1)</script>"))
    assert response.status_code == 400
    assert "Scripts, embedded pages and event handlers are not allowed" in response.content.decode()
    assert ContentItem.objects.count() == 0


def test_students_and_assistants_cannot_create(client, school, student, assistant):
    for user in (student, assistant):
        client.force_login(user)
        assert client.get(reverse("content-item-create")).status_code == 403


def test_detail_renders_sanitized_markdown_metadata_and_records_a_view(client, school, teacher):
    activity = ActivityFactory(school=None, name="Sharks and minnows")
    item = ContentItemFactory(school=school, owner=teacher, body="## Warm-up\n\n**Jog** <b onclick=x>", tags=["tag"])
    item.activities.add(activity)
    client.force_login(teacher)
    response = client.get(reverse("content-item-detail", args=[item.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Warm-up</h2>" in html and "<strong>Jog</strong>" in html and "<b onclick" not in html
    assert "Grades 3–5" in html and "45 min" in html and "Version 1" in html
    assert reverse("activity-detail", args=[activity.pk]) in html
    assert reverse("content-item-edit", args=[item.pk]) in html
    assert reverse("content-item-delete", args=[item.pk]) in html
    assert ContentView.objects.get(item=item, user=teacher).view_count == 1


def test_detail_hides_actions_from_a_viewer_without_rights(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    ContentShare.objects.create(item=item, audience=ShareAudience.SCHOOL)
    colleague = make_member(school, Role.TEACHER)
    client.force_login(colleague)
    html = client.get(reverse("content-item-detail", args=[item.pk])).content.decode()
    assert reverse("content-item-edit", args=[item.pk]) not in html
    assert reverse("content-item-delete", args=[item.pk]) not in html
    assert reverse("content-item-share", args=[item.pk]) not in html


def test_edit_page_saves_a_new_version_with_the_change_note(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher, title="Old title")
    client.force_login(teacher)
    page = client.get(reverse("content-item-edit", args=[item.pk]))
    assert 'name="version" value="1"' in page.content.decode()
    response = client.post(
        reverse("content-item-edit", args=[item.pk]), _form(version="1", title="New title", change_note="renamed")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "New title" and item.version == 2
    assert item.versions.get(number=2).change_note == "renamed"


def test_stale_edit_page_is_409_with_the_changes_and_keeps_the_input(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher, title="Volleyball", body="Line one")
    colleague = make_member(school, Role.DEPARTMENT_HEAD)
    update_item(actor=colleague, item=item, base_version=1, body="Line one changed", change_note="their fix")
    client.force_login(teacher)
    response = client.post(
        reverse("content-item-edit", args=[item.pk]), _form(version="1", title="My new title", body="Mine")
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this item" in html and "their fix" in html
    assert re.search(r'class="diff-insert">.*Line one changed<', html)
    assert re.search(r'class="diff-delete">.*Line one<', html)
    assert 'value="My new title"' in html  # the unsaved input is kept
    assert 'name="version" value="2"' in html  # re-apply on top of the current version
    item.refresh_from_db()
    assert item.title == "Volleyball" and item.version == 2
    # saving again from the new base applies the input
    response = client.post(
        reverse("content-item-edit", args=[item.pk]), _form(version="2", title="My new title", body="Mine")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "My new title" and item.version == 3


def test_unsafe_markdown_on_edit_is_400_and_no_new_version(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    client.force_login(teacher)
    response = client.post(
        reverse("content-item-edit", args=[item.pk]), _form(version="1", body="[x](javascript:alert(1))")
    )
    assert response.status_code == 400
    assert ContentVersion.objects.filter(item=item).count() == 1


def test_colleague_without_a_share_gets_403_and_another_school_404(client, school, teacher, other_teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    colleague = make_member(school, Role.TEACHER)
    routes = ["content-item-detail", "content-item-edit", "content-item-delete", "content-attachment-add"]
    client.force_login(colleague)
    for name in routes:
        assert client.get(reverse(name, args=[item.pk])).status_code == 403, name
    assert client.post(reverse("content-item-edit", args=[item.pk]), _form(version="1")).status_code == 403
    client.force_login(other_teacher)
    for name in [*routes, "content-item-schedule"]:
        assert client.get(reverse(name, args=[item.pk])).status_code == 404, name
    item.refresh_from_db()
    assert item.version == 1


def test_view_share_lets_read_but_not_edit(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    ContentShare.objects.create(item=item, audience=ShareAudience.SCHOOL)
    colleague = make_member(school, Role.TEACHER)
    client.force_login(colleague)
    assert client.get(reverse("content-item-detail", args=[item.pk])).status_code == 200
    assert client.get(reverse("content-item-edit", args=[item.pk])).status_code == 403


def test_co_authors_field_only_for_managers(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    editor = make_member(school, Role.TEACHER)
    item.co_authors.add(editor)
    client.force_login(editor)
    page = client.get(reverse("content-item-edit", args=[item.pk]))
    assert page.status_code == 200 and 'name="co_authors"' not in page.content.decode()
    client.force_login(teacher)
    page = client.get(reverse("content-item-edit", args=[item.pk]))
    assert 'name="co_authors"' in page.content.decode()


def test_student_sees_published_class_shared_item_but_not_a_draft(client, school, teacher, student):
    pe_class = PEClassFactory(school=school)
    EnrollmentFactory(pe_class=pe_class, student=StudentFactory(school=school, user=student))
    published = ContentItemFactory(school=school, owner=teacher, status=ContentStatus.PUBLISHED, title="Pub")
    draft = ContentItemFactory(school=school, owner=teacher, status=ContentStatus.DRAFT, title="Draft")
    for item in (published, draft):
        ContentShare.objects.create(item=item, audience=ShareAudience.PE_CLASS, pe_class=pe_class)
    client.force_login(student)
    response = client.get(reverse("content-item-detail", args=[published.pk]))
    assert response.status_code == 200 and "Pub" in response.content.decode()
    assert reverse("content-item-edit", args=[published.pk]) not in response.content.decode()
    assert client.get(reverse("content-item-detail", args=[draft.pk])).status_code == 403


def test_delete_needs_a_confirmation_and_manage_rights(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    editor = make_member(school, Role.TEACHER)
    item.co_authors.add(editor)
    client.force_login(editor)
    assert client.post(reverse("content-item-delete", args=[item.pk]), {"confirm": "on"}).status_code == 403
    client.force_login(teacher)
    page = client.get(reverse("content-item-delete", args=[item.pk]))
    assert page.status_code == 200 and item.title in page.content.decode()
    assert client.post(reverse("content-item-delete", args=[item.pk]), {}).status_code == 400
    assert ContentItem.objects.filter(pk=item.pk).exists()
    response = client.post(reverse("content-item-delete", args=[item.pk]), {"confirm": "on"})
    assert response.status_code == 302 and not ContentItem.objects.filter(pk=item.pk).exists()


def test_edit_page_without_a_version_is_400_with_a_message(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    client.force_login(teacher)
    response = client.post(reverse("content-item-edit", args=[item.pk]), _form(title="No base"))
    assert response.status_code == 400
    assert "Say which version your edit started from." in response.content.decode()
    item.refresh_from_db()
    assert item.version == 1 and item.title != "No base"
