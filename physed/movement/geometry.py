"""Vector geometry on 2D or 3D points (tuples). The vertical axis is y, pointing down (image
convention, also MediaPipe's world landmarks)."""

import math

VERTICAL_UP_2D = (0.0, -1.0)
VERTICAL_UP_3D = (0.0, -1.0, 0.0)


def sub(a, b):
    return tuple(x - y for x, y in zip(a, b, strict=True))


def add(a, b):
    return tuple(x + y for x, y in zip(a, b, strict=True))


def scale(a, k: float):
    return tuple(x * k for x in a)


def dot(a, b) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def norm(a) -> float:
    return math.sqrt(dot(a, a))


def midpoint(a, b):
    return tuple((x + y) / 2 for x, y in zip(a, b, strict=True))


def angle_between(u, v) -> float | None:
    """Angle between two vectors in degrees (0–180); None when one has no length."""
    nu, nv = norm(u), norm(v)
    if nu == 0 or nv == 0:
        return None
    cosine = max(-1.0, min(1.0, dot(u, v) / (nu * nv)))
    return math.degrees(math.acos(cosine))


def joint_angle(a, vertex, c) -> float | None:
    """Interior angle a–vertex–c in degrees (180 = straight)."""
    return angle_between(sub(a, vertex), sub(c, vertex))


def angle_from_vertical(vector) -> float | None:
    """Angle between ``vector`` and straight up (0 = upright, 90 = horizontal)."""
    up = VERTICAL_UP_3D if len(vector) == 3 else VERTICAL_UP_2D
    return angle_between(vector, up)


def angle_from_down(vector) -> float | None:
    down = (0.0, 1.0, 0.0) if len(vector) == 3 else (0.0, 1.0)
    return angle_between(vector, down)


def offset_from_line(point, start, end):
    """The vector from the closest point of the line start→end to ``point``."""
    direction = sub(end, start)
    length2 = dot(direction, direction)
    if length2 == 0:
        return sub(point, start)
    t = dot(sub(point, start), direction) / length2
    return sub(point, add(start, scale(direction, t)))


def vertical_offset_sign(point, start, end) -> float:
    """+1 when ``point`` lies below the line start→end (towards the floor, larger y), −1 above."""
    offset = offset_from_line(point, start, end)
    return 1.0 if offset[1] > 0 else -1.0
