"""Pages: settings (preferences), the notifications list, and the header's language switch.
Thin: forms parse, services write."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms_preferences import PreferencesForm, SchoolDefaultsForm
from accounts.models import Notification
from accounts.pages import paginate
from accounts.selectors import has_school_perm
from accounts.services import notifications as notification_service
from accounts.services import preferences as service
from accounts.services.notification_events import CHANNELS, EVENT_TYPES
from accounts.services_session import current_school

INITIAL_FIELDS = (
    "theme",
    "language",
    "timezone",
    "date_format",
    "number_format",
    "font_size",
    "quiet_hours_start",
    "quiet_hours_end",
)


def _initial(user, effective) -> dict:
    own = service.user_choices(user)
    initial = {name: getattr(own, name) or "" for name in INITIAL_FIELDS}
    initial["quiet_hours_start"] = own.quiet_hours_start
    initial["quiet_hours_end"] = own.quiet_hours_end
    for name in ("high_contrast", "reduced_motion", "dyslexia_font", "daily_digest"):
        initial[name] = effective[name]
    return initial


def _remember_language(request, response):
    """Also the cookie, so the sign-in page after a sign-out keeps the language."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        service.language_for(request.user),
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    effective = service.effective_preferences(request.user)
    form = PreferencesForm(request.POST or None, initial=_initial(request.user, effective), effective=effective)
    if request.method == "POST" and form.is_valid():
        service.update_preferences(actor=request.user, user=request.user, changes=form.changes())
        language = service.language_for(request.user)
        translation.activate(language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("settings")
        return _remember_language(request, response)
    school = current_school(request)
    can_edit_school = school is not None and has_school_perm(request.user, "accounts.change_school", school.pk)
    return render(
        request,
        "accounts/preferences/settings.html",
        {"form": form, "effective": effective, "school": school, "can_edit_school": can_edit_school},
    )


def _school_channels(defaults) -> dict:
    stored = defaults.notification_channels or {}
    return {
        "notification_channels": {
            key: {channel: stored.get(key, {}).get(channel, event.default(channel)) for channel in CHANNELS}
            for key, event in EVENT_TYPES.items()
        }
    }


@login_required
@require_http_methods(["GET", "POST"])
def school_defaults_page(request):
    """A school admin's defaults for the members of the current school (``accounts.change_school``)."""
    school = current_school(request)
    if school is None or not has_school_perm(request.user, "accounts.change_school", school.pk):
        raise PermissionDenied
    defaults = service.school_defaults(school)
    initial = {name: getattr(defaults, name) or "" for name in INITIAL_FIELDS}
    initial["quiet_hours_start"] = defaults.quiet_hours_start
    initial["quiet_hours_end"] = defaults.quiet_hours_end
    for name in ("high_contrast", "reduced_motion", "dyslexia_font", "daily_digest"):
        value = getattr(defaults, name)
        initial[name] = "" if value is None else ("true" if value else "false")
    form = SchoolDefaultsForm(request.POST or None, initial=initial, effective=_school_channels(defaults))
    if request.method == "POST" and form.is_valid():
        service.update_school_defaults(actor=request.user, school=school, changes=form.changes())
        messages.success(request, _("The school's default settings were saved."))
        return redirect("school-preference-defaults")
    return render(request, "accounts/preferences/school_defaults.html", {"form": form, "school": school})


@login_required
@require_POST
def set_language(request):
    """The header's language switch for signed-in users: saves the preference (so it applies to
    every page, email and API response), then returns to the page."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    if language in service.CHOICE_FIELDS["language"]:
        service.update_preferences(actor=request.user, user=request.user, changes={"language": language})
    return _remember_language(request, HttpResponseRedirect(target))


@login_required
@require_http_methods(["GET"])
def notifications_page(request):
    unread_only = request.GET.get("unread") == "1"
    rows = Notification.objects.visible_to(request.user).order_by("-created_at", "-pk")
    if unread_only:
        rows = rows.unread()
    return render(
        request,
        "accounts/preferences/notifications.html",
        {"page": paginate(request, rows), "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    notification_service.mark_read(user=request.user, notification=notification)
    opens = request.POST.get("open") == "1" and notification.url
    if opens and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    marked = notification_service.mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": marked})
    return redirect("notifications")
