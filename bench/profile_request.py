"""Profile one route in-process under the bench settings: where a request's time goes.

    python bench/profile_request.py /api/v1/physed/students/?page_size=50 --email admin@roster.bench
    python bench/profile_request.py /api/v1/auth/token/ --login --email teacher@northside.demo

Runs against the bench database that ``make bench`` prepared (BENCH_DATABASE_URL, BENCH_REDIS_URL
as in bench/run.py), through Django's test client with the real middleware stack: warms up, then
profiles ``--repeat`` requests with cProfile and prints the time per request grouped by where it is
spent (our apps, DRF, Django's parts, the database driver, Redis, bcrypt), then the top functions by
own time. Used for the profiles quoted in docs/benchmarks-notes.md.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import ENV, PASSWORD  # noqa: E402 - bench/run.py: the bench stack's environment

GROUPS = [  # (label, path fragment), first match wins
    ("bcrypt", "bcrypt"),
    ("database driver (psycopg)", "psycopg"),
    ("Redis client", "redis"),
    ("DRF serializers and fields", "rest_framework/serializers"),
    ("DRF serializers and fields", "rest_framework/fields"),
    ("DRF serializers and fields", "rest_framework/relations"),
    ("DRF (other)", "rest_framework"),
    ("simplejwt", "rest_framework_simplejwt"),
    ("Django ORM (SQL compiling, model instances)", "django/db"),
    ("Django templates", "django/template"),
    ("Django (other)", "django/"),
    ("our apps", str(ROOT)),
]


def group_of(filename: str) -> str:
    if ".venv" not in filename and str(ROOT) in filename:
        return "our apps"
    for label, fragment in GROUPS:
        if fragment in filename:
            return label
    return "Python and other libraries"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--email", default="teacher@northside.demo")
    parser.add_argument("--login", action="store_true", help="POST the e-mail and password (the token endpoint)")
    parser.add_argument("--cookie", action="store_true", help="a signed-in page session instead of a JWT")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--callers", help="also print who calls the functions matching this name")
    args = parser.parse_args()

    os.environ.update({key: value for key, value in ENV.items() if key not in os.environ or key.startswith("DJ")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client
    from rest_framework_simplejwt.tokens import RefreshToken

    from accounts.models import User

    user = User.objects.get(email=args.email)
    client = Client(HTTP_HOST="127.0.0.1")
    if args.cookie:
        client.force_login(user)
    elif not args.login:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {RefreshToken.for_user(user).access_token}"
    body = json.dumps({"email": args.email, "password": PASSWORD})

    def request():
        if args.login:
            response = client.post(args.path, body, content_type="application/json")
        else:
            response = client.get(args.path)
        assert response.status_code < 400, (response.status_code, response.content[:300])

    for _ in range(5):
        request()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        request()
    profiler.disable()
    wall = (time.perf_counter() - started) / args.repeat * 1000

    stats = pstats.Stats(profiler)
    own = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        own[group_of(filename)] += tottime
    total = sum(own.values())
    print(f"{args.path}: {wall:.1f} ms per request (wall, profiled), {args.repeat} requests")
    for label, seconds in sorted(own.items(), key=lambda item: -item[1]):
        print(f"  {label:<45} {seconds / args.repeat * 1000:6.2f} ms  {seconds / total:5.1%}")
    print()
    stats.sort_stats("tottime").print_stats(args.top)
    if args.callers:
        stats.sort_stats("cumulative").print_callers(args.callers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
