"""Report services: generate/refresh, edits kept on regeneration, publish (notifications, audit),
unpublish, bad input (nothing stored) and the bulk job."""

import datetime

import pytest

from accounts.models import AuditEvent, Notification
from accounts.services.errors import ServiceError
from assessments.models import BatchStatus, ProgressReport, ReportBatch, ReportStatus
from assessments.services import reports as services
from assessments.tests.factories_reports import PERIOD_END, PERIOD_START, build_report_world
from physed.models import Enrollment, Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school, teacher, student, guardian):
    return build_report_world(school, teacher=teacher, student_user=student, guardian_user=guardian)


def _generate(actor, world, **overrides):
    fields = {
        "student": world.student,
        "pe_class": world.pe_class,
        "school_year": 2026,
        "term": "s1",
        "period_start": PERIOD_START,
        "period_end": PERIOD_END,
        **overrides,
    }
    return services.generate_report(actor=actor, **fields)


def test_generate_creates_a_draft_following_the_generated_text(world, teacher):
    report = _generate(teacher, world)
    assert report.status == ReportStatus.DRAFT
    assert report.narrative_en == report.generated_en and report.generated_en.startswith("Maya attended 18 of 20")
    assert report.narrative_es == report.generated_es and report.generated_es.startswith("Maya asistió a 18 de 20")
    assert report.data["attendance"]["attended"] == 18
    assert AuditEvent.objects.filter(action="assessments.report_generated", target_id=str(report.pk)).count() == 1


def test_regeneration_keeps_teacher_edits_and_refreshes_generated(world, teacher):
    report = _generate(teacher, world)
    services.update_report(actor=teacher, report=report, narrative_en="Maya worked hard.", teacher_comment="Well done")
    world.student.attendance.filter(status="absent").update(status="present")
    report = _generate(teacher, world)
    assert ProgressReport.objects.count() == 1
    assert report.narrative_en == "Maya worked hard."  # kept
    assert report.generated_en.startswith("Maya attended 20 of 20 classes (100%)")  # refreshed
    assert report.narrative_es == report.generated_es  # not edited: follows
    assert report.generated_es.startswith("Maya asistió a 20 de 20 clases (100 %)")
    assert services.is_edited(report, "en") and not services.is_edited(report, "es")
    assert report.teacher_comment == "Well done"


def test_publish_notifies_student_and_guardian_and_unpublish_goes_back(world, teacher, student, guardian):
    report = _generate(teacher, world)
    services.publish_report(actor=teacher, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_by == teacher and report.published_at
    notified = set(Notification.objects.filter(kind="assessments.report_published").values_list("user_id", flat=True))
    assert notified == {student.pk, guardian.pk}
    with pytest.raises(ServiceError) as error:
        services.update_report(actor=teacher, report=report, narrative_en="x")
    assert error.value.field == "status"
    services.unpublish_report(actor=teacher, report=report, reason="typo")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.published_at is None
    actions = list(AuditEvent.objects.filter(target_id=str(report.pk)).values_list("action", flat=True))
    assert {"assessments.report_published", "assessments.report_unpublished"} <= set(actions)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term": "q9"}, "term"),
        ({"period_start": PERIOD_END, "period_end": PERIOD_START}, "period_end"),
        ({"school_year": 1990}, "school_year"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(world, teacher, overrides, field):
    with pytest.raises(ServiceError) as error:
        _generate(teacher, world, **overrides)
    assert error.value.field == field
    assert ProgressReport.objects.count() == 0


def test_student_not_in_the_class_is_refused(world, teacher, school):
    stranger = Student.objects.create(school=school, first_name="Leo", last_name="Ruiz", grade=7)
    with pytest.raises(ServiceError) as error:
        _generate(teacher, world, student=stranger)
    assert error.value.field == "student"
    assert ProgressReport.objects.count() == 0


def test_assistant_may_not_generate(world, assistant):
    with pytest.raises(ServiceError) as error:
        _generate(assistant, world)
    assert error.value.status == 403
    assert ProgressReport.objects.count() == 0


def test_batch_generates_every_active_student_with_progress(world, teacher, school, django_capture_on_commit_callbacks):
    for name in ("Ana", "Ben"):
        other = Student.objects.create(school=school, first_name=name, last_name="Diaz", grade=7)
        Enrollment.objects.create(pe_class=world.pe_class, student=other, start_date=datetime.date(2026, 8, 20))
    gone = Student.objects.create(school=school, first_name="Old", last_name="Gone", grade=7)
    Enrollment.objects.create(
        pe_class=world.pe_class, student=gone, start_date=datetime.date(2026, 8, 20), status="withdrawn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.request_batch(
            actor=teacher,
            pe_class=world.pe_class,
            school_year=2026,
            term="s1",
            period_start=PERIOD_START,
            period_end=PERIOD_END,
        )
    batch.refresh_from_db()
    assert (batch.status, batch.progress, batch.done, batch.total) == (BatchStatus.DONE, 100, 3, 3)
    assert ProgressReport.objects.filter(pe_class=world.pe_class).count() == 3
    assert not ProgressReport.objects.filter(student=gone).exists()


def test_batch_failure_is_readable(world, teacher, monkeypatch):
    batch = ReportBatch.objects.create(
        pe_class=world.pe_class,
        school_year=2026,
        term="s1",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        requested_by=teacher,
    )

    def boom(**kwargs):
        raise ServiceError("The student is not enrolled in this class.", field="student")

    monkeypatch.setattr(services, "generate_report", boom)
    batch = services.run_batch(batch_id=batch.pk)
    assert batch.status == BatchStatus.FAILED
    assert batch.error == "Maya Lopez: The student is not enrolled in this class."


def test_demo_publishes_one_report_per_student_idempotently(world, teacher, school):
    from assessments.demo_reports import seed_school

    assert seed_school(school, actor=teacher, today=datetime.date(2026, 12, 1)) == 1
    assert seed_school(school, actor=teacher, today=datetime.date(2026, 12, 1)) == 0
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.PUBLISHED
    assert (report.period_start, report.period_end) == (datetime.date(2026, 9, 1), datetime.date(2026, 12, 1))
    assert report.narrative_es.startswith("Maya asistió a")


def test_making_a_pdf_leaves_pillows_truncated_image_check_on():
    """WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on when imported; profile-picture checks
    in the same process rely on it being off."""
    from PIL import ImageFile

    from assessments.services.reports_pdf import _weasyprint

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    _weasyprint()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
