"""Demo data: rubrics and skill assessments. Per demo school three rubrics aligned to SHAPE
America 2024 grade-span indicators (overhand throw, dribbling while moving, cooperative play), two
of them shared as school templates and one with peer assessment on; teacher scores for the
students of up to four classes (deterministic), a self-assessment by the demo student (Sky) and a
peer assessment of Sky by a classmate. Written through the services. Idempotent: a school that
already has a demo rubric (title from ``RUBRICS``) is left alone."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments.models import Rubric
from assessments.services import rubrics as services
from physed.demo_scale import base_only
from physed.models import Enrollment, EnrollmentStatus, GradeSpanIndicator, PEClass, Student

LEVELS = [{"name": "Beginning", "points": 1}, {"name": "Developing", "points": 2}, {"name": "Proficient", "points": 3}]

RUBRICS = [
    {
        "title": "Overhand throw",
        "shared": True,
        "peer_mode": True,
        "indicators": ["1.2.2", "1.8.1"],
        "criteria": [
            ("Side to target", 1, ["Faces the target", "Turns partly", "Side fully to the target"]),
            (
                "Step with the opposite foot",
                2,
                ["Same-side or no step", "Steps, sometimes opposite", "Long opposite-foot step"],
            ),
            (
                "Arm back and follow-through",
                1,
                ["Pushes from the ear", "Arm back, short finish", "Arm back, follows across the body"],
            ),
        ],
    },
    {
        "title": "Dribbling while moving",
        "shared": True,
        "peer_mode": False,
        "indicators": ["1.5.1", "2.5.1"],
        "criteria": [
            (
                "Fingertip control",
                2,
                ["Slaps the ball", "Fingertips, loses control", "Fingertips, ball at waist height"],
            ),
            ("Eyes up", 1, ["Watches the ball", "Looks up at times", "Looks up while moving"]),
            (
                "Changes of pace and direction",
                1,
                ["Stops to turn", "Slow changes", "Changes speed and direction smoothly"],
            ),
        ],
    },
    {
        "title": "Cooperative play",
        "shared": False,
        "peer_mode": False,
        "indicators": ["3.5.1", "3.5.2", "3.8.2"],
        "criteria": [
            ("Shares equipment and space", 1, ["Needs reminders", "Usually shares", "Shares and helps set up"]),
            ("Encourages teammates", 1, ["Rarely", "Sometimes", "Often, by name"]),
            (
                "Includes everyone",
                2,
                ["Plays with friends only", "Includes when asked", "Adapts play so all take part"],
            ),
        ],
    },
]


def seed(context) -> None:
    today = timezone.localdate()
    for slug, school in (context or {}).get("schools", {}).items():
        if Rubric.objects.filter(school=school, title__in=[r["title"] for r in RUBRICS]).exists():
            continue
        head = User.objects.filter(email=f"head@{slug}.demo").first()
        teacher = User.objects.filter(email=f"teacher@{slug}.demo").first() or head
        if head is None:
            continue
        seed_school(
            school,
            head=head,
            teacher=teacher,
            student_user=User.objects.filter(email=f"student@{slug}.demo").first(),
            today=today,
        )


@transaction.atomic
def seed_school(school, *, head, teacher, student_user, today: datetime.date) -> list[Rubric]:
    rng = random.Random(f"demo-rubrics-{school.slug}")  # noqa: S311 - deterministic demo data
    codes = {i.code: i for i in GradeSpanIndicator.objects.all()}
    rubrics = []
    for spec in RUBRICS:
        indicators = [codes[c] for c in spec["indicators"] if c in codes]
        rubric = services.create_rubric(
            actor=head if spec["shared"] else teacher,
            school=school,
            title=spec["title"],
            shared=spec["shared"],
            peer_mode=spec["peer_mode"],
            indicators=indicators,
            standards=sorted({i.standard for i in indicators}, key=lambda s: s.pk),
            criteria=[{"name": n, "weight": w, "descriptors": d} for n, w, d in spec["criteria"]],
            levels=LEVELS,
        )
        rubrics.append(rubric)
    classes = list(base_only(PEClass.objects.filter(school=school)).order_by("name", "pk")[:4])
    for index, pe_class in enumerate(classes):
        rubric = rubrics[index % len(rubrics)]
        criteria = list(rubric.criteria.order_by("position"))
        levels = list(rubric.levels.order_by("position"))
        enrolled = Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE).select_related(
            "student"
        )
        for enrollment in enrolled:
            for weeks_ago in (6, 1):
                growth = 1 if weeks_ago == 1 else 0
                chosen = {
                    c.pk: levels[min(2, rng.choice([0, 1, 1, 2]) + growth * rng.choice([0, 1]))].pk for c in criteria
                }
                services.score_student(
                    actor=teacher,
                    rubric=rubric,
                    student=enrollment.student,
                    levels=chosen,
                    date=today - datetime.timedelta(weeks=weeks_ago),
                    pe_class=pe_class,
                )
    sky = Student.objects.filter(school=school, user=student_user).first() if student_user else None
    if sky is not None:
        sky_classes = set(
            Enrollment.objects.filter(student=sky, status=EnrollmentStatus.ACTIVE).values_list("pe_class_id", flat=True)
        )
        throw = rubrics[0]
        levels = list(throw.levels.order_by("position"))
        services.score_student(
            actor=student_user,
            rubric=throw,
            student=sky,
            mode="self",
            date=today - datetime.timedelta(days=3),
            levels={c.pk: levels[1 + (i % 2)].pk for i, c in enumerate(throw.criteria.order_by("position"))},
            comment="My step is getting longer.",
        )
        classmate_enrollment = (
            Enrollment.objects.filter(
                pe_class_id__in=sky_classes, status=EnrollmentStatus.ACTIVE, student__user__isnull=False
            )
            .exclude(student=sky)
            .select_related("student__user", "pe_class")
            .first()
        )
        if classmate_enrollment is not None:
            services.score_student(
                actor=classmate_enrollment.student.user,
                rubric=throw,
                student=sky,
                mode="peer",
                pe_class=classmate_enrollment.pe_class,
                date=today - datetime.timedelta(days=2),
                levels={c.pk: levels[1].pk for c in throw.criteria.all()},
            )
    return rubrics
