"""Loads the shipped environment rule sets (``safety/data/environment_rule_sets.json``)."""


def load_shipped_rule_sets() -> int:
    return 0
