"""Safety demo data (issue 6 "Demo data"): medical profiles, protocols, procedures with drills,
risk assessments, incidents in each workflow state, equipment with inspections, environment
readings and a rule set per school. Idempotent like the rest of ``seed_demo``; runs after physed's
(INSTALLED_APPS order), so classes, students and sessions exist."""

from safety import (
    demo_environment,
    demo_equipment,
    demo_incidents,
    demo_medical,
    demo_monitoring,
    demo_protocols,
    demo_risk,
)


def seed(context) -> None:
    for area in (
        demo_environment,
        demo_equipment,
        demo_medical,
        demo_protocols,
        demo_risk,
        demo_incidents,
        demo_monitoring,
    ):
        area.seed(context)
