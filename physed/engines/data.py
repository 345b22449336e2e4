"""The engines' data files (``physed/data/adaptation/*.json``): thresholds, default weights and
their sources, read once per process."""

import functools
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "adaptation"


@functools.cache
def load(name: str) -> dict:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def adaptation_config() -> dict:
    return load("adaptation")


def physiology() -> dict:
    return load("physiology")


def restriction_rules() -> dict:
    return load("restrictions")["restrictions"]


def recommendation_config() -> dict:
    return load("recommendation")
