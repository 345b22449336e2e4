"""progress demo data (issue 7): one module per area, run in order after physed and safety."""

AREAS = ("goals", "achievements")


def seed(context) -> None:
    import importlib

    for name in AREAS:
        try:
            module = importlib.import_module(f"progress.demo_{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"progress.demo_{name}":
                raise
            continue
        module.seed(context)
