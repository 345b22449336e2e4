"""Fitness analytics benchmark (issue 7, Performance): the class and school analytics pages and
endpoints at scale 1 vs scale 10, measured side by side (interleaved) in one run.

One database, two schools of different size, built here with bulk inserts (the shape of
``seed_demo`` vs ``seed_demo --scale 10``): "bench-fit-1" with 150 students in 6 classes of 25 and
"bench-fit-10" with 1,500 students in 60 classes of 25; every student has two testing windows
(fall, spring) × 6 tests and 16 attendance records. The class figures compare a 25-student class
of each school (same class size, 10× the rows around it: indexes); the school figures compare the
whole schools (10× the rows aggregated). Requests go through Django's test client in-process
(department head, session login), median of ``--repeat`` timings each.

Figures: time at scale 10 ÷ time at scale 1 (goal ≤ 2). Rows merged into docs/benchmarks.md/json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench_analytics .venv/bin/python bench/analytics.py
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 2.0
TESTS = ["pacer_20m", "curl_up", "push_up_90", "trunk_lift", "sit_and_reach_left", "mile_run"]
EMAIL = "fit-head@{slug}.bench"


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("CELERY_BROKER_URL", "")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def seed_school(slug: str, scale: int):
    """Idempotent: returns (school, a class, head user)."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, School, User
    from assessments.models import FitnessResult, FitnessTest, TestEvent
    from assessments.services.fitness_data import load_shipped
    from physed.models import AttendanceRecord, ClassSession, Enrollment, PEClass, SessionStatus, Student

    load_shipped()
    school, _created = School.objects.get_or_create(slug=slug, defaults={"name": f"Bench fitness ×{scale}"})
    user, made = User.objects.get_or_create(email=EMAIL.format(slug=slug), defaults={"first_name": "Head"})
    if made or not user.email_verified_at:
        user.set_password(settings.DEMO_PASSWORD)
        user.email_verified_at = timezone.now()  # staff features need a verified address
        user.save()
    Membership.objects.get_or_create(user=user, school=school, role=Role.DEPARTMENT_HEAD)
    if PEClass.objects.filter(school=school).exists():
        return school, PEClass.objects.filter(school=school).order_by("pk").first(), user
    rng = random.Random(slug)  # noqa: S311 - bench data
    tests = list(FitnessTest.objects.filter(school__isnull=True, code__in=TESTS))
    year = 2026
    fall, spring = datetime.date(year, 9, 20), datetime.date(year + 1, 3, 20)
    with transaction.atomic():
        classes = PEClass.objects.bulk_create(
            PEClass(school=school, name=f"PE {n}", school_year=year, grade_from=6, grade_to=8, capacity=30)
            for n in range(6 * scale)
        )
        students = Student.objects.bulk_create(
            Student(
                school=school,
                first_name=f"S{n}",
                last_name=slug,
                grade=6 + n % 3,
                sex="FM"[n % 2],
                date_of_birth=datetime.date(2013, 1, 1) + datetime.timedelta(days=n % 700),
                external_id=f"{slug}-{n}",
            )
            for n in range(150 * scale)
        )
        enrollments, events, sessions = [], [], []
        for index, pe_class in enumerate(classes):
            members = students[index * 25 : (index + 1) * 25]
            enrollments += [
                Enrollment(pe_class=pe_class, student=s, start_date=datetime.date(year, 8, 20)) for s in members
            ]
            events += [
                TestEvent(pe_class=pe_class, name="Fall", window="Fall", date=fall),
                TestEvent(pe_class=pe_class, name="Spring", window="Spring", date=spring),
            ]
            sessions += [
                ClassSession(
                    pe_class=pe_class, date=fall + datetime.timedelta(days=7 * w), status=SessionStatus.COMPLETED
                )
                for w in range(16)
            ]
        Enrollment.objects.bulk_create(enrollments)
        events = TestEvent.objects.bulk_create(events)
        sessions = ClassSession.objects.bulk_create(sessions)
        results, records = [], []
        zones = ["HFZ", "HFZ", "HFZ", "NI", "NI-HR"]
        for index in range(len(classes)):
            members = students[index * 25 : (index + 1) * 25]
            for event in events[2 * index : 2 * index + 2]:
                for student in members:
                    for test in tests:
                        value = rng.randint(5, 60) if test.code != "mile_run" else rng.randint(420, 900)
                        results.append(
                            FitnessResult(event=event, student=student, test=test, value=value, zone=rng.choice(zones))
                        )
            for session in sessions[16 * index : 16 * (index + 1)]:
                records += [
                    AttendanceRecord(
                        session=session, student=s, status=rng.choice(["present"] * 8 + ["absent", "late"])
                    )
                    for s in members
                ]
        FitnessResult.objects.bulk_create(results, batch_size=5000)
        AttendanceRecord.objects.bulk_create(records, batch_size=5000)
    return school, classes[0], user


def _time(client, url, repeat: int) -> float:
    client.get(url)  # warm caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def measure(repeat: int) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from assessments.models import FitnessResult

    small = seed_school("bench-fit-1", 1)
    large = seed_school("bench-fit-10", 10)
    # bulk inserts skip the fitness services, which keep the "newest result" flags: set them here
    from assessments.services.fitness_latest import refresh_latest

    for school in (small[0], large[0]):
        students = FitnessResult.objects.filter(event__pe_class__school=school).values_list("student_id", flat=True)
        refresh_latest(set(students))
    # bulk inserts leave the planner without statistics (it then estimates one row everywhere and
    # picks nested loops); a production database has them from autovacuum
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = []
    clients = {}
    for school, _pe_class, user in (small, large):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        clients[school.pk] = client
    targets = [
        ("class analytics page", lambda s, c: reverse("assessments-analytics-class", args=[c.pk])),
        ("class analytics endpoint", lambda s, c: reverse("assessments-analytics-class-api", args=[c.pk])),
        ("school analytics page", lambda s, c: reverse("assessments-analytics-school") + f"?school={s.pk}"),
        ("school analytics endpoint", lambda s, c: reverse("assessments-analytics-school-api") + f"?school={s.pk}"),
    ]
    counts = {s.pk: FitnessResult.objects.filter(event__pe_class__school=s).count() for s, _c, _u in (small, large)}
    for name, url_for in targets:
        timings = {small[0].pk: [], large[0].pk: []}
        for _ in range(3):  # interleave to cancel drift
            for school, pe_class, _user in (small, large):
                timings[school.pk].append(_time(clients[school.pk], url_for(school, pe_class), repeat))
        t1, t10 = statistics.median(timings[small[0].pk]), statistics.median(timings[large[0].pk])
        ratio = t10 / t1
        rows.append(
            {
                "benchmark": f"fitness analytics: {name} at scale 10 ÷ scale 1",
                "figure": round(ratio, 3),
                "goal": f"<= {GOAL}",
                "passed": ratio <= GOAL,
                "detail": (
                    f"{t10 * 1000:.1f} ms vs {t1 * 1000:.1f} ms (median); {counts[large[0].pk]} vs "
                    f"{counts[small[0].pk]} fitness results in the school; one database, two schools; "
                    "in-process test client, department head"
                ),
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the rows as one BENCH_ROWS json line")
    args = parser.parse_args()
    _setup_django()
    rows = measure(args.repeat)
    for row in rows:
        print(f"{'ok ' if row['passed'] else 'MISS'} {row['benchmark']}: {row['figure']} — {row['detail']}")
    if args.json:
        import json

        print("BENCH_ROWS " + json.dumps(rows, ensure_ascii=False))
    if not args.no_report:
        from bench.run import write_report

        write_report(rows)
    return 0 if all(row["passed"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())


def run_analytics(env: dict, repeat: int = 15) -> list[dict]:
    """For ``bench/run.py``: this benchmark in a subprocess (``stack.run_child_benchmark``)."""
    try:  # run as a script (bench/ on sys.path) or imported as bench.<module>
        from stack import run_child_benchmark
    except ImportError:
        from bench.stack import run_child_benchmark

    return run_child_benchmark("analytics.py", env, "--repeat", str(repeat))
