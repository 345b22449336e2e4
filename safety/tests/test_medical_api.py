"""Medical profiles API: CRUD with nested lists, filters, guardians, audit, bad input, the action
plan (upload, private download, removal) and a class's needs."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent, Notification, Role
from physed.tests.factories import EnrollmentFactory, GuardianshipFactory, PEClassFactory, StudentFactory
from safety.models import ActivityRestriction, EmergencyContact, MedicalCondition, MedicalProfile, Medication
from safety.tests.factories_medical import (
    ActivityRestrictionFactory,
    EmergencyContactFactory,
    MedicalConditionFactory,
    MedicalProfileFactory,
    MedicationFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/safety/medical-profiles/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def detail(profile):
    return f"{BASE}{profile.pk}/"


@pytest.fixture
def profile(school):
    profile = MedicalProfileFactory(student=StudentFactory(school=school, last_name="Ng"), notes="Secret staff note")
    MedicalConditionFactory(profile=profile, kind="allergy", name="Peanut allergy", severity="life_threatening")
    MedicationFactory(profile=profile, name="Epinephrine auto-injector", schedule="emergency", location="teacher")
    EmergencyContactFactory(profile=profile, name="Ana Ng", priority=1)
    return profile


@pytest.fixture
def guardian_of(guardian, profile):
    GuardianshipFactory(student=profile.student, guardian=guardian)
    return guardian


def test_department_head_lists_summaries_without_notes(client_for, department_head, profile, other_school):
    MedicalProfileFactory(student__school=other_school)
    response = client_for(department_head).get(BASE)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    [row] = response.json()["results"]
    assert row["id"] == profile.pk
    assert row["conditions"] == [{"kind": "allergy", "severity": "life_threatening"}]
    assert row["medications_count"] == 1 and row["contacts_count"] == 1
    assert row["has_action_plan"] is False
    assert "notes" not in row
    assert not AuditEvent.objects.filter(action="safety.medical_profile_viewed").exists()


def test_retrieve_is_full_and_audited(client_for, department_head, profile):
    body = client_for(department_head).get(detail(profile)).json()
    assert body["notes"] == "Secret staff note"
    assert body["conditions"][0]["name"] == "Peanut allergy"
    assert body["medications"][0]["location"] == "teacher"
    assert body["contacts"][0]["name"] == "Ana Ng"
    event = AuditEvent.objects.get(action="safety.medical_profile_viewed")
    assert (event.actor, event.target_id, event.changes) == (department_head, str(profile.pk), {"context": "api"})


def test_teacher_without_view_permission_gets_403(client_for, teacher, profile):
    assert client_for(teacher).get(detail(profile)).status_code == 403
    assert client_for(teacher).get(BASE).status_code == 403


def test_other_school_profile_is_404(client_for, other_teacher, other_school, profile, member):
    head = member(other_school, Role.DEPARTMENT_HEAD)
    assert client_for(head).get(detail(profile)).status_code == 404
    assert client_for(head).patch(detail(profile), {"pe_instructions": "x"}, format="json").status_code == 404
    profile.refresh_from_db()
    assert profile.pe_instructions == "Inhaler before PE"


def test_filters(client_for, department_head, school, profile):
    asthma = MedicalProfileFactory(student__school=school)
    MedicalConditionFactory(profile=asthma, kind="asthma")
    pe_class = PEClassFactory(school=school)
    EnrollmentFactory(pe_class=pe_class, student=asthma.student)
    client = client_for(department_head)

    def ids(**params):
        return [row["id"] for row in client.get(BASE, params).json()["results"]]

    assert ids(condition="asthma") == [asthma.pk]
    assert ids(condition="allergy") == [profile.pk]
    assert ids(pe_class=pe_class.pk) == [asthma.pk]
    assert ids(student=profile.student_id) == [profile.pk]
    assert ids(has_action_plan="true") == []
    assert sorted(ids(has_action_plan="false")) == sorted([profile.pk, asthma.pk])
    assert client.get(BASE, {"condition": "flu"}).status_code == 400
    assert client.get(BASE, {"has_action_plan": "maybe"}).status_code == 400


def test_create_with_nested_lists(client_for, department_head, school):
    student = StudentFactory(school=school)
    payload = {
        "student": student.pk,
        "pe_instructions": "Inhaler before PE",
        "notes": "Seen by nurse",
        "conditions": [{"kind": "asthma", "severity": "moderate", "pe_instructions": "Longer warm-up"}],
        "medications": [{"name": "Inhaler", "schedule": "before_pe", "location": "student"}],
        "restrictions": [{"kind": "no_contact", "start_date": "2026-11-01", "end_date": "2026-11-30"}],
        "contacts": [{"name": "Mum", "phone": "+1 555 0101"}, {"name": "Dad", "phone": "+1 555 0102"}],
    }
    response = client_for(department_head).post(BASE, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pe_instructions"] == "Inhaler before PE"
    assert [c["name"] for c in body["contacts"]] == ["Mum", "Dad"]
    assert [c["priority"] for c in body["contacts"]] == [1, 2]
    assert body["restrictions"][0]["end_date"] == "2026-11-30"
    profile = MedicalProfile.objects.get(student=student)
    assert profile.updated_by == department_head
    event = AuditEvent.objects.get(action="safety.medical_profile_created")
    assert event.changes["pe_instructions"] == {"before": "***", "after": "***"}
    assert event.changes["notes"] == "***"
    assert event.changes["conditions"] == {"before": 0, "after": 1}
    assert "Inhaler" not in str(event.changes)
    again = client_for(department_head).post(BASE, {"student": student.pk}, format="json")
    assert again.status_code == 400


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"restrictions": [{"kind": "no_contact", "start_date": "2026-11-10", "end_date": "2026-11-01"}]}, "end_date"),
        ({"restrictions": [{"kind": "no_contact", "start_date": "2026-02-30"}]}, "start_date"),
        ({"restrictions": [{"kind": "flying", "start_date": "2026-11-10"}]}, "kind"),
        ({"conditions": [{"kind": "asthma", "severity": "extreme"}]}, "severity"),
        ({"conditions": [{"kind": "asthma", "colour": "red"}]}, "colour"),
        ({"contacts": [{"name": "No phone"}]}, "phone"),
        ({"conditions": [{"id": 999999, "kind": "asthma"}]}, "id"),
        ({"school": 1}, "school"),
    ],
)
def test_bad_input_is_400_and_nothing_stored(client_for, department_head, profile, payload, field):
    before = (MedicalCondition.objects.count(), ActivityRestriction.objects.count(), EmergencyContact.objects.count())
    response = client_for(department_head).patch(detail(profile), payload, format="json")
    assert response.status_code == 400, response.content
    assert field in str(response.json()["error"]["fields"])
    after = (MedicalCondition.objects.count(), ActivityRestriction.objects.count(), EmergencyContact.objects.count())
    assert after == before
    assert not AuditEvent.objects.filter(action="safety.medical_profile_changed").exists()


def test_patch_replaces_lists_and_keeps_rows_by_id(client_for, department_head, profile):
    condition = profile.conditions.get()
    response = client_for(department_head).patch(
        detail(profile),
        {
            "conditions": [
                {"id": condition.pk, "kind": "allergy", "severity": "severe"},
                {"kind": "asthma", "severity": "mild"},
            ],
            "medications": [],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    condition.refresh_from_db()
    assert condition.severity == "severe" and condition.notes == "Confidential condition note"
    assert sorted(profile.conditions.values_list("kind", flat=True)) == ["allergy", "asthma"]
    assert not Medication.objects.filter(profile=profile).exists()
    assert EmergencyContact.objects.filter(profile=profile).count() == 1  # list left out: untouched
    event = AuditEvent.objects.get(action="safety.medical_profile_changed")
    assert event.changes["conditions"] == {"before": 1, "after": 2}
    assert event.changes["medications"] == {"before": 1, "after": 0}


def test_patch_foreign_condition_id_is_refused(client_for, department_head, school, profile):
    foreign = MedicalConditionFactory(profile__student__school=school)
    response = client_for(department_head).patch(
        detail(profile), {"conditions": [{"id": foreign.pk, "kind": "asthma"}]}, format="json"
    )
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.kind == "asthma" and foreign.profile_id != profile.pk


def test_guardian_lists_reads_and_updates_only_their_child(client_for, guardian_of, school, profile, member):
    head = member(school, Role.DEPARTMENT_HEAD)
    MedicalProfileFactory(student__school=school)  # another child's profile
    client = client_for(guardian_of)
    rows = client.get(BASE).json()["results"]
    assert [row["id"] for row in rows] == [profile.pk]
    body = client.get(detail(profile)).json()
    assert "notes" not in body and "notes" not in body["conditions"][0]
    assert AuditEvent.objects.filter(action="safety.medical_profile_viewed", actor=guardian_of).count() == 1
    response = client.patch(
        detail(profile),
        {
            "pe_instructions": "Two puffs before PE",
            "restrictions": [{"kind": "no_high_impact", "start_date": "2026-11-20"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    profile.refresh_from_db()
    assert profile.pe_instructions == "Two puffs before PE" and profile.notes == "Secret staff note"
    assert AuditEvent.objects.get(action="safety.medical_profile_changed").changes["by_guardian"] is True
    notice = Notification.objects.get(user=head, kind="safety.medical_updated")
    assert profile.student.display_name in notice.title
    assert notice.url == f"/safety/medical/students/{profile.student_id}/"


def test_guardian_cannot_write_staff_notes(client_for, guardian_of, profile):
    client = client_for(guardian_of)
    assert client.patch(detail(profile), {"notes": "mine"}, format="json").status_code == 403
    response = client.patch(detail(profile), {"conditions": [{"kind": "asthma", "notes": "x"}]}, format="json")
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.notes == "Secret staff note" and profile.conditions.get().kind == "allergy"


def test_guardian_of_another_child_gets_403_and_no_children_list_403(client_for, guardian, member, school, profile):
    GuardianshipFactory(student=StudentFactory(school=school), guardian=guardian)
    client = client_for(guardian)
    assert client.get(detail(profile)).status_code == 403
    assert client.patch(detail(profile), {"pe_instructions": "x"}, format="json").status_code == 403
    assert client.get(BASE).json()["results"] == []
    lonely = member(school, Role.GUARDIAN)
    assert client_for(lonely).get(BASE).status_code == 403


def test_guardian_creates_a_profile_for_their_child(client_for, guardian, school):
    child = StudentFactory(school=school)
    GuardianshipFactory(student=child, guardian=guardian)
    stranger = StudentFactory(school=school)
    client = client_for(guardian)
    created = client.post(BASE, {"student": child.pk, "pe_instructions": "Inhaler"}, format="json")
    assert created.status_code == 201, created.content
    assert client.post(BASE, {"student": stranger.pk}, format="json").status_code == 403
    assert client.post(BASE, {"student": child.pk}, format="json").status_code == 400  # exists already
    assert client.post(BASE, {"student": child.pk, "notes": "n"}, format="json").status_code == 403
    assert not MedicalProfile.objects.filter(student=stranger).exists()


def test_action_plan_upload_download_delete(client_for, department_head, guardian_of, profile):
    client = client_for(department_head)
    url = f"{detail(profile)}action-plan/"
    assert client.get(url).status_code == 404
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["action_plan"]["content_type"] == "application/pdf"
    profile.refresh_from_db()
    assert profile.action_plan_size == len(PDF)
    assert "/media/" not in profile.action_plan.name
    download = client_for(guardian_of).get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(
        action="safety.medical_profile_viewed", actor=guardian_of, changes={"context": "action_plan"}
    ).exists()
    assert client.delete(url).status_code == 204
    profile.refresh_from_db()
    assert not profile.action_plan and profile.action_plan_size == 0
    assert AuditEvent.objects.filter(action="safety.medical_action_plan_removed").exists()


@pytest.mark.parametrize(
    "name, content",
    [("plan.pdf", b"MZ\x90\x00 not a pdf"), ("plan.png", PDF), ("plan.exe", PDF), ("plan.pdf", b"")],
)
def test_action_plan_that_is_not_what_it_claims_is_400(client_for, department_head, profile, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_for(department_head).post(f"{detail(profile)}action-plan/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    profile.refresh_from_db()
    assert not profile.action_plan


def test_teacher_cannot_download_action_plan(client_for, teacher, profile):
    assert client_for(teacher).get(f"{detail(profile)}action-plan/").status_code == 403


# ---- class needs --------------------------------------------------------------------------------


@pytest.fixture
def needs_class(school, teacher, profile):
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(teacher)
    EnrollmentFactory(pe_class=pe_class, student=profile.student)
    concussed = MedicalProfileFactory(student__school=school, student__last_name="Zed", pe_instructions="")
    ActivityRestrictionFactory(profile=concussed, kind="no_contact")
    EnrollmentFactory(pe_class=pe_class, student=concussed.student)
    EnrollmentFactory(pe_class=pe_class, student=StudentFactory(school=school))  # nothing recorded
    return pe_class


def test_class_needs_for_teacher(client_for, teacher, needs_class, profile):
    response = client_for(teacher).get(f"/api/v1/safety/classes/{needs_class.pk}/needs/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["students_enrolled"] == 3
    first, second = body["students"]
    assert first["student"] == profile.student_id and first["alert_level"] == "danger"
    assert first["instructions"] == ["Inhaler before PE", "Longer warm-up"]
    assert first["medications"][0] == {
        "name": "Epinephrine auto-injector",
        "dose": "2 puffs",
        "schedule": "emergency",
        "location": "teacher",
    }
    assert first["contacts"] == [{"name": "Ana Ng", "relationship": "Parent", "phone": "+1 555 0100"}]
    assert second["restrictions"] == ["no_contact"] and second["alert_level"] == "warning"
    assert "Secret staff note" not in response.content.decode()
    assert "Confidential condition note" not in response.content.decode()
    event = AuditEvent.objects.get(action="safety.class_needs_viewed")
    assert event.changes["students"] == sorted([profile.student_id, second["student"]])


def test_class_needs_permission_and_scope(client_for, needs_class, member, school, other_school):
    assert (
        client_for(member(school, Role.GUARDIAN)).get(f"/api/v1/safety/classes/{needs_class.pk}/needs/").status_code
        == 403
    )
    other = member(other_school, Role.TEACHER)
    assert client_for(other).get(f"/api/v1/safety/classes/{needs_class.pk}/needs/").status_code == 404
    non_teaching = member(school, Role.TEACHER)
    assert client_for(non_teaching).get(f"/api/v1/safety/classes/{needs_class.pk}/needs/").status_code == 200


def test_expired_restriction_is_not_shown(client_for, teacher, school):
    pe_class = PEClassFactory(school=school)
    old = MedicalProfileFactory(student__school=school, pe_instructions="")
    ActivityRestrictionFactory(profile=old, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 2, 1))
    EnrollmentFactory(pe_class=pe_class, student=old.student)
    body = client_for(teacher).get(f"/api/v1/safety/classes/{pe_class.pk}/needs/").json()
    assert body["students"] == []
