"""Persona writes: a school's own personas (create, update, delete), its default, and each
person's choice. Built-in personas (no school) are read-only; a persona of a school the actor
does not belong to does not exist for them (404). Every change is audited."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.selectors import school_ids_for
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.schools import require_school_perm
from assistant.models import Persona, PersonaChoice, ReadingLevel, Tone, Verbosity

STYLE_FIELDS = ("name", "tone", "verbosity", "language", "reading_level", "emoji")


def _languages() -> set[str]:
    from django.conf import settings

    return {code for code, _name in settings.LANGUAGES}


def _require_visible(actor, persona: Persona, school=None) -> None:
    """404 unless ``persona`` is built-in or of a school of the actor (and of ``school`` if given)."""
    if persona is None:
        raise Http404(_("No such persona."))
    if persona.school_id is None:
        return
    if persona.school_id not in school_ids_for(actor) or (school is not None and persona.school_id != school.pk):
        raise Http404(_("No such persona."))


def _require_school_persona(actor, persona: Persona, perm: str) -> None:
    _require_visible(actor, persona)
    if persona.school_id is None:
        raise ServiceError(_("Built-in personas cannot be changed."), code="read_only", status=403)
    require_school_perm(actor, perm, persona.school)


def _clean(values: dict, *, school, exclude_pk=None, current_name="") -> dict:
    cleaned = {}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name:
            raise ServiceError(_("Give the persona a name."), field="name", code="required")
        if len(name) > 60:
            raise ServiceError(_("Keep the name to 60 characters."), field="name", code="max_length")
        clash = Persona.objects.filter(name__iexact=name, school__in=[school.pk]).exclude(pk=exclude_pk).exists()
        renamed = name.lower() != (current_name or "").lower()
        builtin_clash = renamed and Persona.objects.filter(name__iexact=name, school__isnull=True).exists()
        if clash or builtin_clash:
            raise ServiceError(_("A persona with this name already exists."), field="name", code="duplicate")
        cleaned["name"] = name
    for field, choices in (("tone", Tone), ("verbosity", Verbosity), ("reading_level", ReadingLevel)):
        if field in values:
            if values[field] not in choices.values:
                raise ServiceError(_("Choose a valid value."), field=field, code="invalid_choice")
            cleaned[field] = values[field]
    if "language" in values:
        language = values["language"] or ""
        if language and language not in _languages():
            raise ServiceError(_("Choose a valid language."), field="language", code="invalid_choice")
        cleaned["language"] = language
    if "emoji" in values:
        cleaned["emoji"] = bool(values["emoji"])
    return cleaned


def create_persona(
    *, actor, school, name, tone="neutral", verbosity="normal", language="", reading_level="standard", emoji=False
) -> Persona:
    """A school's own persona (perm ``assistant.add_persona`` there; names unique per school)."""
    require_school_perm(actor, "assistant.add_persona", school)
    values = {"name": name, "tone": tone, "verbosity": verbosity, "language": language}
    values |= {"reading_level": reading_level, "emoji": emoji}
    persona = Persona.objects.create(school=school, created_by=actor, **_clean(values, school=school))
    record_event("assistant.persona_created", actor=actor, school=school, target=persona, changes=values)
    return persona


def update_persona(*, actor, persona, **fields) -> Persona:
    """Changes a school persona's style (perm ``assistant.change_persona``; built-ins read-only)."""
    _require_school_persona(actor, persona, "assistant.change_persona")
    unknown = set(fields) - set(STYLE_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)), code="invalid")
    cleaned = _clean(fields, school=persona.school, exclude_pk=persona.pk, current_name=persona.name)
    changes = {k: [getattr(persona, k), v] for k, v in cleaned.items() if getattr(persona, k) != v}
    for key, value in cleaned.items():
        setattr(persona, key, value)
    persona.save()
    record_event("assistant.persona_updated", actor=actor, school=persona.school, target=persona, changes=changes)
    return persona


def delete_persona(*, actor, persona) -> None:
    """Deletes a school persona (perm ``assistant.delete_persona``); people who chose it fall back
    to the school default (their choice row goes with it)."""
    _require_school_persona(actor, persona, "assistant.delete_persona")
    school, label = persona.school, str(persona)
    record_event("assistant.persona_deleted", actor=actor, school=school, target=persona, target_label=label)
    persona.delete()


@transaction.atomic
def set_school_default(*, actor, school, persona) -> Persona | None:
    """Makes ``persona`` the school's default (perm ``assistant.change_persona``); None clears it.

    A built-in persona cannot carry a per-school flag (it has no school), so choosing one copies
    its style into a school persona of the same name — except ``BUILTIN_DEFAULT``, which is what
    applies anyway when the school has no default, so choosing it just clears the default."""
    from assistant.personas import BUILTIN_DEFAULT

    require_school_perm(actor, "assistant.change_persona", school)
    if persona is not None:
        _require_visible(actor, persona, school)
    Persona.objects.filter(school=school, is_school_default=True).update(is_school_default=False)
    chosen = None
    if persona is not None and persona.school_id is None and persona.name != BUILTIN_DEFAULT:
        style = {f: getattr(persona, f) for f in STYLE_FIELDS if f != "name"}
        chosen, _created = Persona.objects.get_or_create(
            school=school, name=persona.name, defaults={**style, "created_by": actor}
        )
    elif persona is not None and persona.school_id is not None:
        chosen = persona
    if chosen is not None:
        Persona.objects.filter(pk=chosen.pk).update(is_school_default=True)
        chosen.is_school_default = True
    record_event(
        "assistant.persona_default_set",
        actor=actor,
        school=school,
        target_type="assistant.persona",
        target_id=str(chosen.pk) if chosen else "",
        target_label=str(chosen or BUILTIN_DEFAULT),
    )
    return chosen


def choose_persona(*, actor, school, persona) -> PersonaChoice | None:
    """The actor's own choice in ``school`` (any member who may use the assistant); the persona
    must be built-in or the school's own. None forgets the choice (school default applies)."""
    require_school_perm(actor, "assistant.use_assistant", school)
    if persona is None:
        PersonaChoice.objects.filter(user=actor, school=school).delete()
        record_event("assistant.persona_chosen", actor=actor, school=school, target_type="assistant.persona")
        return None
    _require_visible(actor, persona, school)
    choice, _created = PersonaChoice.objects.update_or_create(user=actor, school=school, defaults={"persona": persona})
    record_event(
        "assistant.persona_chosen",
        actor=actor,
        school=school,
        target=persona,
        target_label=str(persona),
    )
    return choice
