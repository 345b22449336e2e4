"""``{% my_goals_card %}``: the dashboard card of a student or guardian — the active and proposed
goals of the students they are linked to, with how far each has come (latest value against
baseline and target) and the latest badges."""

from django import template

from physed.selectors.roster import linked_students
from progress.selectors.dashboard import goal_cards, recent_badges

register = template.Library()


@register.inclusion_tag("progress/_my_goals_card.html", takes_context=True)
def my_goals_card(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    students = list(linked_students(user)) if user is not None and user.is_authenticated else []
    return {
        "students": students,
        "goals": goal_cards(students),
        "badges": recent_badges(students),
        "show_names": len(students) > 1,
    }
