"""Serializers of the memory API. Linked records (student, class, content item) are plain ids:
the view looks them up among what the user may see (unknown → 400 on that field), so an id of
another school's row answers exactly like an id that does not exist."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.filters import MAX_ID
from config.api.serializers import StrictBooleanField, StrictSerializer
from memory.models import Memory, MemoryKind

LINKS = ("student", "pe_class", "content_item")


class StrictFloatField(serializers.FloatField):
    """A number, not ``true``/``false``: DRF's FloatField takes a boolean as 1.0/0.0 (``float(True)``),
    which the schema's ``type: number`` refuses."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


def _id_field(label):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True, required=False, help_text=label)


class MemorySerializer(serializers.ModelSerializer):
    """One memory as its owner sees it. ``score`` and ``reasons`` are filled only in a search
    (``?q=``): how well it matched and why (see ``memory.selectors.search``)."""

    student_name = serializers.SerializerMethodField()
    pe_class_name = serializers.SerializerMethodField()
    content_item_title = serializers.SerializerMethodField()
    # blank unless the memory is a learned preference (the model's SlugField is ``blank=True``)
    key = serializers.SlugField(max_length=50, allow_blank=True, read_only=True)
    score = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Memory
        fields = [
            "id",
            "school",
            "kind",
            "content",
            "key",
            "student",
            "student_name",
            "pe_class",
            "pe_class_name",
            "content_item",
            "content_item_title",
            "importance",
            "pinned",
            "source",
            "source_message_id",
            "created_at",
            "updated_at",
            "last_accessed_at",
            "access_count",
            "expires_at",
            "score",
            "reasons",
        ]
        read_only_fields = fields

    def get_student_name(self, memory) -> str | None:
        return str(memory.student) if memory.student_id else None

    def get_pe_class_name(self, memory) -> str | None:
        return memory.pe_class.name if memory.pe_class_id else None

    def get_content_item_title(self, memory) -> str | None:
        return memory.content_item.title if memory.content_item_id else None

    def _scored(self, memory):
        return (self.context.get("scores") or {}).get(memory.pk)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_score(self, memory) -> float | None:
        scored = self._scored(memory)
        return round(scored.score, 4) if scored else None

    def get_reasons(self, memory) -> list[str]:
        scored = self._scored(memory)
        return [str(reason) for reason in scored.reasons] if scored else []


class MemoryWriteSerializer(StrictSerializer):
    """The fields a person may set on their memory (PATCH: any subset)."""

    kind = serializers.ChoiceField(choices=MemoryKind.choices, required=False)
    content = serializers.CharField(max_length=2000, required=False, trim_whitespace=True)
    key = serializers.SlugField(max_length=50, required=False, allow_blank=True)
    student = _id_field(_("id of a student you may see"))
    pe_class = _id_field(_("id of a class you may see"))
    content_item = _id_field(_("id of a content item you may see"))
    importance = StrictFloatField(min_value=0.0, max_value=1.0, required=False)
    pinned = StrictBooleanField(required=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class MemoryCreateSerializer(MemoryWriteSerializer):
    """A new memory: ``content`` is required; ``school`` (one of yours) only when you belong to
    several schools and want another than your current one."""

    content = serializers.CharField(max_length=2000, trim_whitespace=True)
    school = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class MaintenanceRequestSerializer(StrictSerializer):
    dry_run = StrictBooleanField(
        required=False, default=True, help_text=_("true (default): only report what would change")
    )
    school = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class MaintenanceReportSerializer(serializers.Serializer):
    """The clean-up report per step (merge, consolidate, decay, expire, cap), in run order."""

    dry_run = serializers.BooleanField()
    school = serializers.IntegerField()
    reports = serializers.DictField(child=serializers.JSONField())
