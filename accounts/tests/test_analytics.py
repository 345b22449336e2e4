"""User analytics: engagement, usage and behaviour patterns, performance, satisfaction — values
computed from known events — and the analytics API/page permissions."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, SatisfactionResponse, SchoolActivityPolicy
from accounts.services.analytics import engagement, satisfaction
from accounts.services.errors import ServiceError
from accounts.tests.factories_activity import ActivityEventFactory, SatisfactionResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    """Wednesday 2026-03-18 12:00 UTC (the test school is in UTC)."""
    return datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


@pytest.fixture
def history(school, member, now):
    """Three users: a on the last day (two sessions) and 10 days ago, b 3 days ago, c 20 days ago."""
    a, b, c = (member(school, Role.TEACHER) for _ in range(3))
    day = now - timedelta(hours=2)  # Wednesday 10:00
    events = [
        (a, day, "dashboard", 10),
        (a, day + timedelta(minutes=5), "people", 20),
        (a, day + timedelta(minutes=9), "audit", 30),
        (a, day + timedelta(minutes=90), "dashboard", 40),  # > 30 min later: a new session
        (a, day + timedelta(minutes=95), "people", 50),
        (a, now - timedelta(days=10), "people", 60),
        (b, now - timedelta(days=3), "dashboard", 70),
        (b, now - timedelta(days=3, minutes=-2), "people", 80),
        (c, now - timedelta(days=20), "dashboard", 90),
    ]
    for user, at, group, duration in events:
        ActivityEventFactory(user=user, school=school, occurred_at=at, route_group=group, duration_ms=duration)
    # a sign-in starts a session and counts as activity, but is not a feature
    ActivityEventFactory(
        user=c, school=school, occurred_at=now - timedelta(days=25), kind="sign_in", route_group="login"
    )
    # another school's activity never counts
    ActivityEventFactory(occurred_at=day, route_group="people")
    return a, b, c


def test_engagement_usage_behaviour_and_performance_values(school, history, now):
    report = engagement.school_report(school, engagement.Window.last_days(30, now=now))
    e = report["engagement"]
    assert (e["dau"], e["wau"], e["mau"], e["active_users"], e["events"]) == (1, 2, 3, 3, 10)
    # sessions: a has 3 (two today, one 10 days ago), b 1, c 2 (the sign-in 25 days ago, 20 days ago)
    assert e["sessions"] == 6
    assert e["sessions_per_user"] == 2.0
    assert e["stickiness"] == round(1 / 3, 4)
    assert len(e["daily"]) == 30 and e["daily"][-1] == {"date": "2026-03-18", "active_users": 1}
    adoption = {row["feature"]: (row["users"], row["share"]) for row in e["feature_adoption"]}
    assert adoption == {"dashboard": (3, 1.0), "people": (2, round(2 / 3, 4)), "audit": (1, round(1 / 3, 4))}

    heatmap = report["usage"]["heatmap"]
    assert heatmap[2][10] == 3 and heatmap[2][11] == 2  # Wednesday 10:xx and 11:xx
    assert sum(map(sum, heatmap)) == 10
    assert report["usage"]["top_features"][0] == {"feature": "dashboard", "events": 4}

    pairs = {tuple(row["steps"]): row["count"] for row in report["behaviour"]["pairs"]}
    assert pairs == {("dashboard", "people"): 3, ("people", "audit"): 1}
    assert report["behaviour"]["triples"] == [{"steps": ["dashboard", "people", "audit"], "count": 1}]

    latency = {row["route_group"]: row for row in report["performance"]}
    assert latency["login"]["requests"] == 1  # sign-ins are timed too
    assert latency["people"] == {"route_group": "people", "requests": 4, "p50_ms": 50, "p95_ms": 80, "p99_ms": 80}
    assert latency["audit"]["p99_ms"] == 30


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert [engagement.percentile(values, p) for p in (50, 95, 99)] == [50, 95, 99]
    assert engagement.percentile([], 50) is None


def test_heatmap_uses_the_school_time_zone(school, teacher, now):
    school.timezone = "America/Chicago"  # UTC−5 in March (daylight time)
    school.save()
    ActivityEventFactory(user=teacher, school=school, occurred_at=now - timedelta(hours=1))  # 11:00 UTC
    report = engagement.school_report(school, engagement.Window.last_days(7, now=now))
    assert report["usage"]["heatmap"][2][6] == 1


# --- API and page permissions -----------------------------------------------------------------
def test_analytics_api_for_school_admins_only(client_for, api_client, school_admin, teacher, school, other_school):
    ActivityEventFactory(user=teacher, school=school, route_group="people", duration_ms=12)
    admin = client_for(school_admin)
    body = admin.get("/api/v1/analytics/?days=7").json()
    assert body["school"] == school.pk
    assert body["engagement"]["dau"] == 1
    assert body["performance"] == [{"route_group": "people", "requests": 1, "p50_ms": 12, "p95_ms": 12, "p99_ms": 12}]
    assert admin.get(f"/api/v1/analytics/?school={school.pk}").status_code == 200
    assert admin.get(f"/api/v1/analytics/?school={other_school.pk}").status_code == 404
    assert admin.get("/api/v1/analytics/?days=0").status_code == 400
    assert client_for(teacher).get("/api/v1/analytics/").status_code == 403
    assert client_for(teacher).get(f"/api/v1/analytics/?school={school.pk}").status_code == 403
    assert api_client.get("/api/v1/analytics/").status_code == 401
    for path in ("/api/v1/analytics/satisfaction/", "/api/v1/analytics/risk/", "/api/v1/analytics/policy/"):
        assert admin.get(path).status_code == 200
        assert client_for(teacher).get(path).status_code == 403
        assert admin.get(f"{path}?school={other_school.pk}").status_code == 404


def test_policy_api_changes_retention_with_the_right_permission(client_for, school_admin, school, member):
    admin = client_for(school_admin)
    assert admin.get("/api/v1/analytics/policy/").json() == {
        "school": school.pk,
        "retention_days": 395,
        "track_student_features": False,
        "prompt_interval_days": 30,
    }
    response = admin.patch("/api/v1/analytics/policy/", {"retention_days": 90, "prompt_interval_days": 14})
    assert response.status_code == 200
    assert SchoolActivityPolicy.objects.get(school=school).retention_days == 90
    assert admin.patch("/api/v1/analytics/policy/", {"retention_days": 3}).status_code == 400
    assert admin.patch("/api/v1/analytics/policy/", {"school": 5}).status_code == 400


def test_analytics_page(client, school_admin, teacher, school, other_school):
    start = timezone.now() - timedelta(hours=1)
    for minutes, group in ((0, "dashboard"), (2, "people"), (4, "audit")):
        ActivityEventFactory(
            user=teacher, school=school, occurred_at=start + timedelta(minutes=minutes), route_group=group
        )
    client.force_login(school_admin)
    page = client.get("/analytics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") >= 3
    assert " style=" not in html and "<script" not in html  # strict CSP: no inline style or script
    assert html.count("<details>") >= 2  # table alternatives for the charts
    assert "dashboard → people → audit" in html
    assert "Monthly active users" in html
    assert client.get(f"/analytics/?school={other_school.pk}").status_code == 404
    client.force_login(teacher)
    assert client.get("/analytics/").status_code == 403


def test_analytics_page_policy_form(client, school_admin, school):
    client.force_login(school_admin)
    response = client.post("/analytics/policy/", {"retention_days": "60", "prompt_interval_days": "10"})
    assert response.status_code == 302
    policy = SchoolActivityPolicy.objects.get(school=school)
    assert (policy.retention_days, policy.prompt_interval_days, policy.track_student_features) == (60, 10, False)
    client.post("/analytics/policy/", {"retention_days": "2", "prompt_interval_days": "10"})
    assert SchoolActivityPolicy.objects.get(school=school).retention_days == 60


# --- satisfaction -----------------------------------------------------------------------------
def test_prompts_are_rate_limited_and_alternate(client_for, teacher, school):
    client = client_for(teacher)
    assert client.get("/api/v1/me/satisfaction/prompt/").json()["prompt"]["kind"] == "csat"
    response = client.post("/api/v1/me/satisfaction/csat/", {"score": 4}, format="json")
    assert response.status_code == 201
    assert response.json()["score"] == 4
    assert client.get("/api/v1/me/satisfaction/prompt/").json() == {"school": school.pk, "prompt": None}
    again = client.post("/api/v1/me/satisfaction/csat/", {"score": 5}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "too_soon"
    SatisfactionResponse.objects.update(created_at=timezone.now() - timedelta(days=31))
    prompt = client.get("/api/v1/me/satisfaction/prompt/").json()["prompt"]
    assert (prompt["kind"], prompt["min"], prompt["max"]) == ("nps", 0, 10)
    assert client.post("/api/v1/me/satisfaction/nps/", {"score": 11}, format="json").status_code == 400
    assert client.post("/api/v1/me/satisfaction/csat/", {"score": 0}, format="json").status_code == 400
    dismissed = client.post("/api/v1/me/satisfaction/dismiss/", {"kind": "nps"}, format="json")
    assert dismissed.status_code == 201
    assert dismissed.json()["score"] is None
    assert client.get("/api/v1/me/satisfaction/prompt/").json()["prompt"] is None


def test_prompt_interval_is_per_school_and_scores_are_validated(teacher, school):
    SchoolActivityPolicy.objects.create(school=school, prompt_interval_days=7)
    with pytest.raises(ServiceError):
        satisfaction.answer_prompt(user=teacher, school=school, kind="csat", score=6)
    with pytest.raises(ServiceError):
        satisfaction.answer_prompt(user=teacher, school=school, kind="csat", score=None)
    satisfaction.answer_prompt(user=teacher, school=school, kind="csat", score=5)
    later = timezone.now() + timedelta(days=8)
    assert satisfaction.pending_prompt(user=teacher, school=school, now=later)["kind"] == "nps"


def test_satisfaction_answer_refuses_a_foreign_school(client_for, teacher, school, other_school):
    client = client_for(teacher)
    response = client.post(f"/api/v1/me/satisfaction/csat/?school={other_school.pk}", {"score": 3})
    assert response.status_code == 404
    assert client.get(f"/api/v1/me/satisfaction/prompt/?school={other_school.pk}").status_code == 404
    assert client.post("/api/v1/me/satisfaction/csat/", {"score": 3, "school": school.pk}).status_code == 400
    assert client.post("/api/v1/me/satisfaction/dismiss/", {"kind": "csat", "dismissed": 1}).status_code == 400
    assert SatisfactionResponse.objects.count() == 0


def test_satisfaction_results(client_for, school_admin, school):
    now = timezone.now()
    for score in (5, 4, 3):
        SatisfactionResponseFactory(school=school, kind="csat", score=score, created_at=now - timedelta(days=1))
    for score in (10, 9, 8, 3):
        SatisfactionResponseFactory(school=school, kind="nps", score=score, created_at=now - timedelta(days=1))
    SatisfactionResponseFactory(school=school, kind="nps", score=None, dismissed=True)
    SatisfactionResponseFactory(kind="csat", score=1)  # another school
    body = client_for(school_admin).get("/api/v1/analytics/satisfaction/").json()
    assert body["csat"]["average"] == 4.0
    assert body["csat"]["responses"] == 3
    assert body["csat"]["distribution"][2] == {"score": 3, "count": 1}
    assert body["nps"] == {"responses": 4, "score": 25.0, "promoters": 2, "passives": 1, "detractors": 1}
    assert body["dismissed"] == 1
    current = body["trend"][-1]
    assert len(body["trend"]) == 6
    if current["month"] == (now - timedelta(days=1)).strftime("%Y-%m"):
        assert (current["csat_average"], current["nps"]) == (4.0, 25.0)


def test_my_activity_page_shows_and_takes_the_prompt(client, teacher, school):
    client.force_login(teacher)
    page = client.get("/activity/")
    assert b"How satisfied are you" in page.content
    client.post("/feedback/", {"kind": "csat", "score": "5"})
    assert SatisfactionResponse.objects.get(user=teacher).score == 5
    assert b"How satisfied are you" not in client.get("/activity/").content


def test_analytics_page_fit_button_explains_missing_data(client, school_admin, school):
    client.force_login(school_admin)
    response = client.post("/analytics/risk/fit/", follow=True)
    assert response.status_code == 200
    assert "training examples" in response.content.decode()
    assert "No risk model has been fitted" in response.content.decode()


def test_demo_activity_is_deterministic_and_idempotent(member):
    from accounts.demo_activity import seed
    from accounts.models import ActivityEvent, School

    school = School.objects.create(name="Northside", slug="northside")
    teacher = member(school, Role.TEACHER, email="teacher@northside.demo")
    member(school, Role.STUDENT, email="student@northside.demo")
    seed({"schools": {"northside": school}})
    first = list(ActivityEvent.objects.order_by("occurred_at", "user_id").values_list("user_id", "kind", "route_group"))
    seed({"schools": {"northside": school}})
    again = list(ActivityEvent.objects.order_by("occurred_at", "user_id").values_list("user_id", "kind", "route_group"))
    assert first == again
    assert {kind for user_id, kind, _g in first if user_id != teacher.pk} == {"sign_in"}  # the student
    assert {"sign_in", "feature"} <= {kind for user_id, kind, _g in first if user_id == teacher.pk}
