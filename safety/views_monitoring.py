"""Pages: the live safety panel of a session (polled by htmx with conditional GET), its alerts
and their acknowledgement, the session's risk score with its explanation, and the school's risk
model (with a refit button). Thin: the same selectors and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import schools_where
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from safety.models import AlertLevel, SafetyAlert
from safety.selectors import monitoring as monitoring_selectors
from safety.selectors import risk_scoring
from safety.services import monitoring as monitoring_services
from safety.services import risk_scoring as risk_services

VIEW_ALERT = "safety.view_safetyalert"
CHANGE_ALERT = "safety.change_safetyalert"
VIEW_MODEL = "safety.view_riskmodel"
ADD_MODEL = "safety.add_riskmodel"
POLL_SECONDS = 30


def _session(request, pk):
    session = get_object_or_404(risk_scoring.session_queryset().visible_to(request.user), pk=pk)
    if not allowed_on_object(request.user, VIEW_ALERT, session):
        raise PermissionDenied
    return session


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


def _panel_context(request, panel, etag: str) -> dict:
    return {
        "etag_value": etag.strip('"'),
        "session": panel.session,
        "pe_class": panel.session.pe_class,
        "panel": panel,
        "poll_seconds": POLL_SECONDS,
        "can_acknowledge": allowed_on_object(request.user, CHANGE_ALERT, panel.session, record=False),
    }


@login_required
def live_panel(request, pk):
    """The full page; reading the students' needs is audited here, once per page load."""
    from safety.services.medical import record_class_needs_read

    session = _session(request, pk)
    panel = monitoring_services.refresh_panel(session, request.user)
    if panel.can_see_needs and panel.needs:
        record_class_needs_read(
            request.user, session.pe_class.school, [n.student for n in panel.needs], f"session:{session.pk}"
        )
    etag = monitoring_selectors.panel_etag(monitoring_selectors.panel_payload(panel), request.user)
    return render(request, "safety/monitoring/live.html", _panel_context(request, panel, etag))


@login_required
def live_fragment(request, pk):
    """The polled fragment: 304 with no body while the panel's data are unchanged (the ETag is a
    hash of the panel data, the user and the language), else the fresh fragment. The fragment
    sends its own ETag back (``hx-headers`` If-None-Match), so the browser hands the 304 to htmx,
    which the page's htmx-config tells not to swap. Not audited again: the page load that
    started the polling was."""
    session = _session(request, pk)
    panel = monitoring_services.refresh_panel(session, request.user)
    etag = monitoring_selectors.panel_etag(monitoring_selectors.panel_payload(panel), request.user)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = render(request, "safety/monitoring/_panel.html", _panel_context(request, panel, etag))
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


@login_required
@require_POST
def acknowledge(request, pk):
    alert = get_object_or_404(SafetyAlert.objects.visible_to(request.user).select_related("session__pe_class"), pk=pk)
    fallback = reverse("safety-live-panel", args=[alert.session_id])
    try:
        monitoring_services.acknowledge_alert(actor=request.user, alert=alert)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Alert acknowledged."))
    return redirect(_next_url(request, fallback))


@login_required
def alert_list(request):
    if not allowed_somewhere(request.user, VIEW_ALERT):
        raise PermissionDenied
    rows = (
        SafetyAlert.objects.visible_to(request.user)
        .filter(session__pe_class__school__in=schools_where(request.user, VIEW_ALERT))
        .select_related("session__pe_class", "acknowledged_by")
    )
    level = request.GET.get("level", "")
    if level in AlertLevel.values:
        rows = rows.filter(level=level)
    state = request.GET.get("state", "")
    if state == "open":
        rows = rows.filter(acknowledged_at__isnull=True)
    elif state == "acknowledged":
        rows = rows.filter(acknowledged_at__isnull=False)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(message__icontains=query) | rows.filter(session__pe_class__name__icontains=query)
    page = Paginator(rows.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "safety/monitoring/alerts.html",
        {
            "page": page,
            "levels": AlertLevel.choices,
            "level": level,
            "state": state,
            "q": query,
            "can_acknowledge": allowed_somewhere(request.user, CHANGE_ALERT, record=False),
        },
    )


@login_required
def session_risk(request, pk):
    session = _session(request, pk)
    risk = risk_scoring.score_session(session)
    return render(
        request,
        "safety/monitoring/risk.html",
        {"session": session, "pe_class": session.pe_class, "risk": risk},
    )


@login_required
def risk_model(request):
    school = current_school(request)
    if school is None or not allowed_on_object(request.user, VIEW_MODEL, school):
        raise PermissionDenied
    model = risk_scoring.latest_model(school)
    return render(
        request,
        "safety/monitoring/model.html",
        {
            "school": school,
            "model": model,
            "rows": risk_scoring.model_rows(model),
            "can_refit": allowed_on_object(request.user, ADD_MODEL, school, record=False),
        },
    )


@login_required
@require_POST
def risk_model_refit(request):
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    try:
        model = risk_services.refit_risk_model(school, actor=request.user)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        if model.method == "poisson":
            messages.success(request, _("Risk model refitted from the school's own history."))
        else:
            messages.success(request, _("Not enough history yet: the documented priors are in use."))
    return redirect("safety-risk-model")
