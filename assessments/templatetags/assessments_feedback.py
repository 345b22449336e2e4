"""``{% student_feedback student %}``: the feedback thread about a student that the request user
may read, with the forms they may use (teacher comment, reflection, guardian comment). Renders
nothing for a user who may read none of it."""

from django import template

from assessments.forms_feedback import FeedbackForm
from assessments.models import FeedbackKind
from assessments.selectors import feedback as sel
from assessments.services.feedback import can_modify
from physed.models import Guardianship

register = template.Library()


@register.inclusion_tag("assessments/feedback/_thread.html", takes_context=True)
def student_feedback(context, student, skill_assessment=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    rows = sel.thread_for(user, student)
    if skill_assessment is not None:
        rows = rows.filter(skill_assessment=skill_assessment)
    rows = list(rows[:50])
    staff = sel.is_staff_reader(user, student)
    kinds = []
    from accounts.selectors import has_school_perm

    if has_school_perm(user, sel.ADD, student.school_id):
        kinds.append(FeedbackKind.TEACHER_COMMENT)
    if student.user_id == user.pk:
        kinds.append(FeedbackKind.STUDENT_REFLECTION)
    if Guardianship.objects.filter(student=student, guardian=user).exists():
        kinds.append(FeedbackKind.GUARDIAN_COMMENT)
    if not rows and not kinds and not staff:
        return {"show": False}
    forms = [
        {
            "kind": kind,
            "label": FeedbackKind(kind).label,
            "form": FeedbackForm(
                initial={"kind": kind, "skill_assessment": skill_assessment.pk if skill_assessment else None},
                auto_id=f"fb_{kind}_%s",
            ),
            "teacher": kind == FeedbackKind.TEACHER_COMMENT,
        }
        for kind in kinds
    ]
    return {
        "show": True,
        "student": student,
        "rows": [{"item": item, "can_delete": can_modify(user, item) or bool(kinds and staff)} for item in rows],
        "forms": forms,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
