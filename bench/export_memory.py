"""Export memory benchmark: the personal-data export streams, so its peak memory must not grow
with the person's data.

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


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
