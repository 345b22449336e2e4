"""The analysis on synthetic kinematics with KNOWN angles, repetitions, tempo and faults."""

import pytest

from physed.movement import analyze, parse_sequence, synthetic
from physed.movement.reps import segment_reps
from physed.movement.series import SeriesBuilder
from physed.movement.signal import downsample, fill_gaps, savgol, savgol_coefficients

MOVEMENTS = ["squat", "push_up", "lunge", "jumping_jack", "sit_up"]


def run(movement, **options):
    generated = synthetic.generate(movement, **options)
    return generated, analyze(parse_sequence(generated.payload, movement=movement), movement)


def fault_reps(result):
    return {fault["code"]: fault["reps"] for fault in result["faults"]}


# --- angles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("movement", "dimensions", "series"),
    [
        ("squat", 2, ["knee_left", "knee_right", "trunk_lean"]),
        ("squat", 3, ["knee_left", "knee_right", "trunk_lean"]),
        ("push_up", 2, ["elbow_left", "elbow_right", "body_bend"]),
        ("push_up", 3, ["elbow_left", "body_bend"]),
        ("lunge", 2, ["knee_left", "knee_right", "trunk_lean"]),
        ("jumping_jack", 2, ["shoulder_left", "shoulder_right", "hip_abduction_left"]),
        ("jumping_jack", 3, ["shoulder_left", "hip_abduction_right"]),
        ("sit_up", 2, ["hip_left", "neck_flexion"]),
        ("sit_up", 3, ["hip_right", "neck_flexion"]),
    ],
)
def test_computed_angles_match_the_known_angles(movement, dimensions, series):
    generated = synthetic.generate(movement, dimensions=dimensions, asymmetry=10 if movement == "squat" else 0)
    builder = SeriesBuilder(parse_sequence(generated.payload, movement=movement))
    for name in series:
        computed, known = builder.get(name), generated.truth[name]
        assert len(computed) == len(known)
        assert max(abs(a - b) for a, b in zip(computed, known, strict=True)) < 1.5, name


@pytest.mark.parametrize("layout", ["blazepose33", "coco17"])
def test_angles_stay_within_a_few_degrees_under_landmark_noise(layout):
    generated = synthetic.generate("squat", layout=layout, noise=0.003, seed=4)
    builder = SeriesBuilder(parse_sequence(generated.payload, movement="squat"))
    errors = [abs(a - b) for a, b in zip(builder.get("knee_left"), generated.truth["knee_left"], strict=True)]
    assert sum(errors) / len(errors) < 1.5
    assert max(errors) < 5


# --- repetitions, tempo, range of motion ----------------------------------------------------------


@pytest.mark.parametrize("movement", MOVEMENTS)
@pytest.mark.parametrize("reps", [1, 4, 7])
def test_rep_count_is_exact(movement, reps):
    _generated, result = run(movement, reps=reps, noise=0.003, seed=reps)
    assert result["rep_count"] == reps
    assert [row["index"] for row in result["reps"]] == list(range(1, reps + 1))


@pytest.mark.parametrize("movement", MOVEMENTS)
def test_clean_sequences_score_100_with_no_faults(movement):
    for dimensions in (2, 3):
        _generated, result = run(movement, dimensions=dimensions, noise=0.003, seed=11)
        assert result["faults"] == []
        assert result["score"] == 100


@pytest.mark.parametrize(("eccentric", "pause", "concentric"), [(1.0, 0.2, 0.8), (2.0, 0.5, 1.0), (0.6, 0.0, 0.6)])
def test_tempo_is_measured_within_tolerance(eccentric, pause, concentric):
    _generated, result = run(
        "squat", eccentric_s=eccentric, pause_bottom_s=pause, concentric_s=concentric, noise=0.002, seed=2
    )
    tempo = result["tempo"]
    assert tempo["eccentric_s"] == pytest.approx(eccentric, rel=0.15)
    assert tempo["concentric_s"] == pytest.approx(concentric, rel=0.15)
    assert tempo["pause_s"] == pytest.approx(pause, abs=0.2)
    cycle = eccentric + pause + concentric + 0.5
    assert tempo["reps_per_minute"] == pytest.approx(60 / cycle, rel=0.12)


def test_range_of_motion_per_rep_matches_the_known_extremes():
    _generated, result = run("squat", faults={"shallow_depth": [2]})
    roms = [row["rom"] for row in result["reps"]]
    assert roms[0]["min"] == pytest.approx(85, abs=1.5)
    assert roms[0]["max"] == pytest.approx(175, abs=1.5)
    assert roms[1]["min"] == pytest.approx(112, abs=1.5)
    assert roms[1]["range"] == pytest.approx(63, abs=2)
    assert result["rom"]["range_min"] == roms[1]["range"]


def test_timed_frames_and_aspect_ratio_are_honoured():
    generated = synthetic.generate("push_up", fps=25)
    payload = dict(generated.payload)
    payload["frames"] = [{"t": 10 + i / 25, "keypoints": frame} for i, frame in enumerate(payload["frames"])]
    payload.pop("fps")
    sequence = parse_sequence(payload, movement="push_up")
    assert sequence.fps == pytest.approx(25)
    assert sequence.times[0] == 0
    assert analyze(sequence, "push_up")["rep_count"] == 5
    # the same picture stretched to 16:9 normalised coordinates is undone by aspect_ratio
    stretched = dict(generated.payload)
    stretched["frames"] = [[[x / 1.6, y, v] for x, y, v in frame] for frame in generated.payload["frames"]]
    stretched["aspect_ratio"] = 1.6
    builder = SeriesBuilder(parse_sequence(stretched, movement="push_up"))
    assert max(abs(a - b) for a, b in zip(builder.get("elbow_left"), generated.truth["elbow_left"], strict=True)) < 1


def test_no_repetition_gives_no_score_and_says_why():
    _generated, result = run("squat", reps=0, lead_s=2.0)
    assert result["rep_count"] == 0
    assert result["score"] is None
    assert any("No complete repetition" in warning for warning in result["warnings"])


def test_hysteresis_does_not_double_count_jitter_around_a_threshold():
    times = [i / 30 for i in range(200)]
    values = [170.0] * 20 + [119.0, 121.0] * 40 + [90.0] * 20 + [170.0] * 80
    reps = segment_reps(
        values, times, direction="down", enter=120, exit=155, min_rep_s=0.3, tolerance=0.03, speed_share=0.1
    )
    assert len(reps) == 1


# --- symmetry -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("dimensions", "asymmetry"), [(2, 20), (3, 20), (3, 30)])
def test_symmetry_index_matches_the_injected_difference(dimensions, asymmetry):
    _generated, result = run("squat", dimensions=dimensions, asymmetry=asymmetry, noise=0.002, seed=5)
    knee = next(row for row in result["symmetry"] if row["joint"] == "knee")
    left, right = 90 + asymmetry / 2, 90 - asymmetry / 2  # ranges: 175 → 85 ∓ asymmetry / 2
    expected = abs(left - right) / ((left + right) / 2) * 100
    assert knee["index_pct"] == pytest.approx(expected, abs=2.5)
    assert knee["left_rom"] > knee["right_rom"]
    assert fault_reps(result)["uneven_depth"] == [1, 2, 3, 4, 5]


def test_symmetric_movement_has_a_symmetry_index_near_zero():
    _generated, result = run("jumping_jack", noise=0.002)
    assert all(row["index_pct"] < 3 for row in result["symmetry"])


# --- injected faults: found on the right reps, never in the clean sequence ------------------------

FAULT_CASES = [
    ("squat", "shallow_depth", [2, 4], {}),
    ("squat", "excessive_trunk_lean", [3], {}),
    ("squat", "knee_valgus", [2, 4], {"dimensions": 3}),
    ("squat", "knee_valgus", [1, 5], {"view": "front"}),
    ("squat", "heels_rising", [2], {"dimensions": 3}),
    ("push_up", "insufficient_depth", [2, 4], {}),
    ("push_up", "hip_sag", [1, 2, 3, 4, 5], {}),
    ("push_up", "hips_piked", [5], {}),
    ("push_up", "flared_elbows", [1, 2], {"dimensions": 3}),
    ("lunge", "insufficient_depth", [2, 4], {}),
    ("lunge", "excessive_trunk_lean", [3], {"dimensions": 3}),
    ("lunge", "knee_past_toes", [1, 2], {}),
    ("lunge", "knee_past_toes", [3], {"layout": "coco17"}),
    ("jumping_jack", "incomplete_arm_abduction", [2, 4], {}),
    ("jumping_jack", "incomplete_leg_abduction", [1], {}),
    ("jumping_jack", "asymmetric_arms", [3], {"dimensions": 3}),
    ("sit_up", "incomplete_trunk_flexion", [2, 4], {}),
    ("sit_up", "neck_pull", [1, 5], {"layout": "coco17"}),
]


@pytest.mark.parametrize(("movement", "code", "reps", "options"), FAULT_CASES)
def test_injected_fault_is_found_on_the_right_reps(movement, code, reps, options):
    _generated, result = run(movement, faults={code: reps}, noise=0.003, seed=9, **options)
    found = fault_reps(result)
    assert found[code] == reps
    fault = next(f for f in result["faults"] if f["code"] == code)
    assert fault["reps_affected"] == len(reps)
    assert fault["points_lost"] == pytest.approx(fault["weight"] * len(reps) / 5, abs=0.05)
    assert fault["cue"] and fault["label"]
    breaking = (
        fault["worst_value"] > fault["threshold"]
        if fault["operator"] == ">"
        else fault["worst_value"] < fault["threshold"]
    )
    assert breaking
    for row in result["reps"]:
        assert (code in row["faults"]) == (row["index"] in reps)
    assert result["score"] < 100
    _clean, clean = run(movement, noise=0.003, seed=9, **options)
    assert code not in fault_reps(clean)


def test_score_is_100_minus_the_weighted_share_of_faulty_reps():
    _generated, result = run("push_up", faults={"insufficient_depth": [1, 2], "hip_sag": "all"})
    # 30 × 2/5 + 30 × 5/5 = 42 points
    assert result["score"] == 58
    assert [f["code"] for f in result["faults"]] == ["hip_sag", "insufficient_depth"]


def test_more_faults_cost_more_points():
    scores = [
        run("squat", faults=faults)[1]["score"]
        for faults in (
            {},
            {"shallow_depth": [1]},
            {"shallow_depth": [1, 2, 3]},
            {"shallow_depth": "all", "excessive_trunk_lean": "all"},
        )
    ]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 100 and scores[-1] == 50


def test_rules_that_the_capture_cannot_judge_are_listed_not_scored():
    _generated, result = run("push_up", faults={"flared_elbows": "all"})  # 2D side view: flare invisible
    assert "flared_elbows" not in fault_reps(result)
    assert {"flared_elbows"} <= {row["code"] for row in result["not_assessed"]}
    _generated, coco = run("squat", layout="coco17", dimensions=3, faults={"heels_rising": "all"})
    reasons = {row["code"]: row["reason"] for row in coco["not_assessed"]}
    assert "left_heel" in reasons["heels_rising"]


def test_a_side_view_jumping_jack_warns_about_the_camera():
    _generated, result = run("jumping_jack", view="side")
    assert result["view"] == "side"
    assert result["warnings"] and "front" in result["warnings"][0]


def test_short_gaps_in_a_joint_are_interpolated():
    generated = synthetic.generate("squat", hide={"left_knee": [0.3, 0.33], "right_knee": 0.04})
    sequence = parse_sequence(generated.payload, movement="squat")
    assert sum(point is None for point in sequence.tracks["left_knee"]) == 12
    result = analyze(sequence, "squat")
    assert result["rep_count"] == 5


def test_results_carry_downsampled_chart_series():
    _generated, result = run("squat", reps=30)
    series = result["series"]
    assert {"t", "knee", "hip", "trunk_lean"} <= set(series)
    assert len(series["t"]) <= 240 and len(series["t"]) == len(series["knee"])


# --- signal helpers -------------------------------------------------------------------------------


def test_savgol_coefficients_match_the_published_five_point_filter():
    assert [round(c * 35, 6) for c in savgol_coefficients(2)] == [-3, 12, 17, 12, -3]
    assert sum(savgol_coefficients(5)) == pytest.approx(1)


def test_savgol_keeps_a_quadratic_exactly_and_short_series_untouched():
    values = [0.5 * i * i - 3 * i + 2 for i in range(30)]
    assert savgol(values, 7) == pytest.approx(values)
    assert savgol([1.0, 2.0, 3.0], 7) == [1.0, 2.0, 3.0]


def test_fill_gaps_and_downsample():
    assert fill_gaps([None, 1.0, None, 3.0, None]) == [1.0, 1.0, 2.0, 3.0, 3.0]
    assert fill_gaps([None, None]) == [None, None]
    assert downsample(list(range(10)), 5) == [0, 2, 4, 6, 8]
