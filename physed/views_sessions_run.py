"""Pages for running a session: the one-tap attendance sheet and the results entry grid."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError
from physed.models import AttendanceRecord, AttendanceStatus, PerformanceResult, SessionStatus, ValueKind
from physed.models.sessions import PARTICIPATING_STATUSES
from physed.selectors.sessions import session_roster
from physed.services import attendance as attendance_service
from physed.services import results as results_service
from physed.services.sessions_common import RowErrors
from physed.views_sessions_common import session_for


def _to_int(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 5 else None


@login_required
def session_attendance(request, pk):
    """All present by default; tap the exceptions; one Save."""
    session = session_for(request, pk, "physed.run_session")
    students = list(session_roster(session))
    existing = {record.student_id: record for record in AttendanceRecord.objects.filter(session=session)}
    errors: dict[int, list[str]] = {}
    form_error = ""
    if request.method == "POST":
        entries = []
        for student in students:
            status = request.POST.get(f"status-{student.pk}") or AttendanceStatus.PRESENT
            late_raw = request.POST.get(f"late-{student.pk}", "")
            minutes = _to_int(late_raw) if status == AttendanceStatus.LATE else None
            if status == AttendanceStatus.LATE and late_raw.strip() and minutes is None:
                errors[student.pk] = [_("Minutes late must be a whole number.")]
            entries.append(
                attendance_service.AttendanceEntry(
                    student=student.pk,
                    status=status,
                    minutes_late=minutes,
                    note=request.POST.get(f"note-{student.pk}", "").strip(),
                )
            )
        if not errors:
            try:
                outcome = attendance_service.record_attendance(actor=request.user, session=session, entries=entries)
            except RowErrors as exc:
                for index, row in exc.rows.items():
                    errors[entries[index].student] = [message for messages_ in row.values() for message in messages_]
            except ServiceError as exc:
                form_error = exc.message
            else:
                summary = ", ".join(
                    f"{label}: {count}"
                    for value, label in AttendanceStatus.choices
                    if (count := outcome.counts.get(value))
                )
                messages.success(request, _("Attendance saved: %(summary)s.") % {"summary": summary})
                return redirect("session-detail", session.pk)
        posted = {entry.student: entry for entry in entries}
    else:
        posted = {}
    rows = []
    for student in students:
        record = posted.get(student.pk) or existing.get(student.pk)
        rows.append(
            {
                "student": student,
                "status": record.status if record else AttendanceStatus.PRESENT,
                "minutes_late": (record.minutes_late if record else None) or "",
                "note": record.note if record else "",
                "errors": errors.get(student.pk, []),
            }
        )
    return render(
        request,
        "physed/sessions/attendance.html",
        {
            "session": session,
            "pe_class": session.pe_class,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "already_taken": bool(existing),
            "form_error": form_error,
            "cancelled": session.status == SessionStatus.CANCELLED,
        },
        status=400 if errors or form_error else 200,
    )


def _step(metric) -> str:
    places = 0 if metric.value_kind == ValueKind.COUNT else metric.decimal_places
    return "1" if places == 0 else "0." + "0" * (places - 1) + "1"


def _chosen_metrics(request, session):
    available = list(results_service.metrics_for_school(session.pe_class.school_id).order_by("name"))
    by_code = {metric.code: metric for metric in available}
    codes = [code for code in request.GET.getlist("metric") if code in by_code]
    if not codes:
        recorded = PerformanceResult.objects.filter(session=session).values_list("metric__code", flat=True).distinct()
        codes = [code for code in recorded if code in by_code]
    return available, [by_code[code] for code in dict.fromkeys(codes)]


@login_required
def session_results(request, pk):
    """The entry grid: rows = students who took part, columns = chosen metrics; blank = no value."""
    session = session_for(request, pk, "physed.run_session")
    available, chosen = _chosen_metrics(request, session)
    students = list(
        session_roster(session).filter(attendance__session=session, attendance__status__in=PARTICIPATING_STATUSES)
    )
    existing = {
        (result.student_id, result.metric_id): result.value
        for result in PerformanceResult.objects.filter(session=session, metric__in=chosen)
    }
    cell_errors: dict[tuple[int, int], str] = {}
    raw_values: dict[tuple[int, int], str] = {}
    if request.method == "POST" and chosen:
        entries, keys = [], []
        for student in students:
            for metric in chosen:
                key = (student.pk, metric.pk)
                raw = request.POST.get(f"v-{student.pk}-{metric.pk}", "").strip()
                raw_values[key] = raw
                if raw == "":
                    if key in existing:
                        entries.append(results_service.ResultEntry(student=student.pk, metric=metric.pk, value=None))
                        keys.append(key)
                    continue
                try:
                    value = Decimal(raw.replace(",", "."))
                except InvalidOperation:
                    cell_errors[key] = _("Enter a number.")
                    continue
                entries.append(results_service.ResultEntry(student=student.pk, metric=metric.pk, value=value))
                keys.append(key)
        if not cell_errors:
            try:
                outcome = results_service.record_results(actor=request.user, session=session, entries=entries)
            except RowErrors as exc:
                for index, row in exc.rows.items():
                    cell_errors[keys[index]] = " ".join(message for messages_ in row.values() for message in messages_)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Results saved: %(saved)s values, %(removed)s removed.") % outcome,
                )
                return redirect(f"{request.path}?{request.GET.urlencode()}")
    grid = []
    for student in students:
        cells = []
        for metric in chosen:
            key = (student.pk, metric.pk)
            value = raw_values.get(key, existing.get(key, ""))
            cells.append(
                {
                    "name": f"v-{student.pk}-{metric.pk}",
                    "value": _plain(value),
                    "metric": metric,
                    "step": _step(metric),
                    "error": cell_errors.get(key, ""),
                }
            )
        grid.append({"student": student, "cells": cells})
    return render(
        request,
        "physed/sessions/results.html",
        {
            "session": session,
            "pe_class": session.pe_class,
            "available": available,
            "chosen": [{"metric": metric, "step": _step(metric)} for metric in chosen],
            "chosen_codes": {metric.code for metric in chosen},
            "grid": grid,
            "has_errors": bool(cell_errors),
            "query": request.GET.urlencode(),
        },
        status=400 if cell_errors else 200,
    )


def _plain(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value
