"""Plain helpers shared by the GUI tests (the fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from timeline.api import BEGINS, ENDS, NEG_INF, POS_INF, Claim


def moments(rows: Iterable[Claim]) -> list[tuple[int, int, Any]]:
    """Brute force: every claim's moments, (day, kind, claim) in the engine's order — a
    beginning on ``start_lo``, an end of an interval with a known end on the day its row
    shows, the end date's first day (``end_lo - 1``)."""
    found = []
    for row in rows:
        if row.start_lo != NEG_INF:
            found.append((row.start_lo, BEGINS, row))
        if "/" in row.valid and row.end_hi != POS_INF:
            found.append((row.end_lo - 1, ENDS, row))
    return sorted(found, key=lambda m: (m[0], m[1], m[2].n))
