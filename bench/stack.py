"""The production-like stack that benchmarks and load/fault tests start and stop themselves:
gunicorn (production settings) and a Celery worker, each in its own process group so that stopping
(or SIGKILLing) one takes its children with it.

Used by bench/run.py and by the tests that need a real server (tests/test_load.py, tests/test_faults.py).
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def wait_ready(url: str, *, timeout: float = 30.0, status: int = 200) -> bool:
    """Polls ``url`` until it answers ``status`` or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == status:
                return True
        except urllib.error.HTTPError as error:
            if error.code == status:
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    return False


class _Process:
    """A child process in its own session (process group), logging to ``log_path``."""

    def __init__(self, args: list[str], *, env: dict, log_path: Path):
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Sends ``sig`` to the whole process group (SIGKILL: no chance to clean up)."""
        if self.alive():
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=20)

    def stop(self, timeout: float = 20.0) -> None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=timeout)
        if not self.log.closed:
            self.log.close()

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Server(_Process):
    """gunicorn serving ``config.wsgi`` with the settings in ``env`` (DJANGO_SETTINGS_MODULE) and
    the production server settings (config/gunicorn.conf.py: 2 × cores + 1 sync workers unless
    ``workers`` or WEB_CONCURRENCY says otherwise)."""

    def __init__(self, *, port: int, env: dict, workers: int | None = None, log_path: Path | None = None):
        self.base_url = f"http://127.0.0.1:{port}"
        args = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "--config",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *(["--workers", str(workers)] if workers else []),
        ]
        super().__init__(args, env=env, log_path=log_path or ROOT / "var" / f"gunicorn-{port}.log")
        if not wait_ready(f"{self.base_url}/healthz", timeout=60):
            self.stop()
            raise RuntimeError(f"gunicorn did not start; see {self.log_path}")


class CeleryWorker(_Process):
    """A Celery worker (prefork, ``concurrency`` children) with the settings and broker in ``env``."""

    def __init__(self, *, env: dict, concurrency: int = 1, log_path: Path | None = None, name: str = "bench"):
        args = [
            str(VENV_BIN / "celery"),
            "-A",
            "config.celery_app",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--hostname",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        super().__init__(args, env=env, log_path=log_path or ROOT / "var" / f"celery-{name}.log")

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """True once the worker logs that it is ready to take tasks."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive():
            if "ready." in self.log_text():
                return True
            time.sleep(0.2)
        return False

    def child_pids(self) -> list[int]:
        """The pool's worker processes (where tasks run), read from /proc."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []


# --- services the stack needs, and helpers for the harness and the load test ---------------


def ensure_services(*, timeout: float = 30.0) -> None:
    """PostgreSQL and Redis on 127.0.0.1 answer, or are started the way ``.ci/run`` starts them
    (``pg_ctlcluster`` for the newest cluster; a non-persistent ``redis-server``)."""

    def up(args: list[str]) -> bool:
        return subprocess.run(args, capture_output=True).returncode == 0

    checks = {
        "postgresql": ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"],
        "redis": ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"],
    }
    starts = {
        "postgresql": [
            "sh",
            "-c",
            'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start',
        ],
        "redis": [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
    }
    for name, check in checks.items():
        if up(check):
            continue
        subprocess.run(starts[name], capture_output=True)
        deadline = time.monotonic() + timeout
        while not up(check):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} is down on 127.0.0.1 and could not be started")
            time.sleep(0.5)


def session_cookie(base_url: str, email: str, password: str) -> str:
    """Signs in through the HTML login form (CSRF token and all) and returns ``sessionid=...``.

    Production settings mark the cookies Secure; over plain http on 127.0.0.1 a cookie jar would
    not send them back, so the Set-Cookie headers are read by hand."""
    import re
    from urllib.parse import urlencode

    opener = urllib.request.build_opener(_NoRedirect)
    page = opener.open(f"{base_url}/accounts/login/", timeout=30)
    html = page.read().decode()
    csrf_cookie = _cookie(page.headers.get_all("Set-Cookie") or [], "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    request = urllib.request.Request(
        f"{base_url}/accounts/login/",
        data=urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password}).encode(),
        headers={"Cookie": f"csrftoken={csrf_cookie}", "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        response = opener.open(request, timeout=30)
        headers = response.headers
    except urllib.error.HTTPError as error:  # the 302 after a successful sign-in
        headers = error.headers
    session = _cookie(headers.get_all("Set-Cookie") or [], "sessionid")
    if not session:
        raise RuntimeError(f"{email} could not sign in through the login form")
    return f"sessionid={session}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _cookie(set_cookies: list[str], name: str) -> str:
    for header in set_cookies:
        key, _, rest = header.partition("=")
        if key.strip() == name:
            return rest.split(";", 1)[0]
    return ""


def rss_kib(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a process in KiB, from /proc/<pid>/status (VmRSS, VmHWM)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def tagged_json(stdout: str, tag: str):
    """The JSON a child process printed on its one line starting with ``tag`` (wrk's Lua reports,
    the child benchmarks), or None when it printed none."""
    import json

    line = next((row for row in stdout.splitlines() if row.startswith(f"{tag} ")), None)
    return None if line is None else json.loads(line.removeprefix(f"{tag} "))


def run_child_benchmark(script: str, env: dict, *args: str) -> list[dict]:
    """Runs ``bench/<script>`` in a subprocess against the bench database (in-process test client,
    development settings) and returns the rows it prints as one ``BENCH_ROWS`` JSON line."""

    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--no-report", "--json", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.base"},
        text=True,
        capture_output=True,
        check=False,
    )
    rows = tagged_json(result.stdout, "BENCH_ROWS")
    if rows is None:
        raise RuntimeError(f"{script} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return rows
