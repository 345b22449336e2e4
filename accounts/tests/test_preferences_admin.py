"""Admin of preferences and notifications, the digest schedule, the demo data."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Notification, SchoolPreferenceDefaults, User, UserPreference
from accounts.services import preferences as service
from accounts.tests.factories_preferences import NotificationFactory, UserPreferenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(client):
    superuser = User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("model", [Notification, UserPreference, SchoolPreferenceDefaults])
def test_admin_pages_load(ops, model, school, teacher):
    if model is Notification:
        obj = NotificationFactory(user=teacher)
    elif model is UserPreference:
        obj = UserPreferenceFactory(user=teacher, theme="dark")
    else:
        obj = SchoolPreferenceDefaults.objects.create(school=school)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert ops.get(changelist).status_code == 200
    assert ops.get(changelist, {"q": "north"}).status_code == 200
    assert ops.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200


def _defaults_form(school, **overrides):
    data = {
        "school": school.pk,
        "theme": "dark",
        "language": "",
        "timezone": "",
        "date_format": "",
        "number_format": "",
        "font_size": "",
        "high_contrast": "unknown",
        "reduced_motion": "unknown",
        "dyslexia_font": "unknown",
        "notification_channels": "{}",
        "quiet_hours_start": "",
        "quiet_hours_end": "",
        "daily_digest": "unknown",
    }
    data.update(overrides)
    return data


def test_admin_edits_school_defaults_and_members_follow(ops, school, teacher):
    url = reverse("admin:accounts_schoolpreferencedefaults_add")
    service.effective_preferences(teacher)  # cached before the change
    response = ops.post(url, _defaults_form(school))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SchoolPreferenceDefaults.objects.get(school=school).theme == "dark"
    assert service.effective_preferences(teacher)["theme"] == "dark"


def test_admin_validates_like_the_api(ops, school):
    url = reverse("admin:accounts_schoolpreferencedefaults_add")
    response = ops.post(url, _defaults_form(school, timezone="Mars/Olympus"))
    assert response.status_code == 200
    response = ops.post(url, _defaults_form(school, notification_channels='{"made.up": {"email": true}}'))
    assert response.status_code == 200
    assert not SchoolPreferenceDefaults.objects.exists()


def test_daily_digest_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]
    assert entry["task"] == "accounts.preferences.send_daily_digests"
    assert entry["schedule"].hour == {settings.NOTIFICATIONS_DIGEST_HOUR_UTC}


def test_demo_seed_adds_preferences_and_notifications_idempotently(db):
    from accounts import demo

    context: dict = {}
    demo.seed(context)
    demo.seed(context)
    teacher = User.objects.get(email="teacher@northside.demo")
    assert UserPreference.objects.get(user=teacher).theme == "dark"
    assert SchoolPreferenceDefaults.objects.get(school__slug="southside").daily_digest is True
    assert Notification.objects.filter(user=teacher, kind="security.new_device").count() == 1
    assert Notification.objects.visible_to(teacher).unread().count() >= 2
    assert service.effective_preferences(User.objects.get(email="teacher2@northside.demo"))["language"] == "es"
