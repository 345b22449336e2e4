"""Reading and writing preferences.

``effective_preferences(user)`` resolves every setting: the user's choice, else their school's
default (``SchoolPreferenceDefaults`` of the first school they belong to; language and time zone
then fall back to the school's own ``default_language``/``timezone``), else the built-in default.
The result is cached per user (no query on a warm request); writes invalidate it, and a change of
any school's defaults bumps a generation number that invalidates every user's entry at once.
"""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import (
    DateFormat,
    FontSize,
    Membership,
    NumberFormat,
    School,
    SchoolPreferenceDefaults,
    Theme,
    User,
    UserPreference,
)
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notification_events import CHANNELS, EVENT_TYPES, event_type
from config.versioned_cache import bump_version, current_version_and_entry, store_entry

CACHE_TIMEOUT = 3600
GENERATION_KEY = "prefs:generation"

CHOICE_FIELDS = {
    "theme": Theme.values,
    "language": [code for code, _name in settings.LANGUAGES],
    "date_format": DateFormat.values,
    "number_format": NumberFormat.values,
    "font_size": FontSize.values,
}
BOOL_FIELDS = ("high_contrast", "reduced_motion", "dyslexia_font", "daily_digest")
TIME_FIELDS = ("quiet_hours_start", "quiet_hours_end")
FIELDS = (*CHOICE_FIELDS, "timezone", *BOOL_FIELDS, *TIME_FIELDS, "notification_channels")

BUILTIN = {
    "theme": Theme.SYSTEM.value,
    "language": settings.LANGUAGE_CODE,
    "timezone": settings.TIME_ZONE,
    "date_format": DateFormat.ISO.value,
    "number_format": NumberFormat.POINT.value,
    "font_size": FontSize.NORMAL.value,
    "high_contrast": False,
    "reduced_motion": False,
    "dyslexia_font": False,
    "daily_digest": False,
    "quiet_hours_start": None,
    "quiet_hours_end": None,
}

DATE_FORMATS = {"iso": "Y-m-d", "dmy": "d/m/Y", "mdy": "m/d/Y"}


def _unset(value) -> bool:
    return value is None or value == ""


def validate_timezone(value: str) -> str:
    if value not in available_timezones():
        raise ServiceError(_("Unknown time zone; use an IANA name such as Europe/Madrid."), field="timezone")
    return value


def validate_channels(value) -> dict:
    """``{event: {"in_app": bool, "email": bool}}`` with registered, configurable events only."""
    if not isinstance(value, dict):
        raise ServiceError(_("Expected an object of event types."), field="notification_channels")
    clean = {}
    for key, channels in value.items():
        event = EVENT_TYPES.get(key)
        if event is None or not event.configurable:
            raise ServiceError(_("Unknown event type: %(key)s.") % {"key": key}, field="notification_channels")
        if not isinstance(channels, dict) or not channels:
            raise ServiceError(
                _("Expected an object of channels for %(key)s.") % {"key": key}, field="notification_channels"
            )
        for channel, on in channels.items():
            if channel not in CHANNELS:
                raise ServiceError(
                    _("Unknown channel: %(channel)s.") % {"channel": channel}, field="notification_channels"
                )
            if not isinstance(on, bool):
                raise ServiceError(_("Channel values must be true or false."), field="notification_channels")
        clean[key] = dict(channels)
    return clean


def _validate(changes: dict, *, allow_unset: bool = True) -> dict:
    clean = {}
    for name, value in changes.items():
        if name not in FIELDS:
            raise ServiceError(_("Unknown preference."), field=name)
        if name == "notification_channels":
            clean[name] = validate_channels(value)
        elif allow_unset and _unset(value):
            clean[name] = None if name in (*BOOL_FIELDS, *TIME_FIELDS) else ""
        elif name in CHOICE_FIELDS:
            if value not in CHOICE_FIELDS[name]:
                raise ServiceError(_("Not a valid choice."), field=name)
            clean[name] = value
        elif name == "timezone":
            clean[name] = validate_timezone(value)
        elif name in BOOL_FIELDS:
            if not isinstance(value, bool):
                raise ServiceError(_("Must be true or false."), field=name)
            clean[name] = value
        elif name in TIME_FIELDS:
            if not isinstance(value, datetime.time):
                raise ServiceError(_("Not a valid time."), field=name)
            clean[name] = value.replace(second=0, microsecond=0, tzinfo=None)
    return clean


def _snapshot(obj) -> dict:
    return {name: (str(v) if isinstance(v := getattr(obj, name), datetime.time) else v) for name in FIELDS}


# --- reading --------------------------------------------------------------------------------


def _cache_key(user_id: int) -> str:
    return f"prefs:user:{user_id}"


def invalidate(user_id: int) -> None:
    cache.delete(_cache_key(user_id))


def invalidate_all() -> None:
    bump_version(GENERATION_KEY)


def primary_school_id(user_id: int) -> int | None:
    return Membership.objects.filter(user_id=user_id).order_by("pk").values_list("school_id", flat=True).first()


def _resolve(user_id: int) -> dict:
    own = UserPreference.objects.filter(user_id=user_id).first()
    school_id = primary_school_id(user_id)
    school = School.objects.filter(pk=school_id).select_related("preference_defaults").first() if school_id else None
    defaults = getattr(school, "preference_defaults", None) if school else None
    result = {}
    for name in BUILTIN:
        value = getattr(own, name, None)
        if _unset(value) and defaults is not None:
            value = getattr(defaults, name)
        if _unset(value) and school is not None and name in ("language", "timezone"):
            value = school.default_language if name == "language" else school.timezone
        if _unset(value) and name not in TIME_FIELDS:
            value = BUILTIN[name]
        result[name] = value
    school_channels = dict(getattr(defaults, "notification_channels", None) or {})
    own_channels = dict(getattr(own, "notification_channels", None) or {})
    channels = {}
    for key, event in EVENT_TYPES.items():
        channels[key] = {
            channel: bool(
                own_channels.get(key, {}).get(
                    channel, school_channels.get(key, {}).get(channel, event.default(channel))
                )
            )
            for channel in CHANNELS
        }
        if event.mandatory_in_app:
            channels[key]["in_app"] = True
    result["notification_channels"] = channels
    result["language_chosen"] = bool(own is not None and own.language)
    return result


def effective_preferences(user) -> dict:
    """Every preference resolved for ``user`` (cached)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return dict(BUILTIN, notification_channels={})
    return effective_preferences_for_id(user.pk)


def effective_preferences_for_id(user_id: int) -> dict:
    key = _cache_key(user_id)
    generation, prefs = current_version_and_entry(GENERATION_KEY, key)  # one cache round trip
    if prefs is None:
        prefs = _resolve(user_id)
        store_entry(key, generation, prefs, CACHE_TIMEOUT)
    return prefs


def user_choices(user) -> UserPreference:
    """The user's own row (unsaved and empty when they have chosen nothing yet)."""
    return UserPreference.objects.filter(user=user).first() or UserPreference(user=user)


def school_defaults(school: School) -> SchoolPreferenceDefaults:
    return SchoolPreferenceDefaults.objects.filter(school=school).first() or SchoolPreferenceDefaults(school=school)


def channels_for(user, kind: str) -> dict:
    """{"in_app": bool, "email": bool} for one event; security events always in-app."""
    event = event_type(kind)
    channels = effective_preferences(user)["notification_channels"].get(kind)
    if channels is None:
        channels = {channel: event.default(channel) for channel in CHANNELS}
    if event.mandatory_in_app:
        channels = {**channels, "in_app": True}
    return channels


def in_quiet_hours(user, at: datetime.datetime | None = None) -> bool:
    """Whether ``at`` (now by default) falls in the user's quiet hours, read in their time zone.
    A window whose end is before its start spans midnight (22:00–07:00)."""
    prefs = effective_preferences(user)
    start, end = prefs["quiet_hours_start"], prefs["quiet_hours_end"]
    if start is None or end is None or start == end:
        return False
    local = (at or timezone.now()).astimezone(ZoneInfo(prefs["timezone"])).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def language_for(user) -> str:
    return effective_preferences(user)["language"]


@contextmanager
def user_language(user):
    """Renders texts (emails, notification titles) in ``user``'s language."""
    with translation.override(language_for(user)):
        yield


def html_classes(prefs: dict) -> str:
    """The classes base.html puts on <html>: theme and accessibility choices."""
    classes = [f"theme-{prefs['theme']}", f"font-{prefs['font_size']}"]
    if prefs["high_contrast"]:
        classes.append("high-contrast")
    if prefs["reduced_motion"]:
        classes.append("reduce-motion")
    if prefs["dyslexia_font"]:
        classes.append("dyslexia-font")
    return " ".join(classes)


# --- writing --------------------------------------------------------------------------------


@transaction.atomic
def update_preferences(*, actor: User, user: User, changes: dict) -> UserPreference:
    """Saves the given choices (a blank/null value goes back to "not chosen"); an unknown key or
    value is a ``ServiceError`` and nothing is written. Channel choices are merged per event."""
    clean = _validate(changes)
    pref, _created = UserPreference.objects.select_for_update().get_or_create(user=user)
    before = _snapshot(pref)
    if "notification_channels" in clean:
        merged = dict(pref.notification_channels or {})
        for key, channels in clean.pop("notification_channels").items():
            merged[key] = {**merged.get(key, {}), **channels}
        pref.notification_channels = merged
    for name, value in clean.items():
        setattr(pref, name, value)
    pref.save()
    from accounts.services.audit import diff

    record_event("preferences.updated", actor=actor, target=pref, changes=diff(before, _snapshot(pref)))
    transaction.on_commit(lambda: invalidate(user.pk))
    invalidate(user.pk)
    return pref


@transaction.atomic
def update_school_defaults(*, actor: User | None, school: School, changes: dict) -> SchoolPreferenceDefaults:
    """Saves a school's defaults (checked for ``accounts.change_school`` by the caller's view)."""
    clean = _validate(changes)
    defaults, _created = SchoolPreferenceDefaults.objects.select_for_update().get_or_create(school=school)
    before = _snapshot(defaults)
    if "notification_channels" in clean:
        merged = dict(defaults.notification_channels or {})
        for key, channels in clean.pop("notification_channels").items():
            merged[key] = {**merged.get(key, {}), **channels}
        defaults.notification_channels = merged
    for name, value in clean.items():
        setattr(defaults, name, value)
    defaults.save()
    from accounts.services.audit import diff

    record_event(
        "preferences.school_defaults_updated",
        actor=actor,
        school=school,
        target=defaults,
        changes=diff(before, _snapshot(defaults)),
    )
    transaction.on_commit(invalidate_all)
    invalidate_all()
    return defaults


# --- warm the cache at sign-in ----------------------------------------------------------------
# A new sign-in session (page or API) resolves the user's preferences once, so the requests that
# follow (which apply language and time zone in ``accounts.middleware_preferences``) cost no query.
# Only a cache fill: nothing is written and no decision is taken here.
from django.db.models.signals import post_save  # noqa: E402
from django.dispatch import receiver  # noqa: E402

from accounts.models import UserSession  # noqa: E402


@receiver(post_save, sender=UserSession, dispatch_uid="preferences-warm-cache-at-sign-in")
def _warm_at_sign_in(sender, instance, created, **kwargs):
    if created:
        effective_preferences_for_id(instance.user_id)
