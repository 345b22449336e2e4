"""Loads the shipped badges from ``progress/data/achievements.json`` (idempotent upsert by code;
run on post_migrate and by the demo). Each badge names its source or says it is our default."""

import json
from pathlib import Path

from django.db import transaction

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "achievements.json"


def shipped_badges() -> list[dict]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["badges"]


@transaction.atomic
def load_shipped() -> int:
    """Idempotent upsert of the shipped badge definitions; returns how many there are."""
    from progress.engines.achievements import validate_rule
    from progress.models import AchievementDefinition

    badges = shipped_badges()
    for badge in badges:
        errors = validate_rule(badge["rule"])
        if errors:
            raise ValueError(f"Shipped badge {badge['code']} has an invalid rule: {errors}")
        AchievementDefinition.objects.update_or_create(
            school=None,
            code=badge["code"],
            defaults={
                "name": badge["name"],
                "description": badge["description"],
                "icon": badge.get("icon", "star"),
                "rule": badge["rule"],
                "source": badge.get("source", "")[:300],
            },
        )
    return len(badges)
