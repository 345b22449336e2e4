"""Personal-data declarations: protocols and emergency procedures.

* ``SafetyProtocol.owner`` names the staff member responsible for a school document: the protocols
  a person owns are exported with their account; on erasure the protocol stays (the school's safety
  record) and loses its owner (reminders then go to the school's leads).
* ``ProtocolSignOff`` records who confirmed a review: exported with the signer's account; on
  erasure the sign-off stays (the review history is a compliance record) without the signer.
* ``Drill`` names the staff who recorded it and who took part: exported with each of those
  accounts; on erasure the drill stays and the person is removed from it.
* ``EmergencyProcedure.contacts`` are work contacts (names, roles, phone numbers) the school posts
  publicly in the building; they are not linked to accounts and are edited by the school.
"""

from django.db.models import Q

from accounts.privacy import registry


def _drill_rows(user):
    from safety.models import Drill

    return Drill._base_manager.filter(Q(recorded_by_id=user.pk) | Q(participants__id=user.pk)).distinct()


def _export_drills(queryset):
    for drill in queryset.prefetch_related("participants"):
        yield {
            "id": drill.pk,
            "procedure": drill.procedure_id,
            "held_on": drill.held_on.isoformat(),
            "duration_minutes": drill.duration_minutes,
            "participant_count": drill.participant_count,
            "participants": sorted(u.pk for u in drill.participants.all()),
            "recorded_by": drill.recorded_by_id,
            "notes": drill.notes,
        }


def _erase_from_drills(queryset, user):
    from safety.models import Drill

    ids = list(queryset.values_list("pk", flat=True))
    Drill._base_manager.filter(pk__in=ids, recorded_by_id=user.pk).update(recorded_by=None)
    Drill.participants.through.objects.filter(drill_id__in=ids, user_id=user.pk).delete()
    return registry.ANONYMIZED, len(ids)


def register() -> None:
    from safety.models import Drill, ProtocolSignOff, SafetyProtocol

    registry.register(SafetyProtocol, category="safety_protocols", user_path="owner", erase={"owner": None})
    registry.register(ProtocolSignOff, category="safety_protocols", user_path="signed_by", erase={"signed_by": None})
    registry.register(
        Drill, category="safety_protocols", rows=_drill_rows, exporter=_export_drills, erase=_erase_from_drills
    )
