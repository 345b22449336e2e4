"""Library API: search/filter/sort values, shipped rows read-only, duplicate, school isolation,
permissions and the error shape."""

import pytest

from accounts.models import AuditEvent, Role
from accounts.tests.factories import MembershipFactory
from physed.models import Activity
from physed.services.library_data import load_library
from physed.tests.factories_library import (
    ActivityFactory,
    EquipmentTypeFactory,
    PEStandardFactory,
)

pytestmark = pytest.mark.django_db
ACTIVITIES = "/api/v1/physed/activities/"
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
def catalogue(gear, school, other_school):
    """Shipped rows, one of ours and one of the other school's, with known attributes."""
    rows = {
        "tag": ActivityFactory(
            name="Freeze Tag",
            category="cooperative",
            difficulty=1,
            duration_minutes=10,
            min_group_size=6,
            max_group_size=40,
            intensity="vigorous",
            space="gym",
            contact_level="limited",
            risk_level=2,
            grade_bands=["prek_2", "3_5"],
            fitness_components=["aerobic", "agility"],
            skills=["dodging"],
            equipment=[gear["pinnies"]],
            description="Chase and free friends.",
        ),
        "soccer": ActivityFactory(
            name="Small-Sided Soccer",
            category="invasion",
            difficulty=3,
            duration_minutes=25,
            min_group_size=6,
            max_group_size=10,
            intensity="vigorous",
            space="field",
            contact_level="limited",
            risk_level=2,
            grade_bands=["6_8"],
            fitness_components=["aerobic"],
            skills=["passing", "dribbling"],
            equipment=[gear["soccer-ball"], gear["cones"]],
            description="Three against three.",
        ),
        "yoga": ActivityFactory(
            name="Yoga Flow",
            category="fitness",
            difficulty=2,
            duration_minutes=15,
            min_group_size=1,
            max_group_size=30,
            intensity="light",
            space="classroom",
            contact_level="none",
            risk_level=1,
            grade_bands=["9_12"],
            fitness_components=["flexibility", "balance"],
            skills=["breathing"],
            description="Slow poses.",
        ),
        "ours": ActivityFactory(
            school=school,
            name="Northside Relay",
            difficulty=4,
            duration_minutes=30,
            equipment=[gear["cones"]],
            grade_bands=["6_8"],
        ),
        "theirs": ActivityFactory(school=other_school, name="Southside Secret Game"),
    }
    standard = PEStandardFactory(number=1, short_name="Develops a variety of motor skills")
    rows["soccer"].standards.set([standard])
    return rows


def test_list_shows_shipped_and_own_rows_never_another_schools(catalogue, teacher, client_for):
    names = _names(client_for(teacher).get(ACTIVITIES, {"page_size": 50}))
    assert names == ["Freeze Tag", "Northside Relay", "Small-Sided Soccer", "Yoga Flow"]
    row = client_for(teacher).get(ACTIVITIES, {"search": "relay"}).json()["results"][0]
    assert row["is_shipped"] is False and row["equipment"] == ["cones"] and row["grade_bands"] == ["6_8"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"search": "dribbl"}, ["Small-Sided Soccer"]),  # skills are searched
        ({"search": "free friends"}, ["Freeze Tag"]),  # every word, in the description
        ({"category": "fitness"}, ["Yoga Flow"]),
        ({"difficulty_min": 2, "difficulty_max": 3}, ["Small-Sided Soccer", "Yoga Flow"]),
        ({"intensity": "light"}, ["Yoga Flow"]),
        ({"space": "field"}, ["Small-Sided Soccer"]),
        ({"contact_level": "none"}, ["Northside Relay", "Yoga Flow"]),
        ({"risk_level": 1}, ["Northside Relay", "Yoga Flow"]),
        ({"risk_level_max": 1}, ["Northside Relay", "Yoga Flow"]),
        ({"grade_band": "3_5"}, ["Freeze Tag"]),
        ({"grade_band": "6_8"}, ["Northside Relay", "Small-Sided Soccer"]),
        ({"standard": 1}, ["Small-Sided Soccer"]),
        ({"equipment": "cones"}, ["Northside Relay", "Small-Sided Soccer"]),
        ({"equipment": "cones,soccer-ball"}, ["Small-Sided Soccer"]),
        ({"have": "cones,pinnies"}, ["Freeze Tag", "Northside Relay", "Yoga Flow"]),
        ({"have": "cones"}, ["Northside Relay", "Yoga Flow"]),
        ({"needs_no_equipment": "true"}, ["Yoga Flow"]),
        ({"needs_no_equipment": "false"}, ["Freeze Tag", "Northside Relay", "Small-Sided Soccer"]),
        ({"group_size": 35}, ["Freeze Tag"]),
        ({"group_size": 8}, ["Freeze Tag", "Northside Relay", "Small-Sided Soccer", "Yoga Flow"]),
        ({"max_duration": 15}, ["Freeze Tag", "Yoga Flow"]),
        ({"fitness_component": "flexibility"}, ["Yoga Flow"]),
        ({"source": "school"}, ["Northside Relay"]),
        ({"source": "shipped"}, ["Freeze Tag", "Small-Sided Soccer", "Yoga Flow"]),
        ({"ordering": "-difficulty"}, ["Northside Relay", "Small-Sided Soccer", "Yoga Flow", "Freeze Tag"]),
        ({"ordering": "duration"}, ["Freeze Tag", "Yoga Flow", "Small-Sided Soccer", "Northside Relay"]),
    ],
)
def test_activity_filters_and_sort(catalogue, teacher, client_for, params, expected):
    assert _names(client_for(teacher).get(ACTIVITIES, params)) == expected


def test_repeated_have_parameters_work_like_a_comma_list(catalogue, teacher, client_for):
    response = client_for(teacher).get(f"{ACTIVITIES}?have=cones&have=pinnies")
    assert _names(response) == ["Freeze Tag", "Northside Relay", "Yoga Flow"]


def test_newest_first(catalogue, teacher, client_for):
    assert _names(client_for(teacher).get(ACTIVITIES, {"ordering": "-created"}))[0] == "Northside Relay"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"category": "chess"}, "category"),
        ({"difficulty_min": 9}, "difficulty_min"),
        ({"group_size": "many"}, "group_size"),
        ({"group_size": "99999999999999999999999"}, "group_size"),
        ({"needs_no_equipment": "maybe"}, "needs_no_equipment"),
        ({"have": "not a slug!"}, "have"),
        ({"ordering": "secret"}, "ordering"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_field(catalogue, teacher, client_for, params, field):
    error = _error(client_for(teacher).get(ACTIVITIES, params), 400)
    assert field in error["fields"]


def test_detail_includes_names_standards_and_modifications(catalogue, student, client_for):
    soccer = catalogue["soccer"]
    soccer.modifications = [{"kind": "rules", "easier": "No goalkeeper.", "harder": "Two-touch limit."}]
    soccer.teaching_cues = ["Heads up."]
    soccer.save()
    body = client_for(student).get(f"{ACTIVITIES}{soccer.pk}/").json()
    assert body["equipment"] == [
        {"id": catalogue["soccer"].equipment.get(slug="cones").pk, "slug": "cones", "name": "Cones"},
        {"id": catalogue["soccer"].equipment.get(slug="soccer-ball").pk, "slug": "soccer-ball", "name": "Soccer-Ball"},
    ]
    assert body["standards"] == [{"number": 1, "short_name": "Develops a variety of motor skills"}]
    assert body["modifications"][0]["kind"] == "rules" and body["teaching_cues"] == ["Heads up."]


def test_other_schools_row_is_404_for_every_method(catalogue, school_admin, client_for):
    client = client_for(school_admin)
    theirs = catalogue["theirs"]
    for method in ("get", "patch", "delete"):
        assert getattr(client, method)(f"{ACTIVITIES}{theirs.pk}/", {}, format="json").status_code == 404
    assert client.post(f"{ACTIVITIES}{theirs.pk}/duplicate/", {}, format="json").status_code == 404
    assert Activity.objects.filter(pk=theirs.pk).exists()


def test_shipped_rows_are_read_only_with_a_pointer_to_duplicate(catalogue, school_admin, client_for):
    client = client_for(school_admin)
    tag = catalogue["tag"]
    for method in ("patch", "put", "delete"):
        error = _error(getattr(client, method)(f"{ACTIVITIES}{tag.pk}/", {"name": "Mine"}, format="json"), 403)
        assert error["code"] == "shipped_read_only" and "Duplicate" in error["message"]
    tag.refresh_from_db()
    assert tag.name == "Freeze Tag"


def test_a_guardian_cannot_change_shipped_rows_either(catalogue, guardian, client_for):
    error = _error(client_for(guardian).patch(f"{ACTIVITIES}{catalogue['tag'].pk}/", {}, format="json"), 403)
    assert error["code"] != "shipped_read_only"


def test_duplicate_a_shipped_activity_into_my_school(catalogue, teacher, school, client_for):
    tag = catalogue["tag"]
    response = client_for(teacher).post(f"{ACTIVITIES}{tag.pk}/duplicate/", {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    copy = Activity.objects.get(pk=body["id"])
    assert copy.school == school and copy.slug == tag.slug and copy.name == "Freeze Tag"
    assert body["is_shipped"] is False and [e["slug"] for e in body["equipment"]] == ["pinnies"]
    assert copy.created_by == teacher
    event = AuditEvent.objects.get(action="library.activity_duplicated")
    assert event.changes["source"] == {"id": tag.pk, "slug": tag.slug, "shipped": True}
    again = client_for(teacher).post(f"{ACTIVITIES}{tag.pk}/duplicate/", {}, format="json").json()
    assert again["slug"] == f"{tag.slug}-2" and again["name"] == "Freeze Tag (copy)"


def test_duplicate_into_another_school_is_refused(catalogue, teacher, other_school, client_for):
    response = client_for(teacher).post(f"{ACTIVITIES}{catalogue['tag'].pk}/duplicate/", {"school": other_school.pk})
    assert _error(response, 400)["fields"] == {"school": [f'Invalid pk "{other_school.pk}" - object does not exist.']}


def test_a_student_cannot_duplicate_or_create(catalogue, student, client_for):
    client = client_for(student)
    assert client.post(f"{ACTIVITIES}{catalogue['tag'].pk}/duplicate/", {}, format="json").status_code == 403
    assert client.post(ACTIVITIES, {"name": "x"}, format="json").status_code == 403


def _payload(**overrides):
    data = {
        "name": "Cone Relay",
        "description": "Teams race around cones.",
        "category": "fitness",
        "grade_bands": ["3_5", "6_8"],
        "instructions": "Run, tag, sit.",
        "equipment": ["cones"],
        "skills": ["running"],
        "fitness_components": ["aerobic", "speed"],
        "modifications": [{"kind": "space", "easier": "Shorter lane.", "harder": "Longer lane."}],
        "difficulty": 2,
        "min_group_size": 4,
        "max_group_size": 24,
        "duration_minutes": 12,
    }
    data.update(overrides)
    return data


def test_create_update_delete_own_activity(gear, teacher, department_head, school, client_for):
    load_library()
    client = client_for(teacher)
    response = client.post(ACTIVITIES, _payload(standards=[1, 2], indicators=["1.5.1"]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "cone-relay" and body["school"] == school.pk
    assert [i["code"] for i in body["indicators"]] == ["1.5.1"]
    assert body["indicators"][0]["is_paraphrase"] is True
    pk = body["id"]
    response = client.patch(f"{ACTIVITIES}{pk}/", {"duration_minutes": 20, "equipment": []}, format="json")
    assert response.status_code == 200 and response.json()["duration_minutes"] == 20
    assert response.json()["equipment"] == []
    update = AuditEvent.objects.get(action="library.activity_updated")
    assert update.changes["duration_minutes"] == {"before": 12, "after": 20}
    assert client.delete(f"{ACTIVITIES}{pk}/").status_code == 403  # teachers do not delete
    assert client_for(department_head).delete(f"{ACTIVITIES}{pk}/").status_code == 204
    assert not Activity.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="library.activity_deleted", target_id=str(pk)).exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"min_group_size": 30, "max_group_size": 4}, "min_group_size"),
        ({"grade_bands": []}, "grade_bands"),
        ({"modifications": [{"kind": "magic", "easier": "a", "harder": "b"}]}, "modifications"),
        ({"equipment": ["spaceship"]}, "equipment"),
        # NUL cannot be compared with text in PostgreSQL: refused before the lookup, not a 500
        ({"equipment": ["cones\x00"]}, "equipment"),
        ({"indicators": ["1.5\x00.1"], "standards": [1]}, "indicators"),
        ({"equipment": [7]}, "equipment"),
        ({"difficulty": 6}, "difficulty"),
        ({"school_id": 3}, "school_id"),
        ({"name": 5}, "name"),
        ({"indicators": ["3.8.1"], "standards": [1]}, "indicators"),
    ],
)
def test_bad_activity_payloads_are_a_400_naming_the_field(gear, teacher, client_for, overrides, field):
    load_library()
    error = _error(client_for(teacher).post(ACTIVITIES, _payload(**overrides), format="json"), 400)
    assert field in error["fields"], error
    assert not Activity.objects.filter(school__isnull=False).exists()


def test_several_schools_need_a_school_in_the_payload(gear, teacher, other_school, school, client_for):
    MembershipFactory(user=teacher, school=other_school, role=Role.TEACHER)
    response = client_for(teacher).post(ACTIVITIES, _payload(), format="json")
    assert _error(response, 400)["fields"] == {"school": ["You belong to several schools: choose one."]}
    response = client_for(teacher).post(ACTIVITIES, _payload(school=other_school.pk), format="json")
    assert response.status_code == 201 and response.json()["school"] == other_school.pk


def test_anonymous_is_401(api_client):
    for url in (ACTIVITIES, EXERCISES, "/api/v1/physed/standards/", "/api/v1/physed/equipment-types/"):
        assert _error(api_client.get(url), 401)


def test_reference_lists(gear, teacher, client_for):
    load_library()
    client = client_for(teacher)
    standards = client.get("/api/v1/physed/standards/").json()["results"]
    assert [s["number"] for s in standards] == [1, 2, 3, 4]
    assert {i["grade_band"] for i in standards[0]["indicators"]} == {"prek_2", "3_5", "6_8", "9_12"}
    indicators = client.get("/api/v1/physed/indicators/", {"standard__number": 3, "grade_band": "9_12"}).json()
    assert [row["code"] for row in indicators["results"]] == ["3.12.1", "3.12.2"]
    muscles = client.get("/api/v1/physed/muscle-groups/", {"search": "back"}).json()["results"]
    assert [m["slug"] for m in muscles] == ["lower-back", "upper-back"]
    equipment = client.get("/api/v1/physed/equipment-types/", {"slug": "cones"}).json()["results"]
    assert [e["slug"] for e in equipment] == ["cones"]


def test_reference_lists_need_a_library_role(client_for, django_user_model):
    loner = django_user_model.objects.create_user(email="loner@example.org", password="x-Very-long-1")
    assert _error(client_for(loner).get("/api/v1/physed/standards/"), 403)


def test_list_query_count_does_not_grow(catalogue, teacher, client_for, django_assert_max_num_queries):
    client = client_for(teacher)
    client.get(ACTIVITIES)
    for _ in range(20):
        ActivityFactory(equipment=[EquipmentTypeFactory()])
    with django_assert_max_num_queries(8):
        assert len(client.get(ACTIVITIES, {"page_size": 100}).json()["results"]) == 24
