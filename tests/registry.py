"""Factories the walkers use to make "an object of this model in this school".

Every app's ``tests/factories.py`` registers one per school-owned model it exposes through the
API; the walkers fail loudly for an API model with no registered factory, so a new endpoint
cannot slip past the matrix.
"""

from collections.abc import Callable

_FACTORIES: dict[type, Callable] = {}
# models only their owner sees (memories, conversations, …): ``make(school, owner)``
_OWNED_FACTORIES: dict[type, Callable] = {}


def register_scoped_factory(model: type, make: Callable) -> None:
    _FACTORIES[model] = make


def register_owned_factory(model: type, make: Callable) -> None:
    """For a model whose rows only their owner sees: ``make(school, owner)`` makes one owned by
    ``owner`` in ``school``. The walkers then check that another member's row is 404 and absent
    from lists, and measure list query counts over the viewer's own rows (an empty list would
    measure nothing)."""
    _OWNED_FACTORIES[model] = make


def is_owned(model: type | None) -> bool:
    return model in _OWNED_FACTORIES


def make_owned(model: type, school, owner):
    return _OWNED_FACTORIES[model](school, owner)


def make_in_school(model: type, school):
    if model not in _FACTORIES:
        raise LookupError(f"No scoped factory registered for {model.__name__}: add one in its app's tests/factories.py")
    return _FACTORIES[model](school)


def load_all_factories() -> None:
    """Import every app's factories module so their registrations run."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.tests.factories")
        except ModuleNotFoundError as exc:
            if not exc.name.startswith(config.name):
                raise
