"""The safety home page: what needs attention in the school, one count per area, each shown only
to users who hold that area's view permission. Reads the models directly (one query per figure)
so the hub does not depend on each area's page code."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.selectors import has_school_perm
from safety.models import (
    EquipmentItem,
    EquipmentStatus,
    Incident,
    IncidentAction,
    IncidentStatus,
    ProtocolStatus,
    RiskAssessment,
    RiskAssessmentStatus,
    SafetyAlert,
    SafetyProtocol,
)


@dataclass
class HubFigure:
    label: str
    value: int
    url_name: str
    attention: bool


def hub_figures(user, school, today: datetime.date | None = None) -> list[HubFigure]:
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    figures: list[HubFigure] = []

    def allowed(perm):
        return user.is_superuser or has_school_perm(user, perm, school.pk)

    if allowed("safety.view_incident"):
        open_count = Incident.objects.filter(school=school).exclude(status=IncidentStatus.CLOSED).count()
        overdue = IncidentAction.objects.filter(
            incident__school=school, completed_at__isnull=True, due_date__lt=today
        ).count()
        figures.append(HubFigure(_("Open incidents"), open_count, "safety-incidents", open_count > 0))
        figures.append(HubFigure(_("Overdue follow-up actions"), overdue, "safety-incidents", overdue > 0))
    if allowed("safety.view_riskassessment"):
        rows = RiskAssessment.objects.filter(school=school)
        waiting = rows.filter(status=RiskAssessmentStatus.SUBMITTED).count()
        due = rows.filter(status=RiskAssessmentStatus.APPROVED, review_date__lte=today).count()
        figures.append(
            HubFigure(_("Risk assessments waiting for approval"), waiting, "safety-assessment-list", waiting > 0)
        )
        figures.append(HubFigure(_("Risk assessments due for review"), due, "safety-assessment-list", due > 0))
    if allowed("safety.view_safetyprotocol"):
        due = SafetyProtocol.objects.filter(
            school=school, status=ProtocolStatus.ACTIVE, review_due_on__lte=today
        ).count()
        figures.append(HubFigure(_("Protocols due for review"), due, "safety-protocol-list", due > 0))
    if allowed("safety.view_emergencyprocedure"):
        from safety.selectors.protocols import overdue_drills

        overdue = len(overdue_drills(school, today))
        figures.append(HubFigure(_("Overdue emergency drills"), overdue, "safety-procedure-list", overdue > 0))
    if allowed("safety.view_equipmentitem"):
        attention = EquipmentItem.objects.filter(
            school=school, status__in=[EquipmentStatus.FLAGGED, EquipmentStatus.OUT_OF_SERVICE]
        ).count()
        figures.append(
            HubFigure(_("Equipment flagged or out of service"), attention, "safety-equipment-list", attention > 0)
        )
    if allowed("safety.view_safetyalert"):
        alerts = SafetyAlert.objects.filter(
            Q(session__pe_class__school=school), acknowledged_at__isnull=True, session__date=today
        ).count()
        figures.append(HubFigure(_("Unacknowledged alerts today"), alerts, "safety-alerts", alerts > 0))
    return figures
