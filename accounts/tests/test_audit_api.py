"""``/api/v1/audit-events/``: who sees which rows, every filter, ordering, pagination, no writes,
and the streamed, injection-safe, self-audited CSV export."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission

from accounts.models import AuditEvent, User
from accounts.services.audit import record_event
from accounts.tests.factories_audit import AuditEventFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit-events/"
EXPORT = "/api/v1/audit-events/export/"


def at(day, hour=12, minute=0):
    return datetime(2024, 9, day, hour, minute, tzinfo=UTC)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")


@pytest.fixture
def events(school, other_school, school_admin, teacher):
    """Six rows in Northside, one in Southside and one without a school."""
    make = AuditEventFactory
    return {
        "login": make(
            school=school, actor=teacher, action="auth.login_succeeded", occurred_at=at(1, 8), request_id="req-aaaa1111"
        ),
        "failed": make(school=school, actor=None, action="auth.login_failed", occurred_at=at(2, 9)),
        "role": make(
            school=school,
            actor=school_admin,
            action="rbac.role_assigned",
            target_type="accounts.membership",
            target_id="41",
            occurred_at=at(3, 10),
        ),
        "role2": make(
            school=school,
            actor=school_admin,
            action="rbac.role_revoked",
            target_type="accounts.membership",
            target_id="42",
            occurred_at=at(30, 23, 59),
        ),
        "logout": make(school=school, actor=teacher, action="auth.logout", occurred_at=at(15, 7)),
        "export": make(school=school, actor=school_admin, action="audit.exported", occurred_at=at(20, 6)),
        "foreign": make(school=other_school, actor=None, action="auth.login_succeeded", occurred_at=at(5)),
        "platform": make(school=None, actor=None, action="audit.purged", occurred_at=at(6)),
    }


def test_school_admin_lists_only_their_schools_rows_newest_first(client_for, school_admin, events):
    response = client_for(school_admin).get(URL)
    body = response.json()
    expected = ["role2", "export", "logout", "role", "failed", "login"]
    assert ids(response) == [events[name].pk for name in expected]
    assert body["count"] == 6
    assert response["Cache-Control"] == "private, no-store"


def test_list_row_has_every_field(client_for, school_admin, teacher, school, events):
    row = next(r for r in client_for(school_admin).get(URL).json()["results"] if r["id"] == events["login"].pk)
    assert row == {
        "id": events["login"].pk,
        "occurred_at": "2024-09-01T08:00:00Z",
        "actor": teacher.pk,
        "actor_email": "teacher@northside.test",
        "school": school.pk,
        "action": "auth.login_succeeded",
        "target_type": "accounts.school",
        "target_id": events["login"].target_id,
        "target_label": events["login"].target_label,
        "ip_address": "192.0.2.0",
        "user_agent": "pytest",
        "request_id": "req-aaaa1111",
        "changes": {},
    }


def test_erased_actor_stays_as_a_pseudonymous_id(client_for, school_admin, school):
    event = AuditEventFactory(school=school, actor_id=999999, action="auth.logout")
    row = client_for(school_admin).get(f"{URL}{event.pk}/").json()
    assert (row["actor"], row["actor_email"]) == (999999, None)


def test_superuser_sees_every_row_including_platform_rows(client_for, superuser, events):
    response = client_for(superuser).get(URL, {"page_size": 100})
    assert set(ids(response)) == {event.pk for event in events.values()}


def test_platform_staff_need_the_django_permission(client_for, events):
    staff = User.objects.create_user("staff@example.org", "a-long-unusual-passphrase-42", is_staff=True)
    assert client_for(staff).get(URL).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_auditevent", content_type__app_label="accounts"))
    staff = User.objects.get(pk=staff.pk)  # fresh permission cache
    response = client_for(staff).get(URL, {"page_size": 100})
    assert set(ids(response)) == {event.pk for event in events.values()}
    assert client_for(staff).get(f"{URL}{events['platform'].pk}/").status_code == 200


@pytest.mark.parametrize("path", [URL, EXPORT])
def test_teacher_is_refused_with_403(client_for, teacher, events, path):
    response = client_for(teacher).get(path)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not AuditEvent.objects.filter(action="audit.exported", actor=teacher).exists()


def test_teacher_gets_403_on_a_row_of_their_own_school(client_for, teacher, events):
    assert client_for(teacher).get(f"{URL}{events['login'].pk}/").status_code == 403


@pytest.mark.parametrize("path", [URL, EXPORT])
def test_anonymous_gets_401(api_client, events, path):
    response = api_client.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_detail_of_own_school_row(client_for, school_admin, events):
    response = client_for(school_admin).get(f"{URL}{events['role'].pk}/")
    assert response.status_code == 200
    assert response.json()["action"] == "rbac.role_assigned"
    assert response.json()["target_id"] == "41"


@pytest.mark.parametrize("name", ["foreign", "platform"])
def test_other_school_and_platform_rows_are_404_for_a_school_admin(client_for, school_admin, events, name):
    response = client_for(school_admin).get(f"{URL}{events[name].pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_school_admin_of_two_schools_sees_both(client_for, member, school, other_school, events):
    admin = member(school, "school_admin")
    from accounts.tests.factories import MembershipFactory

    MembershipFactory(user=admin, school=other_school, role="school_admin")
    assert events["foreign"].pk in ids(client_for(admin).get(URL, {"page_size": 100}))


def test_admin_role_in_one_school_does_not_open_another_where_they_teach(client_for, member, school, other_school):
    from accounts.tests.factories import MembershipFactory

    admin = member(school, "school_admin")
    MembershipFactory(user=admin, school=other_school, role="teacher")
    own = AuditEventFactory(school=school)
    foreign = AuditEventFactory(school=other_school)
    client = client_for(admin)
    assert ids(client.get(URL)) == [own.pk]
    assert client.get(f"{URL}{foreign.pk}/").status_code == 403  # visible school, no permission there
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(EXPORT).streaming_content).decode())))
    assert [row["id"] for row in rows] == [str(own.pk)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "auth.logout"}, ["logout"]),
        ({"action": "auth."}, []),  # exact, not a prefix
        ({"action__startswith": "auth."}, ["logout", "failed", "login"]),
        ({"action__startswith": "rbac.role_"}, ["role2", "role"]),
        ({"actor_email": "TEACHER@northside.test"}, ["logout", "login"]),
        ({"target_type": "accounts.membership"}, ["role2", "role"]),
        ({"target_type": "accounts.membership", "target_id": "42"}, ["role2"]),
        ({"request_id": "req-aaaa1111"}, ["login"]),
        ({"occurred_after": "2024-09-03T10:00:00Z"}, ["role2", "export", "logout", "role"]),
        ({"occurred_after": "2024-09-03T10:00:01Z"}, ["role2", "export", "logout"]),
        ({"occurred_before": "2024-09-03T10:00:00Z"}, ["failed", "login"]),
        ({"occurred_after": "2024-09-02", "occurred_before": "2024-09-15"}, ["logout", "role", "failed"]),
        ({"occurred_before": "2024-09-30"}, ["role2", "export", "logout", "role", "failed", "login"]),
        ({"occurred_before": "2024-09-29"}, ["export", "logout", "role", "failed", "login"]),
        (
            {"occurred_after": "2024-09-01T09:00:00+01:00", "occurred_before": "2024-09-02T09:00:01Z"},
            ["failed", "login"],
        ),
        ({"action__startswith": "auth.", "occurred_after": "2024-09-02"}, ["logout", "failed"]),
    ],
)
def test_filters_return_exactly_the_matching_rows(client_for, school_admin, events, params, expected):
    assert ids(client_for(school_admin).get(URL, params)) == [events[name].pk for name in expected]


def test_filter_by_actor_id(client_for, school_admin, events):
    response = client_for(school_admin).get(URL, {"actor": school_admin.pk})
    assert ids(response) == [events["role2"].pk, events["export"].pk, events["role"].pk]


def test_filter_by_school_never_widens_visibility(client_for, school_admin, superuser, other_school, events):
    assert ids(client_for(school_admin).get(URL, {"school": other_school.pk})) == []
    assert ids(client_for(superuser).get(URL, {"school": other_school.pk})) == [events["foreign"].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"occurred_after": "yesterday"}, "occurred_after"),
        ({"occurred_before": "2024-02-30"}, "occurred_before"),
        ({"actor": "abc"}, "actor"),
    ],
)
def test_bad_filter_values_are_400_naming_the_field(client_for, school_admin, events, params, field):
    response = client_for(school_admin).get(URL, params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == [field]


def test_ordering_and_tie_break(client_for, school_admin, school, events):
    client = client_for(school_admin)
    assert ids(client.get(URL, {"ordering": "occurred_at"})) == [
        events[name].pk for name in ["login", "failed", "role", "logout", "export", "role2"]
    ]
    twins = [AuditEventFactory(school=school, action="zz.same", occurred_at=at(9)) for _ in range(3)]
    response = client.get(URL, {"ordering": "-action", "page_size": 3})
    assert ids(response) == [twins[2].pk, twins[1].pk, twins[0].pk]


def test_pagination_uses_the_project_default(client_for, school_admin, events):
    client = client_for(school_admin)
    first = client.get(URL, {"page_size": 4}).json()
    second = client.get(URL, {"page_size": 4, "page": 2}).json()
    assert first["count"] == second["count"] == 6
    assert [r["id"] for r in first["results"] + second["results"]] == ids(client.get(URL))
    assert first["next"].endswith("page=2&page_size=4")
    assert client.get(URL, {"page": 3, "page_size": 4}).status_code == 404


def test_list_query_count_does_not_grow_with_rows(client_for, school_admin, school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(school_admin)
    actors = [school_admin, None]
    for index in range(3):
        AuditEventFactory(school=school, actor=actors[index % 2])
    client.get(URL)  # warm content types, the permission cache and the like
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get(URL))) == 3
    for index in range(30):
        AuditEventFactory(school=school, actor=actors[index % 2])
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get(URL, {"page_size": 100}))) == 33
    assert len(many.captured_queries) == len(few.captured_queries) <= 5
    listing = [q["sql"] for q in many.captured_queries if "accounts_auditevent" in q["sql"]]
    assert len(listing) == 2  # one COUNT, one page with the actor joined in
    assert "JOIN" in listing[-1] and "accounts_user" in listing[-1]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("detail", [False, True])
def test_no_write_method_exists(client_for, school_admin, superuser, events, method, detail):
    path = f"{URL}{events['role'].pk}/" if detail else URL
    before = list(AuditEvent.objects.order_by("pk").values())
    for user in (school_admin, superuser):
        response = getattr(client_for(user), method)(path, {"action": "forged"}, format="json")
        assert response.status_code == 405
        assert response.json()["error"]["code"] == "method_not_allowed"
    assert list(AuditEvent.objects.order_by("pk").values()) == before


def test_sensitive_changes_are_masked(client_for, school_admin, school):
    event = record_event(
        "auth.password_changed",
        actor=school_admin,
        school=school,
        changes={
            "password": "hunter2-hunter2",
            "before": {"refresh_token": "eyJ.secret", "email": "a@example.org"},
            "api_secret": "s3cr3t",
            "medical_notes": "asthma",
            "first_name": {"before": "Ann", "after": "Anne"},
        },
    )
    row = client_for(school_admin).get(f"{URL}{event.pk}/").json()
    assert row["changes"] == {
        "password": "***",
        "before": {"refresh_token": "***", "email": "a@example.org"},
        "api_secret": "***",
        "medical_notes": "***",
        "first_name": {"before": "Ann", "after": "Anne"},
    }
    assert AuditEvent.objects.get(pk=event.pk).changes["password"] == "***"  # masked at rest, not on output


# --- CSV export ------------------------------------------------------------------------------


def _csv(response):
    assert response.status_code == 200
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_export_streams_a_csv_attachment_with_the_list_filters(client_for, school_admin, school, events):
    response = client_for(school_admin).get(EXPORT, {"action__startswith": "auth.", "ordering": "occurred_at"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-events-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert response["Cache-Control"] == "private, no-store"
    rows = _csv(response)
    assert rows[0] == [
        "id",
        "occurred_at",
        "actor_id",
        "actor_email",
        "school_id",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "ip_address",
        "user_agent",
        "request_id",
        "changes",
    ]
    assert [row[0] for row in rows[1:]] == [str(events[name].pk) for name in ["login", "failed", "logout"]]
    login = rows[1]
    assert login[1:6] == [
        "2024-09-01T08:00:00+00:00",
        str(events["login"].actor_id),
        "teacher@northside.test",
        str(school.pk),
        "auth.login_succeeded",
    ]
    assert login[9:12] == ["192.0.2.0", "pytest", "req-aaaa1111"]
    assert rows[2][2:4] == ["", ""]  # no actor


def test_export_never_includes_other_schools(client_for, school_admin, events):
    exported = {row[0] for row in _csv(client_for(school_admin).get(EXPORT))[1:]}
    assert exported == {str(events[name].pk) for name in ["login", "failed", "role", "role2", "logout", "export"]}


def test_export_is_audited_with_filters_and_count(client_for, school_admin, school, events):
    client = client_for(school_admin)
    rows = _csv(client.get(EXPORT, {"action__startswith": "rbac.", "format": "csv"}))
    assert len(rows) == 3
    exported = AuditEvent.objects.filter(action="audit.exported").exclude(pk=events["export"].pk)
    assert exported.count() == 1
    event = exported.get()
    assert (event.actor, event.school, event.target_type) == (school_admin, school, "accounts.auditevent")
    assert event.changes == {"filters": {"action__startswith": "rbac."}, "rows": 2, "format": "csv"}
    assert event.request_id  # the request's id travels into the row
    # the new audit row is not in the file it describes, but appears in the next export
    again = _csv(client.get(EXPORT, {"action": "audit.exported"}))
    assert [row[0] for row in again[1:]] == [str(event.pk), str(events["export"].pk)]


def test_empty_export_is_audited_in_the_admins_school(client_for, school_admin, school):
    rows = _csv(client_for(school_admin).get(EXPORT, {"action": "nothing.here"}))
    assert len(rows) == 1  # header only
    event = AuditEvent.objects.get(action="audit.exported")
    assert (event.school_id, event.changes["rows"]) == (school.pk, 0)


def test_platform_export_is_audited_per_school_exported(client_for, superuser, school, other_school, events):
    rows = _csv(client_for(superuser).get(EXPORT, {"action__startswith": "auth.login_"}))
    assert len(rows) == 4  # login, failed, foreign
    exported = AuditEvent.objects.filter(action="audit.exported", actor=superuser)
    assert sorted(exported.values_list("school_id", flat=True)) == sorted([school.pk, other_school.pk])
    assert {event.changes["rows"] for event in exported} == {3}


def test_export_escapes_formulas_and_csv_syntax(client_for, school_admin, school):
    event = AuditEventFactory(
        school=school,
        action="content.updated",
        target_type="content.item",
        target_id="-5",
        target_label='=HYPERLINK("http://evil.example","click"), "quoted"\nnext line',
        user_agent="@SUM(A1:A2)",
        request_id="+cmd",
        changes={"title": {"before": "=1+1", "after": "plain"}},
    )
    tab = AuditEventFactory(school=school, action="x.tab", target_label="\tTAB", user_agent="\rCR")
    rows = {row[0]: row for row in _csv(client_for(school_admin).get(EXPORT))[1:]}
    row = rows[str(event.pk)]
    assert row[7] == "'-5"
    assert row[8] == '\'=HYPERLINK("http://evil.example","click"), "quoted"\nnext line'
    assert row[10] == "'@SUM(A1:A2)"
    assert row[11] == "'+cmd"
    assert row[12] == '{"title": {"after": "plain", "before": "=1+1"}}'  # starts with "{": inert
    assert rows[str(tab.pk)][8] == "'\tTAB"
    assert rows[str(tab.pk)][10] == "'\rCR"


def test_export_reads_rows_in_chunks(client_for, school_admin, school, monkeypatch):
    from accounts.models.audit import AuditEventQuerySet

    for _ in range(5):
        AuditEventFactory(school=school)
    calls = []
    original = AuditEventQuerySet.iterator

    def spy(self, chunk_size=None):
        calls.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(AuditEventQuerySet, "iterator", spy)
    response = client_for(school_admin).get(EXPORT)
    assert calls == []  # nothing is read before the response starts streaming
    assert len(_csv(response)) == 6
    assert calls == [2000]


def test_export_uses_the_page_session_too(client, school_admin, school):
    AuditEventFactory(school=school, action="auth.logout")
    client.force_login(school_admin)
    response = client.get(EXPORT, {"action": "auth.logout"}, HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert len(_csv(response)) == 2


def test_export_with_a_bad_filter_is_a_json_400_and_not_audited(client_for, school_admin, events):
    response = client_for(school_admin).get(EXPORT, {"occurred_before": "soon"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "occurred_before": ["Enter an ISO 8601 date (2024-09-01) or date-time (2024-09-01T08:00:00Z)."]
    }
    assert AuditEvent.objects.filter(action="audit.exported").count() == 1  # only the fixture's row


def test_export_refuses_json_only_clients_with_406(client_for, school_admin, events):
    response = client_for(school_admin).get(EXPORT, HTTP_ACCEPT="application/json")
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"
