"""Medical selectors (restriction provider, class needs), services, demo and privacy."""

import datetime

import pytest

from accounts.models import AuditEvent, Role
from accounts.privacy import registry
from physed.selectors.adaptation_providers import extra_restrictions
from physed.tests.factories import EnrollmentFactory, GuardianshipFactory, PEClassFactory, StudentFactory
from safety.models import ActivityRestriction, EmergencyContact, MedicalCondition, MedicalProfile, Medication
from safety.selectors import medical as selectors
from safety.services import medical as services
from safety.tests.factories_medical import (
    ActivityRestrictionFactory,
    EmergencyContactFactory,
    MedicalConditionFactory,
    MedicalProfileFactory,
    MedicationFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 26)


def test_restriction_provider_returns_kinds_in_force(school):
    a = MedicalProfileFactory(student__school=school)
    b = MedicalProfileFactory(student__school=school)
    ActivityRestrictionFactory(profile=a, kind="no_contact", start_date=DAY, end_date=DAY)
    ActivityRestrictionFactory(profile=a, kind="no_running", start_date=DAY, end_date=None)
    ActivityRestrictionFactory(profile=a, kind="no_contact", start_date=DAY - datetime.timedelta(days=9), end_date=None)
    ActivityRestrictionFactory(profile=b, kind="no_contact", start_date=DAY + datetime.timedelta(days=1), end_date=None)
    ActivityRestrictionFactory(
        profile=b,
        kind="no_jumping",
        start_date=DAY - datetime.timedelta(days=9),
        end_date=DAY - datetime.timedelta(days=1),
    )
    result = selectors.restriction_provider([a.student, b.student], DAY)
    assert result == {a.student_id: ["no_contact", "no_running"]}
    assert selectors.restriction_provider([], DAY) == {}
    # wired into the physed adaptation engine
    assert extra_restrictions([a.student, b.student], DAY) == {a.student_id: ["no_contact", "no_running"]}


def test_class_needs_levels_and_content(school):
    danger = MedicalProfileFactory(student__school=school, student__last_name="B", pe_instructions="")
    MedicalConditionFactory(profile=danger, kind="allergy", name="", trigger="Peanuts", severity="life_threatening")
    warning = MedicalProfileFactory(student__school=school, student__last_name="A", pe_instructions="Inhaler before PE")
    MedicationFactory(profile=warning, schedule="before_pe", location="student", name="Inhaler")
    MedicationFactory(profile=warning, schedule="daily", location="home", name="Daily tablet")
    EmergencyContactFactory(profile=warning, name="Second", priority=2)
    EmergencyContactFactory(profile=warning, name="First", priority=1)
    info = MedicalProfileFactory(student__school=school, student__last_name="C", pe_instructions="Glasses strap")
    nothing = MedicalProfileFactory(student__school=school, pe_instructions="")
    EmergencyContactFactory(profile=nothing)  # contacts alone are not a need
    stranger = StudentFactory(school=school)
    needs = selectors.class_needs([danger.student, warning.student, info.student, nothing.student, stranger], DAY)
    assert [(n.student.pk, n.alert_level) for n in needs] == [
        (danger.student_id, "danger"),
        (warning.student_id, "warning"),
        (info.student_id, "info"),
    ]
    assert needs[0].conditions[0].label == "Allergy: Peanuts"
    assert needs[0].conditions[0].severity == "life_threatening"
    assert needs[1].instructions == ["Inhaler before PE"]
    assert [(m.name, m.schedule, m.location) for m in needs[1].medications] == [("Inhaler", "before_pe", "student")]
    assert [c.name for c in needs[1].contacts] == ["First", "Second"]
    assert needs[2].instructions == ["Glasses strap"] and needs[2].medications == []


def test_emergency_medication_is_danger_and_restriction_is_warning(school):
    med = MedicalProfileFactory(student__school=school)
    MedicationFactory(profile=med, schedule="emergency")
    restricted = MedicalProfileFactory(student__school=school, pe_instructions="")
    ActivityRestrictionFactory(profile=restricted, start_date=DAY, end_date=DAY)
    levels = {n.student.pk: n.alert_level for n in selectors.class_needs([med.student, restricted.student], DAY)}
    assert levels == {med.student_id: "danger", restricted.student_id: "warning"}
    [item] = selectors.class_needs([restricted.student], DAY)
    assert item.restrictions == ["no_contact"] and item.restriction_rows[0].until == DAY


def test_class_students_are_active_enrollments(school):
    pe_class = PEClassFactory(school=school)
    active = EnrollmentFactory(pe_class=pe_class).student
    EnrollmentFactory(pe_class=pe_class, status="withdrawn")
    assert selectors.class_students(pe_class) == [active]


def test_service_refuses_strangers_and_teachers(school, teacher, member):
    student = StudentFactory(school=school)
    with pytest.raises(services.ServiceError) as exc:
        services.save_profile(actor=teacher, student=student, values={"pe_instructions": "x"})
    assert exc.value.status == 403
    assert not MedicalProfile.objects.exists()


def test_record_class_needs_read(school, teacher):
    students = [StudentFactory(school=school) for _ in range(2)]
    services.record_class_needs_read(teacher, school, students, "session:7")
    event = AuditEvent.objects.get(action="safety.class_needs_viewed")
    assert event.actor == teacher and event.school == school
    assert event.changes == {"context": "session:7", "students": sorted(s.pk for s in students)}


def test_unchanged_save_writes_no_audit_row(school, department_head):
    profile = MedicalProfileFactory(student__school=school)
    services.save_profile(
        actor=department_head, student=profile.student, values={"pe_instructions": profile.pe_instructions}
    )
    assert not AuditEvent.objects.filter(action="safety.medical_profile_changed").exists()


# ---- demo -------------------------------------------------------------------------------------------


def _demo_state():
    return (
        sorted(MedicalProfile.objects.values_list("pk", "student_id", "pe_instructions")),
        sorted(MedicalCondition.objects.values_list("pk", "kind", "severity", "occurred_on")),
        sorted(Medication.objects.values_list("pk", "name", "schedule", "location")),
        sorted(ActivityRestriction.objects.values_list("pk", "kind", "start_date", "end_date")),
        sorted(EmergencyContact.objects.values_list("pk", "name", "phone", "priority")),
    )


def test_demo_seed_is_idempotent(school, member):
    from safety import demo_medical

    guardian = member(school, Role.GUARDIAN, email=f"guardian@{school.slug}.demo")
    child = StudentFactory(school=school, external_id="N-DEMO-1")
    GuardianshipFactory(student=child, guardian=guardian, name="Pat Guardian", phone="+1 555 0100")
    classes = [PEClassFactory(school=school) for _ in range(2)]
    for pe_class in classes:
        for _ in range(4):
            EnrollmentFactory(pe_class=pe_class)
        EnrollmentFactory(pe_class=pe_class, student=child)
    demo_medical.seed({"schools": {school.slug: school}})
    first = _demo_state()
    demo_medical.seed({"schools": {school.slug: school}})
    assert _demo_state() == first
    assert MedicalProfile.objects.count() == 7  # the guardian's child + 3 per class
    assert child.medical_profile.contacts.order_by("priority").first().name == "Pat Guardian"
    kinds = set(MedicalCondition.objects.values_list("kind", flat=True))
    assert kinds == {"asthma", "allergy", "diabetes", "concussion", "epilepsy"}
    concussion = ActivityRestriction.objects.get(kind="no_contact")
    assert (concussion.end_date - concussion.start_date).days == 31
    epi = Medication.objects.get(name="Epinephrine auto-injector")
    assert (epi.schedule, epi.location) == ("emergency", "teacher")


# ---- privacy ------------------------------------------------------------------------------------------


def test_export_with_student_account_not_guardian(school, member, department_head):
    from django.core.files.base import ContentFile

    user = member(school, Role.STUDENT)
    guardian = member(school, Role.GUARDIAN)
    profile = MedicalProfileFactory(student__school=school, student__user=user, updated_by=department_head)
    GuardianshipFactory(student=profile.student, guardian=guardian)
    MedicalConditionFactory(profile=profile)
    profile.action_plan.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=True)
    entry = registry.entry_for("safety.MedicalProfile")
    rows = list(entry.export_rows(entry.queryset_for(user)))
    assert [row["id"] for row in rows] == [profile.pk] and "updated_by_id" not in rows[0]
    assert [name for name, _file in entry.files(user)] == [f"medical-action-plan-{profile.pk}.pdf"]
    assert list(entry.queryset_for(guardian)) == [] and list(entry.queryset_for(department_head)) == []
    conditions = registry.entry_for("safety.MedicalCondition")
    assert conditions.queryset_for(user).count() == 1


def test_erasure_deletes_profile_and_file_and_unlinks_editor(school, member, department_head):
    from django.core.files.base import ContentFile

    user = member(school, Role.STUDENT)
    profile = MedicalProfileFactory(student__school=school, student__user=user, updated_by=department_head)
    ContactFile = ContentFile(b"%PDF-1.4 plan")
    profile.action_plan.save("plan.pdf", ContactFile, save=True)
    name, storage = profile.action_plan.name, profile.action_plan.storage
    other = MedicalProfileFactory(student__school=school, updated_by=department_head)
    entry = registry.entry_for("safety.MedicalProfile")
    entry.erase(entry.queryset_for(department_head), department_head)
    other.refresh_from_db()
    assert other.updated_by is None and MedicalProfile.objects.filter(pk=other.pk).exists()
    action, count = entry.erase(entry.queryset_for(user), user)
    assert (action, count) == (registry.DELETE, 1)
    assert not MedicalProfile.objects.filter(pk=profile.pk).exists()
    assert not storage.exists(name)


def test_full_erasure_of_the_student_account_removes_the_profile(school, member, school_admin):
    """Through the real erasure service: the medical rows must go with the student's account even
    though physed's ``Student`` entry unlinks the account in the same run."""
    from accounts.services import privacy as service

    user = member(school, Role.STUDENT)
    profile = MedicalProfileFactory(student__school=school, student__user=user)
    MedicalConditionFactory(profile=profile)
    erasure = service.request_erasure(requester=user, subject=user)
    service.approve_erasure(actor=school_admin, erasure=erasure)
    assert not MedicalProfile.objects.filter(pk=profile.pk).exists()
    assert not MedicalCondition.objects.filter(profile_id=profile.pk).exists()
