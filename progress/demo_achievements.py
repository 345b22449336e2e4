"""Demo data: achievements. Loads the shipped badges (idempotent). Awards come from the entries
the fitness and session demos write (after-entry hook); attendance streaks need the nightly
``evaluate_achievements`` task or ``evaluate_all()`` — the lead calls
``progress.demo_achievements.finish(context)`` at the end of the assessments demo."""

from progress.services.achievements import evaluate_all
from progress.services.achievements_data import load_shipped


def seed(context) -> None:
    load_shipped()


def finish(context) -> int:
    """Awards every badge earned by then (attendance streaks included) in the demo schools."""
    total = 0
    for school in (context.get("schools") or {}).values():
        total += evaluate_all(school)
    return total
