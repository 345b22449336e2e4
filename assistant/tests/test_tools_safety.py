"""heat_guidance and safety_status against the shipped rule sets (data with sources)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from assistant.tests.factories import tools_world
from assistant.tools.base import ToolContext, run_tool
from safety.models import EnvironmentRuleSet
from safety.services.environment_data import load_shipped_rule_sets
from safety.tests.factories_environment import EnvironmentReadingFactory, SafetySettingsFactory
from safety.tests.factories_medical import MedicalConditionFactory, MedicalProfileFactory

TODAY = datetime.date(2026, 10, 20)


@pytest.fixture
def lewisville(school):
    load_shipped_rule_sets()
    rule_set = EnvironmentRuleSet.objects.get(school=None, code="lewisville-isd")
    SafetySettingsFactory(school=school, rule_set=rule_set)
    return rule_set


@pytest.fixture
def ctx(school, teacher):
    return ToolContext(user=teacher, school=school, today=TODAY)


@pytest.mark.django_db
def test_95_f_without_humidity(ctx, lewisville):
    result = run_tool(ctx, "heat_guidance", {"temperature": 95})
    assert result.ok, result.message
    assert result.data["humidity_assumed"] is True and result.data["humidity"] == 50
    assert result.data["decision"] == "indoors"  # heat index at 50 % ≈ 105 °F
    assert result.data["category"] == "Heat index: HI 104 °F and above: indoors for all"
    assert result.data["actions"] == ["Indoor recess / PE for all"]
    assert [(s["humidity"], s["decision"]) for s in result.data["scenarios"]] == [
        (30, "modify"),
        (50, "indoors"),
        (70, "indoors"),
    ]
    assert result.sentences[0] == (
        "At 95 °F (35 °C) the Lewisville ISD recess heat index + wind chill rules put you in "
        "“Heat index: HI 104 °F and above: indoors for all”: indoors."
    )
    assert "What to do: Indoor recess / PE for all." in result.sentences
    expected = "from 30% to 70% it ranges from “HI 90-98 °F: monitor conditions” (modify)"
    assert any(expected in sentence for sentence in result.sentences)
    assert result.sentences[-1] == "Source: Lewisville ISD: recess guidelines."
    urls = [c.url for c in result.citations]
    assert reverse("safety-environment-rule-set", args=[lewisville.pk]) in urls
    assert "https://www.lisd.net/Page/18568" in urls


@pytest.mark.django_db
def test_95_f_with_a_wbgt_rule_set_estimates_the_wbgt(ctx, school):
    load_shipped_rule_sets()
    SafetySettingsFactory(school=school, rule_set=EnvironmentRuleSet.objects.get(school=None, code="ghsa-wbgt"))
    result = run_tool(ctx, "heat_guidance", {"temperature": 95, "humidity": 30})
    assert result.data["wbgt_estimated"] is True
    assert result.data["decision"] == "modify"  # estimated WBGT 86.7 °F
    assert result.data["category"].endswith("82.0-86.9 °F: use discretion")
    assert "At least 3 separate rest breaks per hour, each at least 4 minutes" in result.data["actions"]
    assert any("estimated" in sentence for sentence in result.sentences)


@pytest.mark.django_db
def test_35_c_with_humidity_moves_indoors(ctx, lewisville):
    result = run_tool(ctx, "heat_guidance", {"temperature": 35, "unit": "C", "humidity": 60})
    assert result.data["temperature_f"] == 95.0
    assert result.data["humidity_assumed"] is False
    assert result.data["decision"] == "indoors"  # heat index ≈ 114 °F
    assert result.data["actions"] == ["Indoor recess / PE for all"]


@pytest.mark.django_db
def test_with_a_class_counts_what_it_needs(ctx, school, teacher, lewisville):
    world = tools_world(school, teacher)
    MedicalConditionFactory(profile=MedicalProfileFactory(student=world.maya))
    result = run_tool(ctx, "heat_guidance", {"temperature": 95, "class_name": "Grade 5 Blue"})
    assert result.data["class_needs"]["students"] == 1
    assert list(result.data["class_needs"]["conditions"].values()) == [1]
    joined = " ".join(result.sentences)
    assert "Confidential" not in joined and "Maya" not in joined
    assert reverse("safety-class-needs", args=[world.blue.pk]) in [c.url for c in result.citations]


@pytest.mark.django_db
def test_heat_guidance_in_spanish_and_bad_humidity(ctx, lewisville):
    with translation.override("es"):
        result = run_tool(ctx, "heat_guidance", {"temperature": 95})
    assert result.ok and result.data["decision"] == "indoors"
    assert result.sentences[0] != run_tool(ctx, "heat_guidance", {"temperature": 95}).sentences[0]
    bad = run_tool(ctx, "heat_guidance", {"temperature": 95, "humidity": 140})
    assert not bad.ok
    wrong_type = run_tool(ctx, "heat_guidance", {"temperature": "hot"})
    assert not wrong_type.ok and wrong_type.message == "argument temperature must be number"


@pytest.mark.django_db
def test_no_rule_set_is_not_ok(ctx):
    result = run_tool(ctx, "heat_guidance", {"temperature": 95})
    assert not result.ok and "rule set" in result.message


@pytest.mark.django_db
def test_safety_status_from_the_latest_reading(ctx, school, lewisville):
    from decimal import Decimal

    EnvironmentReadingFactory(school=school, temperature_c=Decimal("35.0"), relative_humidity=Decimal("60.0"))
    result = run_tool(ctx, "safety_status", {})
    assert result.ok, result.message
    assert result.data["decision"] == "indoors"
    assert result.data["stale"] is False
    assert result.sentences[0] == "Current status: indoors."
    assert result.citations[0].url == reverse("safety-environment")
