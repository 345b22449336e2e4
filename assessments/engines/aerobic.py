"""Aerobic-capacity (VO2max, ml/kg/min) estimates from school field tests. Pure functions.

Equations and their sources: ``../shared/data/aerobic-equations.md`` and docs/assessments-fitness.md.

* 20 m PACER (FitnessGram 10+, CDE VO2max calculator): ``45.619 + 0.353·laps − 1.121·age``,
  rounded to 0.1; "17+" is evaluated at 18 (``max_age``).
* One-mile run (Cureton et al. 1995, CDE guide p. 9):
  ``0.21·(age·G) − 0.84·BMI − 8.41·T + 0.34·T² + 108.94`` (G = 1 boys, 0 girls; T minutes).
  No estimate above 13 minutes (CDE: Needs Improvement).
* One-mile walk (Rockport, Kline et al. 1987; CDE guide p. 13; ages ≥ 13):
  ``132.853 + 6.315·G − 0.0769·W(lb) − 0.3877·age − 3.2649·T − 0.1565·HR``.
"""

from decimal import ROUND_HALF_UP, Decimal

KG_PER_LB = 0.45359237  # CDE guide/calculator unit conversion


def round1(value: float) -> Decimal:
    """Round half up to 0.1 like Excel's ROUND in the CDE calculator."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def pacer_20m_vo2max(laps: float, age: int, *, max_age: int = 18) -> Decimal:
    age = min(int(age), max_age)
    return round1(45.619 + 0.353 * float(laps) - 1.121 * age)


def mile_time_minutes(text: str) -> Decimal:
    """``"8:30"`` → 8.5; ``"8.5"`` → 8.5. Raises ValueError for anything else."""
    text = (text or "").strip()
    if ":" in text:
        minutes, _sep, seconds = text.partition(":")
        if not minutes.isdigit() or not seconds.isdigit() or len(seconds) != 2 or int(seconds) >= 60:
            raise ValueError(text)
        return (Decimal(minutes) + Decimal(seconds) / Decimal(60)).quantize(Decimal("0.01"))
    return Decimal(text)


def cureton_mile_vo2max(minutes: float, age: int, male: bool, bmi: float) -> Decimal:
    t = float(minutes)
    g = 1 if male else 0
    return round1(0.21 * (age * g) - 0.84 * float(bmi) - 8.41 * t + 0.34 * t * t + 108.94)


def rockport_walk_vo2max(minutes: float, age: int, male: bool, weight_kg: float, heart_rate: int) -> Decimal:
    weight_lb = float(weight_kg) / KG_PER_LB
    g = 1 if male else 0
    return round1(
        132.853 + 6.315 * g - 0.0769 * weight_lb - 0.3877 * age - 3.2649 * float(minutes) - 0.1565 * heart_rate
    )


def bmi(weight_kg: float, height_cm: float) -> Decimal:
    metres = float(height_cm) / 100
    return round1(float(weight_kg) / (metres * metres))
