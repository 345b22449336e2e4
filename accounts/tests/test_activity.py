"""Activity tracking: what a request records, the one-write budget, opt-out, students, retention,
"My activity" (API, CSV, page)."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, modify_settings, override_settings
from django.urls import resolve, reverse
from django.utils import timezone

from accounts.models import ActivityEvent, ActivityKind, Role, SchoolActivityPolicy
from accounts.services import activity as service
from accounts.tests.factories_activity import ActivityEventFactory

pytestmark = pytest.mark.django_db


def flushed():
    service.flush_buffer()
    return list(ActivityEvent.objects.order_by("id"))


@pytest.mark.parametrize(
    ("path", "group"),
    [
        ("/api/v1/schools/", "api:schools"),
        ("/api/v1/me/activity/", "api:me/activity"),
        ("/activity/", "my-activity"),
        ("/dashboard/", "dashboard"),
        ("/admin/", "admin"),
    ],
)
def test_route_group_from_the_resolved_url(path, group):
    assert service.route_group_for(resolve(path)) == group


def test_route_group_of_a_page_name_takes_its_first_word():
    assert service.route_group_for(resolve(reverse("audit-log"))) == "audit"
    assert service.route_group_for(None) == ""


def test_a_page_request_records_one_feature_event(client, teacher, school):
    client.force_login(teacher)
    assert client.get("/activity/").status_code == 200
    assert ActivityEvent.objects.count() == 0  # buffered, not written by the request
    (event,) = flushed()
    assert (event.user, event.school, event.kind, event.route_group) == (teacher, school, "feature", "my-activity")
    assert (event.method, event.status_code, event.ip_address) == ("GET", 200, None)
    assert event.duration_ms >= 0


def test_an_api_request_records_its_route_group(client_for, teacher, school):
    assert client_for(teacher).get("/api/v1/schools/").status_code == 200
    (event,) = flushed()
    assert (event.route_group, event.school_id, event.kind) == ("api:schools", school.pk, "feature")


def test_api_sign_in_is_recorded_with_a_truncated_ip(api_client, teacher):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"email": teacher.email, "password": settings.DEMO_PASSWORD},
        format="json",
        REMOTE_ADDR="203.0.113.77",
    )
    assert response.status_code == 200
    (event,) = flushed()
    assert (event.user, event.kind, event.route_group) == (teacher, ActivityKind.SIGN_IN, "api:auth")
    assert event.ip_address == "203.0.113.0"


def test_page_sign_in_is_recorded(client, teacher):
    client.post("/accounts/login/", {"username": teacher.email, "password": settings.DEMO_PASSWORD})
    events = flushed()
    assert [(e.kind, e.user_id) for e in events] == [("sign_in", teacher.pk)]


def test_a_key_action_is_recorded_by_its_audited_name(client_for, school_admin, school):
    response = client_for(school_admin).patch(
        f"/api/v1/analytics/policy/?school={school.pk}", {"retention_days": 100}, format="json"
    )
    assert response.status_code == 200
    (event,) = flushed()
    assert (event.kind, event.action, event.route_group, event.method) == (
        "action",
        "activity.policy_changed",
        "api:analytics",
        "PATCH",
    )


def test_anonymous_requests_are_not_recorded(client):
    client.get("/accounts/login/")
    assert flushed() == []


def test_opted_out_users_are_not_recorded_at_all(client, api_client, teacher):
    service.set_tracking(user=teacher, enabled=False)
    client.force_login(teacher)
    client.get("/activity/")
    api_client.post("/api/v1/auth/token/", {"email": teacher.email, "password": settings.DEMO_PASSWORD}, format="json")
    assert flushed() == []
    assert service.tracking_level(teacher) == "off"


def test_students_are_tracked_minimally_unless_their_school_allows_more(client, api_client, student, school):
    client.force_login(student)
    client.get("/activity/")
    assert flushed() == []
    api_client.post("/api/v1/auth/token/", {"email": student.email, "password": settings.DEMO_PASSWORD}, format="json")
    assert [e.kind for e in flushed()] == ["sign_in"]
    assert service.tracking_level(student) == "minimal"

    SchoolActivityPolicy.objects.create(school=school, track_student_features=True)
    client.get("/activity/")
    assert [e.kind for e in flushed()] == ["sign_in", "feature"]


def _count(user, path, *, middleware=True):
    client = Client()
    client.force_login(user)
    client.get(path)  # warm: permission cache, tracking level
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_tracking_adds_no_query_while_buffering_and_one_insert_when_flushing(teacher):
    with modify_settings(MIDDLEWARE={"remove": "accounts.middleware_activity.ActivityMiddleware"}):
        untracked = _count(teacher, "/dashboard/")
    with override_settings(ACTIVITY_BUFFER_MAX_EVENTS=1000):
        tracked = _count(teacher, "/dashboard/")
    assert len(tracked) == len(untracked)
    assert not [sql for sql in tracked if not sql.startswith("SELECT")]
    with override_settings(ACTIVITY_BUFFER_MAX_EVENTS=1):
        flushing = _count(teacher, "/dashboard/")
    # the flush: three reads deciding who is tracked (accounts with their opt-outs, roles, school
    # policies), one checking the schools still exist + ONE INSERT
    assert len(flushing) == len(untracked) + 5
    writes = [sql for sql in flushing if not sql.startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith('INSERT INTO "accounts_activityevent"')
    # every buffered request is in the table now: warm + measured of the last two clients, and
    # the first tracked pair which the flushing request wrote with its own batch
    assert ActivityEvent.objects.filter(user=teacher).count() == 4


def test_flush_writes_one_insert_per_batch(teacher, school):
    now = timezone.now()
    for index in range(250):
        service.buffer_event(
            {
                "user_id": teacher.pk,
                "school_id": school.pk,
                "occurred_at": now - timedelta(seconds=index),
                "kind": "feature",
                "route_group": "people",
                "method": "GET",
                "status_code": 200,
                "duration_ms": index,
            }
        )
    assert service.pending_count() == 250
    batch = service._batch_size()
    with CaptureQueriesContext(connection) as ctx:
        written = service.flush_buffer(max_batches=1)
    writes = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith("INSERT")
    assert len(ctx.captured_queries) == 5
    assert written == min(250, batch)
    assert service.flush_buffer() == 250 - written
    assert service.pending_count() == 0
    assert ActivityEvent.objects.count() == 250
    assert sorted(ActivityEvent.objects.values_list("duration_ms", flat=True)) == list(range(250))


def test_flush_survives_an_erased_account_and_a_removed_school_in_the_buffer(teacher, school):
    from accounts.tests.factories import SchoolFactory, UserFactory

    gone_user, gone_school = UserFactory(), SchoolFactory()
    now = timezone.now()
    service.buffer_event({"user_id": teacher.pk, "school_id": school.pk, "occurred_at": now})
    service.buffer_event({"user_id": gone_user.pk, "school_id": school.pk, "occurred_at": now})
    service.buffer_event({"user_id": teacher.pk, "school_id": gone_school.pk, "occurred_at": now})
    gone_user.delete()
    gone_school.delete()
    assert service.flush_buffer() == 2  # the erased account's event dropped, not the batch
    assert sorted(ActivityEvent.objects.values_list("user_id", "school_id")) == [
        (teacher.pk, school.pk),
        (teacher.pk, school.pk),  # filed under the teacher's (first) school
    ]


def test_flush_follows_a_restarted_sequence(teacher, school):
    from django.core.cache import cache

    cache.set(service.FLUSHED_KEY, 500, timeout=None)  # the sequence key was evicted meanwhile
    service.buffer_event({"user_id": teacher.pk, "school_id": school.pk, "occurred_at": timezone.now()})
    assert service.flush_buffer() == 1
    assert ActivityEvent.objects.get().user == teacher


def test_flush_is_due_on_every_full_buffer(teacher):
    numbers = [service.buffer_event({"user_id": teacher.pk, "occurred_at": timezone.now()}) for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert [service.flush_due(n) for n in numbers] == [False, False, False]
    assert service.flush_due(100) and service.flush_due(200) and not service.flush_due(150)
    with override_settings(ACTIVITY_BUFFER_MAX_EVENTS=1):
        assert service.flush_due(numbers[0]) is True


def test_retention_default_and_per_school(school, other_school, teacher):
    now = timezone.now()
    old_default = ActivityEventFactory(user=teacher, school=other_school, occurred_at=now - timedelta(days=400))
    kept_default = ActivityEventFactory(user=teacher, school=other_school, occurred_at=now - timedelta(days=390))
    SchoolActivityPolicy.objects.create(school=school, retention_days=30)
    old_custom = ActivityEventFactory(user=teacher, school=school, occurred_at=now - timedelta(days=31))
    kept_custom = ActivityEventFactory(user=teacher, school=school, occurred_at=now - timedelta(days=29))
    no_school = ActivityEventFactory(user=teacher, school=None, occurred_at=now - timedelta(days=396))

    from accounts.tasks.activity import purge_activity

    assert purge_activity.delay().get() == {"deleted": 3, "schools": 1}
    remaining = set(ActivityEvent.objects.values_list("pk", flat=True))
    assert remaining == {kept_default.pk, kept_custom.pk}
    assert not {old_default.pk, old_custom.pk, no_school.pk} & remaining
    assert settings.CELERY_BEAT_SCHEDULE["purge-expired-activity"]["task"] == "accounts.purge_activity"
    assert settings.ACTIVITY_RETENTION_DAYS == 395
    assert settings.CELERY_BEAT_SCHEDULE["flush-activity-buffer"]["task"] == "accounts.flush_activity"


# --- My activity: API -------------------------------------------------------------------------
def test_my_activity_lists_only_my_events_with_filters(client_for, teacher, school, member):
    colleague = member(school, Role.TEACHER)
    now = timezone.now()
    mine = [
        ActivityEventFactory(user=teacher, school=school, route_group="people", occurred_at=now - timedelta(hours=3)),
        ActivityEventFactory(user=teacher, school=school, kind="sign_in", route_group="login", occurred_at=now),
    ]
    ActivityEventFactory(user=colleague, school=school)
    client = client_for(teacher)
    body = client.get("/api/v1/me/activity/").json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [mine[1].pk, mine[0].pk]
    assert body["results"][1]["route_group"] == "people"
    assert body["results"][1]["school_name"] == school.name
    assert client.get("/api/v1/me/activity/?kind=sign_in").json()["count"] == 1
    assert client.get("/api/v1/me/activity/?route_group=people").json()["results"][0]["id"] == mine[0].pk
    after = (now - timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/me/activity/", {"occurred_after": after}).json()["count"] == 1
    assert client.get("/api/v1/me/activity/?kind=bogus").status_code == 400
    assert client.get("/api/v1/me/activity/?page_size=1").json()["results"][0]["id"] == mine[1].pk


def test_my_activity_query_count_does_not_grow(client_for, teacher, school, django_assert_max_num_queries):
    for _ in range(30):
        ActivityEventFactory(user=teacher, school=school)
    client = client_for(teacher)
    client.get("/api/v1/me/activity/?page_size=5")
    counts = []
    for size in (5, 30):
        with CaptureQueriesContext(connection) as ctx:
            assert len(client.get(f"/api/v1/me/activity/?page_size={size}").json()["results"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_my_activity_csv_is_streamed_and_injection_safe(client_for, client, teacher, school, member):
    ActivityEventFactory(user=teacher, school=school, route_group="=HYPERLINK(1)", action="+cmd")
    ActivityEventFactory(user=member(school, Role.TEACHER), school=school, route_group="someone-else")
    response = client_for(teacher).get("/api/v1/me/activity/export/")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["occurred_at", "kind", "feature", "key_action", "method", "status", "duration_ms", "school"]
    assert len(rows) == 2
    assert rows[1][2:4] == ["'=HYPERLINK(1)", "'+cmd"]
    assert rows[1][7] == school.name

    client.force_login(teacher)
    page = client.get(reverse("my-activity-csv"))
    assert page.streaming
    assert b"'=HYPERLINK(1)" in b"".join(page.streaming_content)


def test_tracking_settings_api_round_trip(client_for, teacher):
    client = client_for(teacher)
    assert client.get("/api/v1/me/activity/settings/").json() == {"tracking_enabled": True, "tracking_level": "full"}
    response = client.patch("/api/v1/me/activity/settings/", {"tracking_enabled": False}, format="json")
    assert response.json() == {"tracking_enabled": False, "tracking_level": "off"}
    assert client.patch("/api/v1/me/activity/settings/", {"tracking_level": "full"}, format="json").status_code == 400
    assert client.patch("/api/v1/me/activity/settings/", {"tracking_enabled": 1}, format="json").status_code == 400
    assert client.patch("/api/v1/me/activity/settings/", {}, format="json").json()["tracking_enabled"] is False
    assert teacher.activity_settings.tracking_enabled is False


def test_my_activity_page_lists_events_and_switches_tracking(client, teacher, school):
    ActivityEventFactory(user=teacher, school=school, route_group="people")
    client.force_login(teacher)
    page = client.get("/activity/")
    assert page.status_code == 200
    assert b"people" in page.content
    assert b"Record my activity" in page.content
    response = client.post(reverse("my-activity-tracking"), {})
    assert response.status_code == 302
    assert service.tracking_enabled_for(teacher) is False
    client.post(reverse("my-activity-tracking"), {"tracking_enabled": "on"})
    assert service.tracking_enabled_for(teacher) is True


def test_my_activity_needs_sign_in(client, api_client):
    assert client.get("/activity/").status_code == 302
    assert api_client.get("/api/v1/me/activity/").status_code == 401


def test_my_activity_page_shows_events_still_in_the_buffer(client, teacher):
    client.force_login(teacher)
    client.get("/dashboard/")
    assert service.pending_count() == 1
    page = client.get("/activity/")
    assert service.pending_count() == 1  # the dashboard event was written; this page's own is buffered
    assert ActivityEvent.objects.get().route_group == "dashboard"
    assert b"<td>dashboard</td>" in page.content
