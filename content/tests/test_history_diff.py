"""The diff between version snapshots: exact line diffs, set changes, choice labels, folding."""

import pytest

from content.selectors.history import BadVersionParameter, diff_pair, parse_number, with_changed_fields
from content.services.diff import changed_fields, diff_snapshots, text_lines
from content.services.items import create_item, update_item

pytestmark = pytest.mark.django_db


def _two_versions(teacher, school, **changes):
    item = create_item(
        actor=teacher,
        school=school,
        title="Soccer dribbling",
        summary="Dribbling for grade 4.",
        body="Warm-up\nCone weave\nCool-down",
        tags=["soccer", "dribbling"],
        grade_min=3,
        grade_max=5,
    )
    update_item(actor=teacher, item=item, base_version=1, change_note="second", **changes)
    item.refresh_from_db()
    return item, item.versions.get(number=1).snapshot, item.versions.get(number=2).snapshot


def test_a_body_edit_yields_exactly_the_deleted_and_inserted_lines(school, teacher):
    _item, old, new = _two_versions(teacher, school, body="Warm-up\nCone weave with the weak foot\nCool-down")
    assert diff_snapshots(old, new) == [
        {
            "field": "body",
            "label": "body",
            "kind": "text",
            "lines": [
                {"op": "equal", "text": "Warm-up"},
                {"op": "delete", "text": "Cone weave"},
                {"op": "insert", "text": "Cone weave with the weak foot"},
                {"op": "equal", "text": "Cool-down"},
            ],
        }
    ]


def test_a_tag_change_yields_added_and_removed(school, teacher):
    _item, old, new = _two_versions(teacher, school, tags=["soccer", "footwork"])
    assert diff_snapshots(old, new) == [
        {"field": "tags", "label": "tags", "kind": "set", "added": ["footwork"], "removed": ["dribbling"]}
    ]


def test_grade_and_kind_changes_show_their_labels(school, teacher):
    _item, old, new = _two_versions(teacher, school, grade_min=0, kind="handout", duration_minutes=30)
    changes = {change["field"]: change for change in diff_snapshots(old, new)}
    assert list(changes) == ["kind", "grade_min", "duration_minutes"]
    assert (changes["kind"]["old"], changes["kind"]["new"]) == ("Lesson plan", "Handout")
    assert (changes["grade_min"]["old"], changes["grade_min"]["new"]) == ("3", "Kindergarten")
    assert (changes["duration_minutes"]["old"], changes["duration_minutes"]["new"]) == ("", "30")
    assert changed_fields(old, new) == ["kind", "grade_min", "duration_minutes"]


def test_same_snapshot_has_no_changes(school, teacher):
    _item, old, _new = _two_versions(teacher, school, title="Other")
    assert diff_snapshots(old, old) == [] and changed_fields(old, old) == []


def test_long_unchanged_runs_are_folded():
    old = "\n".join(f"line {n}" for n in range(1, 11))
    new = old.replace("line 10", "line ten")
    lines = text_lines(old, new)
    assert lines == [
        {"op": "equal", "text": "line 1"},
        {"op": "equal", "text": "line 2"},
        {"op": "skip", "text": "… 5 unchanged lines …"},
        {"op": "equal", "text": "line 8"},
        {"op": "equal", "text": "line 9"},
        {"op": "delete", "text": "line 10"},
        {"op": "insert", "text": "line ten"},
    ]


def test_changed_fields_of_a_page_use_the_version_before_the_page(school, teacher, django_assert_num_queries):
    item, _old, _new = _two_versions(teacher, school, title="Soccer dribbling 2")
    update_item(actor=teacher, item=item, base_version=2, tags=["soccer"])
    item.refresh_from_db()
    newest = list(item.versions.order_by("-number")[:1])  # only version 3 on the "page"
    with django_assert_num_queries(1):  # the version before it
        with_changed_fields(teacher, item, newest)
    assert newest[0].changed_fields == ["tags"] and newest[0].changed_labels == ["tags"]


def test_diff_pair_defaults_and_bad_parameters(school, teacher):
    item, _old, _new = _two_versions(teacher, school, title="Renamed")
    old, new = diff_pair(teacher, item, None, "")
    assert (old.number, new.number) == (1, 2)
    old, new = diff_pair(teacher, item, "2", None)
    assert (old.number, new.number) == (2, 2)
    for raw_from, raw_to, param in (("7", "2", "from"), ("1", "x", "to"), ("-1", "2", "from"), ("1", "1.0", "to")):
        with pytest.raises(BadVersionParameter) as raised:
            diff_pair(teacher, item, raw_from, raw_to)
        assert raised.value.param == param
    assert parse_number("from", " 3 ") == 3 and parse_number("from", None) is None
