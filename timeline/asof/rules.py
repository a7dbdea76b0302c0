"""The as-of rules: which claims hold on day V, as known on day R (docs/time-model.md).

Every rule is stated here once, in plain Python, over plain claims (anything with the
attributes of ``Claim``: a ``ClaimRow`` of the read model, or a test's own object):

1. **Known time** (``believed``): a claim is in the record as known on R when
   ``known_day <= R < withdrawn_day``.
2. **Ranks** (``rank_in_force``): a claim's own rank until it is reranked; then the rank set
   latest by R. Deprecated claims are not part of the state.
3. **Inertia** (``next_answer``, ``inertia_end``). For a single-valued predicate, a claim whose
   end is open (``..``) or unknown ends where the next claim of the same slot with a different
   answer starts: its end is cut to that claim's start bounds.
4. **Status in time** (``may_hold``, ``status_in_time``). HOLDS if ``start_hi <= V < end_lo``;
   MAYBE if ``start_lo <= V < end_hi``; otherwise the claim is not part of the state.
5. **Preferred outranks** (``outrank``). Within a single-valued slot, when any claim in the
   state is preferred, the others are left out.
6. **Contest** (``contest``). Within a single-valued slot, claims in the state that give
   different answers are all CONTESTED — unless one was cut by another (a change, not a
   disagreement).
7. **Entity selection** (``selects``, ``links``): one entity, its claims as subject or object;
   two or more, the claims that link them.

A slot is (subject, predicate) — plus the object when the claim qualifies a relationship with a
value ("Nadella relationship_with Altman = close allies"). A claim's answer is its value, or
its object when it has no value.

``reference_facts`` applies the rules to every claim of an archive, with no index: the oracle
that the SQL of ``timeline.asof.sql`` is checked against (tests/timeline/asof). ``settle`` is
the fast path a query uses: it applies rules 2–6 to the candidates the SQL found (believed,
may hold, with their rank in force and their inertia successor).

This module imports no storage: the rules are plain functions of plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from timeline.asof.facts import (
    CONTESTED,
    DISPUTED,
    OBJECT,
    PREFERRED,
    SUBJECT,
    Account,
    Dispute,
    Fact,
    Live,
    Slot,
    dispute,
    meet,
    selected,
    settle_facts,
    slots_of,
)
from timeline.dates import POS_INF, Status, interval_sides, status_of

__all__ = ["CONTESTED", "DISPUTED", "PREFERRED", "Account", "Dispute", "Fact", "Live"]

DEPRECATED = "deprecated"

#: "As known now": later than any real known day, but below the never-withdrawn sentinel.
KNOWN_NOW = POS_INF - 1


# --- a claim, as the rules read it ----------------------------------------------------------


class Starts(Protocol):
    """What a rule reads of a claim that cuts another (its id and start bounds)."""

    @property
    def id(self) -> str: ...
    @property
    def start_lo(self) -> int: ...
    @property
    def start_hi(self) -> int: ...


class Claim(Starts, Protocol):
    """What the rules read of a claim. ``ClaimRow`` is one; so is any object with these
    attributes. Days are day numbers (``timeline.dates``); ``withdrawn_day`` is ``POS_INF`` for
    a claim never withdrawn; ``n`` orders claims as they were recorded, ``position`` is the
    recording's place in the event log (a rerank's place is compared with it)."""

    @property
    def n(self) -> int: ...
    @property
    def subject_id(self) -> str: ...
    @property
    def predicate(self) -> str: ...
    @property
    def object_id(self) -> str | None: ...
    @property
    def slot_object(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def end_lo(self) -> int: ...
    @property
    def end_hi(self) -> int: ...
    @property
    def rank(self) -> str: ...
    @property
    def known_day(self) -> int: ...
    @property
    def withdrawn_day(self) -> int: ...
    @property
    def position(self) -> int: ...


C = TypeVar("C", bound=Claim)

#: A rerank as the rules read it: (its known day, its position in the event log, the rank).
Rerank = tuple[int, int, str]


def slot_of(claim: Claim) -> tuple[str, str, str]:
    """The slot a claim's answer fills: (subject, predicate, qualified object or "")."""
    return claim.subject_id, claim.predicate, claim.slot_object


# --- the rules, one function each -------------------------------------------------------------


def believed(claim: Claim, known: int) -> bool:
    """Rule 1. Known by ``known`` and not withdrawn by then."""
    return claim.known_day <= known < claim.withdrawn_day


def may_hold(claim: Claim, day: int) -> bool:
    """Rule 4, the stab: the valid time reaches ``day`` at all (it may have begun by then and
    may not have ended). A claim that may not hold is not in the state, whatever inertia does:
    inertia only moves an end earlier."""
    return claim.start_lo <= day < claim.end_hi


#: Rule 4. HOLDS if ``start_hi <= day < end_lo``; MAYBE if ``start_lo <= day < end_hi``;
#: otherwise ``Status.NOT``. One definition, ``timeline.dates.status_of`` (spans use it too).
status_in_time: Callable[[int, int, int, int, int], Status] = status_of


def rank_in_force(claim: Claim, reranks: Sequence[Rerank], known: int) -> str:
    """Rule 2. The claim's rank on the known day ``known``, given its reranks as
    (known_day, position, rank).

    Never reranked: its own rank. Once reranked, its own rank counts as set on its own known
    day (at its own place in the log), and the rank in force is the one set latest by
    ``known``: the greatest known day ``<= known``, and among equal known days the one later in
    the log. A rerank dated before the claim's own known day takes effect on that day (the
    claim cannot be ranked before it is known; the rerank, later in the log, wins). None set
    by ``known``: its own rank."""
    if not reranks:
        return claim.rank
    history = [(claim.known_day, claim.position, claim.rank),
               *((max(day, claim.known_day), position, rank) for day, position, rank in reranks)]
    set_by = [entry for entry in history if entry[0] <= known]
    if not set_by:
        return claim.rank
    return max(set_by, key=lambda entry: (entry[0], entry[1]))[2]


def is_open(claim: Claim) -> bool:
    """Rule 3 applies to it: its end is open (``..``) or unknown (no date)."""
    return claim.end_hi == POS_INF


def next_answer(claim: Claim, slot_claims: Iterable[C], day: int, known: int,
                rank_fn: Callable[[C, int], str]) -> C | None:
    """Rule 3. The claim that ends ``claim`` by inertia on ``day`` as known on ``known``: the
    first, in order of ``start_lo`` and then of recording (``n``), of the claims of its slot
    (others in ``slot_claims`` are ignored) that

    - give another answer (a restatement does not cut);
    - start strictly later (``start_lo`` greater: equal starts do not cut each other) and may
      have started by ``day``;
    - are believed on ``known`` and not deprecated on ``known`` (``rank_fn(claim, known)``).

    Whether it still holds on ``day`` does not matter."""
    slot = slot_of(claim)
    later = [x for x in slot_claims
             if slot_of(x) == slot and x.answer != claim.answer
             and claim.start_lo < x.start_lo <= day
             and believed(x, known) and rank_fn(x, known) != DEPRECATED]
    return min(later, key=lambda x: (x.start_lo, x.n), default=None)


def inertia_end(claim: Claim, successor: Starts | None) -> tuple[int, int]:
    """Rule 3. The claim's end (end_lo, end_hi), cut by its successor when its end is open:
    ``end_lo = min(end_lo, next.start_lo)``, ``end_hi = next.start_hi``."""
    if successor is None or not is_open(claim):
        return claim.end_lo, claim.end_hi
    return min(claim.end_lo, successor.start_lo), successor.start_hi


# --- a claim on the day: rules 2-4 over the claims of its slots --------------------------------


def answer_on(claim: Claim, slot: Slot) -> str:
    """A claim's answer in one of its slots: its answer per subject, its subject per object."""
    return claim.subject_id if slot[0] == OBJECT else claim.answer


def first_later(claim: Claim, slot: Slot, answer: str, members: Sequence[C]) -> C | None:
    """The first claim of ``members`` (a slot's claims in order of start and recording) that
    starts strictly later than ``claim`` and gives another answer: rule 3's candidate, before
    the day is looked at."""
    for x in members:
        if x.start_lo > claim.start_lo and answer_on(x, slot) != answer:
            return x
    return None


def claim_lives(claims: Iterable[C], members: Callable[[Slot], Sequence[C]],
                rank_of: Callable[[C], str], sides: Mapping[str, str], day: int,
                edge_text: Callable[[Any, str], str]) -> list[Live]:
    """Rules 2 and 3 for each of ``claims`` (believed and not deprecated on the known day):
    its rank, the claim that cuts its open end on ``day`` (``next_answer``, on each single
    side of its predicate) and its end after the cut.

    ``members(slot)`` gives every claim of a slot that is believed and not deprecated, in
    order of start and recording. When the successor's accounts (the claims of its answer
    in the slot, after the cut claim, that reach it) disagree on when it began, the claim
    may end at each of their starts (``Live.ends``); when they meet, at their meeting."""
    reach: dict[str, tuple[int, int]] = {}

    def reach_of(x: C) -> tuple[int, int]:
        """The claim's end cut by the first later answer whatever the day: its episode's."""
        if x.id not in reach:
            lo, hi = x.end_lo, x.end_hi
            if hi == POS_INF:
                for slot, answer in slots_of(x, sides.get(x.predicate, "")):
                    nxt = first_later(x, slot, answer, members(slot))
                    if nxt is not None:
                        lo, hi = min(lo, nxt.start_lo), min(hi, nxt.start_hi)
            reach[x.id] = (lo, hi)
        return reach[x.id]

    def live(claim: C, rank: str, successor: C | None, end: tuple[int, int],
             ends: tuple[tuple[int, int], ...] = (), said: Dispute | None = None) -> Live:
        lo, hi = reach_of(claim)
        return Live(claim, rank, successor, end[0], end[1], ends, hi, said, lo)

    lives = []
    for claim in claims:
        rank = rank_of(claim)
        slots = slots_of(claim, sides.get(claim.predicate, "")) if is_open(claim) else ()
        found: list[tuple[C, Slot]] = []
        for slot, answer in slots:
            nxt = first_later(claim, slot, answer, members(slot))
            if nxt is not None and nxt.start_lo <= day:
                found.append((nxt, slot))
        if not found:
            lives.append(live(claim, rank, None, (claim.end_lo, claim.end_hi)))
            continue
        successor, slot = min(found, key=lambda f: (f[0].start_lo, f[0].n))
        their = answer_on(successor, slot)
        accounts = [x for x in members(slot) if answer_on(x, slot) == their
                    and x.start_lo > claim.start_lo and x.start_lo < reach_of(successor)[1]
                    and successor.start_lo < reach_of(x)[1]]
        windows = sorted({(x.start_lo, x.start_hi) for x in accounts})
        met = meet(windows)
        if met is not None:
            lives.append(live(claim, rank, successor, (min(claim.end_lo, met[0]), met[1])))
            continue
        ends = tuple(sorted({(min(claim.end_lo, lo), hi) for lo, hi in windows}))
        lives.append(live(claim, rank, successor, (min(e[0] for e in ends),
                                                   max(e[1] for e in ends)),
                          ends, dispute("end", accounts, edge_text, "start")))
    return lives


def links(claim: Claim, groups: Sequence[Collection[str]]) -> bool:
    """Rule 7. A claim links the selected entities (each a group of ids: an entity and those
    merged into it) when its subject is one of them and its object is another."""
    return (any(claim.subject_id in g for g in groups)
            and any(claim.object_id in g and claim.subject_id not in g for g in groups))


def selects(claim: Claim, groups: Sequence[Collection[str]] | None) -> bool:
    """Rule 7. Whether an entity selection takes a claim: None, every claim; one group (an
    entity's ids), the claims whose subject or object it is; two or more, those that link
    them (``links``). Two names of one entity are two groups: a pair."""
    if groups is None:
        return True
    if len(groups) == 1:
        return claim.subject_id in groups[0] or claim.object_id in groups[0]
    return links(claim, groups)


# --- the reference: every rule, on every claim ------------------------------------------------


def reference_facts(claims: Sequence[Claim], reranks_by_claim: Mapping[str, Sequence[Rerank]],
                    sides: Mapping[str, str] | Collection[str], day: int, known: int,
                    groups: Sequence[Collection[str]] | None = None,
                    edge_text: Callable[[Any, str], str] | None = None) -> list[Fact]:
    """The state on ``day`` as known on ``known``, from every claim of an archive (in any
    order), each rule applied by brute force: no index, no candidate search.

    ``reranks_by_claim``: each reranked claim's reranks (``Rerank``), by claim id.
    ``sides``: each single-valued predicate's single side ("subject", "object", "both"; a
    collection of names means "subject" for each). ``groups``: the entity selection
    (``selects``), applied to the facts once every rule has been: a fact's status does not
    depend on the selection. The facts come in order of recording."""
    if not isinstance(sides, Mapping):
        sides = dict.fromkeys(sides, SUBJECT)

    def rank_on(claim: Claim) -> str:
        return rank_in_force(claim, reranks_by_claim.get(claim.id, ()), known)

    alive = sorted((c for c in claims if believed(c, known) and rank_on(c) != DEPRECATED),
                   key=lambda c: (c.start_lo, c.n))
    by_slot: dict[Slot, list[Claim]] = {}
    for claim in alive:
        for slot, _ in slots_of(claim, sides.get(claim.predicate, "")):
            by_slot.setdefault(slot, []).append(claim)
    by_id = {c.id: c for c in claims}
    text = edge_text or edge_dates
    lives = claim_lives(alive, lambda slot: by_slot.get(slot, ()), rank_on, sides, day, text)
    return settle_facts(lives, day, sides, lambda c: root_claim(c, by_id), text,
                        selected(groups, selects))


def root_claim(claim: Any, by_id: Mapping[str, Any]) -> Any:
    """The claim a claim is an account of (``tie``, the root of its ``account_of``), or the
    claim itself."""
    tie = getattr(claim, "tie", None)
    return by_id.get(tie, claim) if tie else claim


def edge_dates(claim: Any, edge: str) -> str:
    """A claim's start or end as written (``interval_sides``): how a dispute names it."""
    lower, upper = interval_sides(claim.valid, getattr(claim, "calendar", "gregorian"))
    return lower if edge == "start" else upper
