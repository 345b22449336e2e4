"""Content search benchmark (issue 8, Performance): the search endpoint over 50,000 items vs over
5,000, measured side by side (interleaved) in one run on PostgreSQL.

One database, two schools built here with bulk inserts: "bench-content-5k" with 5,000 items and
"bench-content-50k" with 50,000. Titles, summaries and bodies are drawn from word lists of PE
vocabulary with a skewed (Zipf-like) choice, so some words are common ("game", "students") and
some rare; every item gets 2 of 40 tags, a kind, a grade range, a status and one of 12 owners.
The search vectors are set with one UPDATE (``refresh_search_vectors``), then ANALYZE. Requests go
through Django's test client in-process (the school's department head, who sees every item),
median of ``--repeat`` timings each, for four queries: a common term, a rare term, a two-word
query, and a query with filters. EXPLAIN of the match is checked for the GIN index
(``content_item_search_gin``).

Figures: time at 50k ÷ time at 5k per query and overall (goal ≤ 3). Rows merged into
docs/benchmarks.md/json (``bench.run.write_report``); ``make bench`` runs it too.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench_content .venv/bin/python bench/content_search.py
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 3.0
SIZES = (5_000, 50_000)
EMAIL = "content-head@{slug}.bench"
QUERIES = [
    ("common term", {"q": "game"}),
    ("rare term", {"q": "pickleball"}),
    ("two-word query", {"q": "volleyball serve"}),
    ("query with filters", {"q": "dribbling", "grade_band": "3_5", "kind": "lesson_plan", "status": "published"}),
]

SPORTS = [
    "soccer",
    "basketball",
    "volleyball",
    "badminton",
    "tennis",
    "softball",
    "baseball",
    "hockey",
    "lacrosse",
    "rugby",
    "handball",
    "netball",
    "frisbee",
    "cricket",
    "gymnastics",
    "swimming",
    "track",
    "wrestling",
    "fencing",
    "archery",
    "golf",
    "pickleball",
]
SKILLS = [
    "dribbling",
    "passing",
    "shooting",
    "catching",
    "throwing",
    "kicking",
    "striking",
    "serve",
    "volley",
    "rally",
    "tag",
    "dodging",
    "balance",
    "jumping",
    "landing",
    "rolling",
    "tumbling",
    "sprinting",
    "pacing",
    "footwork",
    "spacing",
    "teamwork",
    "defense",
    "offense",
]
COMMON = [
    "game",
    "students",
    "warm-up",
    "practice",
    "skill",
    "stations",
    "partner",
    "group",
    "cones",
    "whistle",
    "safety",
    "cool-down",
    "drill",
    "movement",
    "fitness",
    "heart",
    "rate",
    "stretch",
    "equipment",
    "court",
    "field",
    "lesson",
    "teams",
    "rotation",
    "feedback",
]
WORDS = [
    "the",
    "a",
    "and",
    "with",
    "for",
    "each",
    "then",
    "in",
    "on",
    "to",
    "of",
    "after",
    "before",
    "every",
    "round",
    "minute",
    "minutes",
    "set",
    "rest",
    "pair",
    "small",
    "large",
    "quick",
    "slow",
    "space",
    "line",
    "circle",
    "ball",
    "net",
    "goal",
    "point",
    "score",
    "switch",
    "call",
    "listen",
    "watch",
]
KINDS = ("lesson_plan", "unit", "activity_card", "handout", "document", "assessment_template")
STATUSES = ("published", "published", "draft", "draft", "archived")


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
    """A word chosen with probability ∝ 1/rank: realistic term frequencies."""
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return rng.choices(words, weights=weights)[0]


def _sentence(rng, length, extra=()):
    """Filler words, one common PE word (uniform: each is in roughly a fifth of the items) and
    maybe the item's own sport or skill."""
    words = [rng.choice(WORDS) for _ in range(length)]
    words.insert(rng.randrange(len(words)), rng.choice(COMMON))
    for word in extra:
        words.insert(rng.randrange(len(words)), word)
    return " ".join(words).capitalize() + "."


def _item_text(rng):
    """The sport and the skill follow a Zipf law (soccer is everywhere, pickleball is rare)."""
    sport, skill = _zipf(rng, SPORTS), _zipf(rng, SKILLS)
    title = f"{sport.capitalize()} {skill}: {rng.choice(WORDS)} {rng.choice(WORDS)} {rng.randint(1, 99)}"
    summary = _sentence(rng, rng.randint(8, 14), extra=[skill] if rng.random() < 0.5 else [])
    body = "\n\n".join(
        f"## {rng.choice(['Warm-up', 'Main activity', 'Practice', 'Closure'])}\n\n"
        + " ".join(_sentence(rng, rng.randint(6, 12)) for _ in range(2))
        for _ in range(rng.randint(1, 2))
    )
    body += "\n\n" + _sentence(rng, 8, extra=[sport] if rng.random() < 0.3 else [])
    return title, summary, body


def seed_school(size: int):
    """Idempotent: returns (school, department head, item count)."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, School, User
    from content.models import ContentItem, ContentTag, TaggedContentItem
    from content.services.items import refresh_search_vectors

    slug = f"bench-content-{size // 1000}k"
    school, _created = School.objects.get_or_create(slug=slug, defaults={"name": f"Bench content {size}"})
    head, made = User.objects.get_or_create(email=EMAIL.format(slug=slug), defaults={"first_name": "Head"})
    if made or not head.email_verified_at:
        head.set_password(settings.DEMO_PASSWORD)
        head.email_verified_at = timezone.now()
        head.save()
    Membership.objects.get_or_create(user=head, school=school, role=Role.DEPARTMENT_HEAD)
    existing = ContentItem.objects.filter(school=school).count()
    if existing >= size:
        return school, head, existing
    rng = random.Random(slug)  # noqa: S311 - bench data
    with transaction.atomic():
        owners = []
        for n in range(12):
            user, _ = User.objects.get_or_create(email=f"teacher{n}@{slug}.bench", defaults={"first_name": f"T{n}"})
            Membership.objects.get_or_create(user=user, school=school, role=Role.TEACHER)
            owners.append(user)
        tags = ContentTag.objects.bulk_create(
            ContentTag(school=school, name=name, slug=name.replace(" ", "-"))
            for name in sorted(set(SPORTS + SKILLS))[:40]
        )
        rows = []
        for _ in range(size - existing):
            title, summary, body = _item_text(rng)
            low = rng.randint(0, 10)
            rows.append(
                ContentItem(
                    school=school,
                    owner=rng.choice(owners),
                    kind=rng.choice(KINDS),
                    status=rng.choice(STATUSES),
                    title=title[:200],
                    summary=summary[:1000],
                    body=body,
                    grade_min=low,
                    grade_max=min(12, low + rng.randint(0, 4)),
                    duration_minutes=rng.choice((30, 45, 60)),
                )
            )
        items = ContentItem.objects.bulk_create(rows, batch_size=2000)
        TaggedContentItem.objects.bulk_create(
            (TaggedContentItem(content_object=item, tag=tag) for item in items for tag in rng.sample(tags, 2)),
            batch_size=5000,
        )
        refresh_search_vectors(ContentItem.objects.filter(school=school).values_list("pk", flat=True))
    return school, head, size


def _time(client, url, params, repeat: int) -> float:
    client.get(url, params)  # warm caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return statistics.median(samples)


def explain(user, params) -> str:
    from django.db import connection

    from content.forms_search import SearchForm
    from content.selectors.search import search

    form = SearchForm(user, params)
    assert form.is_valid(), form.errors
    queryset = search(user, form.params(), facets=False).items[:25]
    sql, args = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, args)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(repeat: int) -> list[dict]:
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        raise SystemExit("the content search benchmark needs PostgreSQL (set DATABASE_URL)")
    schools = [seed_school(size) for size in SIZES]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # bulk inserts leave the planner without statistics
    clients = {}
    for school, head, _count in schools:
        client = Client(HTTP_HOST="localhost")
        client.force_login(head)
        clients[school.pk] = client
    url = "/api/v1/content/search/"
    small, large = schools
    rows, totals = [], {small[0].pk: 0.0, large[0].pk: 0.0}
    for name, params in QUERIES:
        plan = explain(large[1], params)
        gin = "content_item_search_gin" in plan
        # a term in a fifth of the library is found faster by walking the newest items (the
        # planner's choice); the rare and filtered queries must use the GIN index
        needs_gin = name != "common term"
        timings = {small[0].pk: [], large[0].pk: []}
        for _ in range(3):  # interleave to cancel drift
            for school, _head, _count in schools:
                timings[school.pk].append(_time(clients[school.pk], url, params, repeat))
        t_small, t_large = statistics.median(timings[small[0].pk]), statistics.median(timings[large[0].pk])
        totals[small[0].pk] += t_small
        totals[large[0].pk] += t_large
        matches = [clients[s.pk].get(url, params).json()["count"] for s, _h, _c in schools]
        ratio = t_large / t_small
        rows.append(
            {
                "benchmark": f"content search: {name} over 50,000 items ÷ over 5,000",
                "figure": round(ratio, 3),
                "goal": f"<= {GOAL}",
                "passed": ratio <= GOAL and (gin or not needs_gin),
                "detail": (
                    f"{t_large * 1000:.1f} ms vs {t_small * 1000:.1f} ms (median); query {json.dumps(params)}; "
                    f"{matches[1]} vs {matches[0]} matches; GIN index in the plan: {'yes' if gin else 'NO'}; "
                    "search API with facets, page of 25, in-process test client, department head"
                ),
            }
        )
    overall = totals[large[0].pk] / totals[small[0].pk]
    rows.append(
        {
            "benchmark": "content search: all four queries over 50,000 items ÷ over 5,000",
            "figure": round(overall, 3),
            "goal": f"<= {GOAL}",
            "passed": overall <= GOAL,
            "detail": f"{totals[large[0].pk] * 1000:.1f} ms vs {totals[small[0].pk] * 1000:.1f} ms (sum of medians)",
        }
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the rows as one BENCH_ROWS json line")
    parser.add_argument("--explain", action="store_true", help="print the plan of each query at 50k")
    args = parser.parse_args()
    _setup_django()
    rows = measure(args.repeat)
    if args.explain:
        from accounts.models import User

        head = User.objects.get(email=EMAIL.format(slug="bench-content-50k"))
        for name, params in QUERIES:
            print(f"--- {name}\n{explain(head, params)}")
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


def run_content_search(env: dict) -> list[dict]:
    """For ``bench/run.py``: this benchmark in a subprocess (``stack.run_child_benchmark``)."""
    try:  # run as a script (bench/ on sys.path) or imported as bench.<module>
        from stack import run_child_benchmark
    except ImportError:
        from bench.stack import run_child_benchmark

    return run_child_benchmark("content_search.py", env)
