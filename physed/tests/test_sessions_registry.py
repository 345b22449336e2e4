"""Metric registry data, admin pages and the personal-data declarations of the sessions area."""

import json

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.privacy import registry
from physed.models import AttendanceRecord, ClassSession, FitnessComponent, MetricType, PerformanceResult, ValueKind
from physed.privacy_sessions import _erase_student_rows
from physed.services.metrics_data import METRICS_FILE, load_shipped_metrics
from physed.tests.factories_sessions import AttendanceRecordFactory, PerformanceResultFactory, SessionBlockFactory

pytestmark = pytest.mark.django_db
CODES = {
    "reps", "pacer_laps", "mile_time", "sprint_time", "agility_time", "distance", "push_ups", "curl_ups",
    "plank_hold", "sit_and_reach", "standing_long_jump", "heart_rate_avg", "heart_rate_max", "rpe",
    "skill_score", "score", "steps",
}  # fmt: skip


def test_metrics_file_is_complete_and_valid():
    data = json.loads(METRICS_FILE.read_text())
    assert "plausibility" in data["ranges"].lower()
    specs = {spec["code"]: spec for spec in data["metrics"]}
    assert set(specs) == CODES
    for spec in specs.values():
        assert spec["value_kind"] in ValueKind.values
        assert spec["fitness_component"] in ["", *FitnessComponent.values]
        assert spec["min_value"] < spec["max_value"] and 0 <= spec["decimal_places"] <= 2
        assert spec["description"]
    lower_better = {code for code, spec in specs.items() if not spec["higher_is_better"]}
    assert lower_better == {"mile_time", "sprint_time", "agility_time", "rpe"}


def test_loader_is_idempotent_and_updates_in_place():
    assert load_shipped_metrics() == 17
    pacer = MetricType.objects.get(code="pacer_laps", school__isnull=True)
    pacer.name = "changed"
    pacer.save()
    load_shipped_metrics()
    assert MetricType.objects.filter(school__isnull=True).count() == 17
    pacer.refresh_from_db()
    assert pacer.name == "PACER laps" and pacer.fitness_component == "aerobic"


@pytest.mark.parametrize("model", [ClassSession, AttendanceRecord, MetricType, PerformanceResult])
def test_admin_pages_load(client, school, model):
    from tests.registry import make_in_school

    SessionBlockFactory(session__pe_class__school=school)
    obj = make_in_school(model, school)
    client.force_login(User.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42"))
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "x"}).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200


def test_privacy_declarations(school, student, teacher):
    labels = {entry.label for entry in registry.entries()}
    assert {"physed.AttendanceRecord", "physed.PerformanceResult"} <= labels
    assert "physed.ClassSession" in registry.exclusions()
    mine = AttendanceRecordFactory(session__pe_class__school=school, student__user=student, recorded_by=teacher)
    result = PerformanceResultFactory(session=mine.session, student=mine.student, recorded_by=teacher)
    other = AttendanceRecordFactory(session=mine.session, recorded_by=teacher)
    entry = registry.entry_for("physed.AttendanceRecord")
    assert list(entry.queryset_for(student)) == [mine]
    exported = list(entry.export_rows(entry.queryset_for(student)))
    assert exported[0]["status"] == "present"
    # the teacher's erasure keeps the records but drops the recorder link
    action, count = _erase_student_rows(entry.queryset_for(teacher), teacher)
    assert (action, count) == (registry.DELETE, 0)
    other.refresh_from_db()
    assert other.recorded_by is None
    # the student's erasure deletes their own rows
    results_entry = registry.entry_for("physed.PerformanceResult")
    assert _erase_student_rows(results_entry.queryset_for(student), student) == (registry.DELETE, 1)
    assert _erase_student_rows(entry.queryset_for(student), student) == (registry.DELETE, 1)
    assert not AttendanceRecord.objects.filter(pk=mine.pk).exists()
    assert not PerformanceResult.objects.filter(pk=result.pk).exists()
    assert AttendanceRecord.objects.filter(pk=other.pk).exists()
