"""Library API for exercises: filters, detail, create, duplicate and payload errors."""

import pytest

from physed.models import Exercise
from physed.tests.factories_library import EquipmentTypeFactory, ExerciseFactory, MuscleGroupFactory

pytestmark = pytest.mark.django_db
EXERCISES = "/api/v1/physed/exercises/"


def _names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def _error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


@pytest.fixture
def gear(db):
    return {slug: EquipmentTypeFactory(slug=slug, name=slug.title()) for slug in ("cones", "pinnies", "soccer-ball")}


@pytest.fixture
def exercises(gear, school, other_school):
    quads, core, chest = (MuscleGroupFactory(slug=s, name=s.title()) for s in ("quadriceps", "abdominals", "chest"))
    rows = {
        "squat": ExerciseFactory(
            name="Squat",
            category="strength",
            difficulty=1,
            fitness_components=["muscular_strength"],
            primary_muscles=[quads],
            secondary_muscles=[core],
        ),
        "plank": ExerciseFactory(
            name="Plank",
            category="core",
            difficulty=2,
            primary_muscles=[core],
            instructions="Hold a straight line.",
            contraindications=["recent shoulder injury"],
        ),
        "press": ExerciseFactory(
            name="Cone Press", category="strength", difficulty=3, primary_muscles=[chest], equipment=[gear["cones"]]
        ),
        "ours": ExerciseFactory(school=school, name="Our Burpee", category="cardio", difficulty=4),
        "theirs": ExerciseFactory(school=other_school, name="Their Burpee"),
    }
    return rows


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["Cone Press", "Our Burpee", "Plank", "Squat"]),
        ({"muscle": "abdominals"}, ["Plank", "Squat"]),
        ({"primary_muscle": "abdominals"}, ["Plank"]),
        ({"category": "strength"}, ["Cone Press", "Squat"]),
        ({"equipment": "cones"}, ["Cone Press"]),
        ({"needs_no_equipment": "true"}, ["Our Burpee", "Plank", "Squat"]),
        ({"difficulty_max": 2}, ["Plank", "Squat"]),
        ({"fitness_component": "muscular_strength"}, ["Squat"]),
        ({"search": "shoulder"}, ["Plank"]),  # contraindications are searched
        ({"source": "school"}, ["Our Burpee"]),
        ({"ordering": "-difficulty"}, ["Our Burpee", "Cone Press", "Plank", "Squat"]),
    ],
)
def test_exercise_filters(exercises, assistant, client_for, params, expected):
    assert _names(client_for(assistant).get(EXERCISES, params)) == expected


def test_exercise_detail_create_and_duplicate(exercises, teacher, school, client_for):
    client = client_for(teacher)
    body = client.get(f"{EXERCISES}{exercises['squat'].pk}/").json()
    assert [m["slug"] for m in body["primary_muscles"]] == ["quadriceps"]
    assert [m["name"] for m in body["secondary_muscles"]] == ["Abdominals"]
    response = client.post(
        EXERCISES,
        {
            "name": "Wall Sit",
            "category": "strength",
            "instructions": "1. Sit against the wall.",
            "primary_muscles": ["quadriceps"],
            "default_duration_seconds": 30,
            "media_links": ["https://example.org/wall-sit"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["media_links"] == ["https://example.org/wall-sit"]
    copy = client.post(f"{EXERCISES}{exercises['plank'].pk}/duplicate/", {}, format="json").json()
    assert Exercise.objects.get(pk=copy["id"]).school == school
    assert copy["contraindications"] == ["recent shoulder injury"]
    error = _error(client.patch(f"{EXERCISES}{exercises['plank'].pk}/", {"name": "x"}, format="json"), 403)
    assert error["code"] == "shipped_read_only"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"primary_muscles": ["quadriceps"], "secondary_muscles": ["quadriceps"]}, "secondary_muscles"),
        ({"default_reps": None, "default_duration_seconds": None}, "default_reps"),
        ({"media_links": ["javascript:alert(1)"]}, "media_links"),
        ({"category": "yoga"}, "category"),
    ],
)
def test_bad_exercise_payloads(exercises, teacher, client_for, payload, field):
    data = {"name": "X", "category": "core", "instructions": "Do.", "default_reps": 5, **payload}
    error = _error(client_for(teacher).post(EXERCISES, data, format="json"), 400)
    assert field in error["fields"]
