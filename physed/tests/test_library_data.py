"""The shipped library loader: real files load, twice without change, and bad rows fail loudly."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from physed.models import Activity, EquipmentType, Exercise, GradeSpanIndicator, MuscleGroup, PEStandard
from physed.services.library_data import DATA_DIR, LibraryDataError, load_library

pytestmark = pytest.mark.django_db

MOVEMENT_SLUGS = {"squat", "push-up", "lunge", "jumping-jack", "sit-up"}


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of physed/data to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_real_files_load_with_the_promised_counts():
    counts = load_library()
    assert counts["exercises"] >= 80
    assert Exercise.objects.shipped().count() == counts["exercises"]
    assert counts["muscles"] == 17 == MuscleGroup.objects.count()
    assert PEStandard.objects.count() == 4
    assert counts["indicators"] == GradeSpanIndicator.objects.count() >= 16
    assert counts["activities"] >= 60
    assert Activity.objects.shipped().count() == counts["activities"]
    assert EquipmentType.objects.count() == counts["equipment"]


def test_loading_twice_changes_nothing():
    first = load_library()
    squat = Exercise.objects.get(slug="squat", school=None)
    before = (squat.pk, sorted(squat.primary_muscles.values_list("slug", flat=True)))
    second = load_library()
    assert first == second
    assert Exercise.objects.count() == first["exercises"]
    assert Activity.objects.count() == first["activities"]
    squat.refresh_from_db()
    assert (squat.pk, sorted(squat.primary_muscles.values_list("slug", flat=True))) == before


def test_a_changed_row_is_updated_in_place(data_copy):
    load_library(data_dir=data_copy)
    path = data_copy / "library" / "exercises.json"
    rows = _json(path)
    squat = next(row for row in rows if row["slug"] == "squat")
    squat["default_reps"] = 15
    squat["equipment"] = ["dumbbells"]
    path.write_text(json.dumps(rows))
    load_library(data_dir=data_copy)
    exercise = Exercise.objects.get(slug="squat", school=None)
    assert exercise.default_reps == 15
    assert list(exercise.equipment.values_list("slug", flat=True)) == ["dumbbells"]
    assert Exercise.objects.filter(slug="squat").count() == 1


def test_movement_analysis_slugs_ship():
    slugs = {row["slug"] for row in _json(DATA_DIR / "library" / "exercises.json")}
    assert slugs >= MOVEMENT_SLUGS


def test_every_exercise_names_known_equipment_and_muscles():
    equipment = {row["slug"] for row in _json(DATA_DIR / "library" / "equipment.json")}
    muscles = {row["slug"] for row in _json(DATA_DIR / "library" / "muscles.json")}
    for row in _json(DATA_DIR / "library" / "exercises.json"):
        assert set(row["equipment"]) <= equipment, row["slug"]
        assert set(row["primary_muscles"]) | set(row["secondary_muscles"]) <= muscles, row["slug"]
        assert row["primary_muscles"], row["slug"]
        assert row["media_links"] == [], row["slug"]  # no invented addresses
        assert row["instructions"].startswith("1. "), row["slug"]


def test_standards_file_keeps_its_sources_and_marks_paraphrases():
    data = _json(DATA_DIR / "shape_america_2024.json")
    assert len(data["source"]) >= 3
    assert "NOT available" in data["note"]
    assert [row["number"] for row in data["standards"]] == [1, 2, 3, 4]
    assert all(row["is_paraphrase"] for row in data["indicators"])
    per_span = {}
    for row in data["indicators"]:
        per_span.setdefault((row["standard"], row["grade_band"]), []).append(row["code"])
    assert len(per_span) == 16 and all(2 <= len(codes) <= 3 for codes in per_span.values())
    load_library()
    indicator = GradeSpanIndicator.objects.get(code="1.2.1")
    assert indicator.standard.number == 1 and indicator.grade_band == "prek_2" and indicator.is_paraphrase


def _break(data_copy, filename, slug, **changes):
    path = data_copy / "library" / filename
    rows = _json(path)
    row = next(row for row in rows if row["slug"] == slug) if slug else rows[0]
    row.update(changes)
    path.write_text(json.dumps(rows))
    return row["slug"]


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"category": "weightlifting"}, "category 'weightlifting' is not one of"),
        ({"equipment": ["trampoline"]}, "equipment names unknown trampoline"),
        ({"primary_muscles": ["neck"]}, "primary_muscles names unknown neck"),
        ({"difficulty": 9}, "difficulty must be a whole number from 1 to 5"),
        ({"default_reps": None, "default_duration_seconds": None}, "give default_reps or default_duration_seconds"),
        ({"secondary_muscles": ["quadriceps"]}, "muscles listed as primary and secondary: quadriceps"),
    ],
)
def test_a_bad_exercise_row_fails_with_file_and_slug(data_copy, changes, problem):
    _break(data_copy, "exercises.json", "squat", **changes)
    with pytest.raises(LibraryDataError) as caught:
        load_library(data_dir=data_copy)
    message = str(caught.value)
    assert message.startswith("exercises.json: ")
    assert f"squat: {problem}" in message
    assert Exercise.objects.count() == 0  # all or nothing


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"space": "moon"}, "space 'moon' is not one of"),
        ({"min_group_size": 40, "max_group_size": 4}, "min_group_size is larger than max_group_size"),
        ({"grade_bands": []}, "grade_bands must not be empty"),
        ({"standards": [7]}, "standards must be a list of numbers"),
        ({"modifications": [{"kind": "magic", "easier": "a", "harder": "b"}]}, "modification {'kind': 'magic'"),
        ({"risk_level": 0}, "risk_level 0 is not one of"),
    ],
)
def test_a_bad_activity_row_fails_with_its_slug(data_copy, changes, problem):
    slug = _break(data_copy, "activities.json", None, **changes)
    with pytest.raises(LibraryDataError) as caught:
        load_library(data_dir=data_copy)
    assert "activities.json: " in str(caught.value)
    assert f"{slug}: {problem}" in str(caught.value)


def test_indicator_of_an_unlisted_standard_is_refused(data_copy):
    slug = _break(data_copy, "activities.json", None, standards=[1], indicators=["3.8.1"])
    with pytest.raises(LibraryDataError, match=f"{slug}: indicator 3.8.1 belongs to a standard"):
        load_library(data_dir=data_copy)


def test_duplicate_and_missing_keys_are_reported(data_copy):
    path = data_copy / "library" / "exercises.json"
    rows = _json(path)
    rows.append(dict(rows[0]))
    rows.append({"slug": "half-row", "name": "Half"})
    rows.append("not an object")
    path.write_text(json.dumps(rows))
    with pytest.raises(LibraryDataError) as caught:
        load_library(data_dir=data_copy)
    message = str(caught.value)
    assert f"{rows[0]['slug']}: duplicate slug" in message
    assert "half-row: missing category" in message
    assert "row " in message and "not an object" in message


def test_unreadable_and_malformed_standards_files(data_copy):
    (data_copy / "library" / "muscles.json").write_text("{not json")
    with pytest.raises(LibraryDataError, match=r"muscles\.json: cannot read"):
        load_library(data_dir=data_copy)
    (data_copy / "library" / "muscles.json").write_text(json.dumps({"slug": "x"}))
    with pytest.raises(LibraryDataError, match=r"muscles\.json: expected a JSON list"):
        load_library(data_dir=data_copy)


def test_bad_indicator_codes_fail(data_copy):
    path = data_copy / "shape_america_2024.json"
    data = _json(path)
    data["indicators"][0]["code"] = "1.5.1"  # a PreK-2 indicator must be 1.2.x
    data["source"] = []
    path.write_text(json.dumps(data))
    with pytest.raises(LibraryDataError) as caught:
        load_library(data_dir=data_copy)
    assert "indicator 1.5.1: code must be standard.span-end.number, e.g. 1.2.1" in str(caught.value)
    assert "source: the file must list its sources" in str(caught.value)


def test_activities_file_is_optional(data_copy):
    (data_copy / "library" / "activities.json").unlink()
    counts = load_library(data_dir=data_copy)
    assert "activities" not in counts and counts["exercises"] >= 80


def test_management_command(data_copy, capsys):
    call_command("load_library")
    assert "Library loaded:" in capsys.readouterr().out
    _break(data_copy, "exercises.json", "lunge", category="yoga")
    with pytest.raises(CommandError, match="lunge: category"):
        call_command("load_library", data_dir=str(data_copy))
