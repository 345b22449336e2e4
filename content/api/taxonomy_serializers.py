"""Serializers for categories, tags, tag suggestions and bulk tagging."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictModelSerializer, StrictSerializer
from content.api.items_serializers import TagNameField
from content.models import Category, ContentItem, ContentTag
from content.services.tags import MAX_TAG_LENGTH, MAX_TAGS_PER_ITEM


class CategorySerializer(StrictModelSerializer):
    """A flat row of the tree. Write ``parent`` to move the node (null = make it a root)."""

    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text=_("Needed only when you work in several schools.")
    )
    parent = ScopedPrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    item_count = serializers.SerializerMethodField(help_text=_("Items you can see here, subcategories included."))

    class Meta:
        model = Category
        fields = ["id", "school", "parent", "name", "description", "position", "path", "depth", "item_count"]
        read_only_fields = ["path", "depth"]
        extra_kwargs = {"position": {"required": False}, "description": {"required": False}}
        validators = []  # sibling names are checked (without case) by the category service

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["school"].read_only = True
        return fields

    def get_item_count(self, obj) -> int:
        return self.context.get("item_counts", {}).get(obj.pk, 0)


class TagSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True, help_text=_("Items you can see with this tag."))

    class Meta:
        model = ContentTag
        fields = ["id", "school", "name", "slug", "item_count"]
        read_only_fields = ["school", "slug"]


class TagRenameSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100, required=False, help_text=_("The new name (normalized)."))


class TagMergeSerializer(StrictSerializer):
    into = ScopedPrimaryKeyRelatedField(
        queryset=ContentTag.objects.all(), help_text=_("The tag that takes over this tag's items.")
    )


class TagMergeResultSerializer(serializers.Serializer):
    tag = TagSerializer()
    items_retagged = serializers.IntegerField()


class SuggestRequestSerializer(StrictSerializer):
    """Either ``item`` (a stored item you can see) or a draft's text (``school`` needed only when
    you work in several schools). An empty draft is a draft too (like the new-item form's
    suggestions): it gets what the vocabulary offers without text to match, often nothing."""

    item = ScopedPrimaryKeyRelatedField(queryset=ContentItem.objects.all(), required=False)
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=100000, required=False, allow_blank=True, default="")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=30
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False, default=10)


class SuggestionSerializer(serializers.Serializer):
    name = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class BulkTagRequestSerializer(StrictSerializer):
    """Item ids (each must be visible to you; items you cannot edit are skipped) and the tag names
    to add and to remove: at least one of them, none in both. A tag name is at most
    ``MAX_TAG_LENGTH`` characters, as on an item."""

    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=200
    )
    add = serializers.ListField(
        child=TagNameField(max_length=MAX_TAG_LENGTH), required=False, default=list, max_length=MAX_TAGS_PER_ITEM
    )
    remove = serializers.ListField(
        child=TagNameField(max_length=MAX_TAG_LENGTH), required=False, default=list, max_length=MAX_TAGS_PER_ITEM
    )


class SkippedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()


class BulkTagResultSerializer(serializers.Serializer):
    changed = serializers.ListField(child=serializers.IntegerField())
    skipped = SkippedSerializer(many=True)
