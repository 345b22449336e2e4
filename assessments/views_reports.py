"""Progress-report pages.

Staff: the class reports page (every actively enrolled student with their report for a term,
"Generate all" as a background job with an htmx-polled progress bar using conditional GET), the
report edit page (snapshot sections, generated text, editable English/Spanish evaluation, publish
with confirmation, unpublish, regenerate), the printable page and the PDF.
Students and guardians: "my reports" (published reports of linked students) and a report in the
reader's language (Spanish evaluation when the active language is Spanish). Drafts are 404 for
them. Same selectors and services as the API."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import ConfirmForm, paginate, render_confirm
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.services.errors import ServiceError
from assessments.forms_reports import PeriodForm, ReportEditForm, UnpublishForm
from assessments.models import BatchStatus, ProgressReport, ReportStatus
from assessments.selectors import reports as selectors
from assessments.services import reports as services
from assessments.services.reports_pdf import render_pdf
from physed.models import EnrollmentStatus, PEClass, Student

POLL_SECONDS = 2


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _class(request, pk, perm) -> PEClass:
    pe_class = get_object_or_404(PEClass.objects.visible_to(request.user).select_related("school"), pk=pk)
    if not allowed_on_object(request.user, perm, pe_class):
        raise PermissionDenied
    return pe_class


def _staff_report(request, pk, perm) -> ProgressReport:
    report = selectors.staff_report_or_404(request.user, pk)
    if not allowed_on_object(request.user, perm, report):
        raise PermissionDenied
    return report


def default_period(pe_class, today=None) -> dict:
    """Our own default: from 1 September of the class's school year to today (capped at 30 June
    of the following year)."""
    today = today or timezone.localdate()
    start = datetime.date(pe_class.school_year, 9, 1)
    end = min(max(today, start), datetime.date(pe_class.school_year + 1, 6, 30))
    return {"school_year": pe_class.school_year, "term": pe_class.term, "period_start": start, "period_end": end}


def _period_form(request, pe_class):
    """The period from the query (missing dates default as in ``default_period``)."""
    initial = default_period(pe_class)
    if not {"school_year", "term"} <= set(request.GET):
        return PeriodForm(initial=initial), initial
    data = {
        "period_start": initial["period_start"].isoformat(),
        "period_end": initial["period_end"].isoformat(),
        **{
            key: request.GET[key] for key in ("school_year", "term", "period_start", "period_end") if key in request.GET
        },
    }
    form = PeriodForm(data)
    return form, (form.cleaned_data if form.is_valid() else None)


@login_required
def class_reports(request, pk):
    if not allowed_somewhere(request.user, services.VIEW):
        raise PermissionDenied
    pe_class = _class(request, pk, services.VIEW)
    form, period = _period_form(request, pe_class)
    students = list(
        Student.objects.filter(enrollments__pe_class=pe_class, enrollments__status=EnrollmentStatus.ACTIVE).order_by(
            "last_name", "first_name", "pk"
        )
    )
    reports = {}
    if period:
        reports = {
            report.student_id: report
            for report in ProgressReport.objects.filter(
                pe_class=pe_class, school_year=period["school_year"], term=period["term"]
            )
        }
    rows = [{"student": student, "report": reports.get(student.pk)} for student in students]
    batch = None
    if request.GET.get("batch"):
        batch = (
            selectors.batches_for(request.user)
            .filter(pk=_uuid_or_none(request.GET["batch"]), pe_class=pe_class)
            .first()
        )
    elif period:
        batch = (
            selectors.batches_for(request.user)
            .filter(pe_class=pe_class, school_year=period["school_year"], term=period["term"])
            .first()
        )
    context = {
        "pe_class": pe_class,
        "form": form,
        "period": period,
        "rows": rows,
        "published": sum(1 for row in rows if row["report"] and row["report"].status == ReportStatus.PUBLISHED),
        "batch": batch,
        "poll_seconds": POLL_SECONDS,
        "can_generate": allowed_on_object(request.user, services.ADD, pe_class, record=False),
    }
    if batch is not None:
        context["etag_value"] = _batch_etag(batch).strip('"')
        context["batch_running"] = batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING)
    return _no_store(render(request, "assessments/reports/class_reports.html", context))


def _uuid_or_none(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@login_required
@require_POST
def class_generate_all(request, pk):
    pe_class = _class(request, pk, services.ADD)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the period: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("assessments-class-reports", pk=pe_class.pk)
    try:
        batch = services.request_batch(actor=request.user, pe_class=pe_class, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("assessments-class-reports", pk=pe_class.pk)
    messages.success(request, _("Generating the reports of %(count)s students.") % {"count": batch.total})
    data = form.cleaned_data
    query = (
        f"?school_year={data['school_year']}&term={data['term']}&period_start={data['period_start'].isoformat()}"
        f"&period_end={data['period_end'].isoformat()}&batch={batch.pk}"
    )
    return redirect(reverse("assessments-class-reports", args=[pe_class.pk]) + query)


@login_required
@require_POST
def class_generate_one(request, pk, student_pk):
    pe_class = _class(request, pk, services.ADD)
    student = get_object_or_404(Student.objects.visible_to(request.user), pk=student_pk)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the period: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("assessments-class-reports", pk=pe_class.pk)
    try:
        report = services.generate_report(actor=request.user, student=student, pe_class=pe_class, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("assessments-class-reports", pk=pe_class.pk)
    messages.success(request, _("Report generated."))
    return redirect("assessments-report-detail", pk=report.pk)


def _batch_etag(batch) -> str:
    return f'"batch-{batch.pk}-{batch.status}-{batch.progress}-{batch.done}-{batch.total}"'


@login_required
def batch_progress(request, pk):
    """The progress bar fragment (htmx polling with If-None-Match → 304 when unchanged)."""
    batch = selectors.batches_for(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    etag = _batch_etag(batch)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = render(
            request,
            "assessments/reports/_batch.html",
            {
                "batch": batch,
                "pe_class": batch.pe_class,
                "poll_seconds": POLL_SECONDS,
                "etag_value": etag.strip('"'),
                "running": batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING),
            },
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _sections(report, user) -> dict:
    data = selectors.visible_data(user, report)
    return {
        "data": data,
        "fitness_tests": [
            test for test in data.get("fitness", {}).get("tests", []) if not test.get("body_composition")
        ],
        "body_tests": [test for test in data.get("fitness", {}).get("tests", []) if test.get("body_composition")],
        "attendance_percent": _percent((data.get("attendance") or {}).get("attendance_rate")),
    }


def _percent(rate):
    return None if rate is None else round(rate * 100)


@login_required
def report_detail(request, pk):
    report = _staff_report(request, pk, services.VIEW)
    can_change = allowed_on_object(request.user, services.CHANGE, report, record=False)
    draft = report.status == ReportStatus.DRAFT
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = ReportEditForm(request.POST)
        if form.is_valid():
            try:
                services.update_report(actor=request.user, report=report, **form.cleaned_data)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Report saved."))
                return redirect("assessments-report-detail", pk=report.pk)
    else:
        form = ReportEditForm(
            initial={
                "narrative_en": report.narrative_en,
                "narrative_es": report.narrative_es,
                "teacher_comment": report.teacher_comment,
            }
        )
    context = {
        "report": report,
        "form": form,
        "draft": draft,
        "can_change": can_change and draft,
        "can_generate": draft and allowed_on_object(request.user, services.ADD, report, record=False),
        "can_publish": allowed_on_object(request.user, services.PUBLISH, report, record=False),
        "edited_en": services.is_edited(report, "en"),
        "edited_es": services.is_edited(report, "es"),
        **_sections(report, request.user),
    }
    return _no_store(render(request, "assessments/reports/detail.html", context))


@login_required
def report_regenerate(request, pk):
    report = _staff_report(request, pk, services.ADD)
    if request.method != "POST":
        return redirect("assessments-report-detail", pk=report.pk)
    try:
        services.generate_report(
            actor=request.user,
            student=report.student,
            pe_class=report.pe_class,
            school_year=report.school_year,
            term=report.term,
            period_start=report.period_start,
            period_end=report.period_end,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report was regenerated from the latest numbers."))
    return redirect("assessments-report-detail", pk=report.pk)


@login_required
def report_publish(request, pk):
    report = _staff_report(request, pk, services.PUBLISH)
    cancel = reverse("assessments-report-detail", args=[report.pk])
    question = _("Publish this report? The student and their guardians are notified and can read it.")
    details = [
        (_("Student"), f"{report.student.first_name} {report.student.last_name}"),
        (_("Term"), f"{services.term_label(report.term)} {report.school_year}"),
    ]
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.publish_report(actor=request.user, report=report)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The report is published."))
            return redirect(cancel)
        return render_confirm(
            request,
            title=_("Publish report"),
            question=question,
            action_label=_("Publish"),
            cancel_url=cancel,
            details=details,
            form=form,
            status=400,
        )
    return render_confirm(
        request,
        title=_("Publish report"),
        question=question,
        action_label=_("Publish"),
        cancel_url=cancel,
        details=details,
    )


@login_required
def report_unpublish(request, pk):
    report = _staff_report(request, pk, services.PUBLISH)
    cancel = reverse("assessments-report-detail", args=[report.pk])
    form = UnpublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unpublish_report(actor=request.user, report=report, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The report is back to draft; students and guardians no longer see it."))
        return redirect(cancel)
    return render_confirm(
        request,
        title=_("Unpublish report"),
        question=_("Take this report back to draft? Students and guardians will no longer see it."),
        action_label=_("Unpublish"),
        cancel_url=cancel,
        form=form,
        status=400 if request.method == "POST" else 200,
    )


def _reader_report(request, pk) -> tuple[ProgressReport, bool]:
    """(report, staff) for the print page and the PDF: staff with the view permission see any
    report of their school; students and guardians their published ones; else 404/403."""
    report = selectors.base_queryset().visible_to(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    if allowed_on_object(request.user, services.VIEW, report, record=False):
        return report, True
    if selectors.is_reader(request.user, report):
        return report, False
    raise Http404


def reader_language() -> str:
    return "es" if (translation.get_language() or "en").startswith("es") else "en"


def _print_context(request, report, staff: bool) -> dict:
    language = reader_language()
    return {
        "report": report,
        "staff": staff,
        "language": language,
        "narrative": report.narrative_es if language == "es" else report.narrative_en,
        "term_label": services.term_label(report.term),
        **_sections(report, request.user),
    }


@login_required
def report_print(request, pk):
    report, staff = _reader_report(request, pk)
    return _no_store(render(request, "assessments/reports/print.html", _print_context(request, report, staff)))


@login_required
def report_pdf(request, pk):
    report, staff = _reader_report(request, pk)
    pdf = render_pdf(_print_context(request, report, staff))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"progress-report-{report.student.last_name}-{report.term}-{report.school_year}".lower().replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return _no_store(response)


@login_required
def my_reports(request):
    page = paginate(request, selectors.my_reports(request.user))
    return _no_store(
        render(request, "assessments/reports/my_reports.html", {"page": page, "reports": page.object_list})
    )


@login_required
def my_report(request, pk):
    report = selectors.my_report_or_404(request.user, pk)
    context = _print_context(request, report, staff=False)
    return _no_store(render(request, "assessments/reports/my_report.html", context))
