"""Result entry, classification, settings, progress mirroring, load_shipped."""

from decimal import Decimal

import pytest

from accounts.services.errors import ServiceError
from assessments.models import FitnessResult, FitnessTest, SchoolFitnessSettings, StandardBand, StandardSet
from assessments.selectors import fitness as selectors
from assessments.services import fitness as services
from assessments.services.fitness_data import load_shipped
from assessments.tests.factories_fitness import fitness_event
from physed.models import Sex
from physed.services.sessions_common import RowErrors
from physed.tests.factories import StudentFactory
from progress.models import ProgressEntry

pytestmark = pytest.mark.django_db


def test_load_shipped_is_idempotent():
    load_shipped()
    load_shipped()
    assert FitnessTest.objects.filter(school=None).count() == 15
    shipped = StandardSet.objects.get(school=None, code="fitnessgram-hfz")
    assert shipped.version == "CDE PFT Reference Guide, January 2020"
    assert shipped.bands.count() == 324
    plus = StandardBand.objects.get(standard_set=shipped, measure="curl_up", sex="F", age_from=18)
    assert plus.age_to is None and plus.lower == 18
    pacer = FitnessTest.objects.get(school=None, code="pacer_20m")
    assert (pacer.plausible_min, pacer.plausible_max) == (0, 250)


def test_pacer_result_is_classified_and_mirrored_into_progress(school, teacher):
    event, (girl, boy), tests = fitness_event(school, ages=[12, 12])
    summary = services.record_fitness_results(
        actor=teacher,
        event=event,
        entries=[
            {"student": girl, "test": tests["pacer_20m"], "value": "23"},
            {"student": boy, "test": tests["curl_up"], "value": 10},
        ],
    )
    assert summary == {"saved": 2, "removed": 0}
    pacer = FitnessResult.objects.get(student=girl)
    assert pacer.age_at_test == 12
    assert pacer.estimated_vo2max == Decimal("40.3")
    assert pacer.zone == "HFZ"
    assert pacer.standard_set.code == "fitnessgram-hfz"
    assert "45.619" in pacer.classification_note
    curl = FitnessResult.objects.get(student=boy)
    assert curl.zone == "NI"  # boys 12: HFZ ≥ 18
    entry = ProgressEntry.objects.get(source="fitness_result", source_id=str(pacer.pk))
    assert (entry.metric_key, entry.value, entry.zone, entry.group_key) == (
        "fitness.pacer_20m",
        Decimal("23"),
        "HFZ",
        f"test_event:{event.pk}",
    )


def test_out_of_range_value_is_refused_with_the_range_and_nothing_is_stored(school, teacher):
    event, (girl, boy), tests = fitness_event(school)
    with pytest.raises(RowErrors) as caught:
        services.record_fitness_results(
            actor=teacher,
            event=event,
            entries=[
                {"student": girl, "test": tests["curl_up"], "value": 20},
                {"student": boy, "test": tests["pacer_20m"], "value": 251},
            ],
        )
    assert caught.value.rows == {1: {"value": ["PACER (20 m) laps must be between 0 and 250."]}}
    assert FitnessResult.objects.count() == 0
    assert ProgressEntry.objects.count() == 0


def test_student_not_enrolled_and_test_not_in_event_are_refused(school, teacher):
    event, (girl, _boy), tests = fitness_event(school)
    stranger = StudentFactory(school=school)
    with pytest.raises(RowErrors) as caught:
        services.record_fitness_results(
            actor=teacher,
            event=event,
            entries=[
                {"student": stranger, "test": tests["curl_up"], "value": 20},
                {"student": girl, "test": tests["trunk_lift"], "value": 10},
            ],
        )
    assert caught.value.rows[0] == {"student": ["The student is not enrolled in this class."]}
    assert caught.value.rows[1] == {"test": ["This test is not part of the event."]}
    assert FitnessResult.objects.count() == 0


def test_mile_time_in_mm_ss_over_13_minutes_is_ni_without_vo2(school, teacher):
    event, (girl, boy), tests = fitness_event(school, ("mile_run",), ages=[14, 14])
    services.record_fitness_results(
        actor=teacher,
        event=event,
        entries=[
            {"student": girl, "test": tests["mile_run"], "value": "13:30"},
            {"student": boy, "test": tests["mile_run"], "value": "8:30", "weight_kg": Decimal("45"), "height_cm": 150},
        ],
    )
    slow = FitnessResult.objects.get(student=girl)
    assert slow.value == Decimal("13.50") and slow.zone == "NI" and slow.estimated_vo2max is None
    fast = FitnessResult.objects.get(student=boy)
    assert fast.estimated_vo2max == Decimal("48.2")  # BMI 20.0, see the engine test
    assert fast.zone == "HFZ"  # boys 14: HFZ ≥ 42.5


def test_mile_without_bmi_is_not_classified(school, teacher):
    event, (girl, _boy), tests = fitness_event(school, ("mile_run",), ages=[14, 14])
    services.record_fitness_results(
        actor=teacher, event=event, entries=[{"student": girl, "test": tests["mile_run"], "value": "9.5"}]
    )
    result = FitnessResult.objects.get()
    assert result.zone == "" and result.estimated_vo2max is None
    assert "needs BMI" in result.classification_note


def test_no_sex_no_zone_and_15m_pacer_not_classified(school, teacher):
    event, (girl, boy), tests = fitness_event(school, ("pacer_15m", "curl_up"))
    boy.sex = Sex.NOT_SPECIFIED
    boy.save()
    services.record_fitness_results(
        actor=teacher,
        event=event,
        entries=[
            {"student": girl, "test": tests["pacer_15m"], "value": 16},
            {"student": boy, "test": tests["curl_up"], "value": 40},
        ],
    )
    fifteen = FitnessResult.objects.get(student=girl)
    assert fifteen.zone == "" and "15 m" in fifteen.classification_note
    unspecified = FitnessResult.objects.get(student=boy)
    assert unspecified.zone == "" and "sex" in unspecified.classification_note


def test_younger_than_10_uses_the_age_10_aerobic_standard(school, teacher):
    event, (girl, _boy), tests = fitness_event(school, ("pacer_20m",), ages=[9, 9])
    services.record_fitness_results(
        actor=teacher, event=event, entries=[{"student": girl, "test": tests["pacer_20m"], "value": 10}]
    )
    result = FitnessResult.objects.get()
    # 45.619 + 3.53 − 10.089 = 39.06 → 39.1; girls 10 HFZ ≥ 40.2 → NI
    assert result.estimated_vo2max == Decimal("39.1")
    assert result.zone == "NI"
    assert "age-10" in result.classification_note


def test_body_composition_is_refused_until_the_school_turns_it_on(school, teacher, department_head):
    event, (girl, _boy), tests = fitness_event(school, ("curl_up",))
    event.tests.add(tests["bmi"])
    with pytest.raises(RowErrors):
        services.record_fitness_results(
            actor=teacher, event=event, entries=[{"student": girl, "test": tests["bmi"], "value": 20}]
        )
    assert FitnessResult.objects.count() == 0
    services.update_fitness_settings(actor=department_head, school=school, record_body_composition=True)
    services.record_fitness_results(
        actor=teacher, event=event, entries=[{"student": girl, "test": tests["bmi"], "value": "20.1"}]
    )
    assert FitnessResult.objects.get().zone == "HFZ"


def test_teacher_cannot_change_settings(school, teacher):
    with pytest.raises(ServiceError) as caught:
        services.update_fitness_settings(actor=teacher, school=school, record_body_composition=True)
    assert caught.value.status == 403
    assert not SchoolFitnessSettings.objects.filter(record_body_composition=True).exists()


def test_changing_the_standard_set_reclassifies(school, teacher, department_head):
    event, (girl, _boy), tests = fitness_event(school, ("curl_up",))
    services.record_fitness_results(
        actor=teacher, event=event, entries=[{"student": girl, "test": tests["curl_up"], "value": 20}]
    )
    assert FitnessResult.objects.get().zone == "HFZ"  # girls 12: HFZ ≥ 18
    strict = StandardSet.objects.create(
        school=school, code="strict", name="Strict", version="1", source="Our own", effective_from="2026-01-01"
    )
    StandardBand.objects.create(
        standard_set=strict, measure="curl_up", sex="F", age_from=12, age_to=12, zone="HFZ", lower=25, unit="count"
    )
    services.update_fitness_settings(actor=department_head, school=school, standard_set=strict)
    result = FitnessResult.objects.get()
    assert result.zone == "NI" and result.standard_set == strict
    assert ProgressEntry.objects.get(source_id=str(result.pk)).zone == "NI"


def test_blank_value_removes_the_result_and_its_progress_entry(school, teacher):
    event, (girl, _boy), tests = fitness_event(school, ("curl_up",))
    services.record_fitness_results(
        actor=teacher, event=event, entries=[{"student": girl, "test": tests["curl_up"], "value": 20}]
    )
    summary = services.record_fitness_results(
        actor=teacher, event=event, entries=[{"student": girl, "test": tests["curl_up"], "value": ""}]
    )
    assert summary == {"saved": 0, "removed": 1}
    assert FitnessResult.objects.count() == 0 and ProgressEntry.objects.count() == 0


def test_selectors_contract(school, teacher, member, guardian):
    from accounts.models import Role
    from physed.models import Guardianship

    event, (girl, boy), tests = fitness_event(school, ("curl_up", "bmi"))
    services.settings_for(school)
    SchoolFitnessSettings.objects.filter(school=school).update(record_body_composition=True)
    services.record_fitness_results(
        actor=teacher,
        event=event,
        entries=[
            {"student": girl, "test": tests["curl_up"], "value": 20},
            {"student": girl, "test": tests["bmi"], "value": 19},
        ],
    )
    assert [r.test.code for r in selectors.student_results(girl)] == ["curl_up", "bmi"]
    assert [r.test.code for r in selectors.student_results(girl, include_body_composition=False)] == ["curl_up"]
    assert set(selectors.latest_results_by_test(girl)) == {"curl_up", "bmi"}
    assert not selectors.can_see_body_composition(teacher, girl)
    own = member(school, Role.STUDENT, email="girl@northside.test")
    girl.user = own
    girl.save()
    assert selectors.can_see_body_composition(own, girl)
    other = member(school, Role.STUDENT, email="boy@northside.test")
    boy.user = other
    boy.save()
    assert not selectors.can_see_body_composition(other, girl)
    Guardianship.objects.create(student=girl, guardian=guardian, name="Parent", email="p@example.org")
    assert selectors.can_see_body_composition(guardian, girl)


def test_demo_is_idempotent_and_mid_year_is_not_worse(school):
    from assessments.demo_fitness import seed_school
    from assessments.models import TestEvent

    event, _students, _tests = fitness_event(school, count=4, ages=[11, 12, 13, 14])
    event.delete()
    assert seed_school(school, slug="northside") == 2
    assert seed_school(school, slug="northside") == 0
    assert TestEvent.objects.filter(pe_class__school=school).count() == 2
    fall = {(r.student_id, r.test.code): r.value for r in FitnessResult.objects.filter(event__name="Fall pre-test")}
    mid = {(r.student_id, r.test.code): r.value for r in FitnessResult.objects.filter(event__name="Mid-year")}
    assert len(fall) == len(mid) == 4 * 6
    assert all(mid[key] >= fall[key] for key in fall)
    assert ProgressEntry.objects.filter(metric_key="fitness.pacer_20m").count() == 8
    assert all(r.zone for r in FitnessResult.objects.filter(test__code="curl_up"))
