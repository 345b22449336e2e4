"""Scale data (``seed_demo --scale N``, issue 10 §3): copies 2..N of each demo school's roster.

The scale-1 demo (``demo_roster``) is left exactly as it is; every copy ``k`` ≥ 2 adds, per
school, the same volume again with bulk inserts:

* students: the school's grade counts once more (external ids ``<prefix>-x<k>-0001``, …);
* classes: every class plan once more ("PE 7 (2)", external id ``…-x<k>``) with its weekly
  meetings and teacher (object permissions assigned in bulk, one permission-version bump);
* enrollments: each copy class enrols the copy's own students, the same way the base classes do
  (grade range, electives spread over the least-enrolled, ``size`` students).

Sessions, attendance and session results for the copy classes come from ``demo_sessions`` (already
bulk per class); fitness results, incidents, content and memories have their own ``demo_scale``
modules. Every row stays in its school: copy ``k`` of a school only links that school's rows.

Deterministic (``random.Random`` seeded per school and copy) and idempotent per copy: a copy whose
students already exist is left alone.
"""

import datetime
import random

from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import School, User
from physed.models import ClassMeeting, Enrollment, PEClass, Student

SCALED = "-x"  # in the external id of every scaled student and class (never in a scale-1 one)


def copy_tag(copy: int) -> str:
    return f"{SCALED}{copy}"


def base_only(queryset):
    """``queryset`` of students or classes without the scaled copies (the hand-made demo)."""
    return queryset.exclude(external_id__contains=SCALED)


def scaled_only(queryset):
    return queryset.filter(external_id__contains=SCALED)


def seed_copies(school: School, spec: dict, data: dict, year: int, scale: int) -> dict[int, list[PEClass]]:
    """Copies 2..``scale`` of ``school``'s roster; returns the classes made, by copy."""
    from physed.demo_roster import CAPACITY, roster_rows

    made: dict[int, list[PEClass]] = {}
    for copy in range(2, scale + 1):
        tag = copy_tag(copy)
        if Student.objects.filter(school=school, external_id__startswith=f"{spec['prefix']}{tag}-").exists():
            continue
        rng = random.Random(f"demo-roster-{school.slug}{tag}")  # noqa: S311 - deterministic demo data
        rows = roster_rows(rng, spec, data, year, lambda number, tag=tag: f"{spec['prefix']}{tag}-{number:04d}")
        students = [Student(school=school, **row) for row in rows]
        students = Student.objects.bulk_create(students, batch_size=500)
        made[copy] = _classes(school, spec, students, year, copy, rng, CAPACITY)
    return made


def _classes(school, spec, students, year, copy, rng, capacity) -> list[PEClass]:
    from physed.demo_roster import enrolled_of, meetings_of

    tag = copy_tag(copy)
    start = min(datetime.date(year, 8, 20), timezone.localdate() - datetime.timedelta(weeks=10))
    classes = PEClass.objects.bulk_create(
        PEClass(
            school=school,
            external_id=f"{spec['prefix']}-{plan['key']}-{year}{tag}",
            name=f"{plan['name']} ({copy})",
            school_year=year,
            grade_from=plan["grades"][0],
            grade_to=plan["grades"][1],
            location=plan["location"],
            space=plan["space"],
            capacity=capacity,
        )
        for plan in spec["classes"]
    )
    meetings, enrollments, load = [], [], {}
    by_teacher: dict[str, list[PEClass]] = {}
    for pe_class, plan in zip(classes, spec["classes"], strict=True):
        meetings += meetings_of(pe_class, plan)
        by_teacher.setdefault(plan["teacher"], []).append(pe_class)
        enrollments += [
            Enrollment(pe_class=pe_class, student=student, start_date=start)
            for student in enrolled_of(rng, plan, students, load)
        ]
    ClassMeeting.objects.bulk_create(meetings)
    Enrollment.objects.bulk_create(enrollments, batch_size=1000)
    _assign_teachers(school, by_teacher)
    return classes


def _assign_teachers(school, by_teacher: dict[str, list[PEClass]]) -> None:
    """What ``roster_classes.set_teachers`` does for a new class, for many classes at once."""
    from accounts.selectors import bump_permission_version
    from physed.services.roster_classes import TEACHER_PERMS

    changed = False
    for local, classes in sorted(by_teacher.items()):
        teacher = User.objects.filter(email=f"{local}@{school.slug}.demo").first()
        if teacher is None:
            continue
        PEClass.teachers.through.objects.bulk_create(
            PEClass.teachers.through(peclass_id=pe_class.pk, user_id=teacher.pk) for pe_class in classes
        )
        queryset = PEClass.objects.filter(pk__in=[pe_class.pk for pe_class in classes])
        for perm in TEACHER_PERMS:
            assign_perm(perm, teacher, queryset)
        changed = True
    if changed:
        bump_permission_version()
