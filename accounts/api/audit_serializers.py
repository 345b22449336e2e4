"""Read-only representation of audit rows (the API has no write routes at all)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import AuditEvent


@extend_schema_field({"type": "object", "additionalProperties": True})
class ChangesField(serializers.JSONField):
    """``{"field": {"before": x, "after": y}}`` or free details; sensitive keys hold ``***``."""


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(
        source="actor_id",
        read_only=True,
        allow_null=True,
        help_text="User id of the actor; null for the system. Kept after the user is erased.",
    )
    actor_email = serializers.SerializerMethodField(help_text="Null for the system or an erased user.")
    school = serializers.IntegerField(source="school_id", read_only=True, allow_null=True)
    changes = ChangesField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "actor",
            "actor_email",
            "school",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "ip_address",
            "user_agent",
            "request_id",
            "changes",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "email", "nullable": True})
    def get_actor_email(self, event) -> str | None:
        actor = actor_of(event)
        return actor.email if actor is not None else None


def actor_of(event):
    """The actor if the user still exists (needs ``select_related("actor")`` to cost no query)."""
    if event.actor_id is None:
        return None
    try:
        return event.actor
    except AuditEvent.actor.RelatedObjectDoesNotExist:
        return None
