"""Audit rows cannot be changed or deleted: model and queryset guards, a read-only admin, and on
PostgreSQL a trigger that rejects even raw SQL — while the retention purge still works."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, AuditEventImmutable, User
from accounts.services.audit import diff, mask_changes, record_event
from accounts.services.audit_retention import purge_expired_audit_events
from accounts.tests.factories_audit import AuditEventFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists only on PostgreSQL")


@pytest.fixture
def event(school):
    return AuditEventFactory(school=school, action="auth.login_succeeded", target_label="original")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")


def _unchanged(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    return (stored.action, stored.target_label) == ("auth.login_succeeded", "original")


# --- model and queryset guards ---------------------------------------------------------------


def test_saving_an_existing_row_is_refused(event):
    event.target_label = "rewritten"
    with pytest.raises(AuditEventImmutable):
        event.save()
    with pytest.raises(AuditEventImmutable):
        event.save(update_fields=["target_label"])
    assert _unchanged(event)


def test_instance_delete_is_refused(event):
    with pytest.raises(AuditEventImmutable):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda qs: qs.update(target_label="rewritten"),
        lambda qs: qs.delete(),
        lambda qs: qs.all().filter(action__startswith="auth.").delete(),
        lambda qs: AuditEvent.objects.bulk_update([_relabelled(qs.get())], ["target_label"]),
        lambda qs: AuditEvent.objects.update_or_create(pk=qs.get().pk, defaults={"target_label": "rewritten"}),
    ],
    ids=["update", "delete", "filtered-delete", "bulk_update", "update_or_create"],
)
def test_queryset_writes_are_refused(event, attempt):
    with pytest.raises(AuditEventImmutable), transaction.atomic():  # bulk_update opens its own block
        attempt(AuditEvent.objects.filter(pk=event.pk))
    assert _unchanged(event)


def _relabelled(event):
    event.target_label = "rewritten"
    return event


def test_new_rows_can_still_be_appended(school):
    first = record_event("auth.logout", school=school)
    second = record_event("auth.logout", school=school)
    assert second.pk > first.pk
    assert AuditEvent.objects.count() == 2


# --- read-only admin -------------------------------------------------------------------------


def test_admin_grants_no_add_change_or_delete_even_to_superusers(superuser, event):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert model_admin.has_view_permission(request, event) is True
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, event) is False
    assert model_admin.has_delete_permission(request, event) is False
    assert "delete_selected" not in model_admin.get_actions(request)


def test_admin_change_page_shows_read_only_fields(client, superuser, event):
    client.force_login(superuser)
    url = reverse("admin:accounts_auditevent_change", args=[event.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="readonly">auth.login_succeeded</div>' in html
    assert '<div class="readonly">original</div>' in html
    assert 'name="action"' not in html  # no editable input
    assert 'value="Save"' not in html
    assert "deletelink" not in html


def test_admin_refuses_posts_and_add_and_delete_pages(client, superuser, event):
    client.force_login(superuser)
    change = reverse("admin:accounts_auditevent_change", args=[event.pk])
    assert client.post(change, {"action": "forged", "target_label": "forged"}).status_code == 403
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    delete = reverse("admin:accounts_auditevent_delete", args=[event.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:accounts_auditevent_changelist")
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert _unchanged(event)


def test_admin_changelist_and_search_load(client, superuser, event):
    client.force_login(superuser)
    changelist = reverse("admin:accounts_auditevent_changelist")
    assert client.get(changelist).status_code == 200
    response = client.get(changelist, {"q": "login_succeeded"})
    assert response.status_code == 200
    assert "auth.login_succeeded" in response.content.decode()


# --- PostgreSQL trigger ----------------------------------------------------------------------


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_auditevent SET target_label = 'rewritten' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_trigger_rejects_raw_sql(event, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert _unchanged(event)


@postgres_only
def test_trigger_rejects_the_raw_delete_path_without_the_purge_flag(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete("default")
    assert _unchanged(event)


@postgres_only
def test_purge_works_through_the_trigger_and_closes_the_window_again(school, event):
    old = AuditEventFactory(school=school, occurred_at=timezone.now() - timedelta(days=800))
    assert purge_expired_audit_events() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    # the purge switched the flag off again: later SQL in the same transaction is still refused
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])
    assert _unchanged(event)


# --- masking ---------------------------------------------------------------------------------


def test_mask_changes_masks_sensitive_keys_at_any_depth():
    assert mask_changes(
        {
            "password": "x",
            "new_password": "y",
            "email": "a@example.org",
            "tokens": ["a", "b"],
            "after": {"access_token": "t", "first_name": "Ann", "deep": {"client_secret": "s"}},
            "medical_note": "asthma",
        }
    ) == {
        "password": "***",
        "new_password": "***",
        "email": "a@example.org",
        "tokens": "***",
        "after": {"access_token": "***", "first_name": "Ann", "deep": {"client_secret": "***"}},
        "medical_note": "***",
    }


def test_diff_lists_changed_keys_only():
    assert diff({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 5, "d": 4}) == {
        "b": {"before": 2, "after": 5},
        "c": {"before": 3, "after": None},
        "d": {"before": None, "after": 4},
    }


def test_record_event_stores_masked_changes_and_request_context(school, teacher):
    from config.logging import request_id_var
    from config.request_context import client_ip_var, user_agent_var

    tokens = [request_id_var.set("req-ctx-0001"), client_ip_var.set("198.51.100.0"), user_agent_var.set("UA/1.0")]
    try:
        event = record_event(
            "auth.password_changed", actor=teacher, school=school, target=teacher, changes={"password": "p"}
        )
    finally:
        for var, token in zip((request_id_var, client_ip_var, user_agent_var), tokens, strict=True):
            var.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.changes == {"password": "***"}
    assert (stored.request_id, stored.ip_address, stored.user_agent) == ("req-ctx-0001", "198.51.100.0", "UA/1.0")
    assert (stored.target_type, stored.target_id, stored.actor_id) == ("accounts.user", str(teacher.pk), teacher.pk)
