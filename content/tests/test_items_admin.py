"""Admin for items, versions, attachments, schedules: browsable, read-only for what the item
service owns, deletions through the services (audited)."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, User
from content.models import ContentItem, ContentVersion
from content.tests.factories import ContentItemFactory, LessonScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser(email="root@example.org", password="x-Very-long-pass-123")
    client.force_login(user)
    return client


def test_admin_lists_and_shows_items_read_only(admin_client, school):
    item = ContentItemFactory(school=school, title="Cone relay")
    LessonScheduleFactory(item=item)
    for name in ("contentitem", "contentversion", "contentattachment", "lessonschedule"):
        response = admin_client.get(reverse(f"admin:content_{name}_changelist"))
        assert response.status_code == 200, name
    assert "Cone relay" in admin_client.get(reverse("admin:content_contentitem_changelist")).content.decode()
    change = admin_client.get(reverse("admin:content_contentitem_change", args=[item.pk]))
    assert change.status_code == 200 and 'name="title"' not in change.content.decode()
    assert admin_client.get(reverse("admin:content_contentitem_add")).status_code == 403
    version = item.versions.get()
    assert admin_client.get(reverse("admin:content_contentversion_delete", args=[version.pk])).status_code == 403


def test_admin_delete_goes_through_the_service(admin_client, school):
    item = ContentItemFactory(school=school)
    response = admin_client.post(reverse("admin:content_contentitem_delete", args=[item.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ContentItem.objects.filter(pk=item.pk).exists()
    assert not ContentVersion.objects.filter(item_id=item.pk).exists()
    assert AuditEvent.objects.filter(action="content.item_deleted", target_id=str(item.pk)).exists()
