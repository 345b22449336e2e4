"""Library services, demo data, admin and privacy declarations."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from accounts.models import AuditEvent, Role
from accounts.privacy import registry
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from physed import demo_library
from physed.models import Activity, EquipmentType, Exercise, GradeSpanIndicator, MuscleGroup, PEStandard
from physed.services import library as services
from physed.tests.factories_library import ActivityFactory, ExerciseFactory, PEStandardFactory
from physed.tests.factories_sessions import SessionBlockFactory

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    data = {
        "name": "Line Tag",
        "description": "Tag on the lines only.",
        "category": "cooperative",
        "grade_bands": ["3_5"],
        "instructions": "Stay on the lines.",
    }
    data.update(overrides)
    return data


def test_create_picks_the_only_permitted_school_and_audits(teacher, school):
    activity = services.create_activity(actor=teacher, **_fields())
    assert activity.school == school and activity.slug == "line-tag" and activity.created_by == teacher
    event = AuditEvent.objects.get(action="library.activity_created")
    assert event.school == school and event.changes["after"]["name"] == "Line Tag"
    second = services.create_activity(actor=teacher, **_fields())
    assert second.slug == "line-tag-2"


def test_create_without_any_permitted_school_is_403(student):
    with pytest.raises(ServiceError) as caught:
        services.create_activity(actor=student, **_fields())
    assert caught.value.status == 403


def test_create_in_a_school_without_the_permission_is_403(teacher, other_school):
    with pytest.raises(ServiceError) as caught:
        services.create_activity(actor=teacher, school=other_school, **_fields())
    assert caught.value.status == 403


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"skills": ["a", "a"]}, "skills"),
        ({"skills": "dribbling"}, "skills"),
        ({"teaching_cues": ["x" * 301]}, "teaching_cues"),
        ({"grade_bands": ["k_1"]}, "grade_bands"),
        ({"fitness_components": ["luck"]}, "fitness_components"),
        ({"modifications": [{"kind": "rules", "easier": "", "harder": "b"}]}, "modifications"),
        ({"modifications": "none"}, "modifications"),
        ({"category": "chess"}, "category"),
        ({"description": ""}, "description"),
    ],
)
def test_create_validates_each_field(teacher, overrides, field):
    with pytest.raises(ServiceError) as caught:
        services.create_activity(actor=teacher, **_fields(**overrides))
    assert caught.value.field == field


def test_unknown_fields_are_refused(teacher):
    with pytest.raises(ServiceError, match="cannot be set: school_id"):
        services.create_activity(actor=teacher, school_id=1, **_fields())


def test_update_keeps_indicators_within_the_aligned_standards(teacher):
    one, two = PEStandardFactory(), PEStandardFactory()
    indicator = GradeSpanIndicator.objects.create(
        standard=two, grade_band="3_5", code=f"{two.number}.5.1", description="d", source="s"
    )
    activity = services.create_activity(actor=teacher, standards=[one], **_fields())
    with pytest.raises(ServiceError) as caught:
        services.update_activity(actor=teacher, activity=activity, indicators=[indicator])
    assert caught.value.field == "indicators"
    services.update_activity(actor=teacher, activity=activity, standards=[one, two], indicators=[indicator])
    assert list(activity.indicators.all()) == [indicator]


def test_update_without_changes_writes_no_audit_row(teacher):
    activity = services.create_activity(actor=teacher, **_fields())
    services.update_activity(actor=teacher, activity=activity, name="Line Tag")
    assert not AuditEvent.objects.filter(action="library.activity_updated").exists()


def test_shipped_rows_refuse_update_and_delete():
    shipped = ActivityFactory()
    for call in (
        lambda: services.update_activity(actor=None, activity=shipped, name="x"),
        lambda: services.delete_activity(actor=None, activity=shipped),
    ):
        with pytest.raises(ServiceError) as caught:
            call()
        assert caught.value.status == 403 and caught.value.code == "shipped_read_only"


def test_an_activity_used_in_sessions_cannot_be_deleted(department_head, school):
    block = SessionBlockFactory(session__pe_class__school=school)
    activity = block.activity
    with pytest.raises(ServiceError) as caught:
        services.delete_activity(actor=department_head, activity=activity)
    assert caught.value.code == "in_use" and Activity.objects.filter(pk=activity.pk).exists()


def test_exercise_rules(teacher):
    muscle = MuscleGroup.objects.create(slug="quadriceps", name="Quadriceps")
    with pytest.raises(ServiceError) as caught:
        services.create_exercise(
            actor=teacher,
            name="Squat",
            category="strength",
            instructions="Sit.",
            default_reps=5,
            primary_muscles=[muscle],
            secondary_muscles=[muscle],
        )
    assert caught.value.field == "secondary_muscles"
    exercise = services.create_exercise(
        actor=teacher, name="Squat", category="strength", instructions="Sit.", default_reps=5, primary_muscles=[muscle]
    )
    with pytest.raises(ServiceError):
        services.update_exercise(actor=teacher, exercise=exercise, default_reps=None)
    copy = services.duplicate_exercise(actor=teacher, exercise=exercise)
    assert copy.name == "Squat (copy)" and list(copy.primary_muscles.all()) == [muscle]


def test_duplicating_a_shipped_exercise_keeps_its_slug(teacher, school):
    shipped = ExerciseFactory(slug="plank", name="Plank")
    copy = services.duplicate_exercise(actor=teacher, exercise=shipped)
    assert (copy.school, copy.slug, copy.name) == (school, "plank", "Plank")


def test_demo_seed_is_idempotent(school, other_school):
    make_member(school, Role.TEACHER, email=f"teacher@{school.slug}.demo")
    context = {"schools": {school.slug: school, other_school.slug: other_school}}
    demo_library.seed(context)
    own = Activity.objects.filter(school=school)
    assert own.count() == 2 and Exercise.objects.filter(school=school).count() == 1
    assert own.filter(created_by__email=f"teacher@{school.slug}.demo").count() == 2
    copy = own.exclude(name="Four-corner fitness stations").get()
    source = Activity.objects.get(school=None, slug=copy.slug)
    assert copy.duration_minutes == max(5, source.duration_minutes - 5) and "Northside version" in copy.name
    demo_library.seed(context)
    assert Activity.objects.filter(school=school).count() == 2
    assert Exercise.objects.filter(school=other_school).count() == 1


def test_admin_registers_every_library_model(admin_client):
    for model in (Activity, Exercise, PEStandard, GradeSpanIndicator, EquipmentType, MuscleGroup):
        assert model in site._registry
    ActivityFactory(name="Admin Visible")
    response = admin_client.get(reverse("admin:physed_activity_changelist"), {"source": "shipped"})
    assert response.status_code == 200 and "Admin Visible" in response.content.decode()
    assert admin_client.get(reverse("admin:physed_exercise_changelist"), {"source": "school"}).status_code == 200


def test_privacy_declarations_export_and_erase_the_creator_link(teacher):
    from physed import privacy_library

    privacy_library.register()
    activity = services.create_activity(actor=teacher, **_fields())
    entry = registry.entry_for("physed.Activity")
    rows = list(entry.export_rows(entry.queryset_for(teacher)))
    assert rows == [
        {
            "pk": activity.pk,
            "school_id": activity.school_id,
            "slug": "line-tag",
            "name": "Line Tag",
            "created_at": activity.created_at.isoformat(),
        }
    ]
    assert entry.erase == {"created_by": None}
    assert registry.entry_for("physed.Exercise") is not None
