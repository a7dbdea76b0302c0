"""One query path for the state on a day: for one entity, a pair (or more), and the world.

The read model finds the candidates with the SQL of ``timeline.asof.sql`` (a stabbing query,
with inertia's successors). Most claims are decided from that alone. Where more of the
archive matters — a fact with several accounts, an office (single per object), a slot an
entity view sees only part of — the claims of those slots and facts are read in full, and
the rules of ``timeline.asof.rules`` decide them exactly as the reference does. Every claim
then goes through ``timeline.asof.facts.settle_facts``, the one judge of facts and slots.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from timeline.asof import sql
from timeline.asof.claims import ClaimRow, SlotStart
from timeline.asof.facts import (
    SUBJECT,
    Fact,
    Live,
    Slot,
    fact_key,
    selected,
    settle_facts,
)
from timeline.asof.rules import (
    DEPRECATED,
    believed,
    claim_lives,
    edge_dates,
    inertia_end,
    root_claim,
    selects,
    slots_of,
)
from timeline.dates import POS_INF


class Sides(NamedTuple):
    """The single side of each single-valued predicate ("subject", "object" or "both"), and
    the predicates single per subject, sorted (the SQL applies their inertia itself)."""

    of: Mapping[str, str]
    subject: tuple[str, ...]

    @classmethod
    def from_predicates(cls, predicates: Mapping[str, tuple[str, str]]) -> Sides:
        of = {name: side for name, (_, side) in predicates.items() if side}
        return cls(of, tuple(sorted(n for n, side in of.items() if side in (SUBJECT, "both"))))


def facts_as_of(conn: sqlite3.Connection, day: int, known: int, sides: Sides,
                groups: Sequence[Collection[str]] | None = None) -> list[Fact]:
    """The facts of the state on ``day`` as known on ``known``, in order of recording.

    ``groups`` selects: None for the world; one group (an entity's ids: itself and what was
    merged into it) for every fact with an account whose subject or object it is; two or
    more for the facts that link them. The selection never changes a fact's status."""
    subject_set = frozenset(sides.subject)
    if groups is None:
        rows = sql.stab_world(conn, day, known)
        opens = [row for row in rows if row.end_hi == POS_INF and row.predicate in subject_set]
        successors = sql.successors_of(conn, opens, day, known) if opens else {}
        chosen: frozenset[str] | None = None
    else:
        ids = [i for group in groups for i in group]
        # Inertia is applied in the same statement: see ``sql.stab_entities``.
        rows, successors = sql.stab_entities(conn, day, known, ids, sides.subject)
        chosen = frozenset(ids)
    context = _Context(conn, day, known, sides)
    lives = context.lives(rows, successors, chosen)
    return settle_facts(lives, day, sides.of, context.root_of, edge_dates,
                        selected(groups, selects))


class _Context:
    """The claims an answer depends on beyond its candidates, read once per answer."""

    def __init__(self, conn: sqlite3.Connection, day: int, known: int, sides: Sides) -> None:
        self.conn, self.day, self.known, self.sides = conn, day, known, sides
        self.ranks: dict[int, str] = {}
        self.roots: dict[str, ClaimRow] = {}

    def rank(self, row: ClaimRow | SlotStart) -> str:
        if not row.reranked:
            return row.rank
        found = self.ranks.get(row.n)
        if found is None:
            found = self.ranks[row.n] = sql.rank_on(self.conn, row, self.known)
        return found

    def root_of(self, claim: Any) -> Any:
        return root_claim(claim, self.roots)

    def lives(self, rows: list[ClaimRow], successors: Mapping[int, SlotStart],
              chosen: frozenset[str] | None) -> list[Live]:
        """A ``Live`` for every candidate and every claim the answer depends on."""
        side_of = self.sides.of
        full, facts = self._complex(rows, successors, chosen)
        if not full and not facts:
            return [self._simple(row, successors.get(row.n)) for row in rows
                    if self.rank(row) != DEPRECATED]
        members, claims = self._read_whole(full, facts)
        lives = [self._simple(row, successors.get(row.n)) for row in rows
                 if row.n not in claims and self.rank(row) != DEPRECATED]
        alive = [c for c in claims.values() if self.rank(c) != DEPRECATED]
        lives += claim_lives(self._relevant(alive), lambda slot: members.get(slot, ()),
                             self.rank, side_of, self.day, edge_dates)
        return lives

    def _relevant(self, alive: list[ClaimRow]) -> list[ClaimRow]:
        """The claims read whole that can be in an answer's facts: those that may hold on
        the day, and the other accounts of their facts (the rest of a slot only cuts, which
        ``claim_lives`` reads from the slot's members)."""
        day, root_of = self.day, self.root_of
        reached = {fact_key(root_of(c)) for c in alive if c.start_lo <= day < c.end_hi}
        return [c for c in alive if fact_key(root_of(c)) in reached]

    def _simple(self, row: ClaimRow, successor: SlotStart | None) -> Live:
        """A claim decided from the stab alone: its successor, if any, is the SQL's."""
        end_lo, end_hi = inertia_end(row, successor)
        return Live(row, self.rank(row), successor, end_lo, end_hi, (), row.end_hi)

    def _complex(self, rows: Iterable[ClaimRow], successors: Mapping[int, SlotStart],
                 chosen: frozenset[str] | None) -> tuple[set[Slot], set[tuple[str, ...]]]:
        """The slots to read whole, and the facts (slot and answer) to read every account
        of: those of claims with several accounts, of offices, and of slots the entity view
        sees only in part and where another answer exists."""
        side_of = self.sides.of
        full: set[Slot] = set()
        facts: set[tuple[str, ...]] = set()
        partial: list[ClaimRow] = []
        for row in rows:
            side = side_of.get(row.predicate, "")
            nxt = successors.get(row.n)
            if row.shared or row.tie:
                facts.add((row.subject_id, row.predicate, row.slot_object, row.answer))
            if not side:
                continue
            if row.shared or (nxt is not None and nxt.shared) or side != SUBJECT:
                full.update(slot for slot, _ in slots_of(row, side))
            elif chosen is not None and row.subject_id not in chosen:
                partial.append(row)
        if partial:
            full.update(sql.crowded_slots(self.conn, partial))
        return full, facts

    def _read_whole(self, full: set[Slot], facts: set[tuple[str, ...]]
                    ) -> tuple[dict[Slot, list[ClaimRow]], dict[int, ClaimRow]]:
        """Every believed claim of the slots and facts, and of the facts and slots their
        ties and offices reach (a few rounds: ties are few and short). Returns each slot's
        claims in order of start and recording, and the claims by number."""
        claims: dict[int, ClaimRow] = {}
        todo_slots, todo_facts = set(full), set(facts)
        done_slots: set[Slot] = set()
        done_facts: set[tuple[str, ...]] = set()
        for _ in range(4):
            if not todo_slots and not todo_facts:
                break
            found = sql.read_slots(self.conn, todo_slots, self.known)
            found += sql.read_facts(self.conn, todo_facts, self.known)
            done_slots |= todo_slots
            done_facts |= todo_facts
            todo_slots, todo_facts = set(), set()
            ties = {row.tie for row in found if row.tie}
            for root in sql.read_claims(self.conn, ties - self.roots.keys()):
                self.roots[root.id] = root
                if believed(root, self.known):
                    found.append(root)
            found += sql.read_tied(self.conn, {row.id for row in found if row.shared & 2}
                                   | ties, self.known)
            for row in found:
                if row.n in claims:
                    continue
                claims[row.n] = row
                side = self.sides.of.get(row.predicate, "")
                for slot, _ in slots_of(row, side):
                    if slot not in done_slots:
                        todo_slots.add(slot)
                key = (row.subject_id, row.predicate, row.slot_object, row.answer)
                if (row.shared or row.tie) and key not in done_facts:
                    todo_facts.add(key)
        members: dict[Slot, list[ClaimRow]] = {}
        for row in claims.values():
            if self.rank(row) == DEPRECATED:
                continue  # a deprecated claim cuts nothing and is no account
            for slot, _ in slots_of(row, self.sides.of.get(row.predicate, "")):
                if slot in done_slots:
                    members.setdefault(slot, []).append(row)
        for slot_claims in members.values():
            slot_claims.sort(key=lambda c: (c.start_lo, c.n))
        return members, claims
