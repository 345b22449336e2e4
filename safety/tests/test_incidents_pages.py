"""Incident pages, admin, demo, privacy and the dashboard card."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from physed.tests.factories import GuardianshipFactory, PEClassFactory, StudentFactory
from safety.models import GuardianNotice, Incident, IncidentAction, IncidentAmendment, IncidentStudent
from safety.services import incidents as services
from safety.tests.factories_incidents import (
    GuardianNoticeFactory,
    IncidentActionFactory,
    IncidentFactory,
    IncidentStudentFactory,
)

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def report_post(student, **extra):
    data = {
        "kind": "injury",
        "severity": "minor",
        "occurred_at": local(timezone.now() - datetime.timedelta(hours=1)),
        "location": "Main gym",
        "description": "Slipped on a wet patch.",
        "supervision": "direct",
        "medical_referral": "none",
        "days_missed": "0",
        "contributing_factors": ["wet_slippery_surface"],
        "students-TOTAL_FORMS": "2",
        "students-INITIAL_FORMS": "0",
        "students-0-student": str(student.pk),
        "students-0-injured": "on",
        "students-0-body_area": "knee",
        "students-0-injury_type": "bruise",
        "students-1-body_area": "none",
        "students-1-injury_type": "none",
    }
    data.update(extra)
    return data


def test_list_page_filters_and_empty_state(client, teacher, school, other_school):
    client.force_login(teacher)
    response = client.get(reverse("safety-incidents"))
    assert response.status_code == 200 and "No incidents match." in response.content.decode()
    IncidentFactory(school=school, reference="INC-2026-0042", location="Sports field")
    IncidentFactory(school=other_school, reference="INC-2026-0099")
    page = client.get(reverse("safety-incidents"), {"q": "sports"}).content.decode()
    assert "INC-2026-0042" in page and "INC-2026-0099" not in page
    assert "INC-2026-0042" not in client.get(reverse("safety-incidents"), {"kind": "near_miss"}).content.decode()


def test_guardian_cannot_open_incident_pages(client, guardian, school):
    client.force_login(guardian)
    assert client.get(reverse("safety-incidents")).status_code == 403
    assert client.get(reverse("safety-incident-report")).status_code == 403


def test_report_page_files_a_report(client, teacher, school):
    client.force_login(teacher)
    assert client.get(reverse("safety-incident-report")).status_code == 200
    student = StudentFactory(school=school)
    response = client.post(reverse("safety-incident-report"), report_post(student))
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == reverse("safety-incident-detail", args=[incident.pk])
    assert incident.students.get().student == student
    assert incident.contributing_factors == ["wet_slippery_surface"]


def test_report_page_rejects_future_dates(client, teacher, school):
    client.force_login(teacher)
    future = local(timezone.now() + datetime.timedelta(days=3))
    response = client.post(
        reverse("safety-incident-report"), report_post(StudentFactory(school=school), occurred_at=future)
    )
    assert response.status_code == 200 and "future" in response.content.decode()
    assert not Incident.objects.exists()


def test_quick_near_miss(client, assistant, school):
    client.force_login(assistant)
    assert client.get(reverse("safety-incident-near-miss")).status_code == 200
    response = client.post(
        reverse("safety-incident-near-miss"),
        {
            "occurred_at": local(timezone.now()),
            "location": "Court 2",
            "description": "Ball rolled under a runner's feet.",
            "contributing_factors": ["obstacle_in_area"],
        },
    )
    assert response.status_code == 302
    near = Incident.objects.get()
    assert near.kind == "near_miss" and near.severity == "none" and near.reported_by == assistant


def test_detail_is_audited_and_shows_history(client, teacher, school):
    incident = IncidentFactory(school=school)
    IncidentStudentFactory(incident=incident)
    services.amend_incident(actor=teacher, incident=incident, reason="Typo in place", location="Gym B")
    client.force_login(teacher)
    page = client.get(reverse("safety-incident-detail", args=[incident.pk])).content.decode()
    assert "Typo in place" in page and "Gym B" in page and "Main gym" in page
    assert AuditEvent.objects.filter(action="safety.incident_viewed", target_id=str(incident.pk)).count() == 1


def test_other_school_detail_is_404(client, teacher, other_school):
    client.force_login(teacher)
    incident = IncidentFactory(school=other_school)
    assert client.get(reverse("safety-incident-detail", args=[incident.pk])).status_code == 404


def test_amend_page_requires_reason_and_records_changes(client, teacher, school):
    incident = IncidentFactory(school=school)
    row = IncidentStudentFactory(incident=incident, body_area="knee", injury_type="cut")
    client.force_login(teacher)
    url = reverse("safety-incident-amend", args=[incident.pk])
    assert client.get(url).status_code == 200
    data = report_post(row.student, location="Gym B", description=incident.description, contributing_factors=[])
    data["students-0-injury_type"] = "cut"
    data["students-INITIAL_FORMS"] = "1"  # as rendered: the existing row is an initial form
    data["occurred_at"] = local(incident.occurred_at)
    response = client.post(url, data)
    assert response.status_code == 200 and not IncidentAmendment.objects.exists()
    response = client.post(url, {**data, "reason": "Wrong gym"})
    assert response.status_code == 302, (response.context["form"].errors, response.context["formset"].errors)
    amendment = IncidentAmendment.objects.get()
    assert amendment.changes["location"] == ["Main gym", "Gym B"]
    assert "occurred_at" not in amendment.changes


def test_transition_confirm_and_actions(client, teacher, department_head, school):
    incident = IncidentFactory(school=school)
    client.force_login(department_head)
    url = reverse("safety-incident-transition", args=[incident.pk])
    assert client.get(url, {"status": "under_review"}).status_code == 200
    client.post(url, {"status": "under_review"})  # no confirmation: nothing happens
    incident.refresh_from_db()
    assert incident.status == "reported"
    client.post(url, {"status": "under_review", "confirm": "on"})
    incident.refresh_from_db()
    assert incident.status == "under_review"
    due = timezone.localdate().isoformat()
    client.post(
        reverse("safety-incident-action-add", args=[incident.pk]),
        {"description": "Replace the mat", "owner": teacher.pk, "due_date": due},
    )
    action = IncidentAction.objects.get()
    client.post(url, {"status": "closed", "confirm": "on"})
    incident.refresh_from_db()
    assert incident.status == "under_review"
    client.force_login(teacher)
    client.post(reverse("safety-incident-action-complete", args=[action.pk]), {"note": "New mat"})
    action.refresh_from_db()
    assert action.completed_by == teacher


def test_notice_pages_and_guardian_view(client, teacher, guardian, school):
    student = StudentFactory(school=school)
    GuardianshipFactory(student=student, guardian=guardian)
    incident = IncidentFactory(school=school)
    IncidentStudentFactory(incident=incident, student=student)
    client.force_login(teacher)
    client.post(reverse("safety-incident-notices-generate", args=[incident.pk]))
    notice = GuardianNotice.objects.get()
    edit = reverse("safety-guardian-notice-edit", args=[notice.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"subject": "Knee graze today", "body": "Dear family, ..."})
    send = reverse("safety-guardian-notice-send", args=[notice.pk])
    assert client.get(send).status_code == 200
    client.post(send, {"confirm": "on"})
    notice.refresh_from_db()
    assert notice.subject == "Knee graze today" and notice.sent_at is not None
    client.force_login(guardian)
    page = client.get(reverse("safety-my-incident-notices")).content.decode()
    assert "Knee graze today" in page
    assert client.get(reverse("safety-guardian-notice", args=[notice.pk])).status_code == 200
    other = GuardianNoticeFactory(incident__school=school, sent_at=timezone.now())
    assert client.get(reverse("safety-guardian-notice", args=[other.pk])).status_code == 404


def test_analytics_page(client, department_head, school):
    IncidentFactory(school=school, pe_class=PEClassFactory(school=school))
    client.force_login(department_head)
    response = client.get(reverse("safety-incident-analytics"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "By kind" in page and "<svg" in page
    assert (
        client.get(
            reverse("safety-incident-analytics"), {"date_from": "2026-05-01", "date_to": "2026-01-01"}
        ).status_code
        == 400
    )


def test_open_incidents_card(teacher, guardian, school):
    IncidentFactory(school=school, reference="INC-2026-0005")
    IncidentFactory(school=school, reference="INC-2026-0006", status="closed")
    template = Template("{% load safety_incidents %}{% open_incidents_card school %}")
    request = RequestFactory().get("/")
    request.user = teacher
    html = template.render(Context({"school": school, "request": request}))
    assert "INC-2026-0005" in html and "INC-2026-0006" not in html
    request.user = guardian
    assert "INC-2026-0005" not in template.render(Context({"school": school, "request": request}))


@pytest.mark.parametrize("model", [Incident, IncidentStudent, IncidentAction, IncidentAmendment, GuardianNotice])
def test_admin_pages_load_and_nothing_can_be_deleted(client, model, school):
    superuser = User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")
    client.force_login(superuser)
    IncidentStudentFactory(incident__school=school)
    IncidentActionFactory(incident__school=school)
    GuardianNoticeFactory(incident__school=school)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "inc"}).status_code == 200
    obj = model.objects.first() or IncidentAmendment.objects.create(incident=Incident.objects.first(), reason="r")
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200
    request = RequestFactory().get("/")
    request.user = superuser
    assert site._registry[model].has_delete_permission(request, obj) is False


def test_demo_is_idempotent(school, other_school):
    from accounts.demo import seed as seed_accounts  # noqa: F401  (the demo chain is exercised by seed_demo)
    from accounts.models import Role
    from accounts.tests.factories import make_member
    from physed.tests.factories import ClassSessionFactory
    from safety import demo_incidents

    make_member(school, Role.TEACHER, email=f"teacher@{school.slug}.demo")
    make_member(school, Role.DEPARTMENT_HEAD, email=f"head@{school.slug}.demo")
    guardian = make_member(school, Role.GUARDIAN, email=f"guardian@{school.slug}.demo")
    sky = StudentFactory(school=school, first_name="Sky", last_name="Student")
    GuardianshipFactory(student=sky, guardian=guardian)
    for _ in range(6):
        StudentFactory(school=school)
    ClassSessionFactory(pe_class__school=school, status="completed", date=timezone.localdate())
    demo_incidents.seed({"schools": {school.slug: school}})
    counts = (Incident.objects.count(), IncidentAction.objects.count(), IncidentAmendment.objects.count())
    demo_incidents.seed({"schools": {school.slug: school}})
    assert (Incident.objects.count(), IncidentAction.objects.count(), IncidentAmendment.objects.count()) == counts
    assert Incident.objects.count() == 10
    assert set(Incident.objects.values_list("status", flat=True)) == {
        "reported",
        "under_review",
        "action_required",
        "closed",
    }
    assert IncidentAction.objects.filter(completed_at__isnull=True, incident__status="action_required").exists()
    assert GuardianNotice.objects.filter(student=sky, sent_at__isnull=False).exists()
    assert IncidentAmendment.objects.filter(kind="correction", changes__has_key="location").exists()


def test_privacy_export_and_erasure(teacher, school):
    from accounts.privacy import registry

    student_user = User.objects.create_user("kid@example.org", "a-long-unusual-passphrase-42")
    student = StudentFactory(school=school, user=student_user)
    incident = IncidentFactory(school=school, reported_by=teacher)
    incident.staff_present.add(teacher)
    IncidentStudentFactory(incident=incident, student=student)
    GuardianNoticeFactory(incident=incident, student=student)
    exported = {
        entry.label: list(entry.export_rows(entry.queryset_for(student_user)))
        for entry in registry.entries()
        if entry.label in {"safety.Incident", "safety.IncidentStudent", "safety.GuardianNotice"}
    }
    assert len(exported["safety.IncidentStudent"]) == 1 and len(exported["safety.GuardianNotice"]) == 1
    assert [row["id"] for row in exported["safety.Incident"]] == [incident.pk]
    for label in ("safety.Incident", "safety.IncidentStudent", "safety.GuardianNotice", "safety.IncidentAction"):
        entry = registry.entry_for(label)
        for user in (student_user, teacher):
            queryset = entry.queryset_for(user)
            if entry.erase == registry.DELETE:
                queryset.delete()
            elif isinstance(entry.erase, dict):
                queryset.update(**entry.erase)
            else:
                entry.erase(queryset, user)
    incident.refresh_from_db()
    assert incident.reported_by is None and incident.staff_present.count() == 0
    assert not IncidentStudent.objects.exists() and not GuardianNotice.objects.exists()
    assert Incident.objects.filter(pk=incident.pk).exists()
