"""Edge cases of sessions and tokens: inactive users, odd claims, missing rows, re-sign-in on a live
session, session-authenticated API calls."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import AuditEvent, User, UserSession
from accounts.services import sessions as session_service
from accounts.tests.security_helpers import bearer, meta, page_sign_in, refresh, tokens

pytestmark = pytest.mark.django_db


def test_an_inactive_user_cannot_use_or_refresh_a_live_session(teacher):
    pair = tokens(teacher.email)
    User.objects.filter(pk=teacher.pk).update(is_active=False)  # e.g. switched off in the admin
    denied = bearer(pair["access"]).get("/api/v1/me/")
    assert denied.status_code == 401
    assert denied.json()["error"]["code"] == "user_inactive"
    assert refresh(pair["refresh"]).status_code == 401


def test_an_access_token_with_an_odd_session_claim_is_refused(teacher):
    token = AccessToken.for_user(teacher)
    token["sid"] = "not-a-number"
    response = bearer(str(token)).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_logout_with_a_garbage_token_is_a_400(teacher):
    client = bearer(tokens(teacher.email)["access"])
    response = client.post("/api/v1/auth/logout/", {"refresh": "garbage"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"refresh": ["Token is invalid or expired."]}


def test_signing_in_again_on_a_live_page_session_replaces_its_record(client):
    staff = User.objects.create_superuser("ops@example.org", settings.DEMO_PASSWORD)
    page_sign_in(client, staff.email)
    first = UserSession.objects.get(user=staff)
    # the admin login accepts a second sign-in on top of the live page session
    client.post("/admin/login/", {"username": staff.email, "password": settings.DEMO_PASSWORD}, **meta())
    first.refresh_from_db()
    assert first.revoked_reason == "replaced"
    current = UserSession.objects.active().get(user=staff)
    assert client.session[session_service.WEB_SESSION_KEY] == current.pk
    assert client.get("/dashboard/").status_code == 200


def test_a_page_session_whose_record_is_gone_is_signed_out(client, teacher):
    page_sign_in(client, teacher.email)
    UserSession.objects.filter(user=teacher).delete()
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_authenticated_api_calls_follow_the_page_session(client, teacher):
    page_sign_in(client, teacher.email)
    sessions_url = "/api/v1/me/sessions/"
    body = client.get(sessions_url, **meta()).json()
    assert [row["current"] for row in body["results"]] == [True]
    session = UserSession.objects.get(user=teacher)
    session_service.revoke_session(session=session, reason="revoked_by_admin")
    assert client.get(sessions_url, **meta()).status_code in (401, 403)


def test_ending_the_current_page_session_through_the_api_signs_out(teacher):
    from django.test import Client

    browser = Client(enforce_csrf_checks=False)
    page_sign_in(browser, teacher.email)
    current = UserSession.objects.get(user=teacher)
    assert browser.delete(f"/api/v1/me/sessions/{current.pk}/", **meta()).status_code == 204
    assert browser.get("/dashboard/").status_code == 302


def test_register_page_sends_signed_in_users_to_their_dashboard(client, teacher):
    client.force_login(teacher)
    assert client.get("/accounts/register/").url == "/dashboard/"


def test_login_success_is_not_reported_as_a_failure(client, teacher):
    page_sign_in(client, teacher.email)
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()
    assert AuditEvent.objects.filter(action="auth.login_succeeded", actor=teacher).count() == 1


def test_the_unverified_notice_is_empty_for_verified_users(teacher):
    assert tokens(teacher.email)["notice"] == ""


def test_tokens_from_a_password_change_elsewhere_keep_working_when_kept(teacher):
    """end_other_sessions=false keeps API sessions: their tokens carry no password hash."""
    phone = tokens(teacher.email)
    api = bearer(tokens(teacher.email)["access"])
    api.post(
        "/api/v1/auth/password-change/",
        {
            "current_password": settings.DEMO_PASSWORD,
            "new_password": "brand-new-passphrase-77",
            "end_other_sessions": False,
        },
        format="json",
    )
    assert refresh(phone["refresh"]).status_code == 200
    assert (
        APIClient()
        .post("/api/v1/auth/token/", {"email": teacher.email, "password": "brand-new-passphrase-77"}, format="json")
        .status_code
        == 200
    )
