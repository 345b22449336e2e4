"""Joint-angle and alignment series, computed per frame from smoothed landmark tracks.

Each series is built on demand (with what it depends on) and memoised. Angles are in degrees;
proxies are ratios of body segments, so they do not depend on the camera distance.

* ``knee_<side>`` hip–knee–ankle, ``hip_<side>`` shoulder–hip–knee, ``elbow_<side>``
  shoulder–elbow–wrist, ``shoulder_<side>`` hip–shoulder–elbow (arm to trunk) — 180° = straight;
  ``knee``, ``hip``, ``elbow``, ``shoulder`` are the means of both sides, ``knee_min`` the more bent knee.
* ``trunk_lean``: mid-hip→mid-shoulder from vertical (0° = upright).
* ``body_bend``: 180° − shoulder–hip–ankle angle, + when the hip is below the shoulder–ankle line
  (towards the floor), − above; ``hip_sag`` / ``hip_pike`` are its positive / negative parts.
* ``knee_valgus_<side>``: distance of the knee inside the hip–ankle line along the hip axis,
  divided by hip width (+ = towards the midline); ``knee_valgus`` the larger side.
* ``hip_abduction_<side>``: hip→ankle from straight down.
* ``heel_lift_<side>``: heel height above the toes (foot index) / shin length; ``heel_lift`` the larger.
* ``knee_past_toes_<side>``: horizontal distance of the knee beyond the toes, in the direction from
  the other foot to this one, / shin length (COCO-17 has no toes: 0.35 shin lengths ahead of the ankle).
* ``neck_flexion``: angle between trunk (hip→shoulder) and neck (shoulder→ear) lines.
* ``hip_height``: vertical mid-ankle→mid-hip distance in % of standing (its 95th percentile over
  the recording) — the squat's repetition signal when a 2D capture is frontal.
"""

import statistics

from physed.movement import geometry as g
from physed.movement.data import settings
from physed.movement.keypoints import Sequence
from physed.movement.signal import fill_gaps, smooth

SIDES = ("left", "right")
COCO_TOE_OFFSET = 0.35  # shin lengths from ankle to toes when the layout has no foot landmarks
SAGITTAL, FRONTAL = "sagittal", "frontal"


def _clean_track(track: list, fps: float, window_s: float) -> list:
    """Gaps filled by linear interpolation, then each coordinate smoothed (Savitzky–Golay)."""
    dims = len(next(point for point in track if point is not None))
    components = [smooth([None if p is None else p[k] for p in track], fps, window_s) for k in range(dims)]
    return [tuple(values) for values in zip(*components, strict=True)]


class SeriesBuilder:
    def __init__(self, sequence: Sequence):
        self.sequence = sequence
        self.n = sequence.frame_count
        self._tracks: dict[str, list] = {}
        self._series: dict[str, list] = {}
        smoothing = settings()["smoothing"]
        self.window_s = smoothing["window_s"]
        self._view: str | None = None

    # --- landmarks -------------------------------------------------------------------------
    def track(self, name: str) -> list | None:
        if name not in self._tracks:
            raw = self.sequence.tracks.get(name)
            if raw is None or all(p is None for p in raw):
                self._tracks[name] = None
            else:
                self._tracks[name] = _clean_track(raw, self.sequence.fps, self.window_s)
        return self._tracks[name]

    def has(self, *names: str) -> bool:
        return all(self.track(name) is not None for name in names)

    def _mid(self, a: str, b: str) -> list | None:
        ta, tb = self.track(a), self.track(b)
        if ta is None or tb is None:
            return None
        return [g.midpoint(p, q) for p, q in zip(ta, tb, strict=True)]

    # --- series --------------------------------------------------------------------------------
    def get(self, name: str) -> list | None:
        """Smoothed per-frame values of ``name`` (None if its landmarks are not in the layout)."""
        if name not in self._series:
            self._series[name] = self._build(name)
        return self._series[name]

    def _smoothed(self, raw: list | None) -> list | None:
        """Landmarks are already smoothed; a frame where an angle is undefined is interpolated."""
        if raw is None or all(v is None for v in raw):
            return None
        return fill_gaps(raw)

    def _per_frame(self, fn, *tracks) -> list | None:
        if any(t is None for t in tracks):
            return None
        return self._smoothed([fn(*points) for points in zip(*tracks, strict=True)])

    def _both(self, base: str, combine) -> list | None:
        left, right = self.get(f"{base}_left"), self.get(f"{base}_right")
        if left is None or right is None:
            return left or right
        return [combine(a, b) for a, b in zip(left, right, strict=True)]

    def _build(self, name: str):
        for side in SIDES:
            if name.endswith(f"_{side}"):
                return self._side_series(name.removesuffix(f"_{side}"), side)
        if name in ("knee", "hip", "elbow", "shoulder", "hip_abduction"):
            return self._both(name, lambda a, b: (a + b) / 2)
        if name == "knee_min":
            return self._both("knee", min)
        if name in ("knee_valgus", "heel_lift"):
            return self._both(name, max)
        if name == "trunk_lean":
            return self._per_frame(
                lambda hip, shoulder: g.angle_from_vertical(g.sub(shoulder, hip)),
                self._mid("left_hip", "right_hip"),
                self._mid("left_shoulder", "right_shoulder"),
            )
        if name == "body_bend":
            return self._per_frame(
                _body_bend,
                self._mid("left_shoulder", "right_shoulder"),
                self._mid("left_hip", "right_hip"),
                self._mid("left_ankle", "right_ankle"),
            )
        if name == "hip_sag":
            bend = self.get("body_bend")
            return None if bend is None else [max(v, 0.0) for v in bend]
        if name == "hip_pike":
            bend = self.get("body_bend")
            return None if bend is None else [max(-v, 0.0) for v in bend]
        if name == "body_line":
            bend = self.get("body_bend")
            return None if bend is None else [180.0 - abs(v) for v in bend]
        if name == "hip_height":
            raw = self._per_frame(
                lambda hip, ankle: ankle[1] - hip[1],
                self._mid("left_hip", "right_hip"),
                self._mid("left_ankle", "right_ankle"),
            )
            if raw is None:
                return None
            standing = sorted(raw)[int(0.95 * (len(raw) - 1))]
            return [100 * v / standing for v in raw] if standing > 0 else None
        if name == "neck_flexion":
            return self._per_frame(
                lambda hip, shoulder, ear: g.angle_between(g.sub(shoulder, hip), g.sub(ear, shoulder)),
                self._mid("left_hip", "right_hip"),
                self._mid("left_shoulder", "right_shoulder"),
                self._mid("left_ear", "right_ear"),
            )
        raise KeyError(name)

    def _side_series(self, base: str, side: str):
        other = "right" if side == "left" else "left"
        t = {part: self.track(f"{side}_{part}") for part in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")}
        if base == "knee":
            return self._per_frame(g.joint_angle, t["hip"], t["knee"], t["ankle"])
        if base == "hip":
            return self._per_frame(g.joint_angle, t["shoulder"], t["hip"], t["knee"])
        if base == "elbow":
            return self._per_frame(g.joint_angle, t["shoulder"], t["elbow"], t["wrist"])
        if base == "shoulder":
            return self._per_frame(g.joint_angle, t["hip"], t["shoulder"], t["elbow"])
        if base == "hip_abduction":
            return self._per_frame(lambda hip, ankle: g.angle_from_down(g.sub(ankle, hip)), t["hip"], t["ankle"])
        if base == "knee_valgus":
            return self._per_frame(_valgus, t["hip"], t["knee"], t["ankle"], self._hip_axis(side))
        if base == "heel_lift":
            return self._per_frame(
                _heel_lift, self.track(f"{side}_heel"), self.track(f"{side}_foot_index"), t["knee"], t["ankle"]
            )
        if base == "knee_past_toes":
            toes = self.track(f"{side}_foot_index")
            other_ankle = self.track(f"{other}_ankle")
            if toes is None:
                return self._per_frame(
                    lambda knee, ankle, o: _knee_past_toes(knee, ankle, None, o), t["knee"], t["ankle"], other_ankle
                )
            return self._per_frame(_knee_past_toes, t["knee"], t["ankle"], toes, other_ankle)
        raise KeyError(f"{base}_{side}")

    def _hip_axis(self, side: str) -> list | None:
        """Vector from this hip to the other, smoothed over ``axis_window_s``: the pelvis turns
        slowly, and a noisy axis would leak the knee's forward travel into the medial offset."""
        other = "right" if side == "left" else "left"
        this, that = self.track(f"{side}_hip"), self.track(f"{other}_hip")
        if this is None or that is None:
            return None
        raw = [g.sub(b, a) for a, b in zip(this, that, strict=True)]
        window = settings()["smoothing"]["axis_window_s"]
        components = [smooth([v[k] for v in raw], self.sequence.fps, window) for k in range(len(raw[0]))]
        return [tuple(values) for values in zip(*components, strict=True)]

    # --- view ----------------------------------------------------------------------------------
    def view(self) -> str:
        """ "3d", or for 2D "front" / "side" from how wide the shoulders look against the trunk."""
        if self._view is None:
            if self.sequence.dimensions == 3:
                self._view = "3d"
            else:
                ratio = self._width_ratio("left_shoulder", "right_shoulder")
                self._view = "front" if ratio is not None and ratio >= settings()["view"]["front_ratio"] else "side"
        return self._view

    def _width_ratio(self, left: str, right: str) -> float | None:
        tl, tr = self.track(left), self.track(right)
        hips, shoulders = self._mid("left_hip", "right_hip"), self._mid("left_shoulder", "right_shoulder")
        if None in (tl, tr, hips, shoulders):
            return None
        widths = [g.norm(g.sub(a, b)) for a, b in zip(tl, tr, strict=True)]
        trunks = [g.norm(g.sub(a, b)) for a, b in zip(shoulders, hips, strict=True)]
        trunk = statistics.median(trunks)
        return statistics.median(widths) / trunk if trunk else None

    def measurable(self, plane: str, series: str = "") -> bool:
        view = self.view()
        if view == "3d":
            return True
        if plane == FRONTAL and view != "front":
            return False
        if plane == SAGITTAL and view != "side":
            return False
        if series.startswith("knee_valgus"):
            ratio = self._width_ratio("left_hip", "right_hip")
            return ratio is not None and ratio >= settings()["view"]["min_hip_width_ratio"]
        return True


def _body_bend(shoulder, hip, ankle):
    angle = g.joint_angle(shoulder, hip, ankle)
    if angle is None:
        return None
    return (180.0 - angle) * g.vertical_offset_sign(hip, shoulder, ankle)


def _valgus(hip, knee, ankle, axis):
    width = g.norm(axis)
    if width == 0:
        return None
    medial = g.scale(axis, 1 / width)
    return g.dot(g.offset_from_line(knee, hip, ankle), medial) / width


def _heel_lift(heel, toes, knee, ankle):
    shin = g.norm(g.sub(knee, ankle))
    return (toes[1] - heel[1]) / shin if shin else None


def _knee_past_toes(knee, ankle, toes, other_ankle):
    shin = g.norm(g.sub(knee, ankle))
    forward = g.sub(ankle, other_ankle)
    forward = (forward[0], 0.0) if len(forward) == 2 else (forward[0], 0.0, forward[2])
    length = g.norm(forward)
    if not shin or not length:
        return None
    forward = g.scale(forward, 1 / length)
    if toes is None:
        toes = g.add(ankle, g.scale(forward, COCO_TOE_OFFSET * shin))
    return g.dot(g.sub(knee, toes), forward) / shin
