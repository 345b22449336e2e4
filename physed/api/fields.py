"""Serializer fields and schema helpers shared by the PE API modules."""

import re

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

WALL_CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "pattern": WALL_CLOCK_TIME, "example": "09:00"})
class WallClockTimeField(serializers.TimeField):
    """A time of day in the school's time zone: ``HH:MM`` or ``HH:MM:SS`` in, ``HH:MM:SS`` out. It
    has no UTC offset, so it is not OpenAPI's ``format: time`` (RFC 3339 full-time requires one)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M:%S")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and not re.fullmatch(WALL_CLOCK_TIME, value):
            self.fail("invalid", format="hh:mm[:ss]")
        return super().to_internal_value(value)


def update_body_schema(serializer_class, *fixed: str):
    """``extend_schema_view`` for a viewset whose serializer makes ``fixed`` read-only once the row
    exists (in its ``get_fields``): the PUT/PATCH bodies in the schema leave them out too (a
    separate component, ``<Name>UpdateRequest``); responses stay the serializer's own."""

    def get_fields(self):
        fields = super(update_serializer, self).get_fields()
        for name in fixed:
            fields[name].read_only = True
        return fields

    name = serializer_class.__name__.removesuffix("Serializer") + "UpdateSerializer"
    update_serializer = type(name, (serializer_class,), {"get_fields": get_fields, "__module__": __name__})
    body = extend_schema(request=update_serializer)
    return extend_schema_view(update=body, partial_update=body)
