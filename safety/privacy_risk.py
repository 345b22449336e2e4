"""Personal-data declarations: risk.

``RiskAssessment`` names staff: its owner, its author (``created_by``) and whoever approved or
returned it (``decided_by``). Assessments are the school's safety record, so erasing one of those
people keeps the assessment and clears the link to them; their export lists the assessments they
own, wrote or decided. ``Hazard`` and ``RiskBand`` hold no person link (hazards describe
activities and groups, not named people).
"""

from django.db.models import Q

from accounts.privacy import registry
from accounts.privacy.registry import ANONYMIZED

LINKS = ("owner", "created_by", "decided_by")


def _rows(user):
    from safety.models import RiskAssessment

    return RiskAssessment._base_manager.filter(Q(owner=user) | Q(created_by=user) | Q(decided_by=user))


def _export(queryset):
    for row in queryset.order_by("pk").select_related("school"):
        yield {
            "id": row.pk,
            "school": row.school.name,
            "title": row.title,
            "subject": row.subject,
            "status": row.status,
            "review_date": row.review_date.isoformat(),
            **{name: getattr(row, f"{name}_id") for name in LINKS},
            "decision_note": row.decision_note,
            "created_at": row.created_at.isoformat(),
        }


def _unlink(queryset, user):
    from safety.models import RiskAssessment

    count = 0
    for name in LINKS:
        count += RiskAssessment._base_manager.filter(**{f"{name}_id": user.pk}).update(**{name: None})
    return ANONYMIZED, count


def register() -> None:
    from safety.models import RiskAssessment

    registry.register(RiskAssessment, category="safety_records", rows=_rows, exporter=_export, erase=_unlink)
