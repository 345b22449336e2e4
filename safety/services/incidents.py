"""Writes for incident reports: filing a report (with its reference number), corrections as
amendments, the review workflow and follow-up actions. Reports are never deleted and never edited
in place without a trace: every change to a filed report is an ``IncidentAmendment`` holding each
changed field's old and new value, so the original report can always be rebuilt."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School
from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from accounts.services.preferences import user_language
from safety import notifications as events
from safety.models import (
    Incident,
    IncidentAction,
    IncidentAmendment,
    IncidentKind,
    IncidentSeverity,
    IncidentStatus,
    IncidentStudent,
)
from safety.services.incidents_data import allowed_transitions, incident_config
from safety.services.incidents_validation import clean_report, snapshot

VIEW = "safety.view_incident"
ADD = "safety.add_incident"
CHANGE = "safety.change_incident"
MANAGE = "safety.manage_incident"

SCALAR_FIELDS = (
    "kind",
    "severity",
    "occurred_at",
    "location",
    "space",
    "pe_class",
    "session",
    "activity",
    "surface",
    "description",
    "contributing_factors",
    "contributing_notes",
    "first_aid_given",
    "first_aid_by",
    "witnesses",
    "supervision",
    "guardian_notified_at",
    "guardian_notified_by",
    "medical_referral",
    "emergency_services_called",
    "days_missed",
)
M2M_FIELDS = ("equipment", "staff_present")
REPORT_FIELDS = (*SCALAR_FIELDS, *M2M_FIELDS, "students")


def require(actor, perm: str, school_id: int) -> None:
    if not (actor.is_superuser or has_school_perm(actor, perm, school_id)):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


def _url(incident) -> str:
    return reverse("safety-incident-detail", args=[incident.pk])


def _next_reference(school: School, year: int) -> str:
    prefix = f"{incident_config()['reference_prefix']}-{year}-"
    last = (
        Incident.objects.filter(school=school, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _save_students(incident: Incident, students: list[dict]) -> None:
    incident.students.all().delete()
    IncidentStudent.objects.bulk_create(
        IncidentStudent(
            incident=incident,
            student=item["student"],
            injured=item["injured"],
            body_area=item["body_area"],
            injury_type=item["injury_type"],
            notes=item["notes"],
        )
        for item in students
    )


def _notify_leads(incident: Incident, actor) -> None:
    for lead in events.safety_leads(incident.school):
        if lead.pk == getattr(actor, "pk", None):
            continue
        with user_language(lead):
            title = _("%(kind)s reported: %(reference)s") % {
                "kind": incident.get_kind_display(),
                "reference": incident.reference,
            }
            body = _("%(location)s, %(when)s. Severity: %(severity)s.") % {
                "location": incident.location,
                "when": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
                "severity": incident.get_severity_display(),
            }
        notify(lead, events.INCIDENT_REPORTED, title, body, _url(incident))


@transaction.atomic
def report_incident(*, actor, school: School, **values) -> Incident:
    """Files a report: validates every field (students, class, session, equipment and staff must
    belong to ``school``), gives it the next reference of the school and year, notifies the
    school's safety leads and audits it."""
    require(actor, ADD, school.pk)
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if values.get("kind") == IncidentKind.NEAR_MISS and not values.get("severity"):
        values["severity"] = IncidentSeverity.NONE
    data = clean_report(school, values, current=None)
    students = data.pop("students", [])
    m2m = {name: data.pop(name, []) for name in M2M_FIELDS}
    year = timezone.localdate().year
    for attempt in range(5):
        School.objects.select_for_update(of=("self",)).filter(pk=school.pk).first()  # serialise numbering per school
        incident = Incident(school=school, reported_by=actor, reference=_next_reference(school, year), **data)
        try:
            with transaction.atomic():
                incident.save()
        except IntegrityError:
            if attempt == 4:
                raise
            continue
        break
    for name, items in m2m.items():
        getattr(incident, name).set(items)
    _save_students(incident, students)
    record_event(
        "safety.incident_reported",
        actor=actor,
        school=school,
        target=incident,
        target_label=incident.reference,
        changes={"kind": incident.kind, "severity": incident.severity, "students": len(students)},
    )
    _notify_leads(incident, actor)
    return incident


@transaction.atomic
def amend_incident(*, actor, incident: Incident, reason: str, **values) -> IncidentAmendment:
    """A correction: records ``{field: [old, new]}`` for the fields whose value really changes,
    then applies them. ``reason`` is required. Status is changed only through ``transition``."""
    require(actor, CHANGE, incident.school_id)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the report is being corrected."), field="reason")
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be amended: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    incident = Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)
    before = snapshot(incident)
    data = clean_report(incident.school, values, current=incident)
    students = data.pop("students", None)
    m2m = {name: data.pop(name) for name in M2M_FIELDS if name in data}
    for name, value in data.items():
        setattr(incident, name, value)
    incident.save()
    for name, items in m2m.items():
        getattr(incident, name).set(items)
    if students is not None:
        _save_students(incident, students)
    after = snapshot(incident)
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if not changes:
        raise ServiceError(_("Nothing was changed."), code="unchanged")
    amendment = IncidentAmendment.objects.create(
        incident=incident, kind=IncidentAmendment.Kind.CORRECTION, author=actor, reason=reason[:300], changes=changes
    )
    record_event(
        "safety.incident_amended",
        actor=actor,
        school=incident.school,
        target=incident,
        target_label=incident.reference,
        changes={"fields": sorted(changes), "reason": reason[:300]},
    )
    return amendment


@transaction.atomic
def transition(*, actor, incident: Incident, to_status: str, reason: str = "") -> Incident:
    """Moves the report along the workflow (allowed moves are data). Closing needs every follow-up
    action completed; reopening a closed report sends it back to review and needs a reason."""
    require(actor, MANAGE, incident.school_id)
    incident = (
        Incident.objects.select_for_update(of=("self",)).select_related("school", "reported_by").get(pk=incident.pk)
    )
    old = incident.status
    if to_status not in allowed_transitions(old):
        raise ServiceError(
            _("A report that is %(current)s cannot move to %(target)s.")
            % {
                "current": incident.get_status_display(),
                "target": dict(IncidentStatus.choices).get(to_status, to_status),
            },
            field="status",
            code="invalid_transition",
        )
    reason = (reason or "").strip()
    if old == IncidentStatus.CLOSED and not reason:
        raise ServiceError(_("Say why the report is being reopened."), field="reason")
    if to_status == IncidentStatus.CLOSED:
        open_actions = list(incident.actions.filter(completed_at__isnull=True).order_by("due_date", "pk"))
        if open_actions:
            raise ServiceError(
                _("Complete the open follow-up actions first: %(actions)s.")
                % {"actions": "; ".join(action.description for action in open_actions)},
                field="status",
                code="open_actions",
            )
    incident.status = to_status
    incident.closed_at = timezone.now() if to_status == IncidentStatus.CLOSED else None
    incident.save(update_fields=["status", "closed_at", "updated_at"])
    IncidentAmendment.objects.create(
        incident=incident,
        kind=IncidentAmendment.Kind.STATUS,
        author=actor,
        reason=(reason or _("Status changed"))[:300],
        changes={"status": [old, to_status]},
    )
    record_event(
        "safety.incident_reopened" if old == IncidentStatus.CLOSED else "safety.incident_status_changed",
        actor=actor,
        school=incident.school,
        target=incident,
        target_label=incident.reference,
        changes={"status": {"before": old, "after": to_status}, "reason": reason[:300]},
    )
    reporter = incident.reported_by
    if reporter is not None and reporter.pk != actor.pk and reporter.is_active:
        with user_language(reporter):
            title = _("%(reference)s is now %(status)s") % {
                "reference": incident.reference,
                "status": incident.get_status_display(),
            }
        notify(reporter, events.INCIDENT_UPDATED, title, reason, _url(incident))
    return incident


def _is_school_staff(user, school_id: int) -> bool:
    from accounts.selectors import members_of

    return members_of(school_id).filter(pk=user.pk).exists()


@transaction.atomic
def add_action(*, actor, incident: Incident, description: str, owner, due_date: datetime.date) -> IncidentAction:
    """A follow-up action with an owner from the school's staff and a due date not before the
    incident. Notifies the owner."""
    require(actor, MANAGE, incident.school_id)
    description = (description or "").strip()
    if not description:
        raise ServiceError(_("Describe the action."), field="description")
    if owner is None or not _is_school_staff(owner, incident.school_id):
        raise ServiceError(_("The owner must be a staff member of the school."), field="owner")
    if not isinstance(due_date, datetime.date):
        raise ServiceError(_("Give a due date."), field="due_date")
    if due_date < timezone.localtime(incident.occurred_at).date():
        raise ServiceError(_("The due date cannot be before the incident."), field="due_date")
    if incident.status == IncidentStatus.CLOSED:
        raise ServiceError(_("Reopen the report before adding actions."), field="incident")
    action = IncidentAction.objects.create(
        incident=incident, description=description[:300], owner=owner, due_date=due_date
    )
    record_event(
        "safety.incident_action_added",
        actor=actor,
        school=incident.school,
        target=action,
        target_label=f"{incident.reference}: {action.description[:60]}",
        changes={"owner": owner.pk, "due_date": due_date.isoformat()},
    )
    with user_language(owner):
        title = _("Follow-up action for %(reference)s") % {"reference": incident.reference}
        body = _("%(action)s — due %(due)s") % {"action": action.description, "due": due_date.isoformat()}
    notify(owner, events.INCIDENT_ACTION_ASSIGNED, title, body, _url(incident))
    return action


@transaction.atomic
def complete_action(*, actor, action: IncidentAction, note: str = "") -> IncidentAction:
    """The owner (or someone who manages incidents) marks the action done."""
    action = IncidentAction.objects.select_for_update(of=("self",)).select_related("incident__school").get(pk=action.pk)
    school_id = action.incident.school_id
    if action.owner_id != actor.pk:
        require(actor, MANAGE, school_id)
    else:
        require(actor, VIEW, school_id)
    if action.completed_at is not None:
        raise ServiceError(_("This action is already completed."), field="action")
    action.completed_at = timezone.now()
    action.completed_by = actor
    action.completion_note = (note or "").strip()[:300]
    action.save(update_fields=["completed_at", "completed_by", "completion_note"])
    record_event(
        "safety.incident_action_completed",
        actor=actor,
        school=action.incident.school,
        target=action,
        target_label=f"{action.incident.reference}: {action.description[:60]}",
    )
    return action


def record_view(*, actor, incident: Incident) -> None:
    """Incident details are sensitive (DESIGN §5): every read of one report is audit-logged."""
    record_event(
        "safety.incident_viewed", actor=actor, school=incident.school, target=incident, target_label=incident.reference
    )
