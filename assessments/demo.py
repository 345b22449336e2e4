"""assessments demo data (issue 7): one module per area, run in order after physed and safety."""

AREAS = ("fitness", "rubrics", "feedback", "reports")


def seed(context) -> None:
    import importlib

    for name in AREAS:
        try:
            module = importlib.import_module(f"assessments.demo_{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"assessments.demo_{name}":
                raise
            continue
        module.seed(context)
