"""Pages: risk assessments (list with filters and badges, detail with the 5 × 5 matrix, create and
edit with hazard rows, workflow steps behind a confirmation, a printable page) and the school's
risk bands. Same visibility path and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import allowed_on_object
from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from accounts.services_session import current_school
from safety.engines import risk_matrix
from safety.forms_risk import (
    AssessmentForm,
    BandFormSet,
    ConfirmForm,
    FilterForm,
    HazardFormSet,
    NoteForm,
    ReturnForm,
    band_rows,
    hazard_rows,
)
from safety.models import RiskAssessment, RiskAssessmentStatus
from safety.selectors import risk as selectors
from safety.services import risk as services
from safety.services import risk_data

VIEW, ADD, CHANGE, DELETE, APPROVE = (
    selectors.VIEW,
    selectors.ADD,
    selectors.CHANGE,
    selectors.DELETE,
    selectors.APPROVE,
)
PAGE_SIZE = 20


def _school_with(request, perm: str):
    school = current_school(request)
    if school is None or not has_school_perm(request.user, perm, school.pk):
        raise PermissionDenied
    return school


def _assessment(request, pk: int, perm: str) -> RiskAssessment:
    queryset = selectors.list_queryset(RiskAssessment.objects.visible_to(request.user))
    assessment = get_object_or_404(queryset, pk=pk)
    if not allowed_on_object(request.user, perm, assessment):
        raise PermissionDenied
    return assessment


def _error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def assessment_list(request):
    school = _school_with(request, VIEW)
    base = selectors.list_queryset(RiskAssessment.objects.visible_to(request.user).filter(school=school))
    form = FilterForm(request.GET or None, school=school)
    filterset = selectors.RiskAssessmentFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if not filterset.is_bound or filterset.is_valid() else base.none()
    page = Paginator(queryset.order_by("status", "review_date", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    bands = selectors.bands_for(school)
    rows = [(item, selectors.summary_for(item, bands)) for item in page.object_list]
    return render(
        request,
        "safety/risk/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "tones": risk_matrix.tones(bands),
            "can_add": has_school_perm(request.user, ADD, school.pk),
            "today": timezone.localdate(),
        },
    )


def _save(request, school, assessment=None):
    initial = {"owner": request.user.pk} if assessment is None else None
    if assessment is not None:
        initial = {name: getattr(assessment, name) for name in services.ASSESSMENT_FIELDS}
    form = AssessmentForm(request.POST or None, initial=initial, school=school, user=request.user)
    hazards_initial = (
        [{name: getattr(h, name) for name in services.HAZARD_FIELDS} for h in assessment.hazards.all()]
        if assessment is not None
        else None
    )
    formset = HazardFormSet(request.POST or None, initial=hazards_initial, prefix="hazards")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if assessment is None:
                assessment = services.create_assessment(
                    actor=request.user, school=school, hazards=hazard_rows(formset), **form.values()
                )
                messages.success(request, _("Draft risk assessment saved."))
            else:
                services.update_assessment(
                    actor=request.user, assessment=assessment, hazards=hazard_rows(formset), **form.values()
                )
                messages.success(request, _("Risk assessment saved."))
        except ServiceError as exc:
            _error(form, exc)
        else:
            return redirect("safety-assessment-detail", assessment.pk)
    bands = selectors.bands_for(school)
    return render(
        request,
        "safety/risk/form.html",
        {"form": form, "formset": formset, "assessment": assessment, "matrix": risk_matrix.matrix_rows(bands)},
    )


@login_required
def assessment_create(request):
    return _save(request, _school_with(request, ADD))


@login_required
def assessment_edit(request, pk):
    assessment = _assessment(request, pk, CHANGE)
    if assessment.status != RiskAssessmentStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited. Reopen the assessment first."))
        return redirect("safety-assessment-detail", assessment.pk)
    return _save(request, assessment.school, assessment)


def _detail_context(request, assessment) -> dict:
    summary, matrix, tones = selectors.matrix_for(assessment)
    user, school_id = request.user, assessment.school_id
    is_writer = user.pk in (assessment.owner_id, assessment.created_by_id)
    can_change = has_school_perm(user, CHANGE, school_id)
    can_approve = has_school_perm(user, APPROVE, school_id)
    status = assessment.status
    return {
        "assessment": assessment,
        "summary": summary,
        "rows": list(zip(assessment.hazards.all(), summary.hazards, strict=False)),
        "matrix": matrix,
        "tones": tones,
        "history": selectors.history(assessment),
        "due": assessment.is_due_for_review(timezone.localdate()),
        "can_edit": status == RiskAssessmentStatus.DRAFT and can_change and (is_writer or can_approve),
        "can_submit": status == RiskAssessmentStatus.DRAFT and can_change and is_writer,
        "can_decide": status == RiskAssessmentStatus.SUBMITTED and can_approve and user.pk != assessment.created_by_id,
        "can_reopen": status == RiskAssessmentStatus.APPROVED
        and can_change
        and (user.pk == assessment.owner_id or can_approve),
        "can_delete": status == RiskAssessmentStatus.DRAFT and has_school_perm(user, DELETE, school_id),
    }


@login_required
def assessment_detail(request, pk):
    assessment = _assessment(request, pk, VIEW)
    return render(request, "safety/risk/detail.html", _detail_context(request, assessment))


@login_required
def assessment_print(request, pk):
    assessment = _assessment(request, pk, VIEW)
    context = _detail_context(request, assessment)
    context["printed_at"] = timezone.localtime()
    return render(request, "safety/risk/print.html", context)


def _steps():
    return {
        "submit": (
            CHANGE,
            ConfirmForm,
            _("Submit for approval"),
            _("Submit this assessment? It cannot be edited while it waits for a department head."),
        ),
        "approve": (APPROVE, NoteForm, _("Approve"), _("Approve this assessment? The owner will be told.")),
        "return": (
            APPROVE,
            ReturnForm,
            _("Return to draft"),
            _("Return this assessment to its owner as a draft, saying what needs to change?"),
        ),
        "reopen": (
            CHANGE,
            NoteForm,
            _("Reopen as draft"),
            _("Reopen this approved assessment? Its approval is cleared and it must be approved again."),
        ),
    }


def _run_step(step: str, actor, assessment, data: dict):
    if step == "submit":
        return services.submit_assessment(actor=actor, assessment=assessment)
    if step == "reopen":
        return services.reopen_assessment(actor=actor, assessment=assessment, note=data.get("note", ""))
    return services.decide_assessment(
        actor=actor, assessment=assessment, approve=step == "approve", note=data.get("note", "")
    )


@login_required
def assessment_step(request, pk, step):
    steps = _steps()
    if step not in steps:
        raise Http404
    perm, form_class, label, question = steps[step]
    assessment = _assessment(request, pk, perm)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _run_step(step, request.user, assessment, form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": label})
        return redirect("safety-assessment-detail", assessment.pk)
    return render(
        request,
        "includes/confirm.html",
        {
            "title": label,
            "question": question,
            "details": [(_("Assessment"), assessment.title), (_("Status"), assessment.get_status_display())],
            "form": form,
            "action_label": label,
            "cancel_url": reverse("safety-assessment-detail", args=[assessment.pk]),
        },
    )


@login_required
def assessment_delete(request, pk):
    assessment = _assessment(request, pk, DELETE)
    if request.method == "POST":
        try:
            services.delete_assessment(actor=request.user, assessment=assessment)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("safety-assessment-detail", assessment.pk)
        messages.success(request, _("Draft deleted."))
        return redirect("safety-assessment-list")
    return render(
        request,
        "includes/confirm.html",
        {
            "title": _("Delete draft"),
            "question": _("Delete this draft risk assessment and its hazards? This cannot be undone."),
            "details": [(_("Assessment"), assessment.title)],
            "form": ConfirmForm(),
            "action_label": _("Delete"),
            "cancel_url": reverse("safety-assessment-detail", args=[assessment.pk]),
        },
    )


@login_required
def risk_bands(request):
    """The bands in force and the matrix they colour; staff with ``safety.change_riskband`` edit
    the school's own set (saved as a whole) or restore the shipped defaults."""
    school = _school_with(request, VIEW)
    bands = selectors.bands_for(school)
    can_change = has_school_perm(request.user, selectors.CHANGE_BANDS, school.pk)
    formset = None
    if can_change:
        initial = [{name: getattr(b, name) for name in risk_data.BAND_FIELDS} for b in bands]
        formset = BandFormSet(request.POST or None, initial=initial, prefix="bands")
        if request.method == "POST" and formset.is_valid():
            try:
                risk_data.replace_bands(actor=request.user, school=school, bands=band_rows(formset))
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Risk bands saved."))
                return redirect("safety-risk-bands")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "safety/risk/bands.html",
        {
            "bands": bands,
            "own": any(b.school_id for b in bands),
            "tones": risk_matrix.tones(bands),
            "matrix": risk_matrix.matrix_rows(bands),
            "formset": formset,
        },
    )


@login_required
def risk_bands_restore(request):
    """Removes the school's own bands (after a confirmation): the shipped defaults apply again."""
    school = _school_with(request, selectors.CHANGE_BANDS)
    if request.method == "POST":
        try:
            risk_data.replace_bands(actor=request.user, school=school, bands=[])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Default bands restored."))
        return redirect("safety-risk-bands")
    return render(
        request,
        "includes/confirm.html",
        {
            "title": _("Restore the default bands"),
            "question": _("Remove the school's own bands? The shipped default bands will apply to every assessment."),
            "form": ConfirmForm(),
            "action_label": _("Restore the defaults"),
            "cancel_url": reverse("safety-risk-bands"),
        },
    )
