"""Preferences API: round trip, defaults, strict validation, school defaults and the language
applied to API responses."""

import pytest

from accounts.models import AuditEvent, SchoolPreferenceDefaults, UserPreference
from accounts.services import preferences as service

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/preferences/"


def defaults_url(school):
    return f"/api/v1/schools/{school.pk}/preference-defaults/"


def test_get_before_choosing_shows_nothing_chosen_and_builtin_effective_values(client_for, teacher):
    body = client_for(teacher).get(URL).json()
    assert body["theme"] is None and body["language"] is None and body["high_contrast"] is None
    assert body["notification_channels"] == {}
    effective = body["effective"]
    assert effective["theme"] == "system"
    assert effective["language"] == "en"
    assert effective["timezone"] == "UTC"  # the school's own time zone (factory default)
    assert effective["font_size"] == "normal"
    assert effective["notification_channels"]["security.new_device"] == {"in_app": True, "email": True}
    keys = [event["key"] for event in body["event_types"]]
    assert "security.new_device" in keys and "account.role_changed" in keys and "data.export_ready" in keys
    assert "notifications.digest" not in keys  # the digest is the daily_digest option, not a matrix row
    assert not UserPreference.objects.exists()  # reading writes nothing


def test_patch_round_trips_every_field_and_is_audited(client_for, teacher):
    client = client_for(teacher)
    payload = {
        "theme": "dark",
        "language": "es",
        "timezone": "Europe/Madrid",
        "date_format": "dmy",
        "number_format": "comma",
        "font_size": "x-large",
        "high_contrast": True,
        "reduced_motion": True,
        "dyslexia_font": True,
        "daily_digest": True,
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "notification_channels": {"account.role_changed": {"email": False}, "security.new_device": {"in_app": False}},
    }
    response = client.patch(URL, payload, format="json")
    assert response.status_code == 200, response.json()
    body = client.get(URL).json()
    for key in ("theme", "language", "timezone", "date_format", "number_format", "font_size"):
        assert body[key] == payload[key]
    assert body["quiet_hours_start"] == "22:00" and body["quiet_hours_end"] == "07:00"
    assert body["high_contrast"] is True and body["daily_digest"] is True
    assert body["notification_channels"] == payload["notification_channels"]
    effective = body["effective"]
    assert effective["notification_channels"]["account.role_changed"] == {"in_app": True, "email": False}
    # security notices stay in-app whatever is stored
    assert effective["notification_channels"]["security.new_device"] == {"in_app": True, "email": True}
    pref = UserPreference.objects.get(user=teacher)
    assert pref.timezone == "Europe/Madrid" and pref.font_size == "x-large"
    event = AuditEvent.objects.get(action="preferences.updated")
    assert event.actor == teacher
    assert event.changes["theme"] == {"before": "", "after": "dark"}


def test_null_goes_back_to_the_default(client_for, teacher):
    client = client_for(teacher)
    client.patch(URL, {"theme": "dark", "high_contrast": True}, format="json")
    body = client.patch(URL, {"theme": None, "high_contrast": None}, format="json").json()
    assert body["theme"] is None and body["high_contrast"] is None
    assert body["effective"]["theme"] == "system" and body["effective"]["high_contrast"] is False


def test_channel_choices_merge_per_event(client_for, teacher):
    client = client_for(teacher)
    client.patch(URL, {"notification_channels": {"account.role_changed": {"email": False}}}, format="json")
    client.patch(URL, {"notification_channels": {"account.role_changed": {"in_app": False}}}, format="json")
    pref = UserPreference.objects.get(user=teacher)
    assert pref.notification_channels == {"account.role_changed": {"email": False, "in_app": False}}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"theme": "purple"}, "theme"),
        ({"language": "fr"}, "language"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"font_size": "huge"}, "font_size"),
        ({"date_format": "yyyy"}, "date_format"),
        ({"high_contrast": "yes"}, "high_contrast"),
        ({"quiet_hours_start": "25:00"}, "quiet_hours_start"),
        ({"notification_channels": {"made.up": {"email": True}}}, "notification_channels"),
        ({"notification_channels": {"account.role_changed": {"sms": True}}}, "notification_channels"),
        ({"notification_channels": {"account.role_changed": {"email": "no"}}}, "notification_channels"),
        ({"notification_channels": {"notifications.digest": {"email": True}}}, "notification_channels"),
        ({"notification_channels": ["account.role_changed"]}, "notification_channels"),
        ({"theme": "dark", "is_staff": True}, "is_staff"),
    ],
)
def test_unknown_keys_or_values_are_a_400_and_nothing_is_written(client_for, teacher, payload, field):
    response = client_for(teacher).patch(URL, payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"]
    assert not UserPreference.objects.exists()
    assert not AuditEvent.objects.filter(action="preferences.updated").exists()


def test_anonymous_is_401(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.patch(URL, {"theme": "dark"}, format="json").status_code == 401


def test_school_defaults_apply_when_the_user_has_not_chosen(client_for, teacher, school):
    SchoolPreferenceDefaults.objects.create(school=school, theme="dark", font_size="large", daily_digest=True)
    service.invalidate_all()
    effective = client_for(teacher).get(URL).json()["effective"]
    assert effective["theme"] == "dark" and effective["font_size"] == "large" and effective["daily_digest"] is True
    client_for(teacher).patch(URL, {"theme": "light"}, format="json")
    effective = client_for(teacher).get(URL).json()["effective"]
    assert effective["theme"] == "light"  # own choice wins
    assert effective["font_size"] == "large"


def test_school_language_and_timezone_are_the_last_fallback(client_for, teacher, school):
    school.default_language = "es"
    school.timezone = "America/Mexico_City"
    school.save()
    service.invalidate_all()
    effective = client_for(teacher).get(URL).json()["effective"]
    assert effective["language"] == "es" and effective["timezone"] == "America/Mexico_City"


def test_school_admin_reads_and_changes_school_defaults(client_for, school_admin, school, teacher):
    client = client_for(school_admin)
    body = client.get(defaults_url(school)).json()
    assert body["school"] == school.pk and body["theme"] is None
    assert not SchoolPreferenceDefaults.objects.exists()  # reading writes nothing
    response = client.patch(
        defaults_url(school),
        {"theme": "dark", "language": "es", "notification_channels": {"data.export_ready": {"email": False}}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["theme"] == "dark"
    defaults = SchoolPreferenceDefaults.objects.get(school=school)
    assert defaults.language == "es" and defaults.notification_channels == {"data.export_ready": {"email": False}}
    assert AuditEvent.objects.get(action="preferences.school_defaults_updated").school == school
    # members who have not chosen follow at once (cache generation bumped)
    effective = client_for(teacher).get(URL).json()["effective"]
    assert effective["theme"] == "dark"
    assert effective["notification_channels"]["data.export_ready"] == {"in_app": True, "email": False}


def test_school_defaults_permissions(client_for, teacher, guardian, school, other_school, other_teacher):
    assert client_for(teacher).get(defaults_url(school)).status_code == 200
    assert client_for(teacher).patch(defaults_url(school), {"theme": "dark"}, format="json").status_code == 403
    assert client_for(guardian).patch(defaults_url(school), {"theme": "dark"}, format="json").status_code == 403
    assert client_for(other_teacher).get(defaults_url(school)).status_code == 404
    assert client_for(teacher).get(defaults_url(other_school)).status_code == 404
    assert not SchoolPreferenceDefaults.objects.exists()


def test_school_defaults_reject_unknown_values(client_for, school_admin, school):
    response = client_for(school_admin).patch(defaults_url(school), {"timezone": "Nowhere/City"}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()["error"]["fields"]
    assert not SchoolPreferenceDefaults.objects.exists()


def test_language_preference_applies_to_api_responses(client_for, teacher):
    client = client_for(teacher)
    response = client.patch(URL, {"language": "es"}, format="json")
    assert response.status_code == 200
    response = client.get("/api/v1/me/")
    assert response["Content-Language"] == "es"
    # error messages too, whatever the Accept-Language header says
    response = client.patch(URL, {"theme": "purple"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es"
    assert response.json()["error"]["fields"]["theme"] != ['"purple" is not a valid choice.']


def test_session_authenticated_api_uses_the_preference_too(client, teacher):
    UserPreference.objects.create(user=teacher, language="es")
    client.force_login(teacher)
    assert client.get(URL)["Content-Language"] == "es"


def test_effective_preferences_are_cached(teacher, django_assert_num_queries):
    service.effective_preferences(teacher)
    with django_assert_num_queries(0):
        assert service.effective_preferences(teacher)["theme"] == "system"
