"""Serializer fields and schema helpers shared by the PE API modules."""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.schema import update_body_schema  # noqa: F401 - its home moved to config.api.schema

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
