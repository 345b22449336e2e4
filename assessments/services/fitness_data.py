"""Loads the shipped fitness tests and standard sets from ``assessments/data`` (idempotent upsert).

``fitness_tests.json`` lists the tests, the CDE scoring rules and the standard sets; each set's
bands come from its CSV (``boys`` → M, ``girls`` → F, age ``17+`` → 18 and older; one band per row).
"""

import csv
import datetime
import functools
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TESTS_FILE = DATA_DIR / "fitness_tests.json"
SHIPPED_SET_CODE = "fitnessgram-hfz"
SEX_CODES = {"boys": "M", "girls": "F", "m": "M", "f": "F", "male": "M", "female": "F"}


@functools.cache
def shipped_data() -> dict:
    return json.loads(TESTS_FILE.read_text(encoding="utf-8"))


def scoring_rules() -> dict:
    return shipped_data()["scoring_rules"]


def parse_age(text: str) -> tuple[int, int | None]:
    """``"12"`` → (12, 12); ``"17+"`` → (18, None): "17+" in the CDE tables means older than the
    17-year-old row, evaluated at 18 like CDE's calculator."""
    text = str(text).strip()
    if text.endswith("+"):
        return int(text[:-1]) + 1, None
    age = int(text)
    return age, age


def _decimal(text):
    text = (text or "").strip()
    return Decimal(text) if text else None


def read_bands(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            age_from, age_to = parse_age(row["age"])
            rows.append(
                {
                    "measure": row["test"].strip(),
                    "sex": SEX_CODES[row["sex"].strip().lower()],
                    "age_from": age_from,
                    "age_to": age_to,
                    "zone": row["zone"].strip(),
                    "lower": _decimal(row["lower"]),
                    "upper": _decimal(row["upper"]),
                    "unit": row["unit"].strip(),
                    "source_note": row["source"].split(";")[0].strip()[-300:],
                }
            )
    return rows


@transaction.atomic
def load_shipped() -> None:
    """Idempotent upsert of the shipped tests and standard sets."""
    from assessments.models import FitnessTest, StandardBand, StandardSet

    data = shipped_data()
    for position, spec in enumerate(data["tests"]):
        fields = {key: value for key, value in spec.items() if key != "code"}
        fields.setdefault("description", "")
        fields.setdefault("is_body_composition", False)
        fields["position"] = position * 10
        FitnessTest.objects.update_or_create(school=None, code=spec["code"], defaults=fields)
    for spec in data["standard_sets"]:
        standard_set, _created = StandardSet.objects.update_or_create(
            school=None,
            code=spec["code"],
            version=spec["version"],
            defaults={
                "name": spec["name"],
                "source": spec["source"],
                "notes": spec.get("notes", ""),
                "effective_from": datetime.date.fromisoformat(spec["effective_from"]),
                "effective_to": datetime.date.fromisoformat(spec["effective_to"]) if spec.get("effective_to") else None,
            },
        )
        keep = []
        for row in read_bands(DATA_DIR / spec["file"]):
            key = {k: row[k] for k in ("measure", "sex", "age_from", "zone")}
            band, _created = StandardBand.objects.update_or_create(
                standard_set=standard_set, **key, defaults={k: v for k, v in row.items() if k not in key}
            )
            keep.append(band.pk)
        StandardBand.objects.filter(standard_set=standard_set).exclude(pk__in=keep).delete()


def shipped_set():
    from assessments.models import StandardSet

    spec = shipped_data()["standard_sets"][0]
    return StandardSet.objects.filter(school=None, code=spec["code"], version=spec["version"]).first()
