"""Rules shared by the loader, the services and the forms for the free-form JSON fields of library
items (skills, cues, modifications, grade spans, fitness components), so a teacher's own activity
meets the same schema as a shipped one and the adaptation and recommendation engines can read both."""

from django.utils.translation import gettext_lazy as _

from physed.models import FitnessComponent, GradeBand, ModificationKind

# the kinds of modification an activity can offer (issue 5 §6): one list with the adaptation engine
MODIFICATION_KINDS = dict(ModificationKind.choices)

MAX_LIST_ITEMS = 40
MAX_ITEM_LENGTH = 300


def text_list_problem(value, *, allowed=None, required=False) -> str | None:
    """``None`` when ``value`` is a list of distinct non-empty strings (from ``allowed`` if given)."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        return str(_("Give a list of non-empty texts."))
    if required and not value:
        return str(_("Choose at least one."))
    if len(value) > MAX_LIST_ITEMS:
        return str(_("At most %(count)s entries.") % {"count": MAX_LIST_ITEMS})
    if any(len(item) > MAX_ITEM_LENGTH for item in value):
        return str(_("Each entry may have at most %(count)s characters.") % {"count": MAX_ITEM_LENGTH})
    if len(set(value)) != len(value):
        return str(_("An entry is repeated."))
    if allowed is not None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            return str(_("Unknown values: %(values)s.") % {"values": ", ".join(unknown)})
    return None


def modifications_problem(value) -> str | None:
    """``None`` when ``value`` is a list of {"kind", "easier", "harder"} with a known kind."""
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
        return str(_("Give a list of modifications."))
    for item in value:
        if not isinstance(item, dict) or set(item) != {"kind", "easier", "harder"}:
            return str(_("Each modification needs exactly kind, easier and harder."))
        if item["kind"] not in MODIFICATION_KINDS:
            return str(_("Unknown modification kind: %(kind)s.") % {"kind": item["kind"]})
        for side in ("easier", "harder"):
            if not isinstance(item[side], str) or not item[side].strip() or len(item[side]) > MAX_ITEM_LENGTH:
                return str(
                    _("Describe the easier and the harder version (at most %(count)s characters).")
                    % {"count": MAX_ITEM_LENGTH}
                )
    return None


def grade_bands_problem(value) -> str | None:
    return text_list_problem(value, allowed=GradeBand.values, required=True)


def fitness_components_problem(value) -> str | None:
    return text_list_problem(value, allowed=FitnessComponent.values)
