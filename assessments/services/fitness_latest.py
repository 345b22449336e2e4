"""The "newest result" flags on fitness results (``FitnessResult.is_latest`` and
``is_latest_in_window``): for each student and test, the result of the latest event (then the
highest id) overall and within each testing window.

Why stored: school dashboards aggregate the newest result per student and test; ranking every result
of a school on each request grew with the school's history (ROW_NUMBER over all rows). The flags are
recomputed here, for the students whose results changed, by every service that adds, removes or
re-dates results — a few hundred rows at a time.
"""

from django.db import transaction

from assessments.models import FitnessResult


@transaction.atomic
def refresh_latest(student_ids) -> int:
    """Recomputes both flags for every result of ``student_ids``; returns how many rows changed."""
    student_ids = sorted(set(student_ids))
    if not student_ids:
        return 0
    rows = list(
        FitnessResult.objects.filter(student_id__in=student_ids)
        .order_by("student_id", "test_id", "-event__date", "-pk")
        .values_list("pk", "student_id", "test_id", "event__window", "is_latest", "is_latest_in_window")
    )
    latest: set[int] = set()
    latest_in_window: set[int] = set()
    seen: set[tuple[int, int]] = set()
    seen_window: set[tuple[int, int, str]] = set()
    for pk, student_id, test_id, window, _was_latest, _was_in_window in rows:
        if (student_id, test_id) not in seen:
            seen.add((student_id, test_id))
            latest.add(pk)
        if (student_id, test_id, window) not in seen_window:
            seen_window.add((student_id, test_id, window))
            latest_in_window.add(pk)
    changed = 0
    for flag, wanted in (("is_latest", latest), ("is_latest_in_window", latest_in_window)):
        position = 4 if flag == "is_latest" else 5
        turn_on = [row[0] for row in rows if row[0] in wanted and not row[position]]
        turn_off = [row[0] for row in rows if row[0] not in wanted and row[position]]
        if turn_on:
            changed += FitnessResult.objects.filter(pk__in=turn_on).update(**{flag: True})
        if turn_off:
            changed += FitnessResult.objects.filter(pk__in=turn_off).update(**{flag: False})
    return changed
