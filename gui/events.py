"""Stepping through the days of events (the moments of ``timeline.api.moment_keys``), for the
previous/next event buttons. Pure functions; no Qt."""

from __future__ import annotations

import bisect
from collections.abc import Sequence


def previous_day(sorted_days: Sequence[int], day: int) -> int | None:
    """The last of ``sorted_days`` before ``day`` (None: none is)."""
    k = bisect.bisect_left(sorted_days, day)
    return sorted_days[k - 1] if k > 0 else None


def next_day(sorted_days: Sequence[int], day: int) -> int | None:
    """The first of ``sorted_days`` after ``day`` (None: none is)."""
    k = bisect.bisect_right(sorted_days, day)
    return sorted_days[k] if k < len(sorted_days) else None
