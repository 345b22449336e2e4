"""Personal-data declarations: feedback.

``Feedback`` is about a student and written by a teacher, the student or a guardian. Exported with
the student's account (everything about them) and with its author's account. On erasure of the
student everything about them is deleted; on erasure of an author, their own reflections and
guardian comments are deleted and teacher comments stay (part of the student's record) without
the author link.
"""

from django.db.models import Q

from accounts.privacy import registry


def _rows(user):
    from assessments.models import Feedback

    return Feedback._base_manager.filter(Q(student__user_id=user.pk) | Q(author_id=user.pk))


def _erase(queryset, user):
    from assessments.models import Feedback, FeedbackKind

    authored = Feedback._base_manager.filter(author_id=user.pk).exclude(student__user_id=user.pk)
    authored.filter(kind=FeedbackKind.TEACHER_COMMENT).update(author=None)
    count, _detail = Feedback._base_manager.filter(
        Q(student__user_id=user.pk) | (Q(author_id=user.pk) & ~Q(kind=FeedbackKind.TEACHER_COMMENT))
    ).delete()
    return registry.DELETE, count


def register() -> None:
    from assessments.models import Feedback

    registry.register(Feedback, category="feedback", rows=_rows, erase=_erase, school_path="student__school")
