"""Writes for risk assessments: create and edit drafts (hazards replaced as a whole), the workflow
draft → submitted → approved / returned, reopening an approved one, deleting drafts, a school's
own risk bands, and the once-per-approval review reminders. Every write checks the permission in
the assessment's school, validates everything before storing anything, and is audited in the same
transaction."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from safety import notifications as events
from safety.models import Hazard, RiskAssessment, RiskAssessmentStatus, RiskSubject
from safety.selectors.risk import ADD, APPROVE, CHANGE, DELETE, is_staff_of

ASSESSMENT_FIELDS = (
    "title",
    "subject",
    "activity",
    "pe_class",
    "venue",
    "event_name",
    "event_date",
    "description",
    "owner",
    "review_date",
)
HAZARD_FIELDS = (
    "description",
    "who_at_risk",
    "likelihood",
    "severity",
    "controls",
    "residual_likelihood",
    "residual_severity",
)
LEVEL_FIELDS = ("likelihood", "severity", "residual_likelihood", "residual_severity")
MAX_HAZARDS = 60
SUBJECT_FIELD = {
    RiskSubject.ACTIVITY: "activity",
    RiskSubject.CLASS: "pe_class",
    RiskSubject.VENUE: "venue",
    RiskSubject.EVENT: "event_name",
}


def _deny(message: str | None = None):
    raise ServiceError(message or _("You do not have permission to do this."), code="permission_denied", status=403)


def _require(actor, perm: str, school) -> None:
    if not has_school_perm(actor, perm, school.pk):
        _deny()


def _url(assessment) -> str:
    return reverse("safety-assessment-detail", args=[assessment.pk])


# ---- validation ------------------------------------------------------------------------------


def _clean_values(school, values: dict) -> dict:
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    values = dict(values)
    for name in ("title", "venue", "event_name", "description"):
        if name in values:
            values[name] = (values[name] or "").strip()
    activity = values.get("activity")
    if activity is not None and activity.school_id not in (None, school.pk):
        raise ServiceError(_("This activity is not in the assessment's school's library."), field="activity")
    pe_class = values.get("pe_class")
    if pe_class is not None and pe_class.school_id != school.pk:
        raise ServiceError(_("This class is not in the assessment's school."), field="pe_class")
    if "owner" in values and values["owner"] is not None and not is_staff_of(values["owner"], school):
        raise ServiceError(_("The owner must be a staff member of the school."), field="owner")
    for name in ("review_date", "event_date"):
        if name in values and values[name] is not None and not isinstance(values[name], datetime.date):
            raise ServiceError(_("Enter a valid date (YYYY-MM-DD)."), field=name)
    return values


def _check_subject(assessment: RiskAssessment) -> None:
    if not assessment.title:
        raise ServiceError(_("Give the assessment a title."), field="title")
    if assessment.subject not in RiskSubject.values:
        raise ServiceError(
            _("Choose what is assessed: %(choices)s.") % {"choices": ", ".join(RiskSubject.values)}, field="subject"
        )
    name = SUBJECT_FIELD[assessment.subject]
    if not getattr(assessment, name):
        messages = {
            "activity": _("An assessment of an activity needs the activity."),
            "pe_class": _("An assessment of a class needs the class."),
            "venue": _("An assessment of a venue needs the venue."),
            "event_name": _("An assessment of an event needs the event's name."),
        }
        raise ServiceError(messages[name], field=name)
    if assessment.review_date is None:
        raise ServiceError(_("Give a review date."), field="review_date")
    if assessment.owner_id is None:
        raise ServiceError(_("Choose the owner, a staff member of the school."), field="owner")


def clean_hazards(items) -> list[dict]:
    """Each hazard: a description and four whole numbers 1–5; residual risk (after controls) may
    not exceed the initial risk. Raises ServiceError naming the row; stores nothing."""
    if not isinstance(items, list | tuple):
        raise ServiceError(_("Hazards must be a list."), field="hazards")
    if len(items) > MAX_HAZARDS:
        raise ServiceError(_("At most %(n)d hazards per assessment.") % {"n": MAX_HAZARDS}, field="hazards")
    cleaned = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ServiceError(_("Hazard %(n)d is not an object.") % {"n": number}, field="hazards")
        unknown = set(item) - set(HAZARD_FIELDS)
        if unknown:
            raise ServiceError(
                _("Hazard %(n)d: unknown fields %(fields)s.") % {"n": number, "fields": ", ".join(sorted(unknown))},
                field="hazards",
            )
        description = str(item.get("description") or "").strip()
        if not description:
            raise ServiceError(_("Hazard %(n)d: describe the hazard.") % {"n": number}, field="hazards")
        levels = {}
        for name in LEVEL_FIELDS:
            value = item.get(name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise ServiceError(
                    _("Hazard %(n)d: %(field)s must be a whole number from 1 to 5.")
                    % {"n": number, "field": name.replace("_", " ")},
                    field="hazards",
                )
            levels[name] = value
        initial = levels["likelihood"] * levels["severity"]
        residual = levels["residual_likelihood"] * levels["residual_severity"]
        if residual > initial:
            raise ServiceError(
                _(
                    "Hazard %(n)d: the residual risk (%(rl)d × %(rs)d = %(residual)d) cannot be higher than the "
                    "risk before controls (%(l)d × %(s)d = %(initial)d)."
                )
                % {
                    "n": number,
                    "rl": levels["residual_likelihood"],
                    "rs": levels["residual_severity"],
                    "residual": residual,
                    "l": levels["likelihood"],
                    "s": levels["severity"],
                    "initial": initial,
                },
                field="hazards",
            )
        cleaned.append(
            {
                "description": description[:300],
                "who_at_risk": str(item.get("who_at_risk") or "").strip()[:160],
                "controls": str(item.get("controls") or "").strip(),
                **levels,
            }
        )
    return cleaned


def _replace_hazards(assessment: RiskAssessment, hazards: list[dict]) -> None:
    assessment.hazards.all().delete()
    Hazard.objects.bulk_create(
        [Hazard(assessment=assessment, order=index, **values) for index, values in enumerate(hazards, start=1)]
    )


def _hazard_snapshot(assessment) -> list[str]:
    return [
        f"{h.description[:60]} {h.likelihood}×{h.severity}→{h.residual_likelihood}×{h.residual_severity}"
        for h in assessment.hazards.all()
    ]


def _snapshot(assessment) -> dict:
    return {
        name: (
            getattr(assessment, f"{name}_id")
            if name in ("activity", "pe_class", "owner")
            else getattr(assessment, name)
        )
        for name in ASSESSMENT_FIELDS
    }


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _may_edit(actor, assessment) -> bool:
    return actor.pk in (assessment.owner_id, assessment.created_by_id) or has_school_perm(
        actor, APPROVE, assessment.school_id
    )


# ---- assessments -----------------------------------------------------------------------------


@transaction.atomic
def create_assessment(*, actor, school, hazards=(), **values) -> RiskAssessment:
    """A new draft written by ``actor`` (the owner unless another staff member is named)."""
    _require(actor, ADD, school)
    values = _clean_values(school, values)
    cleaned = clean_hazards(list(hazards))
    values.setdefault("owner", actor if is_staff_of(actor, school) else None)
    assessment = RiskAssessment(school=school, created_by=actor, status=RiskAssessmentStatus.DRAFT, **values)
    _check_subject(assessment)
    assessment.save()
    _replace_hazards(assessment, cleaned)
    record_event(
        "safety.risk_assessment_created",
        actor=actor,
        school=school,
        target=assessment,
        changes={"title": assessment.title, "subject": assessment.subject, "hazards": len(cleaned)},
    )
    return assessment


def _locked(assessment) -> RiskAssessment:
    return RiskAssessment.objects.select_for_update(of=("self",)).select_related("school").get(pk=assessment.pk)


@transaction.atomic
def update_assessment(*, actor, assessment: RiskAssessment, hazards=None, **values) -> RiskAssessment:
    """Edits a draft; ``hazards`` (when given) replace the existing ones. Submitted and approved
    assessments are not edited: return or reopen them first."""
    assessment = _locked(assessment)
    _require(actor, CHANGE, assessment.school)
    if not _may_edit(actor, assessment):
        _deny(_("Only the owner, the author or a department head may edit this assessment."))
    if assessment.status != RiskAssessmentStatus.DRAFT:
        raise ServiceError(
            _("Only a draft can be edited: this assessment is %(status)s. Reopen or return it first.")
            % {"status": assessment.get_status_display().lower()},
            field="status",
            code="not_draft",
        )
    values = _clean_values(assessment.school, values)
    cleaned = clean_hazards(list(hazards)) if hazards is not None else None
    before = _snapshot(assessment)
    hazards_before = _hazard_snapshot(assessment)
    for name, value in values.items():
        setattr(assessment, name, value)
    _check_subject(assessment)
    assessment.save()
    changes = {
        key: {"before": _jsonable(before[key]), "after": _jsonable(value)}
        for key, value in _snapshot(assessment).items()
        if before[key] != value
    }
    if cleaned is not None:
        _replace_hazards(assessment, cleaned)
        hazards_after = _hazard_snapshot(assessment)
        if hazards_after != hazards_before:
            changes["hazards"] = {"before": hazards_before, "after": hazards_after}
    record_event(
        "safety.risk_assessment_changed", actor=actor, school=assessment.school, target=assessment, changes=changes
    )
    return assessment


@transaction.atomic
def submit_assessment(*, actor, assessment: RiskAssessment) -> RiskAssessment:
    """Draft → submitted: needs at least one hazard and a review date after today; the school's
    department heads (and admins) are told it waits for approval."""
    assessment = _locked(assessment)
    _require(actor, CHANGE, assessment.school)
    if actor.pk not in (assessment.owner_id, assessment.created_by_id):
        _deny(_("Only the owner or the author may submit this assessment."))
    if assessment.status != RiskAssessmentStatus.DRAFT:
        raise ServiceError(_("Only a draft can be submitted."), field="status", code="not_draft")
    if not assessment.hazards.exists():
        raise ServiceError(_("Add at least one hazard before submitting."), field="hazards")
    if assessment.review_date <= timezone.localdate():
        raise ServiceError(_("The review date must be after today."), field="review_date")
    _check_subject(assessment)
    assessment.status = RiskAssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.decided_by, assessment.decided_at, assessment.decision_note = None, None, ""
    assessment.save()
    record_event("safety.risk_assessment_submitted", actor=actor, school=assessment.school, target=assessment)
    for user in events.safety_leads(assessment.school):
        if user.pk != actor.pk:
            notify(
                user,
                events.ASSESSMENT_SUBMITTED,
                _("Risk assessment to approve: %(title)s") % {"title": assessment.title},
                _("%(name)s submitted it for approval.") % {"name": actor.get_full_name() or actor.email},
                _url(assessment),
            )
    return assessment


def _notify_owner(assessment, actor, title: str, body: str) -> None:
    recipients = {assessment.owner_id, assessment.created_by_id} - {None, actor.pk}
    from accounts.models import User

    for user in User.objects.filter(pk__in=recipients, is_active=True).order_by("pk"):
        notify(user, events.ASSESSMENT_DECIDED, title, body, _url(assessment))


@transaction.atomic
def decide_assessment(*, actor, assessment: RiskAssessment, approve: bool, note: str = "") -> RiskAssessment:
    """Submitted → approved, or back to draft with a note saying what to change. The author may
    not approve their own assessment."""
    assessment = _locked(assessment)
    _require(actor, APPROVE, assessment.school)
    note = (note or "").strip()[:500]
    if assessment.status != RiskAssessmentStatus.SUBMITTED:
        raise ServiceError(_("Only a submitted assessment can be approved or returned."), field="status")
    if approve and actor.pk == assessment.created_by_id:
        _deny(_("You wrote this assessment: someone else must approve it."))
    if not approve and not note:
        raise ServiceError(_("Say what needs to change when returning an assessment."), field="note")
    assessment.status = RiskAssessmentStatus.APPROVED if approve else RiskAssessmentStatus.DRAFT
    assessment.decided_by, assessment.decided_at, assessment.decision_note = actor, timezone.now(), note
    if approve:
        assessment.review_reminded_on = None
    assessment.save()
    verb = "approved" if approve else "returned"
    record_event(
        f"safety.risk_assessment_{verb}",
        actor=actor,
        school=assessment.school,
        target=assessment,
        changes={"note": note},
    )
    if approve:
        title = _("Risk assessment approved: %(title)s") % {"title": assessment.title}
    else:
        title = _("Risk assessment returned: %(title)s") % {"title": assessment.title}
    _notify_owner(assessment, actor, title, note)
    return assessment


@transaction.atomic
def reopen_assessment(*, actor, assessment: RiskAssessment, note: str = "") -> RiskAssessment:
    """Approved → draft (to revise it): clears the approval, which must then be given again."""
    assessment = _locked(assessment)
    _require(actor, CHANGE, assessment.school)
    if actor.pk != assessment.owner_id and not has_school_perm(actor, APPROVE, assessment.school_id):
        _deny(_("Only the owner or a department head may reopen this assessment."))
    if assessment.status != RiskAssessmentStatus.APPROVED:
        raise ServiceError(_("Only an approved assessment can be reopened."), field="status")
    previous = {
        "decided_by": assessment.decided_by_id,
        "decided_at": assessment.decided_at.isoformat() if assessment.decided_at else None,
    }
    assessment.status = RiskAssessmentStatus.DRAFT
    assessment.decided_by, assessment.decided_at = None, None
    assessment.decision_note = (note or "").strip()[:500]
    assessment.submitted_at = None
    assessment.save()
    record_event(
        "safety.risk_assessment_reopened",
        actor=actor,
        school=assessment.school,
        target=assessment,
        changes={"cleared_approval": previous, "note": assessment.decision_note},
    )
    return assessment


@transaction.atomic
def delete_assessment(*, actor, assessment: RiskAssessment) -> None:
    """Only drafts are deleted; submitted and approved ones are the school's record."""
    assessment = _locked(assessment)
    _require(actor, DELETE, assessment.school)
    if assessment.status != RiskAssessmentStatus.DRAFT:
        raise ServiceError(_("Only a draft can be deleted."), field="status", code="not_draft")
    record_event(
        "safety.risk_assessment_deleted",
        actor=actor,
        school=assessment.school,
        target=assessment,
        changes={"title": assessment.title},
    )
    assessment.delete()


# ---- review reminders ------------------------------------------------------------------------


@transaction.atomic
def remind_reviews(today: datetime.date | None = None) -> int:
    """Tells each owner (else the author) once that an approved assessment is due for review."""
    today = today or timezone.localdate()
    due = (
        RiskAssessment.objects.select_for_update(of=("self",))
        .filter(status=RiskAssessmentStatus.APPROVED, review_date__lte=today, review_reminded_on__isnull=True)
        .select_related("owner", "created_by", "school")
    )
    count = 0
    for assessment in due:
        recipient = assessment.owner or assessment.created_by
        if recipient is not None and recipient.is_active:
            notify(
                recipient,
                events.REVIEW_DUE,
                _("Risk assessment due for review: %(title)s") % {"title": assessment.title},
                _("The review date was %(date)s.") % {"date": assessment.review_date.isoformat()},
                _url(assessment),
            )
        assessment.review_reminded_on = today
        assessment.save(update_fields=["review_reminded_on", "updated_at"])
        record_event("safety.risk_assessment_review_reminded", school=assessment.school, target=assessment)
        count += 1
    return count
