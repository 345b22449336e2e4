"""Demo data: library. Loads the shipped library, then gives each demo school a few items of its
own (a customised copy of a shipped activity, one activity and one exercise written for the
school) through the same services teachers use. Idempotent: an item the school already has is
left as it is."""

from accounts.models import School, User
from physed.models import Activity, EquipmentType, Exercise, MuscleGroup, PEStandard
from physed.services import library as services
from physed.services.library_data import load_library

# shipped activities we would like to show a customised copy of, first one found wins
PREFERRED_COPIES = ["ultimate-flying-disc", "capture-the-flag", "pickleball", "fitness-circuit-stations"]


def _teacher(school: School):
    return User.objects.filter(email=f"teacher@{school.slug}.demo").first()


def _customised_copy(school: School, author) -> None:
    shipped = Activity.objects.shipped()
    source = next((a for slug in PREFERRED_COPIES if (a := shipped.filter(slug=slug).first())), None)
    source = source or shipped.order_by("name").first()
    if source is None or Activity.objects.filter(school=school, slug=source.slug).exists():
        return
    copy = services.duplicate_activity(actor=None, activity=source, school=school)
    services.update_activity(
        actor=None,
        activity=copy,
        name=f"{source.name} ({school.name.split()[0]} version)"[:120],
        duration_minutes=max(5, source.duration_minutes - 5),
        teaching_cues=[*source.teaching_cues, "Use the painted court lines as boundaries to save set-up time."][:40],
    )
    Activity.objects.filter(pk=copy.pk).update(created_by=author)


def _own_activity(school: School, author) -> None:
    name = "Four-corner fitness stations"
    if Activity.objects.filter(school=school, name=name).exists():
        return
    equipment = EquipmentType.objects.filter(slug__in=["cones", "jump-rope", "gym-mat", "music-player"])
    activity = services.create_activity(
        actor=None,
        school=school,
        name=name,
        description="Small groups rotate through four fitness stations in the corners of the gym, one minute each, "
        "with a walking lap between rounds.",
        category="fitness",
        skills=["jumping rope", "squatting", "planking", "pacing"],
        fitness_components=["aerobic", "muscular_endurance"],
        difficulty=2,
        min_group_size=8,
        max_group_size=32,
        duration_minutes=20,
        space="gym",
        intensity="vigorous",
        contact_level="none",
        risk_level=1,
        grade_bands=["6_8", "9_12"],
        instructions="1. Set a cone and a station card in each corner: rope jumps, squats, plank, jumping jacks.\n"
        "2. Split the class into four groups, one per corner.\n"
        "3. Work for 60 seconds when the music plays; walk clockwise to the next corner when it stops.\n"
        "4. After four stations, walk one lap and start the next round.",
        teaching_cues=["Quality before speed.", "Breathe out on the effort.", "Walk, don't run, between stations."],
        modifications=[
            {"kind": "duration", "easier": "40 seconds of work.", "harder": "75 seconds of work."},
            {"kind": "intensity", "easier": "Step-jacks and wall push-ups.", "harder": "Squat jumps and push-ups."},
        ],
        progressions=["One round with demonstrations.", "Two rounds.", "Students design a fifth station."],
        equipment=list(equipment),
        standards=list(PEStandard.objects.filter(number__in=[2, 4])),
    )
    Activity.objects.filter(pk=activity.pk).update(created_by=author)


def _own_exercise(school: School, author) -> None:
    name = "Partner wall-sit pass"
    if Exercise.objects.filter(school=school, name=name).exists():
        return
    muscles = {m.slug: m for m in MuscleGroup.objects.filter(slug__in=["quadriceps", "glutes", "shoulders"])}
    if len(muscles) < 3:
        return
    exercise = services.create_exercise(
        actor=None,
        school=school,
        name=name,
        category="strength",
        difficulty=2,
        fitness_components=["muscular_endurance", "coordination"],
        instructions="1. Two partners hold a wall sit side by side.\n"
        "2. Pass a soft ball back and forth at chest height.\n"
        "3. Count passes until one partner has to stand.",
        default_sets=2,
        default_duration_seconds=30,
        contraindications=["recent knee injury or knee surgery"],
        primary_muscles=[muscles["quadriceps"]],
        secondary_muscles=[muscles["glutes"], muscles["shoulders"]],
        equipment=list(EquipmentType.objects.filter(slug="foam-ball")),
    )
    Exercise.objects.filter(pk=exercise.pk).update(created_by=author)


def seed(context) -> None:
    """Called by physed.demo.seed in area order."""
    load_library()
    schools = (context or {}).get("schools") or {school.slug: school for school in School.objects.all()}
    for school in schools.values():
        author = _teacher(school)
        _customised_copy(school, author)
        _own_activity(school, author)
        _own_exercise(school, author)
