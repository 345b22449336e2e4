"""Demo data for the preferences area; called by accounts.demo.seed.

Idempotent: preferences by ``update_or_create``; each demo notification is created once (looked
up by user, kind and title).
"""

import datetime

from django.utils import timezone

from accounts.models import Notification, SchoolPreferenceDefaults, User, UserPreference

SCHOOL_DEFAULTS = {
    "northside": {"theme": "system", "date_format": "mdy", "daily_digest": False},
    "southside": {"theme": "system", "date_format": "dmy", "number_format": "comma", "daily_digest": True},
}

# email → preference fields
USER_PREFERENCES = {
    "teacher@northside.demo": {
        "theme": "dark",
        "font_size": "large",
        "quiet_hours_start": datetime.time(21, 0),
        "quiet_hours_end": datetime.time(7, 0),
        "daily_digest": True,
    },
    "teacher2@northside.demo": {"language": "es", "dyslexia_font": True},
    "head@northside.demo": {"high_contrast": True, "reduced_motion": True},
    "schooladmin@southside.demo": {"language": "en", "theme": "light"},
}

# (email, kind, title, body, url name, hours ago, read)
NOTIFICATIONS = [
    (
        "teacher@northside.demo",
        "account.role_changed",
        "Your role in Northside Middle School is now Teacher",
        "Your access in Northside Middle School changed.",
        "/dashboard/",
        50,
        True,
    ),
    (
        "teacher@northside.demo",
        "security.new_device",
        "New sign-in from Firefox on Linux",
        "Your account was signed in from Firefox on Linux.",
        "/accounts/devices/",
        5,
        False,
    ),
    (
        "teacher@northside.demo",
        "data.export_ready",
        "Your data export is ready",
        "Download it within 72 hours.",
        "",
        2,
        False,
    ),
    (
        "schooladmin@northside.demo",
        "security.password_changed",
        "Your password was changed",
        "If you did not do this, reset your password now.",
        "/accounts/password-reset/",
        30,
        False,
    ),
    (
        "teacher2@northside.demo",
        "account.role_changed",
        "Tu rol en Northside Middle School es ahora Docente",
        "Tu acceso en Northside Middle School ha cambiado.",
        "/dashboard/",
        3,
        False,
    ),
]


def seed(context: dict) -> None:
    from accounts.services.preferences import invalidate_all

    for slug, school in (context.get("schools") or {}).items():
        if slug in SCHOOL_DEFAULTS:
            SchoolPreferenceDefaults.objects.update_or_create(school=school, defaults=SCHOOL_DEFAULTS[slug])
    users = User.objects.in_bulk(
        [email for email in {*USER_PREFERENCES, *(row[0] for row in NOTIFICATIONS)}], field_name="email"
    )
    for email, fields in USER_PREFERENCES.items():
        if email in users:
            UserPreference.objects.update_or_create(user=users[email], defaults=fields)
    now = timezone.now()
    for email, kind, title, body, url, hours, read in NOTIFICATIONS:
        user = users.get(email)
        if user is None or Notification.objects.filter(user=user, kind=kind, title=title).exists():
            continue
        created = now - datetime.timedelta(hours=hours)
        notification = Notification.objects.create(
            user=user,
            kind=kind,
            title=title,
            body=body,
            url=url,
            read_at=created if read else None,
            emailed_at=created,
        )
        Notification.objects.filter(pk=notification.pk).update(created_at=created)
    invalidate_all()
