"""One query path for the state on a day: for one entity, a pair (or more), and the world.

The read model finds the candidates with the SQL of ``timeline.asof.sql`` (a stabbing query,
with inertia's successors). Most claims are decided from that alone. A claim with other
accounts (``shared``) has them read, each with where its episode reaches, and so has a shared
successor that cuts a claim (``sql.read_accounts``: a few columns; whole claims only for the
accounts of the episodes in the state); a slot the entity view sees only in part is stabbed
whole (``sql.stab_slots``). Ties (``account_of``) and offices (single per object) have their
slots and facts read whole and decided by ``rules.claim_lives``, exactly as the reference
does. Every claim then goes through ``timeline.asof.facts.settle_facts``, the one judge of
facts and slots.
"""

from __future__ import annotations

import functools
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
    chains,
    dispute,
    fact_key,
    meet,
    same_episode,
    selected,
    settle_facts,
)
from timeline.asof.rules import (
    DEPRECATED,
    believed,
    claim_lives,
    edge_dates,
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
                groups: Sequence[Collection[str]] | None = None,
                recorded: int | None = None) -> list[Fact]:
    """The facts of the state on ``day`` as known on ``known``, in order of recording; as
    recorded at log position ``recorded`` when given (the read model must then hold no
    structural event after it: ``readmodel.structure``).

    ``groups`` selects: None for the world; one group (an entity's ids: itself and what was
    merged into it) for every fact with an account whose subject or object it is; two or
    more for the facts that link them. The selection never changes a fact's status."""
    subject_set = frozenset(sides.subject)
    if groups is None:
        rows = sql.stab_world(conn, day, known, recorded)
        opens = [row for row in rows if row.end_hi == POS_INF and row.predicate in subject_set]
        successors = sql.successors_of(conn, opens, day, known, recorded) if opens else {}
        chosen: frozenset[str] | None = None
    else:
        ids = [i for group in groups for i in group]
        # Inertia is applied in the same statement: see ``sql.stab_entities``.
        rows, successors = sql.stab_entities(conn, day, known, ids, sides.subject, recorded)
        chosen = frozenset(ids)
    context = _Context(conn, day, known, sides, recorded)
    lives = context.lives(rows, successors, chosen)
    # One entity's stab finds its claims alone: each is selected (``selects``).
    sure = {row.n for row in rows} if groups is not None and len(groups) == 1 else ()
    return settle_facts(lives, day, sides.of, context.root_of, _edge_text,
                        selected(groups, selects, sure))


#: ``rules.edge_dates`` by a claim's dates as written and the edge: the few disputes of an
#: archive are named answer after answer (the text depends on the dates alone).
_EDGES: dict[tuple[str, str], str] = {}


def _edge_text(claim: Any, edge: str) -> str:
    key = (claim.valid, edge)
    text = _EDGES.get(key)
    if text is None:
        if len(_EDGES) >= 4096:
            _EDGES.clear()
        text = _EDGES[key] = edge_dates(claim, edge)
    return text


#: ``Live(...)`` without a Python call each (every field given).
_new_live = functools.partial(tuple.__new__, Live)
FactKey = tuple[str, str, str, str]


class _Plan:
    """How the lives of an answer's candidates are found, beside those decided from the stab
    alone: the slots and facts to read whole, the shared claims whose facts' accounts are
    read (``lean``, each with its successor from the stab), and the claims cut by a shared
    successor (``cut``)."""

    def __init__(self) -> None:
        self.slots: set[Slot] = set()
        self.facts: set[FactKey] = set()
        self.lean: list[tuple[ClaimRow, SlotStart | None]] = []
        self.cut: list[tuple[ClaimRow, str, SlotStart]] = []


class _Context:
    """The claims an answer depends on beyond its candidates, read once per answer."""

    def __init__(self, conn: sqlite3.Connection, day: int, known: int, sides: Sides,
                 recorded: int | None = None) -> None:
        self.conn, self.day, self.known, self.sides = conn, day, known, sides
        self.recorded = recorded
        self.ranks: dict[int, str] = {}
        self.roots: dict[str, ClaimRow] = {}

    def rank(self, row: ClaimRow | SlotStart | sql.Mate) -> str:
        if not row.reranked:
            return row.rank
        found = self.ranks.get(row.n)
        if found is None:
            found = self.ranks[row.n] = sql.rank_on(self.conn, row, self.known, self.recorded)
        return found

    def root_of(self, claim: Any) -> Any:
        return root_claim(claim, self.roots)

    def lives(self, rows: list[ClaimRow], successors: Mapping[int, SlotStart],
              chosen: frozenset[str] | None) -> list[Live]:
        """A ``Live`` for every candidate and every claim the answer depends on.

        Most are decided from the stab alone. A claim with other accounts (``shared``) has
        them read with where each one's episode reaches (``sql.read_accounts``); a claim cut
        by a shared successor, that successor's accounts. A slot the entity view sees only in
        part (the entity its object) is stabbed whole (``sql.stab_slots``): its other claims
        on the day may outrank or contest. Ties (``account_of``) and the slots of offices
        (single per object) are read whole, and decided by ``rules.claim_lives``."""
        lives: list[Live] = []
        plan = _Plan()
        partial = self._sort(rows, successors, chosen, lives, plan)
        if partial:
            seen = {row.n for row in rows}
            more, cuts = sql.stab_slots(self.conn, self.day, self.known,
                                        sorted((*slot, n) for slot, n in partial.items()),
                                        self.recorded)
            self._sort([row for row in more if row.n not in seen], cuts, None, lives, plan)
        if plan.lean or plan.cut:
            self._accounts(plan, lives)
        if not plan.slots and not plan.facts:
            return lives
        members, claims = self._read_whole(plan.slots, plan.facts)
        lives = [live for live in lives if live.claim.n not in claims]
        alive = [c for c in claims.values() if self.rank(c) != DEPRECATED]
        lives += claim_lives(self._relevant(alive), lambda slot: members.get(slot, ()),
                             self.rank, self.sides.of, self.day, _edge_text)
        return lives

    def _sort(self, rows: Iterable[ClaimRow], successors: Mapping[int, SlotStart],
              chosen: frozenset[str] | None, lives: list[Live], plan: _Plan
              ) -> dict[tuple[str, str, str], int]:
        """The lives of the rows decided from the stab alone (into ``lives``), the rest into
        ``plan``; returns the subject slots of single predicates that the entity view sees
        only in part (those of rows whose subject is not ``chosen``), each with a row of it."""
        side_of, get, new_live, rank_of = self.sides.of.get, successors.get, _new_live, self.rank
        partial: dict[tuple[str, str, str], int] = {}
        for row in rows:
            rank = rank_of(row) if row.reranked else row.rank
            if rank == DEPRECATED:
                continue  # in no fact, and cuts nothing
            side = side_of(row.predicate, "")
            shared = row.shared
            if row.tie or shared & 2 or (side and side != SUBJECT):
                plan.slots.update(slot for slot, _ in slots_of(row, side))
                if shared or row.tie:
                    plan.facts.add(fact_key(row))
                # Its life as if alone: replaced by the whole reading's when it reads any.
                lives.append(new_live((row, rank, None, row.end_lo, row.end_hi, (), row.end_hi,
                                       None, None)))
                continue
            if side and chosen is not None and row.subject_id not in chosen and (
                    row.slot_object not in chosen):
                # (A slot qualified by a selected object is all the object's: in the stab.)
                partial.setdefault((row.subject_id, row.predicate, row.slot_object), row.n)
            if shared:
                plan.lean.append((row, get(row.n)))
                continue
            end_hi = row.end_hi
            nxt = get(row.n) if end_hi == POS_INF else None
            if nxt is None:
                lives.append(new_live((row, rank, None, row.end_lo, end_hi, (), end_hi, None,
                                       None)))
            elif nxt.shared:
                plan.cut.append((row, rank, nxt))
            else:  # inertia_end
                lives.append(new_live((row, rank, nxt, min(row.end_lo, nxt.start_lo),
                                       nxt.start_hi, (), end_hi, None, None)))
        return partial

    def _accounts(self, plan: _Plan, lives: list[Live]) -> None:
        """The lives of the shared claims of ``plan`` and of the other accounts of their
        episodes, and of the claims cut by a shared successor.

        The facts' accounts are read first in part, each with where its episode reaches
        (``sql.read_accounts``), and so are those of the shared successors that cut claims
        on the day; only the episodes of the claims stabbed can be in the state (the others'
        claims are all out of it on the day), and the accounts of those not stabbed are then
        read whole, with the accounts a dispute names. A fact with ties is left to the whole
        reading instead (``plan.facts``)."""
        day = self.day
        stabbed: dict[FactKey, dict[int, ClaimRow]] = {}
        wanted: set[FactKey] = set()
        for row, nxt in plan.lean:
            stabbed.setdefault(fact_key(row), {})[row.n] = row
            if nxt is not None and nxt.shared:
                wanted.add(fact_key(nxt))
        for _, _, nxt in plan.cut:
            wanted.add(fact_key(nxt))
        wanted.update(stabbed)
        accounts = self._read_accounts(wanted)
        whole: dict[int, ClaimRow] = {}
        kept = self._kept(plan, stabbed, accounts, whole)
        missing = {fact_key(first) for live in kept if (first := live.successor) is not None
                   and first.shared and first.start_lo <= day} - wanted
        if missing:
            accounts.update(self._read_accounts(missing))
        ends = [(live.claim, live.rank, self._end(live.claim, live.successor, accounts))
                for live in kept]
        for row, rank, nxt in plan.cut:
            whole[row.n] = row
            ends.append((row, rank, self._end(row, nxt, accounts)))
        self._live_ends(ends, whole, lives)

    def _kept(self, plan: _Plan, stabbed: Mapping[FactKey, dict[int, ClaimRow]],
              accounts: Mapping[FactKey, list[tuple[sql.Mate, SlotStart | None]]],
              whole: dict[int, ClaimRow]) -> list[Live]:
        """The accounts (as lives over ``sql.Mate``s: rank, first later answer, reach) of the
        episodes of the claims stabbed; a fact with ties goes to ``plan.facts`` instead."""
        rank_of = self.rank
        kept: list[Live] = []
        for key, rows in stabbed.items():
            whole.update(rows)
            members: list[Live] = []
            for claim, first in accounts[key]:
                if claim.tie or claim.shared & 2:
                    break
                rank = rank_of(claim) if claim.reranked else claim.rank
                if rank == DEPRECATED:
                    continue
                lo, hi = ((claim.end_lo, claim.end_hi) if first is None
                          else (min(claim.end_lo, first.start_lo), first.start_hi))
                members.append(_new_live((claim, rank, first, lo, hi, (), hi, None, lo)))
            else:
                found = [live for live in members if live.claim.n in rows]
                others = [live for live in members if live.claim.n not in rows]
                if not any(same_episode(a, b) for a in found for b in others):
                    kept.extend(found)  # (an episode with a claim of each kind links two)
                    continue
                for episode in chains(members):
                    for live in episode:
                        if live.claim.n in rows:
                            kept.extend(episode)
                            break
                continue
            plan.facts.add(key)  # tied: read whole
        return kept

    def _live_ends(self, ends: list[tuple[Any, str, Any]], whole: dict[int, ClaimRow],
                   lives: list[Live]) -> None:
        """The lives of claims whose ends are decided (``_end``), with their full rows."""
        need = {claim.n for claim, _, _ in ends if claim.n not in whole}
        need.update(c.n for _, _, end in ends if end[3] for c in end[3] if c.n not in whole)
        if need:
            whole.update((row.n, row) for row in sql.read_claims_by_n(self.conn, sorted(need),
                                                                      self.recorded))
        for claim, rank, (successor, end_lo, end_hi, said, reach_lo, reach_hi) in ends:
            variants: tuple[tuple[int, int], ...] = ()
            disputed = None
            if said:  # the successor's accounts disagree on its start: the claim's ends
                variants = tuple(sorted({(min(claim.end_lo, c.start_lo), c.start_hi)
                                         for c in said}))
                disputed = dispute("end", [whole[c.n] for c in said], _edge_text, "start")
            lives.append(_new_live((whole[claim.n], rank, successor, end_lo, end_hi, variants,
                                    reach_hi, disputed, reach_lo)))

    def _read_accounts(self, keys: Iterable[FactKey]
                       ) -> dict[FactKey, list[tuple[sql.Mate, SlotStart | None]]]:
        """Every account of each fact (``sql.read_accounts``), by fact."""
        side_of, asked = self.sides.of.get, list(keys)
        found = sql.read_accounts(self.conn, [(*key, side_of(key[1], "") == SUBJECT)
                                              for key in asked], self.known, self.recorded)
        return dict(zip(asked, found, strict=True))

    def _end(self, claim: ClaimRow | sql.Mate, first: SlotStart | None,
             accounts: Mapping[FactKey, list[tuple[sql.Mate, SlotStart | None]]]
             ) -> tuple[SlotStart | None, int, int, list[sql.Mate], int, int]:
        """``rules.claim_lives`` for a claim whose slot's first later answer (whatever the
        day) is ``first``: its successor on the day (``first`` when it started by then),
        its end after the cut, the successor's accounts when they disagree on its start
        (the claim then has their starts for ends), and where its episode reaches."""
        if first is None:
            return None, claim.end_lo, claim.end_hi, [], claim.end_lo, claim.end_hi
        reach_lo, reach_hi = min(claim.end_lo, first.start_lo), first.start_hi
        if first.start_lo > self.day:
            return None, claim.end_lo, claim.end_hi, [], reach_lo, reach_hi
        if not first.shared:
            return first, reach_lo, reach_hi, [], reach_lo, reach_hi
        theirs = sorted(((c, f) for c, f in accounts[fact_key(first)]
                         if self.rank(c) != DEPRECATED), key=_started_order)
        until = next((_reach(c, f) for c, f in theirs if c.n == first.n), None)
        cut = [c for c, f in theirs if until is not None
               and claim.start_lo < c.start_lo < until and first.start_lo < _reach(c, f)]
        windows = sorted({(c.start_lo, c.start_hi) for c in cut})
        # (No windows only when the successor is none of its own fact's accounts: the SQL's
        # rules then disagree with these, and the differential test says so.)
        met = meet(windows) if windows else (first.start_lo, first.start_hi)
        if met is not None:
            return first, min(claim.end_lo, met[0]), met[1], [], reach_lo, reach_hi
        return (first, min(claim.end_lo, windows[0][0]), max(hi for _, hi in windows), cut,
                reach_lo, reach_hi)

    def _relevant(self, alive: list[ClaimRow]) -> list[ClaimRow]:
        """The claims read whole that can be in an answer's facts: those that may hold on
        the day, and the other accounts of their facts (the rest of a slot only cuts, which
        ``claim_lives`` reads from the slot's members)."""
        day, root_of = self.day, self.root_of
        reached = {fact_key(root_of(c)) for c in alive if c.start_lo <= day < c.end_hi}
        return [c for c in alive if fact_key(root_of(c)) in reached]

    def _read_whole(self, full: set[Slot], facts: Iterable[tuple[str, ...]]
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
            found = sql.read_slots(self.conn, todo_slots, self.known, self.recorded)
            found += sql.read_facts(self.conn, todo_facts, self.known, self.recorded)
            done_slots |= todo_slots
            done_facts |= todo_facts
            todo_slots, todo_facts = set(), set()
            ties = {row.tie for row in found if row.tie}
            for root in sql.read_claims(self.conn, ties - self.roots.keys(), self.recorded):
                self.roots[root.id] = root
                if believed(root, self.known):
                    found.append(root)
            found += sql.read_tied(self.conn, {row.id for row in found if row.shared & 2}
                                   | ties, self.known, self.recorded)
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


def _started_order(account: tuple[sql.Mate, SlotStart | None]) -> tuple[int, int]:
    return account[0].start_lo, account[0].n


def _reach(claim: sql.Mate, first: SlotStart | None) -> int:
    """The last day a claim's episode may reach: its end, cut by the first later answer of
    its slot whatever the day (``rules.claim_lives``)."""
    return claim.end_hi if first is None else min(claim.end_hi, first.start_hi)
