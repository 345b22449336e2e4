"""The metric catalogue goals and progress entries are keyed by.

A metric key is ``<source>.<code>``: ``fitness.pacer_20m`` (assessments registers the ``fitness``
source), ``metric.<code>`` (session performance metrics, registered by this app over physed) and
``attendance.rate``. A source is ``fn(school) -> list[MetricInfo]``; ``describe(school, key)``
finds one. Keys stay strings so progress never imports the apps above it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MetricInfo:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    decimal_places: int = 0
    min_value: float | None = None
    max_value: float | None = None


_SOURCES: dict[str, Callable] = {}


def register_metric_source(prefix: str, fn: Callable) -> None:
    """``fn(school) -> list[MetricInfo]`` for every key starting with ``prefix + "."``."""
    _SOURCES[prefix] = fn


def catalogue(school) -> list[MetricInfo]:
    rows: list[MetricInfo] = []
    for fn in _SOURCES.values():
        rows.extend(fn(school) or [])
    return sorted(rows, key=lambda info: (info.key.split(".")[0], info.label))


def describe(school, key: str) -> MetricInfo | None:
    prefix = key.split(".", 1)[0]
    fn = _SOURCES.get(prefix)
    if fn is None:
        return None
    return next((info for info in fn(school) or [] if info.key == key), None)
