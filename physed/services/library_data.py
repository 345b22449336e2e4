"""Loads the shipped library (``physed/data/library/*.json`` and ``physed/data/shape_america_2024.json``)
into rows with ``school = NULL``.

Why a loader and not fixtures: the files are written by people, so every row is validated against
the model choices and the slugs it names before anything is written, and a bad row fails loudly
with its file and slug. Loading is idempotent (update_or_create by slug/code, many-to-many sets
replaced), so it runs after every ``migrate`` and from ``manage.py load_library``. Rows that
disappear from a file are left alone: sessions may still point at them (PROTECT).
"""

import json
from pathlib import Path

from django.core.validators import validate_slug
from django.db import transaction

from physed.models import (
    ACTIVITY_CONTENT_FIELDS,
    ACTIVITY_RELATION_FIELDS,
    EXERCISE_CONTENT_FIELDS,
    EXERCISE_RELATION_FIELDS,
    Activity,
    ActivityCategory,
    ContactLevel,
    EquipmentType,
    Exercise,
    ExerciseCategory,
    FitnessComponent,
    GradeBand,
    GradeSpanIndicator,
    Intensity,
    MuscleGroup,
    PEStandard,
    RiskLevel,
    Space,
)
from physed.services.library_rules import MODIFICATION_KINDS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

ACTIVITY_OPTIONAL = {"indicators"}
ACTIVITY_KEYS = {"slug", *ACTIVITY_CONTENT_FIELDS, *ACTIVITY_RELATION_FIELDS} - ACTIVITY_OPTIONAL
EXERCISE_KEYS = {"slug", *EXERCISE_CONTENT_FIELDS, *EXERCISE_RELATION_FIELDS}


class LibraryDataError(ValueError):
    """A shipped data file breaks its schema; the message names the file and the row."""


class _Checker:
    """Collects the problems of one file so the error lists all of them, not just the first."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def add(self, key, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def raise_if_any(self) -> None:
        if self.problems:
            listed = "\n  ".join(self.problems[:50])
            raise LibraryDataError(f"{self.path.name}: {len(self.problems)} problem(s):\n  {listed}")


def _read(path: Path, kind: type):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LibraryDataError(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(data, kind):
        raise LibraryDataError(f"{path.name}: expected a JSON {kind.__name__}")
    return data


def _rows(path: Path, check: _Checker, *, required: set, optional: set = frozenset()) -> list[dict]:
    data = _read(path, list)
    seen: set[str] = set()
    rows = []
    for index, row in enumerate(data):
        if not isinstance(row, dict):
            check.add(f"row {index}", "not an object")
            continue
        key = row.get("slug") if isinstance(row.get("slug"), str) else f"row {index}"
        missing = sorted(required - set(row))
        unknown = sorted(set(row) - required - optional)
        if missing:
            check.add(key, f"missing {', '.join(missing)}")
        if unknown:
            check.add(key, f"unknown keys {', '.join(unknown)}")
        slug = row.get("slug")
        try:
            validate_slug(slug)
        except Exception:
            check.add(key, f"invalid slug {slug!r}")
        if slug in seen:
            check.add(key, "duplicate slug")
        seen.add(slug)
        if not missing:
            rows.append(row)
    return rows


def _text(check, key, row, field, *, blank=False, max_length=None):
    value = row.get(field)
    if not isinstance(value, str) or (not blank and not value.strip()):
        check.add(key, f"{field} must be a {'' if blank else 'non-empty '}string")
    elif max_length and len(value) > max_length:
        check.add(key, f"{field} is longer than {max_length} characters")


def _choice(check, key, row, field, choices):
    if row.get(field) not in choices:
        check.add(key, f"{field} {row.get(field)!r} is not one of {sorted(choices)}")


def _int(check, key, row, field, low, high, *, null=False):
    value = row.get(field)
    if value is None and null:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        check.add(key, f"{field} must be a whole number from {low} to {high}")


def _str_list(check, key, row, field, *, allowed=None, required=False):
    value = row.get(field)
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        check.add(key, f"{field} must be a list of non-empty strings")
        return
    if required and not value:
        check.add(key, f"{field} must not be empty")
    if len(set(value)) != len(value):
        check.add(key, f"{field} repeats an entry")
    if allowed is not None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            check.add(key, f"{field} names unknown {', '.join(unknown)}")


def _simple_items(path: Path, model) -> dict[str, object]:
    """equipment.json / muscles.json: [{"slug", "name"}]."""
    check = _Checker(path)
    rows = _rows(path, check, required={"slug", "name"})
    for row in rows:
        _text(check, row["slug"], row, "name", max_length=100)
    check.raise_if_any()
    result = {}
    for row in rows:
        obj, _created = model.objects.update_or_create(slug=row["slug"], defaults={"name": row["name"]})
        result[obj.slug] = obj
    return result


def _load_standards(path: Path) -> tuple[dict[int, PEStandard], dict[str, GradeSpanIndicator]]:
    check = _Checker(path)
    data = _read(path, dict)
    source = data.get("source")
    if not isinstance(source, list) or not source:
        check.add("source", "the file must list its sources")
    standards_rows = data.get("standards") or []
    numbers = set()
    for row in standards_rows:
        key = f"standard {row.get('number')}"
        _int(check, key, row, "number", 1, 10)
        _text(check, key, row, "short_name", max_length=200)
        _text(check, key, row, "summary")
        _text(check, key, row, "source", max_length=300)
        numbers.add(row.get("number"))
    spans = {GradeBand.PREK_2: 2, GradeBand.G3_5: 5, GradeBand.G6_8: 8, GradeBand.G9_12: 12}
    codes = set()
    for row in data.get("indicators") or []:
        key = f"indicator {row.get('code')}"
        _choice(check, key, row, "grade_band", set(GradeBand.values))
        if row.get("standard") not in numbers:
            check.add(key, f"standard {row.get('standard')!r} is not in the file")
        expected_prefix = f"{row.get('standard')}.{spans.get(row.get('grade_band'))}."
        code = row.get("code")
        if (
            not isinstance(code, str)
            or not code.startswith(expected_prefix)
            or not code[len(expected_prefix) :].isdigit()
        ):
            check.add(key, f"code must be standard.span-end.number, e.g. {expected_prefix}1")
        if code in codes:
            check.add(key, "duplicate code")
        codes.add(code)
        _text(check, key, row, "description")
        _text(check, key, row, "content_category", blank=True, max_length=80)
        _text(check, key, row, "source", max_length=300)
        if not isinstance(row.get("is_paraphrase"), bool):
            check.add(key, "is_paraphrase must be true or false")
    check.raise_if_any()
    standards = {}
    for row in standards_rows:
        standards[row["number"]], _created = PEStandard.objects.update_or_create(
            number=row["number"],
            defaults={"short_name": row["short_name"], "summary": row["summary"], "source": row["source"]},
        )
    indicators = {}
    for row in data.get("indicators") or []:
        indicators[row["code"]], _created = GradeSpanIndicator.objects.update_or_create(
            code=row["code"],
            defaults={
                "standard": standards[row["standard"]],
                "grade_band": row["grade_band"],
                "content_category": row.get("content_category", ""),
                "description": row["description"],
                "is_paraphrase": row["is_paraphrase"],
                "source": row["source"],
            },
        )
    return standards, indicators


def _load_exercises(path: Path, equipment: set[str], muscles: dict[str, MuscleGroup]) -> int:
    check = _Checker(path)
    rows = _rows(path, check, required=EXERCISE_KEYS)
    for row in rows:
        key = row["slug"]
        _text(check, key, row, "name", max_length=120)
        _text(check, key, row, "instructions")
        _choice(check, key, row, "category", set(ExerciseCategory.values))
        _str_list(check, key, row, "primary_muscles", allowed=muscles, required=True)
        _str_list(check, key, row, "secondary_muscles", allowed=muscles)
        _str_list(check, key, row, "equipment", allowed=equipment)
        _str_list(check, key, row, "fitness_components", allowed=FitnessComponent.values, required=True)
        _str_list(check, key, row, "contraindications")
        _str_list(check, key, row, "media_links")
        _int(check, key, row, "difficulty", 1, 5)
        _int(check, key, row, "default_sets", 1, 20, null=True)
        _int(check, key, row, "default_reps", 1, 500, null=True)
        _int(check, key, row, "default_duration_seconds", 1, 3600, null=True)
        if isinstance(row["primary_muscles"], list) and isinstance(row["secondary_muscles"], list):
            both = set(row["primary_muscles"]) & set(row["secondary_muscles"])
            if both:
                check.add(key, f"muscles listed as primary and secondary: {', '.join(sorted(both))}")
        if row.get("default_reps") is None and row.get("default_duration_seconds") is None:
            check.add(key, "give default_reps or default_duration_seconds")
    check.raise_if_any()
    kinds = EquipmentType.objects.in_bulk(field_name="slug")
    for row in rows:
        fields = {
            name: row[name] for name in EXERCISE_KEYS - {"slug", "primary_muscles", "secondary_muscles", "equipment"}
        }
        exercise, _created = Exercise.objects.update_or_create(school=None, slug=row["slug"], defaults=fields)
        exercise.primary_muscles.set([muscles[slug] for slug in row["primary_muscles"]])
        exercise.secondary_muscles.set([muscles[slug] for slug in row["secondary_muscles"]])
        exercise.equipment.set([kinds[slug] for slug in row["equipment"]])
    return len(rows)


def validate_activity_row(check: _Checker, row: dict, *, equipment, standards, indicators) -> None:
    key = row["slug"]
    _text(check, key, row, "name", max_length=120)
    _text(check, key, row, "description")
    _text(check, key, row, "instructions")
    _choice(check, key, row, "category", set(ActivityCategory.values))
    _choice(check, key, row, "space", set(Space.values))
    _choice(check, key, row, "intensity", set(Intensity.values))
    _choice(check, key, row, "contact_level", set(ContactLevel.values))
    _choice(check, key, row, "risk_level", set(RiskLevel.values))
    _int(check, key, row, "difficulty", 1, 5)
    _int(check, key, row, "min_group_size", 1, 200)
    _int(check, key, row, "max_group_size", 1, 200)
    _int(check, key, row, "duration_minutes", 1, 240)
    low, high = row.get("min_group_size"), row.get("max_group_size")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        check.add(key, "min_group_size is larger than max_group_size")
    _str_list(check, key, row, "skills")
    _str_list(check, key, row, "fitness_components", allowed=FitnessComponent.values)
    _str_list(check, key, row, "equipment", allowed=equipment)
    _str_list(check, key, row, "grade_bands", allowed=GradeBand.values, required=True)
    _str_list(check, key, row, "teaching_cues")
    _str_list(check, key, row, "progressions")
    numbers = row.get("standards")
    if not isinstance(numbers, list) or not set(numbers) <= set(standards):
        check.add(key, f"standards must be a list of numbers from {sorted(standards)}")
        numbers = []
    codes = row.get("indicators", [])
    if not isinstance(codes, list) or not set(codes) <= set(indicators):
        check.add(key, "indicators names unknown codes")
    else:
        for code in codes:
            if indicators[code].standard.number not in numbers:
                check.add(key, f"indicator {code} belongs to a standard the activity does not list")
    modifications = row.get("modifications")
    if not isinstance(modifications, list):
        check.add(key, "modifications must be a list")
        return
    for item in modifications:
        if (
            not isinstance(item, dict)
            or set(item) != {"kind", "easier", "harder"}
            or item["kind"] not in MODIFICATION_KINDS
            or not all(isinstance(item[side], str) and item[side].strip() for side in ("easier", "harder"))
        ):
            check.add(key, f"modification {item!r} needs kind ({', '.join(MODIFICATION_KINDS)}), easier and harder")


def _load_activities(path: Path, standards, indicators) -> int:
    check = _Checker(path)
    rows = _rows(path, check, required=ACTIVITY_KEYS, optional=ACTIVITY_OPTIONAL)
    kinds = EquipmentType.objects.in_bulk(field_name="slug")
    for row in rows:
        validate_activity_row(check, row, equipment=kinds, standards=standards, indicators=indicators)
    check.raise_if_any()
    simple = ACTIVITY_KEYS - {"slug", "equipment", "standards"}
    for row in rows:
        activity, _created = Activity.objects.update_or_create(
            school=None, slug=row["slug"], defaults={name: row[name] for name in simple}
        )
        activity.equipment.set([kinds[slug] for slug in row["equipment"]])
        activity.standards.set([standards[number] for number in row["standards"]])
        activity.indicators.set([indicators[code] for code in row.get("indicators", [])])
    return len(rows)


@transaction.atomic
def load_library(*, data_dir: Path | None = None) -> dict[str, int]:
    """Loads every shipped library file that exists and returns how many rows each file holds.
    All or nothing: a bad row anywhere rolls the whole load back."""
    root = Path(data_dir) if data_dir is not None else DATA_DIR
    library = root / "library"
    counts: dict[str, int] = {}
    if (library / "equipment.json").exists():
        counts["equipment"] = len(_simple_items(library / "equipment.json", EquipmentType))
    muscles = _simple_items(library / "muscles.json", MuscleGroup)
    counts["muscles"] = len(muscles)
    standards, indicators = _load_standards(root / "shape_america_2024.json")
    counts["standards"], counts["indicators"] = len(standards), len(indicators)
    equipment = set(EquipmentType.objects.values_list("slug", flat=True))
    counts["exercises"] = _load_exercises(library / "exercises.json", equipment, muscles)
    if (library / "activities.json").exists():
        counts["activities"] = _load_activities(library / "activities.json", standards, indicators)
    return counts
