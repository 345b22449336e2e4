"""Every model is registered in the admin, and its list, search and change pages load."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Membership, School, User

pytestmark = pytest.mark.django_db


def test_every_project_model_is_registered():
    from django.apps import apps

    ours = ("accounts", "physed", "safety", "progress", "assessments", "content", "memory", "assistant")
    for model in apps.get_models():
        if model._meta.app_label in ours:
            assert admin.site.is_registered(model), f"{model.__name__} is not in the admin"


@pytest.mark.parametrize("model", [User, School, Membership])
def test_admin_pages_load(client, model, teacher, school):
    superuser = User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")
    client.force_login(superuser)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "north"}).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert client.get(change).status_code == 200


def test_admin_is_closed_to_school_staff(client, school_admin):
    client.force_login(school_admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_unticking_active_in_admin_ends_every_session(client, teacher, api_client):
    from django.conf import settings

    from accounts.models import AuditEvent, UserSession

    pair = api_client.post(
        "/api/v1/auth/token/", {"email": teacher.email, "password": settings.DEMO_PASSWORD}, format="json"
    ).json()
    assert UserSession.objects.active().filter(user=teacher).count() == 1
    superuser = User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "deactivate_users", "_selected_action": [teacher.pk]},
        follow=True,
    )
    assert "1 user(s) deactivated." in response.content.decode()
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert UserSession.objects.active().filter(user=teacher).count() == 0
    assert AuditEvent.objects.filter(action="auth.user_deactivated", actor=superuser).count() == 1
    refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert refreshed.status_code == 401
