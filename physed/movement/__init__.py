"""Movement analysis from pose keypoints (PE core §5), in plain Python.

No Django imports anywhere in this package, so every step can be tested in isolation:

* ``keypoints.parse_sequence`` validates a capture client's JSON (layout, fps, frames) → ``Sequence``;
* ``series.compute_series`` turns landmarks into smoothed joint-angle series;
* ``reps.segment_reps`` counts repetitions with hysteresis and measures tempo and range of motion;
* ``rules.evaluate`` checks each repetition against the movement's rule set (``physed/data/movement``)
  and scores the form; ``analysis.analyze`` ties them together into one explainable result;
* ``synthetic`` builds keypoint sequences with known angles, repetitions and faults (tests, demo).
"""

from physed.movement.analysis import analyze
from physed.movement.data import MOVEMENTS, layout_names, rule_set
from physed.movement.errors import KeypointError
from physed.movement.keypoints import Sequence, parse_sequence

__all__ = ["MOVEMENTS", "KeypointError", "Sequence", "analyze", "layout_names", "parse_sequence", "rule_set"]
