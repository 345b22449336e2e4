"""Progress reports (assessments §5): generate or refresh a draft from the student's numbers,
teacher edits, publish to the student and guardians, unpublish; bulk generation for a class as a
job (``ReportBatch``, run by ``assessments.tasks_reports.run_report_batch``).

Edits and regeneration: the narrative fields follow the generated text until the teacher edits
them (a narrative equal to the previous generated text, or empty, counts as not edited). Once
edited, regenerating keeps the teacher's text and only refreshes ``generated_en/es`` — the edit
page then shows that the regenerated text differs.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from assessments.engines import narrative
from assessments.models import BatchStatus, ProgressReport, ReportBatch, ReportStatus
from assessments.notifications_reports import REPORT_PUBLISHED
from assessments.selectors.report_data import report_data
from physed.models import Enrollment, EnrollmentStatus, Guardianship, PEClass, Term
from physed.services.sessions_common import require

VIEW = "assessments.view_progressreport"
ADD = "assessments.add_progressreport"
CHANGE = "assessments.change_progressreport"
PUBLISH = "assessments.publish_progressreport"

MAX_PERIOD_DAYS = 400  # a term is at most a school year (our own bound against typos)

__all__ = [
    "ADD",
    "CHANGE",
    "PUBLISH",
    "VIEW",
    "generate_report",
    "publish_report",
    "request_batch",
    "run_batch",
    "unpublish_report",
    "update_report",
    "validate_period",
]


def validate_period(*, school_year, term: str, period_start, period_end) -> None:
    if term not in Term.values:
        raise ServiceError(
            _("Unknown term %(term)s; use one of: %(terms)s.") % {"term": term, "terms": ", ".join(Term.values)},
            field="term",
        )
    if not isinstance(school_year, int) or not 2000 <= school_year <= 2100:
        raise ServiceError(_("The school year must be between 2000 and 2100."), field="school_year")
    if not isinstance(period_start, datetime.date) or not isinstance(period_end, datetime.date):
        raise ServiceError(_("Give the first and last day of the period."), field="period_start")
    if period_end < period_start:
        raise ServiceError(_("The period ends before it starts."), field="period_end")
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise ServiceError(
            _("A report period is at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}, field="period_end"
        )


def _check_student_in_class(student, pe_class) -> None:
    if pe_class is None:
        return
    if pe_class.school_id != student.school_id:
        raise ServiceError(_("The student is not in this class."), field="student")
    if not Enrollment.objects.filter(student=student, pe_class=pe_class).exists():
        raise ServiceError(_("The student is not enrolled in this class."), field="student")


def _follows(narrative_text: str, previous_generated: str) -> bool:
    return not narrative_text or narrative_text == previous_generated


def is_edited(report: ProgressReport, lang: str) -> bool:
    """Whether the teacher's narrative differs from the generated text (shown on the edit page)."""
    return getattr(report, f"narrative_{lang}") != getattr(report, f"generated_{lang}")


@transaction.atomic
def generate_report(
    *, actor, student, pe_class, school_year: int, term: str, period_start, period_end
) -> ProgressReport:
    """Creates or refreshes the draft report of ``student`` for (class, year, term)."""
    require(actor, ADD, pe_class if pe_class is not None else student)
    validate_period(school_year=school_year, term=term, period_start=period_start, period_end=period_end)
    _check_student_in_class(student, pe_class)
    report = (
        ProgressReport.objects.select_for_update()
        .filter(student=student, pe_class=pe_class, school_year=school_year, term=term)
        .first()
    )
    if report is not None and report.status == ReportStatus.PUBLISHED:
        raise ServiceError(_("This report is published; unpublish it before regenerating."), field="status")
    data = report_data(student, pe_class=pe_class, period_start=period_start, period_end=period_end)
    texts = narrative.generate_all(data)
    created = report is None
    if created:
        report = ProgressReport(
            student=student, pe_class=pe_class, school_year=school_year, term=term, created_by=actor
        )
    kept = []
    for lang in narrative.LANGUAGES:
        if _follows(getattr(report, f"narrative_{lang}"), getattr(report, f"generated_{lang}")):
            setattr(report, f"narrative_{lang}", texts[lang])
        else:
            kept.append(lang)
        setattr(report, f"generated_{lang}", texts[lang])
    report.period_start, report.period_end = period_start, period_end
    report.data = data
    report.generated_at = timezone.now()
    report.save()
    record_event(
        "assessments.report_generated",
        actor=actor,
        school=student.school,
        target=report,
        changes={"created": created, "term": term, "school_year": school_year, "kept_edits": kept},
    )
    return report


def _require_draft(report) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ServiceError(_("Unpublish the report before editing it."), field="status")


@transaction.atomic
def update_report(*, actor, report: ProgressReport, **fields) -> ProgressReport:
    """Teacher edits: ``narrative_en``, ``narrative_es``, ``teacher_comment`` (drafts only)."""
    require(actor, CHANGE, report)
    allowed = {"narrative_en", "narrative_es", "teacher_comment"}
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(_("These fields cannot be edited."), field=sorted(unknown)[0])
    _require_draft(report)
    changed = {}
    for name, value in fields.items():
        value = (value or "").strip()
        if len(value) > 20000:
            raise ServiceError(_("This text is too long (at most 20000 characters)."), field=name)
        if getattr(report, name) != value:
            setattr(report, name, value)
            changed[name] = True
    if changed:
        report.save()
        record_event(
            "assessments.report_edited", actor=actor, school=report.student.school, target=report, changes=changed
        )
    return report


class _Later:
    """A lazy message formatted when rendered (in the recipient's language, see ``notify``)."""

    def __init__(self, text, **params):
        self.text, self.params = text, params

    def __str__(self):
        params = {key: str(value) for key, value in self.params.items()}
        return str(self.text) % params


def term_label(term: str):
    return dict(Term.choices).get(term, term)


def report_recipients(report) -> list:
    """The student's own account and their guardians' (active accounts only)."""
    users = []
    if report.student.user_id and report.student.user.is_active:
        users.append(report.student.user)
    for link in Guardianship.objects.filter(student=report.student, guardian__isnull=False).select_related("guardian"):
        if link.guardian.is_active and link.guardian not in users:
            users.append(link.guardian)
    return users


@transaction.atomic
def publish_report(*, actor, report: ProgressReport) -> ProgressReport:
    require(actor, PUBLISH, report)
    _require_draft(report)
    if not report.narrative_en.strip() or not report.narrative_es.strip():
        raise ServiceError(_("Write the evaluation in English and Spanish before publishing."), field="narrative_en")
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = actor
    report.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    recipients = report_recipients(report)
    url = reverse("assessments-my-report", args=[report.pk])
    for user in recipients:
        notify(
            user,
            REPORT_PUBLISHED,
            gettext_lazy("A progress report was published"),
            _Later(
                gettext_lazy("%(student)s's report for %(term)s %(year)s is ready to read."),
                student=report.student.first_name,
                term=term_label(report.term),
                year=report.school_year,
            ),
            url=url,
        )
    record_event(
        "assessments.report_published",
        actor=actor,
        school=report.student.school,
        target=report,
        changes={"notified": len(recipients)},
    )
    return report


@transaction.atomic
def unpublish_report(*, actor, report: ProgressReport, reason: str = "") -> ProgressReport:
    require(actor, PUBLISH, report)
    if report.status != ReportStatus.PUBLISHED:
        raise ServiceError(_("The report is not published."), field="status")
    report.status = ReportStatus.DRAFT
    report.published_at = None
    report.published_by = None
    report.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    record_event(
        "assessments.report_unpublished",
        actor=actor,
        school=report.student.school,
        target=report,
        changes={"reason": (reason or "")[:300]},
    )
    return report


# bulk ------------------------------------------------------------------------------------------


def batch_students(pe_class: PEClass):
    from physed.models import Student

    return Student.objects.filter(enrollments__pe_class=pe_class, enrollments__status=EnrollmentStatus.ACTIVE).order_by(
        "last_name", "first_name", "pk"
    )


@transaction.atomic
def request_batch(*, actor, pe_class: PEClass, school_year: int, term: str, period_start, period_end) -> ReportBatch:
    """Queues the generation of the reports of every actively enrolled student of ``pe_class``."""
    require(actor, ADD, pe_class)
    validate_period(school_year=school_year, term=term, period_start=period_start, period_end=period_end)
    batch = ReportBatch.objects.create(
        pe_class=pe_class,
        school_year=school_year,
        term=term,
        period_start=period_start,
        period_end=period_end,
        requested_by=actor,
        total=batch_students(pe_class).count(),
    )
    record_event(
        "assessments.report_batch_requested",
        actor=actor,
        school=pe_class.school,
        target=batch,
        changes={"term": term, "school_year": school_year, "total": batch.total},
    )
    from assessments.tasks_reports import run_report_batch

    transaction.on_commit(lambda: run_report_batch.delay(str(batch.pk)))
    return batch


def run_batch(*, batch_id) -> ReportBatch:
    """Generates each student's report in turn (each in its own transaction), updating done,
    total and progress after each; a failure marks the batch FAILED with a readable error (the
    reports generated so far stay)."""
    batch = ReportBatch.objects.select_related("pe_class__school", "requested_by").get(pk=batch_id)
    if batch.status in (BatchStatus.DONE, BatchStatus.FAILED):
        return batch
    students = list(batch_students(batch.pe_class).select_related("school"))
    total = len(students)
    ReportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, total=total, done=0, progress=0)
    actor = batch.requested_by
    published = set(
        ProgressReport.objects.filter(
            pe_class=batch.pe_class,
            school_year=batch.school_year,
            term=batch.term,
            status=ReportStatus.PUBLISHED,
        ).values_list("student_id", flat=True)
    )
    done = 0
    for student in students:
        try:
            if student.pk not in published:  # published reports are left as they are
                generate_report(
                    actor=actor,
                    student=student,
                    pe_class=batch.pe_class,
                    school_year=batch.school_year,
                    term=batch.term,
                    period_start=batch.period_start,
                    period_end=batch.period_end,
                )
        except ServiceError as exc:
            error = _("%(student)s: %(message)s") % {
                "student": f"{student.first_name} {student.last_name}",
                "message": exc.message,
            }
            ReportBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.FAILED, error=str(error)[:300], finished_at=timezone.now()
            )
            batch.refresh_from_db()
            return batch
        except Exception as exc:
            error = _("%(student)s: the report could not be generated (%(error)s).") % {
                "student": f"{student.first_name} {student.last_name}",
                "error": type(exc).__name__,
            }
            ReportBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.FAILED, error=str(error)[:300], finished_at=timezone.now()
            )
            raise
        done += 1
        ReportBatch.objects.filter(pk=batch.pk).update(done=done, progress=round(done * 100 / total))
    ReportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE, done=done, progress=100, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    record_event(
        "assessments.report_batch_done",
        actor=actor,
        school=batch.pe_class.school,
        target=batch,
        changes={"done": done},
    )
    return batch
