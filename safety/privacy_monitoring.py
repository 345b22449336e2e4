"""Personal-data declarations: monitoring.

* ``SafetyAlert`` — an alert may name a student (``student``: a medical need or a restriction
  conflict) and records who acknowledged it (``acknowledged_by``). Exported for the student's
  linked account and for the acknowledging staff member; on erasure the student's alerts are
  deleted and a staff member's acknowledgements lose their link (the alert stays in the
  session's safety record).
* ``RiskModel`` holds school-level coefficients and counts only — no person link.
"""

from django.db.models import Q

from accounts.privacy import registry


def _alert_rows(user):
    from safety.models import SafetyAlert

    return SafetyAlert._base_manager.filter(Q(student__user=user) | Q(acknowledged_by=user))


def _erase_alerts(queryset, user):
    from safety.models import SafetyAlert

    SafetyAlert._base_manager.filter(acknowledged_by=user).update(acknowledged_by=None)
    count, _detail = SafetyAlert._base_manager.filter(student__user=user).delete()
    return registry.DELETE, count


def register() -> None:
    from safety.models import SafetyAlert

    registry.register(SafetyAlert, category="safety_monitoring", rows=_alert_rows, erase=_erase_alerts)
