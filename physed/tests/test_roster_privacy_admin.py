"""Roster privacy declarations (export holds the student's PE record; erasure unlinks accounts),
the admin pages, and the demo roster (idempotent, fits the schools)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from accounts.privacy import registry
from physed.models import ClassMeeting, Enrollment, Guardianship, PEClass, RosterImport, Student
from physed.services import roster as service
from physed.tests.factories_roster import EnrollmentFactory, PEClassFactory, RosterImportFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_student_export_includes_the_pe_record(school, student):
    record = StudentFactory(school=school, first_name="Kim")
    service.link_student_user(actor=None, student=record, user=student)
    EnrollmentFactory(student=record, pe_class=PEClassFactory(school=school, name="PE 7 Blue"))
    entry = registry.entry_for("physed.Student")
    rows = list(entry.export_rows(entry.queryset_for(student)))
    assert len(rows) == 1 and rows[0]["first_name"] == "Kim" and "user_id" not in rows[0]
    assert rows[0]["classes"][0]["class"] == "PE 7 Blue" and rows[0]["classes"][0]["status"] == "active"


def test_erasing_accounts_unlinks_records_and_grants(school, student, guardian, school_admin):
    record = StudentFactory(school=school)
    service.link_student_user(actor=None, student=record, user=student)
    service.add_guardian(actor=None, student=record, guardian=guardian, name="Pat", email="pat@x.org")
    entry = registry.entry_for("physed.Student")
    assert entry.erase(entry.queryset_for(student), student) == ("anonymized", 1)
    record.refresh_from_db()
    assert record.user is None and not User.objects.get(pk=student.pk).has_perm("physed.view_student", record)
    entry = registry.entry_for("physed.Guardianship")
    assert entry.erase(entry.queryset_for(guardian), guardian) == ("anonymized", 1)
    link = Guardianship.objects.get()
    assert link.guardian is None and link.email == "pat@x.org"  # the school's contact record stays
    assert not User.objects.get(pk=guardian.pk).has_perm("physed.view_student", record)
    RosterImportFactory(school=school, created_by=school_admin)
    entry = registry.entry_for("physed.RosterImport")
    assert entry.erase(entry.queryset_for(school_admin), school_admin) == ("anonymized", 1)
    assert RosterImport.objects.get().created_by is None


@pytest.mark.parametrize("model", [Student, Guardianship, PEClass, ClassMeeting, Enrollment, RosterImport])
def test_admin_pages_load(client, school, model):
    assert admin.site.is_registered(model)
    enrollment = EnrollmentFactory(pe_class__school=school)
    Guardianship.objects.create(student=enrollment.student, name="Pat")
    ClassMeeting.objects.create(pe_class=enrollment.pe_class, weekday=0, start_time="09:00", end_time="10:00")
    RosterImportFactory(school=school)
    client.force_login(User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42"))
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "a"}).status_code == 200
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[model.objects.first().pk])
    assert client.get(change).status_code == 200


def test_student_admin_export(client, school):
    StudentFactory(school=school, first_name="Kim", external_id="K1")
    client.force_login(User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42"))
    response = client.post(
        reverse("admin:physed_student_export"),
        {
            "format": "0",
            "export_items": [Student.objects.get().pk],
            **{f"studentresource_{f}": True for f in ("school", "external_id", "first_name")},
        },
    )
    assert response.status_code == 200
    assert b"K1" in response.content and b"northside" in response.content
