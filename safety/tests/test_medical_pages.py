"""Medical pages (list, detail, editor, action plan, class needs), the inclusion tags and admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory

from accounts.models import AuditEvent, Role
from physed.tests.factories import EnrollmentFactory, GuardianshipFactory, PEClassFactory, StudentFactory
from safety.models import ActivityRestriction, EmergencyContact, MedicalProfile
from safety.tests.factories_medical import (
    ActivityRestrictionFactory,
    EmergencyContactFactory,
    MedicalConditionFactory,
    MedicalProfileFactory,
    MedicationFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
BLANK_CONDITION = {"kind": "", "severity": "moderate", "name": "", "trigger": ""}  # what a browser sends


@pytest.fixture
def profile(school):
    profile = MedicalProfileFactory(student=StudentFactory(school=school, first_name="Mia", last_name="Ruiz"))
    MedicalConditionFactory(profile=profile, kind="asthma", name="Exercise-induced asthma")
    MedicationFactory(profile=profile)
    EmergencyContactFactory(profile=profile, name="Rosa Ruiz")
    return profile


def logged_in(client, user):
    client.force_login(user)
    return client


def test_list_for_department_head_with_search_and_filter(client, department_head, school, profile):
    other = MedicalProfileFactory(student__school=school, student__last_name="Quist")
    MedicalConditionFactory(profile=other, kind="epilepsy", name="Epilepsy")
    StudentFactory(school=school, first_name="Miles", last_name="Ruizo")
    page = logged_in(client, department_head).get("/safety/medical/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mia Ruiz" in text and "Quist" in text
    filtered = client.get("/safety/medical/", {"condition": "epilepsy"}).content.decode()
    assert "Quist" in filtered and "Mia Ruiz" not in filtered
    searched = client.get("/safety/medical/", {"q": "ruiz"}).content.decode()
    assert "Mia Ruiz" in searched and "Quist" not in searched
    assert "Miles Ruizo" in searched  # offered as "add a profile"
    assert not AuditEvent.objects.filter(action="safety.medical_profile_viewed").exists()


def test_list_forbidden_for_teacher(client, teacher, profile):
    assert logged_in(client, teacher).get("/safety/medical/").status_code == 403


def test_detail_is_audited_and_shows_notes_to_staff(client, department_head, profile):
    page = logged_in(client, department_head).get(f"/safety/medical/students/{profile.student_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Exercise-induced asthma" in text and "Rosa Ruiz" in text
    assert "Confidential: reviewed with the school nurse." in text
    assert AuditEvent.objects.filter(action="safety.medical_profile_viewed", changes={"context": "page"}).count() == 1


def test_guardian_sees_child_without_staff_notes(client, guardian, profile, school):
    GuardianshipFactory(student=profile.student, guardian=guardian)
    page = logged_in(client, guardian).get(f"/safety/medical/students/{profile.student_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Exercise-induced asthma" in text
    assert "reviewed with the school nurse" not in text and "Confidential condition note" not in text
    stranger = StudentFactory(school=school)
    assert client.get(f"/safety/medical/students/{stranger.pk}/").status_code == 403


def test_other_school_student_is_404(client, member, other_school, profile):
    head = member(other_school, Role.DEPARTMENT_HEAD)
    assert logged_in(client, head).get(f"/safety/medical/students/{profile.student_id}/").status_code == 404


def formset_data(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def edit_payload(**lists):
    data = {"pe_instructions": "Inhaler before PE", "reviewed_on": "2026-11-01", "notes": "Nurse note"}
    for name in ("conditions", "medications", "restrictions", "contacts"):
        rows, initial = lists.get(name, ([], 0))
        data.update(formset_data(name, rows, initial))
    return data


def test_staff_creates_a_profile_through_the_editor(client, department_head, school):
    student = StudentFactory(school=school)
    client = logged_in(client, department_head)
    assert client.get(f"/safety/medical/students/{student.pk}/edit/").status_code == 200
    data = edit_payload(
        conditions=([{"kind": "concussion", "severity": "moderate", "name": "Concussion"}, BLANK_CONDITION], 0),
        restrictions=([{"kind": "no_contact", "start_date": "2026-11-20", "end_date": "2026-12-11"}], 0),
        contacts=([{"name": "Dad", "phone": "+1 555 0102"}], 0),
    )
    response = client.post(f"/safety/medical/students/{student.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = MedicalProfile.objects.get(student=student)
    assert profile.notes == "Nurse note"
    assert list(profile.conditions.values_list("kind", flat=True)) == ["concussion"]
    restriction = ActivityRestriction.objects.get(profile=profile)
    assert str(restriction.end_date) == "2026-12-11"
    assert EmergencyContact.objects.get(profile=profile).priority == 1


def test_editor_rejects_end_before_start(client, department_head, school):
    student = StudentFactory(school=school)
    data = edit_payload(
        restrictions=([{"kind": "no_contact", "start_date": "2026-11-20", "end_date": "2026-11-01"}], 0)
    )
    response = logged_in(client, department_head).post(f"/safety/medical/students/{student.pk}/edit/", data)
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not MedicalProfile.objects.filter(student=student).exists()


def test_editor_removes_ticked_rows(client, department_head, profile):
    contact = profile.contacts.get()
    data = edit_payload(
        contacts=([{"id": contact.pk, "name": contact.name, "phone": contact.phone, "DELETE": "on"}], 1)
    )
    response = logged_in(client, department_head).post(f"/safety/medical/students/{profile.student_id}/edit/", data)
    assert response.status_code == 302
    assert not EmergencyContact.objects.filter(profile=profile).exists()


def test_guardian_edits_without_notes_field(client, guardian, profile):
    GuardianshipFactory(student=profile.student, guardian=guardian)
    client = logged_in(client, guardian)
    form = client.get(f"/safety/medical/students/{profile.student_id}/edit/").content.decode()
    assert 'name="notes"' not in form and 'name="conditions-0-notes"' not in form
    condition = profile.conditions.get()
    data = edit_payload(conditions=([{"id": condition.pk, "kind": "asthma", "severity": "severe"}], 1))
    data.pop("notes")
    response = client.post(f"/safety/medical/students/{profile.student_id}/edit/", data)
    assert response.status_code == 302
    profile.refresh_from_db()
    condition.refresh_from_db()
    assert profile.notes == "Confidential: reviewed with the school nurse."
    assert condition.severity == "severe" and condition.notes == "Confidential condition note"


def test_teacher_cannot_edit(client, teacher, profile):
    assert logged_in(client, teacher).get(f"/safety/medical/students/{profile.student_id}/edit/").status_code == 403


def test_action_plan_pages(client, department_head, profile):
    client = logged_in(client, department_head)
    url = f"/safety/medical/students/{profile.student_id}/action-plan/"
    assert client.get(url).status_code == 404
    bad = client.post(url, {"file": SimpleUploadedFile("plan.pdf", b"GIF89a fake")})
    assert bad.status_code == 400 and "PDF, PNG or JPEG" in bad.content.decode()
    assert client.post(url, {"file": SimpleUploadedFile("plan.pdf", PDF)}).status_code == 302
    download = client.get(url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    remove = f"/safety/medical/students/{profile.student_id}/action-plan/remove/"
    assert client.get(remove).status_code == 200
    assert client.post(remove, {}).status_code == 400
    assert client.post(remove, {"confirm": "on"}).status_code == 302
    profile.refresh_from_db()
    assert not profile.action_plan


def test_class_needs_page(client, teacher, school, profile):
    pe_class = PEClassFactory(school=school)
    EnrollmentFactory(pe_class=pe_class, student=profile.student)
    other = MedicalProfileFactory(student__school=school, pe_instructions="")
    ActivityRestrictionFactory(profile=other)
    EnrollmentFactory(pe_class=pe_class, student=other.student)
    page = logged_in(client, teacher).get(f"/safety/classes/{pe_class.pk}/needs/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Inhaler before PE" in text and "Salbutamol inhaler" in text and "Rosa Ruiz" in text
    assert "No contact" in text or "no contact" in text.lower()
    assert "reviewed with the school nurse" not in text
    assert AuditEvent.objects.filter(action="safety.class_needs_viewed").count() == 1


def test_class_needs_page_empty_and_forbidden(client, teacher, guardian, school):
    pe_class = PEClassFactory(school=school)
    assert "Nothing to know" in logged_in(client, teacher).get(f"/safety/classes/{pe_class.pk}/needs/").content.decode()
    assert logged_in(client, guardian).get(f"/safety/classes/{pe_class.pk}/needs/").status_code == 403


def render_tag(source, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load safety_medical %}" + source).render(Context({"request": request, **context}))


def test_inclusion_tags(teacher, department_head, guardian, school, profile):
    GuardianshipFactory(student=profile.student, guardian=guardian)
    link = "{% medical_profile_link student %}"
    assert f"/safety/medical/students/{profile.student_id}/" in render_tag(link, guardian, student=profile.student)
    assert f"/safety/medical/students/{profile.student_id}/" in render_tag(
        link, department_head, student=profile.student
    )
    assert render_tag(link, teacher, student=profile.student).strip() == ""
    pe_class = PEClassFactory(school=school)
    EnrollmentFactory(pe_class=pe_class, student=profile.student)
    card = render_tag("{% class_needs_summary pe_class %}", teacher, pe_class=pe_class)
    assert "1 student with needs" in card and f"/safety/classes/{pe_class.pk}/needs/" in card
    assert render_tag("{% class_needs_summary pe_class %}", guardian, pe_class=pe_class).strip() == ""


@pytest.mark.parametrize(
    "model", ["medicalprofile", "medicalcondition", "medication", "activityrestriction", "emergencycontact"]
)
def test_admin_pages_load(client, django_user_model, profile, model):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(admin)
    assert client.get(f"/admin/safety/{model}/").status_code == 200
    assert client.get(f"/admin/safety/{model}/add/").status_code == 200
    assert client.get(f"/admin/safety/{model}/?q=Ruiz").status_code == 200
