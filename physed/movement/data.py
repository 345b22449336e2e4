"""Rule sets, keypoint layouts and analysis settings, read once from ``physed/data/movement``."""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "movement"
MOVEMENTS = ("squat", "push_up", "lunge", "jumping_jack", "sit_up")


@cache
def _load(name: str) -> dict:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def settings() -> dict:
    return _load("analysis")


def layouts() -> dict:
    return _load("layouts")["layouts"]


def layout_names(layout: str) -> list[str]:
    return layouts()[layout]["landmarks"]


def rule_set(movement: str) -> dict:
    if movement not in MOVEMENTS:
        raise KeyError(movement)
    return _load(movement)


def text(value, language: str = "en") -> str:
    """A rule-data string in ``language`` (rule files carry ``{"en": ..., "es": ...}``), English otherwise."""
    if isinstance(value, dict):
        return value.get(language[:2]) or value.get("en", "")
    return value or ""
