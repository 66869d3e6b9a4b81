"""Percentiles and latency summaries (pure)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0 ≤ q ≤ 1), linearly interpolated between closest ranks.

    The same definition as NumPy's default, so figures compare with other tools.
    """
    if not values:
        msg = "percentile of no values"
        raise ValueError(msg)
    if not 0.0 <= q <= 1.0:
        msg = f"quantile {q} outside [0, 1]"
        raise ValueError(msg)
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Latency:
    """p50/p99/max of a sample, in seconds."""

    n: int
    p50: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> "Latency | None":
        if not values:
            return None
        return cls(len(values), percentile(values, 0.5), percentile(values, 0.99), max(values))
