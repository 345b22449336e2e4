"""Weather formulas against published NWS values, and the rules engine's band logic."""

import pytest

from safety.engines import rules, weather
from safety.services.environment_data import shipped_rule_sets

# ---- heat index ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t_f", "rh", "chart"),
    [
        (90, 60, 100),  # NWS heat index chart: 90 °F / 60 % → 100 °F
        (96, 65, 121),  # NWS chart: 96 °F / 65 % → 121 °F
        (100, 40, 109),  # NWS chart: 100 °F / 40 % → 109 °F
        (86, 90, 105),  # NWS chart: 86 °F / 90 % → 105 °F
    ],
)
def test_heat_index_matches_the_nws_chart(t_f, rh, chart):
    assert round(weather.heat_index_f(t_f, rh)) == chart


def test_heat_index_simple_formula_below_80():
    # 70 °F / 50 %: 0.5 × (70 + 61 + 2.4 + 4.7) = 69.05, below 80 → the simple value is the answer
    assert weather.heat_index_f(70, 50) == pytest.approx(69.05)
    # 80 °F / 40 %: 0.5 × (80 + 61 + 14.4 + 3.76) = 79.58 < 80 → still the simple value
    assert weather.heat_index_f(80, 40) == pytest.approx(79.58)


def test_heat_index_regression_by_hand():
    # 90/60 by hand from the Rothfusz terms = 99.678
    assert weather.heat_index_f(90, 60) == pytest.approx(99.678, abs=0.001)


def test_heat_index_low_humidity_adjustment():
    # 100 °F / 10 %: regression 95.62, minus (13−10)/4 × sqrt((17−5)/17) = 0.630 → 94.99... check both
    raw = weather.rothfusz_f(100, 10)
    adjustment = (3 / 4) * ((17 - 5) / 17) ** 0.5
    assert weather.heat_index_f(100, 10) == pytest.approx(raw - adjustment)


def test_heat_index_high_humidity_adjustment():
    # 82 °F / 95 %: plus (95−85)/10 × (87−82)/5 = 1.0
    assert weather.heat_index_f(82, 95) == pytest.approx(weather.rothfusz_f(82, 95) + 1.0)


def test_heat_index_in_celsius_for_a_hot_afternoon():
    # 33 °C / 55 % = 91.4 °F / 55 % → ≈ 100 °F
    assert round(weather.c_to_f(weather.heat_index_c(33, 55))) == 100


# ---- wind chill ---------------------------------------------------------------------------------


def test_wind_chill_nws_example():
    assert round(weather.wind_chill_f(0, 15)) == -19


def test_wind_chill_metric_form_agrees_with_the_imperial_one():
    metric = weather.wind_chill_c(weather.f_to_c(0), weather.mph_to_kmh(15))
    assert weather.c_to_f(metric) == pytest.approx(weather.wind_chill_f(0, 15), abs=0.5)
    # −10 °C, 20 km/h: 13.12 − 6.215 − 11.37·20^0.16 − 3.965·20^0.16 = −17.9 (Environment Canada table: −18)
    assert round(weather.wind_chill_c(-10, 20)) == -18


@pytest.mark.parametrize(("t_f", "mph"), [(51, 10), (30, 3), (30, 0)])
def test_wind_chill_outside_its_validity_is_none(t_f, mph):
    assert weather.wind_chill_f(t_f, mph) is None


def test_unit_conversions():
    assert weather.c_to_f(100) == 212
    assert weather.f_to_c(32) == 0
    assert weather.mph_to_kmh(10) == pytest.approx(16.09344)
    assert weather.kmh_to_mph(weather.mph_to_kmh(7)) == pytest.approx(7)


def test_measures_use_air_temperature_for_cold_bands_when_calm():
    values = weather.measures(temperature_c=0, relative_humidity=50, wind_speed_kmh=2)
    assert values["wind_chill_f"] == pytest.approx(32)
    assert values["heat_index_f"] is None  # not computed at 32 °F
    assert values["lightning"] == 0


# ---- rules --------------------------------------------------------------------------------------

LEWISVILLE = next(r for r in shipped_rule_sets() if r["code"] == "lewisville-isd")["rules"]
GHSA = next(r for r in shipped_rule_sets() if r["code"] == "ghsa-wbgt")["rules"]
LANCASTER = next(r for r in shipped_rule_sets() if r["code"] == "lancaster-isd")["rules"]
TERRELL = next(r for r in shipped_rule_sets() if r["code"] == "terrell-isd")["rules"]


def test_every_shipped_rule_set_is_valid_and_has_sources_and_lightning():
    sets = shipped_rule_sets()
    assert {s["code"] for s in sets} >= {
        "ghsa-wbgt",
        "st-johns-heat-index-aqi",
        "lewisville-isd",
        "lancaster-isd",
        "terrell-isd",
    }
    for item in sets:
        assert rules.validate_rules(item["rules"]) == [], item["code"]
        assert item["sources"] and all(s["url"].startswith("http") for s in item["sources"])
        assert item["caveats"]
        assert "lightning" in item["rules"]


@pytest.mark.parametrize(
    ("hi", "decision", "label"),
    [
        (88, "go", "HI under 89 °F: outside for all"),
        (89, "modify", "HI 90-98 °F: monitor conditions"),  # the gap takes the more restrictive band
        (88.6, "modify", "HI 90-98 °F: monitor conditions"),  # rounds to 89
        (88.4, "go", "HI under 89 °F: outside for all"),
        (103, "modify", "HI 99-103 °F: limit to 20 minutes"),
        (104, "indoors", "HI 104 °F and above: indoors for all"),
    ],
)
def test_lewisville_bands_and_the_gap_at_89(hi, decision, label):
    result = rules.evaluate(LEWISVILLE, {"heat_index_f": hi, "wind_chill_f": 60, "lightning": 0})
    assert result.decision == decision
    assert result.measures[0].band_label == label


def test_ghsa_wbgt_edges_at_one_decimal():
    def band(value):
        return rules.evaluate(GHSA, {"wbgt_f": value}).measures[0]

    assert band(81.94).decision == "go"  # rounds to 81.9
    assert band(81.96).band_label.startswith("82.0-86.9")
    assert band(92.0).band_label.startswith("90.0-92.0")
    assert band(92.04).band_label.startswith("90.0-92.0")
    assert band(92.1).decision == "indoors"


def test_overlapping_edge_takes_the_more_restrictive_band_and_actions_union_in_order():
    result = rules.evaluate(LANCASTER, {"heat_index_f": 90, "wind_chill_f": 45, "lightning": 0})
    heat, cold, _lightning = result.measures
    assert heat.band_label == "90-100 °F: shade and water every 15 minutes"
    assert cold.band_label == "Below 50 °F: coat and long pants"
    assert result.decision == "modify"
    assert result.actions == [
        "Rest in shade and water every 15 minutes",
        "Encourage fluids",
        "Watch higher-risk students",
        "Coat and long pants",
    ]


def test_below_every_band_is_go_without_actions():
    result = rules.evaluate(LANCASTER, {"heat_index_f": 75, "wind_chill_f": 75, "lightning": 0})
    assert result.decision == "go" and result.actions == []
    assert "no band" in result.reasons[0]


def test_overall_decision_is_the_most_restrictive_and_reasons_name_measure_value_band_source():
    result = rules.evaluate(TERRELL, {"heat_index_f": 90, "aqi": 120, "lightning": 1}, rule_set_name="Terrell")
    assert result.decision == "stop"
    aqi = next(m for m in result.measures if m.measure == "aqi")
    assert aqi.band_label == "Red: students with asthma stay indoors"  # orange gap → red
    assert any(
        r.startswith('Air quality index 120 is in band "Red') and "Terrell ISD (ozone colour levels)" in r
        for r in result.reasons
    )
    assert "Stop outdoor activity; shelter indoors" in result.actions


def test_unmeasured_measure_is_reported_not_evaluated():
    result = rules.evaluate(GHSA, {"wbgt_f": None, "lightning": 0})
    assert result.decision == "go"
    assert result.reasons[0] == "WBGT: not measured, not evaluated."


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({}, "at least one measure"),
        ({"humidex": []}, "Unknown measure"),
        ({"aqi": []}, "at least one band"),
        ({"aqi": [{"min": 10, "max": 5, "decision": "go", "label": "x"}]}, "min must not be greater"),
        ({"aqi": [{"min": 1, "decision": "maybe", "label": "x"}]}, "decision must be one of"),
        ({"aqi": [{"decision": "go", "label": "x"}]}, "give a min"),
        ({"aqi": [{"min": "a", "decision": "go", "label": "x"}]}, "must be a number"),
        ({"aqi": [{"min": 1, "decision": "go", "label": ""}]}, "a label is needed"),
        ({"aqi": [{"min": 1, "decision": "go", "label": "x", "actions": "drink"}]}, "actions must be a list"),
        ({"aqi": {"bands": [{"min": 1, "decision": "go", "label": "x"}], "precision": 7}}, "precision"),
    ],
)
def test_validate_rules_refuses_malformed_sets(bad, message):
    errors = rules.validate_rules(bad)
    assert errors and message in " ".join(errors)
