"""``{% session_lesson_plans session %}``: the lesson plans scheduled into a class session, for
the physed session page (physed never imports content; its template loads this tag). Only the
plans the viewer may see are listed, each linked to its item page with the scheduled version."""

from django import template

from content.selectors.items import session_lesson_plans as scheduled_plans

register = template.Library()


@register.inclusion_tag("content/items/_session_lessons.html", takes_context=True)
def session_lesson_plans(context, session):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "schedules": list(scheduled_plans(user, session))}
