"""PE core demo data (issue 5 §9): roster, library, 8 weeks of sessions, analyses, adaptations.
Idempotent like the rest of ``seed_demo``."""

from physed import demo_adaptation, demo_library, demo_movement, demo_roster, demo_sessions


def seed(context) -> None:
    for area in (demo_library, demo_roster, demo_sessions, demo_movement, demo_adaptation):
        area.seed(context)
