"""Serializers for the library API: compact list rows, full detail rows (with equipment, muscle and
standard names) and strict write payloads. Related rows are named by their stable keys (equipment
and muscle slugs, standard numbers, indicator codes); the school goes through
``ScopedPrimaryKeyRelatedField``, so another school's id is "does not exist"."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictModelSerializer, StrictSerializer, TextSlugRelatedField
from physed.models import (
    ACTIVITY_CONTENT_FIELDS,
    ACTIVITY_RELATION_FIELDS,
    EXERCISE_CONTENT_FIELDS,
    EXERCISE_RELATION_FIELDS,
    Activity,
    EquipmentType,
    Exercise,
    FitnessComponent,
    GradeBand,
    GradeSpanIndicator,
    ModificationKind,
    MuscleGroup,
    PEStandard,
)
from physed.services.library_rules import MAX_ITEM_LENGTH, MAX_LIST_ITEMS


class EquipmentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EquipmentType
        fields = ["id", "slug", "name"]


class MuscleGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = MuscleGroup
        fields = ["id", "slug", "name"]


class IndicatorSerializer(serializers.ModelSerializer):
    standard = serializers.IntegerField(source="standard.number", read_only=True)

    class Meta:
        model = GradeSpanIndicator
        fields = ["id", "code", "standard", "grade_band", "content_category", "description", "is_paraphrase", "source"]


class StandardSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = PEStandard
        fields = ["id", "number", "short_name", "summary", "source", "indicators"]


class StandardRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PEStandard
        fields = ["number", "short_name"]


class ModificationSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ModificationKind.choices)
    easier = serializers.CharField(max_length=MAX_ITEM_LENGTH)
    harder = serializers.CharField(max_length=MAX_ITEM_LENGTH)


class UniqueListField(serializers.ListField):
    """A list whose entries must differ (the library rules refuse repeats); the schema says
    ``uniqueItems``."""

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        if len(set(items)) != len(items):
            raise serializers.ValidationError(_("An entry is repeated."))
        return items


class UniqueListFieldExtension(OpenApiSerializerFieldExtension):
    target_class = UniqueListField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "uniqueItems": True}


def _texts(**kwargs):
    return UniqueListField(child=serializers.CharField(max_length=MAX_ITEM_LENGTH), max_length=MAX_LIST_ITEMS, **kwargs)


def _fitness_components(**kwargs):
    return UniqueListField(child=serializers.ChoiceField(choices=FitnessComponent.choices), **kwargs)


class _LibraryReadMixin(serializers.Serializer):
    is_shipped = serializers.BooleanField(read_only=True)
    school = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    fitness_components = serializers.ListField(child=serializers.ChoiceField(choices=FitnessComponent.choices))
    equipment = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)


class ActivityListSerializer(_LibraryReadMixin, serializers.ModelSerializer):
    skills = serializers.ListField(child=serializers.CharField())
    grade_bands = serializers.ListField(child=serializers.ChoiceField(choices=GradeBand.choices))
    standards = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "slug",
            "name",
            "school",
            "is_shipped",
            "category",
            "skills",
            "fitness_components",
            "difficulty",
            "min_group_size",
            "max_group_size",
            "duration_minutes",
            "equipment",
            "space",
            "intensity",
            "contact_level",
            "risk_level",
            "grade_bands",
            "standards",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActivityDetailSerializer(ActivityListSerializer):
    equipment = EquipmentTypeSerializer(many=True, read_only=True)
    standards = StandardRefSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    teaching_cues = serializers.ListField(child=serializers.CharField())
    modifications = ModificationSerializer(many=True)
    progressions = serializers.ListField(child=serializers.CharField())

    class Meta(ActivityListSerializer.Meta):
        fields = [
            *ActivityListSerializer.Meta.fields,
            "description",
            "instructions",
            "teaching_cues",
            "modifications",
            "progressions",
            "indicators",
        ]
        read_only_fields = fields


class ActivityWriteSerializer(StrictModelSerializer):
    """PATCH/PUT body: every field of a school's own activity (the school cannot change)."""

    skills = _texts(required=False)
    fitness_components = _fitness_components(required=False)
    grade_bands = UniqueListField(child=serializers.ChoiceField(choices=GradeBand.choices), min_length=1)
    teaching_cues = _texts(required=False)
    progressions = _texts(required=False)
    modifications = ModificationSerializer(many=True, required=False)
    equipment = TextSlugRelatedField(slug_field="slug", many=True, queryset=EquipmentType.objects.all(), required=False)
    standards = serializers.SlugRelatedField(
        slug_field="number", many=True, queryset=PEStandard.objects.all(), required=False
    )
    indicators = TextSlugRelatedField(
        slug_field="code", many=True, queryset=GradeSpanIndicator.objects.all(), required=False
    )

    class Meta:
        model = Activity
        fields = [*ACTIVITY_CONTENT_FIELDS, *ACTIVITY_RELATION_FIELDS]


class ActivityCreateSerializer(ActivityWriteSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        help_text=_("The school that owns the new item; needed only if you can add items in several schools."),
    )

    class Meta(ActivityWriteSerializer.Meta):
        fields = ["school", *ActivityWriteSerializer.Meta.fields]


class DuplicateSerializer(StrictSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        help_text=_("The school to copy into; needed only if you can add items in several schools."),
    )


class ExerciseListSerializer(_LibraryReadMixin, serializers.ModelSerializer):
    primary_muscles = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    secondary_muscles = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Exercise
        fields = [
            "id",
            "slug",
            "name",
            "school",
            "is_shipped",
            "category",
            "primary_muscles",
            "secondary_muscles",
            "equipment",
            "fitness_components",
            "difficulty",
            "default_sets",
            "default_reps",
            "default_duration_seconds",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ExerciseDetailSerializer(ExerciseListSerializer):
    primary_muscles = MuscleGroupSerializer(many=True, read_only=True)
    secondary_muscles = MuscleGroupSerializer(many=True, read_only=True)
    equipment = EquipmentTypeSerializer(many=True, read_only=True)
    contraindications = serializers.ListField(child=serializers.CharField())
    media_links = serializers.ListField(child=serializers.URLField())

    class Meta(ExerciseListSerializer.Meta):
        fields = [*ExerciseListSerializer.Meta.fields, "instructions", "contraindications", "media_links"]
        read_only_fields = fields


class ExerciseWriteSerializer(StrictModelSerializer):
    primary_muscles = TextSlugRelatedField(
        slug_field="slug", many=True, queryset=MuscleGroup.objects.all(), required=False
    )
    secondary_muscles = TextSlugRelatedField(
        slug_field="slug", many=True, queryset=MuscleGroup.objects.all(), required=False
    )
    equipment = TextSlugRelatedField(slug_field="slug", many=True, queryset=EquipmentType.objects.all(), required=False)
    fitness_components = _fitness_components(required=False)
    contraindications = _texts(required=False)
    media_links = UniqueListField(child=serializers.URLField(max_length=MAX_ITEM_LENGTH), max_length=10, required=False)

    class Meta:
        model = Exercise
        fields = [*EXERCISE_CONTENT_FIELDS, *EXERCISE_RELATION_FIELDS]


class ExerciseCreateSerializer(ExerciseWriteSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        help_text=_("The school that owns the new item; needed only if you can add items in several schools."),
    )

    class Meta(ExerciseWriteSerializer.Meta):
        fields = ["school", *ExerciseWriteSerializer.Meta.fields]
