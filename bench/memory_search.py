"""Memory search benchmark (issue 9, Performance): one person's memory search over 100,000
memories vs over 10,000, measured side by side (interleaved) in one run on PostgreSQL.

One database, one person ("memory-bench@bench-memory.bench") who is a member of two schools built
here with bulk inserts: "bench-memory-10k" holds 10,000 of their memories and "bench-memory-100k"
100,000, so the same person and the same queries are timed over both sizes (search is per school).
Memory texts are sentences built from word lists (students, classes, activities, fitness tests,
notes) with a Zipf-like choice, so some words are common and some rare; kinds, importance, ages
and last uses vary. The search vectors are set with one UPDATE (``refresh_search_vectors``), then
ANALYZE. Each query calls ``memory.selectors.search.search_memories`` in-process (limit 20),
median of ``--repeat`` timings, interleaved three times. EXPLAIN of each query is checked for the
GIN index (``memory_search_gin``).

Figures: time at 100k ÷ time at 10k per query and overall (goal ≤ 3). Rows merged into
docs/benchmarks.md/json (``bench.run.write_report``) unless ``--no-report``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench_memory .venv/bin/python bench/memory_search.py
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 3.0
SIZES = (10_000, 100_000)
EMAIL = "memory-bench@bench-memory.bench"
QUERIES = [
    ("common word", "attendance"),
    ("rare word", "pickleball"),
    ("student name", "Quentin"),
    ("question", "How did Grade 5 Blue do on the PACER?"),
    ("no query (recent and important)", ""),
]

NAMES = [
    "Ava",
    "Ben",
    "Chloe",
    "Dylan",
    "Ella",
    "Finn",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kai",
    "Lena",
    "Mia",
    "Noah",
    "Owen",
    "Priya",
    "Quentin",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Victor",
    "Wren",
    "Xavier",
    "Yara",
    "Zane",
    "Amir",
    "Bea",
    "Cole",
    "Dara",
    "Eli",
    "Fern",
    "Gus",
    "Hana",
    "Ivan",
    "Jade",
    "Kian",
    "Lila",
    "Milo",
    "Nora",
]
COLORS = ["Blue", "Red", "Green", "Gold", "Silver", "Orange", "Purple"]
ACTIVITIES = [
    "soccer",
    "basketball",
    "volleyball",
    "badminton",
    "tennis",
    "softball",
    "hockey",
    "frisbee",
    "gymnastics",
    "swimming",
    "track",
    "dance",
    "yoga",
    "jump-rope",
    "relay",
    "tag",
    "archery",
    "golf",
    "rugby",
    "lacrosse",
    "pickleball",
]
TESTS = ["PACER", "push-ups", "curl-ups", "sit and reach", "mile run", "trunk lift"]
NOTES = [
    "needs a reminder about water breaks",
    "prefers partner drills over whole-class games",
    "improved a lot since the last unit",
    "was absent twice this month",
    "asked for more time on the warm-up",
    "has an inhaler in the nurse's office",
    "works well as a team captain",
    "finds the gym noise hard; offer the quiet corner",
    "attendance dropped after the holidays",
    "wants to try out for the school team",
]
TEMPLATES = [
    "{name} in Grade {grade} {color} {note}.",
    "Grade {grade} {color} did the {test} on {day}; {name} {note}.",
    "Plan {activity} stations for Grade {grade} {color} next week.",
    "{name} scored well on the {test} and enjoys {activity}.",
    "Attendance for Grade {grade} {color} was {pct}% in {activity} lessons.",
    "Remember: {name} {note} during {activity}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("CELERY_BROKER_URL", "")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def _zipf(rng, words):
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return rng.choices(words, weights=weights)[0]


def _text(rng) -> str:
    return rng.choice(TEMPLATES).format(
        name=_zipf(rng, NAMES),
        grade=rng.randint(1, 8),
        color=rng.choice(COLORS),
        note=rng.choice(NOTES),
        test=rng.choice(TESTS),
        day=rng.choice(DAYS),
        activity=_zipf(rng, ACTIVITIES),
        pct=rng.randint(70, 100),
    )


def seed(size: int, user):
    """Idempotent: the school with ``size`` memories of ``user``."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, School
    from memory.models import Memory, MemoryKind
    from memory.services.memories import refresh_search_vectors

    slug = f"bench-memory-{size // 1000}k"
    school, _ = School.objects.get_or_create(slug=slug, defaults={"name": f"Bench memory {size}"})
    Membership.objects.get_or_create(user=user, school=school, role=Role.TEACHER)
    existing = Memory.objects.filter(owner=user, school=school).count()
    if existing >= size:
        return school
    rng = random.Random(slug)  # noqa: S311 - bench data
    now = timezone.now()
    kinds = [MemoryKind.FACT, MemoryKind.FACT, MemoryKind.EPISODE, MemoryKind.EPISODE, MemoryKind.PREFERENCE]
    with transaction.atomic():
        rows = []
        for _ in range(size - existing):
            created = now - timedelta(days=rng.uniform(0, 400))
            used = created + timedelta(days=rng.uniform(0, (now - created).days or 1)) if rng.random() < 0.3 else None
            rows.append(
                Memory(
                    owner=user,
                    school=school,
                    kind=rng.choice(kinds),
                    content=_text(rng),
                    importance=round(rng.random(), 2),
                    pinned=rng.random() < 0.01,
                    created_at=created,
                    last_accessed_at=used,
                    access_count=rng.randint(0, 5) if used else 0,
                )
            )
        Memory.objects.bulk_create(rows, batch_size=5000)
        refresh_search_vectors(Memory.objects.filter(owner=user, school=school))
    return school


def explain(user, school, query) -> str:
    """The plan of the search's SQL (captured from the real call)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from memory.selectors.search import search_memories

    with CaptureQueriesContext(connection) as captured:
        search_memories(user, query, school=school)
    sql = next(q["sql"] for q in reversed(captured.captured_queries) if "memory_memory" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _time(user, school, query, repeat) -> tuple[float, int]:
    from memory.selectors.search import search_memories

    found = len(search_memories(user, query, school=school))  # warm caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        search_memories(user, query, school=school)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), found


def _matches(user, school, query) -> int:
    from django.contrib.postgres.search import SearchQuery
    from django.db.models import Q

    from memory.models import Memory
    from memory.selectors.text import raw_query_terms

    condition = Q()
    if not raw_query_terms(query):
        return Memory.objects.filter(owner=user, school=school).count()
    for term in raw_query_terms(query):
        condition |= Q(search_vector=SearchQuery(term, config="english"))
    return Memory.objects.filter(condition, owner=user, school=school).count()


def measure(repeat: int, show_plans: bool = False) -> list[dict]:
    from django.db import connection

    from accounts.models import User

    if connection.vendor != "postgresql":
        raise SystemExit("the memory search benchmark needs PostgreSQL (set DATABASE_URL)")
    from django.utils import timezone

    user, _ = User.objects.get_or_create(email=EMAIL, defaults={"first_name": "Memory"})
    if not user.email_verified_at:  # unverified accounts get no staff access
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    small, large = (seed(size, user) for size in SIZES)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE memory_memory")
    rows, totals = [], {small.pk: 0.0, large.pk: 0.0}
    for name, query in QUERIES:
        plan = explain(user, large, query)
        if show_plans:
            print(f"--- {name}: {query}\n{plan}")
        gin = "memory_search_gin" in plan
        timings = {small.pk: [], large.pk: []}
        for _ in range(3):
            for school in (small, large):
                timings[school.pk].append(_time(user, school, query, repeat)[0])
        t_small, t_large = statistics.median(timings[small.pk]), statistics.median(timings[large.pk])
        totals[small.pk] += t_small
        totals[large.pk] += t_large
        matches = [_matches(user, school, query) for school in (small, large)]
        ratio = t_large / t_small
        rows.append(
            {
                "benchmark": f"memory search: {name} over 100,000 memories ÷ over 10,000",
                "figure": round(ratio, 3),
                "goal": f"<= {GOAL}",
                "passed": ratio <= GOAL,
                "detail": (
                    f"{t_large * 1000:.1f} ms vs {t_small * 1000:.1f} ms (median); query {json.dumps(query)}; "
                    f"{matches[1]} vs {matches[0]} matches; GIN index in the plan: {'yes' if gin else 'no'}; "
                    "search_memories in-process, top 20, one person"
                ),
            }
        )
    overall = totals[large.pk] / totals[small.pk]
    rows.append(
        {
            "benchmark": "memory search: all queries over 100,000 memories ÷ over 10,000",
            "figure": round(overall, 3),
            "goal": f"<= {GOAL}",
            "passed": overall <= GOAL,
            "detail": f"{totals[large.pk] * 1000:.1f} ms vs {totals[small.pk] * 1000:.1f} ms (sum of medians)",
        }
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the rows as one BENCH_ROWS json line")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each query at 100k")
    args = parser.parse_args()
    _setup_django()
    rows = measure(args.repeat, show_plans=args.explain)
    for row in rows:
        print(f"{'ok ' if row['passed'] else 'MISS'} {row['benchmark']}: {row['figure']} — {row['detail']}")
    if args.json:
        print("BENCH_ROWS " + json.dumps(rows, ensure_ascii=False))
    if not args.no_report:
        from bench.run import write_report

        write_report(rows)
    return 0 if all(row["passed"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())


def run_memory_search(env: dict) -> list[dict]:
    """For ``bench/run.py``: this benchmark in a subprocess (``stack.run_child_benchmark``)."""
    try:  # run as a script (bench/ on sys.path) or imported as bench.<module>
        from stack import run_child_benchmark
    except ImportError:
        from bench.stack import run_child_benchmark

    return run_child_benchmark("memory_search.py", env)
