"""Sessions and devices: every sign-in is a UserSession; API sessions are refresh-token families
(rotation, reuse detection, logout, logout-all); page sessions end on revocation, idle timeout
and absolute lifetime; session limits; new-device notices."""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import AuditEvent, Notification, Role, SessionKind, UserSession
from accounts.services import sessions as session_service
from accounts.tests.security_helpers import (
    ANDROID_APP,
    CHROME_MAC,
    FIREFOX_WINDOWS,
    IP_TRUNCATED,
    SAFARI_IPHONE,
    bearer,
    page_sign_in,
    refresh,
    sign_in,
    tokens,
)

pytestmark = pytest.mark.django_db


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


# --- API sign-in: a session per refresh-token family -----------------------------------------


def test_api_sign_in_creates_a_session_with_device_ip_and_family(api_client, teacher, school):
    response = sign_in(api_client, teacher.email, request_id="req-signin-0001")
    assert response.status_code == 200
    body = response.json()
    session = UserSession.objects.get(user=teacher)
    refresh_claims, access_claims = _claims(body["refresh"]), _claims(body["access"])
    assert refresh_claims["sid"] == access_claims["sid"] == session.pk
    assert session.kind == SessionKind.API
    assert session.current_jti == refresh_claims["jti"]
    assert session.device_label == "Firefox · Windows"
    assert session.user_agent == FIREFOX_WINDOWS
    assert session.ip_address == IP_TRUNCATED
    assert session.seen_ips == [IP_TRUNCATED]
    assert session.revoked_at is None
    assert abs((session.expires_at - session.created_at) - settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]) < timedelta(
        seconds=2
    )
    event = AuditEvent.objects.get(action="auth.login_succeeded")
    assert (event.actor_id, event.school_id, event.target_id) == (teacher.pk, school.pk, str(teacher.pk))
    assert (event.ip_address, event.request_id) == (IP_TRUNCATED, "req-signin-0001")
    assert event.changes == {"session": session.pk, "kind": "api", "door": "api", "device": "Firefox · Windows"}
    teacher.refresh_from_db()
    assert teacher.last_login is not None


def test_page_sign_in_creates_a_web_session(client, teacher):
    response = page_sign_in(client, teacher.email, ua=SAFARI_IPHONE)
    assert response.status_code == 302
    session = UserSession.objects.get(user=teacher)
    assert session.kind == SessionKind.WEB
    assert session.session_key == client.session.session_key
    assert client.session[session_service.WEB_SESSION_KEY] == session.pk
    assert session.device_label == "Safari · iOS"
    assert session.ip_address == IP_TRUNCATED
    assert AuditEvent.objects.get(action="auth.login_succeeded").changes["door"] == "page"


@pytest.mark.parametrize(
    ("ua", "label"),
    [
        (FIREFOX_WINDOWS, "Firefox · Windows"),
        (SAFARI_IPHONE, "Safari · iOS"),
        (CHROME_MAC, "Chrome · macOS"),
        (ANDROID_APP, "Android app"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge · Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome · Android",
        ),
        ("curl/8.5.0", "curl"),
        ("", ""),
        ("something odd", ""),
    ],
)
def test_device_label(ua, label):
    assert session_service.device_label(ua) == label


# --- rotation and reuse -----------------------------------------------------------------------


def test_rotation_keeps_the_family_and_moves_the_current_token(teacher):
    first = tokens(teacher.email)
    session = UserSession.objects.get(user=teacher)
    rotated = refresh(first["refresh"])
    assert rotated.status_code == 200
    second = rotated.json()
    assert set(second) == {"access", "refresh"}
    assert _claims(second["refresh"])["sid"] == _claims(second["access"])["sid"] == session.pk
    session.refresh_from_db()
    assert session.current_jti == _claims(second["refresh"])["jti"]
    assert session.previous_jti == _claims(first["refresh"])["jti"]
    assert session.rotated_at is not None and session.revoked_at is None
    assert UserSession.objects.filter(user=teacher).count() == 1
    assert BlacklistedToken.objects.filter(token__jti=_claims(first["refresh"])["jti"]).exists()
    assert bearer(second["access"]).get("/api/v1/me/").status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_family_and_warns_the_user(
    teacher, school, django_capture_on_commit_callbacks
):
    first = tokens(teacher.email)
    second = refresh(first["refresh"]).json()
    session = UserSession.objects.get(user=teacher)

    with django_capture_on_commit_callbacks(execute=True):
        replay = refresh(first["refresh"], request_id="req-reuse-00001")
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "token_not_valid"
    session.refresh_from_db()
    assert (session.revoked_reason, session.revoked_at is not None) == ("token_reuse", True)
    # the whole family is dead: the newest refresh token and the access token too
    assert refresh(second["refresh"]).status_code == 401
    denied = bearer(second["access"]).get("/api/v1/me/")
    assert denied.status_code == 401
    assert denied.json()["error"]["code"] == "session_ended"
    assert BlacklistedToken.objects.filter(token__jti=session.current_jti).exists()

    notice = Notification.objects.get(user=teacher, kind="security.token_reuse")
    assert notice.title == "A sign-in was ended for your security"
    assert "Firefox · Windows" in notice.body
    assert notice.url == "/accounts/devices/"
    assert [m.subject for m in mail.outbox] == ["PE Platform: A sign-in was ended for your security"]
    event = AuditEvent.objects.get(action="auth.token_reuse")
    assert (event.school_id, event.target_type, event.target_id) == (school.pk, "accounts.usersession", str(session.pk))
    assert (event.request_id, event.ip_address) == ("req-reuse-00001", IP_TRUNCATED)
    assert event.changes == {"user": teacher.pk, "device": "Firefox · Windows"}


def test_reuse_grace_refuses_a_racing_refresh_without_revoking(teacher, settings):
    settings.AUTH_REFRESH_REUSE_GRACE_SECONDS = 10
    first = tokens(teacher.email)
    second = refresh(first["refresh"]).json()
    racing = refresh(first["refresh"])
    assert racing.status_code == 401
    session = UserSession.objects.get(user=teacher)
    assert session.revoked_at is None
    assert refresh(second["refresh"]).status_code == 200
    # outside the grace window it is reuse again
    UserSession.objects.filter(pk=session.pk).update(rotated_at=timezone.now() - timedelta(seconds=11))
    session.refresh_from_db()
    assert refresh(session_token_for_previous(session)).status_code == 401
    session.refresh_from_db()
    assert session.revoked_reason == "token_reuse"


def session_token_for_previous(session) -> str:
    """A refresh token carrying the family's previous jti, as the client held it."""
    token = session_service.FamilyRefreshToken()
    token["user_id"] = str(session.user_id)
    token["sid"] = session.pk
    token["jti"] = session.previous_jti
    return str(token)


def test_refresh_rejects_forged_expired_and_familyless_tokens(teacher):
    pair = tokens(teacher.email)
    forged = jwt.encode(
        {**_claims(pair["refresh"]), "sid": 999999},
        "a-wrong-signing-key-of-enough-length-0123456789",
        algorithm="HS256",
    )
    assert refresh(forged).status_code == 401
    expired = session_service.FamilyRefreshToken()
    expired["user_id"] = str(teacher.pk)
    expired["sid"] = UserSession.objects.get(user=teacher).pk
    expired.set_exp(lifetime=-timedelta(seconds=1))
    assert refresh(str(expired)).status_code == 401
    legacy = RefreshToken.for_user(teacher)  # no session claim: not refreshable
    response = refresh(str(legacy))
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "token_not_valid",
        "message": "Token is invalid or expired.",
        "fields": {},
    }
    access = bearer(pair["access"])
    assert access.get("/api/v1/me/").status_code == 200  # none of that touched the real session


def _wait_until_another_backend_waits_for_a_lock(timeout=10.0):
    """Polls pg_stat_activity (a fresh snapshot each time) until some other connection is blocked
    on a lock — i.e. the rival refresh is queued behind our row lock. Returns False on timeout."""
    import time

    with connection.cursor() as cursor:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.01)
    return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("grace", [0, 10])
def test_two_concurrent_refreshes_with_one_token_have_exactly_one_winner(member, school, settings, monkeypatch, grace):
    """Deterministic: whoever takes the row lock first waits, while holding it, until the other
    request is seen blocked on that lock; only then does it issue the new token. Without the
    lock both requests would get past the check and both would win."""
    import threading

    from django.db import connections

    settings.AUTH_REFRESH_REUSE_GRACE_SECONDS = grace
    user = member(school, Role.TEACHER, email="racer@northside.test")
    pair = tokens(user.email)
    original = session_service.FamilyRefreshToken.for_session.__func__
    first_call = threading.Lock()
    rival_seen = []

    def for_session(cls, session):
        if first_call.acquire(blocking=False):
            rival_seen.append(_wait_until_another_backend_waits_for_a_lock())
        return original(cls, session)

    monkeypatch.setattr(session_service.FamilyRefreshToken, "for_session", classmethod(for_session))
    barrier = threading.Barrier(2)
    results = []

    def attempt():
        try:
            barrier.wait(timeout=10)
            results.append(refresh(pair["refresh"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert rival_seen == [True]
    assert sorted(response.status_code for response in results) == [200, 401]
    winner = next(response for response in results if response.status_code == 200).json()
    session = UserSession.objects.get(user=user)
    # exactly one new token was issued for the family, and it is the winner's
    assert OutstandingToken.objects.filter(user=user).count() == 2
    assert session.current_jti == _claims(winner["refresh"])["jti"]
    assert session.previous_jti == _claims(pair["refresh"])["jti"]
    # strict by default: the loser presented a rotated token, so the family ends (reuse);
    # with a grace period the racing request is refused and the family lives on
    assert session.revoked_reason == ("token_reuse" if grace == 0 else "")


# --- logout, logout-all, own sessions -----------------------------------------------------------


def test_logout_ends_the_session_and_its_access_tokens(teacher, school):
    pair = tokens(teacher.email)
    client = bearer(pair["access"])
    assert client.post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 204
    session = UserSession.objects.get(user=teacher)
    assert session.revoked_reason == "logout"
    assert client.get("/api/v1/me/").status_code == 401
    assert refresh(pair["refresh"]).status_code == 401
    event = AuditEvent.objects.get(action="auth.logout")
    assert (event.actor_id, event.school_id, event.target_id) == (teacher.pk, school.pk, str(session.pk))
    assert not AuditEvent.objects.filter(action="session.revoked").exists()


def test_page_logout_ends_the_web_session(client, teacher):
    page_sign_in(client, teacher.email)
    session = UserSession.objects.get(user=teacher)
    client.post("/accounts/logout/")
    session.refresh_from_db()
    assert session.revoked_reason == "logout"
    assert AuditEvent.objects.get(action="auth.logout").target_id == str(session.pk)


def test_logout_all_keeps_only_the_current_session(client, teacher, school):
    page_sign_in(client, teacher.email)
    phone = tokens(teacher.email, ua=SAFARI_IPHONE)
    laptop = tokens(teacher.email, ua=CHROME_MAC)
    response = bearer(laptop["access"]).post("/api/v1/auth/logout-all/")
    assert response.status_code == 200
    assert response.json() == {"revoked": 2}
    states = dict(UserSession.objects.filter(user=teacher).values_list("device_label", "revoked_reason"))
    assert states == {
        "Firefox · Windows": "signed_out_elsewhere",
        "Safari · iOS": "signed_out_elsewhere",
        "Chrome · macOS": "",
    }
    assert bearer(phone["access"]).get("/api/v1/me/").status_code == 401
    assert bearer(laptop["access"]).get("/api/v1/me/").status_code == 200
    # the browser's page session is gone too
    assert client.get("/dashboard/").status_code == 302
    assert AuditEvent.objects.get(action="auth.logout_all").changes == {"ended_sessions": 2}
    assert AuditEvent.objects.filter(action="session.revoked", school=school).count() == 2


def test_my_sessions_list_and_revoke(teacher, other_teacher):
    phone = tokens(teacher.email, ua=SAFARI_IPHONE)
    laptop = tokens(teacher.email, ua=CHROME_MAC)
    foreign = tokens(other_teacher.email)
    client = bearer(laptop["access"])
    response = client.get("/api/v1/me/sessions/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert body["count"] == 2
    rows = {row["device_label"]: row for row in body["results"]}
    assert rows["Chrome · macOS"]["current"] is True
    assert rows["Safari · iOS"]["current"] is False
    assert rows["Safari · iOS"]["kind"] == "api"
    assert rows["Safari · iOS"]["ip_address"] == IP_TRUNCATED
    assert rows["Safari · iOS"]["flags"] == []

    foreign_id = _claims(foreign["access"])["sid"]
    assert client.delete(f"/api/v1/me/sessions/{foreign_id}/").status_code == 404
    assert UserSession.objects.get(pk=foreign_id).revoked_at is None

    phone_id = _claims(phone["access"])["sid"]
    assert client.delete(f"/api/v1/me/sessions/{phone_id}/").status_code == 204
    assert UserSession.objects.get(pk=phone_id).revoked_reason == "revoked_by_user"
    assert bearer(phone["access"]).get("/api/v1/me/").status_code == 401
    assert client.delete(f"/api/v1/me/sessions/{phone_id}/").status_code == 404  # already ended
    assert client.get("/api/v1/me/sessions/").json()["count"] == 1


def test_session_lists_do_not_grow_queries_with_page_size(teacher):
    for _ in range(4):
        tokens(teacher.email)
    client = bearer(tokens(teacher.email)["access"])
    counts = []
    for size in (1, 5):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/me/sessions/", {"page_size": size}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == 3  # session+user (auth), count, page


def test_jwt_session_check_costs_no_extra_query(teacher, client_for):
    with_session = bearer(tokens(teacher.email)["access"])
    without_session = client_for(teacher)  # a token minted without a session claim
    counts = []
    for client in (with_session, without_session):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/me/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- page sessions: revocation, idle timeout, absolute lifetime ----------------------------------


def test_a_revoked_page_session_is_signed_out_on_the_next_request(client, teacher):
    page_sign_in(client, teacher.email)
    assert client.get("/dashboard/").status_code == 200
    session = UserSession.objects.get(user=teacher)
    session_service.revoke_session(session=session, actor=None, reason="revoked_by_admin")
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/dashboard/")
    assert "_auth_user_id" not in client.session


def test_idle_timeout_signs_the_page_session_out(client, teacher, settings):
    page_sign_in(client, teacher.email)
    session = UserSession.objects.get(user=teacher)
    idle = timedelta(minutes=settings.AUTH_SESSION_IDLE_MINUTES)
    UserSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now() - idle + timedelta(seconds=30))
    assert client.get("/dashboard/").status_code == 200  # still inside the window
    session.refresh_from_db()
    assert timezone.now() - session.last_seen_at < timedelta(seconds=5)  # and the window moved

    UserSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now() - idle - timedelta(seconds=1))
    response = client.get("/dashboard/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "You were signed out after a period of inactivity" in response.content.decode()
    session.refresh_from_db()
    assert session.revoked_reason == "idle_timeout"
    assert AuditEvent.objects.get(action="session.revoked").changes["reason"] == "idle_timeout"


def test_absolute_lifetime_ends_the_page_session(client, teacher, settings):
    page_sign_in(client, teacher.email)
    session = UserSession.objects.get(user=teacher)
    assert abs(
        (session.expires_at - session.created_at) - timedelta(hours=settings.AUTH_SESSION_ABSOLUTE_HOURS)
    ) < timedelta(seconds=2)
    UserSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/dashboard/", follow=True)
    assert "Your session reached its maximum length" in response.content.decode()
    session.refresh_from_db()
    assert session.revoked_reason == "expired"


def test_last_seen_is_written_at_most_once_a_minute(client, teacher):
    page_sign_in(client, teacher.email)
    session = UserSession.objects.get(user=teacher)
    stamp = timezone.now() - timedelta(seconds=30)
    UserSession.objects.filter(pk=session.pk).update(last_seen_at=stamp)
    client.get("/dashboard/")
    session.refresh_from_db()
    assert session.last_seen_at == stamp
    UserSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now() - timedelta(seconds=61))
    client.get("/dashboard/")
    session.refresh_from_db()
    assert timezone.now() - session.last_seen_at < timedelta(seconds=5)


def test_a_session_signed_in_without_the_hooks_is_tracked_on_its_next_request(client, teacher):
    client.force_login(teacher)
    UserSession.objects.all().delete()
    store = client.session
    del store[session_service.WEB_SESSION_KEY]
    store.save()
    assert client.get("/dashboard/").status_code == 200
    session = UserSession.objects.get(user=teacher)
    assert client.session[session_service.WEB_SESSION_KEY] == session.pk


# --- limits and new devices ---------------------------------------------------------------------


def test_concurrent_session_limit_ends_the_oldest(student, settings):
    settings.AUTH_MAX_SESSIONS = {**settings.AUTH_MAX_SESSIONS, "student": 2}
    first = tokens(student.email)
    second = tokens(student.email)
    third = tokens(student.email)
    sessions = {s.pk: s for s in UserSession.objects.filter(user=student)}
    first_id, second_id, third_id = (_claims(pair["access"])["sid"] for pair in (first, second, third))
    assert sessions[first_id].revoked_reason == "session_limit"
    assert sessions[second_id].revoked_at is None and sessions[third_id].revoked_at is None
    assert bearer(first["access"]).get("/api/v1/me/").status_code == 401
    assert UserSession.objects.active().filter(user=student).count() == 2
    assert AuditEvent.objects.get(action="session.revoked").changes["reason"] == "session_limit"


def test_session_limit_follows_the_most_generous_role(member, school, other_school, settings):
    from accounts.tests.factories import MembershipFactory

    settings.AUTH_MAX_SESSIONS = {**settings.AUTH_MAX_SESSIONS, "student": 1, "teacher": 3}
    user = member(school, Role.STUDENT)
    assert session_service.max_sessions_for(user) == 1
    MembershipFactory(user=user, school=other_school, role=Role.TEACHER)
    assert session_service.max_sessions_for(user) == 3


def test_sign_in_from_a_new_device_notifies_the_user(teacher, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tokens(teacher.email)  # first ever sign-in: nothing to compare with
        tokens(teacher.email)  # same device
    assert not Notification.objects.exists()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        tokens(teacher.email, ua=SAFARI_IPHONE)
    notice = Notification.objects.get(user=teacher)
    assert notice.kind == "security.new_device"
    assert notice.title == "New sign-in from Safari · iOS"
    assert f"(network {IP_TRUNCATED})" in notice.body
    assert notice.url == "/accounts/devices/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [teacher.email]
    assert mail.outbox[0].subject == "PE Platform: New sign-in from Safari · iOS"
    assert "http://127.0.0.1:8000/accounts/devices/" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="auth.new_device")
    assert (event.actor_id, event.school_id) == (teacher.pk, school.pk)
    assert event.changes == {"device": "Safari · iOS", "kind": "api"}


# --- housekeeping -------------------------------------------------------------------------------


def test_cleanup_deletes_long_ended_sessions_and_expired_tokens(teacher, settings):
    from accounts.tasks.sessions import cleanup_sessions

    old, recent = tokens(teacher.email), tokens(teacher.email)
    old_id, recent_id = _claims(old["access"])["sid"], _claims(recent["access"])["sid"]
    long_ago = timezone.now() - timedelta(days=settings.AUTH_SESSION_RETENTION_DAYS + 1)
    UserSession.objects.filter(pk=old_id).update(revoked_at=long_ago, expires_at=long_ago)
    OutstandingToken.objects.filter(jti=_claims(old["refresh"])["jti"]).update(expires_at=long_ago)
    result = cleanup_sessions.delay().get()
    assert result == {"sessions": 1, "tokens": 1}
    assert list(UserSession.objects.values_list("pk", flat=True)) == [recent_id]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me/sessions/"),
        ("delete", "/api/v1/me/sessions/1/"),
        ("post", "/api/v1/auth/logout-all/"),
        ("post", "/api/v1/auth/logout/"),
        ("post", "/api/v1/auth/password-change/"),
    ],
)
def test_session_endpoints_need_authentication(method, path):
    response = getattr(APIClient(), method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"]["code"] == "not_authenticated"
