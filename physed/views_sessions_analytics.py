"""Analytics pages: attendance and performance for a class and for a student, as charts with the
numbers behind them. Students and guardians reach their own student's pages through the
``physed.view_student`` object grant."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from physed.models import MetricType, PerformanceResult
from physed.selectors import attendance as attendance_selectors
from physed.selectors import performance as performance_selectors
from physed.services.results import metrics_for_school
from physed.views_sessions_charts import (
    class_average_chart,
    class_participation_chart,
    histogram_chart,
    status_chart,
    student_metric_chart,
    weekly_participation_chart,
)
from physed.views_sessions_common import class_for, optional_url, student_for


def _pick(metrics: list[MetricType], code: str | None) -> MetricType | None:
    by_code = {metric.code: metric for metric in metrics}
    return by_code.get(code or "") or (metrics[0] if metrics else None)


@login_required
def class_attendance(request, class_pk):
    pe_class = class_for(request, class_pk, "physed.view_attendancerecord")
    summary = attendance_selectors.class_attendance_summary(pe_class)
    return render(
        request,
        "physed/sessions/class_attendance.html",
        {
            "pe_class": pe_class,
            "class_url": optional_url("class-detail", pe_class.pk),
            "summary": summary,
            "threshold_pct": round(summary["threshold"] * 100),
            "rate_chart": class_participation_chart(summary),
            "status_chart": status_chart(summary["counts"], title=""),
        },
    )


@login_required
def class_performance(request, class_pk):
    pe_class = class_for(request, class_pk, "physed.view_performanceresult")
    recorded_ids = (
        PerformanceResult.objects.filter(session__pe_class=pe_class).values_list("metric_id", flat=True).distinct()
    )
    metrics = list(metrics_for_school(pe_class.school_id, ids=set(recorded_ids)).order_by("name"))
    metric = _pick(metrics, request.GET.get("metric"))
    payload = performance_selectors.class_performance(pe_class, metric) if metric else None
    return render(
        request,
        "physed/sessions/class_performance.html",
        {
            "pe_class": pe_class,
            "class_url": optional_url("class-detail", pe_class.pk),
            "metrics": metrics,
            "metric": metric,
            "payload": payload,
            "histogram": histogram_chart(payload) if payload else None,
            "average": class_average_chart(payload) if payload else None,
        },
    )


@login_required
def student_attendance(request, student_pk):
    student = student_for(request, student_pk)
    summary = attendance_selectors.student_attendance_summary(student)
    return render(
        request,
        "physed/sessions/student_attendance.html",
        {
            "student": student,
            "student_url": optional_url("student-detail", student.pk),
            "summary": summary,
            "participation_pct": _pct(summary["participation_rate"]),
            "attendance_pct": _pct(summary["attendance_rate"]),
            "threshold_pct": round(summary["threshold"] * 100),
            "weekly_chart": weekly_participation_chart(summary),
            "status_chart": status_chart(summary["counts"]),
        },
    )


@login_required
def student_performance(request, student_pk):
    student = student_for(request, student_pk)
    recorded = performance_selectors.metrics_recorded_for_student(student)
    metrics = [metric for metric, _count in recorded]
    metric = _pick(metrics, request.GET.get("metric"))
    trend = performance_selectors.student_metric_trend(student, metric) if metric else None
    return render(
        request,
        "physed/sessions/student_performance.html",
        {
            "student": student,
            "student_url": optional_url("student-detail", student.pk),
            "recorded": recorded,
            "metric": metric,
            "trend": trend,
            "chart": student_metric_chart(trend) if trend else None,
        },
    )


def _pct(rate):
    return None if rate is None else round(rate * 100)
