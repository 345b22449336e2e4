"""Demo data: the content library (issue 8 "Demo data").

Per demo school: the items of ``data/demo_items.json`` (original text written for the demo: lesson
plans tied to the shipped activity library and SHAPE America standards, units, handouts — some in
Spanish for families —, activity cards, assessment templates, video links, documents), written
through ``content.services.items`` by the demo teachers who own them, so every item has a real
version 1, audit rows and a search vector. About a third then get later versions through
``update_item`` (a co-author fixing a timing, a draft published by the head of department), and
the library helpers add categories, shares, comments, views and a scheduled lesson
(``content.demo_library``).

Deterministic (data in file order, no randomness) and idempotent: an item whose (school, title)
already exists is left alone with everything that hangs off it. ``context["scale"]`` does not
change this library; ``content/demo_scale.py`` adds its copies 2..N in bulk.
"""

import json
from functools import cache
from pathlib import Path

from django.db import transaction

from accounts.models import User
from content import demo_library
from content.models import ContentItem
from content.services.items import create_item, current_values, update_item
from physed.models import Activity, GradeSpanIndicator, PEStandard

DATA = Path(__file__).resolve().parent / "data" / "demo_items.json"
AUTHORS = ("teacher", "teacher2", "head")


@cache
def load_items() -> tuple[dict, ...]:
    """The demo items as written in the data file (read once per process)."""
    return tuple(json.loads(DATA.read_text(encoding="utf-8"))["items"])


def final_body(spec: dict) -> str:
    """The body after every ``history`` replacement (what the current version shows)."""
    body = spec["body"]
    for entry in spec.get("history", ()):
        for old, new in entry.get("replace", ()):
            body = body.replace(old, new, 1)
    return body


def demo_people(school) -> dict[str, User]:
    """The demo staff logins of ``school`` by the local part of their e-mail (teacher, teacher2,
    head); missing ones fall back to the first one present so a partial demo still seeds."""
    people = {}
    for key in AUTHORS:
        user = User.objects.filter(email=f"{key}@{school.slug}.demo", is_active=True).first()
        if user is not None:
            people[key] = user
    if people:
        first = next(iter(people.values()))
        for key in AUTHORS:
            people.setdefault(key, first)
    return people


def _library(school, spec: dict) -> dict:
    """The related rows named by slug / number / code (shipped first, then the school's own)."""
    activities = {
        a.slug: a
        for a in Activity.objects.filter(slug__in=spec.get("activities", ()), school__isnull=True).order_by("pk")
    }
    return {
        "standards": list(PEStandard.objects.filter(number__in=spec.get("standards", ())).order_by("number")),
        "indicators": list(GradeSpanIndicator.objects.filter(code__in=spec.get("indicators", ())).order_by("code")),
        "activities": [activities[slug] for slug in spec.get("activities", ()) if slug in activities],
    }


def _fields(school, spec: dict, categories: dict) -> dict:
    low, high = spec["grades"]
    return {
        "kind": spec["kind"],
        "summary": spec.get("summary", ""),
        "body": spec["body"],
        "status": spec.get("status", "published"),
        "grade_min": low,
        "grade_max": high,
        "duration_minutes": spec.get("duration"),
        "video_url": spec.get("video_url", ""),
        "language": spec.get("language", "en"),
        "category": categories.get(tuple(spec.get("category") or ())),
        "tags": list(spec.get("tags", ())),
        **_library(school, spec),
    }


def _history(item: ContentItem, spec: dict, people: dict) -> ContentItem:
    """The later versions of ``spec["history"]``, each written by its author through
    ``update_item`` starting from the version it saw."""
    for entry in spec.get("history", ()):
        changes = dict(entry.get("set", {}))
        if entry.get("replace"):
            body = current_values(item)["body"]
            for old, new in entry["replace"]:
                body = body.replace(old, new, 1)
            changes["body"] = body
        item = update_item(
            actor=people[entry["by"]],
            item=item,
            base_version=item.version,
            change_note=entry["note"],
            **changes,
        )
    return item


@transaction.atomic
def seed_school(school, *, today=None) -> list[ContentItem]:
    """The demo library of one school; returns the items created now ([] on a second run)."""
    people = demo_people(school)
    if not people:
        return []
    existing = set(ContentItem.objects.filter(school=school).values_list("title", flat=True))
    specs = [spec for spec in load_items() if spec["title"] not in existing]
    if not specs:
        return []
    categories = demo_library.category_tree(school, people["head"], [spec.get("category") for spec in specs])
    created = []
    for spec in specs:
        item = create_item(
            actor=people[spec.get("owner", "teacher")],
            school=school,
            title=spec["title"],
            change_note="First draft" if spec.get("status") == "draft" else "",
            co_authors=[people[key] for key in spec.get("co_authors", ())],
            **_fields(school, spec, categories),
        )
        demo_library.share(item, spec, people)  # before the history: colleagues edit what was shared
        created.append((_history(item, spec, people), spec))
    demo_library.discuss(school, people, created, today=today)
    return [item for item, _spec in created]


def seed(context) -> None:
    """Called by ``content.demo.seed`` for every demo school in ``context["schools"]``."""
    for school in (context or {}).get("schools", {}).values():
        seed_school(school)
