"""Pages: "My activity" (own events, opt-out, CSV, satisfaction prompt) and "Analytics" for
school admins (engagement, usage, behaviour, performance, satisfaction, disengagement risk),
with charts as inline SVG computed here (no script, CSP-safe) and a table alternative for each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.api.activity_views import ActivityFilter, csv_lines, risk_payload
from accounts.models import ActivityKind, SatisfactionKind, SchoolActivityPolicy
from accounts.pages import paginate
from accounts.selectors import has_school_perm
from accounts.selectors_activity import analytics_school, analytics_schools, own_activity
from accounts.services import activity as activity_service
from accounts.services.analytics import engagement, risk, satisfaction
from accounts.services.errors import ServiceError
from accounts.services_session import current_school

DAY_LABELS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
CHART_WIDTH, CHART_HEIGHT = 600, 160


def _filters(request):
    data = {key: request.GET.get(key, "") for key in ("kind", "route_group", "occurred_after", "occurred_before")}
    return data, ActivityFilter(data, queryset=own_activity(request.user))


@login_required
def my_activity(request):
    activity_service.flush_buffer(max_batches=1)  # show what is still buffered (one INSERT at most)
    data, filterset = _filters(request)
    events = filterset.qs if filterset.is_valid() else own_activity(request.user).none()
    school = current_school(request)
    prompt = satisfaction.pending_prompt(user=request.user, school=school) if school else None
    features = own_activity(request.user).exclude(route_group="").order_by("route_group")
    return render(
        request,
        "accounts/activity/my_activity.html",
        {
            "page": paginate(request, events),
            "current": data,
            "filter_errors": filterset.errors if not filterset.is_valid() else {},
            "kinds": ActivityKind.choices,
            "features": list(features.values_list("route_group", flat=True).distinct()),
            "tracking_enabled": activity_service.tracking_enabled_for(request.user),
            "tracking_level": activity_service.tracking_level(request.user),
            "prompt": prompt,
            "prompt_scores": range(prompt["min"], prompt["max"] + 1) if prompt else (),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def my_activity_export(request):
    _data, filterset = _filters(request)
    events = filterset.qs if filterset.is_valid() else own_activity(request.user).none()
    response = StreamingHttpResponse(csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-activity-{timezone.now():%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def my_activity_tracking(request):
    enabled = request.POST.get("tracking_enabled") == "on"
    activity_service.set_tracking(user=request.user, enabled=enabled)
    messages.success(request, _("Activity tracking is on.") if enabled else _("Activity tracking is off."))
    return redirect("my-activity")


@login_required
@require_POST
def satisfaction_answer(request):
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    dismissed = "dismiss" in request.POST
    raw = request.POST.get("score", "")
    try:
        score = int(raw) if raw != "" else None
    except ValueError:
        score = None
    try:
        satisfaction.answer_prompt(user=request.user, school=school, kind=kind, score=score, dismissed=dismissed)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for your feedback."))
    return redirect("my-activity")


# --- charts -----------------------------------------------------------------------------------
def bar_chart(values: list[tuple[str, float]], *, width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> dict:
    """Bars for an inline SVG: [{"x","y","width","height","label","value"}] scaled to the max."""
    top = max((v for _l, v in values), default=0) or 1
    slot = width / max(1, len(values))
    bars = []
    for index, (label, value) in enumerate(values):
        h = round((value or 0) / top * (height - 20), 1)
        bars.append(
            {
                "x": round(index * slot + slot * 0.1, 1),
                "y": round(height - h, 1),
                "width": round(slot * 0.8, 1),
                "height": h,
                "label": label,
                "value": value,
            }
        )
    return {"bars": bars, "width": width, "height": height, "max": top}


def heatmap_cells(grid: list[list[int]]) -> dict:
    top = max((max(row) for row in grid), default=0) or 1
    cells = []
    for day, row in enumerate(grid):
        for hour, count in enumerate(row):
            cells.append(
                {
                    "x": 40 + hour * 22,
                    "y": day * 22,
                    "count": count,
                    "opacity": round(0.08 + 0.92 * count / top, 2) if count else 0.04,
                }
            )
    rows = [{"label": DAY_LABELS[day], "y": day * 22 + 15, "counts": grid[day]} for day in range(7)]
    return {
        "cells": cells,
        "rows": rows,
        "hours": [{"hour": h, "x": 40 + h * 22 + 11} for h in range(0, 24, 3)],
        "max": top,
    }


def _school_for_page(request):
    preferred = current_school(request)
    try:
        return analytics_school(
            request.user, request.GET.get("school") or None, preferred_id=preferred.pk if preferred else None
        )
    except PermissionError:
        raise PermissionDenied from None


@login_required
def analytics(request):
    school = _school_for_page(request)
    activity_service.flush_buffer(max_batches=1)
    try:
        days = min(365, max(1, int(request.GET.get("days", 30))))
    except ValueError:
        days = 30
    report = engagement.school_report(school, engagement.Window.last_days(days))
    results = satisfaction.results(school)
    risk_report = risk_payload(school)
    daily = report["engagement"]["daily"]
    adoption = report["engagement"]["feature_adoption"][:10]
    trend = results["trend"]
    policy = SchoolActivityPolicy.objects.filter(school=school).first()
    return render(
        request,
        "accounts/activity/analytics.html",
        {
            "school": school,
            "schools": analytics_schools(request.user),
            "days": days,
            "report": report,
            "daily_chart": bar_chart([(row["date"], row["active_users"]) for row in daily]),
            "adoption_chart": bar_chart([(row["feature"], round(row["share"] * 100)) for row in adoption]),
            "heatmap": heatmap_cells(report["usage"]["heatmap"]),
            "results": results,
            "csat_chart": bar_chart(
                [(str(row["score"]), row["count"]) for row in results["csat"]["distribution"]], height=120
            ),
            "trend_chart": bar_chart([(row["month"], row["csat_average"] or 0) for row in trend], height=120),
            "risk": risk_report,
            "can_manage": has_school_perm(request.user, "accounts.manage_retention", school.pk),
            "policy": policy,
            "retention_days": policy.retention_days if policy else activity_service.settings.ACTIVITY_RETENTION_DAYS,
            "satisfaction_kinds": SatisfactionKind.choices,
        },
    )


@login_required
@require_POST
def analytics_fit(request):
    school = _school_for_page(request)
    try:
        fit = risk.fit_school_model(school=school)
    except risk.InsufficientData as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Risk model fitted on %(n)s examples.") % {"n": fit.sample_size})
    return redirect(f"{_analytics_url()}?school={school.pk}")


@login_required
@require_http_methods(["POST"])
def analytics_policy(request):
    school = _school_for_page(request)
    if not has_school_perm(request.user, "accounts.manage_retention", school.pk):
        raise PermissionDenied
    try:
        values = {
            "retention_days": int(request.POST.get("retention_days", "")),
            "prompt_interval_days": int(request.POST.get("prompt_interval_days", "")),
            "track_student_features": request.POST.get("track_student_features") == "on",
        }
        activity_service.set_school_policy(actor=request.user, school=school, **values)
    except (ValueError, ServiceError, ValidationError):
        messages.error(request, _("Enter whole numbers: retention 7–3650 days, prompt interval at least 1 day."))
    else:
        messages.success(request, _("Activity policy saved."))
    return redirect(f"{_analytics_url()}?school={school.pk}")


def _analytics_url():
    return reverse("analytics")
