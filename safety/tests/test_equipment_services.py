"""Equipment services and selectors: checklists as data, inspections (coverage, outcome, status,
next due, notifications), maintenance (back in service, retirement), flags for session planning."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from accounts.services.errors import ServiceError
from physed.tests.factories import ActivityFactory, ClassSessionFactory, EquipmentTypeFactory, SessionBlockFactory
from safety.models import EquipmentItem, EquipmentStatus, Inspection, MaintenanceRecord
from safety.selectors import equipment as selectors
from safety.services import equipment as services
from safety.services import equipment_checklists as checklists
from safety.tests.factories import EquipmentItemFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _results(item, kind="formal", **overrides):
    checklist = services.checklist_for(item)
    return [
        {"check": check.key, "result": overrides.get(check.key, "pass"), "note": ""}
        for check in checklist.checks_for(kind)
    ]


@pytest.fixture
def goal(school):
    return EquipmentItemFactory(
        school=school,
        equipment_type=EquipmentTypeFactory(slug="soccer-goal", name="Soccer goal"),
        name="Portable goal",
        location="Field",
    )


# --- checklists as data ---------------------------------------------------------------------------


def test_checklists_map_physed_slugs_and_fall_back_to_generic():
    assert checklists.checklist_for_slug("soccer-goal").key == "goals_posts"
    assert checklists.checklist_for_slug("soccer-goal").formal_interval_days == 90
    assert checklists.checklist_for_slug("gym-mat").key == "mats"
    assert checklists.checklist_for_slug("balance-beam").key == "balance_beam"
    assert checklists.checklist_for_slug("climbing-wall").key == "climbing"
    assert checklists.checklist_for_slug("basketball-hoop").key == "basketball_hoops"
    assert checklists.checklist_for_slug("whistle").key == "generic"
    assert checklists.checklist_for_slug(None).key == "generic"
    goals = checklists.checklist_for_slug("soccer-goal")
    assert "anchored" in [check.key for check in goals.checks_for("pre_use")]
    assert len(goals.checks_for("formal")) > len(goals.checks_for("pre_use"))


def test_every_mapped_slug_exists_in_the_pe_library():
    import json
    from pathlib import Path

    library = {row["slug"] for row in json.loads(Path("physed/data/library/equipment.json").read_text())}
    _generic, by_slug = checklists.load_checklists()
    assert set(by_slug) - library == set()


def test_clean_results_refuses_missing_unknown_duplicate_and_bad_values():
    checklist = checklists.checklist_for_slug("hurdles")
    good = [{"check": c.key, "result": "pass"} for c in checklist.checks_for("pre_use")]
    assert [row["check"] for row in checklists.clean_results(checklist, "pre_use", good)] == ["tip", "bar", "height"]
    for bad in (
        good[:-1],  # missing
        [*good, {"check": "feet", "result": "pass"}],  # formal-only check on a pre-use list
        [*good, {"check": "nope", "result": "pass"}],
        [*good, good[0]],
        [{**good[0], "result": "maybe"}, *good[1:]],
        [],
        "pass",
    ):
        with pytest.raises(ServiceError):
            checklists.clean_results(checklist, "pre_use", bad)
    assert checklists.worst([{"result": "pass"}, {"result": "fail"}, {"result": "flag"}]) == "fail"
    assert checklists.worst([{"result": "pass"}, {"result": "flag"}]) == "flag"


# --- inventory ------------------------------------------------------------------------------------


def test_create_item_sets_first_due_and_audits(school, teacher):
    mat = EquipmentTypeFactory(slug="gym-mat", name="Gym mat")
    item = services.create_item(
        actor=teacher, school=school, equipment_type=mat, name=" Mats ", location="Gym", quantity=3
    )
    assert item.name == "Mats"
    assert item.next_inspection_due == TODAY + datetime.timedelta(days=180)
    assert AuditEvent.objects.filter(action="safety.equipment_created", target_id=str(item.pk)).count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"purchase_date": TODAY + DAY}, "purchase_date"),
        ({"expected_life_years": 0}, "expected_life_years"),
        ({"name": "  "}, "name"),
        ({"location": ""}, "location"),
        ({"asset_tag": "eq-1"}, "asset_tag"),
    ],
)
def test_create_item_bad_input_stores_nothing(school, teacher, values, field):
    EquipmentItemFactory(school=school, asset_tag="EQ-1")
    kind = EquipmentTypeFactory(slug="cones", name="Cones")
    before = EquipmentItem.objects.count()
    with pytest.raises(ServiceError) as error:
        services.create_item(
            actor=teacher, school=school, **{"equipment_type": kind, "name": "Cones", "location": "Shed", **values}
        )
    assert error.value.field == field
    assert EquipmentItem.objects.count() == before


def test_asset_tag_may_repeat_across_schools(school, other_school, teacher):
    EquipmentItemFactory(school=other_school, asset_tag="EQ-1")
    kind = EquipmentTypeFactory(slug="cones", name="Cones")
    item = services.create_item(
        actor=teacher, school=school, equipment_type=kind, name="Cones", location="Shed", asset_tag="EQ-1"
    )
    assert item.asset_tag == "EQ-1"


def test_permissions(school, assistant, teacher):
    item = EquipmentItemFactory(school=school)
    with pytest.raises(ServiceError) as error:
        services.update_item(actor=teacher, item=item, name="x")  # change is for leads
    assert error.value.status == 403
    with pytest.raises(ServiceError):
        services.record_maintenance(
            actor=assistant, item=item, kind="cleaning", performed_on=TODAY, description="Wiped"
        )
    with pytest.raises(ServiceError):
        services.record_maintenance(
            actor=teacher, item=item, kind="retirement", performed_on=TODAY, description="Worn out"
        )
    inspection = services.record_inspection(actor=assistant, item=item, kind="pre_use", all_pass=True)
    assert inspection.outcome == "pass"


def test_past_expected_life_and_end_of_life(school):
    item = EquipmentItemFactory(school=school, purchase_date=datetime.date(2015, 2, 28), expected_life_years=5)
    assert item.end_of_life == datetime.date(2020, 2, 28)
    assert item.past_expected_life
    young = EquipmentItemFactory(school=school, purchase_date=TODAY - DAY, expected_life_years=5)
    assert not young.past_expected_life
    ids = set(EquipmentItem.objects.filter(selectors.past_life_q()).values_list("pk", flat=True))
    assert item.pk in ids and young.pk not in ids


# --- inspections ----------------------------------------------------------------------------------


def test_formal_inspection_pass_sets_next_due(goal, teacher):
    inspection = services.record_inspection(
        actor=teacher, item=goal, kind="formal", inspected_on=TODAY - 10 * DAY, results=_results(goal)
    )
    goal.refresh_from_db()
    assert inspection.outcome == "pass"
    assert inspection.next_due == TODAY + 80 * DAY
    assert goal.next_inspection_due == TODAY + 80 * DAY
    assert goal.status == EquipmentStatus.IN_SERVICE
    assert len(inspection.results) == len(services.checklist_for(goal).checks)


def test_fail_puts_out_of_service_and_notifies_leads(goal, teacher, department_head, school_admin):
    inspection = services.record_inspection(
        actor=teacher, item=goal, kind="pre_use", results=_results(goal, "pre_use", anchored="fail", net="flag")
    )
    goal.refresh_from_db()
    assert inspection.outcome == "fail"
    assert inspection.next_due is None
    assert goal.status == EquipmentStatus.OUT_OF_SERVICE
    assert "Anchored or counterweighted" in goal.status_reason
    assert goal.status_reason.index("fail") < goal.status_reason.index("flag")  # worst first
    notified = Notification.objects.filter(kind="safety.equipment_flagged")
    assert {n.user_id for n in notified} == {department_head.pk, school_admin.pk}
    assert all(f"/safety/equipment/{goal.pk}/" == n.url for n in notified)


def test_flag_flags_but_never_lifts_out_of_service(goal, teacher):
    services.record_inspection(actor=teacher, item=goal, kind="pre_use", results=_results(goal, "pre_use", net="flag"))
    goal.refresh_from_db()
    assert goal.status == EquipmentStatus.FLAGGED
    assert "Net and hooks secure" in goal.status_reason
    services.record_inspection(
        actor=teacher, item=goal, kind="pre_use", results=_results(goal, "pre_use", frame="fail")
    )
    services.record_inspection(actor=teacher, item=goal, kind="pre_use", results=_results(goal, "pre_use", net="flag"))
    goal.refresh_from_db()
    assert goal.status == EquipmentStatus.OUT_OF_SERVICE
    services.record_inspection(actor=teacher, item=goal, kind="pre_use", all_pass=True)
    goal.refresh_from_db()
    assert goal.status == EquipmentStatus.OUT_OF_SERVICE  # a pass never changes the status


def test_inspection_bad_input_stores_nothing(goal, teacher):
    for kwargs in (
        {"kind": "pre_use", "inspected_on": TODAY + DAY, "all_pass": True},
        {"kind": "pre_use", "inspected_on": datetime.date(2000, 1, 1), "all_pass": True},  # before purchase
        {"kind": "weekly", "all_pass": True},
        {"kind": "formal", "results": _results(goal, "pre_use")},  # misses the formal-only checks
        {"kind": "pre_use", "all_pass": True, "results": _results(goal, "pre_use")},
    ):
        with pytest.raises(ServiceError):
            services.record_inspection(actor=teacher, item=goal, **kwargs)
    assert Inspection.objects.count() == 0
    goal.refresh_from_db()
    assert goal.status == EquipmentStatus.IN_SERVICE


# --- maintenance ----------------------------------------------------------------------------------


def test_repair_returns_to_service_unless_a_later_failure(goal, teacher):
    services.record_inspection(
        actor=teacher,
        item=goal,
        kind="pre_use",
        inspected_on=TODAY - 2 * DAY,
        results=_results(goal, "pre_use", anchored="fail"),
    )
    with pytest.raises(ServiceError) as error:
        services.record_maintenance(
            actor=teacher,
            item=goal,
            kind="repair",
            performed_on=TODAY - 3 * DAY,
            description="Earlier fix",
            returns_to_service=True,
        )
    assert error.value.field == "returns_to_service"
    assert MaintenanceRecord.objects.count() == 0
    assert services.unresolved_failure(goal) is not None
    record = services.record_maintenance(
        actor=teacher,
        item=goal,
        kind="repair",
        performed_on=TODAY - DAY,
        description="New sandbags fitted",
        cost="12.50",
        returns_to_service=True,
    )
    goal.refresh_from_db()
    assert record.cost == pytest.approx(12.5)
    assert goal.status == EquipmentStatus.IN_SERVICE and goal.status_reason == ""
    assert services.unresolved_failure(goal) is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"cost": "-1"}, "cost"),
        ({"cost": "abc"}, "cost"),
        ({"performed_on": TODAY + DAY}, "performed_on"),
        ({"description": " "}, "description"),
        ({"kind": "polish"}, "kind"),
    ],
)
def test_maintenance_bad_input_stores_nothing(goal, teacher, values, field):
    with pytest.raises(ServiceError) as error:
        services.record_maintenance(
            actor=teacher, item=goal, **{"kind": "service", "performed_on": TODAY, "description": "x", **values}
        )
    assert error.value.field == field
    assert MaintenanceRecord.objects.count() == 0


def test_retire_and_status_changes(goal, department_head):
    with pytest.raises(ServiceError):
        services.set_status(actor=department_head, item=goal, status="flagged", reason="")
    services.set_status(actor=department_head, item=goal, status="out_of_service", reason="Missing pegs")
    goal.refresh_from_db()
    assert goal.status == "out_of_service"
    services.set_status(actor=department_head, item=goal, status="in_service")
    services.retire_item(actor=department_head, item=goal, reason="Frame bent")
    goal.refresh_from_db()
    assert goal.status == EquipmentStatus.RETIRED and goal.status_reason == "Frame bent"
    assert goal.maintenance.get().kind == "retirement"
    with pytest.raises(ServiceError):
        services.record_inspection(actor=department_head, item=goal, kind="pre_use", all_pass=True)
    with pytest.raises(ServiceError):
        services.set_status(actor=department_head, item=goal, status="in_service")


def test_manual_in_service_refused_while_a_failure_is_unresolved(goal, teacher, department_head):
    services.record_inspection(
        actor=teacher, item=goal, kind="pre_use", results=_results(goal, "pre_use", frame="fail")
    )
    with pytest.raises(ServiceError):
        services.set_status(actor=department_head, item=goal, status="in_service")


# --- flags for session planning -------------------------------------------------------------------


def test_flags_for_session_name_the_activities(school, teacher):
    goal_type = EquipmentTypeFactory(slug="soccer-goal", name="Soccer goal")
    ball_type = EquipmentTypeFactory(slug="soccer-ball", name="Soccer ball")
    session = ClassSessionFactory(pe_class__school=school, date=TODAY + DAY)
    game = ActivityFactory(school=school, name="Small-sided soccer")
    game.equipment.set([goal_type, ball_type])
    SessionBlockFactory(session=session, activity=game, order=1)
    broken = EquipmentItemFactory(school=school, equipment_type=goal_type, name="Goal A")
    EquipmentItemFactory(school=school, equipment_type=goal_type, name="Goal B")  # fine
    overdue = EquipmentItemFactory(school=school, equipment_type=ball_type, name="Balls")
    EquipmentItem.objects.filter(pk=overdue.pk).update(next_inspection_due=TODAY - 5 * DAY)
    EquipmentItemFactory(school=school, equipment_type=ball_type, status="retired", name="Old balls")
    EquipmentItemFactory(equipment_type=goal_type, status="out_of_service", name="Elsewhere")  # other school
    services.record_inspection(
        actor=teacher, item=broken, kind="pre_use", results=_results(broken, "pre_use", anchored="fail")
    )
    flags = selectors.flags_for_session(session)
    assert [(flag.item.name, flag.status, flag.severity) for flag in flags] == [
        ("Goal A", "out_of_service", "danger"),
        ("Balls", "in_service", "warning"),
    ]
    assert flags[0].activities == ["Small-sided soccer"]
    assert flags[0].equipment_type == goal_type
    assert "Anchored" in flags[0].reason
    assert "overdue" in flags[1].reason and flags[1].due == TODAY - 5 * DAY
    assert selectors.flags_for_types(school, [ball_type.pk])[0].item.name == "Balls"
    assert selectors.flags_for_types(school, []) == []


def test_attention_summary(school, department_head):
    EquipmentItemFactory(school=school, status="flagged", status_reason="x")
    EquipmentItemFactory(school=school, status="out_of_service", status_reason="y")
    EquipmentItemFactory(school=school)
    EquipmentItemFactory(school=school, purchase_date=datetime.date(2000, 1, 1), expected_life_years=5)
    summary = selectors.attention_summary(school)
    assert (summary.flagged, summary.out_of_service, summary.past_life, summary.total) == (1, 1, 1, 3)
    assert summary.items[0].status == "out_of_service"
