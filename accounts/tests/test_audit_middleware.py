"""Unsafe API requests are attributable: one structured log line each, with method, path, status,
user, school, request id and duration — never the body, tokens or passwords."""

import logging

import pytest

from accounts.middleware_audit import REDACTED, safe_path

pytestmark = pytest.mark.django_db

LOGGER = "accounts.audit.requests"
SECRET = "hunter2-correct-horse-battery"


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


def _lines(caplog):
    return [record for record in caplog.records if record.name == LOGGER]


def test_one_line_per_unsafe_api_request_with_the_attribution_fields(client_for, school_admin, log):
    client = client_for(school_admin)
    response = client.post(
        "/api/v1/audit-events/",
        {"password": SECRET, "refresh": "eyJhbGciOi.refresh.token"},
        format="json",
        HTTP_X_REQUEST_ID="req-attrib-0001",
    )
    assert response.status_code == 405
    (record,) = _lines(log)
    assert record.levelno == logging.INFO
    assert record.http_method == "POST"
    assert record.http_path == "/api/v1/audit-events/"
    assert record.http_status == 405
    assert record.user_id == str(school_admin.pk)
    assert record.school_id == "-"  # a JWT request names no current school
    assert record.request_id == "req-attrib-0001"
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.getMessage() == (
        f"api write POST /api/v1/audit-events/ -> 405 user={school_admin.pk} school=- "
        f"req=req-attrib-0001 duration_ms={record.duration_ms}"
    )


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_unsafe_method_is_logged(client_for, school_admin, school, method, log):
    from accounts.tests.factories_audit import AuditEventFactory

    event = AuditEventFactory(school=school)
    getattr(client_for(school_admin), method)(f"/api/v1/audit-events/{event.pk}/", {}, format="json")
    assert [(r.http_method, r.http_path) for r in _lines(log)] == [
        (method.upper(), f"/api/v1/audit-events/{event.pk}/")
    ]


def test_nothing_secret_reaches_the_log(client_for, school_admin, log):
    client = client_for(school_admin)
    token = client._credentials["HTTP_AUTHORIZATION"].split()[1]
    client.patch(
        "/api/v1/audit-events/?password=" + SECRET,
        {"password": SECRET, "current_password": SECRET, "token": token},
        format="json",
    )
    client.post("/api/v1/auth/token/", {"email": school_admin.email, "password": SECRET}, format="json")
    lines = _lines(log)
    assert len(lines) == 2
    for record in lines:
        dumped = repr(record.__dict__) + record.getMessage()
        assert SECRET not in dumped
        assert token not in dumped
        assert "password" not in dumped
    assert lines[1].http_path == "/api/v1/auth/token/"
    assert lines[1].user_id == "-"  # anonymous sign-in attempt


def test_safe_requests_and_pages_are_not_logged(client_for, client, school_admin, log):
    client_for(school_admin).get("/api/v1/audit-events/")
    client_for(school_admin).options("/api/v1/audit-events/")
    client.post("/accounts/login/", {"username": school_admin.email, "password": SECRET})
    assert _lines(log) == []


def test_session_requests_carry_the_current_school(client, school_admin, school, log):
    client.force_login(school_admin)
    session = client.session
    session["current_school_id"] = school.pk
    session.save()
    client.delete("/api/v1/audit-events/1/")
    (record,) = _lines(log)
    assert (record.user_id, record.school_id) == (str(school_admin.pk), str(school.pk))
    assert record.http_status == 405


def test_anonymous_refusal_is_logged_too(api_client, log):
    response = api_client.delete("/api/v1/audit-events/1/")
    assert response.status_code == 401
    (record,) = _lines(log)
    assert (record.http_status, record.user_id) == (401, "-")


def test_the_log_line_goes_through_the_project_formatter(client_for, school_admin):
    """With the project's filter and text format the line carries the request context too."""
    import io

    from django.conf import settings

    from config.logging import RequestContextFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["text"]["format"]))
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    try:
        client_for(school_admin).post("/api/v1/audit-events/", {}, format="json", HTTP_X_REQUEST_ID="req-format-001")
    finally:
        logger.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    assert f"accounts.audit.requests [req=req-format-001 user={school_admin.pk} school=-] api write POST" in line
    assert settings.LOGGING["loggers"][LOGGER] == {"level": "INFO"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/memberships/12/", "/api/v1/memberships/12/"),
        (
            "/api/v1/files/3f2b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/",
            "/api/v1/files/3f2b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/",
        ),
        ("/api/v1/auth/reset/MTI/cf3a1b-5c8e0d5f7d6a39f3c2a1b9e8f7d6c5b4/", f"/api/v1/auth/reset/MTI/{REDACTED}/"),
        ("/api/v1/auth/verify/eyJ1IjoxfQ:1tAbCd:xYz/", f"/api/v1/auth/verify/{REDACTED}/"),
    ],
)
def test_token_like_path_segments_are_redacted(path, expected):
    assert safe_path(path) == expected
