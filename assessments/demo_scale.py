"""Scale data (``seed_demo --scale N``): the two demo testing windows for the scaled copies of the
demo classes (``physed/demo_scale.py``), in bulk.

The same events, values and scoring as ``demo_fitness`` (which seeds the scale-1 classes through
the services), written the way ``record_fitness_results`` writes them but a school at a time: the
events and their tests, the results scored against the school's standard set, one progress entry
per result (source ``fitness_result``), then the newest-result flags recomputed once for every
student (``fitness_latest.refresh_latest``). The progress follow-ups are not needed per batch:
scaled students have no goals, and ``demo_achievements.finish`` awards every earned badge at the
end of the assessments demo. Idempotent: a class that already has a window's event is left alone.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from assessments.demo_fitness import CODES, WINDOWS, demo_values
from assessments.models import FitnessResult, FitnessTest, TestEvent
from assessments.services.fitness import PROGRESS_SOURCE, _apply, settings_for
from assessments.services.fitness_latest import refresh_latest
from assessments.services.fitness_scoring import BandCache, score
from physed.demo_scale import scaled_only
from physed.models import Enrollment, EnrollmentStatus, PEClass
from progress.models import ProgressEntry


def seed(context) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for slug, school in (context or {}).get("schools", {}).items():
        seed_school(school, actor=users.filter(email=f"head@{slug}.demo").first(), slug=slug)


@transaction.atomic
def seed_school(school, *, actor=None, slug: str = "") -> int:
    """Both windows for every scaled class of ``school``; returns how many events were made."""
    classes = list(scaled_only(PEClass.objects.filter(school=school, is_active=True)).order_by("pk"))
    if not classes:
        return 0
    tests = {test.code: test for test in FitnessTest.objects.filter(school=None, code__in=CODES)}
    done = set(
        TestEvent.objects.filter(pe_class__in=classes, name__in=[w[0] for w in WINDOWS]).values_list(
            "pe_class_id", "name"
        )
    )
    events = TestEvent.objects.bulk_create(
        TestEvent(pe_class=pe_class, name=name, window=window, date=date, created_by=actor)
        for pe_class in classes
        for name, window, date, _progress in WINDOWS
        if (pe_class.pk, name) not in done
    )
    if not events:
        return 0
    TestEvent.tests.through.objects.bulk_create(
        TestEvent.tests.through(testevent_id=event.pk, fitnesstest_id=test.pk)
        for event in events
        for test in tests.values()
    )
    enrolled: dict[int, list] = {}
    for enrollment in (
        Enrollment.objects.filter(pe_class__in=classes, status=EnrollmentStatus.ACTIVE)
        .select_related("student")
        .order_by("student__last_name", "student__pk")
    ):
        enrolled.setdefault(enrollment.pe_class_id, []).append(enrollment.student)
    settings = settings_for(school)
    cache = BandCache(settings.standard_set)
    progress = {name: step for name, _window, _date, step in WINDOWS}
    results = []
    for event in events:
        for student in enrolled.get(event.pe_class_id, []):
            # as demo_fitness: the same seed in both windows, mid-year adds a non-negative gain
            rng = random.Random(f"{slug or school.pk}:{student.external_id or student.pk}")  # noqa: S311 demo data
            dob = student.date_of_birth or datetime.date(event.date.year - 12, 1, 1)
            age = event.date.year - dob.year - ((event.date.month, event.date.day) < (dob.month, dob.day))
            values = demo_values(rng, age=age, male=student.sex == "M", progress=progress[event.name])
            for code, value in values.items():
                result = FitnessResult(
                    event=event, student=student, test=tests[code], value=Decimal(str(value)), recorded_by=actor
                )
                _apply(result, score(result, cache), settings.standard_set)
                results.append(result)
    results = FitnessResult.objects.bulk_create(results, batch_size=1000)
    ProgressEntry.objects.bulk_create(
        (
            ProgressEntry(
                school_id=school.pk,
                student=result.student,
                metric_key=f"fitness.{result.test.code}",
                value=result.value,
                date=result.event.date,
                zone=result.zone,
                source=PROGRESS_SOURCE,
                source_id=str(result.pk),
                group_key=f"test_event:{result.event_id}",
                recorded_by=actor,
            )
            for result in results
        ),
        batch_size=1000,
    )
    student_ids = {result.student_id for result in results}
    refresh_latest(student_ids)
    return len(events)
