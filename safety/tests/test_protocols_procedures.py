"""Emergency procedures and drills API: nested steps, reorder, contacts validation, overdue filter,
drill log (future dates, staff membership), scoping and permissions."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Role
from accounts.tests.factories import make_member
from safety.models import Drill, EmergencyProcedure, EmergencyStep
from safety.tests.factories_protocols import DrillFactory, EmergencyProcedureFactory, EmergencyStepFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/safety/emergency-procedures/"
DRILLS = "/api/v1/safety/drills/"


def _today():
    return timezone.localdate()


def _payload(**extra):
    return {
        "kind": "fire",
        "title": "Fire in the gym",
        "location": "Gym",
        "steps": [
            {"role": "Teacher", "instruction": "Stop the activity."},
            {"instruction": "Leave by the nearest exit."},
            {"role": "Teacher", "instruction": "Take the register."},
        ],
        "contacts": [{"name": "Office", "role": "Front desk", "phone": "+1 (555) 010-0100"}],
        "aed_locations": "Lobby",
        "drill_interval_days": 90,
        **extra,
    }


def test_create_with_steps_update_reorder(client_for, school, department_head):
    api = client_for(department_head)
    response = api.post(URL, _payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(s["order"], s["role"], s["instruction"]) for s in body["steps"]] == [
        (1, "Teacher", "Stop the activity."),
        (2, "", "Leave by the nearest exit."),
        (3, "Teacher", "Take the register."),
    ]
    assert body["contacts"] == [{"name": "Office", "role": "Front desk", "phone": "+1 (555) 010-0100"}]
    assert body["drill_state"] == "due" and body["next_drill_due"] is None and body["last_drilled_on"] is None
    pk = body["id"]
    ids = [s["id"] for s in body["steps"]]

    response = api.post(f"{URL}{pk}/reorder-steps/", {"steps": [ids[2], ids[0], ids[1]]}, format="json")
    assert response.status_code == 200
    assert [s["instruction"] for s in response.json()["steps"]] == [
        "Take the register.",
        "Stop the activity.",
        "Leave by the nearest exit.",
    ]
    assert api.post(f"{URL}{pk}/reorder-steps/", {"steps": [ids[0], ids[1]]}, format="json").status_code == 400
    assert api.post(f"{URL}{pk}/reorder-steps/", {"steps": [ids[0], ids[0], ids[1]]}, format="json").status_code == 400

    response = api.patch(f"{URL}{pk}/", {"steps": [{"role": "All", "instruction": "Go outside."}]}, format="json")
    assert [s["instruction"] for s in response.json()["steps"]] == ["Go outside."]
    assert EmergencyStep.objects.filter(procedure_id=pk).count() == 1
    response = api.patch(f"{URL}{pk}/", {"title": "Fire evacuation"}, format="json")
    assert response.json()["title"] == "Fire evacuation" and len(response.json()["steps"]) == 1
    assert AuditEvent.objects.filter(action="safety.procedure_steps_reordered").exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"contacts": [{"name": "Office", "phone": "call me"}]},
        {"contacts": [{"name": "Office", "phone": "12"}]},
        {"contacts": [{"name": "", "phone": "555-0100"}]},
        {"contacts": [{"name": "Office", "phone": "555-0100", "email": "x@y.z"}]},
        {"contacts": [{"name": "Office", "role": "r", "phone": "555"}] * 21},
        {"steps": [{"instruction": ""}]},
        {"steps": [{"instruction": "ok", "order": 3}]},
        {"kind": "earthquake"},
        {"drill_interval_days": 2},
        {"drill_interval_days": 1000},
        {"school": 99999},
    ],
)
def test_bad_procedure_is_400_and_stores_nothing(client_for, department_head, extra):
    response = client_for(department_head).post(URL, _payload(**extra), format="json")
    assert response.status_code == 400, response.json()
    assert EmergencyProcedure.objects.count() == 0 and EmergencyStep.objects.count() == 0


def test_overdue_filter_and_kind_location(client_for, school, teacher):
    today = _today()
    never = EmergencyProcedureFactory(school=school, kind="lockdown", location="Gym")
    late = EmergencyProcedureFactory(school=school, kind="fire", location="Pool")
    DrillFactory(procedure=late, held_on=today - datetime.timedelta(days=100))
    fine = EmergencyProcedureFactory(school=school, kind="fire", location="Field")
    DrillFactory(procedure=fine, held_on=today - datetime.timedelta(days=10))
    none_needed = EmergencyProcedureFactory(school=school, kind="medical", drill_interval_days=None)
    for procedure in (late, fine):
        from safety.services.protocols import refresh_drill_dates

        refresh_drill_dates(procedure)
    api = client_for(teacher)

    def ids(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.json()
        return sorted(row["id"] for row in response.json()["results"])

    assert ids(overdue="true") == sorted([never.pk, late.pk])
    assert ids(overdue="false") == sorted([fine.pk, none_needed.pk])
    assert ids(kind="fire") == sorted([late.pk, fine.pk])
    assert ids(location="poo") == [late.pk]
    assert api.get(URL, {"overdue": "maybe"}).status_code == 400
    rows = {row["id"]: row for row in api.get(URL).json()["results"]}
    assert rows[late.pk]["drill_state"] == "overdue"
    assert rows[late.pk]["next_drill_due"] == (today - datetime.timedelta(days=10)).isoformat()
    assert rows[fine.pk]["drill_state"] == "ok" and rows[none_needed.pk]["drill_state"] == "not_required"


def test_log_drill_moves_the_due_date(client_for, school, teacher, assistant):
    procedure = EmergencyProcedureFactory(school=school, drill_interval_days=60)
    held = _today() - datetime.timedelta(days=3)
    response = client_for(teacher).post(
        DRILLS,
        {
            "procedure": procedure.pk,
            "held_on": held.isoformat(),
            "duration_minutes": 9,
            "participant_count": 30,
            "participants": [teacher.pk, assistant.pk],
            "notes": "Smooth.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(body["participants"]) == sorted([teacher.pk, assistant.pk])
    assert body["recorded_by"] == teacher.pk and body["procedure_title"] == procedure.title
    procedure.refresh_from_db()
    assert procedure.last_drilled_on == held
    assert procedure.next_drill_due == held + datetime.timedelta(days=60)
    api = client_for(assistant)
    assert [row["id"] for row in api.get(DRILLS, {"procedure": procedure.pk}).json()["results"]] == [body["id"]]
    assert api.get(DRILLS, {"held_after": _today().isoformat()}).json()["results"] == []
    assert len(api.get(DRILLS, {"held_before": _today().isoformat()}).json()["results"]) == 1
    assert api.post(DRILLS, {"procedure": procedure.pk, "held_on": held.isoformat()}, format="json").status_code == 403


@pytest.mark.parametrize("case", ["future", "outsider", "student", "count", "foreign_procedure", "minutes"])
def test_bad_drill_is_400_and_stores_nothing(client_for, school, other_school, teacher, student, case):
    procedure = EmergencyProcedureFactory(school=school)
    body = {"procedure": procedure.pk, "held_on": _today().isoformat(), "participant_count": 5}
    if case == "future":
        body["held_on"] = (_today() + datetime.timedelta(days=1)).isoformat()
    elif case == "outsider":
        body["participants"] = [make_member(other_school, Role.TEACHER).pk]
    elif case == "student":
        body["participants"] = [student.pk]
    elif case == "count":
        body["participants"] = [teacher.pk]
        body["participant_count"] = 0
    elif case == "foreign_procedure":
        body["procedure"] = EmergencyProcedureFactory(school=other_school).pk
    elif case == "minutes":
        body["duration_minutes"] = 0
    response = client_for(teacher).post(DRILLS, body, format="json")
    assert response.status_code == 400, response.json()
    assert Drill.objects.count() == 0
    procedure.refresh_from_db()
    assert procedure.last_drilled_on is None


def test_scoping_and_permissions(client_for, school, other_school, teacher, department_head, guardian):
    foreign = EmergencyProcedureFactory(school=other_school)
    foreign_drill = DrillFactory(procedure=foreign)
    EmergencyStepFactory(procedure=foreign)
    api = client_for(department_head)
    assert api.get(f"{URL}{foreign.pk}/").status_code == 404
    assert api.post(f"{URL}{foreign.pk}/reorder-steps/", {"steps": [1]}, format="json").status_code == 404
    assert api.get(f"{DRILLS}{foreign_drill.pk}/").status_code == 404
    assert api.get(DRILLS).json()["results"] == []
    assert client_for(guardian).get(URL).status_code == 403
    assert client_for(teacher).post(URL, _payload(), format="json").status_code == 403
    own = EmergencyProcedureFactory(school=school)
    assert client_for(teacher).delete(f"{URL}{own.pk}/").status_code == 403
    assert api.delete(f"{URL}{own.pk}/").status_code == 403  # only school admins delete
