"""What each intent is called on the pages (the "why" panel, the correction form)."""

from django.utils.translation import gettext_lazy as _

INTENT_LABELS = {
    "list_classes": _("Your classes"),
    "class_overview": _("Class overview"),
    "student_progress": _("Student progress"),
    "fitness_results": _("Fitness test results"),
    "attendance": _("Attendance"),
    "upcoming_sessions": _("Upcoming sessions"),
    "recommend_activities": _("Activity recommendations"),
    "adaptations": _("Adaptations"),
    "safety_status": _("Safety status"),
    "heat_guidance": _("Heat guidance"),
    "search_content": _("Content library search"),
    "propose_goal": _("Propose a goal"),
    "propose_lesson_plan": _("Draft a lesson plan"),
    "propose_results": _("Record fitness results"),
    "remember": _("Remember something"),
    "set_preference": _("Set a preference"),
    "greeting": _("Greeting"),
    "help": _("What the assistant can do"),
    "thanks": _("Thanks"),
    "unknown": _("Not understood"),
    "chat": _("Conversation (external model)"),
}


def intent_label(intent: str) -> str:
    """The label of ``intent``; an unlisted one (a tool added later) reads from its name."""
    return str(INTENT_LABELS.get(intent) or intent.replace("_", " ").capitalize())
