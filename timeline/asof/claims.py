"""A claim as the as-of rules see it: its four valid-time bounds, its known and withdrawn
days, its slot and answer, its rank. The read model returns claims in this shape.

A claim's *slot* is (subject, predicate) — plus the object when the claim qualifies a
relationship with a value ("Nadella relationship_with Altman = close allies"), kept in
``slot_object`` (empty otherwise). Its *answer* is its value, or ``entity:<object id>`` when it
has none. Days are day numbers (``timeline.dates``); ``withdrawn_day`` is ``POS_INF`` for a claim
never retracted or superseded.
"""

from __future__ import annotations

import json
from typing import NamedTuple


class ClaimRow(NamedTuple):
    """One claim as the read model holds it (corrections already folded in).

    A named tuple, not a dataclass: queries build thousands of these, and a tuple is built
    several times faster."""

    n: int
    id: str
    subject_id: str
    predicate: str
    object_id: str | None
    value: str | None
    slot_object: str
    answer: str
    valid: str
    start_lo: int
    start_hi: int
    end_lo: int
    end_hi: int
    certainty: float
    rank: str
    reranked: int
    known_at: str
    known_day: int
    withdrawn_day: int
    citations: str
    note: str
    recorded_at: str
    position: int
    tie: str | None = None  # the claim this one is an account of (the root of account_of)
    shared: int = 0  # 1 when another claim gives the same slot and answer, or a tie binds it
    calendar: str = "gregorian"  # the calendar ``valid`` is written in (the bounds: Gregorian)

    @property
    def sources(self) -> list[dict[str, str]]:
        return list(json.loads(self.citations))


class SlotStart(NamedTuple):
    """The few columns of a claim that inertia needs: where a slot's next answer starts."""

    n: int
    id: str
    subject_id: str
    predicate: str
    slot_object: str
    answer: str
    start_lo: int
    start_hi: int
    rank: str
    reranked: int
    shared: int = 0  # 1: another claim gives its slot and answer; | 2: claims are tied to it
