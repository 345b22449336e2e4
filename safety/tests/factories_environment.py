"""Factories: environment (registered with tests.registry for the walkers)."""

from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import SchoolFactory
from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings
from tests.registry import register_scoped_factory

__all__ = ["EnvironmentReadingFactory", "EnvironmentRuleSetFactory", "SafetySettingsFactory", "heat_rules"]


def heat_rules() -> dict:
    """A small heat-index rule set (Lewisville-like, with its gap at 89)."""
    return {
        "heat_index_f": {
            "precision": 0,
            "source": "Test district",
            "bands": [
                {"min": None, "max": 88, "decision": "go", "label": "under 89", "actions": []},
                {"min": 90, "max": 98, "decision": "modify", "label": "90-98", "actions": ["Water breaks"]},
                {"min": 99, "max": None, "decision": "indoors", "label": "99+", "actions": ["Go indoors"]},
            ],
        },
        "lightning": {
            "bands": [{"min": 1, "max": 1, "decision": "stop", "label": "lightning", "actions": ["Shelter indoors"]}]
        },
    }


class EnvironmentRuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnvironmentRuleSet

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"rules-{n}")
    name = factory.Sequence(lambda n: f"Heat rules {n}")
    rules = factory.LazyFunction(heat_rules)
    sources = factory.LazyFunction(lambda: [{"title": "Test district", "url": "https://example.org"}])


class EnvironmentReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnvironmentReading

    school = factory.SubFactory(SchoolFactory)
    recorded_at = factory.LazyFunction(timezone.now)
    space = "field"
    temperature_c = Decimal("25.0")
    relative_humidity = Decimal("50.0")


class SafetySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetySettings
        django_get_or_create = ("school",)

    school = factory.SubFactory(SchoolFactory)


register_scoped_factory(EnvironmentRuleSet, lambda school: EnvironmentRuleSetFactory(school=school))
register_scoped_factory(EnvironmentReading, lambda school: EnvironmentReadingFactory(school=school))
register_scoped_factory(SafetySettings, lambda school: SafetySettingsFactory(school=school))
