"""Serializers of personas (how the assistant speaks) and of a person's persona choice."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from assistant.models import Persona
from config.api.serializers import StrictBooleanField, StrictModelSerializer, StrictSerializer

PERSONA_FIELDS = ["name", "tone", "verbosity", "language", "reading_level", "emoji"]


class PersonaSerializer(StrictModelSerializer):
    """``builtin``: offered in every school and read-only (no school). ``school`` is set on
    creation only (needed when you may add personas in several schools)."""

    builtin = serializers.SerializerMethodField()
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False, allow_null=True)
    emoji = StrictBooleanField(required=False, help_text=_("Whether replies may use emoji."))

    class Meta:
        model = Persona
        fields = ["id", "school", *PERSONA_FIELDS, "is_school_default", "builtin", "created_at", "updated_at"]
        read_only_fields = ["id", "is_school_default", "builtin", "created_at", "updated_at"]
        # names are unique per school: the service says so in the error shape (a 400 on "name")
        validators: list = []

    def get_builtin(self, persona) -> bool:
        return persona.school_id is None

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["school"].read_only = True
        return fields


class PersonaUpdateSerializer(PersonaSerializer):
    """The PUT/PATCH body: ``school`` is fixed once the persona exists (a declared field, so
    ``Meta.read_only_fields`` alone would not make it read-only)."""

    class Meta(PersonaSerializer.Meta):
        read_only_fields = [*PersonaSerializer.Meta.read_only_fields, "school"]

    def get_fields(self):
        fields = super().get_fields()
        fields["school"].read_only = True
        return fields


class PersonaBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    builtin = serializers.BooleanField(read_only=True)


class MyPersonaSerializer(serializers.Serializer):
    """Per school where you use the assistant: your choice (null: none) and the persona that applies."""

    school = serializers.IntegerField(read_only=True)
    school_name = serializers.CharField(read_only=True)
    chosen = PersonaBriefSerializer(read_only=True, allow_null=True)
    effective = PersonaBriefSerializer(read_only=True)


class MyPersonaWriteSerializer(StrictSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Needed only when you use the assistant in several schools."),
    )
    persona = ScopedPrimaryKeyRelatedField(
        queryset=Persona.objects.all(), allow_null=True, help_text=_("null: back to the school default.")
    )
