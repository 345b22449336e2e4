"""The pure 5 × 5 matrix engine and the shipped default bands."""

from types import SimpleNamespace as NS

import pytest

from safety.engines import risk_matrix as m
from safety.services.risk_data import default_bands_data, load_default_bands


def bands():
    return [NS(**band) for band in default_bands_data()["bands"]]


def hazard(l, s, rl, rs, description="h"):  # noqa: E741
    return NS(likelihood=l, severity=s, residual_likelihood=rl, residual_severity=rs, description=description)


def test_score_is_the_product_and_refuses_levels_outside_1_to_5():
    assert m.score(1, 1) == 1 and m.score(4, 3) == 12 and m.score(5, 5) == 25
    for bad in (0, 6, -1, 2.5, True, "3", None):
        with pytest.raises(ValueError):
            m.score(bad, 3)
        with pytest.raises(ValueError):
            m.score(3, bad)


def test_shipped_bands_cover_1_to_25_exactly_once_and_look_up_by_score():
    shipped = bands()
    assert m.coverage_problems(shipped) == []
    assert [(b.code, b.min_score, b.max_score) for b in shipped] == [
        ("low", 1, 4),
        ("medium", 5, 9),
        ("high", 10, 16),
        ("very-high", 17, 25),
    ]
    assert {score: m.band_for(shipped, score).code for score in (1, 4, 5, 9, 10, 16, 20, 25)} == {
        1: "low",
        4: "low",
        5: "medium",
        9: "medium",
        10: "high",
        16: "high",
        20: "very-high",
        25: "very-high",
    }
    assert m.band_for(shipped, 26) is None
    assert [b.activity_allowed for b in shipped] == [True, True, True, False]


def test_coverage_problems_name_gaps_overlaps_duplicates_and_bad_ranges():
    def band(code, low, high):
        return NS(code=code, min_score=low, max_score=high)

    assert m.coverage_problems([]) == ["no bands given"]
    assert m.coverage_problems([band("a", 1, 9), band("b", 12, 25)]) == ["scores not in any band: 10–11"]
    assert m.coverage_problems([band("a", 1, 10), band("b", 9, 25)]) == ["scores in more than one band: 9–10"]
    assert m.coverage_problems([band("a", 1, 12), band("a", 13, 25)]) == ["duplicate keys: a"]
    problems = m.coverage_problems([band("a", 1, 30), band("b", 5, 2)])
    assert "a: scores must be within 1–25" in problems and "b: 'from' 5 is above 'to' 2" in problems
    assert "scores not in any band: 1–25" in problems


def test_summary_highest_scores_bands_and_whether_the_activity_may_proceed():
    shipped = bands()
    summary = m.summarise(
        [hazard(3, 4, 2, 3, "falls"), hazard(2, 5, 1, 5, "neck"), hazard(3, 2, 2, 2, "queue")], shipped
    )
    assert [(h.score, h.residual_score) for h in summary.hazards] == [(12, 6), (10, 5), (6, 4)]
    assert [h.band.code for h in summary.hazards] == ["high", "high", "medium"]
    assert [h.residual_band.code for h in summary.hazards] == ["medium", "medium", "low"]
    assert (summary.highest_initial, summary.highest_residual) == (12, 6)
    assert (summary.initial_band.code, summary.residual_band.code) == ("high", "medium")
    assert summary.may_proceed is True and summary.blocking == []
    assert summary.initial_heat_map[2][3] == 1 and summary.initial_heat_map[1][4] == 1
    assert sum(map(sum, summary.residual_heat_map)) == 3 and summary.residual_heat_map[1][2] == 1

    blocked = m.summarise([hazard(5, 5, 4, 5, "still very high"), hazard(2, 2, 1, 1)], shipped)
    assert blocked.may_proceed is False
    assert [h.label for h in blocked.blocking] == ["still very high"]
    assert blocked.residual_band.code == "very-high"

    empty = m.summarise([], shipped)
    assert empty.may_proceed is False and empty.highest_initial is None and empty.residual_band is None


def test_matrix_rows_top_row_is_likelihood_5_with_tones_by_band_rank():
    shipped = bands()
    summary = m.summarise([hazard(5, 1, 1, 1)], shipped)
    rows = m.matrix_rows(shipped, summary)
    assert [cell.score for cell in rows[0]] == [5, 10, 15, 20, 25]
    assert [cell.score for cell in rows[4]] == [1, 2, 3, 4, 5]
    assert [cell.tone for cell in rows[0]] == [2, 3, 3, 4, 4]
    assert rows[0][0].initial == 1 and rows[4][0].residual == 1
    assert m.tones(shipped) == {"low": 1, "medium": 2, "high": 3, "very-high": 4}
    two = [NS(code="ok", min_score=1, max_score=12), NS(code="stop", min_score=13, max_score=25)]
    assert m.tones(two) == {"ok": 1, "stop": 4}


@pytest.mark.django_db
def test_loading_the_default_bands_is_idempotent_and_repairs_edits():
    from safety.models import RiskBand

    assert load_default_bands() == 4
    assert load_default_bands() == 0
    RiskBand.objects.filter(code="low").update(max_score=3)
    RiskBand.objects.create(code="stale", name="Old", min_score=1, max_score=1, required_action="x")
    assert load_default_bands() == 1
    rows = list(RiskBand.objects.filter(school__isnull=True).values_list("code", "min_score", "max_score"))
    assert rows == [("low", 1, 4), ("medium", 5, 9), ("high", 10, 16), ("very-high", 17, 25)]
    assert "convention" in RiskBand.objects.get(code="low").source
