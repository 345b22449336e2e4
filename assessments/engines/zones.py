"""Zone classification from standard bands, and age at test. Pure functions over plain values.

Rules (docs/assessments-fitness.md; ../shared/data/README.md):

* A band matches when ``lower ≤ value`` (if a lower bound is printed) and ``value ≤ upper`` (if an
  upper bound is printed). Values are rounded to the bands' precision (0.1) first.
* Bands are tried in the order NI-HR, VERY_LEAN, HFZ, NI: body-composition NI is printed only as
  "≥ x" and ends where NI-HR begins, so NI-HR must win.
* A test with only an HFZ band (muscular, trunk lift, sit-and-reach): below the HFZ is NI.
* Sit-and-reach: each side is classified on its own; ``both_sides`` combines two sides (HFZ only
  when both are HFZ).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

ORDER = ("NI-HR", "VERY_LEAN", "HFZ", "NI")


@dataclass(frozen=True)
class Band:
    zone: str
    lower: Decimal | None
    upper: Decimal | None


def age_on(date_of_birth: datetime.date | None, on: datetime.date) -> int | None:
    """Completed years on ``on``; None without a date of birth or for a date before it (a
    mistyped test date must not become a negative age)."""
    if date_of_birth is None or on < date_of_birth:
        return None
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def classify(value, bands: list[Band]) -> str:
    """The zone of ``value`` among ``bands`` (one measure, sex and age); "" when none applies."""
    if not bands:
        return ""
    value = Decimal(str(value)).quantize(Decimal("0.1"))
    by_zone = {band.zone: band for band in bands}
    for zone in ORDER:
        band = by_zone.get(zone)
        if band is None:
            continue
        if (band.lower is None or value >= band.lower) and (band.upper is None or value <= band.upper):
            return zone
    hfz = by_zone.get("HFZ")
    if hfz is not None and set(by_zone) == {"HFZ"} and hfz.lower is not None and value < hfz.lower:
        return "NI"
    return ""


def both_sides(left: str, right: str) -> str:
    """Sit-and-reach: HFZ only when both sides reach it; NI if either side is NI; else ""."""
    if left == "HFZ" and right == "HFZ":
        return "HFZ"
    if "NI" in (left, right):
        return "NI"
    return ""
