"""Sessions API: plan with nested blocks, edit/reorder, generate from the weekly schedule, copy,
the status life cycle, lists and filters, and the metric type registry."""

import datetime

import pytest

from accounts.models import AuditEvent
from physed.models import ClassSession, MetricType, SessionBlock
from physed.tests.factories_library import ActivityFactory, ExerciseFactory
from physed.tests.factories_roster import ClassMeetingFactory, PEClassFactory
from physed.tests.factories_sessions import ClassSessionFactory, MetricTypeFactory, SessionBlockFactory, shipped_metric

pytestmark = pytest.mark.django_db
URL = "/api/v1/physed/sessions/"


@pytest.fixture
def pe_class(school):
    return PEClassFactory(school=school)


@pytest.fixture
def library(school):
    return (
        ActivityFactory(school=None, name="Shipped tag"),
        ActivityFactory(school=school),
        ExerciseFactory(school=None),
    )


def test_create_with_ordered_blocks(pe_class, library, teacher, client_for):
    shipped, own, exercise = library
    payload = {
        "pe_class": pe_class.pk,
        "date": "2026-09-15",
        "period": "2",
        "start_time": "10:00",
        "title": "Tag games",
        "blocks": [
            {"activity": shipped.pk, "planned_minutes": 10},
            {"exercise": exercise.pk, "planned_minutes": 5, "notes": "cool down"},
            {"activity": own.pk, "planned_minutes": 20},
        ],
    }
    response = client_for(teacher).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["planned_minutes"] == 35 and body["status"] == "planned"
    assert [(b["order"], b["planned_minutes"]) for b in body["blocks"]] == [(1, 10), (2, 5), (3, 20)]
    assert body["blocks"][1]["exercise_name"] == exercise.name
    session = ClassSession.objects.get(pk=body["id"])
    assert session.created_by == teacher
    assert AuditEvent.objects.filter(action="physed.session_created", target_id=str(session.pk)).exists()


def test_block_needs_exactly_one_item(pe_class, library, teacher, client_for):
    shipped, _own, exercise = library
    payload = {
        "pe_class": pe_class.pk,
        "date": "2026-09-15",
        "blocks": [{"activity": shipped.pk, "exercise": exercise.pk, "planned_minutes": 10}],
    }
    response = client_for(teacher).post(URL, payload, format="json")
    assert response.status_code == 400
    assert "blocks" in response.json()["error"]["fields"]


def test_foreign_ids_in_a_write_are_does_not_exist(pe_class, teacher, client_for, other_school):
    foreign_activity = ActivityFactory(school=other_school)
    foreign_class = PEClassFactory(school=other_school)
    client = client_for(teacher)
    response = client.post(URL, {"pe_class": foreign_class.pk, "date": "2026-09-15"}, format="json")
    assert response.status_code == 400 and "pe_class" in response.json()["error"]["fields"]
    response = client.post(
        URL,
        {
            "pe_class": pe_class.pk,
            "date": "2026-09-15",
            "blocks": [{"activity": foreign_activity.pk, "planned_minutes": 5}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in str(response.json()["error"]["fields"])
    assert not ClassSession.objects.exists()


def test_patch_reorders_keeps_and_replaces_blocks(pe_class, library, teacher, client_for):
    shipped, own, exercise = library
    session = ClassSessionFactory(pe_class=pe_class)
    first = SessionBlockFactory(session=session, order=1, activity=shipped)
    second = SessionBlockFactory(session=session, order=2, activity=own)
    payload = {
        "title": "Changed",
        "blocks": [
            {"id": second.pk, "activity": own.pk, "planned_minutes": 25},
            {"exercise": exercise.pk, "planned_minutes": 5},
        ],
    }
    response = client_for(teacher).patch(f"{URL}{session.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    blocks = list(SessionBlock.objects.filter(session=session).order_by("order"))
    assert blocks[0].pk == second.pk and blocks[0].order == 1 and blocks[0].planned_minutes == 25
    assert blocks[1].exercise == exercise
    assert not SessionBlock.objects.filter(pk=first.pk).exists()
    assert response.json()["title"] == "Changed" and len(response.json()["blocks"]) == 2


def test_patch_cannot_move_to_another_class(pe_class, teacher, client_for, school):
    session = ClassSessionFactory(pe_class=pe_class)
    other = PEClassFactory(school=school)
    response = client_for(teacher).patch(f"{URL}{session.pk}/", {"pe_class": other.pk}, format="json")
    assert response.status_code == 400
    assert "read-only" in str(response.json()["error"]["fields"]["pe_class"])


def test_block_id_of_another_session_is_refused(pe_class, library, teacher, client_for):
    shipped, *_ = library
    session = ClassSessionFactory(pe_class=pe_class)
    stranger = SessionBlockFactory(session=ClassSessionFactory(pe_class=pe_class), activity=shipped)
    payload = {"blocks": [{"id": stranger.pk, "activity": shipped.pk, "planned_minutes": 5}]}
    response = client_for(teacher).patch(f"{URL}{session.pk}/", payload, format="json")
    assert response.status_code == 400


def test_generate_from_weekly_meetings(pe_class, teacher, client_for):
    ClassMeetingFactory(pe_class=pe_class, weekday=0, start_time=datetime.time(9), period="1")
    ClassMeetingFactory(pe_class=pe_class, weekday=3, start_time=datetime.time(13), end_time=datetime.time(14))
    ClassSessionFactory(pe_class=pe_class, date=datetime.date(2026, 9, 7), start_time=datetime.time(9))  # exists
    payload = {"pe_class": pe_class.pk, "start": "2026-09-07", "end": "2026-09-20", "title": "Unit 1"}
    response = client_for(teacher).post(f"{URL}generate/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 3  # Mon 7 (exists), Thu 10, Mon 14, Thu 17
    dates = sorted(ClassSession.objects.filter(pe_class=pe_class).values_list("date", flat=True))
    assert dates == [datetime.date(2026, 9, d) for d in (7, 10, 14, 17)]
    again = client_for(teacher).post(f"{URL}generate/", payload, format="json")
    assert again.json()["created"] == 0


def test_generate_errors(pe_class, teacher, client_for):
    client = client_for(teacher)
    no_schedule = client.post(f"{URL}generate/", {"pe_class": pe_class.pk, "start": "2026-09-01", "end": "2026-09-30"})
    assert no_schedule.status_code == 400
    ClassMeetingFactory(pe_class=pe_class)
    backwards = client.post(f"{URL}generate/", {"pe_class": pe_class.pk, "start": "2026-09-30", "end": "2026-09-01"})
    assert backwards.status_code == 400 and "end" in backwards.json()["error"]["fields"]
    too_long = client.post(f"{URL}generate/", {"pe_class": pe_class.pk, "start": "2026-01-01", "end": "2028-01-01"})
    assert too_long.status_code == 400


def test_generate_needs_add_permission(pe_class, assistant, client_for):
    response = client_for(assistant).post(
        f"{URL}generate/", {"pe_class": pe_class.pk, "start": "2026-09-01", "end": "2026-09-30"}, format="json"
    )
    assert response.status_code == 403


def test_copy_plan_to_another_date(pe_class, library, teacher, client_for):
    shipped, own, _exercise = library
    session = ClassSessionFactory(pe_class=pe_class, title="Relays", start_time=datetime.time(9))
    SessionBlockFactory(session=session, order=1, activity=shipped, planned_minutes=12)
    SessionBlockFactory(session=session, order=2, activity=own, planned_minutes=8)
    response = client_for(teacher).post(f"{URL}{session.pk}/copy/", {"date": "2026-10-01"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["date"] == "2026-10-01" and body["title"] == "Relays" and body["id"] != session.pk
    assert [b["planned_minutes"] for b in body["blocks"]] == [12, 8]


def test_status_life_cycle(pe_class, teacher, assistant, client_for):
    session = ClassSessionFactory(pe_class=pe_class)
    runner = client_for(assistant)
    started = runner.post(f"{URL}{session.pk}/start/")
    assert started.status_code == 200 and started.json()["status"] == "in_progress" and started.json()["started_at"]
    assert runner.post(f"{URL}{session.pk}/start/").status_code == 400
    finished = runner.post(f"{URL}{session.pk}/finish/")
    assert finished.json()["status"] == "completed" and finished.json()["ended_at"]
    assert runner.post(f"{URL}{session.pk}/reopen/").status_code == 403  # assistants do not edit plans
    reopened = client_for(teacher).post(f"{URL}{session.pk}/reopen/")
    assert reopened.json()["status"] == "planned" and reopened.json()["started_at"] is None
    cancelled = client_for(teacher).post(f"{URL}{session.pk}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert AuditEvent.objects.filter(action="physed.session_start").count() == 1


def test_list_filters_and_counts(pe_class, teacher, client_for, school):
    other_class = PEClassFactory(school=school)
    ClassSessionFactory(pe_class=pe_class, date=datetime.date(2026, 9, 1), title="Early")
    ClassSessionFactory(pe_class=pe_class, date=datetime.date(2026, 9, 20), title="Late lesson")
    ClassSessionFactory(pe_class=other_class, date=datetime.date(2026, 9, 10))
    client = client_for(teacher)
    body = client.get(URL, {"pe_class": pe_class.pk}).json()
    assert body["count"] == 2
    body = client.get(URL, {"date_after": "2026-09-05", "date_before": "2026-09-30"}).json()
    assert body["count"] == 2
    body = client.get(URL, {"search": "late"}).json()
    assert [row["title"] for row in body["results"]] == ["Late lesson"]
    assert body["results"][0]["recorded_count"] == 0
    assert client.get(URL, {"pe_class": "abc"}).status_code == 400


def test_delete_needs_permission_and_is_audited(pe_class, teacher, assistant, client_for):
    session = ClassSessionFactory(pe_class=pe_class)
    assert client_for(assistant).delete(f"{URL}{session.pk}/").status_code == 403
    assert client_for(teacher).delete(f"{URL}{session.pk}/").status_code == 204
    assert AuditEvent.objects.filter(action="physed.session_deleted", target_id=str(session.pk)).exists()


def test_students_cannot_list_sessions(pe_class, student, client_for):
    ClassSessionFactory(pe_class=pe_class)
    assert client_for(student).get(URL).status_code == 403


# --- metric types ----------------------------------------------------------------------------------


def test_metric_list_has_shipped_and_own_not_foreign(school, other_school, teacher, client_for):
    pacer = shipped_metric("pacer_laps")
    own = MetricTypeFactory(school=school, code="juggles")
    foreign = MetricTypeFactory(school=other_school, code="theirs")
    body = client_for(teacher).get("/api/v1/physed/metric-types/", {"page_size": 100}).json()
    ids = {row["id"] for row in body["results"]}
    assert pacer.pk in ids and own.pk in ids and foreign.pk not in ids
    assert MetricType.objects.filter(school__isnull=True).count() == 17
    shipped_only = client_for(teacher).get("/api/v1/physed/metric-types/", {"shipped": "true", "page_size": 100}).json()
    assert all(row["is_shipped"] for row in shipped_only["results"]) and shipped_only["count"] == 17


def test_department_head_adds_a_metric_teacher_cannot(school, department_head, teacher, client_for):
    payload = {
        "school": school.pk,
        "code": "juggles",
        "name": "Juggles",
        "unit": "touches",
        "value_kind": "count",
        "higher_is_better": True,
        "min_value": "0",
        "max_value": "500",
    }
    assert client_for(teacher).post("/api/v1/physed/metric-types/", payload, format="json").status_code == 403
    response = client_for(department_head).post("/api/v1/physed/metric-types/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["is_shipped"] is False
    clash = client_for(department_head).post(
        "/api/v1/physed/metric-types/",
        {**payload, "code": "pacer_laps"} if shipped_metric("pacer_laps") else payload,
        format="json",
    )
    assert clash.status_code == 400 and "code" in clash.json()["error"]["fields"]
    bad_range = client_for(department_head).post(
        "/api/v1/physed/metric-types/", {**payload, "code": "x2", "min_value": "10", "max_value": "1"}, format="json"
    )
    assert bad_range.status_code == 400


def test_shipped_metrics_are_read_only(school_admin, client_for):
    pacer = shipped_metric("pacer_laps")
    client = client_for(school_admin)
    assert client.get(f"/api/v1/physed/metric-types/{pacer.pk}/").json()["code"] == "pacer_laps"
    assert client.patch(f"/api/v1/physed/metric-types/{pacer.pk}/", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/physed/metric-types/{pacer.pk}/").status_code == 403


def test_own_metric_update_and_delete(school, school_admin, client_for):
    metric = MetricTypeFactory(school=school, code="juggles")
    client = client_for(school_admin)
    response = client.patch(f"/api/v1/physed/metric-types/{metric.pk}/", {"name": "Keepy-uppies"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Keepy-uppies"
    assert client.patch(f"/api/v1/physed/metric-types/{metric.pk}/", {"school": 1}, format="json").status_code == 400
    assert client.delete(f"/api/v1/physed/metric-types/{metric.pk}/").status_code == 204
