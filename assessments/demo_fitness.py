"""Demo fitness data: the shipped tests and FitnessGram standards, and two testing windows per
demo class ("Fall pre-test" 2026-09-10, "Mid-year" 2026-11-17) with deterministic plausible
results (seeded per student; mid-year slightly better on average) for the PACER, curl-up, push-up,
trunk lift and sit-and-reach, entered through the service so progress entries exist. Idempotent:
an event that already exists is left alone."""

import datetime
import random

from django.contrib.auth import get_user_model

from assessments.models import FitnessTest, TestEvent
from assessments.services import fitness as services
from assessments.services.fitness_data import load_shipped
from physed.demo_scale import base_only

User = get_user_model()
WINDOWS = (
    ("Fall pre-test", "Fall", datetime.date(2026, 9, 10), 0.0),
    ("Mid-year", "Winter", datetime.date(2026, 11, 17), 1.0),
)
CODES = ("pacer_20m", "curl_up", "push_up_90", "trunk_lift", "sit_and_reach_left", "sit_and_reach_right")


def _clamp(value, low, high):
    return max(low, min(high, value))


def demo_values(rng: random.Random, *, age: int, male: bool, progress: float) -> dict[str, float]:
    """Plausible values for one student (``progress`` 0 at the pre-test, 1 at mid-year)."""
    return {
        "pacer_20m": round(
            _clamp(14 + 3 * (age - 10) + (6 if male else 0) + rng.gauss(0, 9) + progress * rng.uniform(0, 6), 3, 110)
        ),
        "curl_up": round(_clamp(16 + 2 * (age - 10) + rng.gauss(0, 9) + progress * rng.uniform(0, 5), 0, 75)),
        "push_up_90": round(
            _clamp(7 + (age - 10) + (4 if male else 0) + rng.gauss(0, 5) + progress * rng.uniform(0, 3), 0, 60)
        ),
        "trunk_lift": round(_clamp(9 + rng.gauss(0, 2) + progress * rng.uniform(0, 1), 4, 12)),
        "sit_and_reach_left": round(_clamp(8 + rng.gauss(0, 2.5) + progress * rng.uniform(0, 1), 2, 12) * 2) / 2,
        "sit_and_reach_right": round(_clamp(8 + rng.gauss(0, 2.5) + progress * rng.uniform(0, 1), 2, 12) * 2) / 2,
    }


def seed(context) -> None:
    load_shipped()
    for slug, school in (context or {}).get("schools", {}).items():
        actor = User.objects.filter(email=f"head@{slug}.demo").first()
        seed_school(school, actor=actor, slug=slug)


def seed_school(school, *, actor=None, slug: str = "") -> int:
    from physed.models import Enrollment, EnrollmentStatus, PEClass

    tests = {test.code: test for test in FitnessTest.objects.filter(school=None, code__in=CODES)}
    created = 0
    for pe_class in base_only(PEClass.objects.filter(school=school, is_active=True)).order_by("pk"):
        students = [
            enrollment.student
            for enrollment in Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE)
            .select_related("student")
            .order_by("student__last_name", "student__pk")
        ]
        for name, window, date, progress in WINDOWS:
            if TestEvent.objects.filter(pe_class=pe_class, name=name).exists():
                continue
            event = services.create_test_event(
                actor=actor, pe_class=pe_class, name=name, window=window, date=date, tests=list(tests.values())
            )
            entries = []
            for student in students:
                # Same seed in both windows: the same base draws, mid-year adds a non-negative gain.
                rng = random.Random(f"{slug or school.pk}:{student.external_id or student.pk}")  # noqa: S311 demo data
                dob = student.date_of_birth or datetime.date(date.year - 12, 1, 1)
                age = date.year - dob.year - ((date.month, date.day) < (dob.month, dob.day))
                values = demo_values(rng, age=age, male=student.sex == "M", progress=progress)
                entries.extend(
                    {"student": student, "test": tests[code], "value": value} for code, value in values.items()
                )
            if entries:
                services.record_fitness_results(actor=actor, event=event, entries=entries)
            created += 1
    return created
