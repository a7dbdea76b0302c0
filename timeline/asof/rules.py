"""The as-of projection: which claims hold on a day, and how sure we are.

Pure functions of (candidate claims, V): the read model finds the candidates with a stabbing
query; this module decides their status. The rules (DESIGN §2–§3, docs/time-model.md):

1. **Inertia.** For a single-valued predicate, a claim whose end is open (``..``) or unknown
   ends where the next claim of the same slot with a different answer starts. Its end is cut
   to the successor's start bounds before its status is computed.
2. **Status in time.** HOLDS if ``start_hi <= V < end_lo``; MAYBE if ``start_lo <= V <
   end_hi``; otherwise the claim is not part of the state.
3. **Ranks.** Deprecated claims are not part of the state. Within a single-valued slot, when
   any live claim is preferred, the others are outranked and left out.
4. **Contest.** Within a single-valued slot, live claims that give different answers are all
   CONTESTED — unless one was cut by the other (a change, not a disagreement).

A slot is (subject, predicate) — plus the object when the claim qualifies a relationship with a
value ("Nadella relationship_with Altman = close allies"). A claim's answer is its value, or
its object when it has no value.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from timeline.asof.claims import ClaimRow, SlotStart
from timeline.dates import POS_INF, Status, status_of

CONTESTED = "CONTESTED"

#: "As known now": later than any real known day, but below the never-withdrawn sentinel.
KNOWN_NOW = POS_INF - 1


class Candidate(NamedTuple):
    """A claim found by the stabbing query, with what the day and known time make of it.

    A named tuple: a query makes one per claim it finds, and a tuple is built fastest."""

    claim: ClaimRow
    rank: str
    single: bool
    successor: SlotStart | ClaimRow | None = None  # the next different answer in the slot

    @property
    def slot(self) -> tuple[str, str, str]:
        return (self.claim.subject_id, self.claim.predicate, self.claim.slot_object)

    @property
    def end(self) -> tuple[int, int]:
        claim, nxt = self.claim, self.successor
        if nxt is None or claim.end_hi != POS_INF:
            return claim.end_lo, claim.end_hi
        return min(claim.end_lo, nxt.start_lo), nxt.start_hi


class Fact(NamedTuple):
    """A claim in the state on a day: its status, rank and (inertia's) cut end.

    A named tuple, not a frozen dataclass: an answer makes one per fact, and a tuple is built
    several times faster."""

    claim: ClaimRow
    status: str  # HOLDS, MAYBE or CONTESTED
    temporal: Status  # HOLDS or MAYBE: what time alone says
    rank: str
    end_lo: int
    end_hi: int
    ended_by: str | None = None  # the claim that cut this one's open end (inertia)
    contested_with: tuple[str, ...] = ()


#: ``Fact(...)`` and ``Candidate(...)`` from a tuple of all their fields, without the Python
#: call a named tuple's constructor makes: an answer builds one of each per claim.
_fact = functools.partial(tuple.__new__, Fact)
make_candidate = functools.partial(tuple.__new__, Candidate)


def temporal_status(candidate: Candidate, day: int) -> Status:
    claim = candidate.claim
    end_lo, end_hi = candidate.end
    return status_of(claim.start_lo, claim.start_hi, end_lo, end_hi, day)


def settle(candidates: Iterable[Candidate], day: int) -> list[Fact]:
    """The facts of the state on ``day``, in the order the candidates came."""
    # Rule 2 (with inertia's cut end) and rule 3's deprecation, inline: this loop runs once
    # per claim the stabbing query found.
    holds, maybe, deprecated = Status.HOLDS, Status.MAYBE, "deprecated"
    # An enum member's ``value`` is a descriptor lookup: read once, not once per fact.
    status_text = {holds: holds.value, maybe: maybe.value}
    live: list[tuple[Candidate, Status, int, int]] = []
    slots: dict[tuple[str, str, str], list[Candidate]] = {}
    for candidate in candidates:
        claim, rank, single, nxt = candidate
        if rank == deprecated:
            continue
        end_lo, end_hi = claim.end_lo, claim.end_hi
        if nxt is not None and end_hi == POS_INF:
            end_lo, end_hi = min(end_lo, nxt.start_lo), nxt.start_hi
        if claim.start_hi <= day < end_lo:
            when = holds
        elif claim.start_lo <= day < end_hi:
            when = maybe
        else:
            continue
        live.append((candidate, when, end_lo, end_hi))
        if single:
            slot = (claim.subject_id, claim.predicate, claim.slot_object)
            members = slots.get(slot)
            if members is None:
                slots[slot] = [candidate]
            else:
                members.append(candidate)

    outranked: set[str] = set()
    contested: dict[str, tuple[str, ...]] = {}
    for members in slots.values():
        if len(members) == 1:
            continue  # alone in its slot: neither outranked nor contested
        if any(m.rank == "preferred" for m in members):
            outranked.update(m.claim.id for m in members if m.rank != "preferred")
            members = [m for m in members if m.rank == "preferred"]
        ids = {m.claim.id for m in members}
        rivals = [m for m in members if not (m.successor and m.successor.id in ids)]
        if len({m.claim.answer for m in rivals}) > 1:
            for m in rivals:
                contested[m.claim.id] = tuple(
                    r.claim.id for r in rivals if r.claim.answer != m.claim.answer)

    facts = []
    for candidate, when, end_lo, end_hi in live:
        claim = candidate.claim
        claim_id = claim.id
        if outranked and claim_id in outranked:
            continue
        successor = candidate.successor
        rivals_of = contested.get(claim_id, ()) if contested else ()
        facts.append(_fact((  # claim, status, temporal, rank, end_lo, end_hi, ended_by, ...
            claim,
            CONTESTED if rivals_of else status_text[when],
            when,
            candidate.rank,
            end_lo,
            end_hi,
            successor.id if successor and (end_lo, end_hi) != (
                claim.end_lo, claim.end_hi) else None,  # ended_by
            rivals_of,  # contested_with
        )))
    return facts


def links(claim: ClaimRow, groups: Sequence[Collection[str]]) -> bool:
    """A claim links the selected entities (each a group of ids: an entity and those merged
    into it) when its subject is one of them and its object is another."""
    return (any(claim.subject_id in g for g in groups)
            and any(claim.object_id in g and claim.subject_id not in g for g in groups))
