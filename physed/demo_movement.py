"""Demo data: movement. A few analyses for some demo students of each school (the student login's
own record first, so the demo student and guardian see them), from deterministic synthetic
keypoint sequences with typical faults, dated over the last weeks so the score trend shows.
Plans are data (``data/movement/demo.json``). Idempotent: a student who already has demo
analyses is skipped."""

import datetime
import json

from django.utils import timezone

from accounts.models import School, User
from physed.demo_scale import base_only
from physed.models import ClassSession, MovementAnalysis, Student
from physed.movement import synthetic
from physed.movement.data import DATA_DIR
from physed.services.movement import analyse_movement

DEMO_NOTE = "Demo analysis"


def _teacher(school: School):
    return User.objects.filter(email=f"teacher@{school.slug}.demo").first()


def _students(school: School, count: int) -> list[Student]:
    linked = list(Student.objects.filter(school=school, user__isnull=False).order_by("pk")[:1])
    others = base_only(Student.objects.filter(school=school, user__isnull=True)).order_by("external_id", "pk")
    return linked + list(others[: count - len(linked)])


def seed(context) -> None:
    """Called by physed.demo.seed in area order."""
    spec = json.loads((DATA_DIR / "demo.json").read_text(encoding="utf-8"))
    for school in School.objects.filter(slug__in=[*context.get("schools", {})]).order_by("pk"):
        teacher = _teacher(school)
        if teacher is None:
            continue
        for position, student in enumerate(_students(school, spec["students"])):
            if MovementAnalysis.objects.filter(student=student, note=DEMO_NOTE).exists():
                continue
            session = ClassSession.objects.filter(pe_class__enrollments__student=student).order_by("-date").first()
            plan = spec["plans"][position % len(spec["plans"])]
            for number, item in enumerate(plan):
                generated = synthetic.generate(
                    item["movement"],
                    dimensions=item.get("dimensions", 2),
                    view=item.get("view"),
                    faults=item["faults"],
                    asymmetry=item.get("asymmetry", 0.0),
                    reps=6,
                    noise=0.002,
                    seed=student.pk * 10 + number,
                )
                analysis = analyse_movement(
                    actor=teacher,
                    student=student,
                    movement=item["movement"],
                    keypoints=generated.payload,
                    session=session,
                    note=DEMO_NOTE,
                )
                when = timezone.now() - datetime.timedelta(days=item["days_ago"], hours=number)
                MovementAnalysis.objects.filter(pk=analysis.pk).update(created_at=when)
