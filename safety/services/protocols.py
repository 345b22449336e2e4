"""Writes for safety protocols and emergency procedures: create/update/delete, review sign-off,
steps (replaced as an ordered list, or reordered), drills, and the daily reminders.

Why here: every write checks the permission in the row's school, validates the lists a client
sends (checks, steps, contacts, staff ids) against safety/data/protocols.json, and writes its audit
row in the same transaction; the reminders remember what they sent (``review_reminded_on``,
``drill_reminded_for``) so a daily run never repeats itself."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School
from accounts.services.audit import diff, record_event
from accounts.services.errors import ServiceError
from accounts.services.schools import require_school_perm, school_for_write
from safety.models import Drill, EmergencyProcedure, EmergencyStep, ProtocolSignOff, SafetyProtocol
from safety.services.protocols_rules import clean_checks, clean_contacts, clean_steps, not_future, require_staff

ADD_PROTOCOL = "safety.add_safetyprotocol"
CHANGE_PROTOCOL = "safety.change_safetyprotocol"
DELETE_PROTOCOL = "safety.delete_safetyprotocol"
SIGN_OFF = "safety.sign_off_safetyprotocol"
ADD_PROCEDURE = "safety.add_emergencyprocedure"
CHANGE_PROCEDURE = "safety.change_emergencyprocedure"
DELETE_PROCEDURE = "safety.delete_emergencyprocedure"
ADD_DRILL = "safety.add_drill"

PROTOCOL_FIELDS = (
    "title",
    "activity_category",
    "space",
    "requirements",
    "pre_activity_checks",
    "supervision_ratio",
    "protective_equipment_notes",
    "review_interval_days",
    "owner",
    "status",
    "last_reviewed_on",
)
PROCEDURE_FIELDS = (
    "kind",
    "title",
    "location",
    "contacts",
    "aed_locations",
    "first_aid_locations",
    "drill_interval_days",
    "is_active",
)


# ---- shared checks -------------------------------------------------------------------------


def _require(actor, perm: str, school: School) -> None:
    require_school_perm(actor, perm, school)


def _full_clean(obj, exclude=()) -> None:
    try:
        obj.full_clean(exclude=["school", *exclude], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=None if field == "__all__" else field) from exc


# ---- protocols -----------------------------------------------------------------------------


def protocol_snapshot(protocol: SafetyProtocol) -> dict:
    data = {name: getattr(protocol, name) for name in PROTOCOL_FIELDS if name != "owner"}
    data["owner"] = protocol.owner_id
    data["last_reviewed_on"] = protocol.last_reviewed_on.isoformat() if protocol.last_reviewed_on else None
    if protocol.pk:
        data["protective_equipment"] = sorted(protocol.protective_equipment.values_list("slug", flat=True))
    return data


def _apply_protocol(protocol: SafetyProtocol, fields: dict) -> list | None:
    equipment = fields.pop("protective_equipment", None)
    unknown = set(fields) - set(PROTOCOL_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown field."), field=sorted(unknown)[0])
    if "pre_activity_checks" in fields:
        fields["pre_activity_checks"] = clean_checks(fields["pre_activity_checks"])
    not_future(fields.get("last_reviewed_on"), "last_reviewed_on")
    if fields.get("owner") is not None:
        require_staff(protocol.school, [fields["owner"]], "owner")
    for name, value in fields.items():
        setattr(protocol, name, value)
    _full_clean(protocol, exclude=["owner"])
    return equipment


@transaction.atomic
def create_protocol(*, actor, school: School | None = None, **fields) -> SafetyProtocol:
    """A protocol for an activity category and/or a space; ``protective_equipment`` takes
    EquipmentType rows, ``owner`` a staff user of the school."""
    school = school_for_write(actor=actor, perm=ADD_PROTOCOL, school=school)
    protocol = SafetyProtocol(school=school)
    equipment = _apply_protocol(protocol, dict(fields))
    protocol.save()
    if equipment:
        protocol.protective_equipment.set(equipment)
    record_event(
        "safety.protocol_created",
        actor=actor,
        school=school,
        target=protocol,
        changes={"after": protocol_snapshot(protocol)},
    )
    return protocol


@transaction.atomic
def update_protocol(*, actor, protocol: SafetyProtocol, **fields) -> SafetyProtocol:
    _require(actor, CHANGE_PROTOCOL, protocol.school)
    fields.pop("last_reviewed_on", None)  # set only by a sign-off once the protocol exists
    before = protocol_snapshot(protocol)
    equipment = _apply_protocol(protocol, dict(fields))
    protocol.save()
    if equipment is not None:
        protocol.protective_equipment.set(equipment)
    changes = diff(before, protocol_snapshot(protocol))
    if changes:
        record_event("safety.protocol_updated", actor=actor, school=protocol.school, target=protocol, changes=changes)
    return protocol


@transaction.atomic
def delete_protocol(*, actor, protocol: SafetyProtocol) -> None:
    _require(actor, DELETE_PROTOCOL, protocol.school)
    before, school, pk = protocol_snapshot(protocol), protocol.school, protocol.pk
    protocol.delete()
    record_event(
        "safety.protocol_deleted",
        actor=actor,
        school=school,
        target_type="safety.safetyprotocol",
        target_id=str(pk),
        target_label=before["title"],
        changes={"before": before},
    )


@transaction.atomic
def sign_off_protocol(
    *, actor, protocol: SafetyProtocol, note: str = "", signed_on: datetime.date | None = None
) -> ProtocolSignOff:
    """Confirms the protocol is current: records who/when/note, moves ``last_reviewed_on`` (so the
    next review is due one interval later) and re-arms the reminder for the new cycle."""
    _require(actor, SIGN_OFF, protocol.school)
    signed_on = signed_on or timezone.localdate()
    not_future(signed_on, "signed_on")
    if protocol.last_reviewed_on and signed_on < protocol.last_reviewed_on:
        raise ServiceError(_("A later review is already signed off."), field="signed_on", code="stale")
    note = (note or "").strip()
    if len(note) > 300:
        raise ServiceError(_("The note is longer than 300 characters."), field="note")
    sign_off = ProtocolSignOff.objects.create(protocol=protocol, signed_by=actor, signed_on=signed_on, note=note)
    previous = protocol.last_reviewed_on
    protocol.last_reviewed_on = signed_on
    protocol.review_reminded_on = None
    protocol.save(update_fields=["last_reviewed_on", "review_reminded_on", "updated_at"])
    record_event(
        "safety.protocol_signed_off",
        actor=actor,
        school=protocol.school,
        target=protocol,
        changes={
            "last_reviewed_on": {"before": previous.isoformat() if previous else None, "after": signed_on.isoformat()},
            "sign_off": sign_off.pk,
        },
    )
    return sign_off


# ---- emergency procedures ------------------------------------------------------------------


def procedure_snapshot(procedure: EmergencyProcedure) -> dict:
    data = {name: getattr(procedure, name) for name in PROCEDURE_FIELDS}
    if procedure.pk:
        data["steps"] = [[s.order, s.role, s.instruction] for s in procedure.steps.order_by("order")]
    return data


def _apply_procedure(procedure: EmergencyProcedure, fields: dict) -> None:
    unknown = set(fields) - set(PROCEDURE_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown field."), field=sorted(unknown)[0])
    if "contacts" in fields:
        fields["contacts"] = clean_contacts(fields["contacts"])
    for name, value in fields.items():
        setattr(procedure, name, value)
    _full_clean(procedure)


def _write_steps(procedure: EmergencyProcedure, steps: list[dict]) -> None:
    procedure.steps.all().delete()
    EmergencyStep.objects.bulk_create(
        EmergencyStep(procedure=procedure, order=index, instruction=step["instruction"], role=step["role"])
        for index, step in enumerate(steps, start=1)
    )


@transaction.atomic
def create_procedure(*, actor, school: School | None = None, steps=None, **fields) -> EmergencyProcedure:
    """A procedure with its ordered ``steps`` (``[{instruction, role}]``) and contacts."""
    school = school_for_write(actor=actor, perm=ADD_PROCEDURE, school=school)
    cleaned_steps = clean_steps(steps or [])
    procedure = EmergencyProcedure(school=school)
    _apply_procedure(procedure, dict(fields))
    procedure.save()
    _write_steps(procedure, cleaned_steps)
    record_event(
        "safety.procedure_created",
        actor=actor,
        school=school,
        target=procedure,
        changes={"after": procedure_snapshot(procedure)},
    )
    return procedure


@transaction.atomic
def update_procedure(*, actor, procedure: EmergencyProcedure, steps=None, **fields) -> EmergencyProcedure:
    """``steps`` (when given) replaces the list: its order is the new order."""
    _require(actor, CHANGE_PROCEDURE, procedure.school)
    cleaned_steps = clean_steps(steps) if steps is not None else None
    before = procedure_snapshot(procedure)
    _apply_procedure(procedure, dict(fields))
    procedure.save()
    if cleaned_steps is not None:
        _write_steps(procedure, cleaned_steps)
    changes = diff(before, procedure_snapshot(procedure))
    if changes:
        record_event(
            "safety.procedure_updated", actor=actor, school=procedure.school, target=procedure, changes=changes
        )
    return procedure


@transaction.atomic
def reorder_steps(*, actor, procedure: EmergencyProcedure, step_ids: list[int]) -> EmergencyProcedure:
    """Puts the procedure's steps in the order of ``step_ids`` (each step exactly once)."""
    _require(actor, CHANGE_PROCEDURE, procedure.school)
    steps = {step.pk: step for step in procedure.steps.all()}
    if sorted(step_ids) != sorted(steps) or len(set(step_ids)) != len(step_ids):
        raise ServiceError(_("List every step of this procedure exactly once."), field="steps", code="mismatch")
    before = [steps[pk].order for pk in sorted(steps)]
    offset = len(steps) + 1000  # two passes keep the (procedure, order) constraint satisfied
    for index, pk in enumerate(step_ids, start=1):
        steps[pk].order = offset + index
    EmergencyStep.objects.bulk_update(steps.values(), ["order"])
    for index, pk in enumerate(step_ids, start=1):
        steps[pk].order = index
    EmergencyStep.objects.bulk_update(steps.values(), ["order"])
    record_event(
        "safety.procedure_steps_reordered",
        actor=actor,
        school=procedure.school,
        target=procedure,
        changes={"order": {"before": before, "after": step_ids}},
    )
    return procedure


@transaction.atomic
def delete_procedure(*, actor, procedure: EmergencyProcedure) -> None:
    _require(actor, DELETE_PROCEDURE, procedure.school)
    before, school, pk = procedure_snapshot(procedure), procedure.school, procedure.pk
    procedure.delete()
    record_event(
        "safety.procedure_deleted",
        actor=actor,
        school=school,
        target_type="safety.emergencyprocedure",
        target_id=str(pk),
        target_label=before["title"],
        changes={"before": before},
    )


def refresh_drill_dates(procedure: EmergencyProcedure) -> None:
    last = procedure.drills.order_by("-held_on").values_list("held_on", flat=True).first()
    procedure.last_drilled_on = last
    procedure.save(update_fields=["last_drilled_on", "updated_at"])


@transaction.atomic
def log_drill(
    *,
    actor,
    procedure: EmergencyProcedure,
    held_on: datetime.date,
    duration_minutes: int | None = None,
    participant_count: int = 0,
    participants=(),
    notes: str = "",
) -> Drill:
    """Logs a rehearsal (never in the future; staff participants must be the school's staff) and
    moves the procedure's next drill due date."""
    _require(actor, ADD_DRILL, procedure.school)
    not_future(held_on, "held_on")
    participants = list(participants or [])
    require_staff(procedure.school, participants, "participants")
    if participant_count < len(participants):
        raise ServiceError(
            _("The number of people taking part cannot be less than the staff listed."), field="participant_count"
        )
    drill = Drill(
        procedure=procedure,
        held_on=held_on,
        duration_minutes=duration_minutes,
        participant_count=participant_count,
        notes=(notes or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _full_clean(drill, exclude=["procedure", "recorded_by"])
    drill.save()
    drill.participants.set(participants)
    refresh_drill_dates(procedure)
    record_event(
        "safety.drill_logged",
        actor=actor,
        school=procedure.school,
        target=drill,
        changes={
            "procedure": procedure.pk,
            "held_on": held_on.isoformat(),
            "participant_count": participant_count,
            "participants": sorted(u.pk for u in participants),
        },
    )
    return drill
