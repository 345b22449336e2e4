"""Serializers for content items, attachments and lesson schedules. Every id a client writes is
checked against what the user may see (scoped related fields); the item service then checks the
item's school (another school's category or library row is a 400)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School, User
from accounts.selectors import school_ids_for
from config.api.serializers import StrictModelSerializer, StrictSerializer
from content.markdown import render
from content.models import SCALAR_FIELDS, Category, ContentAttachment, ContentItem, LessonSchedule
from content.selectors.access import rights
from content.services.tags import MAX_TAG_LENGTH, MAX_TAGS_PER_ITEM
from physed.models import Activity, ClassSession, Exercise, GradeSpanIndicator, PEStandard


class StaffField(serializers.PrimaryKeyRelatedField):
    """Users with a current membership in one of the requesting user's schools (the service then
    checks they are staff of the item's school)."""

    def get_queryset(self):
        from accounts.models import Membership

        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return User.objects.none()
        current = Membership.objects.active().filter(school__in=school_ids_for(request.user)).values("user_id")
        return User.objects.filter(pk__in=current, is_active=True)


class TagNameField(serializers.CharField):
    """A JSON string only (DRF's CharField would turn ``1`` or ``true`` into text)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TagNamesField(serializers.ListField):
    """Tag names in, sorted tag names out (the item's taggit manager)."""

    child = TagNameField(max_length=MAX_TAG_LENGTH)

    def to_representation(self, value):
        rows = value.all() if hasattr(value, "all") else value
        return sorted(getattr(tag, "name", tag) for tag in rows)


class RightsSerializer(serializers.Serializer):
    view = serializers.BooleanField()
    edit = serializers.BooleanField()
    manage = serializers.BooleanField()


class ItemListSerializer(serializers.ModelSerializer):
    """A list row (no body): tags, owner and category come prefetched."""

    tags = TagNamesField(read_only=True)

    class Meta:
        model = ContentItem
        fields = [
            "id",
            "school",
            "kind",
            "title",
            "summary",
            "status",
            "grade_min",
            "grade_max",
            "duration_minutes",
            "language",
            "category",
            "tags",
            "owner",
            "version",
            "created_at",
            "updated_at",
            "published_at",
        ]


def id_errors(fields, data) -> dict:
    """The id fields of a JSON write whose value is not what the schema says: an integer (or null
    where allowed) for one, an array of integers for many. DRF would take ``{}`` as an empty list
    (it iterates the keys), ``1.5`` as id 1 and ``"3"`` as id 3."""

    def is_id(value):
        return isinstance(value, int) and not isinstance(value, bool)

    errors = {}
    for name, field in fields.items():
        if field.read_only or name not in data:
            continue
        value = data[name]
        if isinstance(field, serializers.ManyRelatedField):
            if not isinstance(value, list):
                errors[name] = [_("Give a list of ids.")]
            elif not all(is_id(v) for v in value):
                errors[name] = [_("Every id is a whole number.")]
        elif isinstance(field, serializers.PrimaryKeyRelatedField) and not (
            is_id(value) or (value is None and field.allow_null)
        ):
            errors[name] = [_("An id is a whole number.")]
    return errors


class ItemSerializer(StrictModelSerializer):
    """Read: the item with its sanitized HTML and the caller's rights. Write: ``version`` is the
    version the edit started from (required on PUT/PATCH; a stale one is a 409 listing the changes
    since); ``tags`` are names; ``co_authors`` only for whoever manages the item."""

    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text=_("Needed only when you work in several schools.")
    )
    category = ScopedPrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    tags = TagNamesField(max_length=MAX_TAGS_PER_ITEM, required=False)
    standards = serializers.PrimaryKeyRelatedField(queryset=PEStandard.objects.all(), many=True, required=False)
    indicators = serializers.PrimaryKeyRelatedField(
        queryset=GradeSpanIndicator.objects.all(), many=True, required=False
    )
    activities = ScopedPrimaryKeyRelatedField(queryset=Activity.objects.all(), many=True, required=False)
    exercises = ScopedPrimaryKeyRelatedField(queryset=Exercise.objects.all(), many=True, required=False)
    co_authors = StaffField(many=True, required=False)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("On edits: the version your edit started from.")
    )
    change_note = serializers.CharField(max_length=300, required=False, allow_blank=True, write_only=True)
    body_html = serializers.SerializerMethodField()
    my_rights = serializers.SerializerMethodField()

    class Meta:
        model = ContentItem
        fields = [
            "id",
            "school",
            *SCALAR_FIELDS,
            "body_html",
            "category",
            "tags",
            "standards",
            "indicators",
            "activities",
            "exercises",
            "owner",
            "co_authors",
            "version",
            "change_note",
            "forked_from",
            "created_at",
            "updated_at",
            "published_at",
            "my_rights",
        ]
        read_only_fields = ["id", "owner", "forked_from", "created_at", "updated_at", "published_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["school"].read_only = True
        return fields

    def to_internal_value(self, data):
        errors = id_errors(self.fields, data) if isinstance(data, dict) else {}
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def get_body_html(self, item) -> str:
        return render(item.body)

    @extend_schema_field(RightsSerializer)
    def get_my_rights(self, item):
        request = self.context.get("request")
        return rights(request.user, item) if request else {"view": False, "edit": False, "manage": False}


class AttachmentSerializer(serializers.ModelSerializer):
    """``download_url`` is absolute (the schema's ``format: uri``): give the request in the context."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ContentAttachment
        fields = ["id", "item", "original_name", "content_type", "size", "uploaded_by", "created_at", "download_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment):
        from django.urls import reverse

        # the API route (the page route of the same name serves signed-in browsers)
        path = reverse("content-attachment-detail", args=[attachment.pk]) + "download/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text=_("PDF, PNG, JPEG or MP4 (checked by its bytes)."))


class ScheduleSerializer(serializers.ModelSerializer):
    class Meta:
        model = LessonSchedule
        fields = ["id", "item", "session", "version_number", "scheduled_by", "created_at"]
        read_only_fields = fields


class ScheduleCreateSerializer(StrictSerializer):
    session = ScopedPrimaryKeyRelatedField(queryset=ClassSession.objects.select_related("pe_class"))
