"""Serializers of the history API: versions (list and detail with the snapshot), the diff
between two versions and the restore request. Response serializers describe exactly what
``content.services.diff`` and ``content.services.snapshots`` produce, so the schema holds."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api.serializers import StrictSerializer
from content.selectors.history import MAX_VERSION, author_name


class HistoryAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()

    def to_representation(self, user):
        return {"id": user.pk, "name": author_name(user)}


class HistoryVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1)
    author = HistoryAuthorSerializer(allow_null=True, help_text=_("Who saved it (null once the account is gone)."))
    created_at = serializers.DateTimeField()
    change_note = serializers.CharField(allow_blank=True)
    restored_from = serializers.IntegerField(allow_null=True, help_text=_("The version this one restored."))
    changed_fields = serializers.ListField(
        child=serializers.CharField(), help_text=_("Fields changed against the previous version (none for version 1).")
    )


class HistoryCategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HistoryRelationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class HistorySnapshotSerializer(serializers.Serializer):
    """The versioned fields as saved (``content.services.snapshots.snapshot``)."""

    title = serializers.CharField()
    kind = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    body = serializers.CharField(allow_blank=True, help_text=_("Markdown as written (render it sanitized)."))
    status = serializers.CharField()
    grade_min = serializers.IntegerField()
    grade_max = serializers.IntegerField()
    duration_minutes = serializers.IntegerField(allow_null=True)
    video_url = serializers.CharField(allow_blank=True)
    language = serializers.CharField()
    category = HistoryCategoryRefSerializer(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    standards = HistoryRelationRefSerializer(many=True)
    indicators = HistoryRelationRefSerializer(many=True)
    activities = HistoryRelationRefSerializer(many=True)
    exercises = HistoryRelationRefSerializer(many=True)


class HistoryVersionDetailSerializer(HistoryVersionSerializer):
    snapshot = HistorySnapshotSerializer()


class HistoryDiffLineSerializer(serializers.Serializer):
    op = serializers.ChoiceField(
        choices=["equal", "insert", "delete", "skip"],
        help_text=_("skip: a folded run of unchanged lines (text says how many)."),
    )
    text = serializers.CharField(allow_blank=True)


class HistoryChangeSerializer(serializers.Serializer):
    """One changed field. ``kind`` says which keys are present: value → old, new; set → added,
    removed; text → lines."""

    field = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["value", "set", "text"])
    old = serializers.CharField(required=False, allow_blank=True)
    new = serializers.CharField(required=False, allow_blank=True)
    added = serializers.ListField(child=serializers.CharField(), required=False)
    removed = serializers.ListField(child=serializers.CharField(), required=False)
    lines = HistoryDiffLineSerializer(many=True, required=False)


class HistoryDiffSerializer(serializers.Serializer):
    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.IntegerField(min_value=1)  # a keyword: not a class attribute
        fields["to"] = serializers.IntegerField(min_value=1)
        fields["changes"] = HistoryChangeSerializer(many=True)
        return fields


class HistoryRestoreSerializer(StrictSerializer):
    """Which version to restore and the item's version the client saw (unknown keys are a 400)."""

    number = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, help_text=_("The version to restore."))
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=_("The item's current version as you last saw it; another current version is a 409."),
    )
