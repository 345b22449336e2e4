"""``analyze(sequence, movement)``: the whole explainable result of one keypoint sequence."""

from physed.movement import data
from physed.movement.data import text
from physed.movement.keypoints import Sequence, check_required_joints
from physed.movement.reps import rep_rom, rep_timing, segment_reps, tempo_summary
from physed.movement.rules import evaluate, symmetry_report
from physed.movement.series import SeriesBuilder
from physed.movement.signal import downsample

RESULT_VERSION = 1


def analyze(sequence: Sequence, movement: str) -> dict:
    rules = data.rule_set(movement)
    config = data.settings()
    check_required_joints(sequence, movement)
    builder = SeriesBuilder(sequence)
    primary = rules["primary"]
    if builder.view() == "front" and "primary_2d_front" in rules:
        primary = rules["primary_2d_front"]
    values = builder.get(primary["series"])
    times = sequence.times
    reps = segment_reps(
        values,
        times,
        direction=primary["direction"],
        enter=primary["enter"],
        exit=primary["exit"],
        min_rep_s=rules["min_rep_s"],
        tolerance=config["tempo"]["top_tolerance"],
        speed_share=config["tempo"]["speed_share"],
    )
    rows = [
        {
            "index": rep.index,
            **rep_timing(rep, times, sequence.fps),
            "rom": rep_rom(rep, values),
            "metrics": {},
            "faults": [],
        }
        for rep in reps
    ]
    faults, not_assessed, score = evaluate(builder, rules, reps, rows)
    view = builder.view()
    warnings = []
    if view != "3d" and view != rules["view_2d"]:
        warnings.append(text(rules["view_2d_note"]))
    if not reps:
        warnings.append("No complete repetition was found: check the movement and that the whole body is in view.")

    ranges = [row["rom"]["range"] for row in rows]
    chart_names = [primary["series"], *[n for n in rules["chart_series"] if n != primary["series"]]]
    step_values = {"t": [round(t, 3) for t in times]}
    for name in chart_names:
        series = builder.get(name)
        if series is not None:
            step_values[name] = [round(v, 1) for v in series]
    points = config["chart_points"]
    return {
        "version": RESULT_VERSION,
        "rules_version": rules["version"],
        "movement": movement,
        "layout": sequence.layout,
        "dimensions": sequence.dimensions,
        "view": view,
        "fps": round(sequence.fps, 3),
        "frame_count": sequence.frame_count,
        "duration_s": round(sequence.duration, 3),
        "primary": {
            "series": primary["series"],
            "direction": primary["direction"],
            "enter": primary["enter"],
            "exit": primary["exit"],
            "good_band": primary["good_band"],
        },
        "rep_count": len(reps),
        "reps": rows,
        "tempo": tempo_summary(rows),
        "rom": (
            {
                "min_mean": round(sum(r["rom"]["min"] for r in rows) / len(rows), 1),
                "max_mean": round(sum(r["rom"]["max"] for r in rows) / len(rows), 1),
                "range_mean": round(sum(ranges) / len(ranges), 1),
                "range_min": min(ranges),
                "range_max": max(ranges),
            }
            if rows
            else {}
        ),
        "symmetry": symmetry_report(builder, rules, reps),
        "faults": faults,
        "not_assessed": not_assessed,
        "score": score,
        "warnings": warnings,
        "series": {name: downsample(series, points) for name, series in step_values.items()},
    }
