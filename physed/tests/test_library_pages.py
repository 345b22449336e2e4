"""Library pages: browse with filters, detail, and a school's own items through create, edit,
duplicate and delete (with confirmation)."""

import re

import pytest
from django.urls import reverse

from physed.models import Activity, Exercise
from physed.services.library_data import load_library
from physed.tests.factories_library import ActivityFactory, EquipmentTypeFactory, ExerciseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    load_library()


def _page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _card_names(html):
    return re.findall(r'<h2><a href="/library/[a-z]+/\d+/">([^<]+)</a></h2>', html)


def test_activity_library_lists_filters_and_paginates(library, client, teacher):
    html = _page(client, teacher, reverse("activity-list"))
    assert "Activity library" in html and len(_card_names(html)) == 24
    assert 'rel="next"' in html
    total = Activity.objects.shipped().count()
    assert f"{total} activities" in html
    html = _page(client, teacher, reverse("activity-list"), category="aquatics", ordering="-difficulty", page=1)
    expected = list(
        Activity.objects.shipped()
        .filter(category="aquatics")
        .order_by("-difficulty", "name")
        .values_list("name", flat=True)
    )
    assert _card_names(html) == [name.replace("'", "&#x27;") for name in expected][:24]
    assert expected


def test_equipment_checkboxes_keep_their_state_in_pagination_links(library, client, teacher):
    html = _page(client, teacher, reverse("activity-list") + "?have=cones&have=pinnies&have=playground-ball")
    assert 'id="have-cones" checked' in html
    for name in _card_names(html):
        activity = Activity.objects.get(name=name.replace("&#x27;", "'"), school=None)
        assert set(activity.equipment.values_list("slug", flat=True)) <= {"cones", "pinnies", "playground-ball"}
    if 'rel="next"' in html:
        assert "have=cones&amp;have=pinnies" in html


def test_bad_filter_shows_the_error_not_a_crash(library, client, teacher):
    html = _page(client, teacher, reverse("activity-list"), difficulty_min=9)
    assert "errorlist" in html


def test_empty_result_says_so(library, client, student):
    html = _page(client, student, reverse("activity-list"), search="zzzz-nothing")
    assert "No activity matches these filters" in html
    assert "Add an activity" not in html  # students browse only


def test_activity_detail_shows_cues_modifications_and_standards(library, client, student):
    activity = Activity.objects.shipped().exclude(modifications=[]).exclude(teaching_cues=[]).first()
    activity.indicators.set(activity.indicators.none())
    html = _page(client, student, reverse("activity-detail", args=[activity.pk]))
    assert activity.teaching_cues[0].replace("'", "&#x27;") in html
    assert activity.modifications[0]["easier"].replace("'", "&#x27;").replace('"', "&quot;") in html
    assert "Standards alignment" in html
    assert "Copy into my school" not in html  # a student cannot add
    standard = activity.standards.first()
    if standard:
        assert f"SHAPE America Standard {standard.number}" in html


def test_detail_lists_indicator_codes_with_the_paraphrase_note(library, client, teacher):
    activity = Activity.objects.shipped().first()
    standard = activity.standards.first() or activity.standards.model.objects.get(number=1)
    activity.standards.add(standard)
    indicator = standard.indicators.first()
    activity.indicators.add(indicator)
    html = _page(client, teacher, reverse("activity-detail", args=[activity.pk]))
    assert f'<span class="tag">{indicator.code}</span>' in html
    assert "our paraphrase" in html and "official text" in html
    assert "Copy into my school to customise" in html and "Edit</a>" not in html


def test_other_schools_item_is_404_on_every_page(client, teacher, other_school):
    theirs = ActivityFactory(school=other_school)
    client.force_login(teacher)
    for name in ("activity-detail", "activity-edit", "activity-delete"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("activity-duplicate", args=[theirs.pk])).status_code == 404


def test_create_edit_and_delete_an_own_activity(library, client, teacher, department_head, school):
    client.force_login(teacher)
    assert client.get(reverse("activity-create")).status_code == 200
    data = {
        "name": "Noodle Tag",
        "description": "Tag with pool noodles.",
        "category": "cooperative",
        "grade_bands": ["3_5"],
        "difficulty": "2",
        "duration_minutes": "10",
        "min_group_size": "6",
        "max_group_size": "30",
        "space": "gym",
        "intensity": "vigorous",
        "contact_level": "limited",
        "risk_level": "2",
        "skills": "dodging\nfleeing\n",
        "equipment": ["pool-noodle", "cones"],
        "standards": ["1"],
        "indicators": ["1.5.1"],
        "instructions": "Taggers hold noodles.",
        "teaching_cues": "Tag below the shoulders",
        "progressions": "",
        "mod_space_easier": "Smaller area.",
        "mod_space_harder": "Bigger area.",
    }
    response = client.post(reverse("activity-create"), data)
    activity = Activity.objects.get(school=school, name="Noodle Tag")
    assert response.status_code == 302 and response["Location"] == reverse("activity-detail", args=[activity.pk])
    assert activity.skills == ["dodging", "fleeing"] and activity.created_by == teacher
    assert activity.modifications == [{"kind": "space", "easier": "Smaller area.", "harder": "Bigger area."}]
    assert sorted(activity.equipment.values_list("slug", flat=True)) == ["cones", "pool-noodle"]
    html = client.get(reverse("activity-edit", args=[activity.pk])).content.decode()
    assert "Smaller area." in html and "dodging\nfleeing" in html
    response = client.post(
        reverse("activity-edit", args=[activity.pk]), {**data, "duration_minutes": "15", "mod_space_harder": ""}
    )
    assert (
        response.status_code == 200 and "Describe both the easier and the harder version." in response.content.decode()
    )
    response = client.post(reverse("activity-edit", args=[activity.pk]), {**data, "max_group_size": "3"})
    assert "The smallest group cannot be larger than the largest." in response.content.decode()
    client.post(reverse("activity-edit", args=[activity.pk]), {**data, "duration_minutes": "15"})
    activity.refresh_from_db()
    assert activity.duration_minutes == 15
    assert client.get(reverse("activity-delete", args=[activity.pk])).status_code == 403  # teachers do not delete
    client.force_login(department_head)
    confirm = client.get(reverse("activity-delete", args=[activity.pk]))
    assert confirm.status_code == 200 and "Noodle Tag" in confirm.content.decode()
    assert client.post(reverse("activity-delete", args=[activity.pk]), {}).status_code == 400  # not confirmed
    response = client.post(reverse("activity-delete", args=[activity.pk]), {"confirm": "on"})
    assert response.status_code == 302 and not Activity.objects.filter(pk=activity.pk).exists()


def test_duplicate_a_shipped_activity_then_edit_the_copy(library, client, teacher, school):
    source = Activity.objects.shipped().first()
    client.force_login(teacher)
    assert client.get(reverse("activity-duplicate", args=[source.pk])).status_code == 405
    response = client.post(reverse("activity-duplicate", args=[source.pk]))
    copy = Activity.objects.get(school=school, slug=source.slug)
    assert response.status_code == 302 and response["Location"] == reverse("activity-edit", args=[copy.pk])
    edit = client.get(response["Location"]).content.decode()
    assert "Copied into Northside Middle School" in edit
    if source.modifications:
        assert source.modifications[0]["easier"][:20].replace("'", "&#x27;") in edit


def test_shipped_items_cannot_be_edited_or_deleted_on_pages(library, client, school_admin):
    source = Activity.objects.shipped().first()
    client.force_login(school_admin)
    for name in ("activity-edit", "activity-delete"):
        response = client.get(reverse(name, args=[source.pk]), follow=True)
        assert "The shipped library is read-only" in response.content.decode()


def test_guardian_cannot_open_the_create_page(client, guardian):
    client.force_login(guardian)
    assert client.get(reverse("activity-create")).status_code == 403
    assert client.get(reverse("activity-list")).status_code == 200


def test_user_without_a_school_is_refused(client, django_user_model):
    loner = django_user_model.objects.create_user(email="loner@example.org", password="x-Very-long-1")
    client.force_login(loner)
    assert client.get(reverse("activity-list")).status_code == 403
    assert client.get(reverse("activity-list"), follow=False).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("exercise-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_exercise_library_filters_and_detail(library, client, assistant):
    html = _page(client, assistant, reverse("exercise-list"), muscle="triceps", category="strength")
    expected = set(
        Exercise.objects.shipped()
        .filter(category="strength", primary_muscles__slug="triceps")
        .values_list("name", flat=True)
    ) | set(
        Exercise.objects.shipped()
        .filter(category="strength", secondary_muscles__slug="triceps")
        .values_list("name", flat=True)
    )
    assert set(_card_names(html)) == expected and expected
    squat = Exercise.objects.get(slug="squat", school=None)
    html = _page(client, assistant, reverse("exercise-detail", args=[squat.pk]))
    assert "Quadriceps" in html and "recent knee injury or knee surgery" in html
    assert "1. Stand with feet about shoulder-width apart" in html


def test_create_duplicate_and_delete_an_own_exercise(library, client, department_head, school):
    client.force_login(department_head)
    data = {
        "name": "Towel Row",
        "category": "strength",
        "difficulty": "2",
        "primary_muscles": ["upper-back"],
        "secondary_muscles": ["biceps"],
        "fitness_components": ["muscular_strength"],
        "instructions": "1. Pull the towel.",
        "default_sets": "3",
        "default_reps": "10",
        "contraindications": "recent shoulder injury",
        "media_links": "not a link",
    }
    response = client.post(reverse("exercise-create"), data)
    assert "Not a web address: not a link" in response.content.decode()
    response = client.post(reverse("exercise-create"), {**data, "media_links": ""})
    exercise = Exercise.objects.get(school=school, name="Towel Row")
    assert response.status_code == 302 and exercise.contraindications == ["recent shoulder injury"]
    assert client.get(reverse("exercise-edit", args=[exercise.pk])).status_code == 200
    client.post(reverse("exercise-edit", args=[exercise.pk]), {**data, "media_links": "", "default_reps": "12"})
    exercise.refresh_from_db()
    assert exercise.default_reps == 12
    copy = client.post(reverse("exercise-duplicate", args=[exercise.pk]))
    assert Exercise.objects.filter(school=school, name="Towel Row (copy)").exists() and copy.status_code == 302
    html = _page(client, department_head, reverse("exercise-detail", args=[exercise.pk]))
    assert "Edit</a>" in html and "Delete</a>" in html and ">Duplicate<" in html
    response = client.post(reverse("exercise-delete", args=[exercise.pk]), {"confirm": "on"})
    assert response.status_code == 302 and not Exercise.objects.filter(pk=exercise.pk).exists()


def test_equipment_filter_on_exercise_page(client, teacher):
    cones = EquipmentTypeFactory(slug="cones", name="Cones")
    ExerciseFactory(name="Cone Drill", equipment=[cones])
    ExerciseFactory(name="Floor Drill")
    html = _page(client, teacher, reverse("exercise-list"), equipment="cones")
    assert _card_names(html) == ["Cone Drill"]
    html = _page(client, teacher, reverse("exercise-list"), needs_no_equipment="true")
    assert _card_names(html) == ["Floor Drill"]
