"""``{% safety_alerts_card school %}``: the dashboard card of a teacher (and the staff above) —
today's outdoor conditions with the rule set's decision, and the unacknowledged live-panel alerts
of today's sessions in the classes the user teaches (every class of the school for department
heads and school admins)."""

from django import template
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import has_school_perm, roles_in
from safety.models import SafetyAlert
from safety.selectors.environment import current_status

register = template.Library()
CARD_LIMIT = 5


@register.inclusion_tag("safety/_alerts_card.html", takes_context=True)
def safety_alerts_card(context, school):
    request = context.get("request")
    user = getattr(request, "user", None)
    if school is None or user is None or not user.is_authenticated:
        return {"show": False}
    can_alerts = user.is_superuser or has_school_perm(user, "safety.view_safetyalert", school.pk)
    can_environment = user.is_superuser or has_school_perm(user, "safety.view_environmentreading", school.pk)
    if not (can_alerts or can_environment):
        return {"show": False}
    alerts, total = [], 0
    if can_alerts:
        rows = SafetyAlert.objects.filter(
            session__pe_class__school=school, session__date=timezone.localdate(), acknowledged_at__isnull=True
        )
        if not ({Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN} & set(roles_in(user, school.pk)) or user.is_superuser):
            rows = rows.filter(session__pe_class__teachers=user)
        rows = rows.select_related("session__pe_class", "student").order_by("-level", "-created_at")
        total = rows.count()
        alerts = list(rows[:CARD_LIMIT])
    status = current_status(school) if can_environment else None
    return {"show": True, "alerts": alerts, "total": total, "status": status, "request": request}
