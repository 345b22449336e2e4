"""Security monitoring (flags: user agent changed mid-session, sign-in after a burst of failures,
many networks), the flagged-sessions API and page for school admins, and the Devices page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import AuditEvent, Role, User, UserSession
from accounts.services import sessions as session_service
from accounts.tests.security_helpers import (
    CHROME_MAC,
    FIREFOX_WINDOWS,
    SAFARI_IPHONE,
    bearer,
    page_sign_in,
    refresh,
    sign_in,
    tokens,
)

pytestmark = pytest.mark.django_db


def _flagged(user) -> UserSession:
    return UserSession.objects.get(user=user, flagged_at__isnull=False)


# --- the flags ----------------------------------------------------------------------------------


def test_user_agent_change_on_refresh_flags_the_session(teacher, school):
    pair = tokens(teacher.email)
    assert refresh(pair["refresh"], ua=CHROME_MAC).status_code == 200
    session = _flagged(teacher)
    assert session.flagged_reason == "user_agent_changed"
    assert (session.user_agent, session.last_user_agent) == (FIREFOX_WINDOWS, CHROME_MAC)
    event = AuditEvent.objects.get(action="session.flagged")
    assert (event.school_id, event.target_id) == (school.pk, str(session.pk))
    assert event.changes == {
        "reason": "user_agent_changed",
        "user": teacher.pk,
        "from": FIREFOX_WINDOWS,
        "to": CHROME_MAC,
    }


def test_user_agent_change_on_a_page_session_flags_it_once(client, teacher):
    page_sign_in(client, teacher.email)
    client.get("/dashboard/", HTTP_USER_AGENT=FIREFOX_WINDOWS)
    assert not UserSession.objects.filter(flagged_at__isnull=False).exists()
    client.get("/dashboard/", HTTP_USER_AGENT=SAFARI_IPHONE)
    client.get("/dashboard/", HTTP_USER_AGENT=CHROME_MAC)
    session = _flagged(teacher)
    assert session.flagged_reason == "user_agent_changed"
    assert session.last_user_agent == CHROME_MAC
    assert AuditEvent.objects.filter(action="session.flagged").count() == 1


def test_sign_in_after_a_burst_of_failures_is_flagged(teacher, settings):
    settings.AXES_FAILURE_LIMIT = 10
    client = APIClient()
    for _ in range(settings.AUTH_MONITOR_FAILURE_BURST):
        assert sign_in(client, teacher.email, "wrong-password-123").status_code == 401
    assert sign_in(client, teacher.email).status_code == 200
    session = _flagged(teacher)
    assert session.flagged_reason == "failed_attempts"
    flagged = AuditEvent.objects.get(action="session.flagged")
    assert flagged.changes == {"reason": "failed_attempts", "user": teacher.pk, "failures": 3}


def test_a_few_failures_do_not_flag(teacher, settings):
    sign_in(APIClient(), teacher.email, "wrong-password-123")
    assert sign_in(APIClient(), teacher.email).status_code == 200
    assert not UserSession.objects.filter(flagged_at__isnull=False).exists()


def test_many_networks_flag_the_session(teacher, settings):
    pair = tokens(teacher.email, ip="192.0.2.10")
    pair = refresh(pair["refresh"], ip="198.51.100.10").json()
    assert not UserSession.objects.filter(flagged_at__isnull=False).exists()
    refresh(pair["refresh"], ip="203.0.113.99")
    session = _flagged(teacher)
    assert session.flagged_reason == "many_ips"
    assert session.seen_ips == ["192.0.2.0", "198.51.100.0", "203.0.113.0"]


def test_flags_accumulate(teacher):
    pair = tokens(teacher.email, ip="192.0.2.10")
    pair = refresh(pair["refresh"], ip="198.51.100.10", ua=CHROME_MAC).json()
    refresh(pair["refresh"], ip="203.0.113.99", ua=CHROME_MAC)
    session = _flagged(teacher)
    assert session.flagged_reason == "user_agent_changed,many_ips"
    assert [flag["code"] for flag in session_service.flag_labels(session)] == ["user_agent_changed", "many_ips"]


# --- flagged sessions for school admins ---------------------------------------------------------


@pytest.fixture
def flagged_pair(teacher, other_teacher):
    """A flagged session in each school."""
    for user in (teacher, other_teacher):
        pair = tokens(user.email)
        refresh(pair["refresh"], ua=CHROME_MAC)
    return _flagged(teacher), _flagged(other_teacher)


def test_school_admin_lists_flagged_sessions_of_their_members_only(school_admin, client_for, flagged_pair, teacher):
    own, _foreign = flagged_pair
    response = client_for(school_admin).get("/api/v1/security/flagged-sessions/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == own.pk
    assert (row["user"], row["user_email"], row["user_name"]) == (teacher.pk, teacher.email, teacher.get_full_name())
    assert (row["user_agent"], row["last_user_agent"]) == (FIREFOX_WINDOWS, CHROME_MAC)
    assert row["flags"] == [{"code": "user_agent_changed", "label": "The browser or app changed during the session"}]


def test_school_admin_revokes_a_flagged_session(school_admin, client_for, flagged_pair, school, teacher):
    own, foreign = flagged_pair
    client = client_for(school_admin)
    assert client.post(f"/api/v1/security/flagged-sessions/{foreign.pk}/revoke/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    assert client.post(f"/api/v1/security/flagged-sessions/{own.pk}/revoke/").status_code == 204
    own.refresh_from_db()
    assert own.revoked_reason == "revoked_by_admin"
    event = AuditEvent.objects.get(action="session.revoked")
    assert (event.actor_id, event.school_id, event.target_id) == (school_admin.pk, school.pk, str(own.pk))
    assert event.changes["reason"] == "revoked_by_admin"
    # ended sessions leave the list; revoking again is a 404
    assert client.get("/api/v1/security/flagged-sessions/").json()["count"] == 0
    assert client.post(f"/api/v1/security/flagged-sessions/{own.pk}/revoke/").status_code == 404


def test_flagged_sessions_need_the_permission(teacher, client_for, flagged_pair, assistant):
    own, _foreign = flagged_pair
    client = client_for(assistant)
    assert client.get("/api/v1/security/flagged-sessions/").status_code == 403
    response = client.post(f"/api/v1/security/flagged-sessions/{own.pk}/revoke/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    own.refresh_from_db()
    assert own.revoked_at is None


def test_platform_staff_see_all_flagged_sessions(client_for, flagged_pair, db):
    staff = User.objects.create_user("ops@example.org", "a-long-unusual-passphrase-42", is_staff=True)
    rows = client_for(staff).get("/api/v1/security/flagged-sessions/").json()["results"]
    assert {row["id"] for row in rows} == {session.pk for session in flagged_pair}


def test_flagged_list_query_count_is_fixed(school_admin, client_for, member, school):
    client = client_for(school_admin)
    client.get("/api/v1/security/flagged-sessions/")  # warm the permission cache
    counts = []
    for _ in range(2):
        for _ in range(3):
            user = member(school, Role.TEACHER)
            refresh(tokens(user.email)["refresh"], ua=CHROME_MAC)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/security/flagged-sessions/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_flagged_sessions_page_and_revoke_with_confirmation(client, school_admin, flagged_pair, teacher):
    own, foreign = flagged_pair
    client.force_login(school_admin)
    html = client.get("/security/flagged-sessions/").content.decode()
    assert teacher.email in html
    assert "The browser or app changed during the session" in html
    assert foreign.user.email not in html
    assert client.get(f"/security/flagged-sessions/{foreign.pk}/end/").status_code == 404
    confirm = client.get(f"/security/flagged-sessions/{own.pk}/end/")
    assert "End this flagged session?" in confirm.content.decode()
    assert 'name="confirm"' in confirm.content.decode()
    assert client.post(f"/security/flagged-sessions/{own.pk}/end/").status_code == 400
    own.refresh_from_db()
    assert own.revoked_at is None
    done = client.post(f"/security/flagged-sessions/{own.pk}/end/", {"confirm": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == "/security/flagged-sessions/"
    own.refresh_from_db()
    assert own.revoked_reason == "revoked_by_admin"


def test_flagged_sessions_page_is_for_school_admins(client, teacher):
    client.force_login(teacher)
    assert client.get("/security/flagged-sessions/").status_code == 403


# --- the Devices page ---------------------------------------------------------------------------


def test_devices_page_lists_sessions_and_ends_one_after_confirmation(client, teacher):
    page_sign_in(client, teacher.email)
    phone = tokens(teacher.email, ua=SAFARI_IPHONE)
    html = client.get("/accounts/devices/").content.decode()
    assert "Firefox · Windows" in html and "(this session)" in html
    assert "Safari · iOS" in html
    phone_id = UserSession.objects.get(user=teacher, device_label="Safari · iOS").pk
    confirm = client.get(f"/accounts/devices/{phone_id}/end/")
    assert "End this session?" in confirm.content.decode()
    done = client.post(f"/accounts/devices/{phone_id}/end/", {"confirm": "on"}, follow=True)
    assert "The session on Safari · iOS has ended." in done.content.decode()
    assert bearer(phone["access"]).get("/api/v1/me/").status_code == 401
    assert client.get("/dashboard/").status_code == 200


def test_devices_page_ending_the_current_session_signs_out(client, teacher):
    page_sign_in(client, teacher.email)
    current = UserSession.objects.get(user=teacher)
    response = client.post(f"/accounts/devices/{current.pk}/end/", {"confirm": "on"})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_devices_page_cannot_touch_someone_elses_session(client, teacher, other_teacher):
    foreign = tokens(other_teacher.email)
    client.force_login(teacher)
    foreign_id = UserSession.objects.get(user=other_teacher).pk
    assert client.get(f"/accounts/devices/{foreign_id}/end/").status_code == 404
    assert client.post(f"/accounts/devices/{foreign_id}/end/", {"confirm": "on"}).status_code == 404
    assert bearer(foreign["access"]).get("/api/v1/me/").status_code == 200


def test_sign_out_everywhere_else_page(client, teacher):
    page_sign_in(client, teacher.email)
    phone = tokens(teacher.email, ua=SAFARI_IPHONE)
    confirm = client.get("/accounts/devices/sign-out-others/")
    assert "Sign out everywhere else?" in confirm.content.decode()
    done = client.post("/accounts/devices/sign-out-others/", {"confirm": "on"}, follow=True)
    assert "Sessions ended: 1." in done.content.decode()
    assert bearer(phone["access"]).get("/api/v1/me/").status_code == 401
    assert client.get("/dashboard/").status_code == 200


def test_security_pages_have_no_inline_scripts_or_styles(client, school_admin):
    client.force_login(school_admin)
    for url in (
        "/accounts/devices/",
        "/accounts/password-change/",
        "/security/lockouts/",
        "/security/flagged-sessions/",
        "/accounts/devices/sign-out-others/",
    ):
        html = client.get(url).content.decode()
        assert "<script" not in html and "style=" not in html and "<style" not in html, url
    client.logout()
    for url in ("/accounts/register/", "/accounts/verify-email/resend/", "/accounts/verify-email/bad-token/"):
        html = client.get(url).content.decode()
        assert "<script" not in html and "style=" not in html, url
