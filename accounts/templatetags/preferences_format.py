"""Numbers and dates in the user's chosen formats: ``{% load preferences_format %}`` then
``{% pref_number value 1 %}`` (1,234.5 or 1.234,5) and ``{% pref_date value %}`` (with the time:
``{% pref_datetime value %}``). Dates are shown in the request's active time zone (the user's)."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from accounts.services.preferences import BUILTIN, DATE_FORMATS

register = template.Library()


def _prefs(context) -> dict:
    return context.get("ui_prefs") or BUILTIN


def format_number(value, decimals: int, style: str) -> str:
    text = f"{float(value):,.{int(decimals)}f}"
    if style == "comma":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


@register.simple_tag(takes_context=True)
def pref_number(context, value, decimals=0):
    if value is None or value == "":
        return ""
    return format_number(value, decimals, _prefs(context)["number_format"])


@register.simple_tag(takes_context=True)
def pref_date(context, value):
    if not value:
        return ""
    return date_filter(value, DATE_FORMATS.get(_prefs(context)["date_format"], "Y-m-d"))


@register.simple_tag(takes_context=True)
def pref_datetime(context, value):
    if not value:
        return ""
    return date_filter(timezone.localtime(value), DATE_FORMATS.get(_prefs(context)["date_format"], "Y-m-d") + " H:i")
