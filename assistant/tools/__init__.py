"""The assistant's tools (``assistant.tools.base``); ``load()`` imports every tool module so their
``register`` calls run (from ``AssistantConfig.ready``)."""

import importlib

TOOL_MODULES: tuple[str, ...] = (
    "classes",
    "students",
    "fitness",
    "sessions",
    "activities",
    "safety",
    "content",
    "actions",
)


def load() -> None:
    for module in TOOL_MODULES:
        importlib.import_module(f"assistant.tools.{module}")
