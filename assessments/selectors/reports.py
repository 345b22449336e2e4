"""Who reads which progress reports.

* Staff with ``assessments.view_progressreport`` in the report's school: every report there,
  drafts included.
* Students and guardians: published reports of the students they are linked to
  (``physed.selectors.roster.linked_students``); drafts and other students' reports are 404.
* Body-composition numbers inside a report's snapshot are shown to staff holding
  ``assessments.view_body_composition`` and to the student and their guardians, never to other
  staff (``visible_data``).
"""

import copy

from django.http import Http404

from accounts.permissions import allowed_on_object
from accounts.selectors import schools_where
from assessments.models import ProgressReport, ReportBatch, ReportStatus
from physed.selectors.roster import linked_students

VIEW = "assessments.view_progressreport"
BODY = "assessments.view_body_composition"


def base_queryset():
    return ProgressReport.objects.select_related("student__school", "pe_class", "published_by", "created_by")


def staff_reports(user):
    rows = base_queryset().visible_to(user)
    if not user.is_superuser:
        rows = rows.filter(student__school_id__in=schools_where(user, VIEW))
    return rows


def my_reports(user):
    """Published reports of the students ``user`` is linked to (as the student or a guardian)."""
    return (
        base_queryset()
        .filter(status=ReportStatus.PUBLISHED, student__in=linked_students(user))
        .order_by("-period_end", "student__last_name", "pk")
    )


def is_reader(user, report) -> bool:
    return report.status == ReportStatus.PUBLISHED and linked_students(user).filter(pk=report.student_id).exists()


def staff_report_or_404(user, pk):
    report = base_queryset().visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def my_report_or_404(user, pk):
    report = my_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def can_see_body_composition(user, report) -> bool:
    if linked_students(user).filter(pk=report.student_id).exists():
        return True
    return allowed_on_object(user, BODY, report, record=False)


def visible_data(user, report) -> dict:
    """The snapshot with body-composition results removed unless ``user`` may read them."""
    data = report.data or {}
    if not data.get("fitness") or can_see_body_composition(user, report):
        return data
    data = copy.deepcopy(data)
    data["fitness"]["tests"] = [test for test in data["fitness"]["tests"] if not test.get("body_composition")]
    return data


def batches_for(user):
    rows = ReportBatch.objects.select_related("pe_class").visible_to(user)
    if not user.is_superuser:
        rows = rows.filter(pe_class__school_id__in=schools_where(user, VIEW))
    return rows
