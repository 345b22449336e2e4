"""Environment pages (status + reading form, history with chart, rule sets, copy/edit/choose/
delete, settings) and the admin pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings
from safety.services.environment_data import load_shipped_rule_sets
from safety.tests.factories import EnvironmentReadingFactory, EnvironmentRuleSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(db):
    load_shipped_rule_sets()
    return {r.code: r for r in EnvironmentRuleSet.objects.filter(school=None)}


def test_status_page_shows_decision_actions_and_reasons(client, teacher, school, shipped):
    SafetySettings.objects.create(school=school, rule_set=shipped["lewisville-isd"])
    EnvironmentReadingFactory(school=school, temperature_c=Decimal("33"), heat_index_c=Decimal("37.8"))  # 100 °F
    client.force_login(teacher)
    response = client.get(reverse("safety-environment"), {"space": "field"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Go with modifications" in text
    assert "Limit outdoor activity to 20 minutes" in text
    assert "HI 99-103 °F: limit to 20 minutes" in text
    assert 'style="' not in text and "<script>" not in text


def test_teacher_posts_a_reading_in_fahrenheit(client, teacher, school, shipped):
    client.force_login(teacher)
    response = client.post(
        reverse("safety-environment"),
        {"space": "field", "temperature": "90", "temperature_unit": "F", "relative_humidity": "60", "wind_unit": "kmh"},
    )
    assert response.status_code == 302
    reading = EnvironmentReading.objects.get()
    assert reading.temperature_c == Decimal("32.2") and reading.heat_index_c == Decimal("37.6")


def test_bad_reading_on_the_page_shows_the_error_and_stores_nothing(client, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("safety-environment"),
        {"space": "field", "temperature": "70", "temperature_unit": "C", "wind_unit": "kmh", "relative_humidity": "50"},
    )
    assert response.status_code == 200
    assert "outside the physical range" in response.content.decode()
    assert not EnvironmentReading.objects.exists()


def test_student_cannot_see_the_status_page(client, student):
    client.force_login(student)
    assert client.get(reverse("safety-environment")).status_code == 403


def test_readings_history_has_table_and_chart(client, teacher, school):
    reading = EnvironmentReadingFactory(school=school, heat_index_c=Decimal("30"))
    client.force_login(teacher)
    response = client.get(reverse("safety-environment-readings"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text and str(reading.temperature_c) in text
    empty = client.get(reverse("safety-environment-readings"), {"day": "2001-01-01"})
    assert "No readings on this day." in empty.content.decode()


def test_rule_set_pages_copy_edit_choose_delete(client, department_head, school_admin, school, shipped):
    ghsa = shipped["ghsa-wbgt"]
    client.force_login(department_head)
    listing = client.get(reverse("safety-environment-rule-sets"), {"q": "GHSA"}).content.decode()
    assert "GHSA WBGT practice policy" in listing and "Terrell" not in listing
    detail = client.get(reverse("safety-environment-rule-set", args=[ghsa.pk])).content.decode()
    assert "Over 92.0 °F: no outdoor workouts" in detail and "ghsa.net" in detail and "Caveats" in detail
    assert client.get(reverse("safety-environment-rule-set-edit", args=[ghsa.pk])).status_code == 403
    copied = client.post(reverse("safety-environment-rule-set-copy", args=[ghsa.pk]))
    copy = EnvironmentRuleSet.objects.get(school=school)
    assert copied.url == reverse("safety-environment-rule-set-edit", args=[copy.pk]) and copy.based_on == ghsa
    edit = client.get(copied.url)
    assert edit.status_code == 200
    bad = client.post(copied.url, {"name": "Ours", "rules": '{"wbgt_f": []}', "sources": "[]", "caveats": ""})
    assert bad.status_code == 200 and "at least one band" in bad.content.decode()
    good = client.post(
        copied.url,
        {
            "name": "Ours",
            "rules": '{"aqi": [{"min": 0, "max": 100, "decision": "go", "label": "fine"}]}',
            "caveats": "x",
        },
    )
    assert good.status_code == 302
    copy.refresh_from_db()
    assert copy.name == "Ours" and copy.caveats == ["x"] and copy.rules["aqi"][0]["label"] == "fine"
    client.post(reverse("safety-environment-rule-set-choose", args=[copy.pk]))
    assert SafetySettings.objects.get(school=school).rule_set == copy
    assert client.get(reverse("safety-environment-rule-set-delete", args=[copy.pk])).status_code == 403
    client.force_login(school_admin)
    assert "Delete" in client.get(reverse("safety-environment-rule-set-delete", args=[copy.pk])).content.decode()
    client.post(reverse("safety-environment-rule-set-delete", args=[copy.pk]))
    assert not EnvironmentRuleSet.objects.filter(pk=copy.pk).exists()
    assert SafetySettings.objects.get(school=school).rule_set is None


def test_other_schools_rule_set_is_404(client, department_head, other_school):
    foreign = EnvironmentRuleSetFactory(school=other_school)
    client.force_login(department_head)
    assert client.get(reverse("safety-environment-rule-set", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("safety-environment-rule-set-copy", args=[foreign.pk])).status_code == 404


def test_settings_page(client, department_head, teacher, school, shipped):
    client.force_login(teacher)
    assert client.get(reverse("safety-environment-settings")).status_code == 403
    client.force_login(department_head)
    assert client.get(reverse("safety-environment-settings")).status_code == 200
    response = client.post(
        reverse("safety-environment-settings"),
        {"rule_set": shipped["terrell-isd"].pk, "reading_max_age_minutes": 90, "default_supervision_ratio": 25},
    )
    assert response.status_code == 302
    row = SafetySettings.objects.get(school=school)
    assert (row.rule_set.code, row.reading_max_age_minutes, row.default_supervision_ratio) == ("terrell-isd", 90, 25)


@pytest.mark.parametrize("model", ["environmentruleset", "environmentreading", "safetysettings"])
def test_admin_pages_load(admin_client, model, school, shipped):
    EnvironmentReadingFactory(school=school)
    SafetySettings.objects.create(school=school)
    assert admin_client.get(reverse(f"admin:safety_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:safety_{model}_add")).status_code == 200
