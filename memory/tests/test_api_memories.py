"""The memory API: my own memories only (another teacher of the same school and a school admin
get 404), search ordered by score, filters, writes through the services with checked links,
export and my own clean-up."""

import json

import pytest

from accounts.models import AuditEvent, Role
from accounts.tests.factories import make_member
from memory.models import Memory, MemoryKind, MemorySource
from memory.services.memories import create_memory
from physed.tests.factories_roster import EnrollmentFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/memory/memories/"


@pytest.fixture
def mine(school, teacher):
    return {
        "gym": create_memory(actor=teacher, school=school, content="Grade 5 Blue has the gym on Tuesdays"),
        "units": create_memory(
            actor=teacher, school=school, content="imperial", kind=MemoryKind.PREFERENCE, key="units", pinned=True
        ),
        "pacer": create_memory(
            actor=teacher, school=school, content="Asked about PACER results", kind=MemoryKind.EPISODE, importance=0.2
        ),
    }


@pytest.fixture
def roster(school, teacher):
    pe_class = PEClassFactory(school=school, name="Grade 5 Blue")
    pe_class.teachers.add(teacher)
    student = StudentFactory(school=school, first_name="Ava", last_name="Lopez")
    EnrollmentFactory(pe_class=pe_class, student=student)
    return {"class": pe_class, "student": student}


def test_list_is_mine_newest_first_and_no_store(client_for, teacher, mine, school):
    colleague = make_member(school, Role.TEACHER)
    create_memory(actor=colleague, school=school, content="Colleague's own note")
    response = client_for(teacher).get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert body["count"] == 3
    assert [row["content"] for row in body["results"]] == [
        "Asked about PACER results",
        "imperial",
        "Grade 5 Blue has the gym on Tuesdays",
    ]
    first = body["results"][0]
    assert first["kind"] == "episode" and first["importance"] == 0.2 and first["source"] == "manual"
    assert first["score"] is None and first["reasons"] == []


def test_filters(client_for, teacher, mine, roster, school):
    linked = create_memory(actor=teacher, school=school, content="Ava runs well", student=roster["student"])
    client = client_for(teacher)
    assert [r["id"] for r in client.get(URL, {"kind": "preference"}).json()["results"]] == [mine["units"].pk]
    assert [r["id"] for r in client.get(URL, {"pinned": "true"}).json()["results"]] == [mine["units"].pk]
    rows = client.get(URL, {"student": roster["student"].pk}).json()["results"]
    assert [r["id"] for r in rows] == [linked.pk]
    assert rows[0]["student_name"] == "Ava Lopez"
    assert client.get(URL, {"pe_class": roster["class"].pk}).json()["count"] == 0
    assert client.get(URL, {"pinned": "maybe"}).status_code == 400
    assert client.get(URL, {"page_size": 2}).json()["count"] == 4
    assert len(client.get(URL, {"page_size": 2}).json()["results"]) == 2


def test_search_orders_by_score_with_reasons(client_for, teacher, mine):
    body = client_for(teacher).get(URL, {"q": "gym tuesdays"}).json()
    assert body["results"][0]["id"] == mine["gym"].pk
    assert body["results"][0]["score"] > 0
    assert body["results"][0]["reasons"]
    scores = [row["score"] for row in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_others_memory_is_404_for_colleague_and_school_admin(client_for, mine, school, school_admin):
    colleague = make_member(school, Role.TEACHER)
    pk = mine["gym"].pk
    for user in (colleague, school_admin):
        client = client_for(user)
        assert client.get(f"{URL}{pk}/").status_code == 404
        assert client.patch(f"{URL}{pk}/", {"content": "x"}, format="json").status_code == 404
        assert client.delete(f"{URL}{pk}/").status_code == 404
        assert client.get(URL).json()["count"] == 0
    assert Memory.objects.get(pk=pk).content == "Grade 5 Blue has the gym on Tuesdays"


def test_anonymous_is_refused(api_client):
    assert api_client.get(URL).status_code == 401


def test_create_with_links(client_for, teacher, school, roster):
    response = client_for(teacher).post(
        URL,
        {
            "content": "Ava needs a water break every 20 minutes",
            "kind": "fact",
            "importance": 0.9,
            "student": roster["student"].pk,
            "pe_class": roster["class"].pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["school"] == school.pk and body["importance"] == 0.9
    assert body["student_name"] == "Ava Lopez" and body["pe_class_name"] == "Grade 5 Blue"
    memory = Memory.objects.get(pk=body["id"])
    assert memory.owner == teacher and memory.source == MemorySource.MANUAL
    assert AuditEvent.objects.filter(action="memory.created", target_id=str(memory.pk)).exists()


def test_create_refuses_bad_input_with_400(client_for, teacher, other_school):
    client = client_for(teacher)
    foreign_student = StudentFactory(school=other_school)
    cases = [
        ({"content": ""}, "content"),
        ({"content": "x" * 2001}, "content"),
        ({"content": "ok", "importance": 1.5}, "importance"),
        ({"content": "ok", "kind": "gossip"}, "kind"),
        ({"content": "ok", "student": foreign_student.pk}, "student"),
        ({"content": "ok", "student": 999999}, "student"),
        ({"content": "ok", "school": other_school.pk}, "school"),
        ({"content": "ok", "owner": 1}, "owner"),
        ({"content": "ok", "pinned": "yes"}, "pinned"),
    ]
    for payload, field in cases:
        response = client.post(URL, payload, format="json")
        assert response.status_code == 400, (payload, response.status_code)
        assert field in json.dumps(response.json()), (payload, response.json())
    assert Memory.objects.count() == 0


def test_patch_and_delete(client_for, teacher, mine):
    client = client_for(teacher)
    pk = mine["gym"].pk
    response = client.patch(f"{URL}{pk}/", {"content": "Gym on Wednesdays now", "pinned": True}, format="json")
    assert response.status_code == 200
    assert response.json()["content"] == "Gym on Wednesdays now" and response.json()["pinned"] is True
    assert client.patch(f"{URL}{pk}/", {"importance": -1}, format="json").status_code == 400
    assert client.patch(f"{URL}{pk}/", {"school": 1}, format="json").status_code == 400
    assert client.delete(f"{URL}{pk}/").status_code == 204
    assert not Memory.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="memory.deleted", target_id=str(pk)).exists()


def test_export_downloads_all_my_memories(client_for, teacher, mine, school):
    create_memory(actor=make_member(school, Role.TEACHER), school=school, content="not mine")
    response = client_for(teacher).get(f"{URL}export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="memories-')
    assert response["Cache-Control"] == "private, no-store"
    rows = response.json()
    assert sorted(row["content"] for row in rows) == sorted(m.content for m in mine.values())
    assert "search_vector" not in rows[0]


def test_maintenance_dry_run_changes_nothing_then_applies(client_for, teacher, school):
    from django.utils import timezone

    old = timezone.now() - timezone.timedelta(days=400)
    for n in range(2):
        memory = create_memory(
            actor=teacher, school=school, content=f"Old chat {n} about PACER", kind=MemoryKind.EPISODE
        )
        Memory.objects.filter(pk=memory.pk).update(created_at=old, last_accessed_at=old)
    client = client_for(teacher)
    response = client.post(f"{URL}maintenance/", {"dry_run": True}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["dry_run"] is True and body["school"] == school.pk
    assert set(body["reports"]) >= {"merge", "consolidate", "decay", "expire", "cap"}
    assert Memory.objects.filter(owner=teacher, kind=MemoryKind.EPISODE).count() == 2
    assert client.post(f"{URL}maintenance/", {"dry_run": "no"}, format="json").status_code == 400
    response = client.post(f"{URL}maintenance/", {"dry_run": False}, format="json")
    assert response.status_code == 200
    assert Memory.objects.filter(owner=teacher, kind=MemoryKind.EPISODE).count() == 0
    assert Memory.objects.filter(owner=teacher, kind=MemoryKind.SUMMARY).count() == 1


def test_maintenance_never_touches_others(client_for, teacher, school):
    from django.utils import timezone

    colleague = make_member(school, Role.TEACHER)
    memory = create_memory(actor=colleague, school=school, content="Colleague chat", kind=MemoryKind.EPISODE)
    old = timezone.now() - timezone.timedelta(days=400)
    Memory.objects.filter(pk=memory.pk).update(created_at=old, last_accessed_at=old)
    assert client_for(teacher).post(f"{URL}maintenance/", {"dry_run": False}, format="json").status_code == 200
    assert Memory.objects.filter(pk=memory.pk).exists()
