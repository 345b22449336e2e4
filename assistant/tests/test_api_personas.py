"""Personas API: built-ins listed with the school's own, CRUD by permission (teacher 403, another
school's 404, built-ins read-only), unknown/duplicate values 400, make-default, my persona choice."""

import pytest

from accounts.models import Role
from assistant.models import Persona, PersonaChoice
from assistant.tests.factories import PersonaFactory

pytestmark = pytest.mark.django_db
PERSONAS = "/api/v1/assistant/personas/"
ME = "/api/v1/assistant/me/persona/"
BUILTINS = {"Straight talk", "Cheerleader", "Coach", "Formal report"}


def test_list_has_builtins_and_my_schools_personas(client_for, school, other_school, teacher):
    mine = PersonaFactory(school=school, name="Coach Kim")
    PersonaFactory(school=other_school, name="Elsewhere")
    rows = client_for(teacher).get(PERSONAS).json()["results"]
    names = {row["name"] for row in rows}
    assert names == BUILTINS | {"Coach Kim"}
    kim = next(row for row in rows if row["id"] == mine.pk)
    assert kim["builtin"] is False and kim["school"] == school.pk and kim["tone"] == "encouraging"
    assert all(row["builtin"] for row in rows if row["name"] in BUILTINS)


def test_department_head_creates_edits_and_deletes(client_for, school, department_head):
    api = client_for(department_head)
    response = api.post(
        PERSONAS,
        {"name": "Gentle", "tone": "encouraging", "verbosity": "brief", "reading_level": "simple", "emoji": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["school"] == school.pk and body["verbosity"] == "brief" and body["emoji"] is True
    url = f"{PERSONAS}{body['id']}/"
    response = api.patch(url, {"tone": "formal"}, format="json")
    assert response.status_code == 200 and response.json()["tone"] == "formal"
    assert Persona.objects.get(pk=body["id"]).tone == "formal"
    assert api.delete(url).status_code == 204
    assert not Persona.objects.filter(pk=body["id"]).exists()


def test_teacher_may_not_write_personas(client_for, school, teacher):
    persona = PersonaFactory(school=school, name="Kept")
    api = client_for(teacher)
    assert api.post(PERSONAS, {"name": "Mine"}, format="json").status_code == 403
    assert api.patch(f"{PERSONAS}{persona.pk}/", {"name": "Changed"}, format="json").status_code == 403
    assert api.delete(f"{PERSONAS}{persona.pk}/").status_code == 403
    assert api.post(f"{PERSONAS}{persona.pk}/make-default/", {}, format="json").status_code == 403
    persona.refresh_from_db()
    assert persona.name == "Kept" and not persona.is_school_default


def test_other_school_persona_is_404_and_builtins_read_only(client_for, other_school, school_admin):
    foreign = PersonaFactory(school=other_school)
    builtin = Persona.objects.get(school=None, name="Coach")
    api = client_for(school_admin)
    assert api.get(f"{PERSONAS}{foreign.pk}/").status_code == 404
    assert api.patch(f"{PERSONAS}{foreign.pk}/", {"name": "x"}, format="json").status_code == 404
    assert api.delete(f"{PERSONAS}{foreign.pk}/").status_code == 404
    assert api.get(f"{PERSONAS}{builtin.pk}/").json()["builtin"] is True
    assert api.patch(f"{PERSONAS}{builtin.pk}/", {"name": "Mine"}, format="json").status_code == 403
    assert api.delete(f"{PERSONAS}{builtin.pk}/").status_code == 403
    assert Persona.objects.get(pk=builtin.pk).name == "Coach"


def test_bad_persona_values_are_400(client_for, school, school_admin):
    PersonaFactory(school=school, name="Taken")
    api = client_for(school_admin)
    response = api.post(PERSONAS, {"name": "Taken"}, format="json")
    assert response.status_code == 400 and "name" in response.json()["error"]["fields"]
    response = api.post(PERSONAS, {"name": "Loud", "tone": "shouty"}, format="json")
    assert response.status_code == 400 and "tone" in response.json()["error"]["fields"]
    response = api.post(PERSONAS, {"name": "Lang", "language": "xx"}, format="json")
    assert response.status_code == 400 and "language" in response.json()["error"]["fields"]
    assert Persona.objects.filter(school=school).count() == 1


def test_make_default_school_and_builtin(client_for, school, school_admin):
    api = client_for(school_admin)
    first = PersonaFactory(school=school, name="First")
    response = api.post(f"{PERSONAS}{first.pk}/make-default/", {}, format="json")
    assert response.status_code == 200 and response.json()["is_school_default"] is True
    cheer = Persona.objects.get(school=None, name="Cheerleader")
    response = api.post(f"{PERSONAS}{cheer.pk}/make-default/", {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["name"] == "Cheerleader" and body["school"] == school.pk and body["is_school_default"] is True
    assert list(Persona.objects.filter(school=school, is_school_default=True).values_list("name", flat=True)) == [
        "Cheerleader"
    ]


def test_my_persona_choice(client_for, school, other_school, teacher):
    api = client_for(teacher)
    rows = api.get(ME).json()
    assert rows == [
        {
            "school": school.pk,
            "school_name": school.name,
            "chosen": None,
            "effective": {
                "id": Persona.objects.get(school=None, name="Straight talk").pk,
                "name": "Straight talk",
                "builtin": True,
            },
        }
    ]
    coach = Persona.objects.get(school=None, name="Coach")
    response = api.put(ME, {"persona": coach.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()[0]["chosen"]["name"] == "Coach" and response.json()[0]["effective"]["name"] == "Coach"
    assert PersonaChoice.objects.get(user=teacher, school=school).persona == coach
    assert response["Cache-Control"] == "private, no-store"

    foreign = PersonaFactory(school=other_school)
    response = api.put(ME, {"persona": foreign.pk}, format="json")
    assert response.status_code == 400 and "persona" in response.json()["error"]["fields"]
    response = api.put(ME, {"persona": 999999}, format="json")
    assert response.status_code == 400 and "persona" in response.json()["error"]["fields"]

    response = api.put(ME, {"persona": None}, format="json")
    assert response.status_code == 200 and response.json()[0]["chosen"] is None
    assert not PersonaChoice.objects.filter(user=teacher).exists()


def test_students_cannot_list_personas(client_for, student, member, school):
    assert client_for(student).get(PERSONAS).status_code == 403
    assert client_for(member(school, Role.GUARDIAN)).get(PERSONAS).status_code == 403
