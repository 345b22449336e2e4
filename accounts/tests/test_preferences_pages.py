"""Pages: settings, notifications, the header badge, and preferences applied on every render."""

import datetime
import re

import pytest

from accounts.models import Notification, SchoolPreferenceDefaults, UserPreference
from accounts.services import preferences as service
from accounts.tests.factories_preferences import NotificationFactory

pytestmark = pytest.mark.django_db


def html_tag(response) -> str:
    """The <html> and <body> tags (lang on <html>, preference classes on <body>)."""
    text = response.content.decode()
    return re.search(r"<html[^>]*>", text).group(0) + re.search(r"<body[^>]*>", text).group(0)


def test_settings_page_requires_sign_in(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_settings_page_shows_the_matrix_and_the_security_rule(client, teacher):
    client.force_login(teacher)
    response = client.get("/accounts/settings/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "you cannot turn them off" in text
    assert 'name="channel__account.role_changed__email"' in text
    # the in-app box of a security event is disabled and checked
    box = re.search(r'<input[^>]*name="channel__security.new_device__in_app"[^>]*>', text).group(0)
    assert "disabled" in box and "checked" in box


def _post(client, **overrides):
    data = {
        "theme": "dark",
        "language": "",
        "timezone": "",
        "date_format": "",
        "number_format": "",
        "font_size": "large",
        "high_contrast": "on",
        "dyslexia_font": "on",
        "quiet_hours_start": "",
        "quiet_hours_end": "",
        "channel__account.role_changed__in_app": "on",
        "channel__data.export_ready__in_app": "on",
        "channel__data.export_ready__email": "on",
    }
    data.update(overrides)
    return client.post("/accounts/settings/", {k: v for k, v in data.items() if v is not None})


def test_saving_settings_changes_every_page(client, teacher):
    client.force_login(teacher)
    response = _post(client)
    assert response.status_code == 302
    pref = UserPreference.objects.get(user=teacher)
    assert pref.theme == "dark" and pref.font_size == "large" and pref.high_contrast is True
    assert pref.reduced_motion is False and pref.dyslexia_font is True
    assert pref.notification_channels["account.role_changed"] == {"in_app": True, "email": False}
    assert pref.notification_channels["security.new_device"] == {"email": False}  # in-app not stored
    tag = html_tag(client.get("/dashboard/"))
    assert "theme-dark" in tag and "font-large" in tag and "high-contrast" in tag and "dyslexia-font" in tag
    assert "reduce-motion" not in tag


def test_bad_input_is_shown_and_nothing_is_saved(client, teacher):
    client.force_login(teacher)
    response = _post(client, timezone="Mars/Olympus")
    assert response.status_code == 200
    assert "Unknown time zone" in response.content.decode()
    response = _post(client, quiet_hours_start="22:00")
    assert response.status_code == 200
    assert not UserPreference.objects.exists()


def test_spanish_preference_renders_spanish_pages(client, teacher):
    UserPreference.objects.create(user=teacher, language="es", theme="light")
    client.force_login(teacher)
    response = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert 'lang="es"' in html_tag(response)
    assert "theme-light" in html_tag(response)
    assert "Cerrar sesión" in text and "Saltar al contenido principal" in text
    assert "Sign out" not in text
    assert response["Content-Language"] == "es"


def test_english_pages_by_default_with_system_theme(client, teacher):
    client.force_login(teacher)
    response = client.get("/dashboard/")
    assert 'lang="en"' in html_tag(response) and "theme-system" in html_tag(response)
    assert "Sign out" in response.content.decode()


def test_school_default_theme_applies_to_pages(client, teacher, school):
    SchoolPreferenceDefaults.objects.create(school=school, theme="dark", reduced_motion=True)
    service.invalidate_all()
    client.force_login(teacher)
    tag = html_tag(client.get("/dashboard/"))
    assert "theme-dark" in tag and "reduce-motion" in tag


def test_header_language_switch_persists_for_signed_in_users(client, teacher):
    client.force_login(teacher)
    response = client.post("/accounts/settings/language/", {"language": "es", "next": "/dashboard/"})
    assert response.status_code == 302 and response.url == "/dashboard/"
    assert UserPreference.objects.get(user=teacher).language == "es"
    assert response.cookies["django_language"].value == "es"
    # persists across sessions: a fresh sign-in without the cookie still gets Spanish
    client.logout()
    client.cookies.clear()
    client.force_login(teacher)
    assert "Cerrar sesión" in client.get("/dashboard/").content.decode()


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client, teacher):
    client.force_login(teacher)
    response = client.post("/accounts/settings/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.url == "/"
    assert not UserPreference.objects.exists()


def test_anonymous_header_keeps_djangos_language_switch(client):
    text = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in text


def test_unread_badge_in_the_header(client, teacher, other_teacher):
    NotificationFactory(user=teacher)
    NotificationFactory(user=teacher)
    NotificationFactory(user=teacher, in_app=False)
    NotificationFactory(user=other_teacher)
    client.force_login(teacher)
    text = client.get("/dashboard/").content.decode()
    assert re.search(r'class="badge"[^>]*>2</span>', text)
    Notification.objects.filter(user=teacher).update(read_at=datetime.datetime.now(datetime.UTC))
    assert 'class="badge"' not in client.get("/dashboard/").content.decode()


def test_notifications_page_lists_marks_read_and_marks_all(client, teacher, other_teacher):
    first = NotificationFactory(user=teacher, title="Coach meeting", url="/dashboard/")
    second = NotificationFactory(user=teacher, title="Second notice")
    NotificationFactory(user=other_teacher, title="Other person's notice")
    client.force_login(teacher)
    text = client.get("/accounts/notifications/").content.decode()
    assert "Coach meeting" in text and "Second notice" in text and "Other person" not in text
    response = client.post(f"/accounts/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response.url == "/dashboard/"
    first.refresh_from_db()
    assert first.read_at is not None
    text = client.get("/accounts/notifications/?unread=1").content.decode()
    assert "Second notice" in text and "Coach meeting" not in text
    client.post("/accounts/notifications/read-all/")
    second.refresh_from_db()
    assert second.read_at is not None
    other = Notification.objects.get(user=other_teacher)
    assert client.post(f"/accounts/notifications/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_times_render_in_the_users_time_zone_and_date_format(client, teacher):
    UserPreference.objects.create(user=teacher, timezone="Asia/Tokyo", date_format="dmy")
    notification = NotificationFactory(user=teacher)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=datetime.datetime(2026, 3, 1, 14, 5, tzinfo=datetime.UTC)
    )
    client.force_login(teacher)
    text = client.get("/accounts/notifications/").content.decode()
    assert "01/03/2026 23:05" in text


def test_navigation_has_settings_and_notifications(client, teacher):
    client.force_login(teacher)
    text = client.get("/dashboard/").content.decode()
    assert 'href="/accounts/settings/"' in text and 'href="/accounts/notifications/"' in text


def test_number_and_date_formats():
    from django.template import Context, Template

    template = Template("{% load preferences_format %}{% pref_number n 1 %}|{% pref_date d %}")
    day = datetime.date(2026, 3, 31)
    prefs = dict(service.BUILTIN, number_format="comma", date_format="dmy")
    assert template.render(Context({"n": 1234.5, "d": day, "ui_prefs": prefs})) == "1.234,5|31/03/2026"
    prefs = dict(service.BUILTIN, number_format="point", date_format="mdy")
    assert template.render(Context({"n": 1234.5, "d": day, "ui_prefs": prefs})) == "1,234.5|03/31/2026"
    assert template.render(Context({"n": 1234.5, "d": day})) == "1,234.5|2026-03-31"


def test_school_admin_edits_defaults_on_a_page(client, school_admin, teacher, school):
    client.force_login(school_admin)
    assert 'href="/school/settings-defaults/"' in client.get("/accounts/settings/").content.decode()
    assert client.get("/school/settings-defaults/").status_code == 200
    response = client.post(
        "/school/settings-defaults/",
        {
            "theme": "dark",
            "language": "es",
            "timezone": "Europe/Madrid",
            "high_contrast": "",
            "reduced_motion": "true",
            "daily_digest": "false",
            "channel__data.export_ready__in_app": "on",
        },
    )
    assert response.status_code == 302
    defaults = SchoolPreferenceDefaults.objects.get(school=school)
    assert defaults.theme == "dark" and defaults.language == "es" and defaults.timezone == "Europe/Madrid"
    assert defaults.high_contrast is None and defaults.reduced_motion is True and defaults.daily_digest is False
    assert defaults.notification_channels["data.export_ready"] == {"in_app": True, "email": False}
    effective = service.effective_preferences(teacher)
    assert effective["theme"] == "dark" and effective["reduced_motion"] is True and effective["language"] == "es"


def test_school_defaults_page_is_for_school_admins_only(client, teacher):
    client.force_login(teacher)
    assert client.get("/school/settings-defaults/").status_code == 403
    assert 'href="/school/settings-defaults/"' not in client.get("/accounts/settings/").content.decode()
