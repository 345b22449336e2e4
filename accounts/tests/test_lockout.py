"""Brute-force protection on every login door (login page, admin login, API token): two tiers
(username+IP, then IP alone), 429 in the standard shape with Retry-After even for the right
password, no password hashing while locked, audit rows, cool-off, unlock by school admins and
platform staff, and DRF throttles on the auth endpoints."""

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import AuditEvent, Role, User
from accounts.tests.security_helpers import IP, IP_TRUNCATED, meta, page_sign_in, sign_in

pytestmark = pytest.mark.django_db

OTHER_IP = "198.51.100.23"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AUTH_LOCKOUT_IP_FAILURE_LIMIT = 6
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def _fail_api(email, times, ip=IP):
    client = APIClient()
    return [sign_in(client, email, "wrong-password-123", ip=ip).status_code for _ in range(times)]


def _assert_locked_api(response):
    assert response.status_code == 429
    body = response.json()
    assert body["error"]["code"] == "locked_out"
    assert body["error"]["fields"] == {}
    assert "Try again in 15 minutes" in body["error"]["message"]
    assert 890 <= int(response["Retry-After"]) <= 900


# --- the API door -------------------------------------------------------------------------------


def test_api_token_locks_after_the_limit_and_refuses_even_the_right_password(teacher):
    assert _fail_api(teacher.email, 2) == [401, 401]
    third = sign_in(APIClient(), teacher.email, "wrong-password-123")
    _assert_locked_api(third)  # the failure that reaches the limit already answers 429
    right = sign_in(APIClient(), teacher.email)
    _assert_locked_api(right)
    assert "refresh" not in right.json()
    # another network is not locked for this user (the IP tier is not reached)
    assert sign_in(APIClient(), teacher.email, ip=OTHER_IP).status_code == 200


def test_no_password_is_hashed_for_a_locked_attempt(teacher):
    _fail_api(teacher.email, 3)
    with (
        mock.patch.object(MD5PasswordHasher, "verify", autospec=True, side_effect=MD5PasswordHasher.verify) as verify,
        mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode) as encode,
    ):
        assert sign_in(APIClient(), teacher.email).status_code == 429
        assert page_sign_in(Client(), teacher.email).status_code == 429
        assert verify.call_count == 0 and encode.call_count == 0
        # the same patch does see the hashing of an attempt that is not locked
        assert sign_in(APIClient(), teacher.email, ip=OTHER_IP).status_code == 200
        assert verify.call_count == 1


def test_cool_off_ends_the_lock(teacher):
    _fail_api(teacher.email, 3)
    assert sign_in(APIClient(), teacher.email).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    response = sign_in(APIClient(), teacher.email)
    assert response.status_code == 200
    # a successful sign-in clears this email's failures from this network
    assert not AccessAttempt.objects.filter(username=teacher.email).exists()


def test_success_clears_only_the_username_ip_tier(teacher, member, school):
    other = member(school, Role.TEACHER, email="someone@northside.test")
    _fail_api(other.email, 2)
    _fail_api(teacher.email, 2)
    assert sign_in(APIClient(), teacher.email).status_code == 200
    assert not AccessAttempt.objects.filter(username=teacher.email).exists()
    assert AccessAttempt.objects.get(username=other.email).failures_since_start == 2


def test_ip_tier_locks_every_account_from_that_network(teacher, member, school):
    bystander = member(school, Role.TEACHER, email="bystander@northside.test")
    for n in range(5):
        _fail_api(f"guess{n}@example.org", 1)
    assert sign_in(APIClient(), bystander.email).status_code == 200  # 5 of 6: still open
    _fail_api("guess5@example.org", 1)  # 6th failure from the network
    _assert_locked_api(sign_in(APIClient(), teacher.email))
    assert sign_in(APIClient(), teacher.email, ip=OTHER_IP).status_code == 200
    lockout = AuditEvent.objects.get(action="auth.lockout")
    assert lockout.changes["tier"] == "ip"
    assert lockout.changes["failures"] == 6


def test_failures_and_the_lockout_are_audited(teacher, school):
    client = APIClient()
    for n in range(3):
        sign_in(client, teacher.email.upper(), "wrong-password-123", request_id=f"req-fail-000{n}")
    sign_in(client, teacher.email, request_id="req-fail-0009")
    failed = list(AuditEvent.objects.filter(action="auth.login_failed").order_by("id"))
    assert len(failed) == 4
    first = failed[0]
    assert first.actor_id is None
    assert (first.school_id, first.target_type, first.target_id) == (school.pk, "accounts.user", str(teacher.pk))
    assert (first.ip_address, first.request_id) == (IP_TRUNCATED, "req-fail-0000")
    assert first.changes == {
        "email": teacher.email,
        "door": "api",
        "reason": "bad_credentials",
        "failures": 1,
        "ip_failures": 1,
    }
    assert failed[3].changes["reason"] == "locked_out"
    assert failed[3].request_id == "req-fail-0009"
    lockout = AuditEvent.objects.get(action="auth.lockout")
    assert lockout.request_id == "req-fail-0002"
    assert lockout.changes == {
        "email": teacher.email,
        "door": "api",
        "tier": "username_ip",
        "failures": 3,
        "cooloff_seconds": 900,
    }
    assert not AuditEvent.objects.filter(action="auth.login_succeeded").exists()


def test_blocked_attempts_are_audited_once_a_minute(teacher):
    _fail_api(teacher.email, 3)
    for _ in range(5):
        assert sign_in(APIClient(), teacher.email).status_code == 429
    blocked = AuditEvent.objects.filter(action="auth.login_failed", changes__reason="locked_out")
    assert blocked.count() == 1
    assert AuditEvent.objects.filter(action="auth.lockout").count() == 1


def test_unknown_emails_are_audited_without_a_target(db):
    _fail_api("nobody@example.org", 1)
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.target_type, event.target_id, event.target_label, event.school_id) == (
        "accounts.user",
        "",
        "nobody@example.org",
        None,
    )


def test_axes_stores_no_emails_or_passwords_in_request_data(teacher):
    page_sign_in(Client(), teacher.email, "wrong-password-123")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == teacher.email  # needed to lock
    assert "wrong-password-123" not in attempt.post_data
    assert teacher.email not in attempt.post_data


# --- the login page and the admin login ---------------------------------------------------------


def test_login_page_locks_and_shows_the_locked_out_page(teacher):
    client = Client()
    for _ in range(2):
        assert page_sign_in(client, teacher.email, "wrong-password-123").status_code == 200
    third = page_sign_in(client, teacher.email, "wrong-password-123")
    assert third.status_code == 429
    response = page_sign_in(client, teacher.email)
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Signing in is paused</h1>" in html
    assert "Try again in about 15 minutes." in html
    assert 'href="/accounts/password-reset/"' in html
    assert 890 <= int(response["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="auth.lockout").changes["door"] == "page"


def test_admin_login_is_guarded_too(db):
    User.objects.create_superuser("ops@example.org", settings.DEMO_PASSWORD)
    client = Client()
    for _ in range(3):
        client.post("/admin/login/", {"username": "ops@example.org", "password": "wrong-password-123"}, **meta())
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "ops@example.org", "password": settings.DEMO_PASSWORD}, **meta()
    )
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # not signed in
    assert AuditEvent.objects.get(action="auth.lockout").changes["door"] == "admin"


def test_each_door_counts_towards_the_same_lock(teacher):
    page_sign_in(Client(), teacher.email, "wrong-password-123")
    Client().post("/admin/login/", {"username": teacher.email, "password": "wrong-password-123"}, **meta())
    _assert_locked_api(sign_in(APIClient(), teacher.email, "wrong-password-123"))
    _assert_locked_api(sign_in(APIClient(), teacher.email))


# --- unlocking ----------------------------------------------------------------------------------


def _lock(email, ip=IP):
    _fail_api(email, 3, ip=ip)


def test_school_admin_lists_and_unlocks_their_members(
    school_admin, teacher, other_teacher, client_for, school, django_capture_on_commit_callbacks
):
    _lock(teacher.email)
    _lock(other_teacher.email, ip=OTHER_IP)
    client = client_for(school_admin)
    response = client.get("/api/v1/lockouts/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    attempt = AccessAttempt.objects.get(username=teacher.email)
    assert row["id"] == attempt.pk
    assert (row["username"], row["ip_address"], row["failures"], row["ip_failures"]) == (
        teacher.email,
        IP_TRUNCATED,
        3,
        3,
    )
    assert row["tiers"] == ["username_ip"]
    assert row["locked_until"] is not None

    foreign = AccessAttempt.objects.get(username=other_teacher.email)
    assert client.delete(f"/api/v1/lockouts/{foreign.pk}/").status_code == 404
    assert AccessAttempt.objects.filter(pk=foreign.pk).exists()

    assert client.delete(f"/api/v1/lockouts/{attempt.pk}/").status_code == 204
    assert not AccessAttempt.objects.filter(username=teacher.email).exists()
    assert sign_in(APIClient(), teacher.email).status_code == 200
    event = AuditEvent.objects.get(action="auth.unlocked")
    assert (event.actor_id, event.school_id, event.target_id) == (school_admin.pk, school.pk, str(teacher.pk))
    assert event.changes == {
        "email": teacher.email,
        "ip": IP_TRUNCATED,
        "tiers": ["username_ip"],
        "cleared_attempts": 1,
        "ip_cleared": False,
    }


def test_same_school_without_the_permission_is_forbidden(teacher, assistant, client_for):
    _lock(assistant.email)
    client = client_for(teacher)
    assert client.get("/api/v1/lockouts/").status_code == 403
    attempt = AccessAttempt.objects.get(username=assistant.email)
    response = client.delete(f"/api/v1/lockouts/{attempt.pk}/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_unknown_or_expired_lockouts_are_404(school_admin, teacher, client_for):
    client = client_for(school_admin)
    assert client.delete("/api/v1/lockouts/999999/").status_code == 404
    _fail_api(teacher.email, 1)  # a failure, not a lock
    attempt = AccessAttempt.objects.get()
    assert client.delete(f"/api/v1/lockouts/{attempt.pk}/").status_code == 404
    assert client.get("/api/v1/lockouts/").json()["count"] == 0


def test_platform_staff_see_and_unlock_everything_including_the_ip_tier(teacher, other_teacher, client_for):
    staff = User.objects.create_user("ops@example.org", settings.DEMO_PASSWORD, is_staff=True)
    for n in range(6):
        _fail_api(f"guess{n}@example.org", 1)
    _lock(other_teacher.email, ip=OTHER_IP)
    client = client_for(staff)
    rows = client.get("/api/v1/lockouts/").json()["results"]
    assert {row["username"] for row in rows} == {f"guess{n}@example.org" for n in range(6)} | {other_teacher.email}
    ip_row = next(row for row in rows if row["username"] == "guess0@example.org")
    assert ip_row["tiers"] == ["ip"] and ip_row["ip_failures"] == 6
    assert client.delete(f"/api/v1/lockouts/{ip_row['id']}/").status_code == 204
    assert not AccessAttempt.objects.filter(ip_address=IP).exists()  # the whole network cleared
    assert sign_in(APIClient(), teacher.email).status_code == 200
    assert AuditEvent.objects.get(action="auth.unlocked").changes["ip_cleared"] is True


def test_lockout_lists_have_a_fixed_query_count(school_admin, member, school, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(school_admin)
    client.get("/api/v1/lockouts/")  # warm the permission cache
    counts = []
    for n in range(2):
        for k in range(3):
            _lock(member(school, Role.TEACHER).email, ip=f"192.0.2.{n * 10 + k}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/lockouts/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == 4  # user, then three for the lockouts whatever their number


def test_lockouts_page_and_unlock_with_confirmation(client, school_admin, teacher):
    _lock(teacher.email)
    client.force_login(school_admin)
    html = client.get("/security/lockouts/").content.decode()
    assert teacher.email in html
    attempt = AccessAttempt.objects.get(username=teacher.email)
    confirm = client.get(f"/security/lockouts/{attempt.pk}/unlock/")
    assert confirm.status_code == 200
    assert "Unlock this account?" in confirm.content.decode()
    # no explicit confirmation: nothing happens
    assert client.post(f"/security/lockouts/{attempt.pk}/unlock/").status_code == 400
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    done = client.post(f"/security/lockouts/{attempt.pk}/unlock/", {"confirm": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == "/security/lockouts/"
    assert f"{teacher.email} can sign in again." in done.content.decode()
    assert not AccessAttempt.objects.exists()


def test_lockouts_page_is_for_school_admins(client, teacher):
    client.force_login(teacher)
    assert client.get("/security/lockouts/").status_code == 403


# --- throttles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/api/v1/auth/token/", {"email": "x@example.org", "password": "whatever-123"}),
        ("/api/v1/auth/register/", {"email": "x@example.org", "password": "short"}),
        ("/api/v1/auth/password-reset/", {"email": "x@example.org"}),
        ("/api/v1/auth/verify-email/", {"token": "nope"}),
        ("/api/v1/auth/verify-email/resend/", {"email": "x@example.org"}),
        ("/api/v1/auth/token/refresh/", {"refresh": "nope"}),
    ],
)
def test_auth_endpoints_are_throttled(db, monkeypatch, path, payload):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min"})
    client = APIClient()
    for _ in range(2):
        assert client.post(path, payload, format="json").status_code != 429
    response = client.post(path, payload, format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
