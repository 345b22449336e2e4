"""Guardian notices: the letter to a student's guardians generated from an incident report in
the guardians' language, editable by staff until it is marked sent. Sending notifies the
student's guardians who have accounts and, when the report does not say yet, records that the
guardians were notified through the app (as an amendment, like every change to a report).

A notice carries only what a family should read: what happened to their child, where and when,
the first aid given and the referral. Staff-only content (contributing factors, witnesses, other
students, staff notes) never goes into it."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from accounts.services.preferences import language_for, user_language
from physed.models import Guardianship
from safety import notifications as events
from safety.models import (
    GuardianNotice,
    Incident,
    IncidentAmendment,
    IncidentStudent,
    MedicalReferral,
    NotificationMethod,
)
from safety.services.incidents import CHANGE, require

SUPPORTED_LANGUAGES = ("en", "es")


def notice_language(student) -> str:
    """The language of the student's first guardian with an account (their preference), else the
    school's default language."""
    guardianship = (
        Guardianship.objects.filter(student=student, guardian__isnull=False, guardian__is_active=True)
        .select_related("guardian")
        .order_by("-is_primary_contact", "pk")
        .first()
    )
    language = language_for(guardianship.guardian) if guardianship else student.school.default_language
    language = (language or "en")[:2]
    return language if language in SUPPORTED_LANGUAGES else "en"


def compose(incident: Incident, involvement: IncidentStudent, language: str) -> tuple[str, str]:
    """Subject and text of the notice, rendered in ``language``."""
    with translation.override(language):
        when = timezone.localtime(incident.occurred_at)
        name = involvement.student.display_name
        subject = _("Incident involving %(name)s on %(date)s") % {
            "name": name,
            "date": date_format(when.date(), "DATE_FORMAT"),
        }
        paragraphs = [
            _("Dear parent or guardian of %(name)s,") % {"name": name},
            _(
                "We are writing to let you know that %(name)s was involved in an incident during physical "
                "education on %(date)s at %(time)s (%(location)s)."
            )
            % {
                "name": name,
                "date": date_format(when.date(), "DATE_FORMAT"),
                "time": date_format(when, "TIME_FORMAT"),
                "location": incident.location,
            },
        ]
        if incident.activity_id:
            paragraphs.append(_("Activity: %(activity)s.") % {"activity": incident.activity.name})
        if involvement.injured:
            paragraphs.append(
                _("Injury: %(type)s (%(area)s).")
                % {"type": involvement.get_injury_type_display(), "area": involvement.get_body_area_display()}
            )
        if incident.first_aid_given:
            paragraphs.append(_("First aid given: %(aid)s") % {"aid": incident.first_aid_given})
        if incident.medical_referral != MedicalReferral.NONE:
            paragraphs.append(_("Referred to: %(referral)s.") % {"referral": incident.get_medical_referral_display()})
        if incident.emergency_services_called:
            paragraphs.append(_("Emergency services were called."))
        paragraphs.append(
            _(
                "Please watch for any change in how your child feels over the next days and contact a doctor "
                "if symptoms appear or get worse. If you have questions, please contact the school."
            )
        )
        paragraphs.append(_("Reference: %(reference)s") % {"reference": incident.reference})
        paragraphs.append(incident.school.name)
        return subject[:200], "\n\n".join(paragraphs)


@transaction.atomic
def generate_notices(*, actor, incident: Incident) -> list[GuardianNotice]:
    """One notice per injured student (or every student of an illness report). An unsent notice is
    regenerated in place; a sent one is kept and a new draft is not made for that student."""
    require(actor, CHANGE, incident.school_id)
    involvements = list(
        incident.students.select_related("student__school").filter(injured=True)
        or incident.students.select_related("student__school").all()
    )
    if incident.kind == "near_miss" or not involvements:
        raise ServiceError(_("There is no injured or ill student to write to the guardians about."), field="incident")
    notices = []
    for involvement in involvements:
        existing = GuardianNotice.objects.filter(incident=incident, student=involvement.student).order_by("-pk")
        if existing.filter(sent_at__isnull=False).exists():
            continue
        language = notice_language(involvement.student)
        subject, body = compose(incident, involvement, language)
        notice = existing.filter(sent_at__isnull=True).first()
        if notice is None:
            notice = GuardianNotice(incident=incident, student=involvement.student, created_by=actor)
        notice.language, notice.subject, notice.body = language, subject, body
        notice.save()
        notices.append(notice)
    if not notices:
        raise ServiceError(_("The notices for this report have already been sent."), field="incident")
    record_event(
        "safety.guardian_notices_generated",
        actor=actor,
        school=incident.school,
        target=incident,
        target_label=incident.reference,
        changes={"notices": [notice.pk for notice in notices]},
    )
    return notices


@transaction.atomic
def edit_notice(*, actor, notice: GuardianNotice, subject: str | None = None, body: str | None = None):
    require(actor, CHANGE, notice.incident.school_id)
    notice = GuardianNotice.objects.select_for_update(of=("self",)).select_related("incident__school").get(pk=notice.pk)
    if notice.sent_at is not None:
        raise ServiceError(_("A sent notice cannot be changed."), field="notice")
    if subject is not None:
        if not subject.strip():
            raise ServiceError(_("The subject cannot be empty."), field="subject")
        notice.subject = subject.strip()[:200]
    if body is not None:
        if not body.strip():
            raise ServiceError(_("The text cannot be empty."), field="body")
        notice.body = body.strip()
    notice.save(update_fields=["subject", "body"])
    record_event("safety.guardian_notice_edited", actor=actor, school=notice.incident.school, target=notice)
    return notice


@transaction.atomic
def mark_sent(*, actor, notice: GuardianNotice) -> GuardianNotice:
    """Marks the notice sent, notifies the student's guardians with accounts and fills the
    report's "guardian notified" fields when they are empty (recorded as an amendment)."""
    require(actor, CHANGE, notice.incident.school_id)
    notice = (
        GuardianNotice.objects.select_for_update(of=("self",))
        .select_related("incident__school", "student")
        .get(pk=notice.pk)
    )
    if notice.sent_at is not None:
        raise ServiceError(_("This notice was already sent."), field="notice")
    now = timezone.now()
    notice.sent_at = now
    notice.save(update_fields=["sent_at"])
    incident = Incident.objects.select_for_update(of=("self",)).get(pk=notice.incident_id)
    if incident.guardian_notified_at is None:
        old = {"guardian_notified_at": None, "guardian_notified_by": incident.guardian_notified_by}
        incident.guardian_notified_at = now
        incident.guardian_notified_by = NotificationMethod.APP
        incident.save(update_fields=["guardian_notified_at", "guardian_notified_by", "updated_at"])
        IncidentAmendment.objects.create(
            incident=incident,
            kind=IncidentAmendment.Kind.CORRECTION,
            author=actor,
            reason=_("Guardian notice sent through the app"),
            changes={
                "guardian_notified_at": [old["guardian_notified_at"], timezone.localtime(now).isoformat()],
                "guardian_notified_by": [old["guardian_notified_by"], NotificationMethod.APP.value],
            },
        )
    guardians = [
        row.guardian
        for row in Guardianship.objects.filter(student=notice.student, guardian__is_active=True).select_related(
            "guardian"
        )
    ]
    url = reverse("safety-guardian-notice", args=[notice.pk])
    for guardian in guardians:
        with user_language(guardian):
            notify(guardian, events.GUARDIAN_NOTICE, notice.subject, notice.body, url)
    record_event(
        "safety.guardian_notice_sent",
        actor=actor,
        school=notice.incident.school,
        target=notice,
        changes={"guardians": [guardian.pk for guardian in guardians]},
    )
    return notice
