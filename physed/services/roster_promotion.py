"""Year-end grade promotion as one action: every active student moves up a grade; grade 12
students graduate (and their current enrollments end). A dry run reports the same counts without
writing, so the page and API can show "what will happen" before anyone confirms. Applied once it
is audited once, with the counts, and the last promotion's date is reported so a second click in
the same year is visible before it happens."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import AuditEvent, School, User
from accounts.services.audit import record_event
from physed.models import Enrollment, EnrollmentStatus, Student, StudentStatus

ACTION = "physed.grades_promoted"
TOP_GRADE = 12


@dataclass
class PromotionReport:
    dry_run: bool
    promoted: int = 0
    graduated: int = 0
    enrollments_ended: int = 0
    by_grade: dict[int, int] = field(default_factory=dict)
    last_promoted_at: object = None
    applied: bool = False

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "applied": self.applied,
            "promoted": self.promoted,
            "graduated": self.graduated,
            "enrollments_ended": self.enrollments_ended,
            "by_grade": [{"grade": grade, "students": n} for grade, n in sorted(self.by_grade.items())],
            "last_promoted_at": self.last_promoted_at,
        }


def last_promotion(school: School):
    event = AuditEvent.objects.filter(school=school, action=ACTION).order_by("-occurred_at").first()
    return event.occurred_at if event else None


@transaction.atomic
def promote_grades(*, actor: User | None, school: School, dry_run: bool = True) -> PromotionReport:
    active = Student.objects.filter(school=school, status=StudentStatus.ACTIVE)
    counts = dict(active.order_by().values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    report = PromotionReport(dry_run=dry_run, by_grade=counts, last_promoted_at=last_promotion(school))
    report.graduated = counts.get(TOP_GRADE, 0)
    report.promoted = sum(n for grade, n in counts.items() if grade < TOP_GRADE)
    graduating = active.filter(grade=TOP_GRADE)
    ending = Enrollment.objects.filter(student__in=graduating, status=EnrollmentStatus.ACTIVE)
    report.enrollments_ended = ending.count()
    if dry_run:
        return report
    today = timezone.localdate()
    # order matters: graduate grade 12 first, then move the others up (no one graduates twice)
    graduating_ids = list(graduating.values_list("pk", flat=True))
    Enrollment.objects.filter(student_id__in=graduating_ids, status=EnrollmentStatus.ACTIVE).update(
        status=EnrollmentStatus.COMPLETED, end_date=Greatest(F("start_date"), Value(today))
    )
    now = timezone.now()
    Student.objects.filter(pk__in=graduating_ids).update(status=StudentStatus.GRADUATED, updated_at=now)
    Student.objects.filter(school=school, status=StudentStatus.ACTIVE, grade__lt=TOP_GRADE).update(
        grade=F("grade") + 1, updated_at=now
    )
    report.applied = True
    record_event(
        ACTION,
        actor=actor,
        school=school,
        target=school,
        changes={
            "promoted": report.promoted,
            "graduated": report.graduated,
            "enrollments_ended": report.enrollments_ended,
            "by_grade": {str(grade): n for grade, n in sorted(counts.items())},
        },
    )
    return report
