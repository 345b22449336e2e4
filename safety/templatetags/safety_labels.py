"""Labels for stored keys shown on pages: risk-assessment workflow steps and checklist results."""

from django import template
from django.utils.translation import gettext_lazy as _

from safety.models import CheckResult

register = template.Library()

ASSESSMENT_STEPS = {
    "created": _("created"),
    "changed": _("edited"),
    "submitted": _("submitted for approval"),
    "approved": _("approved"),
    "returned": _("returned to the author"),
    "reopened": _("reopened"),
    "review_reminded": _("review reminder sent"),
}


@register.simple_tag
def assessment_step_label(action: str) -> str:
    step = action.removeprefix("safety.risk_assessment_")
    return str(ASSESSMENT_STEPS.get(step, step))


@register.simple_tag
def check_result_label(result: str) -> str:
    return str(CheckResult(result).label) if result in CheckResult.values else result
