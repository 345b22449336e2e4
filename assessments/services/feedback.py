"""Writes for feedback: teacher comments, student reflections, guardian comments.

Kind rules: a ``teacher_comment`` needs ``assessments.add_feedback`` in the student's school and
may be staff-only or family-visible; a ``student_reflection`` is written by the student on their
own record and a ``guardian_comment`` by one of the student's guardians — both are always
family-visible (staff read everything). Links (skill assessment, session, test event) must be about
the same student / of their school. The author edits or deletes their own feedback within
``FEEDBACK_EDIT_HOURS`` (24 h, our own default); staff with ``add_feedback`` may delete any
feedback in their school (moderation). A new family-visible teacher comment notifies the student's
guardians.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from assessments.models import Feedback, FeedbackKind, FeedbackVisibility
from assessments.notifications_feedback import FEEDBACK_FOR_FAMILY
from assessments.selectors.feedback import ADD
from physed.models import Enrollment, Guardianship

FEEDBACK_EDIT_HOURS = 24
MAX_BODY = 4000


def _denied(message=None):
    return ServiceError(message or _("You do not have permission to do this."), code="permission_denied", status=403)


def _check_links(student, *, skill_assessment=None, session=None, test_event=None):
    if skill_assessment is not None and skill_assessment.student_id != student.pk:
        raise ServiceError(_("The skill assessment is about another student."), field="skill_assessment")
    for field, link in (("session", session), ("test_event", test_event)):
        if link is None:
            continue
        if (
            link.pe_class.school_id != student.school_id
            or not Enrollment.objects.filter(pe_class_id=link.pe_class_id, student=student).exists()
        ):
            raise ServiceError(_("The student is not in that class."), field=field)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write a comment."), field="body")
    if len(body) > MAX_BODY:
        raise ServiceError(_("Keep it under %(n)d characters.") % {"n": MAX_BODY}, field="body")
    return body


@transaction.atomic
def add_feedback(
    *,
    actor,
    student,
    kind: str,
    body: str,
    visibility: str = FeedbackVisibility.FAMILY,
    skill_assessment=None,
    session=None,
    test_event=None,
) -> Feedback:
    if kind not in FeedbackKind.values:
        raise ServiceError(_("Choose a kind of feedback."), field="kind")
    if visibility not in FeedbackVisibility.values:
        raise ServiceError(_("Choose who can read it."), field="visibility")
    if kind == FeedbackKind.TEACHER_COMMENT:
        if actor is not None and not has_school_perm(actor, ADD, student.school_id):
            raise _denied()
    elif kind == FeedbackKind.STUDENT_REFLECTION:
        if actor is not None and student.user_id != actor.pk:
            raise _denied(_("Students write reflections on their own record."))
        visibility = FeedbackVisibility.FAMILY
    else:
        if actor is not None and not Guardianship.objects.filter(student=student, guardian=actor).exists():
            raise _denied(_("Guardians comment on their own child's record."))
        visibility = FeedbackVisibility.FAMILY
    body = _clean_body(body)
    _check_links(student, skill_assessment=skill_assessment, session=session, test_event=test_event)
    feedback = Feedback.objects.create(
        student=student,
        kind=kind,
        visibility=visibility,
        author=actor,
        body=body,
        skill_assessment=skill_assessment,
        session=session,
        test_event=test_event,
    )
    record_event(
        "assessments.feedback_added",
        actor=actor,
        school=student.school,
        target=feedback,
        changes={"kind": ["", kind], "visibility": ["", visibility]},
        target_label=str(student),
    )
    if kind == FeedbackKind.TEACHER_COMMENT and visibility == FeedbackVisibility.FAMILY:
        transaction.on_commit(lambda: _notify_guardians(feedback))
    return feedback


def _notify_guardians(feedback) -> None:
    student = feedback.student
    url = reverse("assessments-student-skills", kwargs={"pk": student.pk})
    for link in Guardianship.objects.filter(student=student).select_related("guardian"):
        if link.guardian_id == feedback.author_id:
            continue
        notify(
            link.guardian,
            FEEDBACK_FOR_FAMILY,
            _("New comment about %(name)s") % {"name": student.first_name},
            feedback.body[:300],
            url,
        )


def can_modify(actor, feedback) -> bool:
    """The author within the edit window."""
    if actor is None:
        return True
    if feedback.author_id != actor.pk:
        return False
    return timezone.now() - feedback.created_at <= datetime.timedelta(hours=FEEDBACK_EDIT_HOURS)


@transaction.atomic
def update_feedback(*, actor, feedback: Feedback, body=None, visibility=None) -> Feedback:
    if not can_modify(actor, feedback):
        raise _denied(_("Only the author can edit feedback, within %(h)d hours.") % {"h": FEEDBACK_EDIT_HOURS})
    changes = {}
    if body is not None:
        body = _clean_body(body)
        if body != feedback.body:
            changes["body"] = ["", "edited"]
            feedback.body = body
    if visibility is not None and feedback.kind == FeedbackKind.TEACHER_COMMENT:
        if visibility not in FeedbackVisibility.values:
            raise ServiceError(_("Choose who can read it."), field="visibility")
        if visibility != feedback.visibility:
            changes["visibility"] = [feedback.visibility, visibility]
            feedback.visibility = visibility
    feedback.save()
    record_event(
        "assessments.feedback_edited",
        actor=actor,
        school=feedback.student.school,
        target=feedback,
        changes=changes,
        target_label=str(feedback.student),
    )
    return feedback


@transaction.atomic
def delete_feedback(*, actor, feedback: Feedback) -> None:
    moderator = actor is not None and has_school_perm(actor, ADD, feedback.student.school_id)
    if not (can_modify(actor, feedback) or moderator):
        raise _denied(_("Only the author can delete feedback, within %(h)d hours.") % {"h": FEEDBACK_EDIT_HOURS})
    record_event(
        "assessments.feedback_deleted",
        actor=actor,
        school=feedback.student.school,
        target=feedback,
        target_label=str(feedback.student),
    )
    feedback.delete()
