"""Mixed read/write load test (issue 10 §4): 60 seconds at 32 connections across the main
endpoints — API lists and details with a teacher's JWT, HTML pages with a signed-in session cookie,
and writes (POST memories, POST goals) each carrying the run's unique marker in a text field.

wrk runs ``bench/lua/mixed.lua`` with one connection per thread, so every thread knows which
request each response answers; ``done()`` prints the totals (sent, 2xx, 4xx, 5xx, writes answered
2xx, writes still unanswered when wrk stopped). Pass:

* zero 5xx, zero socket errors and timeouts (tolerance ``SOCKET_ERROR_TOLERANCE`` = 0), zero 4xx
  (a 4xx means the load test itself is wrong);
* no ``ERROR`` / ``Traceback`` line in the gunicorn and Celery logs;
* no lost writes: the rows stored with the marker ≥ the writes answered 2xx; no phantom writes:
  stored ≤ answered 2xx + the writes in flight when wrk stopped (at most one per connection —
  the server finishes them, wrk no longer reads the answer).

Used by ``make bench`` (bench/run.py, rows in docs/benchmarks.md) and by tests/test_load.py.
"""

import json
import subprocess
import uuid
from pathlib import Path

try:
    import stack  # bench/stack.py (imported by name when bench/ is on sys.path)
except ImportError:  # pragma: no cover - imported as bench.load
    from bench import stack

LUA = Path(__file__).resolve().parent / "lua"
TEACHER = "teacher@northside.demo"
SOCKET_ERROR_TOLERANCE = 0


def _get_json(base_url: str, path: str, token: str) -> dict:
    import urllib.request

    request = urllib.request.Request(f"{base_url}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def prepare(base_url: str, password: str, email: str = TEACHER) -> dict:
    """The wrk environment: a JWT and a session cookie for ``email``, a student and a class the
    teacher sees, and a fresh marker."""
    import urllib.request

    from stack import session_cookie

    request = urllib.request.Request(
        f"{base_url}/api/v1/auth/token/",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        token = json.loads(response.read())["access"]
    students = _get_json(base_url, "/api/v1/physed/students/?page_size=1", token)["results"]
    classes = _get_json(base_url, "/api/v1/physed/classes/?page_size=1", token)["results"]
    if not students or not classes:
        raise RuntimeError(f"{email} sees no student or no class: seed the demo data first")
    return {
        "TOKEN": token,
        "COOKIE": session_cookie(base_url, email, password),
        "STUDENT": str(students[0]["id"]),
        "CLASS": str(classes[0]["id"]),
        "MARKER": f"LOADRUN{uuid.uuid4().hex[:12]}",
    }


def run_wrk(base_url: str, env: dict, *, seconds: int = 60, connections: int = 32) -> dict:
    """Runs the mixed script; returns the LOAD_JSON totals plus ``rps``."""
    import os

    result = subprocess.run(
        [
            "wrk",
            "-t",
            str(connections),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(LUA / "mixed.lua"),
            base_url,
        ],
        env={**os.environ, **env},
        text=True,
        capture_output=True,
        check=True,
    )
    data = stack.tagged_json(result.stdout, "LOAD_JSON")
    if data is None:
        raise RuntimeError(f"wrk printed no totals:\n{result.stdout}\n{result.stderr}")
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def stored_counts(marker: str) -> dict:
    """Inside Django: the rows stored with the run's marker (every write carries it)."""
    from memory.models import Memory
    from progress.models import Goal

    memories = Memory.objects.filter(content__contains=marker).count()
    goals = Goal.objects.filter(title__contains=marker).count()
    return {"memories": memories, "goals": goals, "total": memories + goals}


def log_errors(*texts: str) -> list[str]:
    """The ERROR / Traceback lines in the given logs."""
    return [line for text in texts for line in text.splitlines() if "ERROR" in line or "Traceback" in line]


def evaluate(totals: dict, stored: dict, errors: list[str]) -> dict:
    """The pass criteria, with their numbers."""
    socket_errors = totals["connect_errors"] + totals["read_errors"] + totals["write_errors"] + totals["timeouts"]
    lost = max(0, totals["writes_2xx"] - stored["total"])
    phantom = max(0, stored["total"] - totals["writes_2xx"] - totals["unanswered_writes"])
    verdict = {
        "five_xx": totals["s5xx"],
        "four_xx": totals["s4xx"],
        "other_status": totals["other"],
        "socket_errors": socket_errors,
        "lost_writes": lost,
        "phantom_writes": phantom,
        "log_errors": len(errors),
        "stored": stored["total"],
        "writes_2xx": totals["writes_2xx"],
        "unanswered_writes": totals["unanswered_writes"],
    }
    verdict["passed"] = (
        totals["s5xx"] == 0
        and totals["s4xx"] == 0
        and totals["other"] == 0
        and socket_errors <= SOCKET_ERROR_TOLERANCE
        and lost == 0
        and phantom == 0
        and not errors
        and totals["writes_2xx"] > 0
    )
    return verdict


def rows(totals: dict, verdict: dict, *, seconds: int, connections: int) -> list[dict]:
    """Benchmark rows for docs/benchmarks.md."""
    detail = (
        f"{seconds} s at {connections} connections: {totals['requests']} requests ({totals['rps']:.0f}/s), "
        f"{totals['writes_sent']} writes sent, {totals['writes_2xx']} answered 2xx, {verdict['stored']} stored, "
        f"{totals['unanswered_writes']} in flight at the end; 4xx {totals['s4xx']}, socket errors "
        f"{verdict['socket_errors']}; p50 {totals['p50_ms']:.0f} ms, p99 {totals['p99_ms']:.0f} ms"
    )
    name = "load test (mixed reads/writes, 32 connections, 60 s)"  # stable: rows are merged by name
    return [
        {
            "benchmark": f"{name}: 5xx responses",
            "figure": verdict["five_xx"],
            "goal": "== 0",
            "passed": verdict["five_xx"] == 0,
            "detail": detail,
        },
        {
            "benchmark": f"{name}: lost + phantom writes",
            "figure": verdict["lost_writes"] + verdict["phantom_writes"],
            "goal": "== 0",
            "passed": verdict["lost_writes"] + verdict["phantom_writes"] == 0 and verdict["writes_2xx"] > 0,
            "detail": f"lost {verdict['lost_writes']}, phantom {verdict['phantom_writes']}; {detail}",
        },
        {
            "benchmark": f"{name}: ERROR/Traceback lines in the gunicorn and Celery logs",
            "figure": verdict["log_errors"],
            "goal": "== 0",
            "passed": verdict["log_errors"] == 0,
            "detail": detail,
        },
        {
            "benchmark": f"{name}: requests/s (met = every pass criterion)",
            "figure": round(totals["rps"], 1),
            "goal": "(reference)",
            "passed": verdict["passed"],
            "detail": f"all criteria {'met' if verdict['passed'] else 'NOT met'}: {json.dumps(verdict)}; {detail}",
        },
    ]
