"""Registration with email verification, password reset and change, password policy,
deactivation — by API and pages, with the audit rows and emails they produce."""

import re
import types
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import views_security
from accounts.models import AuditEvent, Notification, User, UserSession
from accounts.services import auth as auth_service
from accounts.tests.factories import UserFactory
from accounts.tests.security_helpers import (
    IP_TRUNCATED,
    SAFARI_IPHONE,
    bearer,
    meta,
    page_sign_in,
    refresh,
    sign_in,
    tokens,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "brand-new-passphrase-77"


def _register(email="new.coach@example.org", password="a-long-unusual-passphrase-42", **extra):
    return APIClient().post(
        "/api/v1/auth/register/", {"email": email, "password": password, **extra}, format="json", **meta()
    )


def _link_path(body: str, prefix: str) -> str:
    return re.search(rf"http://127\.0\.0\.1:8000({prefix}\S+)", body).group(1)


# --- registration and email verification --------------------------------------------------------


def test_registration_emails_a_signed_link_that_verifies_the_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _register(first_name="Nia").status_code == 202
    user = User.objects.get(email="new.coach@example.org")
    assert user.email_verified_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Confirm your email address for PE Platform"
    assert "The link works for 48 hours." in message.body
    path = _link_path(message.body, "/accounts/verify-email/")
    token = path.split("/")[3]
    registered = AuditEvent.objects.get(action="auth.registered")
    assert (registered.target_id, registered.ip_address) == (str(user.pk), IP_TRUNCATED)

    response = APIClient().post("/api/v1/auth/verify-email/", {"token": token}, format="json")
    assert response.status_code == 200
    assert response.json() == {"email": "new.coach@example.org", "email_verified": True}
    user.refresh_from_db()
    assert user.email_verified_at is not None
    event = AuditEvent.objects.get(action="auth.email_verified")
    assert (event.actor_id, event.target_id, event.changes) == (user.pk, str(user.pk), {"email": user.email})
    # idempotent: a second use changes nothing and writes no second event
    assert APIClient().post("/api/v1/auth/verify-email/", {"token": token}, format="json").status_code == 200
    assert AuditEvent.objects.filter(action="auth.email_verified").count() == 1


def test_the_emailed_page_link_verifies(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register()
    page = client.get(_link_path(mail.outbox[0].body, "/accounts/verify-email/"))
    assert page.status_code == 200
    assert "<h1>Email address confirmed</h1>" in page.content.decode()
    assert User.objects.get(email="new.coach@example.org").email_verified


def test_expired_tampered_and_stale_verification_links_are_refused(client, monkeypatch):
    user = UserFactory(email="late@example.org", email_verified_at=None)
    token = auth_service.make_verification_token(user)
    import django.core.signing as signing

    age = settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds()
    real_time = signing.time.time
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: real_time() + age + 5))
    expired = APIClient().post("/api/v1/auth/verify-email/", {"token": token}, format="json")
    assert expired.status_code == 400
    assert expired.json()["error"]["fields"] == {"token": ["This verification link has expired. Ask for a new one."]}
    page = client.get(f"/accounts/verify-email/{token}/")
    assert page.status_code == 400
    assert "This verification link has expired" in page.content.decode()
    assert 'href="/accounts/verify-email/resend/"' in page.content.decode()
    monkeypatch.undo()

    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = APIClient().post("/api/v1/auth/verify-email/", {"token": tampered}, format="json")
    assert response.json()["error"]["fields"] == {"token": ["This verification link is not valid."]}
    user.email = "changed@example.org"
    user.save()
    assert APIClient().post("/api/v1/auth/verify-email/", {"token": token}, format="json").status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_resend_answers_the_same_whatever_the_address(teacher, django_capture_on_commit_callbacks):
    pending = UserFactory(email="pending@example.org", email_verified_at=None)
    bodies = []
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("pending@example.org", teacher.email, "nobody@example.org"):
            response = APIClient().post("/api/v1/auth/verify-email/resend/", {"email": email}, format="json")
            assert response.status_code == 202
            bodies.append(response.json())
    assert bodies[0] == bodies[1] == bodies[2]
    assert [m.to for m in mail.outbox] == [[pending.email]]  # only the unverified account gets a link
    assert [
        e.changes["sent"] for e in AuditEvent.objects.filter(action="auth.verification_requested").order_by("id")
    ] == [
        True,
        False,
        False,
    ]


def test_unverified_users_are_told_what_to_do(client):
    UserFactory(email="fresh@example.org", email_verified_at=None)
    body = tokens("fresh@example.org")
    assert body["email_verified"] is False
    assert "verify-email/resend/" in body["notice"]
    response = client.post(
        "/accounts/login/", {"username": "fresh@example.org", "password": settings.DEMO_PASSWORD}, follow=True
    )
    assert "Your email address is not verified yet" in response.content.decode()


def test_registration_page_then_check_your_email(client, django_capture_on_commit_callbacks):
    form = client.get("/accounts/register/")
    assert form.status_code == 200
    assert 'for="id_password1"' in form.content.decode()
    weak = client.post(
        "/accounts/register/", {"email": "page@example.org", "password1": "password1234", "password2": "password1234"}
    )
    assert "This password is too common." in weak.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/accounts/register/",
            {"email": "Page@Example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "first_name": "Pat"},
            follow=True,
        )
    assert done.redirect_chain[-1][0] == "/accounts/register/done/"
    assert "page@example.org" in done.content.decode()
    assert User.objects.get(email="page@example.org").first_name == "Pat"
    assert mail.outbox[0].to == ["page@example.org"]


def test_resend_page(client, django_capture_on_commit_callbacks):
    UserFactory(email="pending@example.org", email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/accounts/verify-email/resend/", {"email": "pending@example.org"})
    assert "we have sent it a new link" in page.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("123456789012345", "This password is entirely numeric."),
    ],
)
def test_password_policy(password, message):
    response = _register(password=password)
    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["password"]


# --- password reset -----------------------------------------------------------------------------


def test_password_reset_answers_the_same_and_does_the_same_work(teacher, django_capture_on_commit_callbacks):
    answers, counts = [], []
    for email in (teacher.email, "nobody@example.org"):
        with CaptureQueriesContext(connection) as ctx:
            response = APIClient().post("/api/v1/auth/password-reset/", {"email": email}, format="json")
        answers.append((response.status_code, response.json()))
        counts.append(len(ctx.captured_queries))
    assert answers[0] == answers[1]
    assert answers[0][0] == 202
    assert counts[0] == counts[1]
    assert [
        e.changes["sent"] for e in AuditEvent.objects.filter(action="auth.password_reset_requested").order_by("id")
    ] == [
        True,
        False,
    ]


def test_password_reset_by_api_sets_the_password_and_ends_every_session(
    teacher, client, school, django_capture_on_commit_callbacks
):
    page_sign_in(client, teacher.email)
    pair = tokens(teacher.email, ua=SAFARI_IPHONE)
    with django_capture_on_commit_callbacks(execute=True):
        APIClient().post("/api/v1/auth/password-reset/", {"email": teacher.email}, format="json")
    reset_mail = [m for m in mail.outbox if m.subject == "Reset your PE Platform password"]
    assert len(reset_mail) == 1
    uid, token = re.search(r"/accounts/reset/([^/]+)/([^/]+)/", reset_mail[0].body).groups()

    weak = APIClient().post(
        "/api/v1/auth/password-reset/confirm/",
        {"uid": uid, "token": token, "new_password": "password1234"},
        format="json",
    )
    assert weak.status_code == 400
    assert weak.json()["error"]["fields"] == {"new_password": ["This password is too common."]}

    ok = APIClient().post(
        "/api/v1/auth/password-reset/confirm/",
        {"uid": uid, "token": token, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert ok.status_code == 200
    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD)
    assert set(UserSession.objects.filter(user=teacher).values_list("revoked_reason", flat=True)) == {"password_reset"}
    assert refresh(pair["refresh"]).status_code == 401
    assert bearer(pair["access"]).get("/api/v1/me/").status_code == 401
    assert client.get("/dashboard/").status_code == 302
    event = AuditEvent.objects.get(action="auth.password_reset")
    assert (event.actor_id, event.school_id, event.target_id) == (None, school.pk, str(teacher.pk))
    assert event.changes == {"ended_sessions": 2}
    assert Notification.objects.filter(user=teacher, kind="security.password_changed").exists()
    # a reset link works once
    again = APIClient().post(
        "/api/v1/auth/password-reset/confirm/",
        {"uid": uid, "token": token, "new_password": "another-passphrase-88"},
        format="json",
    )
    assert again.json()["error"]["fields"] == {"token": ["This reset link is invalid or has expired."]}


def test_password_reset_confirm_refuses_bad_links(teacher):
    good_uid = urlsafe_base64_encode(force_bytes(teacher.pk))
    for uid, token in (
        (good_uid, "nope-123"),
        ("???", default_token_generator.make_token(teacher)),
        ("MTIzNDU2Nzg5", "x"),
    ):
        response = APIClient().post(
            "/api/v1/auth/password-reset/confirm/",
            {"uid": uid, "token": token, "new_password": NEW_PASSWORD},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {"token": ["This reset link is invalid or has expired."]}
    teacher.refresh_from_db()
    assert teacher.check_password(settings.DEMO_PASSWORD)


# --- password change ----------------------------------------------------------------------------


def test_password_change_ends_other_sessions_by_default(client, teacher, school):
    page_sign_in(client, teacher.email)
    phone = tokens(teacher.email, ua=SAFARI_IPHONE)
    current = tokens(teacher.email)
    api = bearer(current["access"])
    wrong = api.post(
        "/api/v1/auth/password-change/",
        {"current_password": "not-it-at-all", "new_password": NEW_PASSWORD},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"] == {"current_password": ["Your current password is not correct."]}
    weak = api.post(
        "/api/v1/auth/password-change/",
        {"current_password": settings.DEMO_PASSWORD, "new_password": "short"},
        format="json",
    )
    assert "new_password" in weak.json()["error"]["fields"]

    response = api.post(
        "/api/v1/auth/password-change/",
        {"current_password": settings.DEMO_PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"ended_sessions": 2}
    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD)
    assert api.get("/api/v1/me/").status_code == 200  # this session continues
    assert refresh(current["refresh"]).status_code == 200
    assert bearer(phone["access"]).get("/api/v1/me/").status_code == 401
    assert client.get("/dashboard/").status_code == 302
    event = AuditEvent.objects.get(action="auth.password_changed")
    assert (event.actor_id, event.school_id) == (teacher.pk, school.pk)
    assert event.changes == {"end_other_sessions": True, "ended_sessions": 2}
    notice = Notification.objects.get(user=teacher, kind="security.password_changed")
    assert notice.title == "Your password was changed"


def test_password_change_can_keep_other_app_sessions(client, teacher):
    page_sign_in(client, teacher.email)
    phone = tokens(teacher.email, ua=SAFARI_IPHONE)
    api = bearer(tokens(teacher.email)["access"])
    response = api.post(
        "/api/v1/auth/password-change/",
        {"current_password": settings.DEMO_PASSWORD, "new_password": NEW_PASSWORD, "end_other_sessions": False},
        format="json",
    )
    assert response.json() == {"ended_sessions": 1}  # the page session: Django signs it out anyway
    assert bearer(phone["access"]).get("/api/v1/me/").status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_password_change_page_keeps_the_current_page_session(client, teacher):
    page_sign_in(client, teacher.email)
    phone = tokens(teacher.email, ua=SAFARI_IPHONE)
    form = client.get("/accounts/password-change/")
    assert 'name="end_other_sessions"' in form.content.decode()
    assert "checked" in form.content.decode()
    mismatch = client.post(
        "/accounts/password-change/",
        {
            "current_password": settings.DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": "different-one-123",
        },
    )
    assert "The two passwords are not the same." in mismatch.content.decode()
    done = client.post(
        "/accounts/password-change/",
        {
            "current_password": settings.DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "end_other_sessions": "on",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/accounts/devices/"
    assert "Other sessions ended: 1." in done.content.decode()
    assert client.get("/dashboard/").status_code == 200  # still signed in here
    assert bearer(phone["access"]).get("/api/v1/me/").status_code == 401


def test_password_change_page_wrong_current_password(client, teacher):
    client.force_login(teacher)
    response = client.post(
        "/accounts/password-change/",
        {"current_password": "nope-nope-nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Your current password is not correct." in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password(settings.DEMO_PASSWORD)


# --- deactivation -------------------------------------------------------------------------------


def test_deactivation_ends_every_session_and_refresh_token_at_once(client, teacher, school_admin, school):
    page_sign_in(client, teacher.email)
    pair = tokens(teacher.email, ua=SAFARI_IPHONE)
    legacy = RefreshToken.for_user(teacher)  # a token outside any tracked session
    ended = auth_service.deactivate_user(user=teacher, actor=school_admin)
    assert ended == 2
    teacher.refresh_from_db()
    assert teacher.is_active is False
    assert set(UserSession.objects.filter(user=teacher).values_list("revoked_reason", flat=True)) == {"deactivated"}
    outstanding = OutstandingToken.objects.filter(user=teacher)
    assert outstanding.count() == 2
    assert BlacklistedToken.objects.filter(token__in=outstanding).count() == 2
    assert BlacklistedToken.objects.filter(token__jti=legacy["jti"]).exists()
    assert bearer(pair["access"]).get("/api/v1/me/").status_code == 401
    assert refresh(pair["refresh"]).status_code == 401
    assert client.get("/dashboard/").status_code == 302
    assert sign_in(APIClient(), teacher.email).status_code == 401
    event = AuditEvent.objects.get(action="auth.user_deactivated")
    assert (event.actor_id, event.school_id, event.target_id) == (school_admin.pk, school.pk, str(teacher.pk))
    assert event.changes == {"is_active": {"before": True, "after": False}, "ended_sessions": 2}
    assert AuditEvent.objects.filter(action="session.revoked", actor=school_admin).count() == 2


def test_notification_emails_use_the_site_url(teacher, django_capture_on_commit_callbacks):
    from accounts.services.notifications import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify(teacher, "test.kind", "Something happened", "Details here.", url="/accounts/devices/")
    assert mail.outbox[0].subject == "PE Platform: Something happened"
    assert "http://127.0.0.1:8000/accounts/devices/" in mail.outbox[0].body
    assert "Details here." in mail.outbox[0].body


def test_verification_email_tasks_skip_missing_or_verified_accounts(teacher):
    from accounts.tasks.sessions import send_password_reset_email, send_verification_email

    assert send_verification_email(None) is False
    assert send_verification_email(teacher.pk) is False  # already verified
    assert send_password_reset_email(None) is False
    assert mail.outbox == []


def test_verify_timedelta_setting_is_used(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_VERIFICATION_MAX_AGE = timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        _register()
    assert "The link works for 1 hour." in mail.outbox[0].body


# --- the reset pages backed by the services (to be routed in accounts/urls.py) --------------------

urlpatterns = [
    path("accounts/password-reset/", views_security.PasswordResetPageView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views_security.PasswordResetConfirmPageView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("config.urls")),
]


@pytest.mark.urls(__name__)
def test_reset_pages_use_the_services(client, teacher, school, django_capture_on_commit_callbacks):
    pair = tokens(teacher.email)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"}, follow=True)
        known = client.post("/accounts/password-reset/", {"email": teacher.email}, follow=True)
    main = re.compile(r"<main.*</main>", re.DOTALL)
    assert main.search(unknown.content.decode()).group(0) == main.search(known.content.decode()).group(0)
    assert "Check your email" in known.content.decode()
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "password1234", "new_password2": "password1234"})
    assert "This password is too common." in weak.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Your password has been set" in done.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD)
    assert bearer(pair["access"]).get("/api/v1/me/").status_code == 401
    assert AuditEvent.objects.get(action="auth.password_reset").changes == {"ended_sessions": 1}
    assert [
        e.changes["sent"] for e in AuditEvent.objects.filter(action="auth.password_reset_requested").order_by("id")
    ] == [
        False,
        True,
    ]
