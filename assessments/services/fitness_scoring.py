"""Classifies one fitness result against a standard set: age at test, estimated VO2max for the
aerobic tests, zone and a note saying how (docs/assessments-fitness.md). Reads only; the caller
saves."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from assessments.engines import aerobic, zones
from assessments.services.fitness_data import scoring_rules


@dataclass
class Scored:
    age: int | None
    zone: str = ""
    vo2max: Decimal | None = None
    note: str = ""


class BandCache:
    """Bands of one set, loaded once: {(measure, sex): [(age_from, age_to, Band)]}."""

    def __init__(self, standard_set):
        self.standard_set = standard_set
        self._rows: dict | None = None

    def bands(self, measure: str, sex: str, age: int) -> list[zones.Band]:
        if self.standard_set is None:
            return []
        if self._rows is None:
            self._rows = {}
            for band in self.standard_set.bands.all():
                self._rows.setdefault((band.measure, band.sex), []).append(
                    (band.age_from, band.age_to, zones.Band(band.zone, band.lower, band.upper))
                )
        return [
            band
            for age_from, age_to, band in self._rows.get((measure, sex), [])
            if age_from <= age and (age_to is None or age <= age_to)
        ]


def _student_bmi(result) -> Decimal | None:
    """BMI for the mile equation: from weight/height on the result, else the student's latest BMI
    result on or before the test date."""
    if result.weight_kg and result.height_cm:
        return aerobic.bmi(result.weight_kg, result.height_cm)
    from assessments.models import FitnessResult

    latest = (
        FitnessResult.objects.filter(student_id=result.student_id, test__code="bmi", event__date__lte=result.event.date)
        .order_by("-event__date", "-pk")
        .values_list("value", flat=True)
        .first()
    )
    return latest


def score(result, cache: BandCache) -> Scored:
    """``result`` has ``student``, ``test``, ``event`` and ``value`` (and the optional inputs)."""
    rules = scoring_rules()
    student, test = result.student, result.test
    age = zones.age_on(student.date_of_birth, result.event.date)
    scored = Scored(age=age)
    scoring = test.scoring or "direct"
    if scoring == "pass_fail":
        scored.zone = rules["pass_fail_zones"].get(str(int(result.value)), "")
        scored.note = _("Pass/fail test: pass is the Healthy Fitness Zone.")
        return scored
    if scoring == "pacer_15m":
        scored.note = _("Not classified: no published 15 m → 20 m PACER lap conversion is available to us.")
        return scored
    if age is None:
        scored.note = _("Not classified: the student's date of birth is not recorded.")
        return scored
    male = student.sex == "M"
    value = Decimal(str(result.value))
    if scoring == "pacer_20m":
        scored.vo2max = aerobic.pacer_20m_vo2max(value, age, max_age=rules["pacer_equation_max_age"])
        note = _("VO2max = 45.619 + 0.353 × laps − 1.121 × age (FitnessGram PACER equation, CDE).")
    elif scoring == "mile_run":
        if value > rules["mile_max_minutes_for_vo2"]:
            scored.zone = "NI"
            scored.note = _("Mile time over 13 minutes: Needs Improvement without a VO2max estimate (CDE rule).")
            return scored
        if student.sex not in ("M", "F"):
            scored.note = _("Not classified: sex for fitness standards is not specified.")
            return scored
        bmi = _student_bmi(result)
        if bmi is None:
            scored.note = _("Not classified: the mile-run equation needs BMI (weight and height or a BMI result).")
            return scored
        scored.vo2max = aerobic.cureton_mile_vo2max(value, age, male, bmi)
        note = _("VO2max by Cureton et al. (1995) with BMI %(bmi)s.") % {"bmi": bmi}
    elif scoring == "walk_test":
        if age < rules["walk_test_min_age"]:
            scored.note = _("Not classified: the walk test is scored from age 13 (FitnessGram).")
            return scored
        if student.sex not in ("M", "F"):
            scored.note = _("Not classified: sex for fitness standards is not specified.")
            return scored
        if not result.heart_rate or not result.weight_kg:
            scored.note = _("Not classified: the walk test needs the heart rate and the weight.")
            return scored
        scored.vo2max = aerobic.rockport_walk_vo2max(value, age, male, result.weight_kg, result.heart_rate)
        note = _("VO2max by the Rockport walk equation (Kline et al. 1987).")
    else:
        note = ""
    if student.sex not in ("M", "F"):
        scored.note = _(
            "No zone: sex for fitness standards is not specified (standards are published for girls and boys)."
        )
        return scored
    if not test.standard_measure or cache.standard_set is None:
        scored.note = _("No zone: no standard applies to this test.")
        return scored
    measured = scored.vo2max if scored.vo2max is not None else value
    band_age = age
    aerobic_measure = test.component == "aerobic"
    if aerobic_measure and age < rules["aerobic_min_standard_age"]:
        band_age = rules["aerobic_min_standard_age"]
        younger = _("Scored on the age-10 standard (CDE rule for younger students).")
        note = f"{note} {younger}".strip()
    bands = cache.bands(test.standard_measure, student.sex, band_age)
    if not bands:
        no_band = _("No zone: the standard set has no band for this age and sex.")
        scored.note = f"{note} {no_band}".strip()
        return scored
    scored.zone = zones.classify(measured, bands)
    scored.note = note
    return scored
