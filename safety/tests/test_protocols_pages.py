"""Protocol and procedure pages, the dashboard card, admin, demo data and the privacy registry."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, School, User
from accounts.privacy import registry
from accounts.tests.factories import make_member
from safety import demo_protocols
from safety.models import Drill, EmergencyProcedure, EmergencyStep, ProtocolSignOff, SafetyProtocol
from safety.selectors.protocols import overdue_drills, review_state
from safety.services.protocols import refresh_drill_dates
from safety.tests.factories_protocols import DrillFactory, EmergencyProcedureFactory, SafetyProtocolFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_protocol_list_filters_and_badges(client, school, other_school, teacher):
    SafetyProtocolFactory(school=school, title="Pool rules", last_reviewed_on=_today() - datetime.timedelta(days=400))
    SafetyProtocolFactory(school=school, title="Weights room", last_reviewed_on=_today())
    SafetyProtocolFactory(school=other_school, title="Elsewhere")
    client.force_login(teacher)
    html = client.get(reverse("safety-protocol-list")).content.decode()
    assert "Pool rules" in html and "Weights room" in html and "Elsewhere" not in html
    assert "Review overdue" in html and "Write a protocol" not in html  # teachers cannot add
    html = client.get(reverse("safety-protocol-list"), {"review_state": "overdue"}).content.decode()
    assert "Pool rules" in html and "Weights room" not in html
    html = client.get(reverse("safety-protocol-list"), {"search": "zzz"}).content.decode()
    assert "No protocol matches these filters." in html


def test_create_edit_and_sign_off_pages(client, school, department_head, teacher):
    client.force_login(department_head)
    response = client.post(
        reverse("safety-protocol-create"),
        {
            "title": "Climbing wall",
            "activity_category": "outdoor",
            "space": "gym",
            "checks": "Harness checked\n\nRopes inspected\n",
            "supervision_ratio": "6",
            "review_interval_days": "180",
            "owner": str(teacher.pk),
            "status": "active",
        },
    )
    protocol = SafetyProtocol.objects.get(title="Climbing wall")
    assert response.status_code == 302 and response.url == reverse("safety-protocol-detail", args=[protocol.pk])
    assert protocol.pre_activity_checks == ["Harness checked", "Ropes inspected"] and protocol.owner == teacher
    html = client.get(reverse("safety-protocol-detail", args=[protocol.pk])).content.decode()
    assert "Harness checked" in html and "At most 6 students per adult" in html

    response = client.post(
        reverse("safety-protocol-edit", args=[protocol.pk]),
        {**{"title": "Climbing wall", "checks": "Harness checked", "review_interval_days": "180", "status": "active"}},
    )
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.pre_activity_checks == ["Harness checked"] and protocol.owner is None

    url = reverse("safety-protocol-sign-off", args=[protocol.pk])
    assert "I have reviewed this protocol" in client.get(url).content.decode()
    assert client.post(url, {"note": "ok"}).status_code == 400  # confirmation required
    assert not ProtocolSignOff.objects.exists()
    assert client.post(url, {"note": "Ropes replaced", "confirm": "on"}).status_code == 302
    protocol.refresh_from_db()
    assert protocol.last_reviewed_on == _today() and review_state(protocol) == "ok"

    client.force_login(teacher)
    assert client.get(url).status_code == 403
    assert client.get(reverse("safety-protocol-edit", args=[protocol.pk])).status_code == 403
    assert client.get(reverse("safety-protocol-create")).status_code == 403


def test_bad_protocol_form_shows_errors_and_stores_nothing(client, department_head):
    client.force_login(department_head)
    response = client.post(
        reverse("safety-protocol-create"),
        {"title": "X", "checks": "a\nA", "review_interval_days": "365", "status": "active"},
    )
    assert response.status_code == 200 and "A check is repeated." in response.content.decode()
    assert not SafetyProtocol.objects.exists()


def test_delete_needs_confirmation(client, school, school_admin):
    protocol = SafetyProtocolFactory(school=school)
    client.force_login(school_admin)
    url = reverse("safety-protocol-delete", args=[protocol.pk])
    assert client.post(url, {}).status_code == 400 and SafetyProtocol.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not SafetyProtocol.objects.exists()


def test_procedure_pages_printable_and_drill_form(client, school, other_school, department_head, teacher):
    client.force_login(department_head)
    response = client.post(
        reverse("safety-procedure-create"),
        {
            "kind": "lockdown",
            "title": "Lockdown in the gym",
            "location": "Gym",
            "steps": "Teacher | Lock the doors\nKeep away from windows",
            "contacts": "Office | Front desk | 555-0100",
            "aed_locations": "Lobby",
            "drill_interval_days": "120",
            "is_active": "on",
        },
    )
    procedure = EmergencyProcedure.objects.get(title="Lockdown in the gym")
    assert response.status_code == 302
    assert [(s.role, s.instruction) for s in procedure.steps.all()] == [
        ("Teacher", "Lock the doors"),
        ("", "Keep away from windows"),
    ]
    assert procedure.contacts == [{"name": "Office", "role": "Front desk", "phone": "555-0100"}]
    response = client.post(
        reverse("safety-procedure-create"),
        {"kind": "fire", "title": "Bad", "steps": "Go", "contacts": "Office | 555-0100"},
    )
    assert "Name | Role | Phone" in response.content.decode()
    assert not EmergencyProcedure.objects.filter(title="Bad").exists()

    html = client.get(reverse("safety-procedure-detail", args=[procedure.pk])).content.decode()
    assert "Lock the doors" in html and "tel:555-0100" in html and "Drill due now" in html
    assert "safety-protocols.css" in html and "style=" not in html.split("<main")[1]

    client.force_login(teacher)
    url = reverse("safety-drill-create", args=[procedure.pk])
    assert str(teacher.get_full_name()) in client.get(url).content.decode()
    future = (_today() + datetime.timedelta(days=2)).isoformat()
    assert client.post(url, {"held_on": future, "participant_count": "10"}).status_code == 400
    assert not Drill.objects.exists()
    held = (_today() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"held_on": held, "participant_count": "10", "participants": [str(teacher.pk)]})
    assert response.status_code == 302
    drill = Drill.objects.get()
    assert list(drill.participants.all()) == [teacher]
    procedure.refresh_from_db()
    assert procedure.next_drill_due == _today() + datetime.timedelta(days=119)
    html = client.get(reverse("safety-procedure-list")).content.decode()
    assert "Lockdown in the gym" in html and "Drills up to date" in html
    foreign = EmergencyProcedureFactory(school=other_school)
    assert client.get(reverse("safety-procedure-detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("safety-procedure-edit", args=[procedure.pk])).status_code == 403


def test_dashboard_card_lists_overdue_drills(client, school, department_head, student):
    never = EmergencyProcedureFactory(school=school, title="Never drilled lockdown")
    late = EmergencyProcedureFactory(school=school, title="Late fire drill", drill_interval_days=30)
    DrillFactory(procedure=late, held_on=_today() - datetime.timedelta(days=33))
    refresh_drill_dates(late)
    client.force_login(department_head)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Emergency drills due or overdue" in html
    assert never.title in html and "never drilled" in html and "3 days overdue" in html
    client.force_login(student)
    assert "Emergency drills due or overdue" not in client.get(reverse("dashboard")).content.decode()


def test_admin_pages_load(client, school):
    protocol = SafetyProtocolFactory(school=school)
    procedure = EmergencyProcedureFactory(school=school)
    drill = DrillFactory(procedure=procedure)
    superuser = User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")
    client.force_login(superuser)
    for model, obj in ((SafetyProtocol, protocol), (EmergencyProcedure, procedure), (Drill, drill)):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:safety_{name}_changelist"), {"q": "a"}).status_code == 200
        assert client.get(reverse(f"admin:safety_{name}_add")).status_code == 200
        assert client.get(reverse(f"admin:safety_{name}_change", args=[obj.pk])).status_code == 200
    for model in (ProtocolSignOff, EmergencyStep):
        assert client.get(reverse(f"admin:safety_{model._meta.model_name}_changelist")).status_code == 200


def test_privacy_export_and_erase(school, department_head, teacher):
    protocol = SafetyProtocolFactory(school=school, owner=teacher)
    sign_off = ProtocolSignOff.objects.create(protocol=protocol, signed_by=teacher, signed_on=_today())
    drill = DrillFactory(procedure__school=school, recorded_by=department_head)
    drill.participants.set([teacher, department_head])
    entry = registry.entry_for("safety.Drill")
    rows = list(entry.export_rows(entry.queryset_for(teacher)))
    assert [row["id"] for row in rows] == [drill.pk] and sorted(rows[0]["participants"]) == sorted(
        [teacher.pk, department_head.pk]
    )
    assert entry.erase(entry.queryset_for(teacher), teacher) == (registry.ANONYMIZED, 1)
    assert list(drill.participants.all()) == [department_head]
    owner_entry = registry.entry_for("safety.SafetyProtocol")
    assert list(owner_entry.queryset_for(teacher)) == [protocol]
    assert registry.entry_for("safety.ProtocolSignOff").queryset_for(teacher).get() == sign_off


def test_demo_is_idempotent(school):
    school.slug = "demo-north"
    school.save()
    for local, role in (("head", Role.DEPARTMENT_HEAD), ("teacher", Role.TEACHER), ("assistant", Role.ASSISTANT)):
        make_member(school, role, email=f"{local}@demo-north.demo")
    context = {"schools": {"demo-north": School.objects.get(pk=school.pk)}}
    demo_protocols.seed(context)

    def snapshot():
        return (
            list(SafetyProtocol.objects.values_list("pk", "title", "review_due_on", "supervision_ratio")),
            list(EmergencyProcedure.objects.values_list("pk", "kind", "next_drill_due")),
            list(EmergencyStep.objects.values_list("pk", "order", "instruction")),
            list(Drill.objects.values_list("pk", "held_on")),
            ProtocolSignOff.objects.count(),
        )

    first = snapshot()
    demo_protocols.seed(context)
    assert snapshot() == first
    protocols = list(SafetyProtocol.objects.filter(school=school))
    assert 4 <= len(protocols) <= 6
    assert [p.title for p in protocols if review_state(p) == "overdue"] == ["Field games and striking activities"]
    kinds = set(EmergencyProcedure.objects.values_list("kind", flat=True))
    assert kinds == {"fire", "medical", "severe_weather", "lockdown", "heat_illness", "concussion"}
    assert [p.kind for p, _due in overdue_drills(school, _today())] == ["lockdown"]
    assert all(p.steps.count() >= 4 and p.contacts and p.aed_locations for p in EmergencyProcedure.objects.all())
    assert Drill.objects.filter(participants__isnull=False).exists()
