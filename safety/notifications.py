"""The safety notification events (registered from ``SafetyConfig.ready()``) and who receives
school-wide safety notices: the school's department heads and school admins."""

from django.utils.translation import gettext_lazy as _

from accounts.services.notification_events import register_event_type

INCIDENT_REPORTED = "safety.incident_reported"
INCIDENT_UPDATED = "safety.incident_updated"
INCIDENT_ACTION_ASSIGNED = "safety.incident_action"
ASSESSMENT_SUBMITTED = "safety.assessment_submitted"
ASSESSMENT_DECIDED = "safety.assessment_decided"
REVIEW_DUE = "safety.review_due"
DRILL_DUE = "safety.drill_due"
LIVE_ALERT = "safety.live_alert"
EQUIPMENT_FLAGGED = "safety.equipment_flagged"
MEDICAL_UPDATED = "safety.medical_updated"
GUARDIAN_NOTICE = "safety.guardian_notice"


def register_events() -> None:
    register_event_type(INCIDENT_REPORTED, _("An incident was reported"), email=True)
    register_event_type(INCIDENT_UPDATED, _("An incident I follow changed"))
    register_event_type(INCIDENT_ACTION_ASSIGNED, _("A follow-up action was assigned to me"), email=True)
    register_event_type(ASSESSMENT_SUBMITTED, _("A risk assessment waits for approval"), email=True)
    register_event_type(ASSESSMENT_DECIDED, _("My risk assessment was approved or returned"))
    register_event_type(REVIEW_DUE, _("A protocol or risk assessment is due for review"), email=True)
    register_event_type(DRILL_DUE, _("An emergency drill is due"))
    register_event_type(LIVE_ALERT, _("Live safety alert during a class session"), mandatory_in_app=True)
    register_event_type(EQUIPMENT_FLAGGED, _("Equipment was flagged or failed inspection"))
    register_event_type(MEDICAL_UPDATED, _("A student's medical profile changed"))
    register_event_type(GUARDIAN_NOTICE, _("A notice about my child's incident"), email=True)


def safety_leads(school):
    """Active department heads and school admins of ``school`` (recipients of safety notices)."""
    from accounts.models import Role
    from accounts.selectors import members_of

    return list(members_of(school, [Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN]))
