"""Plain helpers shared by the GUI tests (the fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from timeline.api import BEGINS, ENDS, NEG_INF, POS_INF, Claim


def moments(rows: Iterable[Claim]) -> list[tuple[int, int, Any]]:
    """Brute force: every claim's moments, (day, kind, claim) in the engine's order — a
    beginning on ``start_lo``, an end of an interval with a known end on the day its row
    shows, the end date's first day (``end_lo - 1``) — one per fact and day: accounts of one
    slot and answer on the same day are one moment, the first recorded's."""
    found: dict[tuple[Any, ...], tuple[int, int, Any]] = {}
    for row in sorted(rows, key=lambda r: r.n):
        fact = (row.subject_id, row.predicate, row.slot_object, row.answer)
        for day, kind, holds in ((row.start_lo, BEGINS, row.start_lo != NEG_INF),
                                 (row.end_lo - 1, ENDS,
                                  "/" in row.valid and row.end_hi != POS_INF)):
            if holds:
                found.setdefault((day, kind, fact if row.shared else row.n), (day, kind, row))
    return sorted(found.values(), key=lambda m: (m[0], m[1], m[2].n))
