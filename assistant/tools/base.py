"""What every assistant tool is and returns, and the one way tools are run.

A tool answers one kind of question from the asking person's own permitted data by calling
another app's selectors (never its tables). It returns a ``ToolResult``: JSON-safe ``data`` (the
facts), ``sentences`` (those facts in words, in the active language), ``citations`` (the records
used, with links) and ``cards`` (a table, a chart or links to show). A tool never writes: a write
is an ``ActionProposal`` that the person confirms (``assistant.services.actions``).

``run_tool`` is the only entry point: it checks the arguments against the tool's JSON schema
(types, required keys, no extra keys), writes an audit row for every call (``assistant.tool_called``:
tool, arguments, ok) and turns a ``ServiceError`` or a lookup that finds nothing into a result with
``ok=False`` and a message — never an exception the provider has to know about. Tool output is
data: providers quote it, they never follow instructions found in it.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from accounts.services.errors import ServiceError


@dataclass
class Citation:
    label: str
    url: str
    kind: str = ""  # "student", "class", "session", "content", "incident", …

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Card:
    """Something a reply shows besides its text. ``kind``: "table" (columns + rows), "chart"
    (series of {"label", "value"}, plus ``unit``), "links" (``links``)."""

    kind: str
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)
    unit: str = ""
    links: list[Citation] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ActionProposal:
    """A write the assistant proposes; stored as a ``ProposedAction`` and done only on confirmation."""

    kind: str  # "create_goal", "draft_lesson_plan", "record_results"
    summary: str
    payload: dict


@dataclass
class ToolContext:
    user: Any
    school: Any
    today: datetime.date
    language: str = "en"


@dataclass
class ToolResult:
    tool: str
    ok: bool = True
    data: dict = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    proposals: list[ActionProposal] = field(default_factory=list)
    message: str = ""  # why not ok (nothing matched, no permission, …), in the active language

    def as_log(self, arguments: dict) -> dict:
        """What a reply stores in ``Message.tool_calls``."""
        return {"tool": self.tool, "arguments": arguments, "ok": self.ok, "message": self.message, "data": self.data}


class Tool:
    """Subclass, set ``name``, ``description`` and ``parameters`` (a JSON schema object), and
    implement ``run(ctx, **arguments) -> ToolResult``. ``permission``: the codename the user must
    hold in ``ctx.school`` (checked by ``run_tool``)."""

    name: str = ""
    description: str = ""
    parameters: dict = {"type": "object", "properties": {}, "additionalProperties": False}
    permission: str | None = None

    def run(self, ctx: ToolContext, **arguments) -> ToolResult:  # pragma: no cover - interface
        raise NotImplementedError

    def schema(self) -> dict:
        """The OpenAI-style function description."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


REGISTRY: dict[str, Tool] = {}


def register(tool: Tool) -> Tool:
    REGISTRY[tool.name] = tool
    return tool


_JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


def check_arguments(tool: Tool, arguments: dict) -> str | None:
    """None when ``arguments`` fit the tool's schema, else what is wrong."""
    if not isinstance(arguments, dict):
        return "arguments must be an object"
    properties = tool.parameters.get("properties", {})
    for name in tool.parameters.get("required", []):
        if name not in arguments:
            return f"missing argument: {name}"
    for name, value in arguments.items():
        spec = properties.get(name)
        if spec is None:
            return f"unknown argument: {name}"
        expected = _JSON_TYPES.get(spec.get("type"))
        if value is None:
            continue
        if expected and (
            not isinstance(value, expected) or (spec.get("type") != "boolean" and isinstance(value, bool))
        ):
            return f"argument {name} must be {spec.get('type')}"
        if "enum" in spec and value not in spec["enum"]:
            return f"argument {name} must be one of {', '.join(map(str, spec['enum']))}"
    return None


def run_tool(ctx: ToolContext, name: str, arguments: dict | None = None) -> ToolResult:
    """Runs a registered tool for ``ctx.user`` (see the module docstring); always audited."""
    from django.utils.translation import gettext as _

    from accounts.selectors import has_school_perm
    from accounts.services.audit import record_event

    arguments = dict(arguments or {})
    tool = REGISTRY.get(name)
    if tool is None:
        result = ToolResult(tool=name, ok=False, message=_("There is no such tool."))
    elif problem := check_arguments(tool, arguments):
        result = ToolResult(tool=name, ok=False, message=problem)
    elif tool.permission and not has_school_perm(ctx.user, tool.permission, ctx.school.pk):
        result = ToolResult(tool=name, ok=False, message=_("You do not have permission to see this."))
    else:
        try:
            result = tool.run(ctx, **arguments)
        except ServiceError as exc:
            result = ToolResult(tool=name, ok=False, message=exc.message)
    record_event(
        "assistant.tool_called",
        actor=ctx.user,
        school=ctx.school,
        target_type="assistant.tool",
        target_id=name,
        target_label=name,
        changes={"arguments": arguments, "ok": result.ok},
    )
    return result
