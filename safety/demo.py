"""Safety demo data (issue 6 "Demo data"): medical profiles, protocols, procedures with drills,
risk assessments, incidents in each workflow state, equipment with inspections, environment
readings and a rule set per school. Idempotent like the rest of ``seed_demo``; runs after physed's
(INSTALLED_APPS order), so classes, students and sessions exist. ``seed_demo --scale N``: the
incidents once more per scaled copy of the roster, in bulk (``demo_scale``)."""

from safety import (
    demo_environment,
    demo_equipment,
    demo_incidents,
    demo_medical,
    demo_monitoring,
    demo_protocols,
    demo_risk,
    demo_scale,
)


def seed(context) -> None:
    for area in (
        demo_environment,
        demo_equipment,
        demo_medical,
        demo_protocols,
        demo_risk,
        demo_incidents,
        demo_scale,
        demo_monitoring,
    ):
        area.seed(context)
