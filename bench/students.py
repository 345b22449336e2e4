"""Roster list benchmark (issue 5, Performance): the flat student list at page_size=50 and the
nested class list (meetings + teacher ids per class) against the bare JSON view, measured side by
side (interleaved) on the production-like stack of ``bench/run.py``.

Figures: students-list requests/s ÷ bare-view requests/s (goal ≥ 0.12) and class-list requests/s
÷ bare-view requests/s (goal ≥ 0.06). The data: a "bench-roster" school with 500 students, 60
classes (3 weekly meetings, 2 teachers, 25 students each), read by that school's admin with a JWT.

``make bench`` runs it after the auth benchmarks; ``python bench/students.py`` runs only this one
(migrates the bench database and seeds the roster school, without the demo data).
"""

import argparse
import statistics
import subprocess
import sys

try:  # run as ``python bench/run.py`` / ``python bench/students.py`` (bench/ is on sys.path)
    import run as harness
except ImportError:  # imported inside Django (``manage.py shell``) with the project root on sys.path
    from bench import run as harness

SCHOOL_SLUG = "bench-roster"
ADMIN_EMAIL = "roster-admin@bench.demo"
STUDENTS, CLASSES, PER_CLASS = 500, 60, 25


def seed_bench_data() -> None:
    """Idempotent: the bench school, its admin, four teachers, 500 students, 60 classes."""
    import datetime

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, School, User
    from physed.models import ClassMeeting, Enrollment, PEClass, Student
    from physed.services.roster_classes import set_teachers

    with transaction.atomic():
        school, _ = School.objects.update_or_create(
            slug=SCHOOL_SLUG, defaults={"name": "Bench Roster School", "timezone": "UTC", "country": "US"}
        )

        def user(email, role):
            account, created = User.objects.get_or_create(
                email=email, defaults={"first_name": "Bench", "last_name": role, "email_verified_at": timezone.now()}
            )
            if created:
                account.set_password(settings.DEMO_PASSWORD)
                account.save()
            Membership.objects.get_or_create(user=account, school=school, role=role)
            return account

        user(ADMIN_EMAIL, Role.SCHOOL_ADMIN)
        teachers = [user(f"roster-teacher{n}@bench.demo", Role.TEACHER) for n in range(4)]
        have = Student.objects.filter(school=school).count()
        Student.objects.bulk_create(
            Student(
                school=school,
                first_name=f"First{n:03d}",
                last_name=f"Last{n % 97:02d}",
                grade=6 + n % 7,
                external_id=f"B{n:04d}",
                date_of_birth=datetime.date(2010, 1, 1) + datetime.timedelta(days=n),
            )
            for n in range(have, STUDENTS)
        )
        students = list(Student.objects.filter(school=school).order_by("pk"))
        for n in range(PEClass.objects.filter(school=school).count(), CLASSES):
            pe_class = PEClass.objects.create(
                school=school, name=f"Bench class {n:02d}", school_year=2026, grade_from=6, grade_to=12, capacity=30
            )
            ClassMeeting.objects.bulk_create(
                ClassMeeting(pe_class=pe_class, weekday=day, start_time=datetime.time(9), end_time=datetime.time(10))
                for day in (0, 2, 4)
            )
            set_teachers(pe_class, [teachers[n % 4], teachers[(n + 1) % 4]])
            chosen = [students[(n * 7 + k) % len(students)] for k in range(PER_CLASS)]
            Enrollment.objects.bulk_create(
                Enrollment(pe_class=pe_class, student=s, start_date=datetime.date(2026, 8, 20)) for s in chosen
            )


def run_students(seconds: int) -> list[dict]:
    harness.manage("shell", "-c", "from bench.students import seed_bench_data; seed_bench_data()")
    status, tokens = harness.post_json("/api/v1/auth/token/", {"email": ADMIN_EMAIL, "password": harness.PASSWORD})
    if status != 200:
        raise RuntimeError(f"bench roster admin could not sign in: {status} {tokens}")
    env = {"TOKEN": tokens["access"]}
    flat_path = "/api/v1/physed/students/?page_size=50"
    nested_path = "/api/v1/physed/classes/?page_size=50"
    bare, flat, nested = [], [], []
    flat_runs, nested_runs = [], []
    for _ in range(2):  # interleave to cancel drift
        bare.append(harness.wrk("/bench/bare/", seconds=seconds)["rps"])
        flat_runs.append(harness.wrk(flat_path, script="bearer.lua", seconds=seconds, env=env))
        nested_runs.append(harness.wrk(nested_path, script="bearer.lua", seconds=seconds, env=env))
        flat.append(flat_runs[-1]["rps"])
        nested.append(nested_runs[-1]["rps"])
    base = statistics.mean(bare)
    flat_ratio, nested_ratio = statistics.mean(flat) / base, statistics.mean(nested) / base
    non2xx = sum(r["non2xx"] for r in flat_runs + nested_runs)
    return [
        {
            "benchmark": "flat student list (page_size=50, JWT, school admin) ÷ bare JSON view",
            "figure": round(flat_ratio, 3),
            "goal": ">= 0.12",
            "passed": flat_ratio >= 0.12 and non2xx == 0,
            "detail": f"{statistics.mean(flat):.0f} vs {base:.0f} requests/s; p50 "
            f"{statistics.mean(r['p50_ms'] for r in flat_runs):.1f} ms; {STUDENTS} students in the school; "
            f"non-2xx {sum(r['non2xx'] for r in flat_runs)}",
        },
        {
            "benchmark": "nested class list (page_size=50: meetings + teacher ids + enrolled count) ÷ bare JSON view",
            "figure": round(nested_ratio, 3),
            "goal": ">= 0.06",
            "passed": nested_ratio >= 0.06 and non2xx == 0,
            "detail": f"{statistics.mean(nested):.0f} vs {base:.0f} requests/s; p50 "
            f"{statistics.mean(r['p50_ms'] for r in nested_runs):.1f} ms; {CLASSES} classes × 3 meetings, "
            f"2 teachers, {PER_CLASS} students; non-2xx {sum(r['non2xx'] for r in nested_runs)}",
        },
    ]


def main() -> int:
    """Only this benchmark: migrate the bench database (no demo data), seed, serve, measure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    args = parser.parse_args()
    for tool in ("wrk", "psql", "redis-cli"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            print(f"missing {tool}: apt-get install wrk postgresql-client redis-tools", file=sys.stderr)
            return 2
    (harness.ROOT / "var").mkdir(exist_ok=True)
    admin = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qtA", "-c"]
    if "1" not in harness.sh(*admin, "SELECT 1 FROM pg_roles WHERE rolname='pe_bench'", capture=True).stdout:
        harness.sh(*admin, "CREATE ROLE pe_bench LOGIN CREATEDB")
    if "1" not in harness.sh(*admin, "SELECT 1 FROM pg_database WHERE datname='pe_bench'", capture=True).stdout:
        harness.sh(*admin, "CREATE DATABASE pe_bench OWNER pe_bench")
    harness.manage("migrate", "--noinput", "-v0")
    server = harness.Server()
    try:
        rows = run_students(args.seconds)
    finally:
        server.stop()
    harness.write_report(rows)
    for row in rows:
        verdict = "ok " if row["passed"] else "MISS"
        print(f"{verdict} {row['benchmark']}: {row['figure']} (goal {row['goal']}) — {row['detail']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
