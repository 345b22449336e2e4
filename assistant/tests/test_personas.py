"""Personas: every tone, verbosity, reading level, emoji and language visibly changes a reply;
which persona applies; persona services (permissions, 403 for a teacher, 404 for another school)."""

import dataclasses

import pytest
from django.http import Http404

from accounts.models import AuditEvent
from accounts.services.errors import ServiceError
from assistant.models import Persona, PersonaChoice
from assistant.personas import BUILTIN_DEFAULT, PersonaStyle, compose, effective_persona
from assistant.services.personas import (
    choose_persona,
    create_persona,
    delete_persona,
    set_school_default,
    update_persona,
)
from assistant.tests.factories import ConversationFactory, PersonaFactory

FACTS = [
    "Grade 5 Blue: 2 of 3 students are in the Healthy Fitness Zone on the PACER (20 m), and the class average "
    "is 27 laps, which is below the target set for the fall window.",
    "Sam Okafor needs improvement.",
    "It's the latest result.",
]
REASONS = ["mentions class Grade 5 Blue", "word 'pacer' → fitness results"]


def style(**changes):
    return dataclasses.replace(PersonaStyle(first_name="Ana"), **changes)


def test_tones_are_visibly_different():
    texts = {tone: compose(style(tone=tone), FACTS, intent="fitness_results") for tone in Tone_values()}
    assert len(set(texts.values())) == 4
    assert texts["neutral"] == " ".join(FACTS)
    assert texts["encouraging"].startswith("Great question, Ana!")
    assert texts["encouraging"].endswith("keep it up!")
    assert texts["formal"].startswith("Please find the requested information below.")
    assert "It is the latest result." in texts["formal"]  # no contractions
    assert texts["formal"].endswith("Kind regards, your teaching assistant.")
    assert texts["coach"].splitlines()[0] == "Here's the play:"
    assert texts["coach"].splitlines()[2] == "→ Sam Okafor needs improvement."
    assert texts["coach"].endswith("Now let's get moving!")


def Tone_values():
    return ["encouraging", "neutral", "formal", "coach"]


def test_failure_openers_differ():
    assert compose(style(tone="encouraging"), ["Nothing found."], intent="x", ok=False).startswith(
        "No worries, Ana, we'll figure this out together."
    )
    assert compose(style(tone="encouraging", first_name=""), ["Hi."], intent="x").startswith("Great question!")


def test_verbosity_changes_length():
    brief = compose(style(tone="encouraging", verbosity="brief"), FACTS, intent="fitness_results", reasons=REASONS)
    normal = compose(style(tone="encouraging"), FACTS, intent="fitness_results", reasons=REASONS)
    detailed = compose(
        style(tone="encouraging", verbosity="detailed"), FACTS, intent="fitness_results", reasons=REASONS
    )
    assert brief == "Great question, Ana!\n" + FACTS[0] + " " + FACTS[1]
    assert len(brief) < len(normal) < len(detailed)
    assert "Why:" not in normal
    assert "Why: mentions class Grade 5 Blue; word 'pacer' → fitness results." in detailed


def test_simple_reading_level_uses_plain_words_and_short_sentences():
    standard = compose(style(), FACTS, intent="fitness_results")
    simple = compose(style(reading_level="simple"), FACTS, intent="fitness_results")
    assert "Healthy Fitness Zone" in standard
    assert "Healthy Fitness Zone" not in simple
    assert "healthy range" in simple
    assert "needs work" in simple
    longest = max(len(s.split()) for s in simple.replace("\n", " ").split(". "))
    assert longest < max(len(s.split()) for s in standard.split(". "))


def test_emoji_on_and_off():
    on = compose(style(tone="coach", emoji=True), FACTS, intent="fitness_results")
    off = compose(style(tone="coach", emoji=False), FACTS, intent="fitness_results")
    assert on.startswith("💪 Here's the play:")
    assert "🏃" in on
    assert "💪" not in off and "🏃" not in off


def test_spanish_persona_phrases():
    text = compose(style(tone="encouraging", language="es"), ["Todo bien."], intent="greeting")
    assert text.startswith("¡Buena pregunta, Ana!")
    assert "sigue así" in text
    detailed = compose(style(language="es", verbosity="detailed"), ["Hola."], intent="x", reasons=["a"])
    assert "Por qué: a." in detailed


def test_prompt_reflects_the_style():
    prompt = style(tone="formal", verbosity="brief", reading_level="simple", language="es").prompt()
    assert "Answer in Spanish" in prompt
    assert "no contractions" in prompt and "one or two sentences" in prompt and "plain words" in prompt
    assert "Do not use emoji" in prompt


@pytest.mark.django_db
def test_style_language_falls_back_to_the_users_language(teacher):
    from accounts.models import UserPreference

    persona = Persona.objects.get(school=None, name="Cheerleader")
    assert PersonaStyle.from_persona(persona, teacher).language == "en"
    UserPreference.objects.create(user=teacher, language="es")
    from django.core.cache import cache

    cache.clear()
    resolved = PersonaStyle.from_persona(persona, teacher)
    assert (resolved.language, resolved.tone, resolved.emoji, resolved.reading_level) == (
        "es",
        "encouraging",
        True,
        "simple",
    )
    persona.language = "en"
    assert PersonaStyle.from_persona(persona, teacher).language == "en"


@pytest.mark.django_db
def test_effective_persona_order(school, teacher, school_admin):
    assert effective_persona(teacher, school).name == BUILTIN_DEFAULT
    house = create_persona(actor=school_admin, school=school, name="House style", tone="formal")
    set_school_default(actor=school_admin, school=school, persona=house)
    assert effective_persona(teacher, school) == house
    coach = Persona.objects.get(school=None, name="Coach")
    choose_persona(actor=teacher, school=school, persona=coach)
    assert effective_persona(teacher, school) == coach
    conversation = ConversationFactory(school=school, owner=teacher, persona=house)
    assert effective_persona(teacher, school, conversation) == house
    choose_persona(actor=teacher, school=school, persona=None)
    assert not PersonaChoice.objects.filter(user=teacher).exists()
    assert effective_persona(teacher, school) == house


@pytest.mark.django_db
def test_create_update_delete_need_permissions(school, teacher, school_admin):
    with pytest.raises(ServiceError) as denied:
        create_persona(actor=teacher, school=school, name="Mine")
    assert denied.value.status == 403
    persona = create_persona(actor=school_admin, school=school, name="Pep talk", tone="coach", emoji=True)
    assert (persona.school, persona.tone, persona.emoji, persona.created_by) == (school, "coach", True, school_admin)
    assert AuditEvent.objects.filter(action="assistant.persona_created", target_id=str(persona.pk)).exists()
    with pytest.raises(ServiceError) as duplicate:
        create_persona(actor=school_admin, school=school, name="pep TALK")
    assert duplicate.value.field == "name"
    with pytest.raises(ServiceError):
        create_persona(actor=school_admin, school=school, name="Coach")  # a built-in's name
    with pytest.raises(ServiceError) as bad_tone:
        create_persona(actor=school_admin, school=school, name="Odd", tone="sarcastic")
    assert bad_tone.value.field == "tone"
    with pytest.raises(ServiceError) as teacher_edit:
        update_persona(actor=teacher, persona=persona, tone="formal")
    assert teacher_edit.value.status == 403
    update_persona(actor=school_admin, persona=persona, tone="formal", verbosity="detailed")
    persona.refresh_from_db()
    assert (persona.tone, persona.verbosity) == ("formal", "detailed")
    with pytest.raises(ServiceError) as teacher_delete:
        delete_persona(actor=teacher, persona=persona)
    assert teacher_delete.value.status == 403
    delete_persona(actor=school_admin, persona=persona)
    assert not Persona.objects.filter(pk=persona.pk).exists()


@pytest.mark.django_db
def test_builtins_are_read_only(school_admin):
    builtin = Persona.objects.get(school=None, name=BUILTIN_DEFAULT)
    with pytest.raises(ServiceError) as error:
        update_persona(actor=school_admin, persona=builtin, tone="coach")
    assert error.value.status == 403
    with pytest.raises(ServiceError):
        delete_persona(actor=school_admin, persona=builtin)
    builtin.refresh_from_db()
    assert builtin.tone == "neutral"


@pytest.mark.django_db
def test_another_schools_persona_is_not_found(school, other_school, school_admin, teacher):
    theirs = PersonaFactory(school=other_school, name="Southside voice")
    with pytest.raises(Http404):
        update_persona(actor=school_admin, persona=theirs, tone="coach")
    with pytest.raises(Http404):
        delete_persona(actor=school_admin, persona=theirs)
    with pytest.raises(Http404):
        choose_persona(actor=teacher, school=school, persona=theirs)
    with pytest.raises(Http404):
        set_school_default(actor=school_admin, school=school, persona=theirs)
    theirs.refresh_from_db()
    assert theirs.tone == "encouraging"


@pytest.mark.django_db
def test_school_default_from_a_builtin_copies_its_style(school, school_admin, teacher):
    with pytest.raises(ServiceError) as denied:
        set_school_default(actor=teacher, school=school, persona=Persona.objects.get(school=None, name="Coach"))
    assert denied.value.status == 403
    chosen = set_school_default(
        actor=school_admin, school=school, persona=Persona.objects.get(school=None, name="Coach")
    )
    assert (chosen.school, chosen.name, chosen.tone, chosen.verbosity, chosen.is_school_default) == (
        school,
        "Coach",
        "coach",
        "brief",
        True,
    )
    assert effective_persona(teacher, school) == chosen
    # the school's copy keeps the built-in's name when edited
    update_persona(actor=school_admin, persona=chosen, name="Coach", tone="formal")
    chosen.refresh_from_db()
    assert (chosen.name, chosen.tone) == ("Coach", "formal")
    assert set_school_default(actor=school_admin, school=school, persona=None) is None
    assert effective_persona(teacher, school).name == BUILTIN_DEFAULT
    assert effective_persona(teacher, school).school is None
