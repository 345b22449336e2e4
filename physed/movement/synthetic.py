"""Synthetic pose sequences with KNOWN joint angles, repetitions, tempo and injected faults.

Forward kinematics: each movement is a function of a few commanded angles (knee, trunk lean,
elbow, body bend, arm and leg abduction, neck flexion, …) that places the joints from segment
lengths in metres, in a world frame with X lateral (+ = the person's left), Y down and Z forward.
Every commanded angle moves from its "top" value to the repetition's "bottom" value with a
cosine (smooth, minimum-jerk-like) profile, with pauses at the top and bottom. The result is
projected to 2D (side: Z→x; front: X→x) or kept 3D, scaled into image-like coordinates, written in
the BlazePose-33 or COCO-17 order, with optional Gaussian noise and hidden joints.

``generate(...)`` returns the JSON payload a capture client would send and the ground truth
(per-frame commanded angles, repetition count, tempo). Deterministic for a given ``seed``.
Used by the tests (physed/tests/test_movement_*.py) and the demo data.
"""

import math
import random
from dataclasses import dataclass, field

from physed.movement.data import layout_names
from physed.movement.kinematics import BUILDERS, DEFAULT_VIEW, SCALE


@dataclass
class Synthetic:
    payload: dict
    truth: dict[str, list[float]]
    reps: int
    eccentric_s: float
    pause_s: float
    concentric_s: float
    fault_reps: dict[str, list[int]] = field(default_factory=dict)


def _timeline(fps, reps, eccentric_s, pause_bottom_s, concentric_s, pause_top_s, lead_s):
    """Per frame (rep number or 0, depth 0..1) with cosine easing."""
    cycle = eccentric_s + pause_bottom_s + concentric_s + pause_top_s
    total = lead_s + reps * cycle
    frames = []
    for i in range(round(total * fps) + 1):
        t = i / fps - lead_s
        if t < 0 or t >= reps * cycle:
            frames.append((0, 0.0))
            continue
        rep, u = int(t // cycle) + 1, t % cycle
        if u < eccentric_s:
            depth = (1 - math.cos(math.pi * u / eccentric_s)) / 2
        elif u < eccentric_s + pause_bottom_s:
            depth = 1.0
        elif u < eccentric_s + pause_bottom_s + concentric_s:
            depth = (1 + math.cos(math.pi * (u - eccentric_s - pause_bottom_s) / concentric_s)) / 2
        else:
            depth = 0.0
        frames.append((rep, depth))
    return frames


def _reps_of(spec, reps: int) -> set[int]:
    if spec == "all":
        return set(range(1, reps + 1))
    return set(spec or ())


def _complete(points: dict) -> dict:
    """Face and hand landmarks near the nose and wrists (BlazePose has 33)."""
    nose = points["nose"]
    for name, (dx, dy) in {
        "left_eye_inner": (0.015, -0.03),
        "left_eye": (0.03, -0.03),
        "left_eye_outer": (0.045, -0.03),
        "right_eye_inner": (-0.015, -0.03),
        "right_eye": (-0.03, -0.03),
        "right_eye_outer": (-0.045, -0.03),
        "mouth_left": (0.02, 0.03),
        "mouth_right": (-0.02, 0.03),
    }.items():
        points[name] = (nose[0] + dx, nose[1] + dy, nose[2])
    for side in ("left", "right"):
        wrist = points[f"{side}_wrist"]
        for name, dy in (("pinky", 0.06), ("index", 0.07), ("thumb", 0.04)):
            points[f"{side}_{name}"] = (wrist[0], wrist[1] + dy, wrist[2])
    return points


def generate(
    movement: str,
    *,
    layout: str = "blazepose33",
    dimensions: int = 2,
    view: str | None = None,
    fps: float = 30,
    reps: int = 5,
    eccentric_s: float = 1.0,
    pause_bottom_s: float = 0.2,
    concentric_s: float = 0.8,
    pause_top_s: float = 0.5,
    lead_s: float = 0.8,
    faults: dict | None = None,
    asymmetry: float = 0.0,
    noise: float = 0.0,
    hide: dict | None = None,
    visibility: bool = True,
    seed: int = 0,
) -> Synthetic:
    """``faults``: {fault code: [rep numbers] or "all"}; ``asymmetry``: degrees of left/right
    difference at the bottom (squat knees, jumping-jack right arm); ``hide``: {landmark: share of
    frames from the start, or [from, to) as shares} reported with visibility 0.1; ``noise``:
    Gaussian σ in image units."""
    build = BUILDERS[movement]
    view = view or DEFAULT_VIEW[movement]
    fault_reps = {code: sorted(_reps_of(spec, reps)) for code, spec in (faults or {}).items()}
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    names = layout_names(layout)
    timeline = _timeline(fps, reps, eccentric_s, pause_bottom_s, concentric_s, pause_top_s, lead_s)
    truth: dict[str, list[float]] = {}
    frames = []
    center = None
    spans = {name: (0.0, span) if isinstance(span, int | float) else span for name, span in (hide or {}).items()}
    hidden = {name: (int(a * len(timeline)), int(b * len(timeline))) for name, (a, b) in spans.items()}
    for index, (rep, depth) in enumerate(timeline):
        faulty = {code for code, numbers in fault_reps.items() if rep in numbers}
        if movement == "lunge":
            points, known = build(depth, faulty, asymmetry, front="left" if rep % 2 == 1 else "right")
        else:
            points, known = build(depth, faulty, asymmetry)
        for key, value in known.items():
            truth.setdefault(key, []).append(value)
        points = _complete(points)
        if center is None:
            xs = [p[2] if view == "side" else p[0] for p in points.values()]
            center = (min(xs) + max(xs)) / 2
        frame = []
        for name in names:
            x, y, z = points[name]
            if dimensions == 3:
                coords = [0.5 + SCALE * x, 0.92 + SCALE * y, SCALE * (z - center)]
            elif view == "side":
                coords = [0.5 + SCALE * (z - center), 0.92 + SCALE * y]
            else:
                coords = [0.5 + SCALE * (x - center), 0.92 + SCALE * y]
            if noise:
                coords = [c + rng.gauss(0, noise) for c in coords]
            coords = [round(c, 5) for c in coords]
            if visibility:
                first, last = hidden.get(name, (0, 0))
                coords.append(0.1 if first <= index < last else 0.99)
            frame.append(coords)
        frames.append(frame)
    payload = {"layout": layout, "fps": fps, "dimensions": dimensions, "frames": frames}
    return Synthetic(
        payload=payload,
        truth=truth,
        reps=reps,
        eccentric_s=eccentric_s,
        pause_s=pause_bottom_s,
        concentric_s=concentric_s,
        fault_reps=fault_reps,
    )
