"""Serializers for the sharing, comment and copy API (payloads are strict: unknown keys are 400)."""

from rest_framework import serializers

from config.api.serializers import StrictBooleanField, StrictSerializer
from content.models import ContentComment
from content.services.comments import MAX_COMMENT_CHARS
from content.services.sharing import AUDIENCES


class ShareSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(choices=AUDIENCES)
    target_id = serializers.IntegerField(help_text="The user or class id; 0 for the school.")
    target_label = serializers.CharField()
    can_edit = serializers.BooleanField()
    shared_by = serializers.CharField(allow_null=True)
    created = serializers.DateTimeField(allow_null=True)


class ShareResultSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(choices=AUDIENCES)
    target_id = serializers.IntegerField()
    target_label = serializers.CharField()
    can_edit = serializers.BooleanField()
    created = serializers.BooleanField(help_text="False when an existing share was updated.")


class ShareWriteSerializer(StrictSerializer):
    audience = serializers.ChoiceField(choices=AUDIENCES)
    user = serializers.IntegerField(required=False, allow_null=True, help_text="With audience `user`.")
    pe_class = serializers.IntegerField(required=False, allow_null=True, help_text="With audience `class`.")
    can_edit = StrictBooleanField(required=False, default=False)


class ShareRemoveSerializer(StrictSerializer):
    audience = serializers.ChoiceField(choices=AUDIENCES)
    user = serializers.IntegerField(required=False, allow_null=True)
    pe_class = serializers.IntegerField(required=False, allow_null=True)


class ShareRemovedSerializer(serializers.Serializer):
    removed = serializers.BooleanField(help_text="False when there was no such share.")


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    mentions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ContentComment
        fields = ["id", "item", "author", "author_name", "body", "mentions", "created_at", "edited_at"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return (obj.author.get_full_name() or obj.author.email) if obj.author_id else ""


class CommentCreatedSerializer(CommentSerializer):
    not_notified = serializers.ListField(
        child=serializers.CharField(), help_text="Mention handles nobody was told about (they cannot see the item)."
    )

    class Meta(CommentSerializer.Meta):
        fields = [*CommentSerializer.Meta.fields, "not_notified"]
        read_only_fields = fields


class CommentWriteSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_COMMENT_CHARS, allow_blank=True, trim_whitespace=False)


class ForkWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ForkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    forked_from = serializers.IntegerField(source="forked_from_id")
