"""Fault tests (issue 10 §4, docs/reliability.md): a Celery worker SIGKILLed mid-export, an export
that keeps failing, Redis down, PostgreSQL down.

Each test starts its own processes — a private redis-server, a real Celery worker
(``tests.fault_app``: the project's app plus test-only exporter hooks), gunicorn with production-like
settings behind a TCP proxy to PostgreSQL — and breaks them; the machine's shared PostgreSQL and
Redis are never touched. PostgreSQL only: the worker and the server read the test database.
"""

import contextlib
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from celery import Celery, current_app
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import AuditEvent, DataExportJob, ExportError, JobStatus, Role
from accounts.tests.factories import SchoolFactory, make_member
from bench.stack import VENV_BIN, CeleryWorker, Server, _Process
from tests.stack_env import env_on_test_database, free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.fault,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="fault tests need PostgreSQL: a real worker and server share the test database",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
EXPORTS_DIR = ROOT / "var" / "private" / "exports"


# --- helpers ----------------------------------------------------------------------------------
def wait_for(predicate, *, timeout: float, message: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s: {message}")


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: redis_answers(self.port), timeout=15, message="private redis-server did not start")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    yield redis
    redis.kill()


def stack_env(**extra) -> dict:
    """Production-like settings (tests.fault_settings) on the test database pytest-django created."""
    return env_on_test_database("tests.fault_settings", LOG_LEVEL="INFO", LOG_FORMAT="text", **extra)


class FaultWorker(_Process):
    """A real Celery worker (prefork, one child) on ``tests.fault_app``."""

    wait_ready = CeleryWorker.wait_ready

    def __init__(self, *, env: dict, name: str, log_dir: Path):
        args = [
            str(VENV_BIN / "celery"),
            "-A",
            "tests.fault_app",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--hostname",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        super().__init__(args, env=env, log_path=log_dir / f"celery-{name}.log")
        assert self.wait_ready(), f"worker {name} did not start:\n{self.log_text()[-3000:]}"


def worker_env(redis: PrivateRedis, **extra) -> dict:
    return stack_env(
        REDIS_URL=redis.url(1),
        CELERY_BROKER_URL=redis.url(0),
        # a message whose worker died is back in the queue within a few seconds
        CELERY_VISIBILITY_TIMEOUT=4,
        CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps({"unacked_restore_interval": 1, "unacked_restore_throttle": 1}),
        PRIVACY_EXPORT_LEASE_SECONDS=3,
        PRIVACY_EXPORT_MAX_ATTEMPTS=3,
        PRIVACY_EXPORT_RETRY_BACKOFF_SECONDS=0.2,
        **extra,
    )


def send_export(redis: PrivateRedis, job: DataExportJob) -> None:
    """What request_export's on_commit does in production: one message on the broker.

    The client app must not become Celery's current app: shared tasks called later in this process
    (by any test in the same xdist worker) would go to this private broker, gone by then."""
    client = Celery("fault-client", broker=redis.url(0), set_as_current=False)
    try:
        client.send_task("accounts.privacy.run_export", args=[str(job.pk)])
    finally:
        client.close()


def audit_count(action: str, job: DataExportJob) -> int:
    return AuditEvent.objects.filter(action=action, target_id=str(job.pk)).count()


def archives_of(job: DataExportJob) -> list[Path]:
    return sorted(EXPORTS_DIR.glob(f"{job.pk}*.zip"))


def job_where(job: DataExportJob, **conditions):
    def check():
        job.refresh_from_db()
        return all(getattr(job, name) == value for name, value in conditions.items())

    return check


# --- Celery ---------------------------------------------------------------------------------
def test_worker_killed_mid_export_is_redelivered_and_completes_once(private_redis, tmp_path):
    school = SchoolFactory()
    student = make_member(school, Role.STUDENT, email="fault-slow@example.test")
    job = DataExportJob.objects.create(requested_by=student, subject=student, school=school)
    env = worker_env(private_redis, FAULT_EXPORT_SECONDS=8)
    first = FaultWorker(env=env, name="fault-a", log_dir=tmp_path)
    second = None
    try:
        send_export(private_redis, job)
        assert current_app.main != "fault-client"  # later tests in this worker keep the project's app

        def running_with_progress():
            job.refresh_from_db()
            return job.status == JobStatus.RUNNING and job.progress > 0

        wait_for(running_with_progress, timeout=30, message="the export never started running")
        first.kill()  # SIGKILL to the whole process group: no chance to ack, reject or clean up
        first.stop()
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING and job.attempts == 1 and not archives_of(job)

        second = FaultWorker(env=env, name="fault-b", log_dir=tmp_path)
        wait_for(job_where(job, status=JobStatus.DONE), timeout=60, message="the redelivered export never finished")
        log = second.log_text()
    finally:
        first.stop()
        if second is not None:
            second.stop()
    try:
        job.refresh_from_db()
        assert job.attempts == 2  # the redelivered message took the dead worker's job over
        assert "taking over from a run that stopped" in log
        assert job.archive.name and job.size_bytes > 0
        assert [path.name for path in archives_of(job)] == [Path(job.archive.name).name]
        assert audit_count("privacy.export_completed", job) == 1
        assert DataExportJob.objects.filter(subject=student).count() == 1
    finally:
        for path in archives_of(job):
            path.unlink()


def test_an_export_that_keeps_failing_ends_failed_with_a_message_the_user_sees(private_redis, tmp_path):
    school = SchoolFactory()
    student = make_member(school, Role.STUDENT, email="fault-fail@example.test")
    job = DataExportJob.objects.create(requested_by=student, subject=student, school=school)
    worker = FaultWorker(env=worker_env(private_redis), name="fault-c", log_dir=tmp_path)
    try:
        send_export(private_redis, job)
        wait_for(job_where(job, status=JobStatus.FAILED), timeout=60, message="the failing export never gave up")
        time.sleep(0.5)  # nothing may run it again
        log = worker.log_text()
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 3 and job.error == ExportError.FAILED
    assert log.count("will retry") == 2 and "failed for good after 3 attempt(s)" in log
    assert audit_count("privacy.export_failed", job) == 1 and not archives_of(job)

    message = str(DataExportJob.ERROR_MESSAGES[ExportError.FAILED])
    page = Client()
    page.force_login(student)
    html = page.get(reverse("my-data")).content.decode()
    assert message in html and "OperationalError" not in html
    api = Client(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(student).access_token}")
    body = api.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "failed" and body["error"] == message


# --- Redis down ---------------------------------------------------------------------------------
def test_redis_down_pages_and_api_keep_working_and_readyz_names_the_cache(private_redis, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": private_redis.url(0),
            "KEY_PREFIX": "fault",
            # what config/settings/base.py configures whenever REDIS_URL is set
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True},
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "auth": "1000/min"},
    }
    school = SchoolFactory()
    teacher = make_member(school, Role.TEACHER, email="fault-redis@example.test")
    password = django_settings.DEMO_PASSWORD

    def exercise() -> dict:
        page = Client()
        page.force_login(teacher)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(teacher).access_token}")
        return {
            "page": page.get(reverse("my-data")).status_code,
            "api list": api.get("/api/v1/schools/").status_code,
            "throttled token endpoint": Client()
            .post(
                "/api/v1/auth/token/", {"email": teacher.email, "password": password}, content_type="application/json"
            )
            .status_code,
            "login": Client().post(reverse("login"), {"username": teacher.email, "password": password}).status_code,
        }

    expected = {"page": 200, "api list": 200, "throttled token endpoint": 200, "login": 302}
    assert exercise() == expected
    assert Client().get("/readyz").status_code == 200

    private_redis.kill()
    assert not redis_answers(private_redis.port)
    started = time.monotonic()
    assert exercise() == expected
    assert time.monotonic() - started < 20  # refused connections fail fast: no 2-second stalls piling up
    ready = Client().get("/readyz")
    assert ready.status_code == 503 and "cache" in ready.json()["failed"]
    assert "database" not in ready.json()["failed"]


def test_the_project_cache_ignores_redis_errors():
    """The setting the Redis-down test relies on is the project's, not only the test's."""
    if django_settings.CACHES["default"]["BACKEND"] != "django_redis.cache.RedisCache":
        pytest.skip("REDIS_URL is not set: the cache is local memory")
    assert django_settings.CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


# --- PostgreSQL down ----------------------------------------------------------------------------
class TcpProxy:
    """127.0.0.1:<port> → PostgreSQL. ``cut()`` closes the listener and every live connection (the
    server sees the database vanish); ``restore()`` listens again on the same port."""

    def __init__(self, upstream=("127.0.0.1", 5432)):
        self.upstream = upstream
        self.port = free_port()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.listener = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    restore = start

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                self._close(sock)

    def _close(self, sock) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        with self.lock:
            self.sockets.discard(sock)

    def cut(self) -> None:
        self._close(self.listener)
        with self.lock:
            live = list(self.sockets)
        for sock in live:
            self._close(sock)


def fetch(url: str, headers: dict | None = None) -> tuple[int, str, str]:
    """(status, content type, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers=headers or {})
    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    return (
        response.status if hasattr(response, "status") else response.code,
        response.headers.get("Content-Type", ""),
        response.read().decode(errors="replace"),
    )


def test_postgresql_down_answers_clean_503s_and_recovers_without_restart(tmp_path):
    school = SchoolFactory()
    teacher = make_member(school, Role.TEACHER, email="fault-pg@example.test")
    page_client = Client()
    page_client.force_login(teacher)
    api_headers = {"Authorization": f"Bearer {RefreshToken.for_user(teacher).access_token}"}
    page_headers = {"Cookie": f"{django_settings.SESSION_COOKIE_NAME}={page_client.cookies['sessionid'].value}"}

    proxy = TcpProxy()
    proxy.start()
    env = stack_env(REDIS_URL="redis://127.0.0.1:6379/4", CELERY_BROKER_URL="redis://127.0.0.1:6379/4")
    env["DATABASE_URL"] = env["DATABASE_URL"].replace(
        f":{django_settings.DATABASES['default']['PORT'] or 5432}/", f":{proxy.port}/"
    )
    server = Server(port=free_port(), env=env, workers=1, log_path=tmp_path / "gunicorn.log")
    base = server.base_url
    try:
        api_before = fetch(f"{base}/api/v1/schools/", api_headers)
        page_before = fetch(f"{base}{reverse('my-data')}", page_headers)
        assert api_before[0] == 200 and page_before[0] in (200, 302)
        assert fetch(f"{base}/readyz")[0] == 200

        proxy.cut()
        status, content_type, body = fetch(f"{base}/api/v1/schools/", api_headers)
        assert status == 503 and content_type.startswith("application/json")
        assert json.loads(body)["error"]["code"] == "unavailable"
        status, content_type, body = fetch(f"{base}{reverse('my-data')}", page_headers)
        assert status == 503 and content_type.startswith("text/html")
        assert "Temporarily unavailable" in body and "Traceback" not in body
        assert fetch(f"{base}/healthz")[0] == 200
        status, _, body = fetch(f"{base}/readyz")
        assert status == 503 and "database" in json.loads(body)["failed"]

        proxy.restore()
        wait_for(
            lambda: fetch(f"{base}/api/v1/schools/", api_headers)[0] == 200,
            timeout=20,
            message="requests did not recover once the database was back",
        )
        assert fetch(f"{base}{reverse('my-data')}", page_headers)[0] == page_before[0]
        assert fetch(f"{base}/readyz")[0] == 200
        assert server.alive()  # the same gunicorn: no restart
        log = server.log_text()
    finally:
        server.stop()
        proxy.cut()
    assert "Traceback" not in log
    assert log.count("database unavailable: GET /api/v1/schools/") == 1  # logged once per request
