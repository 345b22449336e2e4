"""Loads the shipped environment rule sets (``safety/data/environment_rule_sets.json``) as rows
with no school. Idempotent: called after every ``migrate``; a shipped row is updated in place
(schools that picked it keep pointing at it), never duplicated. The file's shared lightning band
is added to every set that does not define its own."""

import functools
import json
from pathlib import Path

from django.db import transaction

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "environment_rule_sets.json"


@functools.cache
def shipped_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def shipped_rule_sets() -> list[dict]:
    """The rule sets of the data file, each with the shared lightning band merged in."""
    data = shipped_data()
    items = []
    for item in data["rule_sets"]:
        rules = dict(item["rules"])
        rules.setdefault("lightning", data["lightning"])
        items.append({**item, "rules": rules, "version": item.get("version", data.get("version", ""))})
    return items


@transaction.atomic
def load_shipped_rule_sets() -> int:
    """Creates or updates every shipped rule set; returns how many rows were created."""
    from safety.models import EnvironmentRuleSet

    created = 0
    for item in shipped_rule_sets():
        _row, was_created = EnvironmentRuleSet.objects.update_or_create(
            school=None,
            code=item["code"],
            defaults={
                "name": item["name"],
                "region": item.get("region", ""),
                "description": item.get("description", ""),
                "rules": item["rules"],
                "sources": item.get("sources", []),
                "caveats": item.get("caveats", []),
                "version": item["version"],
            },
        )
        created += was_created
    return created
