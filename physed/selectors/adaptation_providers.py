"""Hooks later issues plug into, so the adaptation and recommendation engines read their data
without physed importing those apps (dependencies point one way: physed ← safety, assessments).

* **Restriction providers** (the safety issue registers medical restrictions):
  ``fn(students: list[Student], on_date: date) -> {student_id: [restriction kind, ...]}``.
* **Environment alert providers** (the safety issue registers heat / air-quality alerts):
  ``fn(school, on_date: date, space: str | None) -> [EnvironmentAlert, ...]``.
* **Gap providers** (the assessments issue can add Healthy-Fitness-Zone gaps):
  ``fn(students: list[Student], school, as_of: date) -> {component: Gap}``.
  The built-in ``performance`` provider compares recent performance metrics with the school
  median; when several providers report a component the largest gap wins.

Register from the providing app's ``AppConfig.ready()``: ``register_restriction_provider("safety",
fn)``. Registering the same name again replaces the provider. Restriction and environment
registries are empty until the safety issue lands.
"""

from collections.abc import Callable

from physed.engines.recommendation import Gap

_RESTRICTION_PROVIDERS: dict[str, Callable] = {}
_ENVIRONMENT_PROVIDERS: dict[str, Callable] = {}
_GAP_PROVIDERS: dict[str, Callable] = {}


def register_restriction_provider(name: str, fn: Callable) -> None:
    _RESTRICTION_PROVIDERS[name] = fn


def register_environment_provider(name: str, fn: Callable) -> None:
    _ENVIRONMENT_PROVIDERS[name] = fn


def register_gap_provider(name: str, fn: Callable) -> None:
    _GAP_PROVIDERS[name] = fn


def unregister(name: str) -> None:
    """Removes a provider of that name from every registry (tests, or an app switched off)."""
    for registry in (_RESTRICTION_PROVIDERS, _ENVIRONMENT_PROVIDERS, _GAP_PROVIDERS):
        registry.pop(name, None)


def extra_restrictions(students, on_date) -> dict[int, list[str]]:
    merged: dict[int, list[str]] = {}
    for fn in _RESTRICTION_PROVIDERS.values():
        for student_id, kinds in (fn(students, on_date) or {}).items():
            merged.setdefault(student_id, []).extend(kinds)
    return merged


def environment_alerts(school, on_date, space=None) -> list:
    alerts = []
    for fn in _ENVIRONMENT_PROVIDERS.values():
        alerts.extend(fn(school, on_date, space) or [])
    return alerts


def component_gaps(students, school, as_of) -> dict[str, Gap]:
    if "performance" not in _GAP_PROVIDERS:
        from physed.selectors.recommendation_gaps import performance_gap_provider

        _GAP_PROVIDERS["performance"] = performance_gap_provider
    merged: dict[str, Gap] = {}
    for fn in _GAP_PROVIDERS.values():
        for component, gap in (fn(students, school, as_of) or {}).items():
            if component not in merged or gap.value > merged[component].value:
                merged[component] = gap
    return merged
