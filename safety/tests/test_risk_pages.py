"""Risk assessment pages: list, create with hazard rows, detail with the matrix, workflow steps
behind a confirmation, print, bands."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from safety.models import Hazard, RiskAssessment, RiskAssessmentStatus, RiskBand
from safety.services.risk_data import load_default_bands
from safety.tests.factories_risk import HazardFactory, RiskAssessmentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def default_bands(db):
    load_default_bands()


def form_data(**extra):
    data = {
        "title": "Climbing wall",
        "subject": "venue",
        "venue": "Sports hall wall",
        "review_date": (TODAY + datetime.timedelta(days=200)).isoformat(),
        "hazards-TOTAL_FORMS": "2",
        "hazards-INITIAL_FORMS": "0",
        "hazards-MIN_NUM_FORMS": "0",
        "hazards-MAX_NUM_FORMS": "60",
        "hazards-0-description": "Falls from the wall",
        "hazards-0-likelihood": "3",
        "hazards-0-severity": "4",
        "hazards-0-controls": "Crash mats",
        "hazards-0-residual_likelihood": "2",
        "hazards-0-residual_severity": "3",
    }
    data.update(extra)
    return data


def test_create_page_saves_a_draft_with_its_hazards(client, teacher):
    client.force_login(teacher)
    page = client.get(reverse("safety-assessment-create"))
    assert page.status_code == 200 and 'name="hazards-0-likelihood"' in page.content.decode()
    data = form_data(owner=str(teacher.pk))
    response = client.post(reverse("safety-assessment-create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = RiskAssessment.objects.get()
    assert (assessment.title, assessment.owner, assessment.created_by) == ("Climbing wall", teacher, teacher)
    assert [
        (h.likelihood, h.severity, h.residual_likelihood, h.residual_severity) for h in assessment.hazards.all()
    ] == [(3, 4, 2, 3)]
    detail = client.get(response["Location"]).content.decode()
    assert "12" in detail and "High" in detail and "rk-tone-3" in detail
    assert "The activity may go ahead" in detail and 'style="' not in detail


def test_create_page_refuses_residual_above_initial_and_missing_subject_field(client, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("safety-assessment-create"),
        form_data(owner=str(teacher.pk), **{"hazards-0-residual_likelihood": "5", "hazards-0-residual_severity": "5"}),
    )
    assert response.status_code == 200 and "cannot be higher" in response.content.decode()
    response = client.post(reverse("safety-assessment-create"), form_data(owner=str(teacher.pk), venue=""))
    assert response.status_code == 200 and "needs the venue" in response.content.decode()
    response = client.post(
        reverse("safety-assessment-create"), form_data(owner=str(teacher.pk), review_date="2026-02-30")
    )
    assert response.status_code == 200
    assert RiskAssessment.objects.count() == 0 and Hazard.objects.count() == 0


def test_list_filters_and_badges(client, teacher, school, other_school):
    due = RiskAssessmentFactory(
        school=school, status="approved", title="Track", review_date=TODAY - datetime.timedelta(days=2)
    )
    HazardFactory(assessment=due, likelihood=5, severity=5, residual_likelihood=5, residual_severity=4)
    RiskAssessmentFactory(school=school, status="submitted", title="Pool")
    RiskAssessmentFactory(school=other_school, title="Elsewhere")
    client.force_login(teacher)
    page = client.get(reverse("safety-assessment-list")).content.decode()
    assert "Track" in page and "Pool" in page and "Elsewhere" not in page
    assert "Due for review" in page and "Must not proceed" in page and "rk-status-submitted" in page
    filtered = client.get(reverse("safety-assessment-list"), {"due_for_review": "true"}).content.decode()
    assert "Track" in filtered and "Pool" not in filtered
    assert "No risk assessments match" in client.get(reverse("safety-assessment-list"), {"q": "zzz"}).content.decode()


def test_workflow_through_pages_with_confirmation(client, teacher, department_head, school):
    assessment = RiskAssessmentFactory(school=school, owner=teacher, created_by=teacher)
    HazardFactory(assessment=assessment)
    step = lambda name: reverse("safety-assessment-step", args=[assessment.pk, name])  # noqa: E731
    client.force_login(teacher)
    detail = client.get(reverse("safety-assessment-detail", args=[assessment.pk])).content.decode()
    assert step("submit") in detail and step("approve") not in detail
    assert "Submit this assessment?" in client.get(step("submit")).content.decode()
    assert RiskAssessment.objects.get().status == "draft"  # GET only asks
    client.post(step("submit"))
    assert RiskAssessment.objects.get().status == "submitted"
    assert client.get(reverse("safety-assessment-edit", args=[assessment.pk])).status_code == 302
    assert client.post(step("approve")).status_code == 403
    client.force_login(department_head)
    client.post(step("return"), {"note": ""})
    assert RiskAssessment.objects.get().status == "submitted"
    client.post(step("approve"), {"note": "ok"})
    approved = RiskAssessment.objects.get()
    assert (approved.status, approved.decided_by) == (RiskAssessmentStatus.APPROVED, department_head)
    client.force_login(teacher)
    client.post(step("reopen"), {"note": ""})
    assert RiskAssessment.objects.get().status == "draft" and RiskAssessment.objects.get().decided_by is None
    assert client.get(step("explode")).status_code == 404


def test_print_page_has_the_matrix_hazards_and_approvals(client, teacher, school):
    assessment = RiskAssessmentFactory(school=school, title="Gym apparatus", status="approved")
    HazardFactory(assessment=assessment, description="Falls from the box")
    client.force_login(teacher)
    page = client.get(reverse("safety-assessment-print", args=[assessment.pk])).content.decode()
    assert "Falls from the box" in page and "rk-matrix" in page and "Approvals" in page
    assert "<script" not in page and 'style="' not in page


def test_delete_page_only_for_admins_and_drafts(client, teacher, school_admin, school, other_school):
    draft = RiskAssessmentFactory(school=school)
    foreign = RiskAssessmentFactory(school=other_school)
    client.force_login(teacher)
    assert client.get(reverse("safety-assessment-delete", args=[draft.pk])).status_code == 403
    assert client.get(reverse("safety-assessment-detail", args=[foreign.pk])).status_code == 404
    client.force_login(school_admin)
    assert "cannot be undone" in client.get(reverse("safety-assessment-delete", args=[draft.pk])).content.decode()
    assert client.post(reverse("safety-assessment-delete", args=[draft.pk])).status_code == 302
    assert not RiskAssessment.objects.filter(pk=draft.pk).exists()


def test_bands_page_shows_defaults_and_admins_replace_and_restore(client, teacher, school_admin, school, member):
    client.force_login(teacher)
    page = client.get(reverse("safety-risk-bands")).content.decode()
    assert "Do not proceed" in page and "convention" in page and 'name="bands-0-code"' not in page
    assert client.post(reverse("safety-risk-bands"), {}).status_code == 403
    client.force_login(school_admin)
    data = {
        "bands-TOTAL_FORMS": "2",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "25",
    }
    for index, (code, low, high, allowed) in enumerate((("ok", 1, 9, "on"), ("stop", 10, 24, ""))):
        data.update(
            {
                f"bands-{index}-code": code,
                f"bands-{index}-name": code.title(),
                f"bands-{index}-min_score": low,
                f"bands-{index}-max_score": high,
                f"bands-{index}-colour": "#123456",
                f"bands-{index}-required_action": "Act",
                f"bands-{index}-activity_allowed": allowed,
            }
        )
    client.post(reverse("safety-risk-bands"), data)
    assert not RiskBand.objects.filter(school=school).exists()  # 25 not covered
    data["bands-1-max_score"] = 25
    assert client.post(reverse("safety-risk-bands"), data).status_code == 302
    assert list(RiskBand.objects.filter(school=school).values_list("code", "activity_allowed")) == [
        ("ok", True),
        ("stop", False),
    ]
    assert "Restore the default bands" in client.get(reverse("safety-risk-bands")).content.decode()
    client.post(reverse("safety-risk-bands-restore"))
    assert not RiskBand.objects.filter(school=school).exists()


def test_guardian_cannot_open_the_pages(client, school, member):
    client.force_login(member(school, Role.GUARDIAN))
    assert client.get(reverse("safety-assessment-list")).status_code == 403
    assert client.get(reverse("safety-risk-bands")).status_code == 403
