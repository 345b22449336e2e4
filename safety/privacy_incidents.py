"""Personal-data declarations: incidents.

Incident reports are safety records with a legal retention period: a report is never deleted by
an erasure request. What happens to the people in it:

* **A student's erasure** (their linked account): their involvement rows (``IncidentStudent``)
  and the guardian notices about them are deleted; the report itself stays (what happened,
  where, contributing factors, actions) without naming them. Exported with the student's account:
  their involvement rows, the notices about them, and the reports they are involved in.
* **A guardian's export** includes the sent notices about their children.
* **A staff member's erasure** clears ``reported_by``, follow-up action ``owner``/``completed_by``,
  amendment ``author``, notice ``created_by`` and removes them from ``staff_present``; the rows stay.
  Exported with the staff account: the reports they filed, the actions they own and the
  amendments they wrote.
"""

from django.db.models import Q

from accounts.privacy import registry

RETAINED = (
    "Incident reports are safety records kept for the legal retention period; only the links to the person are removed."
)


def _incident_rows(user):
    from safety.models import Incident

    return Incident._base_manager.filter(
        Q(reported_by=user) | Q(students__student__user=user) | Q(staff_present=user)
    ).distinct()


def _erase_incident_links(queryset, user):
    from safety.models import Incident

    Incident.staff_present.through.objects.filter(user_id=user.pk).delete()
    cleared = Incident._base_manager.filter(reported_by=user).update(reported_by=None)
    return registry.ANONYMIZED, cleared


def _erase_actions(queryset, user):
    from safety.models import IncidentAction

    owned = IncidentAction._base_manager.filter(owner=user).update(owner=None)
    completed = IncidentAction._base_manager.filter(completed_by=user).update(completed_by=None)
    return registry.ANONYMIZED, owned + completed


def _notice_rows(user):
    from safety.models import GuardianNotice

    return GuardianNotice._base_manager.filter(
        Q(student__user=user) | Q(created_by=user) | Q(sent_at__isnull=False, student__guardianships__guardian=user)
    ).distinct()


def _erase_notices(queryset, user):
    from safety.models import GuardianNotice

    GuardianNotice._base_manager.filter(created_by=user).update(created_by=None)
    count, _detail = GuardianNotice._base_manager.filter(student__user=user).delete()
    return registry.DELETE, count


def register() -> None:
    from safety.models import GuardianNotice, Incident, IncidentAction, IncidentAmendment, IncidentStudent

    registry.register(
        Incident,
        category="safety_incidents",
        rows=_incident_rows,
        erase=_erase_incident_links,
        retained_reason=RETAINED,
    )
    registry.register(IncidentStudent, category="safety_incidents", user_path="student__user", erase=registry.DELETE)
    registry.register(
        IncidentAction,
        category="safety_incidents",
        rows=lambda user: IncidentAction._base_manager.filter(Q(owner=user) | Q(completed_by=user)),
        erase=_erase_actions,
    )
    registry.register(IncidentAmendment, category="safety_incidents", user_path="author", erase={"author": None})
    registry.register(GuardianNotice, category="safety_incidents", rows=_notice_rows, erase=_erase_notices)
