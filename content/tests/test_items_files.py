"""Attachments (bytes-checked upload, audited no-store download, delete) and lesson scheduling
(only into sessions of the item's school the user teaches; the session page lists the plan)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Role
from accounts.tests.factories import make_member
from content.models import ContentAttachment, ContentItem, LessonSchedule
from content.services.attachments import add_attachment
from content.tests.factories import ContentItemFactory
from content.tests.factories_items import PNG_BYTES, pdf_upload, upcoming_session

pytestmark = pytest.mark.django_db
API = "/api/v1/content/"


def test_upload_page_stores_a_pdf_and_refuses_other_types_and_oversize(client, school, teacher, settings):
    item = ContentItemFactory(school=school, owner=teacher)
    client.force_login(teacher)
    url = reverse("content-attachment-add", args=[item.pk])
    fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"file": fake})
    assert response.status_code == 400 and "Attach a PDF, PNG, JPEG or MP4 file." in response.content.decode()
    settings.CONTENT_MAX_ATTACHMENT_BYTES = 10
    response = client.post(url, {"file": pdf_upload()})
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert ContentAttachment.objects.count() == 0
    settings.CONTENT_MAX_ATTACHMENT_BYTES = 1024 * 1024
    response = client.post(url, {"file": pdf_upload("Warm-up plan.pdf")})
    assert response.status_code == 302
    attachment = ContentAttachment.objects.get()
    assert attachment.original_name == "Warm-up plan.pdf" and attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == teacher and attachment.size == attachment.file.size
    assert AuditEvent.objects.filter(action="content.attachment_added").count() == 1


def test_download_is_audited_private_and_checked(client, school, teacher, other_teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    attachment = add_attachment(actor=teacher, item=item, upload=pdf_upload())
    client.force_login(teacher)
    response = client.get(reverse("content-attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.get(action="content.attachment_downloaded")
    assert event.actor == teacher and event.target_id == str(attachment.pk)

    colleague = make_member(school, Role.TEACHER)
    client.force_login(colleague)
    assert client.get(reverse("content-attachment-download", args=[attachment.pk])).status_code == 403
    client.force_login(other_teacher)
    assert client.get(reverse("content-attachment-download", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("content-attachment-delete", args=[attachment.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="content.attachment_downloaded").count() == 1


def test_delete_attachment_page_needs_confirmation(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    attachment = add_attachment(actor=teacher, item=item, upload=pdf_upload())
    client.force_login(teacher)
    url = reverse("content-attachment-delete", args=[attachment.pk])
    assert client.post(url, {}).status_code == 400 and ContentAttachment.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not ContentAttachment.objects.exists()


def test_attachment_api_upload_list_download_delete(client_for, school, teacher, other_teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    api = client_for(teacher)
    png = SimpleUploadedFile("court.png", PNG_BYTES, content_type="image/png")
    response = api.post(f"{API}items/{item.pk}/attachments/", {"file": png}, format="multipart")
    assert response.status_code == 201 and response.json()["content_type"] == "image/png"
    attachment_id = response.json()["id"]
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03", content_type="application/octet-stream")
    response = api.post(f"{API}items/{item.pk}/attachments/", {"file": bad}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    listed = api.get(f"{API}items/{item.pk}/attachments/").json()
    assert [row["original_name"] for row in listed] == ["court.png"]
    download = api.get(listed[0]["download_url"])
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(action="content.attachment_downloaded").count() == 1
    foreign = client_for(other_teacher)
    assert foreign.get(f"{API}attachments/{attachment_id}/").status_code == 404
    assert foreign.get(f"{API}attachments/{attachment_id}/download/").status_code == 404
    assert foreign.delete(f"{API}attachments/{attachment_id}/").status_code == 404
    colleague = client_for(make_member(school, Role.TEACHER))
    assert colleague.get(f"{API}attachments/{attachment_id}/").status_code == 403
    assert colleague.post(f"{API}items/{item.pk}/attachments/", {"file": png}, format="multipart").status_code == 403
    assert api.delete(f"{API}attachments/{attachment_id}/").status_code == 204
    assert ContentAttachment.objects.count() == 0


def test_schedule_page_and_session_page_show_the_plan(client, school, teacher):
    item = ContentItemFactory(school=school, owner=teacher, title="Passing drills")
    session = upcoming_session(school, teacher)
    not_mine = upcoming_session(school)
    client.force_login(teacher)
    page = client.get(reverse("content-item-schedule", args=[item.pk]))
    assert page.status_code == 200
    assert page.context["form"].fields["session"].queryset.filter(pk=not_mine.pk).count() == 0
    response = client.post(reverse("content-item-schedule", args=[item.pk]), {"session": not_mine.pk})
    assert response.status_code == 400
    response = client.post(reverse("content-item-schedule", args=[item.pk]), {"session": session.pk})
    assert response.status_code == 302
    schedule = LessonSchedule.objects.get()
    assert (schedule.item, schedule.session, schedule.version_number) == (item, session, 1)
    html = client.get(reverse("session-detail", args=[session.pk])).content.decode()
    assert "Passing drills" in html and reverse("content-item-detail", args=[item.pk]) in html
    # a colleague who cannot see the item does not see it on the session page
    head = make_member(school, Role.TEACHER)
    session.pe_class.teachers.add(head)
    client.force_login(head)
    response = client.get(reverse("session-detail", args=[session.pk]))
    assert response.status_code == 200 and "Passing drills" not in response.content.decode()


def test_scheduling_into_another_schools_session_is_refused(client_for, school, other_school, teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    foreign_session = upcoming_session(other_school)
    api = client_for(teacher)
    response = api.post(f"{API}items/{item.pk}/schedules/", {"session": foreign_session.pk}, format="json")
    assert response.status_code == 400 and "session" in response.json()["error"]["fields"]
    handout = ContentItemFactory(school=school, owner=teacher, kind="handout")
    own = upcoming_session(school, teacher)
    response = api.post(f"{API}items/{handout.pk}/schedules/", {"session": own.pk}, format="json")
    assert response.status_code == 400
    assert LessonSchedule.objects.count() == 0
    response = api.post(f"{API}items/{item.pk}/schedules/", {"session": own.pk}, format="json")
    assert response.status_code == 201 and response.json()["version_number"] == 1
    again = api.post(f"{API}items/{item.pk}/schedules/", {"session": own.pk}, format="json")
    assert again.status_code == 400
    rows = api.get(f"{API}items/{item.pk}/schedules/").json()
    assert [row["session"] for row in rows] == [own.pk]
    assert api.delete(f"{API}schedules/{rows[0]['id']}/").status_code == 204
    assert LessonSchedule.objects.count() == 0


def test_department_head_may_schedule_into_any_class_of_the_school(client_for, school, teacher):
    head = make_member(school, Role.DEPARTMENT_HEAD)
    item = ContentItemFactory(school=school, owner=head)
    session = upcoming_session(school, teacher)
    response = client_for(head).post(f"{API}items/{item.pk}/schedules/", {"session": session.pk}, format="json")
    assert response.status_code == 201
    assert ContentItem.objects.get(pk=item.pk).schedules.count() == 1


def test_another_schools_schedule_is_404_on_page_and_api(client, client_for, school, teacher, other_teacher):
    item = ContentItemFactory(school=school, owner=teacher)
    schedule = LessonSchedule.objects.create(item=item, session=upcoming_session(school, teacher), version_number=1)
    client.force_login(other_teacher)
    assert client.get(reverse("content-schedule-delete", args=[schedule.pk])).status_code == 404
    assert client_for(other_teacher).delete(f"{API}schedules/{schedule.pk}/").status_code == 404
    colleague = make_member(school, Role.TEACHER)
    assert client_for(colleague).delete(f"{API}schedules/{schedule.pk}/").status_code == 403
    assert LessonSchedule.objects.filter(pk=schedule.pk).exists()
