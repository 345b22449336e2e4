"""Privacy pages: "My data" (export, erasure) for everyone; "Data management" (imports, erasure
approvals, retention, a member's export) for school admins. Same services as the API."""

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms_privacy import DecisionForm, ErasureRequestForm, ImportForm, MemberExportForm, RetentionForm
from accounts.models import DataExportJob, ErasureRequest, RetentionPolicy
from accounts.pages import ConfirmForm, render_confirm
from accounts.selectors import has_school_perm
from accounts.services import privacy as service
from accounts.services.errors import ServiceError
from accounts.services_session import current_school

PERMS = (
    "accounts.import_people",
    "accounts.approve_erasure",
    "accounts.manage_retention",
    "accounts.export_member_data",
)
IMPORT_SESSION_KEY = "privacy_import"


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data(request):
    form = ErasureRequestForm()
    jobs = list(DataExportJob.objects.visible_to(request.user).select_related("subject")[:20])
    for job in jobs:
        job.download_url = (
            reverse("my-data-download", kwargs={"token": service.download_token(job)}) if job.is_downloadable else ""
        )
    return _no_store(
        render(
            request,
            "accounts/privacy/my_data.html",
            {
                "jobs": jobs,
                "erasure_requests": ErasureRequest.objects.filter(subject=request.user).select_related("school"),
                "form": form,
            },
        )
    )


@login_required
@require_POST
def my_data_export(request):
    service.request_export(actor=request.user, subject=request.user)
    messages.success(request, _("Your export has started. It appears below when ready."))
    return redirect("my-data")


@login_required
def my_data_erasure(request):
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.request_erasure(requester=request.user, subject=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your erasure request was sent to your school's administrators."))
        return redirect("my-data")
    return render(request, "accounts/privacy/erasure_request.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def my_data_download(request, token):
    """A signed, expiring link; only the person who asked for the export may use it."""
    job = service.job_from_token(token)
    if job is None or job.requested_by_id != request.user.pk:
        raise Http404
    service.record_download(actor=request.user, job=job)
    response = FileResponse(job.archive.open("rb"), as_attachment=True, filename=f"personal-data-{job.pk}.zip")
    return _no_store(response)


def _admin_school(request):
    school = current_school(request)
    if school is None:
        raise Http404
    held = {perm for perm in PERMS if has_school_perm(request.user, perm, school.pk)}
    if not held:
        raise PermissionDenied
    return school, held


def _need(held, perm):
    if perm not in held:
        raise PermissionDenied


@login_required
def data_management(request):
    school, held = _admin_school(request)
    context = {"school": school, "held": held}
    if "accounts.import_people" in held:
        context["import_form"] = ImportForm()
    if "accounts.approve_erasure" in held:
        context["erasures"] = ErasureRequest.objects.filter(school=school).select_related("subject", "requested_by")[
            :50
        ]
    if "accounts.manage_retention" in held:
        context["policies"] = RetentionPolicy.objects.filter(school=school)
        context["retention_form"] = RetentionForm()
        context["plan"] = [
            {key: value for key, value in item.items() if key != "queryset"}
            for item in service.retention_plan(schools=[school])
        ]
    if "accounts.export_member_data" in held:
        context["export_form"] = MemberExportForm(school=school)
    return _no_store(render(request, "accounts/privacy/data_management.html", context))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@login_required
def import_people(request):
    """Step 1 uploads and checks (dry run); step 2 confirms the very file that was checked."""
    school, held = _admin_school(request)
    _need(held, "accounts.import_people")
    if request.method != "POST":
        return redirect("data-management")
    if "confirm" in request.POST:
        stored = request.session.get(IMPORT_SESSION_KEY) or {}
        if stored.get("school") != school.pk or stored.get("digest") != request.POST.get("digest"):
            messages.error(request, _("Check the file again before importing it."))
            return redirect("data-management")
        data = base64.b64decode(stored["data"])
        report = service.import_people(actor=request.user, school=school, data=data, dry_run=False)
        request.session.pop(IMPORT_SESSION_KEY, None)
        if report.applied:
            messages.success(request, _("Import done: %(created)s created, %(updated)s updated.") % report.summary())
            return redirect("data-management")
        return render(request, "accounts/privacy/import_report.html", {"report": report, "school": school}, status=400)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "accounts/privacy/import_report.html", {"form": form, "school": school}, status=400)
    data = form.cleaned_data["file"].read()
    report = service.import_people(actor=request.user, school=school, data=data, dry_run=True)
    digest = ""
    if report.ok:
        digest = _digest(data)
        request.session[IMPORT_SESSION_KEY] = {
            "school": school.pk,
            "digest": digest,
            "data": base64.b64encode(data).decode(),
        }
    return render(
        request,
        "accounts/privacy/import_report.html",
        {"report": report, "school": school, "digest": digest},
        status=200 if report.ok else 400,
    )


def _erasure_in(request, pk):
    school, held = _admin_school(request)
    _need(held, "accounts.approve_erasure")
    return school, get_object_or_404(ErasureRequest.objects.select_related("subject"), pk=pk, school=school)


@login_required
def erasure_approve(request, pk):
    _school, erasure = _erasure_in(request, pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.approve_erasure(actor=request.user, erasure=erasure)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The person's data was erased."))
        return redirect("data-management")
    return render_confirm(
        request,
        form=form,
        title=_("Erase %(name)s's personal data?") % {"name": erasure.subject.get_full_name()},
        question=_(
            "Their account is anonymized across the platform and cannot be restored. Records the school "
            "must keep are retained and flagged."
        ),
        action_label=_("Erase"),
        cancel_url=reverse("data-management"),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def erasure_refuse(request, pk):
    _school, erasure = _erasure_in(request, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service.refuse_erasure(actor=request.user, erasure=erasure, note=note)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The erasure request was refused."))
    return redirect("data-management")


@login_required
@require_POST
def retention_set(request):
    school, held = _admin_school(request)
    _need(held, "accounts.manage_retention")
    form = RetentionForm(request.POST)
    if form.is_valid():
        service.set_retention_policy(
            actor=request.user,
            school=school,
            category=form.cleaned_data["category"],
            keep_days=form.cleaned_data["keep_days"],
        )
        messages.success(request, _("Retention policy saved."))
    else:
        messages.error(request, _("Choose a category and a number of days."))
    return redirect("data-management")


@login_required
@require_POST
def member_export(request):
    school, held = _admin_school(request)
    _need(held, "accounts.export_member_data")
    form = MemberExportForm(request.POST, school=school)
    if not form.is_valid():
        messages.error(request, _("Choose a member of this school."))
        return redirect("data-management")
    service.request_export(actor=request.user, subject=form.cleaned_data["member"], school=school)
    messages.success(request, _("The export has started; download it from “My data”."))
    return redirect("my-data")
