"""Signal processing on per-frame series: gap filling, Savitzky–Golay smoothing, downsampling."""

import math
from itertools import pairwise


def fill_gaps(values: list) -> list:
    """Linear interpolation across missing values (None); the ends take the nearest known value.
    All-missing stays all-missing."""
    known = [i for i, v in enumerate(values) if v is not None]
    if not known:
        return list(values)
    result = list(values)
    first, last = known[0], known[-1]
    for i in range(first):
        result[i] = values[first]
    for i in range(last + 1, len(values)):
        result[i] = values[last]
    for a, b in pairwise(known):
        if b - a > 1:
            va, vb = values[a], values[b]
            for i in range(a + 1, b):
                k = (i - a) / (b - a)
                result[i] = va + (vb - va) * k
    return result


def savgol_coefficients(half_window: int) -> list[float]:
    """Smoothing weights of a quadratic (= cubic) Savitzky–Golay filter of 2m+1 points:
    c_i = (3(3m² + 3m − 1) − 15 i²) / ((2m + 1)(2m − 1)(2m + 3)), i = −m … m."""
    m = half_window
    denominator = (2 * m + 1) * (2 * m - 1) * (2 * m + 3)
    return [(3 * (3 * m * m + 3 * m - 1) - 15 * i * i) / denominator for i in range(-m, m + 1)]


def savgol(values: list[float], window: int) -> list[float]:
    """Savitzky–Golay smoothing (quadratic) with an odd ``window``; near the ends the window
    shrinks symmetrically so no sample is invented. A window below 5 returns the values."""
    n = len(values)
    half = min(window // 2, (n - 1) // 2)
    if half < 2:
        return list(values)
    weights = {m: savgol_coefficients(m) for m in range(2, half + 1)}
    result = []
    for i in range(n):
        m = min(half, i, n - 1 - i)
        if m < 2:
            result.append(values[i])
            continue
        coefficients = weights[m]
        result.append(sum(c * values[i + j] for c, j in zip(coefficients, range(-m, m + 1), strict=True)))
    return result


def window_frames(fps: float, seconds: float) -> int:
    frames = max(1, round(fps * seconds))
    return frames if frames % 2 else frames + 1


def smooth(values: list, fps: float, seconds: float) -> list:
    """Fill gaps, then smooth. A series with no value at all stays None everywhere."""
    filled = fill_gaps(values)
    if not filled or filled[0] is None:
        return filled
    return savgol(filled, window_frames(fps, seconds))


def downsample(values: list, max_points: int) -> list:
    if len(values) <= max_points:
        return list(values)
    step = math.ceil(len(values) / max_points)
    return values[::step]


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None
