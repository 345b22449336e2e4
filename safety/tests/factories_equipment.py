"""Factories: equipment (registered with tests.registry for the walkers)."""

import datetime

import factory

from physed.tests.factories_library import EquipmentTypeFactory
from safety.models import (
    CheckResult,
    EquipmentItem,
    EquipmentStatus,
    Inspection,
    InspectionKind,
    MaintenanceKind,
    MaintenanceRecord,
)
from tests.registry import register_scoped_factory

__all__ = ["EquipmentItemFactory", "InspectionFactory", "MaintenanceRecordFactory"]


class EquipmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentItem

    school = factory.SubFactory("accounts.tests.factories.SchoolFactory")
    equipment_type = factory.SubFactory(EquipmentTypeFactory, slug="gym-mat", name="Gym mat")
    name = factory.Sequence(lambda n: f"Folding mat {n}")
    asset_tag = factory.Sequence(lambda n: f"EQ-{n:04d}")
    location = "Gym store"
    quantity = 4
    purchase_date = datetime.date(2022, 8, 15)
    expected_life_years = 8
    status = EquipmentStatus.IN_SERVICE


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    item = factory.SubFactory(EquipmentItemFactory)
    kind = InspectionKind.PRE_USE
    inspected_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    results = factory.LazyFunction(lambda: [{"check": "cover", "result": "pass", "note": ""}])
    outcome = CheckResult.PASS


class MaintenanceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaintenanceRecord

    item = factory.SubFactory(EquipmentItemFactory)
    performed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    kind = MaintenanceKind.CLEANING
    description = "Wiped and disinfected."


register_scoped_factory(EquipmentItem, lambda school: EquipmentItemFactory(school=school))
register_scoped_factory(Inspection, lambda school: InspectionFactory(item__school=school))
register_scoped_factory(MaintenanceRecord, lambda school: MaintenanceRecordFactory(item__school=school))
