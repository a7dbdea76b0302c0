"""The archive's timeline as a list of dated moments, for the event list, the density strip
and the previous/next buttons. Pure functions; no Qt.

A claim gives a "begins" moment on the first day it may hold (``start_lo``), and, when its
valid time is an interval with a known end, an "ends" moment on the first day it may no longer
hold (``end_lo``). A claim that is one date (``2023-11-17``, ``2018-22``) is a single moment.
Which claims hold on a day is still the engine's answer; these are only places to jump to.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from timeline.dates import NEG_INF, POS_INF
from timeline.readmodel import ClaimRow

BEGINS, ENDS = "begins", "ends"


@dataclass(frozen=True)
class Moment:
    day: int
    kind: str  # BEGINS or ENDS
    claim: ClaimRow

    @property
    def withdrawn(self) -> bool:
        """Retracted or superseded, as known now (it stays in the record)."""
        return self.claim.withdrawn_day != POS_INF


def moments(rows: Iterable[ClaimRow]) -> list[Moment]:
    out = []
    for row in rows:
        if row.start_lo != NEG_INF:
            out.append(Moment(row.start_lo, BEGINS, row))
        if "/" in row.valid and row.end_lo != POS_INF:
            out.append(Moment(row.end_lo, ENDS, row))
    out.sort(key=lambda m: (m.day, m.kind != BEGINS, m.claim.n))
    return out


def days(found: Sequence[Moment]) -> list[int]:
    """The distinct days of the moments, sorted."""
    return sorted({m.day for m in found})


def previous_day(sorted_days: Sequence[int], day: int) -> int | None:
    k = bisect.bisect_left(sorted_days, day)
    return sorted_days[k - 1] if k > 0 else None


def next_day(sorted_days: Sequence[int], day: int) -> int | None:
    k = bisect.bisect_right(sorted_days, day)
    return sorted_days[k] if k < len(sorted_days) else None


def latest_known_day(rows: Iterable[ClaimRow]) -> int | None:
    """The last day on which the record changed (a claim became known or was withdrawn)."""
    found = [d for row in rows for d in (row.known_day, row.withdrawn_day)
             if NEG_INF < d < POS_INF]
    return max(found) if found else None
