"""Feedback pages: add a teacher comment, a student reflection or a guardian comment from a
student's page (the thread itself is the ``{% student_feedback student %}`` tag), and delete one's
own feedback with confirmation. Same selectors and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import render_confirm
from accounts.services.errors import ServiceError
from assessments.forms_feedback import FeedbackForm
from assessments.selectors import feedback as sel
from assessments.selectors import rubrics as rubric_sel
from assessments.services import feedback as services
from physed.models import Student


def _back(request, student):
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("assessments-student-skills", kwargs={"pk": student.pk})


@login_required
@require_POST
def feedback_add(request, pk):
    student = get_object_or_404(Student.objects.visible_to(request.user), pk=pk)
    if not rubric_sel.can_view_student_skills(request.user, student) and not sel.is_staff_reader(request.user, student):
        raise Http404
    form = FeedbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        assessment = None
        if data.get("skill_assessment"):
            assessment = rubric_sel.assessments_for(request.user).filter(pk=data["skill_assessment"]).first()
            if assessment is None:
                raise Http404
        try:
            services.add_feedback(
                actor=request.user,
                student=student,
                kind=data["kind"],
                body=data["body"],
                visibility=data["visibility"],
                skill_assessment=assessment,
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Feedback saved."))
    else:
        messages.error(request, _("Write a comment."))
    return redirect(_back(request, student))


@login_required
def feedback_delete(request, pk):
    item = get_object_or_404(sel.feedback_for(request.user), pk=pk)
    back = reverse("assessments-student-skills", kwargs={"pk": item.student_id})
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            services.delete_feedback(actor=request.user, feedback=item)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Feedback deleted."))
        return redirect(back)
    return render_confirm(
        request,
        title=_("Delete feedback"),
        question=_("Delete this comment? This cannot be undone."),
        details=[(_("Comment"), item.body[:200])],
        action_label=_("Delete"),
        cancel_url=back,
    )
