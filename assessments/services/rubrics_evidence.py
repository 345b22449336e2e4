"""Private evidence files on skill assessments: upload (checked by their bytes, see
``assessments.files``), reads audit-logged, deletion."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from assessments.files import check_evidence
from assessments.models import AssessmentMode, EvidenceFile
from assessments.selectors import rubrics as sel


def can_upload(actor, assessment) -> bool:
    """Staff who may score in the school, or the student who made a self/peer assessment."""
    if actor is None:
        return True
    if has_school_perm(actor, sel.SCORE, assessment.student.school_id):
        return True
    return assessment.mode != AssessmentMode.TEACHER and assessment.assessor_id == actor.pk


@transaction.atomic
def add_evidence(*, actor, assessment, upload) -> EvidenceFile:
    if not can_upload(actor, assessment):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)
    _kind, content_type = check_evidence(upload, field="file")
    name = (getattr(upload, "name", "") or "evidence")[-200:]
    evidence = EvidenceFile(
        assessment=assessment, original_name=name, content_type=content_type, size_bytes=upload.size, uploaded_by=actor
    )
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    record_event(
        "assessments.evidence_added",
        actor=actor,
        school=assessment.student.school,
        target=evidence,
        target_label=name,
    )
    return evidence


def record_read(*, actor, evidence) -> None:
    """Every download is audit-logged."""
    record_event(
        "assessments.evidence_read",
        actor=actor,
        school=evidence.assessment.student.school,
        target=evidence,
        target_label=evidence.original_name,
    )


@transaction.atomic
def delete_evidence(*, actor, evidence) -> None:
    if not can_upload(actor, evidence.assessment):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)
    record_event(
        "assessments.evidence_deleted",
        actor=actor,
        school=evidence.assessment.student.school,
        target=evidence,
        target_label=evidence.original_name,
    )
    evidence.file.delete(save=False)
    evidence.delete()
