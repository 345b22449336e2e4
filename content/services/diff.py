"""Field-by-field differences between two version snapshots (content §2).

Each changed field becomes one entry: ``{"field", "label", "kind", ...}`` where ``kind`` is
* ``text`` for long text (summary, body): ``lines`` is a line diff (difflib's ndiff opcodes as
  ``{"op": "equal"|"insert"|"delete", "text"}``; unchanged runs longer than a few lines are folded);
* ``set`` for many-valued fields (tags, standards, …): ``added`` and ``removed`` labels;
* ``value`` for the rest: ``old`` and ``new`` as shown to people (choices by their label).
"""

import difflib

from django.utils.translation import gettext as _

from content.models import LONG_TEXT_FIELDS, VERSIONED_FIELDS, ContentItem

SET_FIELDS = ("tags", "standards", "indicators", "activities", "exercises")
CONTEXT_LINES = 2


def field_label(field: str) -> str:
    """The field's name as shown to people (its verbose name, translated)."""
    return str(ContentItem._meta.get_field(field).verbose_name)


_label = field_label


def display_value(field: str, value) -> str:
    """A scalar or category snapshot value as shown to people (choices by their label)."""
    if value is None or value == "":
        return ""
    if field == "category":
        return value.get("name", "")
    model_field = ContentItem._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


_display = display_value


def set_labels(field: str, value) -> list[str]:
    """The labels of a many-valued snapshot value (tag names, standard labels, …)."""
    if field == "tags":
        return list(value or [])
    return [entry["label"] for entry in value or []]


def text_lines(old: str, new: str) -> list[dict]:
    """A line diff of two texts, unchanged runs folded to ``CONTEXT_LINES`` around changes."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    result = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            run = old_lines[i1:i2]
            if len(run) > 2 * CONTEXT_LINES + 1:
                result += [{"op": "equal", "text": line} for line in run[:CONTEXT_LINES]]
                result.append(
                    {"op": "skip", "text": _("… %(count)d unchanged lines …") % {"count": len(run) - 2 * CONTEXT_LINES}}
                )
                result += [{"op": "equal", "text": line} for line in run[-CONTEXT_LINES:]]
            else:
                result += [{"op": "equal", "text": line} for line in run]
            continue
        result += [{"op": "delete", "text": line} for line in old_lines[i1:i2]]
        result += [{"op": "insert", "text": line} for line in new_lines[j1:j2]]
    return result


def changed_fields(old: dict, new: dict) -> list[str]:
    """The names of the versioned fields that differ (cheap: no text diff), in field order."""
    changed = []
    for field in VERSIONED_FIELDS:
        before, after = old.get(field), new.get(field)
        if field in SET_FIELDS:
            if set(set_labels(field, before)) != set(set_labels(field, after)):
                changed.append(field)
        elif before != after:
            changed.append(field)
    return changed


def diff_snapshots(old: dict, new: dict) -> list[dict]:
    """One entry per changed field (see the module docstring), in ``VERSIONED_FIELDS`` order."""
    changes = []
    for field in changed_fields(old, new):
        before, after = old.get(field), new.get(field)
        if field in SET_FIELDS:
            old_labels, new_labels = set_labels(field, before), set_labels(field, after)
            added = [label for label in new_labels if label not in old_labels]
            removed = [label for label in old_labels if label not in new_labels]
            changes.append({"field": field, "label": _label(field), "kind": "set", "added": added, "removed": removed})
        elif field in LONG_TEXT_FIELDS:
            changes.append({"field": field, "label": _label(field), "kind": "text", "lines": text_lines(before, after)})
        else:
            changes.append(
                {
                    "field": field,
                    "label": _label(field),
                    "kind": "value",
                    "old": _display(field, before),
                    "new": _display(field, after),
                }
            )
    return changes
