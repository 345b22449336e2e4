"""The personal-data registry covers every model with a person link (DESIGN §5b)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from accounts.privacy import registry

EMAIL_LIKE = ("email", "username")


def _person_fields(model) -> list[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for field in model._meta.concrete_fields:
        links_user = isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is user_model
        email_like = isinstance(field, models.CharField) and any(m in field.name.lower() for m in EMAIL_LIKE)
        if links_user or email_like:
            found.append(field.name)
    return found


def test_every_model_with_a_person_link_is_registered_or_excluded():
    registered = {entry.label for entry in registry.entries()}
    excluded = registry.exclusions()
    missing = [
        f"{model._meta.label} ({', '.join(fields)})"
        for model in apps.get_models()
        if (fields := _person_fields(model))
        and model._meta.label not in registered
        and model._meta.label not in excluded
    ]
    assert missing == [], f"register these in the personal-data registry or exclude them with a reason: {missing}"


def test_walk_covers_third_party_apps():
    labels = {entry.label for entry in registry.entries()}
    assert {
        "accounts.User",
        "accounts.Membership",
        "accounts.UserSession",
        "accounts.Notification",
        "accounts.RoleAssignment",
        "accounts.AuditEvent",
        "token_blacklist.OutstandingToken",
        "guardian.UserObjectPermission",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "admin.LogEntry",
    } <= labels
    assert "sessions.Session" in registry.exclusions()


def test_exclusions_name_a_reason_and_real_models():
    for label, reason in registry.exclusions().items():
        assert apps.get_model(label) is not None
        assert len(reason) > 10


def test_registered_entries_are_consistent():
    for entry in registry.entries():
        assert entry.category
        if entry.erase == registry.RETAIN:
            assert entry.retained_reason, entry.label
        if entry.retention:
            assert entry.user_path and entry.date_field, entry.label


def test_register_needs_one_way_to_find_rows():
    from accounts.models import Notification

    with pytest.raises(ValueError):
        registry.register(Notification, category="x")
    with pytest.raises(ValueError):
        registry.register(Notification, category="x", user_path="user", rows=lambda user: None)


@pytest.mark.django_db
def test_registered_rows_are_found_for_a_user(student):
    from accounts.models import Notification

    Notification.objects.create(user=student, kind="k", title="hello")
    entry = registry.entry_for("accounts.Notification")
    assert list(entry.queryset_for(student).values_list("title", flat=True)) == ["hello"]
    rows = list(entry.export_rows(entry.queryset_for(student)))
    assert rows[0]["title"] == "hello" and rows[0]["user_id"] == student.pk


def test_json_safe_values():
    import datetime
    import decimal
    import uuid

    assert registry.json_safe(datetime.date(2026, 1, 2)) == "2026-01-02"
    assert registry.json_safe(decimal.Decimal("1.5")) == "1.5"
    assert registry.json_safe(uuid.UUID(int=1)) == "00000000-0000-0000-0000-000000000001"
    assert registry.json_safe(b"x") is None
    assert registry.json_safe(3) == 3
