"""The /audit/ page: same visibility and permission as the API, filters, pagination, CSV link,
empty states, accessible markup without inline scripts or styles."""

import re
from datetime import UTC, datetime

import pytest

from accounts.models import AuditEvent, User
from accounts.tests.factories_audit import AuditEventFactory

pytestmark = pytest.mark.django_db

URL = "/audit/"


def at(day, hour=12):
    return datetime(2024, 9, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def events(school, other_school, school_admin, teacher):
    return {
        "login": AuditEventFactory(school=school, actor=teacher, action="auth.login_succeeded", occurred_at=at(1)),
        "role": AuditEventFactory(school=school, actor=school_admin, action="rbac.role_assigned", occurred_at=at(10)),
        "logout": AuditEventFactory(school=school, actor=teacher, action="auth.logout", occurred_at=at(20)),
        "foreign": AuditEventFactory(school=other_school, action="auth.logout", occurred_at=at(15)),
        "platform": AuditEventFactory(school=None, action="audit.purged", occurred_at=at(16)),
    }


def _shown(response):
    assert response.status_code == 200
    return [event.pk for event in response.context["events"]]


def sign_in(client, user) -> list[int]:
    """Signs in through the real login path, which itself audits the sign-in; returns the ids of
    the rows that sign-in wrote (newest first), so tests can expect them exactly."""
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.force_login(user)
    return list(AuditEvent.objects.filter(pk__gt=before).order_by("-occurred_at", "-pk").values_list("pk", flat=True))


def render_without_signing_in(user, params=None):
    """The page for ``user`` without a sign-in (which would write a row): for the empty log."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    from accounts.views_audit import AuditLogView

    request = RequestFactory().get(URL, params or {})
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    response = AuditLogView.as_view()(request)
    response.render()
    return response


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["teacher", "department_head", "assistant", "student", "guardian"])
def test_roles_without_the_permission_get_403(client, member, school, role):
    sign_in(client, member(school, role))
    assert client.get(URL).status_code == 403


def test_school_admin_sees_their_schools_rows_newest_first(client, school_admin, school, events):
    signed_in = sign_in(client, school_admin)
    assert AuditEvent.objects.get(pk=signed_in[0]).school == school  # the sign-in itself is audited
    response = client.get(URL)
    assert _shown(response) == [*signed_in, events["logout"].pk, events["role"].pk, events["login"].pk]
    html = response.content.decode()
    assert "<h1>Audit log</h1>" in html
    assert f"{len(signed_in) + 3} events" in html
    assert "teacher@northside.test" in html
    assert '<time datetime="2024-09-20T12:00:00+00:00">2024-09-20 12:00:00 UTC</time>' in html
    assert ">School</th>" not in html  # one school: no school column


def test_superuser_sees_every_row_with_the_school_column(client, events):
    superuser = User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")
    signed_in = sign_in(client, superuser)
    response = client.get(URL)
    assert set(_shown(response)) == {event.pk for event in events.values()} | set(signed_in)
    html = response.content.decode()
    assert '<th scope="col">School</th>' in html
    assert "Southside High School" in html
    assert ">Platform</span>" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "auth.logout"}, ["logout"]),
        ({"actor_email": "TEACHER@northside.test"}, ["logout", "login"]),
        ({"occurred_after": "2024-09-10", "occurred_before": "2024-12-31"}, ["logout", "role"]),
        ({"occurred_before": "2024-09-10"}, ["role", "login"]),  # the end date is included
        ({"occurred_after": "2024-09-02", "occurred_before": "2024-09-19"}, ["role"]),
        ({"action": "auth.logout", "actor_email": "teacher@northside.test", "occurred_after": "2024-09-21"}, []),
    ],
)
def test_filters(client, school_admin, events, params, expected):
    sign_in(client, school_admin)
    assert _shown(client.get(URL, params)) == [events[name].pk for name in expected]


def test_open_ended_date_filter_includes_todays_sign_in(client, school_admin, events):
    signed_in = sign_in(client, school_admin)
    assert _shown(client.get(URL, {"occurred_after": "2024-09-10"})) == [
        *signed_in,
        events["logout"].pk,
        events["role"].pk,
    ]


def test_filter_form_keeps_values_and_lists_visible_actions_only(client, school_admin, events):
    signed_in = sign_in(client, school_admin)
    assert {AuditEvent.objects.get(pk=pk).action for pk in signed_in} == {"auth.login_succeeded"}
    html = client.get(URL, {"action": "auth.logout", "occurred_after": "2024-09-02"}).content.decode()
    options = re.findall(
        r'<option value="([^"]*)"( selected)?>', html.split('id="audit-action"')[1].split("</select>")[0]
    )
    assert options == [
        ("", ""),
        ("auth.login_succeeded", ""),
        ("auth.logout", " selected"),
        ("rbac.role_assigned", ""),
    ]  # audit.purged (platform) is not offered to a school admin
    assert 'name="occurred_after" value="2024-09-02"' in html
    assert '<a href="/audit/">Clear filters</a>' in html


def test_csv_link_carries_the_current_filters(client, school_admin, events):
    sign_in(client, school_admin)
    html = client.get(
        URL, {"action": "auth.logout", "actor_email": "", "occurred_after": "2024-09-01", "page": "1"}
    ).content.decode()
    assert 'href="/api/v1/audit-events/export/?action=auth.logout&amp;occurred_after=2024-09-01" download' in html
    export = client.get("/api/v1/audit-events/export/?action=auth.logout&occurred_after=2024-09-01")
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == [str(events["logout"].pk)]


def test_invalid_filter_shows_the_error_and_no_rows(client, school_admin, events):
    sign_in(client, school_admin)
    response = client.get(URL, {"occurred_after": "not-a-date"})
    html = response.content.decode()
    assert _shown(response) == []
    assert 'role="alert"' in html
    assert "From: Enter an ISO 8601 date (2024-09-01) or date-time (2024-09-01T08:00:00Z)." in html


def test_pagination_keeps_filters_and_clamps_the_page(client, school_admin, school):
    made = [
        AuditEventFactory(school=school, action="auth.logout", occurred_at=at(1 + n % 28, n % 24)) for n in range(30)
    ]
    AuditEventFactory(school=school, action="other.thing")
    sign_in(client, school_admin)
    first = client.get(URL, {"action": "auth.logout"})
    second = client.get(URL, {"action": "auth.logout", "page": 2})
    assert len(_shown(first)) == 25
    assert len(_shown(second)) == 5
    assert set(_shown(first)) | set(_shown(second)) == {event.pk for event in made}
    html = first.content.decode()
    assert '<a href="?action=auth.logout&amp;page=2" rel="next">Next</a>' in html
    assert '<span aria-current="page">Page 1 of 2</span>' in html
    assert 'aria-label="Audit log pages"' in html
    assert _shown(client.get(URL, {"action": "auth.logout", "page": 99})) == _shown(second)
    assert _shown(client.get(URL, {"action": "auth.logout", "page": "x"})) == _shown(first)


def test_empty_states(client, school_admin, events):
    sign_in(client, school_admin)
    html = client.get(URL, {"action": "nothing.here"}).content.decode()
    assert "No events match these filters" in html
    assert "Download CSV" not in html


def test_empty_log(school_admin):
    html = render_without_signing_in(school_admin).content.decode()
    assert "No audit events yet" in html
    assert "<table" not in html
    assert "0 events" in html


def test_changes_and_erased_actors_render(client, school_admin, school):
    AuditEventFactory(
        school=school, actor_id=987654, action="auth.logout", changes={"email": {"before": "a", "after": "b"}}
    )
    sign_in(client, school_admin)
    html = client.get(URL).content.decode()
    assert "Erased user #987654" in html
    assert '<details class="audit-changes"><summary>Changes</summary>' in html
    assert "&quot;before&quot;: &quot;a&quot;" in html


def test_markup_is_accessible_and_csp_clean(client, school_admin, events):
    sign_in(client, school_admin)
    html = client.get(URL).content.decode()
    assert "<script" not in html
    assert "style=" not in html and "<style" not in html
    for field_id in ("audit-action", "audit-actor-email", "audit-from", "audit-until"):
        assert f'<label for="{field_id}">' in html
        assert f'id="{field_id}"' in html
    assert '<caption id="audit-caption">' in html
    assert html.count('<th scope="col">') == 6
    assert 'role="search"' in html


def test_page_is_in_spanish_when_asked(client, school_admin, events):
    sign_in(client, school_admin)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in html
