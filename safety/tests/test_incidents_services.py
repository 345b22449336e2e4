"""Incident services and selectors: filing, validation, amendments, workflow, actions, notices,
participation hours."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Notification, Role
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from physed.models import AttendanceStatus
from physed.tests.factories import (
    ActivityFactory,
    AttendanceRecordFactory,
    ClassSessionFactory,
    GuardianshipFactory,
    PEClassFactory,
    SessionBlockFactory,
    StudentFactory,
)
from safety.models import GuardianNotice, Incident, IncidentAmendment, IncidentStatus
from safety.selectors import incidents as selectors
from safety.services import incidents as services
from safety.services import incidents_notices as notices

pytestmark = pytest.mark.django_db


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def file_injury(actor, school, **extra):
    student = extra.pop("student", None) or StudentFactory(school=school)
    values = {
        "kind": "injury",
        "severity": "minor",
        "occurred_at": ago(hours=3),
        "location": "Main gym",
        "description": "Twisted an ankle landing.",
        "students": [{"student": student, "injured": True, "body_area": "ankle_foot", "injury_type": "sprain"}],
    }
    values.update(extra)
    return services.report_incident(actor=actor, school=school, **values)


def test_report_numbers_per_school_and_year_and_notifies_leads(
    teacher, department_head, school_admin, school, other_school
):
    first = file_injury(teacher, school)
    second = file_injury(teacher, school)
    other = file_injury(make_member(other_school, Role.TEACHER), other_school)
    year = timezone.localdate().year
    assert first.reference == f"INC-{year}-0001"
    assert second.reference == f"INC-{year}-0002"
    assert other.reference == f"INC-{year}-0001"
    assert first.reported_by == teacher and first.status == IncidentStatus.REPORTED
    assert first.students.get().injury_type == "sprain"
    recipients = set(Notification.objects.filter(kind="safety.incident_reported").values_list("user_id", flat=True))
    assert {department_head.pk, school_admin.pk} <= recipients
    assert teacher.pk not in recipients
    assert AuditEvent.objects.filter(action="safety.incident_reported", target_id=str(first.pk)).exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"occurred_at": timezone.now() + datetime.timedelta(days=1)}, "occurred_at"),
        ({"occurred_at": datetime.datetime(1999, 5, 1, 10, tzinfo=datetime.UTC)}, "occurred_at"),
        ({"contributing_factors": ["wet_slippery_surface", "bad_luck"]}, "contributing_factors"),
        ({"kind": "near_miss", "severity": "none"}, "students"),
        ({"students": []}, "students"),
        ({"days_missed": 400}, "days_missed"),
    ],
)
def test_bad_reports_are_refused_and_nothing_stored(teacher, school, extra, field):
    with pytest.raises(ServiceError) as exc:
        file_injury(teacher, school, **extra)
    assert exc.value.field == field
    assert not Incident.objects.exists()


def test_foreign_rows_are_refused(teacher, school, other_school):
    foreign_student = StudentFactory(school=other_school)
    with pytest.raises(ServiceError) as exc:
        file_injury(teacher, school, student=foreign_student)
    assert exc.value.field == "students"
    session = ClassSessionFactory(pe_class__school=school)
    with pytest.raises(ServiceError) as exc:
        file_injury(teacher, school, pe_class=PEClassFactory(school=school), session=session)
    assert exc.value.field == "session"
    with pytest.raises(ServiceError) as exc:
        file_injury(teacher, school, staff_present=[make_member(other_school, Role.TEACHER)])
    assert exc.value.field == "staff_present"
    assert not Incident.objects.exists()


def test_session_sets_the_class_and_near_miss_needs_no_students(teacher, school):
    session = ClassSessionFactory(pe_class__school=school)
    incident = file_injury(teacher, school, session=session)
    assert incident.pe_class == session.pe_class
    near = services.report_incident(
        actor=teacher, school=school, kind="near_miss", occurred_at=ago(hours=1), location="Court", description="x"
    )
    assert near.severity == "none" and near.students.count() == 0


def test_amendment_records_only_changed_fields_and_originals_are_recoverable(teacher, school):
    incident = file_injury(teacher, school, contributing_factors=["horseplay"])
    with pytest.raises(ServiceError):
        services.amend_incident(actor=teacher, incident=incident, reason="", location="Gym 2")
    with pytest.raises(ServiceError):
        services.amend_incident(actor=teacher, incident=incident, reason="same", location="Main gym")
    amendment = services.amend_incident(
        actor=teacher, incident=incident, reason="Wrong gym", location="Gym 2", description="Twisted an ankle landing."
    )
    assert amendment.kind == IncidentAmendment.Kind.CORRECTION
    assert amendment.changes == {"location": ["Main gym", "Gym 2"]}
    incident.refresh_from_db()
    assert incident.location == "Gym 2"
    assert selectors.original_values(incident)["location"] == "Main gym"


def test_workflow_close_needs_actions_done_and_reopen_goes_to_review(teacher, department_head, school):
    incident = file_injury(teacher, school)
    with pytest.raises(ServiceError) as exc:
        services.transition(actor=teacher, incident=incident, to_status="under_review")
    assert exc.value.status == 403
    services.transition(actor=department_head, incident=incident, to_status="action_required")
    action = services.add_action(
        actor=department_head,
        incident=incident,
        description="Dry the floor near the door",
        owner=teacher,
        due_date=timezone.localdate(),
    )
    assert Notification.objects.filter(user=teacher, kind="safety.incident_action").exists()
    with pytest.raises(ServiceError) as exc:
        services.transition(actor=department_head, incident=incident, to_status="closed")
    assert exc.value.code == "open_actions" and "Dry the floor" in exc.value.message
    services.complete_action(actor=teacher, action=action, note="Mat placed")
    closed = services.transition(actor=department_head, incident=incident, to_status="closed")
    assert closed.status == "closed" and closed.closed_at is not None
    assert Notification.objects.filter(user=teacher, kind="safety.incident_updated").count() == 2
    with pytest.raises(ServiceError):
        services.transition(actor=department_head, incident=incident, to_status="action_required")
    with pytest.raises(ServiceError):
        services.transition(actor=department_head, incident=incident, to_status="under_review")
    reopened = services.transition(
        actor=department_head, incident=incident, to_status="under_review", reason="Parent reported a fracture"
    )
    assert reopened.status == "under_review" and reopened.closed_at is None
    statuses = [a.changes["status"] for a in incident.amendments.filter(kind="status").order_by("pk")]
    assert statuses == [["reported", "action_required"], ["action_required", "closed"], ["closed", "under_review"]]
    assert AuditEvent.objects.filter(action="safety.incident_reopened").exists()


def test_action_owner_and_due_date_are_checked(teacher, department_head, school, other_school):
    incident = file_injury(teacher, school)
    with pytest.raises(ServiceError) as exc:
        services.add_action(
            actor=department_head,
            incident=incident,
            description="x",
            owner=make_member(other_school, Role.TEACHER),
            due_date=timezone.localdate(),
        )
    assert exc.value.field == "owner"
    with pytest.raises(ServiceError) as exc:
        services.add_action(
            actor=department_head,
            incident=incident,
            description="x",
            owner=teacher,
            due_date=timezone.localdate() - datetime.timedelta(days=30),
        )
    assert exc.value.field == "due_date"
    assert not incident.actions.exists()


def test_guardian_notice_in_spanish_and_mark_sent(teacher, school, guardian):
    from accounts.services.preferences import update_preferences

    student = StudentFactory(school=school, first_name="Ana", preferred_name="")
    GuardianshipFactory(student=student, guardian=guardian)
    update_preferences(actor=guardian, user=guardian, changes={"language": "es"})
    incident = file_injury(teacher, school, student=student, first_aid_given="Ice pack")
    generated = notices.generate_notices(actor=teacher, incident=incident)
    assert len(generated) == 1
    notice = generated[0]
    assert notice.language == "es"
    assert notice.student == student and "Ana" in notice.body and "Ice pack" in notice.body
    assert "Estimado" in notice.body or "Dear" in notice.body
    assert "Twisted" not in notice.body  # the description is staff-only
    notices.edit_notice(actor=teacher, notice=notice, body=notice.body + "\n\nCall us any time.")
    sent = notices.mark_sent(actor=teacher, notice=notice)
    assert sent.sent_at is not None
    assert Notification.objects.filter(user=guardian, kind="safety.guardian_notice").exists()
    incident.refresh_from_db()
    assert incident.guardian_notified_by == "app" and incident.guardian_notified_at is not None
    with pytest.raises(ServiceError):
        notices.edit_notice(actor=teacher, notice=sent, subject="New")
    assert list(selectors.notices_for_guardian(guardian)) == [sent]
    assert GuardianNotice.objects.count() == 1


def test_participation_hours_from_attendance_and_blocks(school):
    pe_class = PEClassFactory(school=school)
    day = timezone.localdate() - datetime.timedelta(days=3)
    planned = ClassSessionFactory(pe_class=pe_class, date=day)
    invasion = ActivityFactory(school=school, category="invasion", space="field")
    SessionBlockFactory(session=planned, activity=invasion, planned_minutes=30, order=1)
    SessionBlockFactory(
        session=planned, activity__category="fitness", activity__space="gym", planned_minutes=15, order=2
    )
    bare = ClassSessionFactory(pe_class=pe_class, date=day)  # no blocks: the default 45 minutes
    for status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT):
        AttendanceRecordFactory(session=planned, status=status)
    AttendanceRecordFactory(session=bare, status=AttendanceStatus.PRESENT)
    start, end = day - datetime.timedelta(days=1), day
    assert selectors.participation_hours(school, start, end) == pytest.approx((2 * 45 + 45) / 60)
    assert selectors.participation_hours(school, start, end, activity_category="invasion") == pytest.approx(1.0)
    assert selectors.participation_hours(school, start, end, space="field") == pytest.approx(1.0)
    assert selectors.participation_hours(school, start, end, space="gym") == pytest.approx((2 * 15 + 45) / 60)
    assert (
        selectors.participation_hours(school, day + datetime.timedelta(days=1), day + datetime.timedelta(days=2)) == 0
    )


def test_open_incidents_and_recent_injuries(teacher, department_head, school):
    student = StudentFactory(school=school)
    incident = file_injury(teacher, school, student=student)
    closed = file_injury(teacher, school)
    services.transition(actor=department_head, incident=closed, to_status="closed")
    assert list(selectors.open_incidents(school)) == [incident]
    found = selectors.recent_injuries([student], timezone.localdate() - datetime.timedelta(days=7))
    assert [row.incident_id for row in found[student.pk]] == [incident.pk]
    assert selectors.recent_injuries([student], timezone.localdate() + datetime.timedelta(days=1)) == {}
