"""Privacy writes: exports, erasure requests and erasure, roster imports, retention policies.
Everything personal runs through the registry (``accounts.privacy.registry``)."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    DataExportJob,
    ErasureLedger,
    ErasureRequest,
    JobStatus,
    Membership,
    RetentionPolicy,
    School,
    User,
)
from accounts.models.privacy import ErasureStatus
from accounts.privacy import importer, registry
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.privacy_export import (  # noqa: F401 - the export runner, re-exported here
    TRANSIENT_EXPORT_ERRORS,
    ExportBusy,
    ExportLeaseLost,
    queue_export,
    run_export,
)

DOWNLOAD_SALT = "accounts.privacy.export-download"


def _primary_school(user):
    from accounts.services.sessions import primary_school_of

    return primary_school_of(user)


# --- export ---------------------------------------------------------------------------------


@transaction.atomic
def request_export(*, actor: User, subject: User, school: School | None = None) -> DataExportJob:
    """Queues an export of ``subject``'s data for ``actor`` (themselves, or a school admin acting
    on a guardian's request — the caller has checked the permission)."""
    running = (
        DataExportJob.objects.select_for_update()
        .filter(requested_by=actor, subject=subject, status__in=[JobStatus.PENDING, JobStatus.RUNNING])
        .first()
    )
    if running is not None:  # one export at a time: asking again returns the job in progress
        return running
    school = school or _primary_school(subject)
    job = DataExportJob.objects.create(requested_by=actor, subject=subject, school=school)
    record_event(
        "privacy.export_requested",
        actor=actor,
        school=school,
        target=job,
        changes={"subject": subject.pk, "on_behalf": actor.pk != subject.pk},
    )
    transaction.on_commit(lambda: queue_export(job))
    return job


def download_token(job: DataExportJob) -> str:
    return signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(str(job.pk))


def job_from_token(token: str) -> DataExportJob | None:
    """A signed link is valid for ``PRIVACY_EXPORT_LINK_HOURS`` and only while the job's own
    expiry has not passed."""
    try:
        job_id = signing.TimestampSigner(salt=DOWNLOAD_SALT).unsign(
            token, max_age=timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
        )
    except signing.BadSignature:
        return None
    job = DataExportJob.objects.filter(pk=job_id).first()
    return job if job is not None and job.is_downloadable else None


def record_download(*, actor, job: DataExportJob) -> None:
    record_event("privacy.export_downloaded", actor=actor, school=job.school, target=job)


# --- erasure --------------------------------------------------------------------------------


@transaction.atomic
def request_erasure(
    *, requester: User, subject: User, school: School | None = None, reason: str = ""
) -> ErasureRequest:
    """Self-service now; a guardian may ask for a student once guardian links exist (the caller
    decides who may ask for whom)."""
    school = school or _primary_school(subject)
    if school is None:
        raise ServiceError(_("You are not a member of any school, so no school can approve this."), field="school")
    if not Membership.objects.filter(user=subject, school=school).exists():
        raise ServiceError(_("The person is not a member of this school."), field="school")
    if ErasureRequest.objects.filter(school=school, subject=subject, status=ErasureStatus.PENDING).exists():
        raise ServiceError(_("An erasure request is already waiting for approval."), code="duplicate")
    erasure = ErasureRequest.objects.create(school=school, subject=subject, requested_by=requester, reason=reason)
    record_event("privacy.erasure_requested", actor=requester, school=school, target=erasure)
    return erasure


@transaction.atomic
def refuse_erasure(*, actor: User, erasure: ErasureRequest, note: str = "") -> ErasureRequest:
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureStatus.PENDING:
        raise ServiceError(_("This request has already been decided."), code="decided")
    erasure.status, erasure.decided_by, erasure.decided_at = ErasureStatus.REFUSED, actor, timezone.now()
    erasure.decision_note = note
    erasure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event("privacy.erasure_refused", actor=actor, school=erasure.school, target=erasure)
    return erasure


@transaction.atomic
def approve_erasure(*, actor: User, erasure: ErasureRequest, note: str = "") -> ErasureRequest:
    """Approves and carries out the erasure at once (in one transaction: all or nothing)."""
    erasure = ErasureRequest.objects.select_for_update().select_related("subject", "school").get(pk=erasure.pk)
    if erasure.status != ErasureStatus.PENDING:
        raise ServiceError(_("This request has already been decided."), code="decided")
    if erasure.subject_id == actor.pk:
        raise ServiceError(_("Another school admin must approve your own erasure."), status=403, code="own_request")
    erasure.decided_by, erasure.decided_at, erasure.decision_note = actor, timezone.now(), note
    erasure.save(update_fields=["decided_by", "decided_at", "decision_note"])
    ledger = erase_subject(erasure=erasure)
    erasure.status, erasure.completed_at = ErasureStatus.COMPLETED, timezone.now()
    erasure.save(update_fields=["status", "completed_at"])
    # the account is erased everywhere: requests waiting in the person's other schools are done too
    ErasureRequest.objects.filter(subject=erasure.subject, status=ErasureStatus.PENDING).update(
        status=ErasureStatus.COMPLETED, completed_at=erasure.completed_at
    )
    record_event(
        "privacy.erasure_completed",
        actor=actor,
        school=erasure.school,
        target=erasure,
        changes={"subject": erasure.subject_id, "models": {row.model: f"{row.action}:{row.rows}" for row in ledger}},
    )
    return erasure


def erase_subject(*, erasure: ErasureRequest) -> list[ErasureLedger]:
    """Runs every registered eraser for the subject; the user row itself goes last (the others
    find their rows by it), and rows reached through a longer chain (``student__user``) go before
    the links of that chain are cut (the student record's ``user`` is cleared by its own entry).
    One ledger row per model."""
    subject = erasure.subject
    entries = sorted(
        registry.entries(),
        key=lambda entry: (entry.model is User, -(entry.user_path or "").count("__")),
    )
    ledger = []
    for entry in entries:
        queryset = entry.queryset_for(subject)
        reason = entry.retained_reason
        if entry.erase == registry.RETAIN:
            action, rows = registry.RETAIN, queryset.count()
        elif entry.erase == registry.DELETE:
            action, (rows, _detail) = registry.DELETE, queryset.delete()
            reason = ""
        elif isinstance(entry.erase, dict):
            action, rows = registry.ANONYMIZED, queryset.update(**entry.erase)
        else:
            action, rows = entry.erase(queryset, subject)
        ledger.append(
            ErasureLedger(request=erasure, model=entry.label, action=action, rows=rows, retained_reason=reason[:300])
        )
    return ErasureLedger.objects.bulk_create(ledger)


# --- import ---------------------------------------------------------------------------------


@transaction.atomic
def import_people(*, actor: User, school: School, data: bytes, dry_run: bool = True) -> importer.ImportReport:
    """Validates the CSV; writes only when ``dry_run`` is False and the whole file is valid."""
    if len(data) > settings.PRIVACY_IMPORT_MAX_BYTES:
        report = importer.ImportReport(dry_run=dry_run)
        report.file_errors.append(
            _("The file is larger than %(size)s bytes.") % {"size": settings.PRIVACY_IMPORT_MAX_BYTES}
        )
        return report
    report = importer.parse(data, school=school, dry_run=dry_run)
    if dry_run or not report.ok:
        return report
    for row in report.rows:
        if row.action != "unchanged":
            importer.apply_row(row, school=school)
    report.applied = True
    record_event(
        "privacy.people_imported",
        actor=actor,
        school=school,
        target_type="accounts.personexternalid",
        target_label="roster import",
        changes=report.summary(),
    )
    return report


# --- retention ------------------------------------------------------------------------------


@transaction.atomic
def set_retention_policy(*, actor: User, school: School, category: str, keep_days: int) -> RetentionPolicy:
    if category not in {entry.category for entry in registry.retention_entries()}:
        raise ServiceError(_("Unknown data category."), field="category")
    if keep_days < 1:
        raise ServiceError(_("Keep data for at least one day."), field="keep_days")
    before = RetentionPolicy.objects.filter(school=school, category=category).first()
    policy, _created = RetentionPolicy.objects.update_or_create(
        school=school, category=category, defaults={"keep_days": keep_days}
    )
    record_event(
        "privacy.retention_set",
        actor=actor,
        school=school,
        target=policy,
        changes={
            "category": category,
            "keep_days": {"before": before.keep_days if before else None, "after": keep_days},
        },
    )
    return policy


def keep_days_for(school_id: int, category: str, policies: dict) -> int | None:
    if (school_id, category) in policies:
        return policies[(school_id, category)]
    return settings.PRIVACY_RETENTION_DEFAULTS.get(category)


def retention_plan(*, schools=None, now=None) -> list[dict]:
    """What the retention task would delete: per school, category and model, the rows older
    than the school's policy. A person in several schools keeps the longest period: their rows
    are due only when every one of their schools' periods has passed."""
    now = now or timezone.now()
    schools = list(schools if schools is not None else School.objects.all())
    policies = {(p.school_id, p.category): p.keep_days for p in RetentionPolicy.objects.all()}
    all_school_ids = list(School.objects.values_list("pk", flat=True))
    plan = []
    for school in schools:
        for entry in registry.retention_entries():
            keep = keep_days_for(school.pk, entry.category, policies)
            if not keep:
                continue
            longer = [sid for sid in all_school_ids if (keep_days_for(sid, entry.category, policies) or 0) > keep]
            members = Membership.objects.filter(school=school).values("user_id")
            longer_members = Membership.objects.filter(school_id__in=longer).values("user_id")
            user_id_path = f"{entry.user_path}_id" if entry.user_path != "pk" else "pk"
            queryset = (
                entry.model._base_manager.filter(**{f"{user_id_path}__in": members})
                .exclude(**{f"{user_id_path}__in": longer_members})
                .filter(**{f"{entry.date_field}__lt": now - timedelta(days=keep)})
            )
            plan.append(
                {
                    "school": school,
                    "category": entry.category,
                    "model": entry.label,
                    "keep_days": keep,
                    "queryset": queryset,
                    "due": queryset.count(),
                }
            )
    return plan


@transaction.atomic
def enforce_retention(*, dry_run: bool = False, schools=None, now=None) -> list[dict]:
    """Deletes (unless ``dry_run``) what the plan names; audited per school when rows go. Also
    removes expired export archives."""
    plan = retention_plan(schools=schools, now=now)
    for item in plan:
        item["deleted"] = 0
        if not dry_run and item["due"]:
            item["deleted"], _detail = item["queryset"].delete()
            record_event(
                "privacy.retention_enforced",
                school=item["school"],
                target_type=item["model"].lower(),
                target_label=f"{item['model']} older than {item['keep_days']} days",
                changes={"category": item["category"], "deleted": item["deleted"]},
            )
    if not dry_run:
        for job in DataExportJob.objects.filter(expires_at__lt=now or timezone.now()).exclude(archive=""):
            job.archive.delete(save=True)
    return plan


@transaction.atomic
def delete_retention_policy(*, actor: User, policy: RetentionPolicy) -> None:
    """The category falls back to the platform default (PRIVACY_RETENTION_DEFAULTS)."""
    record_event(
        "privacy.retention_deleted",
        actor=actor,
        school=policy.school,
        target=policy,
        changes={"category": policy.category, "keep_days": policy.keep_days},
    )
    policy.delete()
