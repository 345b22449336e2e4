"""Rubric scoring: the weighted share of the top level's points (0–100).

    score = Σ(weight_c × points_c) / Σ(weight_c × max_points) × 100

where ``points_c`` are the points of the level given on criterion ``c`` and ``max_points`` is the
highest level's points of the rubric. Rounded half-up to one decimal (the model's precision).
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def weighted_score(scored: Iterable[tuple[Decimal, Decimal]], max_points: Decimal) -> Decimal:
    """``scored`` = (weight, points) per criterion. 0 when nothing can be scored."""
    rows = [(Decimal(weight), Decimal(points)) for weight, points in scored]
    max_points = Decimal(max_points)
    denominator = sum((weight * max_points for weight, _points in rows), Decimal(0))
    if denominator <= 0:
        return Decimal("0.0")
    numerator = sum((weight * points for weight, points in rows), Decimal(0))
    return (numerator / denominator * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
