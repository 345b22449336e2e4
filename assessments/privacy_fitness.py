"""Personal-data declarations: fitness.

* ``FitnessResult`` is about the student (values, zones, body composition): exported with the
  student's linked account and deleted on the student's erasure (its progress entries are
  progress's own rows). Staff who recorded it (``recorded_by``) only lose that link.
* ``TestEvent`` names who created it (``created_by``): exported with that account; on erasure the
  event stays (it is the class's testing record) and loses the link.
* ``FitnessTest``, ``StandardSet``, ``StandardBand`` and ``SchoolFitnessSettings`` hold no person
  link: excluded with that reason.
"""

from accounts.privacy import registry

CATEGORY = "assessments_fitness"


def _erase_results(queryset, user):
    from assessments.models import FitnessResult

    FitnessResult._base_manager.filter(recorded_by_id=user.pk).update(recorded_by=None)
    count, _detail = queryset.delete()
    return registry.DELETE, count


def register() -> None:
    from assessments.models import FitnessResult, TestEvent

    registry.register(
        FitnessResult,
        category=CATEGORY,
        user_path="student__user",
        erase=_erase_results,
        school_path="event__pe_class__school",
    )
    registry.register(
        TestEvent,
        category=CATEGORY,
        user_path="created_by",
        erase={"created_by": None},
        school_path="pe_class__school",
    )
    for label in ("FitnessTest", "StandardSet", "StandardBand"):
        registry.exclude(f"assessments.{label}", "Test definitions and published standards; no person is linked.")
    registry.exclude("assessments.SchoolFitnessSettings", "A school's configuration; no person is linked.")
