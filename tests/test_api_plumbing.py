"""Project-wide API behaviour: error shape, request ids, bad input, pagination, caching, headers."""

import re

import pytest
from django.test import override_settings

from accounts.models import Role

pytestmark = pytest.mark.django_db


def test_every_response_has_a_request_id(client, api_client):
    first = client.get("/healthz")
    second = client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
    kept = api_client.get("/api/v1/me/", HTTP_X_REQUEST_ID="proxy-abc-12345")
    assert kept["X-Request-ID"] == "proxy-abc-12345"
    replaced = api_client.get("/api/v1/me/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert replaced["X-Request-ID"] != "bad id\nwith newline"


def test_unknown_api_url_is_json_404(api_client):
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No API endpoint at /api/v1/no-such-thing/.", "fields": {}}
    }


def test_malformed_json_is_400(api_client):
    response = api_client.post("/api/v1/auth/token/", data="{bad", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert "JSON parse error" in response.json()["error"]["message"]


def test_oversized_body_is_413_and_not_parsed(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_client.post(
        "/api/v1/auth/register/", data='{"email": "' + "a" * 2000 + '"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert "limit is 1000 bytes" in response.json()["error"]["message"]


def test_unsupported_media_type_is_415(client_for, teacher):
    response = client_for(teacher).generic("PATCH", "/api/v1/me/", "first_name=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_method_not_allowed_is_405(client_for, teacher):
    response = client_for(teacher).delete("/api/v1/me/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "x"}, "page_size"),
    ],
)
def test_bad_pagination_parameters_are_400(client_for, school_admin, params, field):
    response = client_for(school_admin).get("/api/v1/memberships/", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_page_past_the_end_is_404(client_for, school_admin):
    response = client_for(school_admin).get("/api/v1/memberships/", {"page": 99})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_page_size_is_capped_at_100(client_for, school_admin, school, member):
    for n in range(105):
        member(school, Role.STUDENT, email=f"s{n}@example.org")
    body = client_for(school_admin).get("/api/v1/memberships/", {"page_size": 500}).json()
    assert body["count"] == 106
    assert len(body["results"]) == 100
    assert body["next"] is not None


def test_conditional_get_returns_304_for_the_same_user_only(client_for, school_admin, other_teacher):
    client = client_for(school_admin)
    first = client.get("/api/v1/schools/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first["Vary"]
    again = client.get("/api/v1/schools/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # a different user presenting the same ETag never gets a 304 for their (different) data
    other = client_for(other_teacher).get("/api/v1/schools/", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    assert other.json()["results"][0]["slug"] == "southside"


def test_etag_changes_when_data_changes(client_for, school_admin, school):
    client = client_for(school_admin)
    before = client.get(f"/api/v1/schools/{school.pk}/")["ETag"]
    client.patch(f"/api/v1/schools/{school.pk}/", {"region": "Changed"})
    after = client.get(f"/api/v1/schools/{school.pk}/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_personal_data_is_no_store(client_for, teacher):
    assert client_for(teacher).get("/api/v1/me/")["Cache-Control"] == "private, no-store"
    assert client_for(teacher).get("/api/v1/memberships/")["Cache-Control"] == "private, no-store"


def test_security_headers_on_pages(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_auth_endpoints_are_throttled_more_strictly(api_client, settings, teacher):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "auth": "3/min"},
    }
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        codes = [
            api_client.post("/api/v1/auth/token/", {"email": teacher.email, "password": "x"}, format="json").status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        last = api_client.post("/api/v1/auth/token/", {"email": teacher.email, "password": "x"}, format="json")
        assert last.json()["error"]["code"] == "throttled"
        assert "Try again in" in last.json()["error"]["message"]
        assert int(last["Retry-After"]) > 0
        # ordinary endpoints are not on the auth budget
        assert api_client.get("/healthz").status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/auth/token/" in paths
    assert paths["/api/v1/me/"]["get"]["responses"]["4XX"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html and "http://" not in html


@override_settings(DEBUG=False)
def test_unhandled_error_is_500_in_error_shape_without_trace(client_for, teacher, monkeypatch):
    from accounts.api import views

    def explode(self, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.MeView, "get", explode)
    client = client_for(teacher)
    client.raise_request_exception = False
    response = client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "server_error", "message": "An unexpected error occurred. It has been logged.", "fields": {}}
    }
    assert b"secret internals" not in response.content


def test_api_errors_follow_the_request_language(api_client):
    response = api_client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["error"]["message"] == "No hay ningún punto de acceso de la API en /api/v1/no-such-thing/."
    assert response["Content-Language"] == "es"


def test_unsafe_request_to_unknown_api_url_is_json_404_even_with_csrf_checks(teacher):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(teacher)
    response = strict.patch("/api/v1/schools/0.5/", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_numbers_are_not_accepted_for_text_fields(client_for, teacher):
    response = client_for(teacher).patch("/api/v1/me/", {"last_name": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"last_name": ["Not a valid string."]}


def test_api_accepts_json_only(client_for, teacher):
    response = client_for(teacher).patch("/api/v1/me/", {"first_name": "X"}, format="multipart")
    assert response.status_code == 415


@pytest.mark.parametrize("value", ["999999", "-3260038213991754891264", "0"])
def test_foreign_key_filters_never_reveal_which_ids_exist(client_for, school_admin, other_teacher, value):
    client = client_for(school_admin)
    unknown = client.get("/api/v1/memberships/", {"user": value})
    elsewhere = client.get("/api/v1/memberships/", {"user": other_teacher.pk})
    assert unknown.status_code == elsewhere.status_code == 200
    assert unknown.json()["count"] == elsewhere.json()["count"] == 0


def test_foreign_key_filter_finds_own_rows(client_for, school_admin, teacher, school):
    body = client_for(school_admin).get("/api/v1/memberships/", {"user": teacher.pk, "school": school.pk}).json()
    assert [row["user_email"] for row in body["results"]] == [teacher.email]


def test_ids_too_large_for_the_database_are_404(client_for, school_admin):
    response = client_for(school_admin).post("/api/v1/users/1765181242088583927431168/export/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    listing = client_for(school_admin).get("/api/v1/users/", {"school": "1765181242088583927431168"})
    assert listing.status_code == 200
    assert listing.json()["count"] == 0
    assert client_for(school_admin).get("/api/v1/users/", {"school": "1.0"}).status_code == 400


def test_options_is_answered_on_every_api_route(client, client_for, teacher):
    """OPTIONS is DRF's metadata handler on every view; a view method named ``options`` (the roster
    imports once had ``options(self, data)``) would turn it into a server error."""
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    api = client_for(teacher)
    for path in paths:
        response = api.options(re.sub(r"\{[^}]+\}", "1", path))
        assert response.status_code < 500, path
    imports = api.options(
        "/api/v1/physed/imports/csv/", data=b"--x--\r\n", content_type="multipart/form-data; boundary=x"
    )
    assert imports.status_code == 200


def test_times_of_day_are_wall_clock_times_without_an_offset(client, client_for, teacher, school):
    from physed.tests.factories_roster import PEClassFactory

    schemas = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["components"]["schemas"]
    start_time = schemas["ClassSessionRequest"]["properties"]["start_time"]
    assert "format" not in start_time and re.fullmatch(start_time["pattern"], "09:00")
    pe_class = PEClassFactory(school=school)
    api = client_for(teacher)
    for refused in ("09:00Z", "09:00:00+02:00", "9:00", "09:00:00.5", "24:00"):
        response = api.post(
            "/api/v1/physed/sessions/",
            {"pe_class": pe_class.pk, "date": "2026-09-15", "start_time": refused},
            format="json",
        )
        assert response.status_code == 400, refused
        assert set(response.json()["error"]["fields"]) == {"start_time"}
    created = api.post(
        "/api/v1/physed/sessions/",
        {"pe_class": pe_class.pk, "date": "2026-09-15", "start_time": "09:05"},
        format="json",
    )
    assert created.status_code == 201
    assert re.fullmatch(start_time["pattern"], created.json()["start_time"])


def test_update_bodies_leave_out_what_is_fixed_at_creation(client):
    schemas = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["components"]["schemas"]
    fixed = {
        "ClassSession": "pe_class",
        "Student": "school",
        "PEClass": "school",
        "Guardianship": "student",
        "MetricType": "school",
    }
    for name, field in fixed.items():
        assert field in schemas[f"{name}Request"]["properties"], name
        assert field not in schemas[f"{name}UpdateRequest"]["properties"], name
        assert field not in schemas[f"Patched{name}UpdateRequest"]["properties"], name
        assert field in schemas[name]["properties"], name  # still in the response
    assert "student" not in schemas["PatchedAdaptationProfileUpdateRequest"]["properties"]


def test_a_partial_update_answers_every_field(client_for, teacher, school):
    from physed.tests.factories_roster import PEClassFactory
    from physed.tests.factories_sessions import ClassSessionFactory, SessionBlockFactory

    session = ClassSessionFactory(pe_class=PEClassFactory(school=school))
    SessionBlockFactory(session=session)
    response = client_for(teacher).patch(f"/api/v1/physed/sessions/{session.pk}/", {"title": "Relays"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["recorded_count"] is None and body["participating_count"] is None
    assert body["blocks"][0]["exercise_name"] is None


def test_decimal_patterns_in_the_schema_require_a_digit(api_client):
    """drf-spectacular's decimal pattern also matched "" and "-", which the fields refuse; the
    post-processing hook makes the schema say what is accepted (and many-related lists that may not
    be empty say minItems)."""
    import re

    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    patterns = set()

    def walk(node):
        if isinstance(node, dict):
            # (a nullable money field may say "" for none, as safety's cost does)
            if node.get("format") == "decimal" and "pattern" in node and not node.get("nullable"):
                patterns.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert patterns
    for pattern in patterns:
        assert not re.match(pattern, "") and not re.match(pattern, "-")
        assert re.match(pattern, "12") and re.match(pattern, ".5")
    tests = schema["components"]["schemas"]["TestEventRequest"]["properties"]["tests"]
    assert tests["minItems"] == 1


def test_schema_document_is_generated_once_per_process_and_language(client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from config.api import schema_view

    monkeypatch.setattr(schema_view, "_documents", {})
    calls = []
    original = SchemaGenerator.get_schema

    def counting_get_schema(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting_get_schema)
    first = client.get("/api/schema/", {"format": "json"})
    second = client.get("/api/schema/", {"format": "json"})
    spanish = client.get("/api/schema/", {"format": "json", "lang": "es"})
    assert first.status_code == second.status_code == spanish.status_code == 200
    assert first.json() == second.json()
    assert len(calls) == 2  # English once, Spanish once
    assert first["Content-Disposition"] == 'inline; filename="PE Platform API.json"'
