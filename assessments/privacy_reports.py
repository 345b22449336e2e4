"""Personal-data declarations: reports.

* ``ProgressReport`` is about the student (numbers, evaluation text, teacher comment): exported
  with the student's linked account and deleted on the student's erasure. The staff who generated
  or published it only lose the link when their own account is erased (the report stays: it is
  the student's record).
* ``ReportBatch`` is a job record naming who requested it: exported with that account; on erasure
  the job loses its requester.
"""

from accounts.privacy import registry

CATEGORY = "assessments_reports"


def _erase_reports(queryset, user):
    from assessments.models import ProgressReport

    ProgressReport._base_manager.filter(created_by_id=user.pk).update(created_by=None)
    ProgressReport._base_manager.filter(published_by_id=user.pk).update(published_by=None)
    count, _detail = queryset.delete()
    return registry.DELETE, count


def _export_reports(queryset):
    yield from registry.default_exporter(queryset, exclude_fields=("created_by_id", "published_by_id"))


def register() -> None:
    from assessments.models import ProgressReport, ReportBatch

    registry.register(
        ProgressReport,
        category=CATEGORY,
        user_path="student__user",
        exporter=_export_reports,
        erase=_erase_reports,
        school_path="student__school",
    )
    registry.register(
        ReportBatch,
        category=CATEGORY,
        user_path="requested_by",
        erase={"requested_by": None},
        school_path="pe_class__school",
    )
