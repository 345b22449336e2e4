"""Serializers of preferences and notifications. Null means "not chosen" (the school default, then
the built-in default, applies); ``effective`` shows the resolved values."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import DateFormat, FontSize, Notification, NumberFormat, Theme
from accounts.services.notification_events import EVENT_TYPES
from config.api.serializers import StrictSerializer


class StrictBooleanField(serializers.BooleanField):
    """Only JSON true/false (not "yes" or 1)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", "example": "21:30"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the user's time zone ("21:30"): no UTC offset, so not OpenAPI's
    ``format: time`` (RFC 3339 full-time requires an offset)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)


class ChannelsSerializer(StrictSerializer):
    in_app = StrictBooleanField(required=False)
    email = StrictBooleanField(required=False)


class EventChannelsField(serializers.DictField):
    """``{event key: {"in_app": bool, "email": bool}}``; keys must be registered event types."""

    def __init__(self, **kwargs):
        super().__init__(child=ChannelsSerializer(), **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        unknown = sorted(key for key in value if key not in EVENT_TYPES or not EVENT_TYPES[key].configurable)
        if unknown:
            raise serializers.ValidationError(_("Unknown event type: %(key)s.") % {"key": ", ".join(unknown)})
        empty = sorted(key for key, channels in value.items() if not channels)
        if empty:
            raise serializers.ValidationError(
                _("Expected an object of channels for %(key)s.") % {"key": ", ".join(empty)}
            )
        return value


class EffectivePreferencesSerializer(serializers.Serializer):
    theme = serializers.ChoiceField(choices=Theme.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    timezone = serializers.CharField()
    date_format = serializers.ChoiceField(choices=DateFormat.choices)
    number_format = serializers.ChoiceField(choices=NumberFormat.choices)
    font_size = serializers.ChoiceField(choices=FontSize.choices)
    high_contrast = serializers.BooleanField()
    reduced_motion = serializers.BooleanField()
    dyslexia_font = serializers.BooleanField()
    daily_digest = serializers.BooleanField()
    quiet_hours_start = LocalTimeField(allow_null=True)
    quiet_hours_end = LocalTimeField(allow_null=True)
    notification_channels = serializers.DictField(child=ChannelsSerializer())


class EventTypeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    in_app = serializers.BooleanField(help_text="default for the in-app channel")
    email = serializers.BooleanField(help_text="default for the email channel")
    mandatory_in_app = serializers.BooleanField(help_text="always delivered in-app (security notices)")


class _PreferenceFieldsSerializer(StrictSerializer):
    theme = serializers.ChoiceField(choices=Theme.choices, allow_null=True, required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, allow_null=True, required=False)
    timezone = serializers.CharField(allow_null=True, required=False, max_length=64, help_text="IANA name")
    date_format = serializers.ChoiceField(choices=DateFormat.choices, allow_null=True, required=False)
    number_format = serializers.ChoiceField(choices=NumberFormat.choices, allow_null=True, required=False)
    font_size = serializers.ChoiceField(choices=FontSize.choices, allow_null=True, required=False)
    high_contrast = StrictBooleanField(allow_null=True, required=False)
    reduced_motion = StrictBooleanField(allow_null=True, required=False)
    dyslexia_font = StrictBooleanField(allow_null=True, required=False)
    daily_digest = StrictBooleanField(allow_null=True, required=False)
    quiet_hours_start = LocalTimeField(allow_null=True, required=False, help_text="HH:MM in the user's time zone")
    quiet_hours_end = LocalTimeField(allow_null=True, required=False, help_text="HH:MM in the user's time zone")
    notification_channels = EventChannelsField(required=False)

    def validate_timezone(self, value):
        from zoneinfo import available_timezones

        if value not in (None, "") and value not in available_timezones():
            raise serializers.ValidationError(_("Unknown time zone; use an IANA name such as Europe/Madrid."))
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in ("theme", "language", "timezone", "date_format", "number_format", "font_size"):
            if data.get(name) == "":
                data[name] = None
        return data


class PreferencesSerializer(_PreferenceFieldsSerializer):
    """``GET|PATCH /api/v1/me/preferences/``."""

    effective = EffectivePreferencesSerializer(read_only=True)
    event_types = EventTypeSerializer(many=True, read_only=True)


class SchoolPreferenceDefaultsSerializer(_PreferenceFieldsSerializer):
    """``GET|PATCH /api/v1/schools/{school_id}/preference-defaults/``."""

    school = serializers.IntegerField(source="school_id", read_only=True)


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
