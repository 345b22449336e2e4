"""Export memory benchmark: the personal-data export streams, so its peak memory must not grow
with the person's data.

``make bench`` measures it on the real stack (``run_on_worker`` below, called by bench/run.py): a
person with 100,000 activity events in the bench PostgreSQL database, the export requested through
the service (``request_export`` → Celery), run by a real Celery worker (production settings, the
bench Redis as broker, one prefork child); the child's RSS is sampled from /proc while idle and
during the export. Figure: peak ÷ idle (goal ≤ 1.5).

The standalone script below (``python bench/export_memory.py``) is the older in-process check:
Creates a person with 100,000 rows of a registered personal-data model (the activity area's model
when it is registered, else Notification) in a scratch SQLite database, then measures the peak RSS
of two fresh worker processes: one that only loads Django and the export code (idle), one that
runs the whole export into private storage. Figure: export peak ÷ idle peak (goal ≤ 1.5).
The row is merged into docs/benchmarks.md / benchmarks.json through bench/run.py's write_report.

    make bench-export          # or: .venv/bin/python bench/export_memory.py [--rows N]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.5
BENCHMARK = "export memory: peak RSS exporting 100k rows ÷ idle worker"
EMAIL = "bench-export@example.org"


def _env(workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "BENCH_PRIVATE_ROOT": str(workdir / "private"),
    }


def _django():
    import django

    django.setup()
    from django.conf import settings

    if "privacy" in settings.STORAGES and os.environ.get("BENCH_PRIVATE_ROOT"):
        from django.core.files.storage import storages

        storages._storages.pop("privacy", None)
        settings.STORAGES["privacy"]["OPTIONS"] = {"location": os.environ["BENCH_PRIVATE_ROOT"]}


def _create_schema():
    from django.apps import apps
    from django.db import connection

    with connection.schema_editor() as editor:
        for model in apps.get_models():
            existing = set(connection.introspection.table_names())
            if model._meta.managed and not model._meta.proxy and model._meta.db_table not in existing:
                editor.create_model(model)


def _rows_model():
    from accounts.models import Notification
    from accounts.privacy import registry

    return registry.entry_for("accounts.Notification"), Notification


def setup(rows: int) -> None:
    _django()
    _create_schema()
    from accounts.models import Membership, Role, School, User

    school = School.objects.create(name="Bench School", slug="bench")
    user = User.objects.create_user(email=EMAIL, first_name="Bench", last_name="Person")
    Membership.objects.create(user=user, school=school, role=Role.STUDENT)
    _entry, model = _rows_model()
    batch = []
    for number in range(rows):
        batch.append(
            model(user=user, kind="activity.logged", title=f"Activity {number}", body="Ran 3.2 km in 18 minutes " * 4)
        )
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def _peak_kib() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker(mode: str) -> None:
    _django()
    from accounts.models import User
    from accounts.privacy import exporter  # noqa: F401  - the export code is loaded in both workers
    from accounts.services import privacy as service

    user = User.objects.get(email=EMAIL)
    result = {"idle_kib": _peak_kib()}
    if mode == "export":
        started = time.perf_counter()
        job = service.request_export(actor=user, subject=user)
        job = service.run_export(job_id=job.pk)
        result.update(
            seconds=round(time.perf_counter() - started, 1),
            status=job.status,
            bytes=job.size_bytes,
            rows=_rows_model()[1].objects.filter(user=user).count(),
        )
    result["peak_kib"] = _peak_kib()
    print(json.dumps(result))


def _run_child(args: list[str], env: dict) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if completed.returncode:
        sys.stderr.write(completed.stderr)
        raise SystemExit(completed.returncode)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _merge_report(row: dict) -> None:
    """Adds (or replaces) this benchmark's row among the rows already written by bench/run.py."""
    from bench.run import write_report

    write_report([row])  # keeps the other benchmarks' rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-report", action="store_true", help="print only; do not touch docs/benchmarks.md")
    parser.add_argument("--child", choices=["setup", "idle", "export"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "setup":
        setup(args.rows)
        print(json.dumps({"ok": True}))
        return 0
    if args.child:
        worker(args.child)
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="bench-export-", dir=ROOT / "var" if (ROOT / "var").exists() else None))
    try:
        env = _env(workdir)
        _run_child(["--child", "setup", "--rows", str(args.rows)], env)
        idle = _run_child(["--child", "idle"], env)
        export = _run_child(["--child", "export"], env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ratio = round(export["peak_kib"] / idle["peak_kib"], 3)
    row = {
        "benchmark": BENCHMARK,
        "figure": ratio,
        "goal": f"<= {GOAL}",
        "passed": ratio <= GOAL and export["status"] == "done",
        "detail": (
            f"{export['rows']} rows exported in {export['seconds']} s into a {export['bytes'] / 1e6:.1f} MB zip; "
            f"peak RSS {export['peak_kib'] / 1024:.0f} MiB vs idle worker {idle['peak_kib'] / 1024:.0f} MiB "
            "(SQLite, eager task, filesystem storage)"
        ),
    }
    print(json.dumps(row, indent=2, ensure_ascii=False))
    if not args.no_report:
        _merge_report(row)
    return 0 if row["passed"] else 1


WORKER_BENCHMARK = "export memory: Celery worker peak RSS exporting a person with 100k events ÷ idle worker"
WORKER_EMAIL = "bench-export-worker@example.org"


def seed_subject(rows: int) -> int:
    """Inside Django (bench settings): a person with exactly ``rows`` activity events (bulk
    inserts), a student membership in the first school, no export jobs. Returns the user's id."""
    import datetime

    from django.utils import timezone

    from accounts.models import ActivityEvent, DataExportJob, Membership, Role, School, User

    user, _created = User.objects.get_or_create(
        email=WORKER_EMAIL,
        defaults={"first_name": "Bench", "last_name": "Exporter", "email_verified_at": timezone.now()},
    )
    school = School.objects.order_by("pk").first()
    Membership.objects.get_or_create(user=user, school=school, role=Role.STUDENT)
    DataExportJob.objects.filter(subject=user).delete()
    if ActivityEvent.objects.filter(user=user).count() != rows:
        ActivityEvent.objects.filter(user=user).delete()
        start = timezone.now() - datetime.timedelta(days=300)
        batch = []
        for number in range(rows):
            batch.append(
                ActivityEvent(
                    user=user,
                    school=school,
                    occurred_at=start + datetime.timedelta(minutes=3 * number),
                    route_group=f"physed:students-{number % 40}",
                    method="GET",
                    duration_ms=number % 900,
                    ip_address="192.0.2.0",
                )
            )
            if len(batch) == 5000:
                ActivityEvent.objects.bulk_create(batch)
                batch = []
        ActivityEvent.objects.bulk_create(batch)
    return user.pk


def request_worker_export() -> str:
    """Inside Django: queues the export of the seeded person (through the service, as the API
    does); the task goes to the broker when the transaction commits. Returns the job id."""
    from accounts.models import User
    from accounts.services import privacy as service

    user = User.objects.get(email=WORKER_EMAIL)
    return str(service.request_export(actor=user, subject=user).pk)


def run_on_worker(harness, rows: int = 100_000, timeout: float = 600.0) -> list[dict]:
    """For bench/run.py: seeds, starts a Celery worker (harness.ENV), samples the pool child's
    RSS idle and while it exports, and returns the benchmark row."""
    import stack

    harness.manage("shell", "-c", f"from bench.export_memory import seed_subject; seed_subject({rows})")
    worker = stack.CeleryWorker(
        env=harness.ENV, concurrency=1, log_path=harness.ROOT / "var" / "bench-celery.log", name="bench-export"
    )
    try:
        if not worker.wait_ready():
            raise RuntimeError(f"the Celery worker did not start; see {worker.log_path}")
        children = worker.child_pids()
        if len(children) != 1:
            raise RuntimeError(f"expected one pool child, found {children}")
        child = children[0]
        idle_samples = []
        for _ in range(20):  # 2 s idle
            idle_samples.append(stack.rss_kib(child)[0])
            time.sleep(0.1)
        idle = max(idle_samples)
        out = harness.manage(
            "shell",
            "-c",
            "from bench.export_memory import request_worker_export; print(request_worker_export())",
            capture=True,
        ).stdout
        job_id = str(uuid.UUID(out.strip().splitlines()[-1]))  # a UUID: safe to put in the query
        started = time.monotonic()
        peak, status = idle, ""
        while time.monotonic() - started < timeout:
            rss, hwm = stack.rss_kib(child)
            peak = max(peak, rss, hwm)
            status = harness.sh(
                "psql",
                harness.ENV["DATABASE_URL"],
                "-qtA",
                "-c",
                f"SELECT status || ' ' || coalesce(size_bytes, 0) FROM accounts_dataexportjob WHERE id = '{job_id}'",  # noqa: S608
                capture=True,
            ).stdout.strip()
            if status.split(" ")[0] in ("done", "failed"):
                break
            time.sleep(0.05)
        seconds = time.monotonic() - started
        if worker.child_pids() != [child]:
            raise RuntimeError("the worker's pool child changed during the export: the sample is not valid")
        rss, hwm = stack.rss_kib(child)
        peak = max(peak, rss, hwm)
    finally:
        worker.stop()
    state, _sep, size = status.partition(" ")
    ratio = round(peak / idle, 3)
    return [
        {
            "benchmark": WORKER_BENCHMARK,
            "figure": ratio,
            "goal": f"<= {GOAL}",
            "passed": ratio <= GOAL and state == "done",
            "detail": (
                f"{rows} activity events; job {state or 'not finished'} in {seconds:.1f} s, "
                f"{int(size or 0) / 1e6:.1f} MB zip; pool child peak RSS {peak / 1024:.0f} MiB vs idle "
                f"{idle / 1024:.0f} MiB (/proc VmRSS sampled every 50 ms + VmHWM); prefork worker, production "
                "settings, Redis broker, PostgreSQL"
            ),
        }
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
