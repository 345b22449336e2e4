"""Risk assessment API: CRUD with nested hazards, the workflow, filters, bad input, scoping."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent, Notification, Role
from physed.tests.factories import ActivityFactory, PEClassFactory
from safety import notifications as events
from safety.models import Hazard, RiskAssessment, RiskAssessmentStatus
from safety.services.risk_data import load_default_bands
from safety.tests.factories_risk import HazardFactory, RiskAssessmentFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/safety/risk-assessments/"
TODAY = timezone.localdate()
NEXT_YEAR = (TODAY + datetime.timedelta(days=365)).isoformat()


@pytest.fixture(autouse=True)
def default_bands(db):
    load_default_bands()


def hazard(l=3, s=4, rl=2, rs=3, **extra):  # noqa: E741
    return {
        "description": "Falls from the box",
        "likelihood": l,
        "severity": s,
        "controls": "Mats",
        "residual_likelihood": rl,
        "residual_severity": rs,
        **extra,
    }


def payload(**extra):
    return {
        "title": "Vaulting",
        "subject": "venue",
        "venue": "Gym",
        "review_date": NEXT_YEAR,
        "hazards": [hazard()],
        **extra,
    }


def create(client, **extra):
    response = client.post(URL, payload(**extra), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_create_stores_hazards_and_computes_bands_and_summary(client_for, teacher, school):
    activity = ActivityFactory(school=school, name="Vaulting box")
    body = create(
        client_for(teacher),
        subject="activity",
        activity=activity.pk,
        hazards=[hazard(3, 4, 2, 3), hazard(5, 5, 4, 5, description="Head-first landing")],
    )
    assert body["status"] == "draft" and body["owner"] == teacher.pk and body["created_by"] == teacher.pk
    assert body["school"] == school.pk and body["activity_name"] == "Vaulting box"
    assert [(h["score"], h["band"], h["residual_score"], h["residual_band"]) for h in body["hazards"]] == [
        (12, "high", 6, "medium"),
        (25, "very-high", 20, "very-high"),
    ]
    summary = body["summary"]
    assert (summary["highest_initial"], summary["highest_residual"], summary["residual_band"]) == (25, 20, "very-high")
    assert summary["may_proceed"] is False and summary["required_action"].startswith("Do not proceed")
    assert summary["heat_map"][3][4] == 1 and summary["heat_map"][1][2] == 1
    assessment = RiskAssessment.objects.get(pk=body["id"])
    assert [h.order for h in assessment.hazards.all()] == [1, 2]
    assert AuditEvent.objects.filter(action="safety.risk_assessment_created", target_id=str(assessment.pk)).count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"hazards": [hazard(l=6)]}, "hazards"),
        ({"hazards": [hazard(s=0)]}, "hazards"),
        ({"hazards": [hazard(rl=4, rs=4)]}, "hazards"),  # residual 16 > initial 12
        ({"hazards": [hazard(l="high")]}, "hazards"),
        ({"hazards": [hazard(extra_key=1)]}, "hazards"),
        ({"hazards": "falls"}, "hazards"),
        ({"subject": "activity"}, "activity"),
        ({"subject": "class", "venue": ""}, "pe_class"),
        ({"subject": "event"}, "event_name"),
        ({"subject": "moon"}, "subject"),
        ({"review_date": "2026-02-30"}, "review_date"),
        ({"event_date": "31/12/2026"}, "event_date"),
        ({"status": "approved"}, "status"),
        ({"is_staff": True}, "is_staff"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(client_for, teacher, change, field):
    response = client_for(teacher).post(URL, payload(**change), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert RiskAssessment.objects.count() == 0 and Hazard.objects.count() == 0


def test_residual_above_initial_says_so(client_for, teacher):
    response = client_for(teacher).post(URL, payload(hazards=[hazard(3, 4, 4, 4)]), format="json")
    assert "cannot be higher than the risk before controls (12)" in str(response.json()["error"]["fields"])


def test_foreign_ids_and_non_staff_owner_are_refused(client_for, teacher, school, other_school, student):
    client = client_for(teacher)
    foreign_activity = ActivityFactory(school=other_school)
    foreign_class = PEClassFactory(school=other_school)
    for change, field in (
        ({"subject": "activity", "activity": foreign_activity.pk}, "activity"),
        ({"subject": "class", "pe_class": foreign_class.pk}, "pe_class"),
        ({"owner": student.pk}, "owner"),
    ):
        response = client.post(URL, payload(**change), format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"], response.content
    assert RiskAssessment.objects.count() == 0


def test_patch_replaces_hazards_while_draft_and_is_refused_after_submit(client_for, teacher, department_head):
    client = client_for(teacher)
    body = create(client, hazards=[hazard(), hazard(description="Second")])
    url = f"{URL}{body['id']}/"
    response = client.patch(
        url, {"hazards": [hazard(2, 2, 1, 1, description="Only one")], "title": "V2"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [h["description"] for h in response.json()["hazards"]] == ["Only one"]
    assert Hazard.objects.filter(assessment_id=body["id"]).count() == 1
    changed = AuditEvent.objects.get(action="safety.risk_assessment_changed")
    assert changed.changes["title"] == {"before": "Vaulting", "after": "V2"} and "hazards" in changed.changes
    # without "hazards" the existing ones stay
    assert client.patch(url, {"venue": "Hall"}, format="json").json()["hazards"][0]["description"] == "Only one"
    assert client.post(f"{url}submit/").status_code == 200
    response = client.patch(url, {"title": "Sneaky"}, format="json")
    assert response.status_code == 400 and "status" in response.json()["error"]["fields"]
    assert RiskAssessment.objects.get(pk=body["id"]).title == "V2"


def test_patch_with_an_incomplete_hazard_is_a_400_not_a_server_error(client_for, teacher):
    client = client_for(teacher)
    body = create(client)
    incomplete = {key: value for key, value in hazard().items() if key != "severity"}
    response = client.patch(f"{URL}{body['id']}/", {"hazards": [incomplete]}, format="json")
    assert response.status_code == 400, response.content
    assert "severity" in response.json()["error"]["fields"]["hazards"]["0"]
    assert Hazard.objects.get(assessment_id=body["id"]).severity == 4


def test_submit_needs_a_hazard_and_a_future_review_date_and_notifies_heads(
    client_for, teacher, department_head, school_admin
):
    client = client_for(teacher)
    empty = create(client, hazards=[])
    response = client.post(f"{URL}{empty['id']}/submit/")
    assert response.status_code == 400 and "hazards" in response.json()["error"]["fields"]
    today = create(client, review_date=TODAY.isoformat())
    response = client.post(f"{URL}{today['id']}/submit/")
    assert response.status_code == 400 and "review_date" in response.json()["error"]["fields"]
    assert RiskAssessment.objects.filter(status="submitted").count() == 0

    body = create(client)
    response = client.post(f"{URL}{body['id']}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    notified = set(Notification.objects.filter(kind=events.ASSESSMENT_SUBMITTED).values_list("user_id", flat=True))
    assert notified == {department_head.pk, school_admin.pk}


def test_approve_and_return_rules(client_for, teacher, department_head, member, school):
    other_teacher_here = member(school, Role.TEACHER)
    body = create(client_for(teacher))
    url = f"{URL}{body['id']}/"
    assert client_for(teacher).post(f"{url}submit/").status_code == 200
    assert client_for(other_teacher_here).post(f"{url}approve/", {}, format="json").status_code == 403
    response = client_for(department_head).post(f"{url}return/", {}, format="json")
    assert response.status_code == 400 and "note" in response.json()["error"]["fields"]
    response = client_for(department_head).post(f"{url}return/", {"note": "Add the landing zone."}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_note"]) == ("draft", "Add the landing zone.")
    decided = Notification.objects.get(kind=events.ASSESSMENT_DECIDED)
    assert decided.user_id == teacher.pk and decided.body == "Add the landing zone."
    assert client_for(teacher).post(f"{url}submit/").status_code == 200
    response = client_for(department_head).post(f"{url}approve/", {"note": "Good."}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["decided_by"]) == ("approved", department_head.pk)
    assert client_for(department_head).post(f"{url}approve/", {}, format="json").status_code == 400
    actions = list(
        AuditEvent.objects.filter(target_id=str(body["id"]), action__startswith="safety.risk_assessment_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "safety.risk_assessment_created",
        "safety.risk_assessment_submitted",
        "safety.risk_assessment_returned",
        "safety.risk_assessment_submitted",
        "safety.risk_assessment_approved",
    ]


def test_the_author_cannot_approve_their_own_assessment(client_for, department_head):
    client = client_for(department_head)
    body = create(client)
    assert client.post(f"{URL}{body['id']}/submit/").status_code == 200
    response = client.post(f"{URL}{body['id']}/approve/", {}, format="json")
    assert response.status_code == 403
    assert RiskAssessment.objects.get(pk=body["id"]).status == RiskAssessmentStatus.SUBMITTED


def test_reopen_clears_the_approval_and_is_audited(client_for, teacher, department_head, school):
    assessment = RiskAssessmentFactory(
        school=school,
        owner=teacher,
        created_by=teacher,
        status=RiskAssessmentStatus.APPROVED,
        decided_by=department_head,
        decided_at=timezone.now(),
    )
    HazardFactory(assessment=assessment)
    response = client_for(teacher).post(f"{URL}{assessment.pk}/reopen/", {"note": "New mats"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decided_by"], response.json()["decided_at"]) == (
        "draft",
        None,
        None,
    )
    event = AuditEvent.objects.get(action="safety.risk_assessment_reopened")
    assert (
        event.changes["cleared_approval"]["decided_by"] == department_head.pk and event.changes["note"] == "***"
    )  # notes are masked in the audit log
    assert client_for(teacher).post(f"{URL}{assessment.pk}/reopen/", {}, format="json").status_code == 400


def test_delete_only_drafts_and_only_school_admins(client_for, teacher, school_admin, school):
    draft = RiskAssessmentFactory(school=school, owner=teacher, created_by=teacher)
    approved = RiskAssessmentFactory(school=school, status=RiskAssessmentStatus.APPROVED)
    assert client_for(teacher).delete(f"{URL}{draft.pk}/").status_code == 403
    response = client_for(school_admin).delete(f"{URL}{approved.pk}/")
    assert response.status_code == 400 and RiskAssessment.objects.filter(pk=approved.pk).exists()
    assert client_for(school_admin).delete(f"{URL}{draft.pk}/").status_code == 204
    assert not RiskAssessment.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="safety.risk_assessment_deleted").count() == 1


def test_filters_and_other_school_scoping(client_for, teacher, school, other_school):
    activity = ActivityFactory(school=school)
    pe_class = PEClassFactory(school=school)
    due = RiskAssessmentFactory(
        school=school, status="approved", review_date=TODAY - datetime.timedelta(days=1), owner=teacher, title="Due one"
    )
    fine = RiskAssessmentFactory(school=school, status="approved", title="Fine")
    act = RiskAssessmentFactory(school=school, subject="activity", activity=activity, venue="", title="Act")
    cls = RiskAssessmentFactory(school=school, subject="class", pe_class=pe_class, venue="", title="Cls")
    foreign = RiskAssessmentFactory(school=other_school)
    client = client_for(teacher)

    def ids(query):
        response = client.get(URL, query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids({}) == {due.pk, fine.pk, act.pk, cls.pk}
    assert ids({"due_for_review": "true"}) == {due.pk}
    assert ids({"due_for_review": "false", "status": "approved"}) == {fine.pk}
    assert ids({"owner": teacher.pk}) == {due.pk}
    assert ids({"subject": "activity"}) == {act.pk} == ids({"activity": activity.pk})
    assert ids({"pe_class": pe_class.pk}) == {cls.pk}
    assert ids({"search": "Fine"}) == {fine.pk}
    assert client.get(URL, {"due_for_review": "maybe"}).status_code == 400
    assert client.get(URL, {"status": "lost"}).status_code == 400
    listed = client.get(URL, {"due_for_review": "true"}).json()["results"][0]
    assert listed["due_for_review"] is True
    assert client.get(f"{URL}{foreign.pk}/").status_code == 404
    assert client.post(f"{URL}{foreign.pk}/submit/").status_code == 404


def test_list_queries_do_not_grow_with_rows(client_for, teacher, school):
    client = client_for(teacher)

    def count():
        client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"page_size": 100}).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        HazardFactory(assessment=RiskAssessmentFactory(school=school))
    few = count()
    for _ in range(12):
        HazardFactory(assessment=RiskAssessmentFactory(school=school))
    assert count() == few


def test_without_permission_is_403(client_for, assistant, guardian, school):
    assessment = RiskAssessmentFactory(school=school)
    assert client_for(guardian).get(URL).status_code == 403
    assert client_for(assistant).get(f"{URL}{assessment.pk}/").status_code == 200
    assert client_for(assistant).post(URL, payload(), format="json").status_code == 403
    assert client_for(assistant).post(f"{URL}{assessment.pk}/submit/").status_code == 403
