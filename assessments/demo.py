"""Assessments demo data (issue 7 "Demo data"): the FitnessGram standard set and two testing
windows of results per class, rubrics with scores, feedback, then one published progress report
per demo student. Runs after physed, safety and progress (INSTALLED_APPS order); the badges earned
by the demo results are awarded before the reports are written, so the reports list them.
``seed_demo --scale N``: the scaled copies of the classes get both windows in bulk (``demo_scale``)."""

from assessments import demo_feedback, demo_fitness, demo_reports, demo_rubrics, demo_scale
from progress import demo_achievements


def seed(context) -> None:
    for area in (demo_fitness, demo_scale, demo_rubrics, demo_feedback):
        area.seed(context)
    demo_achievements.finish(context)
    demo_reports.seed(context)
