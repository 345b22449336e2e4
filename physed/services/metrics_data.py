"""Loads the shipped metric registry (``physed/data/metrics.json``) into ``MetricType`` rows with
``school = NULL``. Idempotent: rows are matched on ``code`` and updated in place, so a data
migration, ``seed_demo`` and test fixtures can all call it."""

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
METRICS_FILE = DATA_DIR / "metrics.json"
FIELDS = (
    "name",
    "unit",
    "value_kind",
    "higher_is_better",
    "min_value",
    "max_value",
    "decimal_places",
    "fitness_component",
    "description",
)


def shipped_metric_specs() -> list[dict]:
    return json.loads(METRICS_FILE.read_text(encoding="utf-8"))["metrics"]


@transaction.atomic
def load_shipped_metrics(metric_model=None) -> int:
    """Creates or updates every shipped metric; returns how many rows it wrote. ``metric_model``
    lets a data migration pass its historical model."""
    if metric_model is None:
        from physed.models import MetricType as metric_model
    count = 0
    for spec in shipped_metric_specs():
        defaults = {name: spec[name] for name in FIELDS}
        defaults["min_value"] = Decimal(str(spec["min_value"]))
        defaults["max_value"] = Decimal(str(spec["max_value"]))
        metric_model.objects.update_or_create(school=None, code=spec["code"], defaults=defaults)
        count += 1
    return count


@cache
def analytics_settings() -> dict:
    """{name: value} from ``physed/data/sessions_analytics.json`` (each entry there has its reason)."""
    data = json.loads((DATA_DIR / "sessions_analytics.json").read_text(encoding="utf-8"))
    return {name: entry["value"] for name, entry in data.items() if isinstance(entry, dict)}
