"""Repetition counting with hysteresis, tempo and range of motion from the primary angle.

A "down" movement (squat, push-up, lunge, sit-up) counts a repetition when the primary angle falls
below ``enter`` after having been above ``exit``, and completes it when it climbs back above
``exit``; an "up" movement (jumping jack) is the mirror image. Two thresholds (hysteresis) mean
jitter around one of them can never count twice.

Within each repetition, with R = its range (top − bottom) and tolerance τ (analysis.json):

* the window runs from the top turning point before the descent to the one after the ascent
  (range of motion, symmetry and per-repetition metrics are read over it);
* start = the last frame before the descent still within τ·R of the top it left, end = the first
  frame after the ascent back within τ·R of the top it reached (the repetition's duration);
* angular velocity is the 5-point central difference of the smoothed angle; eccentric = time moving
  towards the bottom faster than ``speed_share`` × the repetition's peak speed, concentric = time
  moving back as fast; pause = duration − eccentric − concentric (mostly the hold at the bottom).
"""

from dataclasses import dataclass


@dataclass
class Rep:
    index: int
    window_start: int
    start: int
    bottom: int
    end: int
    window_end: int
    eccentric_frames: int = 0
    concentric_frames: int = 0


def segment_reps(
    values, times, *, direction: str, enter: float, exit: float, min_rep_s: float, tolerance: float, speed_share: float
):
    """Repetitions in ``values`` (smoothed primary angle, one per frame)."""
    sign = 1.0 if direction == "down" else -1.0
    q = [sign * v for v in values]  # in q every movement is "down"
    enter_q, exit_q = sign * enter, sign * exit
    crossings = []
    state = "unknown"
    down_at = 0
    for i, v in enumerate(q):
        if state == "unknown":
            if v >= exit_q:
                state = "top"
        elif state == "top":
            if v < enter_q:
                state, down_at = "bottom", i
        elif v >= exit_q:
            crossings.append((down_at, i))
            state = "top"
    reps: list[Rep] = []
    for k, (down, up) in enumerate(crossings):
        before = crossings[k - 1][1] if k else 0
        after = crossings[k + 1][0] if k + 1 < len(crossings) else len(q) - 1
        bottom = min(range(down, up + 1), key=q.__getitem__)
        low = q[bottom]
        window_start = max(range(before, down + 1), key=lambda i: (q[i], i))
        window_end = max(range(up, after + 1), key=lambda i: (q[i], -i))
        top_before, top_after = q[window_start], q[window_end]
        start = max(i for i in range(window_start, down + 1) if q[i] >= top_before - tolerance * (top_before - low))
        end = min(i for i in range(up, window_end + 1) if q[i] >= top_after - tolerance * (top_after - low))
        if times[end] - times[start] < min_rep_s:
            continue
        speed = [_velocity(q, times, i) for i in range(window_start, window_end + 1)]
        threshold = speed_share * max(abs(v) for v in speed)
        offset = bottom - window_start
        reps.append(
            Rep(
                index=len(reps) + 1,
                window_start=window_start,
                start=start,
                bottom=bottom,
                end=end,
                window_end=window_end,
                eccentric_frames=sum(1 for v in speed[:offset] if v < -threshold),
                concentric_frames=sum(1 for v in speed[offset:] if v > threshold),
            )
        )
    return reps


def _velocity(q, times, i) -> float:
    a, b = max(i - 2, 0), min(i + 2, len(q) - 1)
    span = times[b] - times[a]
    return (q[b] - q[a]) / span if span else 0.0


def rep_timing(rep: Rep, times, fps: float) -> dict:
    duration = times[rep.end] - times[rep.start]
    eccentric, concentric = rep.eccentric_frames / fps, rep.concentric_frames / fps
    return {
        "start_s": round(times[rep.start], 3),
        "bottom_s": round(times[rep.bottom], 3),
        "end_s": round(times[rep.end], 3),
        "eccentric_s": round(eccentric, 3),
        "pause_s": round(max(duration - eccentric - concentric, 0.0), 3),
        "concentric_s": round(concentric, 3),
        "duration_s": round(duration, 3),
    }


def rep_rom(rep: Rep, values) -> dict:
    window = values[rep.window_start : rep.window_end + 1]
    low, high = min(window), max(window)
    return {"min": round(low, 1), "max": round(high, 1), "range": round(high - low, 1)}


def tempo_summary(reps_timing: list[dict]) -> dict:
    if not reps_timing:
        return {}
    count = len(reps_timing)

    def avg(key):
        return round(sum(r[key] for r in reps_timing) / count, 2)

    span = reps_timing[-1]["end_s"] - reps_timing[0]["start_s"]
    return {
        "eccentric_s": avg("eccentric_s"),
        "pause_s": avg("pause_s"),
        "concentric_s": avg("concentric_s"),
        "rep_duration_s": avg("duration_s"),
        "reps_per_minute": round(count * 60 / span, 1) if span > 0 else None,
    }
