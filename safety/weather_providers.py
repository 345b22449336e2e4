"""Pluggable weather / air-quality providers (none is required: staff can enter readings).

A provider is a class with ``name`` and ``fetch(school, space) -> ReadingData | None``, SI units
(°C, %, km/h). The setting ``SAFETY_WEATHER_PROVIDER`` holds its dotted path (empty = none); the
Celery task ``safety.fetch_environment_readings`` (every 15 minutes) asks it for each school's
outdoor conditions and stores what it returns through the same validated service as a teacher's
reading (source "provider"). A provider that returns None or raises is skipped for that school.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class ReadingData:
    temperature_c: float
    relative_humidity: float | None = None
    wind_speed_kmh: float | None = None
    wbgt_c: float | None = None
    aqi: int | None = None
    precipitation: bool = False
    lightning: bool = False
    recorded_at: datetime | None = None  # None = now
    location: str = ""


class WeatherProvider:
    """Base class: subclass it and point ``SAFETY_WEATHER_PROVIDER`` at the subclass."""

    name = "provider"

    def fetch(self, school, space: str) -> ReadingData | None:
        raise NotImplementedError


def provider_path() -> str:
    return getattr(settings, "SAFETY_WEATHER_PROVIDER", "") or ""


def get_provider() -> WeatherProvider | None:
    """An instance of the configured provider, or None when none is configured."""
    path = provider_path()
    if not path:
        return None
    provider_class = import_string(path)
    provider = provider_class()
    if not callable(getattr(provider, "fetch", None)):
        raise TypeError(f"{path} has no fetch(school, space) method")
    return provider
