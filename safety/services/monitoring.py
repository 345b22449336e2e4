"""Live safety alerts (safety §6): raising each alert once per session and telling the class's
teachers and the school's department heads, and acknowledging an alert.

The panel (page, fragment, API) and the ``safety.evaluate_live_sessions`` task call
``refresh_panel``: it evaluates the session and raises what needs action; ``SafetyAlert``'s
unique (session, key) makes raising the same alert again a no-op, so a panel polled every 30
seconds notifies people once.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import allowed_on_object
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from safety.models import SafetyAlert
from safety.notifications import LIVE_ALERT
from safety.selectors import monitoring as selectors
from safety.selectors.risk_scoring import session_queryset

CHANGE_ALERT = "safety.change_safetyalert"


def alert_recipients(session) -> list:
    """The class's active teachers and the school's active department heads (each once)."""
    from accounts.models import Membership, Role, User

    heads = Membership.objects.active().filter(school_id=session.pe_class.school_id, role=Role.DEPARTMENT_HEAD)
    ids = {user.pk for user in session.pe_class.teachers.all() if user.is_active}
    ids |= set(heads.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@transaction.atomic
def raise_alerts(*, session, specs: list[selectors.AlertSpec]) -> list[SafetyAlert]:
    """Create the alerts of ``specs`` not raised yet for ``session`` and notify; returns the new ones."""
    existing = set(SafetyAlert.objects.filter(session=session).values_list("key", flat=True))
    created_alerts = []
    for spec in specs:
        if spec.key in existing:
            continue
        alert, created = SafetyAlert.objects.get_or_create(
            session=session,
            key=spec.key,
            defaults={"kind": spec.kind, "level": spec.level, "message": spec.message, "student_id": spec.student_id},
        )
        existing.add(spec.key)
        if created:
            created_alerts.append(alert)
    if not created_alerts:
        return []
    url = reverse("safety-live-panel", args=[session.pk])
    title = _("Safety alert: %(class)s") % {"class": session.pe_class.name}
    recipients = alert_recipients(session)
    for alert in created_alerts:
        for user in recipients:
            notify(user, LIVE_ALERT, title, alert.message, url)
        record_event(
            "safety.alert_raised",
            school=session.pe_class.school,
            target=alert,
            changes={"key": alert.key, "level": alert.level, "recipients": [u.pk for u in recipients]},
        )
    return created_alerts


def refresh_panel(session, user, *, now=None) -> selectors.LivePanel:
    """The live panel of ``session`` as ``user`` sees it (``user`` None = the scheduled task),
    with the alerts it implies raised first."""
    panel = selectors.live_panel(session, user, now=now)
    if raise_alerts(session=session, specs=selectors.alert_specs(panel)):
        panel.alerts = selectors.session_alerts(session)
    return panel


@transaction.atomic
def acknowledge_alert(*, actor, alert: SafetyAlert) -> SafetyAlert:
    """Mark an alert seen and handled (once; acknowledging again is refused)."""
    if not allowed_on_object(actor, CHANGE_ALERT, alert):
        raise ServiceError(_("You may not acknowledge this alert."), code="permission_denied", status=403)
    alert = SafetyAlert.objects.select_for_update(of=("self",)).get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ServiceError(_("This alert was already acknowledged."), field="alert", code="already_acknowledged")
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    record_event(
        "safety.alert_acknowledged",
        actor=actor,
        school=alert.session.pe_class.school,
        target=alert,
        changes={"key": alert.key},
    )
    return alert


def evaluate_live_sessions(today: datetime.date | None = None) -> int:
    """Evaluate every planned or running session of today in every school (the task and the
    demo); returns the number of alerts raised."""
    from physed.models import SessionStatus

    today = today or timezone.localdate()
    sessions = (
        session_queryset()
        .filter(date=today, status__in=[SessionStatus.PLANNED, SessionStatus.IN_PROGRESS])
        .order_by("pk")
    )
    raised = 0
    for session in sessions:
        panel = selectors.live_panel(session, None)
        raised += len(raise_alerts(session=session, specs=selectors.alert_specs(panel)))
    return raised
