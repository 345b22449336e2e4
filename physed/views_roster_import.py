"""Roster import pages: upload (CSV or OneRoster), then a review page — the column mapping for a
CSV, the dry-run report with every row's errors and the counts — and an explicit confirmation
that applies the valid rows. The files wait in a ``RosterImport`` between the two steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import ConfirmForm
from accounts.services.errors import ServiceError
from physed.forms_roster import ImportUploadForm, MappingForm
from physed.models import RosterImport, RosterImportKind, RosterImportStatus
from physed.services import roster_import_csv, roster_import_jobs
from physed.services.roster_import import settings as import_settings
from physed.views_roster import school_with

PERM = "physed.import_roster"
SHOWN_ROWS = 200


def _files(form) -> dict[str, bytes]:
    data = form.cleaned_data
    limit = import_settings()["max_file_bytes"]
    files = {}
    names = (
        ["file"]
        if data["kind"] == RosterImportKind.CSV
        else ["file", "users", "classes", "enrollments", "demographics"]
    )
    for name in names:
        upload = data.get(name)
        if upload is None:
            continue
        if upload.size > limit:
            raise ServiceError(
                _("%(name)s is larger than %(size)s MB.") % {"name": upload.name, "size": limit // 2**20}, field=name
            )
        key = "zip" if name == "file" and data["kind"] == RosterImportKind.ONEROSTER else name
        files[key] = upload.read()
    return files


@login_required
def import_start(request):
    school = school_with(request, PERM)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        options = {}
        if form.cleaned_data["kind"] == RosterImportKind.ONEROSTER and form.cleaned_data.get("school_year"):
            options["school_year"] = form.cleaned_data["school_year"]
        try:
            record, _report = roster_import_jobs.stage_import(
                actor=request.user, school=school, kind=form.cleaned_data["kind"], files=_files(form), options=options
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else "file", exc.message)
        else:
            return redirect("roster-import-review", pk=record.pk)
    history = RosterImport.objects.filter(school=school).select_related("created_by")[:20]
    return render(
        request,
        "physed/roster/import.html",
        {"school": school, "form": form, "history": history, "limits": import_settings()},
        status=400 if form.errors else 200,
    )


def _staged(request, pk):
    school = school_with(request, PERM)
    record = get_object_or_404(RosterImport.objects.filter(school=school), pk=pk)
    return school, record


@login_required
def import_review(request, pk):
    school, record = _staged(request, pk)
    if record.status != RosterImportStatus.VALIDATED:
        messages.info(request, _("This import has already been applied or discarded."))
        return redirect("roster-import")
    mapping_form, mapping_error, report = None, None, None
    if record.kind == RosterImportKind.CSV:
        header = roster_import_jobs.staged_header(record)
        initial = record.options.get("mapping") or roster_import_csv.suggest_mapping(header)
        mapping_form = MappingForm(initial=initial, header=header)
    confirm = ConfirmForm()
    if request.method == "POST" and "mapping" in request.POST and mapping_form is not None:
        mapping_form = MappingForm(request.POST, header=header)
        if mapping_form.is_valid():
            try:
                roster_import_jobs.remap_import(actor=request.user, record=record, mapping=mapping_form.cleaned_data)
            except ServiceError as exc:
                mapping_form.add_error(None, exc.message)
            else:
                return redirect("roster-import-review", pk=record.pk)
    elif request.method == "POST":
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid():
            try:
                applied = roster_import_jobs.confirm_import(actor=request.user, record=record)
            except ServiceError as exc:
                mapping_error = exc.message
            else:
                summary = applied.summary()
                messages.success(
                    request,
                    _(
                        "Import applied: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                        "%(errors)s rows with errors left out."
                    )
                    % summary,
                )
                return redirect("roster-import")
    try:
        report = roster_import_jobs.staged_report(record)
    except ServiceError as exc:
        mapping_error = exc.message
    rows = report.units if report else []
    problems = [unit for unit in rows if unit.errors]
    changes = [unit for unit in rows if not unit.errors and unit.action in ("create", "update")]
    return render(
        request,
        "physed/roster/import_review.html",
        {
            "school": school,
            "record": record,
            "report": report,
            "summary": report.summary() if report else None,
            "problems": problems[:SHOWN_ROWS],
            "more_problems": max(0, len(problems) - SHOWN_ROWS),
            "changes": changes[:SHOWN_ROWS],
            "more_changes": max(0, len(changes) - SHOWN_ROWS),
            "mapping_form": mapping_form,
            "mapping_error": mapping_error,
            "confirm": confirm,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def import_discard(request, pk):
    _school, record = _staged(request, pk)
    try:
        roster_import_jobs.discard_import(actor=request.user, record=record)
    except ServiceError as exc:
        raise Http404 from exc
    messages.success(request, _("Import discarded."))
    return redirect("roster-import")
