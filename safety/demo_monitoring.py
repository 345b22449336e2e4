"""Demo data: monitoring and risk scoring (runs last, after every other safety area).

For each demo school: fit its risk model once (its own Poisson fit when the demo history has
enough incidents and participation-hours, else the documented priors), then evaluate today's
planned and running sessions so their live alerts exist (each alert is raised once per session
and key). Idempotent: a school that already has a model is not refitted, and raising an alert
again is a no-op."""

from django.utils import timezone

from physed.models import SessionStatus
from safety.models import RiskModel
from safety.selectors import monitoring as monitoring_selectors
from safety.selectors.risk_scoring import session_queryset
from safety.services import monitoring as monitoring_services
from safety.services.risk_scoring import refit_risk_model


def seed(context) -> None:
    today = timezone.localdate()
    for school in context.get("schools", {}).values():
        if not RiskModel.objects.filter(school=school).exists():
            refit_risk_model(school, today=today)
        sessions = session_queryset().filter(
            pe_class__school=school, date=today, status__in=[SessionStatus.PLANNED, SessionStatus.IN_PROGRESS]
        )
        for session in sessions.order_by("pk"):
            panel = monitoring_selectors.live_panel(session, None)
            monitoring_services.raise_alerts(session=session, specs=monitoring_selectors.alert_specs(panel))
