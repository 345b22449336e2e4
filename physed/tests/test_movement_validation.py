"""Bad keypoint sequences are refused with the field and a clear message (plain Python, no DB)."""

import copy
import math
import time

import pytest

from physed.movement import KeypointError, parse_sequence, synthetic


@pytest.fixture(scope="module")
def good():
    return synthetic.generate("squat", reps=2).payload


def refuse(payload, movement="squat"):
    with pytest.raises(KeypointError) as info:
        parse_sequence(payload, movement=movement)
    return info.value


def changed(payload, **values):
    result = copy.deepcopy(payload)
    result.update(values)
    return result


def test_a_good_sequence_parses(good):
    sequence = parse_sequence(good, movement="squat")
    assert sequence.layout == "blazepose33"
    assert sequence.frame_count == len(good["frames"])
    assert sequence.duration == pytest.approx(len(good["frames"]) / 30)


def test_not_an_object():
    assert refuse([1, 2]).field == "keypoints"


def test_unknown_layout(good):
    error = refuse(changed(good, layout="openpose25"))
    assert error.field == "keypoints.layout" and error.code == "unknown_layout"
    assert "blazepose33" in error.message and "coco17" in error.message


def test_unknown_top_level_key(good):
    assert refuse(changed(good, width=640)).code == "unknown_key"


def test_wrong_landmark_count_for_the_layout(good):
    error = refuse(changed(good, layout="coco17"))
    assert error.code == "wrong_landmark_count"
    assert error.message == "The layout has 17 landmarks per frame; frame 0 has 33."
    assert error.field == "keypoints.frames[0]"


@pytest.mark.parametrize("dimensions", [1, 4, "2", True, None])
def test_wrong_dimensions(good, dimensions):
    assert refuse(changed(good, dimensions=dimensions)).field == "keypoints.dimensions"


def test_3d_declared_for_2d_landmarks(good):
    # [x, y, visibility] read as 3D is [x, y, z] — fine; a 2-value landmark is not
    payload = changed(good, dimensions=3)
    payload["frames"][0][0] = [0.5, 0.5]
    error = refuse(payload)
    assert error.code == "bad_dimensions" and error.field == "keypoints.frames[0][0]"


@pytest.mark.parametrize(("fps", "code"), [(0, "bad_fps"), (-30, "bad_fps"), (1000, "bad_fps"), ("30", "not_a_number")])
def test_bad_fps(good, fps, code):
    error = refuse(changed(good, fps=fps))
    assert error.field == "keypoints.fps" and error.code == code


def test_fps_is_required_without_frame_times(good):
    payload = changed(good)
    payload.pop("fps")
    assert refuse(payload).code == "required"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(good, value):
    payload = changed(good)
    payload["frames"][3][25][1] = value
    error = refuse(payload)
    assert error.code == "not_finite" and error.field == "keypoints.frames[3][25]"
    assert "NaN" in error.message


@pytest.mark.parametrize("value", ["0.5", None, True, [0.5]])
def test_non_numeric_coordinates_are_refused(good, value):
    payload = changed(good)
    payload["frames"][1][11][0] = value
    assert refuse(payload).code == "not_a_number"


def test_visibility_out_of_range(good):
    payload = changed(good)
    payload["frames"][0][0][2] = 1.5
    assert refuse(payload).code == "out_of_range"


def test_too_few_frames(good):
    error = refuse(changed(good, frames=good["frames"][:20]))
    assert error.code == "too_few_frames" and "shorter than 1 s" in error.message


def test_100000_frames_are_refused_before_reading_any():
    frame = [[0.5, 0.5]] * 33
    payload = {"layout": "blazepose33", "fps": 30, "frames": [frame] * 100_000}
    started = time.perf_counter()
    error = refuse(payload)
    assert time.perf_counter() - started < 0.05
    assert error.code == "too_many_frames" and "100000 frames" in error.message


def test_missing_required_joints_name_the_joints(good):
    generated = synthetic.generate("squat", reps=2, hide={"left_knee": 0.5, "right_ankle": 1.0})
    error = refuse(generated.payload)
    assert error.code == "missing_joints"
    assert "left_knee" in error.message and "right_ankle (100% of frames)" in error.message
    assert "left_hip" not in error.message


def test_null_landmarks_count_as_missing(good):
    payload = changed(good)
    for frame in payload["frames"]:
        frame[13] = None  # left elbow: not needed for a squat
    assert parse_sequence(payload, movement="squat").tracks["left_elbow"][0] is None
    with pytest.raises(KeypointError):
        parse_sequence(payload, movement="push_up")


def test_landmark_objects_are_accepted(good):
    payload = changed(good)
    payload["frames"] = [[{"x": x, "y": y, "visibility": v} for x, y, v in frame] for frame in payload["frames"]]
    assert parse_sequence(payload, movement="squat").frame_count == len(good["frames"])
    payload["frames"][0][0] = {"x": 1, "q": 2}
    assert refuse(payload).field == "keypoints.frames[0][0]"


def test_frame_times_must_increase(good):
    frames = [{"t": i / 30, "keypoints": frame} for i, frame in enumerate(good["frames"])]
    frames[5]["t"] = frames[4]["t"]
    payload = {"layout": "blazepose33", "frames": frames}
    assert refuse(payload).code == "bad_time"
    frames[5] = good["frames"][5]
    assert "when the first one is" in refuse(payload).message


def test_mixed_frame_kinds_and_bad_frames(good):
    payload = changed(good)
    payload["frames"][2] = "frame"
    assert refuse(payload).field == "keypoints.frames[2]"
    assert refuse(changed(good, frames=[])).code == "no_frames"


@pytest.mark.parametrize(
    ("key", "value"), [("aspect_ratio", 0), ("aspect_ratio", 50), ("source", 5), ("source", "x" * 101)]
)
def test_optional_fields_are_checked(good, key, value):
    assert refuse(changed(good, **{key: value})).field == f"keypoints.{key}"


def test_huge_coordinates_are_refused(good):
    payload = changed(good)
    payload["frames"][0][0][0] = 1e300
    assert refuse(payload).code == "out_of_range"
