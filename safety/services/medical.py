"""Writes for medical profiles (safety §1), and the audit of every sensitive read.

Why here: a profile is health data, so every write checks who is writing (staff with
``safety.change_medicalprofile`` in the student's school, or the student's guardian), validates
the whole profile before storing anything, and writes an audit row with masked values in the same
transaction. Guardians may edit everything except the confidential staff notes (the profile's and
each condition's); their changes notify the school's safety leads. Reads of a full profile, of
the action plan and of a class's needs are audited too (DESIGN §5).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import preferences
from accounts.services.audit import MASK, record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from physed.models import Student
from safety import notifications as events
from safety.files import check_document
from safety.models import ActivityRestriction, EmergencyContact, MedicalCondition, MedicalProfile, Medication
from safety.selectors import medical as selectors

PROFILE_FIELDS = ("pe_instructions", "notes", "reviewed_on")
STAFF_ONLY_FIELDS = frozenset({"notes"})
CHILDREN = {
    "conditions": (
        MedicalCondition,
        ("kind", "name", "trigger", "severity", "occurred_on", "pe_instructions", "notes"),
    ),
    "medications": (Medication, ("name", "dose", "schedule", "location", "notes")),
    "restrictions": (ActivityRestriction, ("kind", "reason", "start_date", "end_date", "documented_by")),
    "contacts": (EmergencyContact, ("name", "relationship", "phone", "alternate_phone", "priority")),
}
# confidential per child list: guardians neither read nor write these
STAFF_ONLY_CHILD_FIELDS = {"conditions": frozenset({"notes"})}


def _forbidden(message: str, field: str | None = None) -> ServiceError:
    return ServiceError(message, field=field, code="permission_denied", status=403)


def _first_error(exc: ValidationError, prefix: str) -> ServiceError:
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        return ServiceError(str(errors[0].messages[0]), field=f"{prefix}.{name}" if prefix else name)
    return ServiceError(str(exc.messages[0]), field=prefix or None)


def _value(model, name: str, value):
    """``None`` for a text field means empty text (text columns are not nullable)."""
    if value is None and model._meta.get_field(name).get_internal_type() in ("CharField", "TextField"):
        return ""
    return value


# ---- nested lists ---------------------------------------------------------------------------------


def _prepare_children(profile: MedicalProfile, name: str, items, *, as_guardian: bool) -> tuple[list, list]:
    """Validates one replace-all list: returns (rows to save, ids to delete). An item with an
    ``id`` updates that row of this profile; items without one are new rows; rows not named are
    deleted. Nothing is written here."""
    model, fields = CHILDREN[name]
    if not isinstance(items, list | tuple):
        raise ServiceError(_("This must be a list."), field=name)
    staff_only = STAFF_ONLY_CHILD_FIELDS.get(name, frozenset())
    existing = {row.pk: row for row in model.objects.filter(profile=profile)} if profile.pk else {}
    rows, seen = [], set()
    for index, item in enumerate(items):
        prefix = f"{name}[{index}]"
        if not isinstance(item, dict):
            raise ServiceError(_("Each entry must be an object."), field=prefix)
        unknown = set(item) - set(fields) - {"id"}
        if unknown:
            raise ServiceError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, field=prefix)
        if as_guardian and staff_only & set(item):
            raise _forbidden(_("Only school staff can write confidential notes."), field=f"{prefix}.notes")
        row_id = item.get("id")
        if row_id is not None:
            if row_id not in existing or row_id in seen:
                raise ServiceError(_("No entry of this profile has this id."), field=f"{prefix}.id")
            seen.add(row_id)
            row = existing[row_id]
        else:
            row = model(profile=profile)
        for key in fields:
            if key in item:
                setattr(row, key, _value(model, key, item[key]))
        if name == "contacts" and item.get("priority") is None:
            row.priority = index + 1
        try:
            row.full_clean(exclude=["profile"])
        except ValidationError as exc:
            raise _first_error(exc, prefix) from exc
        if name == "restrictions" and row.end_date is not None and row.end_date < row.start_date:
            raise ServiceError(_("The end date cannot be before the start date."), field=f"{prefix}.end_date")
        rows.append(row)
    return rows, [pk for pk in existing if pk not in seen]


def _snapshot(profile: MedicalProfile) -> dict:
    state = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    if profile.pk:
        for name, (model, fields) in CHILDREN.items():
            state[name] = sorted(
                tuple(str(value) for value in row) for row in model.objects.filter(profile=profile).values_list(*fields)
            )
    else:
        state.update({name: [] for name in CHILDREN})
    return state


def _masked_changes(before: dict, after: dict) -> dict:
    """Which parts changed, never their values (health data): scalar fields as masked
    before/after, lists as their sizes."""
    changes = {}
    for key in PROFILE_FIELDS:
        if before[key] != after[key]:
            changes[key] = {"before": MASK, "after": MASK}
    for key in CHILDREN:
        if before[key] != after[key]:
            changes[key] = {"before": len(before[key]), "after": len(after[key])}
    return changes


def _notify_leads(*, actor, student: Student, what: str) -> None:
    url = reverse("safety-medical-detail", args=[student.pk])
    for lead in events.safety_leads(student.school):
        if lead.pk == actor.pk:
            continue
        with preferences.user_language(lead):
            title = _("%(name)s's medical profile was updated by a guardian") % {"name": student.display_name}
            body = _("%(guardian)s changed: %(what)s. Review the profile.") % {
                "guardian": actor.get_full_name() or actor.email,
                "what": what,
            }
        notify(lead, events.MEDICAL_UPDATED, title, body, url)


# ---- profile ----------------------------------------------------------------------------------------


@transaction.atomic
def save_profile(
    *,
    actor,
    student: Student,
    values: dict | None = None,
    conditions=None,
    medications=None,
    restrictions=None,
    contacts=None,
    must_create: bool = False,
) -> MedicalProfile:
    """Creates or updates the student's profile. Lists given replace the profile's rows (items
    with an ``id`` keep that row); lists left out are untouched. All or nothing."""
    if not selectors.can_edit_profile(actor, student):
        raise _forbidden(_("You may not edit this student's medical profile."))
    as_guardian = selectors.edits_as_guardian(actor, student)
    values = dict(values or {})
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown profile fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if as_guardian and STAFF_ONLY_FIELDS & set(values):
        raise _forbidden(_("Only school staff can write confidential notes."), field="notes")

    profile = MedicalProfile.objects.select_for_update(of=("self",)).filter(student=student).first()
    created = profile is None
    if created:
        profile = MedicalProfile(student=student)
    elif must_create:
        raise ServiceError(_("This student already has a medical profile; update it instead."), field="student")
    before = _snapshot(profile)
    for name, value in values.items():
        setattr(profile, name, _value(MedicalProfile, name, value))
    try:
        profile.full_clean(exclude=["student", "action_plan"], validate_unique=False)
    except ValidationError as exc:
        raise _first_error(exc, "") from exc

    given = {"conditions": conditions, "medications": medications, "restrictions": restrictions, "contacts": contacts}
    prepared = {
        name: _prepare_children(profile, name, items, as_guardian=as_guardian)
        for name, items in given.items()
        if items is not None
    }
    profile.updated_by = actor
    profile.save()
    for name, (rows, stale) in prepared.items():
        model = CHILDREN[name][0]
        model.objects.filter(profile=profile, pk__in=stale).delete()
        for row in rows:
            row.profile = profile
            row.save()

    after = _snapshot(profile)
    changes = _masked_changes(before, after)
    if created or changes:
        record_event(
            "safety.medical_profile_created" if created else "safety.medical_profile_changed",
            actor=actor,
            school=student.school,
            target=profile,
            changes={**changes, "by_guardian": as_guardian},
        )
    if as_guardian and (created or changes):
        _notify_leads(actor=actor, student=student, what=", ".join(sorted(changes)) or _("new profile"))
    return profile


def _delete_file_on_commit(name: str) -> None:
    if not name:
        return
    storage = MedicalProfile._meta.get_field("action_plan").storage

    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def upload_action_plan(*, actor, profile: MedicalProfile, upload) -> MedicalProfile:
    """Stores the action plan (a PDF, PNG or JPEG checked by its bytes) in the private storage,
    replacing any previous one."""
    student = profile.student
    if not selectors.can_edit_profile(actor, student):
        raise _forbidden(_("You may not edit this student's medical profile."))
    kind, content_type = check_document(upload, field="file")
    profile = MedicalProfile.objects.select_for_update(of=("self",)).get(pk=profile.pk)
    old = profile.action_plan.name
    extension = "jpg" if kind == "jpeg" else kind
    profile.action_plan.save(f"action-plan.{extension}", upload, save=False)
    profile.action_plan_content_type = content_type
    profile.action_plan_size = upload.size
    profile.updated_by = actor
    profile.save()
    _delete_file_on_commit(old)
    as_guardian = selectors.edits_as_guardian(actor, student)
    record_event(
        "safety.medical_action_plan_uploaded",
        actor=actor,
        school=student.school,
        target=profile,
        changes={"content_type": content_type, "size": upload.size, "replaced": bool(old), "by_guardian": as_guardian},
    )
    if as_guardian:
        _notify_leads(actor=actor, student=student, what=_("action plan"))
    return profile


@transaction.atomic
def remove_action_plan(*, actor, profile: MedicalProfile) -> MedicalProfile:
    student = profile.student
    if not selectors.can_edit_profile(actor, student):
        raise _forbidden(_("You may not edit this student's medical profile."))
    profile = MedicalProfile.objects.select_for_update(of=("self",)).get(pk=profile.pk)
    if not profile.action_plan:
        raise ServiceError(_("This profile has no action plan."), field="file", code="missing")
    _delete_file_on_commit(profile.action_plan.name)
    profile.action_plan = ""
    profile.action_plan_content_type = ""
    profile.action_plan_size = 0
    profile.updated_by = actor
    profile.save()
    as_guardian = selectors.edits_as_guardian(actor, student)
    record_event(
        "safety.medical_action_plan_removed",
        actor=actor,
        school=student.school,
        target=profile,
        changes={"by_guardian": as_guardian},
    )
    if as_guardian:
        _notify_leads(actor=actor, student=student, what=_("action plan removed"))
    return profile


# ---- audited reads --------------------------------------------------------------------------------


def record_profile_read(*, actor, profile: MedicalProfile, context: str = "page") -> None:
    """Every read of a full profile (page, API retrieve, action plan download) is audit-logged."""
    record_event(
        "safety.medical_profile_viewed",
        actor=actor,
        school=profile.student.school,
        target=profile,
        changes={"context": context},
    )


def record_class_needs_read(actor, school, students, context: str) -> None:
    """One audit row per view of a class's needs (page, API, live panel): who saw the needs of
    which students, and where (``context``, e.g. ``"class:12"`` or ``"session:40"``)."""
    ids = sorted(student if isinstance(student, int) else student.pk for student in students)
    record_event(
        "safety.class_needs_viewed",
        actor=actor,
        school=school,
        target_type="safety.classneeds",
        target_id=context[:40],
        target_label=f"class needs ({context})"[:200],
        changes={"context": context, "students": ids},
    )


def today() -> datetime.date:
    """The school day the needs and restrictions are computed for."""
    return timezone.localdate()
