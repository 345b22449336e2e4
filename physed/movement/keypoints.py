"""Validation of a capture client's keypoint JSON into a ``Sequence`` (landmark tracks by name).

Accepted (documented in docs/physed-movement.md and the OpenAPI schema)::

    {"layout": "blazepose33" | "coco17", "fps": 30, "dimensions": 2 | 3, "aspect_ratio": 1.78,
     "frames": [[[x, y(, z)(, visibility)] | {"x":…, "y":…, "z":…, "visibility":…} | null, …], …]}

or frames as ``{"t": seconds, "keypoints": [...]}`` (then ``fps`` may be left out). Everything that
is wrong is a ``KeypointError`` naming the field; the frame count is checked before any frame is
read, so a 100,000-frame upload is refused at once.
"""

import math
from dataclasses import dataclass, field

from physed.movement import data
from physed.movement.errors import KeypointError

TOP_LEVEL_KEYS = {"layout", "fps", "dimensions", "frames", "aspect_ratio", "source"}
MAX_COORDINATE = 1e6


@dataclass
class Sequence:
    layout: str
    dimensions: int
    fps: float
    times: list[float]
    tracks: dict[str, list[tuple | None]]  # landmark name → per-frame point (None = missing or not visible)
    payload: dict = field(repr=False, default_factory=dict)  # the validated input, kept for re-analysis

    @property
    def frame_count(self) -> int:
        return len(self.times)

    @property
    def duration(self) -> float:
        return self.times[-1] - self.times[0] + 1.0 / self.fps if self.times else 0.0

    def has(self, name: str) -> bool:
        return name in self.tracks


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value, where: str, what: str) -> float:
    if not _number(value):
        raise KeypointError(f"{what} must be a number.", field=where, code="not_a_number")
    value = float(value)
    if not math.isfinite(value):
        raise KeypointError(
            f"{what} must be a finite number (NaN and Infinity are not allowed).", field=where, code="not_finite"
        )
    return value


def parse_sequence(payload, *, movement: str | None = None) -> Sequence:
    limits = data.settings()["limits"]
    if not isinstance(payload, dict):
        raise KeypointError("Send the keypoints as a JSON object with layout, fps, dimensions and frames.")
    unknown = sorted(set(payload) - TOP_LEVEL_KEYS)
    if unknown:
        raise KeypointError(
            f"Unknown keys: {', '.join(map(str, unknown))}.", field=f"keypoints.{unknown[0]}", code="unknown_key"
        )

    layout = payload.get("layout")
    known = data.layouts()
    if layout not in known:
        raise KeypointError(
            f"Unknown layout {layout!r}; use one of: {', '.join(sorted(known))}.",
            field="keypoints.layout",
            code="unknown_layout",
        )
    names = data.layout_names(layout)

    dimensions = payload.get("dimensions", 2)
    if dimensions not in (2, 3) or isinstance(dimensions, bool) or not isinstance(dimensions, int):
        raise KeypointError("dimensions must be 2 or 3.", field="keypoints.dimensions", code="bad_dimensions")

    frames = payload.get("frames")
    if not isinstance(frames, list) or not frames:
        raise KeypointError("frames must be a non-empty list.", field="keypoints.frames", code="no_frames")
    if len(frames) > limits["max_frames"]:  # before reading any frame
        raise KeypointError(
            f"{len(frames)} frames is more than the limit of {limits['max_frames']}.",
            field="keypoints.frames",
            code="too_many_frames",
        )

    fps = payload.get("fps")
    timed = isinstance(frames[0], dict)
    if fps is not None or not timed:
        fps = _finite(fps, "keypoints.fps", "fps") if fps is not None else None
        if fps is None:
            raise KeypointError(
                "fps is required (frames per second of the capture).", field="keypoints.fps", code="required"
            )
        if fps < limits["min_fps"] or fps > limits["max_fps"]:
            raise KeypointError(
                f"fps must be between {limits['min_fps']} and {limits['max_fps']}; got {fps:g}.",
                field="keypoints.fps",
                code="bad_fps",
            )
    if fps is not None and len(frames) / fps < limits["min_duration_s"]:
        raise KeypointError(
            f"{len(frames)} frames at {fps:g} fps is shorter than {limits['min_duration_s']:g} s.",
            field="keypoints.frames",
            code="too_few_frames",
        )

    aspect = payload.get("aspect_ratio", 1.0)
    aspect = _finite(aspect, "keypoints.aspect_ratio", "aspect_ratio")
    if not 0 < aspect <= limits["max_aspect_ratio"]:
        raise KeypointError(
            "aspect_ratio (width / height) must be above 0 and at most 10.", field="keypoints.aspect_ratio"
        )
    source = payload.get("source", "")
    if not isinstance(source, str) or len(source) > 100:
        raise KeypointError("source must be a text of at most 100 characters.", field="keypoints.source")

    times, tracks = _read_frames(frames, names, dimensions, timed, fps, aspect)
    if fps is None:
        span = times[-1] - times[0]
        if span <= 0:
            raise KeypointError("Frame times must increase.", field="keypoints.frames", code="bad_time")
        fps = (len(times) - 1) / span
        if fps > limits["max_fps"] or span + 1 / fps < limits["min_duration_s"]:
            raise KeypointError(
                f"The frames cover {span:.2f} s at {fps:.1f} fps; need at least {limits['min_duration_s']:g} s "
                f"and at most {limits['max_fps']} fps.",
                field="keypoints.frames",
                code="too_few_frames" if fps <= limits["max_fps"] else "bad_fps",
            )
    sequence = Sequence(layout=layout, dimensions=dimensions, fps=fps, times=times, tracks=tracks, payload=payload)
    if movement is not None:
        check_required_joints(sequence, movement)
    return sequence


def _read_frames(frames, names, dimensions, timed, fps, aspect):
    count = len(names)
    min_visibility = data.settings()["visibility"]["min_visibility"]
    tracks: dict[str, list] = {name: [] for name in names}
    columns = [tracks[name] for name in names]
    times: list[float] = []
    previous_t = None
    for index, frame in enumerate(frames):
        where = f"keypoints.frames[{index}]"
        if timed:
            if not isinstance(frame, dict) or set(frame) - {"t", "keypoints"} or "keypoints" not in frame:
                raise KeypointError(
                    'Every frame must be {"t": seconds, "keypoints": [...]} when the first one is.', field=where
                )
            t = _finite(frame.get("t"), f"{where}.t", "t")
            if previous_t is not None and t <= previous_t:
                raise KeypointError("Frame times must increase.", field=f"{where}.t", code="bad_time")
            previous_t = t
            landmarks = frame["keypoints"]
        else:
            if not isinstance(frame, list):
                raise KeypointError("Every frame must be a list of landmarks.", field=where)
            t = index / fps
            landmarks = frame
        if not isinstance(landmarks, list) or len(landmarks) != count:
            got = len(landmarks) if isinstance(landmarks, list) else "no"
            raise KeypointError(
                f"The layout has {count} landmarks per frame; frame {index} has {got}.",
                field=where,
                code="wrong_landmark_count",
            )
        times.append(t)
        for position, (column, landmark) in enumerate(zip(columns, landmarks, strict=True)):
            column.append(_landmark(landmark, dimensions, aspect, min_visibility, f"{where}[{position}]"))
    start = times[0]
    return [t - start for t in times], tracks


def _landmark(landmark, dimensions, aspect, min_visibility, where):
    if landmark is None:
        return None
    if isinstance(landmark, dict):
        keys = ("x", "y", "z")[:dimensions]
        if set(landmark) - {"x", "y", "z", "visibility", "presence"}:
            raise KeypointError("A landmark object has keys x, y, z and visibility.", field=where)
        values = [landmark.get(key) for key in keys]
        visibility = landmark.get("visibility")
        if any(v is None for v in values):
            raise KeypointError(
                f"A {dimensions}D landmark needs {', '.join(keys)}.", field=where, code="bad_dimensions"
            )
    elif isinstance(landmark, list):
        if len(landmark) not in (dimensions, dimensions + 1):
            raise KeypointError(
                f"A {dimensions}D landmark is [x, y{', z' if dimensions == 3 else ''}] with an optional visibility; "
                f"got {len(landmark)} values.",
                field=where,
                code="bad_dimensions",
            )
        values = landmark[:dimensions]
        visibility = landmark[dimensions] if len(landmark) > dimensions else None
    else:
        raise KeypointError("A landmark must be a list of numbers, an object or null.", field=where)
    point = []
    for value in values:
        value = _finite(value, where, "A coordinate")
        if abs(value) > MAX_COORDINATE:
            raise KeypointError("A coordinate is out of range.", field=where, code="out_of_range")
        point.append(value)
    if visibility is not None:
        visibility = _finite(visibility, where, "Visibility")
        if not 0 <= visibility <= 1:
            raise KeypointError("Visibility must be between 0 and 1.", field=where, code="out_of_range")
        if visibility < min_visibility:
            return None
    point[0] *= aspect
    if dimensions == 3:
        point[2] *= aspect
    return tuple(point)


def check_required_joints(sequence: Sequence, movement: str) -> None:
    """Each joint the movement's rules need must be seen in enough frames (gaps are interpolated)."""
    settings = data.settings()["visibility"]
    required = data.rule_set(movement)["required_joints"]
    count = sequence.frame_count
    missing = []
    for name in required:
        track = sequence.tracks.get(name)
        absent = count if track is None else sum(1 for point in track if point is None)
        if absent / count > settings["max_missing_fraction"]:
            missing.append((name, absent / count))
    if missing:
        listed = ", ".join(f"{name} ({share:.0%} of frames)" for name, share in missing)
        raise KeypointError(
            f"Required joints are missing or below visibility {settings['min_visibility']:g} in more than "
            f"{settings['max_missing_fraction']:.0%} of frames: {listed}.",
            field="keypoints.frames",
            code="missing_joints",
        )
