"""Who reads which feedback (assessments §2):

* staff with ``assessments.view_feedback`` in the student's school read all of it;
* the student and their guardians read family-visible feedback about that student;
* everyone reads what they wrote themselves;
* nobody else (another student, another school: nothing).

``teacher_comments`` is the stable contract for the reports area.
"""

import datetime

from django.db.models import Exists, OuterRef, Q

from accounts.selectors import has_school_perm, schools_where
from assessments.models import Feedback, FeedbackKind, FeedbackVisibility
from physed.models import Guardianship

VIEW = "assessments.view_feedback"
ADD = "assessments.add_feedback"


def feedback_for(user):
    if user is None or not user.is_authenticated:
        return Feedback.objects.none()
    guardian_of = Guardianship.objects.filter(guardian=user, student=OuterRef("student"))
    family = Q(visibility=FeedbackVisibility.FAMILY) & (Q(student__user=user) | Exists(guardian_of))
    return (
        Feedback.objects.visible_to(user)
        .filter(Q(student__school__in=schools_where(user, VIEW)) | family | Q(author=user))
        .select_related("student", "author", "skill_assessment__rubric", "session", "test_event")
    )


def thread_for(user, student):
    """The feedback about ``student`` that ``user`` may read, newest first."""
    return feedback_for(user).filter(student=student).order_by("-created_at", "-pk")


def is_staff_reader(user, student) -> bool:
    return has_school_perm(user, VIEW, student.school_id)


def teacher_comments(student, *, start: datetime.date, end: datetime.date) -> list[Feedback]:
    """Family-visible teacher comments about ``student`` written in [start, end], oldest first."""
    return list(
        Feedback.objects.filter(
            student=student,
            kind=FeedbackKind.TEACHER_COMMENT,
            visibility=FeedbackVisibility.FAMILY,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .select_related("author", "skill_assessment__rubric", "session", "test_event")
        .order_by("created_at", "pk")
    )
