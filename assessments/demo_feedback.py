"""Demo data: feedback for the demo student (Sky): two family-visible teacher comments (one on
the latest skill assessment), a staff-only note, Sky's reflection and a guardian comment — through
the services (guardians get their notification). Idempotent: skipped when Sky has feedback."""

from django.db import transaction

from accounts.models import User
from assessments.models import Feedback, SkillAssessment
from assessments.services import feedback as services
from physed.models import Guardianship, Student


def seed(context) -> None:
    for slug, school in (context or {}).get("schools", {}).items():
        student_user = User.objects.filter(email=f"student@{slug}.demo").first()
        teacher = (
            User.objects.filter(email=f"teacher@{slug}.demo").first()
            or User.objects.filter(email=f"head@{slug}.demo").first()
        )
        sky = Student.objects.filter(school=school, user=student_user).first() if student_user else None
        if sky is None or teacher is None or Feedback.objects.filter(student=sky).exists():
            continue
        seed_student(sky, teacher=teacher)


@transaction.atomic
def seed_student(sky, *, teacher) -> None:
    latest = SkillAssessment.objects.filter(student=sky, mode="teacher").order_by("-date", "-pk").first()
    services.add_feedback(
        actor=teacher,
        student=sky,
        kind="teacher_comment",
        visibility="family",
        skill_assessment=latest,
        body="Your opposite-foot step is much longer than in September. Next: keep your side to the target.",
    )
    services.add_feedback(
        actor=teacher,
        student=sky,
        kind="teacher_comment",
        visibility="family",
        body="Great encouragement of your team during the relay today.",
    )
    services.add_feedback(
        actor=teacher,
        student=sky,
        kind="teacher_comment",
        visibility="staff",
        body="Pair with a confident thrower next unit; check in about the knee after long runs.",
    )
    services.add_feedback(
        actor=sky.user,
        student=sky,
        kind="student_reflection",
        body="I practised throwing at home against the wall. It feels easier to step with my left foot now.",
    )
    link = Guardianship.objects.filter(student=sky, guardian__isnull=False).select_related("guardian").first()
    if link is not None:
        services.add_feedback(
            actor=link.guardian,
            student=sky,
            kind="guardian_comment",
            body="Thank you! Sky talks about PE every evening.",
        )
