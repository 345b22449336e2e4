"""Roster import entry points: run an import in one call (the API: dry run or apply), or stage it
for the page flow (check now, keep the files in a ``RosterImport``, apply once confirmed).

Why the page stages while the API does not: a page cannot hand the same upload to a second
request, so it keeps the files until the person confirms; an API client simply sends them again
with ``dry_run=false``. Either way the files are checked again at the moment of applying, so the
applied plan always matches the database as it is then.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import School, User
from accounts.services.errors import ServiceError
from physed.models import RosterImport, RosterImportKind, RosterImportStatus
from physed.services import roster_import, roster_import_csv, roster_import_oneroster
from physed.services.roster_import import ImportReport, current_school_year


def plan(*, school: School, kind: str, files: dict[str, bytes], options: dict, dry_run: bool = True) -> ImportReport:
    """The plan (a dry-run report) of ``files``; ``ServiceError`` (400) for unreadable files."""
    if kind == RosterImportKind.CSV:
        if "file" not in files:
            raise ServiceError(_("Choose a CSV file."), field="file")
        header, rows = roster_import.read_csv("file", files["file"])
        if not rows:
            raise ServiceError(_("The file has no rows."), field="file", code="empty_file")
        return roster_import_csv.plan(school, header, rows, options.get("mapping"), dry_run=dry_run)
    if kind == RosterImportKind.ONEROSTER:
        if "zip" in files:
            files = {**roster_import_oneroster.unzip(files.pop("zip")), **files}
        year = options.get("school_year") or current_school_year()
        return roster_import_oneroster.plan(school, files, school_year=year, dry_run=dry_run)
    raise ServiceError(_("Unknown import format."), field="kind")


def run_import(
    *,
    actor: User,
    school: School,
    kind: str,
    files: dict[str, bytes],
    options: dict | None = None,
    dry_run: bool = True,
) -> ImportReport:
    """Checks the files and, unless ``dry_run``, applies every valid row (rows with errors are
    left out and reported)."""
    options = options or {}
    with transaction.atomic():
        report = plan(school=school, kind=kind, files=dict(files), options=options, dry_run=dry_run)
        if not dry_run:
            record = RosterImport(school=school, kind=kind, created_by=actor, file_names=sorted(files), options=options)
            roster_import.apply(report, actor=actor, school=school, record=record)
    return report


@transaction.atomic
def stage_import(
    *, actor: User, school: School, kind: str, files: dict[str, bytes], options: dict | None = None
) -> tuple[RosterImport, ImportReport | None]:
    """Checks the files and keeps them in a ``RosterImport`` waiting for confirmation. A CSV whose
    columns cannot be matched to our fields yet is kept too (report ``None``): the page then asks
    for the mapping."""
    options = options or {}
    if "zip" in files:  # keep the unpacked CSV files, not the archive
        files = {**roster_import_oneroster.unzip(files["zip"]), **{k: v for k, v in files.items() if k != "zip"}}
    try:
        report = plan(school=school, kind=kind, files=dict(files), options=options)
    except ServiceError as exc:
        if exc.field != "mapping":
            raise
        report = None
    record = RosterImport.objects.create(
        school=school,
        kind=kind,
        created_by=actor,
        file_names=sorted(files),
        options=options,
        payload={name: data.decode("utf-8-sig") for name, data in files.items()},
        summary=report.summary() if report else {},
    )
    if report is not None:
        report.import_id = record.pk
    return record, report


def staged_header(record: RosterImport) -> list[str]:
    return roster_import.read_csv("file", record.payload.get("file", "").encode())[0]


@transaction.atomic
def remap_import(*, actor: User, record: RosterImport, mapping: dict) -> RosterImport:
    """Sets the column mapping of a staged CSV import (checked against the file's header)."""
    if record.status != RosterImportStatus.VALIDATED:
        raise ServiceError(_("This import has already been applied or discarded."), field="status")
    record.options = {**record.options, "mapping": roster_import_csv.validate_mapping(staged_header(record), mapping)}
    record.save(update_fields=["options"])
    return record


def staged_report(record: RosterImport) -> ImportReport:
    """The plan of a staged import against the database as it is now."""
    files = {name: text.encode() for name, text in record.payload.items()}
    report = plan(school=record.school, kind=record.kind, files=files, options=record.options)
    report.import_id = record.pk
    return report


@transaction.atomic
def confirm_import(*, actor: User, record: RosterImport) -> ImportReport:
    record = RosterImport.objects.select_for_update().get(pk=record.pk)
    if record.status != RosterImportStatus.VALIDATED:
        raise ServiceError(_("This import has already been applied or discarded."), field="status")
    report = staged_report(record)
    report.dry_run = False
    roster_import.apply(report, actor=actor, school=record.school, record=record)
    return report


@transaction.atomic
def discard_import(*, actor: User, record: RosterImport) -> RosterImport:
    if record.status != RosterImportStatus.VALIDATED:
        raise ServiceError(_("This import has already been applied or discarded."), field="status")
    record.status = RosterImportStatus.DISCARDED
    record.payload = {}
    record.save(update_fields=["status", "payload"])
    return record
