"""Template context for base.html: the resolved preferences, the classes for <html> and the
unread-notification count (one COUNT query, run only when the template shows it)."""

from django.utils.functional import SimpleLazyObject

from accounts.services.preferences import BUILTIN, DATE_FORMATS, effective_preferences, html_classes


def preferences(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    prefs = getattr(request, "preferences", None)
    if prefs is None:
        prefs = effective_preferences(user) if signed_in else dict(BUILTIN, notification_channels={})
    context = {
        "ui_prefs": prefs,
        "ui_html_class": html_classes(prefs),
        "ui_date_format": DATE_FORMATS.get(prefs["date_format"], "Y-m-d"),
        "ui_datetime_format": DATE_FORMATS.get(prefs["date_format"], "Y-m-d") + " H:i",
        "unread_notifications": 0,
    }
    if signed_in:
        from accounts.services.notifications import unread_count

        context["unread_notifications"] = SimpleLazyObject(lambda: unread_count(user))
    return context
