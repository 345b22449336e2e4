"""Serializer bases shared by every app."""

from django.utils.translation import gettext as _
from rest_framework import serializers


class StrictFieldsMixin:
    """Unknown or read-only keys in a write payload are a 400 naming them, never silently dropped:
    a client that sends ``is_staff`` or ``school`` learns at once that it cannot set them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                errors = {}
                for name in unknown:
                    known = name in self.fields
                    errors[name] = [_("This field is read-only.") if known else _("Unknown field.")]
                raise serializers.ValidationError(errors)
            wrong_type = {
                name: [_("Not a valid string.")]
                for name, value in data.items()
                if isinstance(self.fields.get(name), serializers.CharField) and not isinstance(value, str)
            }
            if wrong_type:
                raise serializers.ValidationError(wrong_type)
        return super().to_internal_value(data)


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    pass


class StrictBooleanField(serializers.BooleanField):
    """Only JSON ``true``/``false``, as the schema says (DRF's BooleanField also takes 0, 1, "yes",
    "on" …). For JSON bodies only: a form sends every value as text."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictDecimalField(serializers.DecimalField):
    """A decimal written as text, as the schema says and as it is answered (``COERCE_DECIMAL_TO_STRING``);
    DRF's DecimalField also takes a JSON number, which the schema calls invalid."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextSlugRelatedField(serializers.SlugRelatedField):
    """A related row named by a text slug or code. A value that is not text, or that holds a NUL
    (which PostgreSQL cannot compare with text), is refused as invalid (400) before the lookup —
    DRF's field would send it to the database, and the error there was a 500."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
