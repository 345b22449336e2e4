"""Serializers for movement analyses. The keypoint payload is validated by ``physed.movement``
(fast plain-Python loops), not field by field here; its schema is documented for OpenAPI."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from config.api.serializers import StrictSerializer
from physed.models import ClassSession, Exercise, Movement, MovementAnalysis, Student

_NUMBER = {"type": "number"}
# OpenAPI 3.0 has no "null" type: a landmark not detected in a frame is null through ``nullable``
_LANDMARK = {
    "nullable": True,
    "description": "A landmark, or null when it was not detected in this frame.",
    "oneOf": [
        {
            "type": "array",
            "items": _NUMBER,
            "minItems": 2,
            "maxItems": 4,
            "description": "[x, y], [x, y, visibility], [x, y, z] or [x, y, z, visibility] (by `dimensions`).",
        },
        {
            "type": "object",
            "properties": {"x": _NUMBER, "y": _NUMBER, "z": _NUMBER, "visibility": _NUMBER, "presence": _NUMBER},
            "required": ["x", "y"],
            "additionalProperties": False,
        },
    ],
}
_FRAME = {
    "oneOf": [
        {
            "type": "array",
            "items": _LANDMARK,
            "description": "33 (blazepose33) or 17 (coco17) landmarks in layout order.",
        },
        {
            "type": "object",
            "properties": {
                "t": {"type": "number", "description": "Seconds."},
                "keypoints": {"type": "array", "items": _LANDMARK},
            },
            "required": ["t", "keypoints"],
            "additionalProperties": False,
        },
    ]
}
KEYPOINTS_SCHEMA = {
    "type": "object",
    "description": (
        "A pose keypoint sequence from any capture client. Coordinates: image-normalised or pixels, y pointing "
        "down (MediaPipe convention); for 3D, y is vertical. Visibility below 0.5 counts as missing. At most 18,000 "
        "frames, at least 1 s, fps 1-240. NaN/Infinity are rejected."
    ),
    "properties": {
        "layout": {"type": "string", "enum": ["blazepose33", "coco17"]},
        "fps": {"type": "number", "minimum": 1, "maximum": 240, "description": "Optional when every frame has `t`."},
        "dimensions": {"type": "integer", "enum": [2, 3], "default": 2},
        "aspect_ratio": {
            "type": "number",
            "minimum": 0,
            "exclusiveMinimum": True,
            "maximum": 10,
            "description": "Image width / height for normalised x (default 1).",
        },
        "source": {"type": "string", "maxLength": 100, "description": "Capture client name (free text)."},
        "frames": {"type": "array", "items": _FRAME, "minItems": 1, "maxItems": 18000},
    },
    "required": ["layout", "frames"],
    "additionalProperties": False,
}


@extend_schema_field(KEYPOINTS_SCHEMA)
class KeypointsField(serializers.JSONField):
    pass


class MovementAnalysisCreateSerializer(StrictSerializer):
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    movement = serializers.ChoiceField(choices=Movement.choices)
    keypoints = KeypointsField()
    exercise = ScopedPrimaryKeyRelatedField(queryset=Exercise.objects.all(), required=False, allow_null=True)
    session = ScopedPrimaryKeyRelatedField(
        queryset=ClassSession.objects.select_related("pe_class"), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


# --- the results document (schema only: it is stored and returned as computed) --------------


class RomSerializer(serializers.Serializer):
    min = serializers.FloatField()
    max = serializers.FloatField()
    range = serializers.FloatField()


class RepSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    start_s = serializers.FloatField()
    bottom_s = serializers.FloatField()
    end_s = serializers.FloatField()
    eccentric_s = serializers.FloatField()
    pause_s = serializers.FloatField()
    concentric_s = serializers.FloatField()
    duration_s = serializers.FloatField()
    rom = RomSerializer()
    metrics = serializers.DictField(child=serializers.FloatField(), help_text="Measured value per fault rule code.")
    faults = serializers.ListField(child=serializers.CharField())


class FaultSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    cue = serializers.CharField()
    reps = serializers.ListField(child=serializers.IntegerField())
    reps_affected = serializers.IntegerField()
    share = serializers.FloatField()
    weight = serializers.FloatField()
    points_lost = serializers.FloatField()
    operator = serializers.CharField(help_text="`>` or `<`: the fault is present when value operator threshold.")
    threshold = serializers.FloatField()
    unit = serializers.CharField()
    worst_value = serializers.FloatField()
    mean_value = serializers.FloatField()


class NotAssessedSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField()


class SymmetrySerializer(serializers.Serializer):
    joint = serializers.CharField()
    left_rom = serializers.FloatField()
    right_rom = serializers.FloatField()
    index_pct = serializers.FloatField()


class TempoSerializer(serializers.Serializer):
    eccentric_s = serializers.FloatField()
    pause_s = serializers.FloatField()
    concentric_s = serializers.FloatField()
    rep_duration_s = serializers.FloatField()
    reps_per_minute = serializers.FloatField(allow_null=True)


class PrimarySerializer(serializers.Serializer):
    series = serializers.CharField()
    direction = serializers.CharField(help_text="`down` (squat, push-up, lunge, sit-up) or `up` (jumping jack).")
    enter = serializers.FloatField()
    exit = serializers.FloatField()
    good_band = serializers.ListField(child=serializers.FloatField())


class ResultsSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    rules_version = serializers.CharField()
    movement = serializers.CharField()
    layout = serializers.CharField()
    dimensions = serializers.IntegerField()
    view = serializers.CharField(help_text="`3d`, or the 2D camera view found: `side` or `front`.")
    fps = serializers.FloatField()
    frame_count = serializers.IntegerField()
    duration_s = serializers.FloatField()
    primary = PrimarySerializer()
    rep_count = serializers.IntegerField()
    reps = RepSerializer(many=True)
    tempo = TempoSerializer()
    rom = serializers.DictField(child=serializers.FloatField())
    symmetry = SymmetrySerializer(many=True)
    faults = FaultSerializer(many=True)
    not_assessed = NotAssessedSerializer(many=True)
    score = serializers.IntegerField(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())
    series = serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="Downsampled chart series: `t` (seconds) and each angle/proxy by name.",
    )


@extend_schema_field(ResultsSerializer)
class ResultsField(serializers.JSONField):
    pass


class MovementAnalysisSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="student.display_name", read_only=True)
    has_video = serializers.BooleanField(read_only=True)

    class Meta:
        model = MovementAnalysis
        fields = [
            "id",
            "student",
            "student_name",
            "movement",
            "exercise",
            "session",
            "layout",
            "dimensions",
            "fps",
            "frame_count",
            "duration_seconds",
            "rules_version",
            "score",
            "rep_count",
            "note",
            "has_video",
            "video_content_type",
            "video_size",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class MovementAnalysisDetailSerializer(MovementAnalysisSerializer):
    results = ResultsField(read_only=True)

    class Meta(MovementAnalysisSerializer.Meta):
        fields = [*MovementAnalysisSerializer.Meta.fields, "results"]
        read_only_fields = fields


class VideoUploadSerializer(serializers.Serializer):
    video = serializers.FileField(help_text="MP4, MOV or WebM, at most 50 MB (the request body limit also applies).")
