"""Equations and zone rules against the documented numbers (aerobic-equations.md, the CSV)."""

import datetime
from decimal import Decimal

import pytest

from assessments.engines import aerobic, zones
from assessments.services.fitness_data import DATA_DIR, parse_age, read_bands

BANDS = read_bands(DATA_DIR / "fitnessgram_hfz_2020.csv")


def bands_for(measure, sex, age):
    return [
        zones.Band(row["zone"], row["lower"], row["upper"])
        for row in BANDS
        if row["measure"] == measure
        and row["sex"] == sex
        and row["age_from"] <= age
        and (row["age_to"] is None or age <= row["age_to"])
    ]


def test_pacer_equation_for_a_12_year_old_girl_with_23_laps():
    # 45.619 + 0.353·23 − 1.121·12 = 40.286 → 40.3; girls 12: HFZ ≥ 40.1, NI 37.1–40.0
    vo2 = aerobic.pacer_20m_vo2max(23, 12)
    assert vo2 == Decimal("40.3")
    assert zones.classify(vo2, bands_for("aerobic_capacity_vo2max", "F", 12)) == "HFZ"
    fewer = aerobic.pacer_20m_vo2max(22, 12)
    assert fewer == Decimal("39.9")
    assert zones.classify(fewer, bands_for("aerobic_capacity_vo2max", "F", 12)) == "NI"


def test_pacer_age_is_capped_at_18():
    assert aerobic.pacer_20m_vo2max(50, 25) == aerobic.pacer_20m_vo2max(50, 18) == Decimal("43.1")


def test_minimum_laps_table_matches_the_pacer_equation_at_every_row():
    """aerobic-equations.md §1 check: at each CSV minimum-laps row the equation reaches the VO2
    HFZ cut and one lap fewer does not (17+ evaluated at 18)."""
    checked = 0
    for row in BANDS:
        if row["measure"] != "pacer_20m_laps":
            continue
        hfz = next(
            band for band in bands_for("aerobic_capacity_vo2max", row["sex"], row["age_from"]) if band.zone == "HFZ"
        )
        laps = int(row["lower"])
        assert aerobic.pacer_20m_vo2max(laps, row["age_from"]) >= hfz.lower, row
        assert aerobic.pacer_20m_vo2max(laps - 1, row["age_from"]) < hfz.lower, row
        checked += 1
    assert checked == 18  # 9 ages × 2 sexes


def test_cureton_mile_equation_by_hand():
    # boy 14, BMI 20, 8:30 → 0.21·14 − 16.8 − 71.485 + 24.565 + 108.94 = 48.16 → 48.2
    assert aerobic.mile_time_minutes("8:30") == Decimal("8.50")
    assert aerobic.cureton_mile_vo2max(Decimal("8.5"), 14, True, 20) == Decimal("48.2")
    # girl: the age term drops out → 45.22 → 45.2
    assert aerobic.cureton_mile_vo2max(Decimal("8.5"), 14, False, 20) == Decimal("45.2")


@pytest.mark.parametrize("text", ["8:3", "8:75", "abc", "8:-1"])
def test_bad_mile_times_are_refused(text):
    with pytest.raises((ValueError, ArithmeticError)):
        aerobic.mile_time_minutes(text)


def test_rockport_walk_equation_by_hand():
    # girl 15, 50 kg (110.231 lb), 15 min, HR 120:
    # 132.853 − 8.4768 − 5.8155 − 48.9735 − 18.78 = 50.807 → 50.8
    assert aerobic.rockport_walk_vo2max(15, 15, False, 50, 120) == Decimal("50.8")


def test_bmi():
    assert aerobic.bmi(45, 150) == Decimal("20.0")


def test_body_composition_tests_ni_hr_first():
    boys_10 = bands_for("bmi", "M", 10)  # VL ≤14.4, HFZ 14.5–19.7, NI ≥19.8, NI-HR ≥22.7
    assert zones.classify(Decimal("14.0"), boys_10) == "VERY_LEAN"
    assert zones.classify(Decimal("18"), boys_10) == "HFZ"
    assert zones.classify(Decimal("19.8"), boys_10) == "NI"
    assert zones.classify(Decimal("22.7"), boys_10) == "NI-HR"
    assert zones.classify(Decimal("30"), boys_10) == "NI-HR"


def test_muscular_below_hfz_is_ni_and_trunk_lift_is_a_range():
    assert zones.classify(11, bands_for("curl_up", "M", 10)) == "NI"
    assert zones.classify(12, bands_for("curl_up", "M", 10)) == "HFZ"
    trunk = bands_for("trunk_lift", "M", 10)
    assert zones.classify(8, trunk) == "NI"
    assert zones.classify(9, trunk) == "HFZ"
    assert zones.classify(12, trunk) == "HFZ"


def test_sit_and_reach_needs_both_sides():
    assert zones.both_sides("HFZ", "HFZ") == "HFZ"
    assert zones.both_sides("HFZ", "NI") == "NI"
    assert zones.both_sides("HFZ", "") == ""


def test_age_on_the_test_date_and_17_plus():
    assert zones.age_on(datetime.date(2014, 10, 6), datetime.date(2026, 10, 5)) == 11
    assert zones.age_on(datetime.date(2014, 10, 5), datetime.date(2026, 10, 5)) == 12
    assert zones.age_on(None, datetime.date(2026, 10, 5)) is None
    assert parse_age("17+") == (18, None)
    assert parse_age("13") == (13, 13)
    assert len(bands_for("curl_up", "F", 19)) == 1
