"""Demo data: goals. Runs before the assessments demo (INSTALLED_APPS order), so no fitness
entries exist yet: baselines are given, and the fitness demo's results then move the goals
(entries → after-entry hook → milestones reached, goals achieved, badges).

Per demo school: a class goal for each active class (PACER class mean +5 laps by the end of the
term), personal goals with milestones for a few students (PACER, curl-ups), the linked demo
student's own goals, and one goal the demo student proposed that waits for approval. Written
through the services (system actor; the proposal as the student), so audit rows and
notifications are real. Idempotent: a school that already has goals is left alone. Metrics not
in the catalogue (e.g. the fitness source is not registered) are skipped.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from physed.demo_scale import SCALED, base_only
from physed.models import Enrollment, EnrollmentStatus, PEClass, Student
from progress import metrics
from progress.models import Goal
from progress.services import goals as services

CLASS_LIMIT = 6
PERSONAL = [
    # (metric key, title, baseline, target, milestones as (share of the way, share of the period))
    ("fitness.pacer_20m", "PACER: 10 more laps", 20, 30, [(0.3, 0.33), (0.6, 0.66)]),
    ("fitness.curl_up", "Curl-ups: 10 more", 15, 25, [(0.5, 0.5)]),
]


def _period(today):
    return today - datetime.timedelta(days=30), today + datetime.timedelta(days=120)


def _milestones(baseline, target, start, deadline, steps):
    span = (deadline - start).days
    return [
        {
            "title": f"Step {index + 1}",
            "target_value": round(baseline + (target - baseline) * share, 0),
            "due_date": start + datetime.timedelta(days=round(span * when)),
        }
        for index, (share, when) in enumerate(steps)
    ]


def _known(school, key) -> bool:
    return metrics.describe(school, key) is not None


def _personal(student, today, *, actor=None):
    start, deadline = _period(today)
    for key, title, baseline, target, steps in PERSONAL:
        if not _known(student.school, key):
            continue
        services.create_goal(
            actor=actor,
            student=student,
            title=title,
            metric_key=key,
            baseline=baseline,
            target=target,
            start_date=start,
            deadline=deadline,
            milestones=_milestones(baseline, target, start, deadline, steps),
        )


@transaction.atomic
def seed_school(school, today) -> None:
    if Goal.objects.filter(school=school).exists():
        return
    start, deadline = _period(today)
    if _known(school, "fitness.pacer_20m"):
        for pe_class in base_only(PEClass.objects.filter(school=school, is_active=True)).order_by("pk")[:CLASS_LIMIT]:
            services.create_goal(
                actor=None,
                pe_class=pe_class,
                title="Class PACER: +5 laps on the class mean",
                metric_key="fitness.pacer_20m",
                baseline=25,
                target=30,
                start_date=start,
                deadline=deadline,
                milestones=_milestones(25, 30, start, deadline, [(0.4, 0.5)]),
            )
    demo_student = Student.objects.filter(school=school, user__isnull=False).order_by("pk").first()
    picked = (
        Enrollment.objects.filter(pe_class__school=school, status=EnrollmentStatus.ACTIVE)
        .exclude(student=demo_student)
        .exclude(student__external_id__contains=SCALED)
        .order_by("student__external_id", "pk")
        .values_list("student_id", flat=True)
    )
    seen = []
    for student_id in picked:
        if student_id not in seen:
            seen.append(student_id)
        if len(seen) == 4:
            break
    for student in Student.objects.filter(pk__in=seen).select_related("school"):
        _personal(student, today)
    if demo_student is not None:
        _personal(demo_student, today)
        if _known(school, "fitness.push_up_90"):
            services.create_goal(
                actor=demo_student.user,
                student=demo_student,
                title="20 push-ups before summer",
                metric_key="fitness.push_up_90",
                baseline=10,
                target=20,
                start_date=today,
                deadline=today + datetime.timedelta(days=90),
                note="I want to get stronger for the climbing club.",
            )


def seed(context) -> None:
    today = timezone.localdate()
    for school in (context.get("schools") or {}).values():
        seed_school(school, today)
