"""Progress demo data (issue 7 "Demo data"): goals with milestones (class and personal, one
awaiting approval) and the shipped badges. Runs before the assessments demo, whose fitness results
then move the goals and earn badges through the services."""

from progress import demo_achievements, demo_goals


def seed(context) -> None:
    for area in (demo_goals, demo_achievements):
        area.seed(context)
