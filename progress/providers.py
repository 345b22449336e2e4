"""What progress plugs into: the ``metric`` and ``attendance`` metric sources
(``progress.metrics``), the physed result listener that turns session results into progress
entries, the after-entry hook (goal/milestone progress, then achievements) and the notification
event types."""

from django.utils.translation import gettext as _

from progress.metrics import MetricInfo

RESULT_SOURCE = "performance_result"


def metric_source(school) -> list[MetricInfo]:
    """``metric.<code>`` for every physed metric type the school may use (shipped and its own)."""
    from physed.services.results import metrics_for_school

    if school is None:
        return []
    return [
        MetricInfo(
            key=f"metric.{metric.code}",
            label=metric.name,
            unit=metric.unit,
            higher_is_better=metric.higher_is_better,
            decimal_places=metric.decimal_places,
            min_value=float(metric.min_value),
            max_value=float(metric.max_value),
        )
        for metric in metrics_for_school(school.pk)
    ]


def attendance_source(school) -> list[MetricInfo]:
    """``attendance.rate``: computed from physed attendance (see progress.selectors.goals)."""
    return [
        MetricInfo(
            key="attendance.rate",
            label=_("Attendance rate"),
            unit="%",
            higher_is_better=True,
            decimal_places=1,
            min_value=0.0,
            max_value=100.0,
        )
    ]


def on_session_results(session, pairs) -> None:
    """physed result listener: re-reads the session's results for each (student, metric) pair and
    upserts or removes the matching entry (source ``performance_result``, id = result pk)."""
    from physed.models import MetricType, PerformanceResult
    from progress.models import EntrySource, ProgressEntry
    from progress.services.entries import record_entry, remove_entry

    codes = dict(MetricType.objects.filter(pk__in={metric_id for _s, metric_id in pairs}).values_list("pk", "code"))
    for student_id, metric_id in pairs:
        if metric_id not in codes:
            continue
        key = f"metric.{codes[metric_id]}"
        results = list(
            PerformanceResult.objects.filter(
                session=session, student_id=student_id, metric_id=metric_id
            ).select_related("student", "recorded_by")
        )
        stale = (
            ProgressEntry.objects.filter(
                source=EntrySource.PERFORMANCE_RESULT,
                student_id=student_id,
                metric_key=key,
                group_key=f"session:{session.pk}",
            )
            .exclude(source_id__in=[str(result.pk) for result in results])
            .values_list("source_id", flat=True)
        )
        for source_id in list(stale):
            remove_entry(source=EntrySource.PERFORMANCE_RESULT, source_id=source_id)
        for result in results:
            record_entry(
                student=result.student,
                metric_key=key,
                value=result.value,
                date=session.date,
                source=EntrySource.PERFORMANCE_RESULT,
                source_id=str(result.pk),
                group_key=f"session:{session.pk}",
                recorded_by=result.recorded_by,
            )


def after_entries(student_ids: set[int], metric_keys: set[str]) -> None:
    """On commit after entries change: goals (milestones, achieved) first, then badges."""
    from progress.services.achievements import evaluate_students
    from progress.services.goals import evaluate_goals

    evaluate_goals(student_ids, metric_keys)
    evaluate_students(student_ids)


def register_providers() -> None:
    """Registers the providers (called from ``ProgressConfig.ready()``)."""
    from physed.services.results import register_result_listener
    from progress.metrics import register_metric_source
    from progress.notifications import register_events
    from progress.services.entries import on_entries_changed

    register_metric_source("metric", metric_source)
    register_metric_source("attendance", attendance_source)
    register_result_listener("progress", on_session_results)
    on_entries_changed(after_entries)
    register_events()
