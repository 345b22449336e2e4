"""Personal-data declarations: environment.

* ``EnvironmentReading`` names the staff member who entered it (``recorded_by``): exported with
  that account; on erasure the reading stays (a school's weather record, no person in it) and
  loses the link.
* ``EnvironmentRuleSet`` and ``SafetySettings`` hold no personal data (thresholds and choices of a
  school).
"""

from accounts.privacy import registry


def register() -> None:
    from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings

    registry.register(
        EnvironmentReading, category="safety_environment", user_path="recorded_by", erase={"recorded_by": None}
    )
    registry.exclude(
        EnvironmentRuleSet._meta.label,
        "Heat, cold and air-quality bands of a school (or shipped with the app) and their sources; no person.",
    )
    registry.exclude(
        SafetySettings._meta.label,
        "A school's choice of rule set and safety defaults; no person.",
    )
