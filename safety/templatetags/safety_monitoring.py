"""Monitoring tags: ``{% live_panel_link session %}`` and ``{% session_risk_badge session %}`` for
the physed session pages (each renders nothing for a user without ``safety.view_safetyalert``),
labels for decisions and restrictions, and the risk explanation as an inline SVG bar chart
(diverging bars: contributions may be negative once a school's own fit says a factor lowers risk)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from accounts.permissions import allowed_on_object
from physed.models import RestrictionKind
from safety.models import EnvironmentDecision

register = template.Library()

VIEW_ALERT = "safety.view_safetyalert"
CHART_WIDTH, ROW_HEIGHT, LABEL_WIDTH = 640, 30, 250


def _allowed(context, obj) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and allowed_on_object(user, VIEW_ALERT, obj, record=False))


@register.simple_tag
def decision_label(decision: str) -> str:
    return str(EnvironmentDecision(decision).label) if decision in EnvironmentDecision.values else decision


@register.simple_tag
def restriction_label(kind: str) -> str:
    return str(RestrictionKind(kind).label) if kind in RestrictionKind.values else kind


@register.inclusion_tag("safety/monitoring/_live_link.html", takes_context=True)
def live_panel_link(context, session):
    if not _allowed(context, session):
        return {"show": False}
    from safety.models import SafetyAlert

    open_alerts = SafetyAlert.objects.filter(session=session, acknowledged_at__isnull=True).count()
    return {"show": True, "session": session, "open_alerts": open_alerts}


@register.inclusion_tag("safety/monitoring/_risk_badge.html", takes_context=True)
def session_risk_badge(context, session):
    if not _allowed(context, session):
        return {"show": False}
    from safety.selectors.risk_scoring import score_session, session_queryset

    full = session_queryset().get(pk=session.pk)
    return {"show": True, "session": session, "risk": score_session(full)}


@register.simple_tag
def contribution_chart(risk):
    """Horizontal bars of each factor's contribution (score points), centred on zero."""
    factors = list(risk.factors)
    if not factors:
        return ""
    largest = max(abs(f.contribution) for f in factors) or 1.0
    plot = CHART_WIDTH - LABEL_WIDTH - 60
    zero = LABEL_WIDTH + plot / 2
    height = ROW_HEIGHT * len(factors) + 10
    rows = []
    for index, factor in enumerate(factors):
        y = 5 + index * ROW_HEIGHT
        text_y = f"{y + ROW_HEIGHT * 0.6:.1f}"
        width = abs(factor.contribution) / largest * (plot / 2)
        positive = factor.contribution >= 0
        sign = "up" if factor.contribution > 0 else ("down" if factor.contribution < 0 else "none")
        value = f"{factor.contribution:+.1f}"
        rows.append(
            (
                LABEL_WIDTH - 8,
                text_y,
                factor.name,
                sign,
                f"{zero if positive else zero - width:.1f}",
                y + 4,
                f"{width:.1f}",
                ROW_HEIGHT - 10,
                factor.name,
                value,
                f"{zero + width + 6 if positive else zero - width - 6:.1f}",
                text_y,
                "start" if positive else "end",
                value,
            )
        )
    body = format_html_join(
        "",
        '<text class="mon-chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="mon-bar mon-bar-{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
        '<text class="mon-chart-value" x="{}" y="{}" text-anchor="{}">{}</text>',
        rows,
    )
    return format_html(
        '<figure class="chart-figure"><svg class="mon-chart" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<line class="mon-chart-zero" x1="{}" y1="0" x2="{}" y2="{}"></line>{}</svg></figure>',
        CHART_WIDTH,
        height,
        _("Contribution of each factor to the risk score, in score points"),
        f"{zero:.1f}",
        f"{zero:.1f}",
        height,
        body,
    )
