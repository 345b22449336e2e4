"""Demo progress reports (runs last in assessments): one PUBLISHED report per demo student for
each active class they are enrolled in, for the class's own term, generated and published through
the services from the demo data of the other areas. Period: 1 September of the class's school
year to the end of the demo fitness data's mid-year window month (or today, whichever is later,
capped at 30 June). Idempotent: a published report is left as it is."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import ProgressReport, ReportStatus
from assessments.services import reports as services
from physed.demo_scale import base_only
from physed.models import Enrollment, EnrollmentStatus, PEClass

User = get_user_model()


def demo_period(pe_class, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(pe_class.school_year, 9, 1)
    end = min(max(today, datetime.date(pe_class.school_year, 11, 30)), datetime.date(pe_class.school_year + 1, 6, 30))
    return start, end


def seed(context) -> None:
    today = timezone.localdate()
    for slug, school in (context or {}).get("schools", {}).items():
        actor = (
            User.objects.filter(email=f"teacher@{slug}.demo").first()
            or User.objects.filter(email=f"head@{slug}.demo").first()
        )
        seed_school(school, actor=actor, today=today)


def seed_school(school, *, actor=None, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    published = 0
    for pe_class in base_only(PEClass.objects.filter(school=school, is_active=True)).order_by("pk"):
        start, end = demo_period(pe_class, today)
        done = set(
            ProgressReport.objects.filter(
                pe_class=pe_class,
                school_year=pe_class.school_year,
                term=pe_class.term,
                status=ReportStatus.PUBLISHED,
            ).values_list("student_id", flat=True)
        )
        enrollments = (
            Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE)
            .exclude(student_id__in=done)
            .select_related("student__school")
            .order_by("student__last_name", "student__pk")
        )
        for enrollment in enrollments:
            report = services.generate_report(
                actor=None,
                student=enrollment.student,
                pe_class=pe_class,
                school_year=pe_class.school_year,
                term=pe_class.term,
                period_start=start,
                period_end=end,
            )
            if actor is not None:
                report.created_by = actor
                report.save(update_fields=["created_by"])
            services.publish_report(actor=actor, report=report)
            published += 1
    return published
