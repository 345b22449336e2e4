"""Load test (issue 10 §4): 60 seconds of mixed read/write load at 32 connections against a real
gunicorn (production-like bench.settings) on the test database, driven by wrk through
``bench/load.py``: zero 5xx, zero socket errors, no ERROR/Traceback in the server and worker logs,
and every write answered 2xx stored exactly once (counted by the run's marker).

PostgreSQL only (gunicorn and this process share the test database). Without wrk the test skips
on a developer machine and fails in CI (``CI=true``), like the browser tests.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher
from django.core.cache import cache
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # bench/load.py imports its siblings (stack) by name

from accounts.models import User  # noqa: E402
from bench import load  # noqa: E402
from bench.stack import CeleryWorker, Server  # noqa: E402
from tests.stack_env import env_on_test_database, free_port  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.load,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="the load test needs PostgreSQL: a real gunicorn shares the test database",
    ),
]

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CONNECTIONS = 32


def _require_wrk():
    if shutil.which("wrk") is None:
        message = "wrk is not installed (apt-get install wrk)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_sixty_seconds_of_mixed_load_loses_nothing_and_errs_nowhere(tmp_path):
    _require_wrk()
    call_command("seed_demo", "--quiet-logins")
    cache.clear()  # the children share this test's Redis database (tests/stack_env.py): start it empty
    # the test settings hash with a fast hasher that production settings (gunicorn) do not list
    hasher = BCryptSHA256PasswordHasher()
    User.objects.filter(email=load.TEACHER).update(password=hasher.encode(django_settings.DEMO_PASSWORD, hasher.salt()))
    # bench.settings: production + the bench URLs, throttles off
    env = env_on_test_database("bench.settings", LOG_LEVEL="WARNING")
    if not (Path(django_settings.STATIC_ROOT) / "staticfiles.json").exists():  # production pages need the manifest
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    worker = None
    server = Server(port=free_port(), env=env, workers=os.cpu_count() or 1, log_path=tmp_path / "gunicorn.log")
    try:
        if env.get("REDIS_URL"):  # a broker: tasks the writes queue run on a real worker
            worker = CeleryWorker(env=env, concurrency=1, log_path=tmp_path / "celery.log", name="load")
            assert worker.wait_ready(), worker.log_text()[-3000:]
        wrk_env = load.prepare(server.base_url, django_settings.DEMO_PASSWORD)
        totals = load.run_wrk(server.base_url, wrk_env, seconds=SECONDS, connections=CONNECTIONS)
        logs = [server.log_text()] + ([worker.log_text()] if worker else [])
    finally:
        for process in (worker, server):
            if process is not None:
                process.stop()
    stored = load.stored_counts(wrk_env["MARKER"])
    errors = load.log_errors(*logs)
    verdict = load.evaluate(totals, stored, errors)

    assert totals["requests"] > CONNECTIONS * 10, totals
    assert totals["writes_2xx"] > 0, totals
    assert totals["s5xx"] == 0, totals
    assert totals["s4xx"] == 0, totals
    assert totals["other"] == 0, totals
    assert verdict["socket_errors"] == 0, totals
    assert errors == [], errors[:20]
    assert verdict["lost_writes"] == 0, (stored, totals)
    assert verdict["phantom_writes"] == 0, (stored, totals)
    assert totals["writes_2xx"] <= stored["total"] <= totals["writes_2xx"] + totals["unanswered_writes"]
    assert verdict["passed"] is True
