"""Registration, tokens (rotation, blacklist), logout and /me through the API."""

import pytest
from django.conf import settings
from django.core import mail
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Role, User

pytestmark = pytest.mark.django_db


def _tokens(api_client, email, password=settings.DEMO_PASSWORD):
    return api_client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def test_register_creates_an_account_without_school_access(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register/",
            {"email": "New.Coach@Example.org", "password": "a-long-unusual-passphrase-42", "first_name": "Nia"},
            format="json",
        )
    # 202 and no account data: the same answer as for an address that is already registered
    assert response.status_code == 202
    body = response.json()
    assert body == {
        "email": "new.coach@example.org",
        "detail": "Check your inbox: we sent a link to confirm new.coach@example.org.",
    }
    user = User.objects.get(email="new.coach@example.org")
    assert user.first_name == "Nia"
    assert user.check_password("a-long-unusual-passphrase-42")
    assert user.email_verified_at is None
    assert user.memberships.count() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.coach@example.org"]
    assert "/accounts/verify-email/" in mail.outbox[0].body


def test_register_rejects_weak_password_and_hides_duplicates(api_client, teacher, django_capture_on_commit_callbacks):
    weak = api_client.post("/api/v1/auth/register/", {"email": "x@example.org", "password": "short"}, format="json")
    assert weak.status_code == 400
    assert weak.json()["error"]["code"] == "invalid"
    assert "password" in weak.json()["error"]["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        duplicate = api_client.post(
            "/api/v1/auth/register/",
            {"email": teacher.email.upper(), "password": "a-long-unusual-passphrase-42"},
            format="json",
        )
    # the same answer as for a new address, so registration does not reveal who has an account
    assert duplicate.status_code == 202
    assert duplicate.json() == {
        "email": teacher.email,
        "detail": f"Check your inbox: we sent a link to confirm {teacher.email}.",
    }
    assert User.objects.filter(email__iexact=teacher.email).count() == 1
    teacher.refresh_from_db()
    assert teacher.check_password(settings.DEMO_PASSWORD)  # untouched
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert "already have an account" in mail.outbox[0].body
    assert User.objects.filter(email="x@example.org").count() == 0


def test_register_rejects_mass_assignment(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {"email": "sneaky@example.org", "password": "a-long-unusual-passphrase-42", "is_staff": True},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"is_staff": ["Unknown field."]}
    assert not User.objects.filter(email="sneaky@example.org").exists()


def test_token_pair_for_email_and_password(api_client, teacher):
    response = _tokens(api_client, teacher.email)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "email_verified", "notice"}
    assert (body["email_verified"], body["notice"]) == (True, "")
    assert response["Cache-Control"] == "private, no-store"
    me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert me.status_code == 200
    assert me.json()["email"] == teacher.email


def test_access_token_lives_at_most_five_minutes(teacher):
    token = RefreshToken.for_user(teacher).access_token
    assert token["exp"] - token["iat"] <= 300


def test_wrong_password_is_401_in_error_shape(api_client, teacher):
    response = _tokens(api_client, teacher.email, "not-the-password")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "no_active_account"


def test_refresh_rotates_and_blacklists_the_old_token(api_client, teacher):
    first = _tokens(api_client, teacher.email).json()
    rotated = api_client.post("/api/v1/auth/token/refresh/", {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]
    replay = api_client.post("/api/v1/auth/token/refresh/", {"refresh": first["refresh"]}, format="json")
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "token_not_valid"


def test_logout_blacklists_the_refresh_token(api_client, teacher, client_for):
    pair = _tokens(api_client, teacher.email).json()
    response = client_for(teacher).post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 204
    after = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert after.status_code == 401


def test_logout_refuses_someone_elses_token(api_client, teacher, other_teacher, client_for):
    pair = _tokens(api_client, other_teacher.email).json()
    response = client_for(teacher).post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"refresh": ["Token is invalid or expired."]}
    still_valid = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert still_valid.status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-token",
        "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VyX2lkIjoiMSIsInRva2VuX3R5cGUiOiJhY2Nlc3MifQ.",
        "Token abc",
    ],
)
def test_invalid_tokens_are_401(api_client, header):
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["message"]


def test_expired_token_is_401(api_client, teacher):
    token = RefreshToken.for_user(teacher).access_token
    token.set_exp(lifetime=-__import__("datetime").timedelta(seconds=1))
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_me_shows_current_memberships(client_for, teacher, school, member):
    response = client_for(teacher).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["memberships"] == [
        {
            "id": teacher.memberships.get().pk,
            "school": "northside",
            "school_name": "Northside Middle School",
            "role": Role.TEACHER,
            "valid_from": body["memberships"][0]["valid_from"],
            "valid_until": None,
        }
    ]
    assert response["Cache-Control"] == "private, no-store"


def test_me_patch_updates_names_only(client_for, teacher):
    client = client_for(teacher)
    ok = client.patch("/api/v1/me/", {"first_name": "Robin"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["first_name"] == "Robin"
    teacher.refresh_from_db()
    assert teacher.first_name == "Robin"

    for forbidden in ({"is_staff": True}, {"email": "other@example.org"}, {"is_superuser": True}):
        response = client.patch("/api/v1/me/", forbidden, format="json")
        assert response.status_code == 400, forbidden
    teacher.refresh_from_db()
    assert (teacher.is_staff, teacher.email) == (False, "teacher@northside.test")


def test_me_patch_wrong_type_is_400(client_for, teacher):
    response = client_for(teacher).patch("/api/v1/me/", {"first_name": {"a": 1}}, format="json")
    assert response.status_code == 400
    assert "first_name" in response.json()["error"]["fields"]


def test_inactive_user_cannot_get_tokens(api_client, teacher):
    teacher.is_active = False
    teacher.save()
    assert _tokens(api_client, teacher.email).status_code == 401


def test_registration_keeps_the_password_exactly(api_client, django_capture_on_commit_callbacks):
    password = "  Correct horse battery staple  "
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register/", {"email": "spaces@example.org", "password": password}, format="json"
        )
    assert response.status_code == 202
    assert User.objects.get(email="spaces@example.org").check_password(password)
