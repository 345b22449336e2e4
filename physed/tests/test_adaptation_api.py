"""Adaptation API: profiles, a session's proposals and decisions, on generated sessions/results."""

import datetime

import pytest

from accounts.models import AuditEvent, Role
from physed.models import (
    AdaptationProfile,
    AdaptationProposal,
    AttendanceStatus,
    EngineWeights,
    ProposalStatus,
    SessionStatus,
)
from physed.tests.factories import (
    ActivityFactory,
    AttendanceRecordFactory,
    ClassSessionFactory,
    EnrollmentFactory,
    PEClassFactory,
    SessionBlockFactory,
    StudentFactory,
)
from physed.tests.factories_adaptation import AdaptationProfileFactory, AdaptationProposalFactory, record

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 10, 15)
MODS = [
    {"kind": "intensity", "easier": "Walking soccer: walk only.", "harder": "Two-touch limit."},
    {"kind": "rules", "easier": "No tackling: defenders shadow only.", "harder": "Add a defender."},
    {"kind": "assistance", "easier": "Be the referee's assistant.", "harder": ""},
]


@pytest.fixture
def setup(school, teacher):
    pe_class = PEClassFactory(school=school)
    pe_class.teachers.add(teacher)
    tired = StudentFactory(school=school, first_name="Tia", date_of_birth=datetime.date(2014, 1, 1))
    calm = StudentFactory(school=school, first_name="Cal", date_of_birth=datetime.date(2014, 6, 1))
    for student in (tired, calm):
        EnrollmentFactory(pe_class=pe_class, student=student)
    for days, rpe in ((14, 8), (7, 9), (2, 9)):
        past = ClassSessionFactory(pe_class=pe_class, date=TODAY - datetime.timedelta(days=days))
        past.status = SessionStatus.COMPLETED
        past.save()
        record(past, tired, "rpe", rpe)
        record(past, calm, "rpe", 5)
    session = ClassSessionFactory(pe_class=pe_class, date=TODAY, status=SessionStatus.IN_PROGRESS)
    soccer = ActivityFactory(
        school=school, name="Small-sided soccer", contact_level="limited", intensity="vigorous", modifications=MODS
    )
    block = SessionBlockFactory(session=session, order=1, activity=soccer)
    for student in (tired, calm):
        AttendanceRecordFactory(session=session, student=student, status=AttendanceStatus.PRESENT)
    return {"class": pe_class, "session": session, "block": block, "tired": tired, "calm": calm, "soccer": soccer}


def url(session):
    return f"/api/v1/physed/sessions/{session.pk}/adaptations/"


def test_high_rpe_for_three_sessions_gets_an_easier_intensity_proposal(client_for, teacher, setup):
    response = client_for(teacher).get(url(setup["session"]))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["block"]["id"] == setup["block"].pk and body["block"]["activity_name"] == "Small-sided soccer"
    assert response["Cache-Control"] == "private, no-store"
    [proposal] = body["proposals"]
    assert proposal["student"] == setup["tired"].pk
    assert (proposal["kind"], proposal["direction"], proposal["status"]) == ("intensity", "easier", "pending")
    assert proposal["text"] == "Walking soccer: walk only."
    assert proposal["reasons"] == ["RPE 8.7 average over the last 3 sessions (≥ 8 = very hard)"]
    assert proposal["factors"][0]["factor"] == "rpe_high"
    assert proposal["score"] >= body["threshold"]
    again = client_for(teacher).get(url(setup["session"])).json()
    assert [p["id"] for p in again["proposals"]] == [proposal["id"]]
    assert AdaptationProposal.objects.count() == 1


def test_heart_rate_share_uses_the_birth_date(client_for, teacher, setup):
    # Cal is 12 on the session date: Tanaka HRmax = 208 - 0.7 * 12.37 ≈ 199
    record(setup["session"], setup["calm"], "heart_rate_avg", 190)
    body = client_for(teacher).get(url(setup["session"])).json()
    [proposal] = [p for p in body["proposals"] if p["student"] == setup["calm"].pk]
    assert proposal["kind"] == "intensity"
    reason = proposal["reasons"][0]
    assert reason.startswith("Average heart rate 95% of the age-predicted maximum (199 bpm at age 12, Tanaka)")
    setup["calm"].date_of_birth = None
    setup["calm"].save()
    AdaptationProposal.objects.all().delete()
    body = client_for(teacher).get(url(setup["session"])).json()
    assert [p["student"] for p in body["proposals"]] == [setup["tired"].pk]


def test_attendance_and_restrictions_drive_required_proposals(client_for, teacher, setup):
    record_ = setup["session"].attendance.get(student=setup["tired"])
    record_.status = AttendanceStatus.SITTING_OUT
    record_.save()
    AdaptationProfileFactory(student=setup["calm"], restrictions=[{"kind": "no_contact", "until": None}])
    body = client_for(teacher).get(url(setup["session"])).json()
    by_student = {p["student"]: p for p in body["proposals"]}
    assert by_student[setup["tired"].pk]["kind"] == "assistance"
    assert by_student[setup["tired"].pk]["required"] is True
    assert by_student[setup["tired"].pk]["reasons"] == ["Sitting out today (injury)"]
    assert by_student[setup["calm"].pk]["text"] == "No tackling: defenders shadow only."
    assert by_student[setup["calm"].pk]["required"] is True


def test_a_rejection_is_recorded_lowers_the_weights_and_is_not_proposed_again(client_for, teacher, setup):
    client = client_for(teacher)
    proposal = client.get(url(setup["session"])).json()["proposals"][0]
    response = client.post(
        url(setup["session"]),
        {"decisions": [{"proposal": proposal["id"], "accepted": False, "note": "fine"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    decided = response.json()["decided"][0]
    assert (
        decided["status"] == "rejected" and decided["decided_by"] == teacher.pk and decided["decision_note"] == "fine"
    )
    weights = dict(EngineWeights.objects.filter(school=setup["class"].school).values_list("key", "weight"))
    assert weights["factor:rpe_high"] < 1.0 and weights["kind:intensity:easier"] < 1.0
    assert AuditEvent.objects.filter(action="physed.adaptation_rejected", actor=teacher).count() == 1
    body = client.get(url(setup["session"])).json()
    assert [(p["id"], p["status"]) for p in body["proposals"]] == [(proposal["id"], "rejected")]
    again = client.post(
        url(setup["session"]), {"decisions": [{"proposal": proposal["id"], "accepted": True}]}, format="json"
    )
    assert again.status_code == 400
    assert "already been decided" in again.json()["error"]["message"]


def test_repeated_rejections_over_sessions_hide_the_kind(client_for, teacher, setup):
    client = client_for(teacher)
    school = setup["class"].school
    rounds = 0
    for offset in range(1, 9):
        session = ClassSessionFactory(pe_class=setup["class"], date=TODAY + datetime.timedelta(days=offset))
        SessionBlockFactory(session=session, order=1, activity=setup["soccer"])
        proposals = [p for p in client.get(url(session)).json()["proposals"] if p["status"] == "pending"]
        if not proposals:
            break
        rounds += 1
        decisions = [{"proposal": p["id"], "accepted": False} for p in proposals]
        assert client.post(url(session), {"decisions": decisions}, format="json").status_code == 200
    assert 2 <= rounds <= 6
    low = EngineWeights.objects.get(school=school, key="kind:intensity:easier").weight
    assert 0.1 <= low < 0.8


def test_accepting_raises_the_weights(client_for, teacher, setup):
    client = client_for(teacher)
    proposal = client.get(url(setup["session"])).json()["proposals"][0]
    client.post(url(setup["session"]), {"decisions": [{"proposal": proposal["id"], "accepted": True}]}, format="json")
    assert EngineWeights.objects.get(key="factor:rpe_high").weight > 1.0
    assert AdaptationProposal.objects.get(pk=proposal["id"]).status == ProposalStatus.ACCEPTED


def test_decisions_must_name_this_sessions_proposals(client_for, teacher, setup, other_school):
    client = client_for(teacher)
    other_session_proposal = AdaptationProposalFactory(session__pe_class=setup["class"])
    response = client.post(
        url(setup["session"]), {"decisions": [{"proposal": other_session_proposal.pk, "accepted": True}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["decisions"] == ["Every proposal must belong to this session."]
    foreign = AdaptationProposalFactory(session__pe_class__school=other_school)
    response = client.post(
        url(setup["session"]), {"decisions": [{"proposal": foreign.pk, "accepted": True}]}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in str(response.json()["error"]["fields"])
    for bad in ({}, {"decisions": []}, {"decisions": [{"proposal": 1}]}, {"decisions": [{"proposal": 1, "x": 1}]}):
        response = client.post(url(setup["session"]), bad, format="json")
        assert response.status_code == 400 and set(response.json()["error"]) == {"code", "message", "fields"}


def test_block_parameter(client_for, teacher, setup, school):
    client = client_for(teacher)
    response = client.get(url(setup["session"]), {"block": 999999})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["block"] == ["No activity block of this class has this id."]
    assert client.get(url(setup["session"]), {"block": "x"}).status_code == 400
    second = SessionBlockFactory(session=setup["session"], order=2, activity=ActivityFactory(school=school))
    body = client.get(url(setup["session"]), {"block": second.pk}).json()
    assert body["block"]["id"] == second.pk


def test_a_session_without_blocks_has_no_block(client_for, teacher, setup):
    empty = ClassSessionFactory(pe_class=setup["class"], date=TODAY + datetime.timedelta(days=30))
    body = client_for(teacher).get(url(empty)).json()
    assert body == {"session": empty.pk, "block": None, "threshold": 0.4, "proposals": []}


def test_session_adaptation_permissions(api_client, client_for, member, school, setup, other_teacher):
    assert api_client.get(url(setup["session"])).status_code == 401
    assert client_for(other_teacher).get(url(setup["session"])).status_code == 404
    assert client_for(member(school, Role.STUDENT)).get(url(setup["session"])).status_code == 403
    assistant = member(school, Role.ASSISTANT)
    assert client_for(assistant).get(url(setup["session"])).status_code == 200
    proposal = AdaptationProposal.objects.first()
    response = client_for(assistant).post(
        url(setup["session"]), {"decisions": [{"proposal": proposal.pk, "accepted": True}]}, format="json"
    )
    assert response.status_code == 403


# ---- profiles -------------------------------------------------------------------------------------


PROFILES = "/api/v1/physed/adaptation-profiles/"


def test_profile_create_read_update_with_audit(client_for, teacher, school):
    student = StudentFactory(school=school)
    client = client_for(teacher)
    payload = {
        "student": student.pk,
        "has_iep": True,
        "notes": "Sensory needs: ear defenders in the gym.",
        "restrictions": [{"kind": "no_contact", "until": "2026-12-31"}, {"kind": "no_running"}],
        "skill_level": 2,
        "category_skill_levels": {"invasion": 1},
        "preferred_modifications": ["equipment", "equipment", "instruction"],
    }
    response = client.post(PROFILES, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["restrictions"] == [
        {"kind": "no_contact", "until": "2026-12-31"},
        {"kind": "no_running", "until": None},
    ]
    assert body["preferred_modifications"] == ["equipment", "instruction"]
    assert body["updated_by"] == teacher.pk
    created = AuditEvent.objects.get(action="physed.adaptation_profile_created")
    assert created.changes["notes"] == "***"
    listed = client.get(PROFILES).json()["results"]
    assert listed[0]["has_notes"] is True and "notes" not in listed[0]
    detail = client.get(f"{PROFILES}{body['id']}/").json()
    assert detail["notes"] == "Sensory needs: ear defenders in the gym."
    assert AuditEvent.objects.filter(action="physed.adaptation_profile_viewed", actor=teacher).count() == 1
    response = client.patch(f"{PROFILES}{body['id']}/", {"skill_level": 4, "restrictions": []}, format="json")
    assert response.status_code == 200 and response.json()["skill_level"] == 4
    profile = AdaptationProfile.objects.get(pk=body["id"])
    assert profile.restrictions == [] and profile.has_iep is True
    assert AuditEvent.objects.filter(action="physed.adaptation_profile_changed").count() == 1
    assert client.post(PROFILES, {"student": student.pk}, format="json").status_code == 400


def test_profile_bad_input_is_a_clear_400(client_for, teacher, school, other_school):
    client = client_for(teacher)
    student = StudentFactory(school=school)
    cases = [
        ({"student": student.pk, "restrictions": [{"kind": "no_flying"}]}, "restrictions"),
        ({"student": student.pk, "restrictions": [{"kind": "no_contact", "until": "soon"}]}, "restrictions"),
        ({"student": student.pk, "skill_level": 9}, "skill_level"),
        ({"student": student.pk, "category_skill_levels": {"quidditch": 2}}, "category_skill_levels"),
        ({"student": student.pk, "preferred_modifications": ["magic"]}, "preferred_modifications"),
        ({"student": student.pk, "school": 1}, "school"),
        ({"student": StudentFactory(school=other_school).pk}, "student"),
    ]
    for payload, field in cases:
        response = client.post(PROFILES, payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json()["error"]["fields"], (payload, response.json())
    assert not AdaptationProfile.objects.exists()


def test_profile_permissions(api_client, client_for, member, school, other_school, teacher):
    profile = AdaptationProfileFactory(student__school=school, notes="private")
    foreign = AdaptationProfileFactory(student__school=other_school)
    assert api_client.get(PROFILES).status_code == 401
    assert client_for(teacher).get(f"{PROFILES}{foreign.pk}/").status_code == 404
    assert [row["id"] for row in client_for(teacher).get(PROFILES).json()["results"]] == [profile.pk]
    for role in (Role.STUDENT, Role.GUARDIAN):
        assert client_for(member(school, role)).get(f"{PROFILES}{profile.pk}/").status_code == 403
    assistant = client_for(member(school, Role.ASSISTANT))
    assert assistant.get(f"{PROFILES}{profile.pk}/").json()["notes"] == "private"
    assert assistant.patch(f"{PROFILES}{profile.pk}/", {"skill_level": 1}, format="json").status_code == 403
    student = StudentFactory(school=school)
    assert assistant.post(PROFILES, {"student": student.pk}, format="json").status_code == 403


def test_create_needs_the_permission_in_the_students_school(client_for, member, school, other_school):
    from accounts.tests.factories import MembershipFactory

    user = member(school, Role.TEACHER)
    MembershipFactory(user=user, school=other_school, role=Role.STUDENT)
    elsewhere = StudentFactory(school=other_school)
    response = client_for(user).post(PROFILES, {"student": elsewhere.pk, "has_504": True}, format="json")
    assert response.status_code == 403
    here = StudentFactory(school=school)
    assert client_for(user).post(PROFILES, {"student": here.pk, "has_504": True}, format="json").status_code == 201


def test_proposal_history_is_scoped_and_filterable(client_for, teacher, setup, other_school):
    client = client_for(teacher)
    client.get(url(setup["session"]))
    AdaptationProposalFactory(session__pe_class__school=other_school)
    rows = client.get("/api/v1/physed/adaptation-proposals/", {"session": setup["session"].pk}).json()["results"]
    assert [r["student"] for r in rows] == [setup["tired"].pk]
    assert client.get("/api/v1/physed/adaptation-proposals/", {"status": "rejected"}).json()["results"] == []
