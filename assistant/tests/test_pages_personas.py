"""Persona settings: built-in and school personas with a sample in each one's voice; choosing
mine; department heads add, edit, delete and set the school default; teachers cannot; another
school's persona is 404; the persona of one conversation."""

import pytest

from assistant.models import Persona, PersonaChoice
from assistant.tests.factories import ConversationFactory, PersonaFactory

pytestmark = pytest.mark.django_db
URL = "/assistant/personas/"


def test_settings_show_every_offered_persona_with_a_sample(client, school, other_school, teacher):
    coach = PersonaFactory(school=school, name="Coach Rivera", tone="coach")
    PersonaFactory(school=other_school, name="Elsewhere")
    client.force_login(teacher)
    response = client.get(URL)
    page = response.content.decode()
    builtins = list(Persona.objects.filter(school__isnull=True).values_list("name", flat=True))
    assert builtins and all(name in page for name in builtins)
    assert "Coach Rivera" in page and "Elsewhere" not in page
    samples = {p.name: p.sample for p in response.context["personas"]}
    assert "Healthy Fitness Zone" in samples["Coach Rivera"] or "18" in samples["Coach Rivera"]
    assert len(set(samples.values())) > 1  # the tones read differently
    assert "Add a school persona" not in page  # teachers do not manage personas
    assert client.get(f"/assistant/personas/{coach.pk}/edit/").status_code == 403


def test_choose_my_persona(client, school, teacher):
    coach = PersonaFactory(school=school, name="Coach Rivera", tone="coach")
    client.force_login(teacher)
    assert client.post(URL, {"persona": coach.pk})["Location"] == URL
    assert PersonaChoice.objects.get(user=teacher, school=school).persona == coach
    assert "speaks to you as <strong>Coach Rivera</strong>" in client.get(URL).content.decode()


def test_another_schools_persona_cannot_be_chosen(client, school, other_school, teacher):
    foreign = PersonaFactory(school=other_school, name="Foreign")
    client.force_login(teacher)
    assert client.post(URL, {"persona": foreign.pk}).status_code == 400
    assert not PersonaChoice.objects.filter(user=teacher).exists()


def test_department_head_manages_school_personas(client, school, other_school, department_head):
    client.force_login(department_head)
    assert "Add a school persona" in client.get(URL).content.decode()
    data = {"name": "Coach Rivera", "tone": "coach", "verbosity": "brief", "language": "", "reading_level": "simple"}
    assert client.post("/assistant/personas/new/", data)["Location"] == URL
    persona = Persona.objects.get(school=school, name="Coach Rivera")
    assert persona.tone == "coach" and persona.verbosity == "brief" and persona.created_by == department_head
    duplicate = client.post("/assistant/personas/new/", data)
    assert duplicate.status_code == 400

    client.post(f"/assistant/personas/{persona.pk}/edit/", {**data, "tone": "encouraging", "emoji": "on"})
    persona.refresh_from_db()
    assert persona.tone == "encouraging" and persona.emoji is True

    client.post(f"/assistant/personas/{persona.pk}/default/")
    persona.refresh_from_db()
    assert persona.is_school_default

    foreign = PersonaFactory(school=other_school)
    assert client.get(f"/assistant/personas/{foreign.pk}/edit/").status_code == 404
    assert client.post(f"/assistant/personas/{foreign.pk}/default/").status_code == 404
    builtin = Persona.objects.filter(school__isnull=True).first()
    assert client.get(f"/assistant/personas/{builtin.pk}/edit/").status_code == 404

    assert client.post(f"/assistant/personas/{persona.pk}/delete/", {"confirm": "on"})["Location"] == URL
    assert not Persona.objects.filter(pk=persona.pk).exists()


def test_persona_of_one_conversation(client, school, other_school, teacher):
    conversation = ConversationFactory(school=school, owner=teacher)
    coach = PersonaFactory(school=school, name="Coach Rivera", tone="coach")
    foreign = PersonaFactory(school=other_school)
    client.force_login(teacher)
    page = client.get(f"/assistant/{conversation.pk}/").content.decode()
    assert "Coach Rivera" in page and foreign.name not in page
    client.post(f"/assistant/{conversation.pk}/persona/", {"persona": coach.pk})
    conversation.refresh_from_db()
    assert conversation.persona == coach
    client.post(f"/assistant/{conversation.pk}/persona/", {"persona": foreign.pk})
    conversation.refresh_from_db()
    assert conversation.persona == coach
    client.post(f"/assistant/{conversation.pk}/persona/", {"persona": ""})
    conversation.refresh_from_db()
    assert conversation.persona is None
