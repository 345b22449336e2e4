"""Inspection checklists (data: ``safety/data/inspection_checklists.json``) and the pure rules that
turn a list of per-check results into a clean, complete record and an outcome.

A checklist belongs to a set of PE library equipment-type slugs; any other type uses the generic
checklist. A pre-use visual check covers the checks marked ``pre_use``; a periodic formal
inspection covers them all. Results must name exactly those checks, once each: a missing or
unknown check is refused, never silently filled in. The outcome is the worst result
(fail > flag > pass). No ORM here, so the rules are tested without a database.
"""

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.services.errors import ServiceError

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "inspection_checklists.json"

PASS, FLAG, FAIL = "pass", "flag", "fail"
SEVERITY = {PASS: 0, FLAG: 1, FAIL: 2}
PRE_USE, FORMAL = "pre_use", "formal"
MAX_NOTE = 300


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    pre_use: bool


@dataclass(frozen=True)
class Checklist:
    key: str
    label: str
    formal_interval_days: int
    checks: tuple[Check, ...]
    equipment_types: tuple[str, ...] = ()

    def checks_for(self, kind: str) -> list[Check]:
        """The checks an inspection of ``kind`` must cover."""
        if kind == PRE_USE:
            return [check for check in self.checks if check.pre_use]
        return list(self.checks)

    def label_of(self, key: str) -> str:
        return next((check.label for check in self.checks if check.key == key), key)

    def next_due(self, inspected_on: datetime.date) -> datetime.date:
        return inspected_on + datetime.timedelta(days=self.formal_interval_days)


def _checklist(row: dict, equipment_types=()) -> Checklist:
    checks = tuple(Check(c["key"], c["label"], bool(c.get("pre_use"))) for c in row["checks"])
    keys = [check.key for check in checks]
    if len(keys) != len(set(keys)) or not any(check.pre_use for check in checks):
        raise ValueError(f"checklist {row['key']}: duplicate keys or no pre-use check")
    interval = int(row["formal_interval_days"])
    if interval < 1:
        raise ValueError(f"checklist {row['key']}: formal_interval_days must be positive")
    return Checklist(row["key"], row["label"], interval, checks, tuple(equipment_types))


@cache
def load_checklists(path: str = str(DATA_FILE)) -> tuple[Checklist, dict[str, Checklist]]:
    """(generic checklist, {equipment type slug: checklist}); a slug in two lists is an error."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not data.get("source"):
        raise ValueError("inspection_checklists.json must name its sources")
    generic = _checklist(data["generic"])
    by_slug: dict[str, Checklist] = {}
    for row in data["checklists"]:
        checklist = _checklist(row, row.get("equipment_types", ()))
        for slug in checklist.equipment_types:
            if slug in by_slug:
                raise ValueError(f"equipment type {slug} is in two checklists")
            by_slug[slug] = checklist
    return generic, by_slug


def all_checklists() -> list[Checklist]:
    generic, by_slug = load_checklists()
    seen: dict[str, Checklist] = {}
    for checklist in by_slug.values():
        seen.setdefault(checklist.key, checklist)
    return [*seen.values(), generic]


def checklist_for_slug(slug: str | None) -> Checklist:
    generic, by_slug = load_checklists()
    return by_slug.get(slug or "", generic)


def worst(results: list[dict]) -> str:
    return max((row["result"] for row in results), key=SEVERITY.__getitem__, default=PASS)


def clean_results(checklist: Checklist, kind: str, results, *, all_pass: bool = False) -> list[dict]:
    """``[{"check", "result", "note"}]`` in checklist order, covering exactly the checks for
    ``kind``. ``all_pass`` (the one-tap pre-use check) fills every check with a pass."""
    if kind not in (PRE_USE, FORMAL):
        raise ServiceError(_("The kind must be pre_use or formal."), field="kind")
    expected = checklist.checks_for(kind)
    if all_pass:
        if results:
            raise ServiceError(_("Send either all_pass or results, not both."), field="results")
        return [{"check": check.key, "result": PASS, "note": ""} for check in expected]
    if not isinstance(results, list) or not results:
        raise ServiceError(_("Give a result for every check on the checklist."), field="results")
    given: dict[str, dict] = {}
    for row in results:
        if not isinstance(row, dict) or not isinstance(row.get("check"), str):
            raise ServiceError(_("Each result needs a check key."), field="results")
        key = row["check"]
        if key in given:
            raise ServiceError(_("The check %(check)s is listed twice.") % {"check": key}, field="results")
        if row.get("result") not in SEVERITY:
            raise ServiceError(
                _("The result of %(check)s must be pass, flag or fail.") % {"check": key}, field="results"
            )
        note = row.get("note") or ""
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise ServiceError(
                _("A check's note is text of at most %(max)s characters.") % {"max": MAX_NOTE}, field="results"
            )
        given[key] = {"check": key, "result": row["result"], "note": note.strip()}
    keys = [check.key for check in expected]
    unknown = sorted(set(given) - set(keys))
    if unknown:
        raise ServiceError(
            _("Not on this item's %(kind)s checklist: %(checks)s.") % {"kind": kind, "checks": ", ".join(unknown)},
            field="results",
        )
    missing = [key for key in keys if key not in given]
    if missing:
        raise ServiceError(_("No result for: %(checks)s.") % {"checks": ", ".join(missing)}, field="results")
    return [given[key] for key in keys]


def problem_summary(checklist: Checklist, results: list[dict]) -> str:
    """ "Anchored …: fail (note); Net …: flag" — the checks that did not pass, worst first, in the
    active language (the sentence becomes the item's status reason, text the reader sees)."""
    words = {FLAG: pgettext("inspection result", "flag"), FAIL: pgettext("inspection result", "fail")}
    bad = sorted((row for row in results if row["result"] != PASS), key=lambda row: -SEVERITY[row["result"]])
    parts = []
    for row in bad:
        text = f"{_(checklist.label_of(row['check']))}: {words[row['result']]}"
        parts.append(f"{text} ({row['note']})" if row.get("note") else text)
    return "; ".join(parts)
