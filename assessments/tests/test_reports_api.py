"""Reports through the API and the pages: staff permissions, publish visibility for students and
guardians, a guardian reading in Spanish, the PDF, the batch job (202 + polling), bad input."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.tests.factories import make_member
from assessments.models import ProgressReport, ReportBatch
from assessments.services import reports as services
from assessments.tests.factories_reports import PERIOD_END, PERIOD_START, build_report_world

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assessments/reports/"
MY = "/api/v1/assessments/my-reports/"


@pytest.fixture
def world(school, teacher, student, guardian):
    return build_report_world(school, teacher=teacher, student_user=student, guardian_user=guardian)


@pytest.fixture
def draft(world, teacher):
    return services.generate_report(
        actor=teacher,
        student=world.student,
        pe_class=world.pe_class,
        school_year=2026,
        term="s1",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )


@pytest.fixture
def published(draft, teacher):
    return services.publish_report(actor=teacher, report=draft)


def _body(world, **overrides):
    return {
        "student": world.student.pk,
        "pe_class": world.pe_class.pk,
        "school_year": 2026,
        "term": "s1",
        "period_start": "2026-10-01",
        "period_end": "2026-12-18",
        **overrides,
    }


def test_teacher_generates_edits_and_publishes_through_the_api(world, teacher, client_for):
    client = client_for(teacher)
    created = client.post(LIST + "generate/", _body(world), format="json")
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    assert created.json()["narrative_es"].startswith("Maya asistió a 18 de 20 clases (90 %)")
    assert created["Cache-Control"] == "private, no-store"
    again = client.post(LIST + "generate/", _body(world), format="json")
    assert again.status_code == 200 and again.json()["id"] == report_id
    edited = client.patch(f"{LIST}{report_id}/", {"narrative_en": "Maya did well."}, format="json")
    assert edited.status_code == 200
    assert edited.json()["narrative_edited"] == {"en": True, "es": False}
    listed = client.get(LIST, {"pe_class": world.pe_class.pk, "status": "draft", "term": "s1"})
    assert [row["id"] for row in listed.json()["results"]] == [report_id]
    published = client.post(f"{LIST}{report_id}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    back = client.post(f"{LIST}{report_id}/unpublish/", {"reason": "fix"}, format="json")
    assert back.json()["status"] == "draft"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"term": "q9"}, "term"), ({"period_start": "2026-12-19"}, "period_end"), ({"school_year": "x"}, "school_year")],
)
def test_bad_input_is_400_and_nothing_stored(world, teacher, client_for, overrides, field):
    response = client_for(teacher).post(LIST + "generate/", _body(world, **overrides), format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert ProgressReport.objects.count() == 0


def test_other_school_is_404_and_roles_without_permission_403(draft, other_teacher, assistant, client_for):
    assert client_for(other_teacher).get(f"{LIST}{draft.pk}/").status_code == 404
    assert client_for(other_teacher).post(f"{LIST}{draft.pk}/publish/").status_code == 404
    assert client_for(assistant).post(f"{LIST}{draft.pk}/publish/").status_code == 403
    assert client_for(assistant).patch(f"{LIST}{draft.pk}/", {"narrative_en": "x"}, format="json").status_code == 403


def test_students_and_guardians_never_see_drafts(draft, student, guardian, client_for, client):
    for user in (student, guardian):
        api = client_for(user)
        assert api.get(MY).json()["results"] == []
        assert api.get(f"{MY}{draft.pk}/").status_code == 404
        assert api.get(f"{LIST}{draft.pk}/").status_code in (403, 404)
        client.force_login(user)
        assert client.get(reverse("assessments-my-report", args=[draft.pk])).status_code == 404
        assert client.get(reverse("assessments-report-print", args=[draft.pk])).status_code == 404


def test_guardian_reads_the_published_report_in_spanish(published, guardian, client_for, client):
    api = client_for(guardian)
    rows = api.get(MY, HTTP_ACCEPT_LANGUAGE="es").json()["results"]
    assert [row["id"] for row in rows] == [published.pk]
    assert rows[0]["language"] == "es"
    assert rows[0]["narrative"].startswith("Maya asistió a 18 de 20 clases (90 %)")
    english = api.get(f"{MY}{published.pk}/", {"lang": "en"}).json()
    assert english["narrative"].startswith("Maya attended 18 of 20 classes (90%)")
    assert api.get(f"{MY}{published.pk}/", {"lang": "fr"}).status_code == 400
    client.force_login(guardian)
    with translation.override("es"):
        page = client.get(reverse("assessments-my-report", args=[published.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Maya asistió a 18 de 20 clases (90 %)" in html
    assert "Maya attended" not in html
    assert page["Cache-Control"] == "private, no-store"
    listing = client.get(reverse("assessments-my-reports"))
    assert reverse("assessments-my-report", args=[published.pk]) in listing.content.decode()


def test_student_sees_own_and_another_guardian_sees_nothing(published, student, school, client_for):
    assert [row["id"] for row in client_for(student).get(MY).json()["results"]] == [published.pk]
    stranger = make_member(school, Role.GUARDIAN, email="other-guardian@northside.test")
    api = client_for(stranger)
    assert api.get(MY).json()["results"] == []
    assert api.get(f"{MY}{published.pk}/").status_code == 404


def test_pdf_download(published, teacher, guardian, client):
    client.force_login(teacher)
    response = client.get(reverse("assessments-report-pdf", args=[published.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(guardian)
    assert client.get(reverse("assessments-report-pdf", args=[published.pk])).content.startswith(b"%PDF")


def test_staff_pages(draft, teacher, client):
    client.force_login(teacher)
    detail = client.get(reverse("assessments-report-detail", args=[draft.pk]))
    assert detail.status_code == 200 and "Maya attended 18 of 20" in detail.content.decode()
    saved = client.post(
        reverse("assessments-report-detail", args=[draft.pk]),
        {"narrative_en": "Edited.", "narrative_es": draft.narrative_es, "teacher_comment": ""},
    )
    assert saved.status_code == 302
    services.generate_report(
        actor=teacher,
        student=draft.student,
        pe_class=draft.pe_class,
        school_year=2026,
        term="s1",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )
    page = client.get(reverse("assessments-report-detail", args=[draft.pk])).content.decode()
    assert "Regenerated text differs" in page
    confirm = client.get(reverse("assessments-report-publish", args=[draft.pk]))
    assert confirm.status_code == 200
    client.post(reverse("assessments-report-publish", args=[draft.pk]), {"confirm": "on"})
    draft.refresh_from_db()
    assert draft.status == "published"
    printed = client.get(reverse("assessments-report-print", args=[draft.pk]))
    assert printed.status_code == 200 and "<nav" not in printed.content.decode()


def test_batch_api_202_and_class_page_progress(world, teacher, client_for, client, django_capture_on_commit_callbacks):
    api = client_for(teacher)
    body = {k: v for k, v in _body(world).items() if k != "student"}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/assessments/report-batches/", body, format="json")
    assert response.status_code == 202
    job = api.get(f"/api/v1/assessments/report-batches/{response.json()['id']}/").json()
    assert (job["status"], job["progress"], job["done"], job["total"]) == ("done", 100, 1, 1)
    assert job["result_url"].startswith(LIST)
    assert api.post("/api/v1/assessments/report-batches/", {**body, "term": "zz"}, format="json").status_code == 400
    assert ReportBatch.objects.count() == 1
    client.force_login(teacher)
    page = client.get(
        reverse("assessments-class-reports", args=[world.pe_class.pk]), {"school_year": 2026, "term": "s1"}
    )
    assert page.status_code == 200 and "Generate all" in page.content.decode()
    batch = ReportBatch.objects.get()
    fragment = client.get(reverse("assessments-report-batch-progress", args=[batch.pk]))
    assert fragment.status_code == 200 and 'value="100"' in fragment.content.decode()
    again = client.get(
        reverse("assessments-report-batch-progress", args=[batch.pk]), HTTP_IF_NONE_MATCH=fragment["ETag"]
    )
    assert again.status_code == 304
