"""Demo data: roster. Per demo school: students across the school's grades (Northside 6–8,
Southside 9–12) with varied names, dates of birth that fit their grade, sexes including "not
specified" and external ids; five classes with weekly meetings taught by the demo teachers, each
with 20–26 students; the demo student login linked to one record and the demo guardian login as
guardian of that student and a sibling.

Deterministic (a ``random.Random`` seeded per school) and idempotent: rows are matched by external
id, so running it again changes nothing. Names and class plans are data (``data/demo_roster.json``).
``seed_demo --scale N`` adds copies 2..N of the roster in bulk (``physed/demo_scale.py``).
"""

import datetime
import json
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import School, User
from physed import demo_scale
from physed.models import ClassMeeting, Enrollment, Guardianship, PEClass, Sex, Student
from physed.services import roster as roster_service
from physed.services.roster_classes import set_teachers
from physed.services.roster_import import current_school_year

DATA = Path(__file__).resolve().parent / "data" / "demo_roster.json"
CAPACITY = 30


def _birth_date(rng: random.Random, grade: int, year: int) -> datetime.date:
    """US cut-off 1 September: a grade-``g`` student in school year ``year`` turned ``g + 5``
    between 1 Sept of ``year - 1`` and 31 Aug of ``year``."""
    first = datetime.date(year - grade - 6, 9, 1)
    return first + datetime.timedelta(days=rng.randrange(365))


def _people(rng: random.Random, data: dict, count: int) -> list[tuple[str, str, str]]:
    """(first name, last name, sex) without repeating a full name."""
    pool = [(name, sex) for sex, names in data["first_names"].items() for name in names]
    seen, people = set(), []
    while len(people) < count:
        first, sex = rng.choice(pool)
        last = rng.choice(data["last_names"])
        if (first, last) in seen:
            continue
        seen.add((first, last))
        if sex != Sex.NOT_SPECIFIED and rng.random() < 0.08:
            sex = Sex.NOT_SPECIFIED  # some families do not give a sex for fitness standards
        people.append((first, last, sex))
    return people


def _student(school, external_id, **values) -> Student:
    student, _created = Student.objects.update_or_create(school=school, external_id=external_id, defaults=values)
    return student


def roster_rows(rng: random.Random, spec: dict, data: dict, year: int, external_id) -> list[dict]:
    """The school's students as field values, grade by grade (``spec["grades"]``); ``external_id(n)``
    names the n-th. Shared by the scale-1 roster and its bulk copies (``demo_scale``)."""
    people = iter(_people(rng, data, sum(spec["grades"].values())))
    rows, number = [], 0
    for grade_key, count in spec["grades"].items():
        grade = int(grade_key)
        for _ in range(count):
            number += 1
            first, last, sex = next(people)
            rows.append(
                {
                    "external_id": external_id(number),
                    "first_name": first,
                    "last_name": last,
                    "preferred_name": data["preferred_names"].get(first, ""),
                    "sex": sex,
                    "grade": grade,
                    "date_of_birth": _birth_date(rng, grade, year),
                }
            )
    return rows


def meetings_of(pe_class: PEClass, plan: dict) -> list[ClassMeeting]:
    """The weekly meetings of a class plan (unsaved)."""
    return [
        ClassMeeting(
            pe_class=pe_class,
            weekday=weekday,
            start_time=datetime.time.fromisoformat(begins),
            end_time=datetime.time.fromisoformat(ends),
            period=period,
        )
        for weekday, begins, ends, period in plan["meetings"]
    ]


def enrolled_of(rng: random.Random, plan: dict, students: list, load: dict, first=()) -> list:
    """The ``plan["size"]`` students a class plan enrols: ``first`` (in its grade range) ahead, then
    the others of its grades with electives spread over the least-enrolled; ``load`` counts them."""
    low, high = plan["grades"]
    eligible = [s for s in students if low <= s.grade <= high]
    rng.shuffle(eligible)
    eligible.sort(key=lambda s: load.get(s.pk, 0))  # spread electives over the least-enrolled
    chosen = ([s for s in first if low <= s.grade <= high] + eligible)[: plan["size"]]
    for student in chosen:
        load[student.pk] = load.get(student.pk, 0) + 1
    return chosen


def _seed_students(school: School, spec: dict, data: dict, year: int) -> list[Student]:
    rng = random.Random(f"demo-roster-{school.slug}")  # noqa: S311 - deterministic demo data
    rows = roster_rows(rng, spec, data, year, lambda number: f"{spec['prefix']}{number:04d}")
    return [_student(school, row.pop("external_id"), **row) for row in rows]


def _seed_family(school: School, spec: dict, year: int) -> list[Student]:
    """The records behind the demo student and guardian logins: Sky and a younger sibling."""
    grades = sorted(int(g) for g in spec["grades"])
    rng = random.Random(f"demo-family-{school.slug}")  # noqa: S311 - deterministic demo data
    sky = _student(
        school,
        f"{spec['prefix']}-DEMO-1",
        first_name="Sky",
        last_name="Student",
        sex=Sex.NOT_SPECIFIED,
        grade=grades[1],
        date_of_birth=_birth_date(rng, grades[1], year),
    )
    robin = _student(
        school,
        f"{spec['prefix']}-DEMO-2",
        first_name="Robin",
        last_name="Student",
        sex=Sex.FEMALE,
        grade=grades[0],
        date_of_birth=_birth_date(rng, grades[0], year),
    )
    student_login = User.objects.filter(email=f"student@{school.slug}.demo").first()
    if student_login is not None and sky.user_id != student_login.pk:
        roster_service.link_student_user(actor=None, student=sky, user=student_login)
    guardian_login = User.objects.filter(email=f"guardian@{school.slug}.demo").first()
    if guardian_login is not None:
        for child in (sky, robin):
            if not Guardianship.objects.filter(student=child, guardian=guardian_login).exists():
                roster_service.add_guardian(
                    actor=None,
                    student=child,
                    guardian=guardian_login,
                    name=guardian_login.get_full_name() or "Pat Guardian",
                    relationship=Guardianship.Relationship.PARENT,
                    email=guardian_login.email,
                    phone="+1 555 0100",
                    is_primary_contact=True,
                )
    return [sky, robin]


def _seed_classes(school: School, spec: dict, students: list[Student], family: list[Student], year: int) -> None:
    rng = random.Random(f"demo-classes-{school.slug}")  # noqa: S311 - deterministic demo data
    start = min(datetime.date(year, 8, 20), timezone.localdate() - datetime.timedelta(weeks=10))
    load: dict[int, int] = {}
    for plan in spec["classes"]:
        pe_class, _created = PEClass.objects.update_or_create(
            school=school,
            external_id=f"{spec['prefix']}-{plan['key']}-{year}",
            defaults={
                "name": plan["name"],
                "school_year": year,
                "grade_from": plan["grades"][0],
                "grade_to": plan["grades"][1],
                "location": plan["location"],
                "space": plan["space"],
                "capacity": CAPACITY,
            },
        )
        if not pe_class.meetings.exists():
            ClassMeeting.objects.bulk_create(meetings_of(pe_class, plan))
        teacher = User.objects.filter(email=f"{plan['teacher']}@{school.slug}.demo").first()
        if teacher is not None:
            set_teachers(pe_class, [teacher])
        for student in enrolled_of(rng, plan, students, load, first=family):
            Enrollment.objects.get_or_create(pe_class=pe_class, student=student, defaults={"start_date": start})


@transaction.atomic
def seed(context) -> None:
    """Called by physed.demo.seed in area order."""
    data = json.loads(DATA.read_text())
    year = current_school_year()
    scale = int((context or {}).get("scale", 1))
    for slug, spec in data["schools"].items():
        school = School.objects.filter(slug=slug).first()
        if school is None:
            continue
        students = _seed_students(school, spec, data, year)
        family = _seed_family(school, spec, year)
        _seed_classes(school, spec, students, family, year)
        demo_scale.seed_copies(school, spec, data, year, scale)  # --scale N: copies 2..N, bulk
