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

import functools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, TypeVar

from timeline.asof.claims import ClaimRow, SlotStart
from timeline.dates import POS_INF, Status, status_of

CONTESTED = "CONTESTED"
PREFERRED = "preferred"
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
    the log. (So a rerank dated before the claim's own known day never takes effect.) None
    set by ``known``: its own rank."""
    if not reranks:
        return claim.rank
    history = [(claim.known_day, claim.position, claim.rank), *reranks]
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


class _Answers(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def answer(self) -> str: ...


class _Named(Protocol):
    @property
    def id(self) -> str: ...


class SlotMember(Protocol):
    """A claim in the state, as rules 5 and 6 read it (a ``Candidate``, a ``Live``)."""

    @property
    def claim(self) -> _Answers: ...
    @property
    def rank(self) -> str: ...
    @property
    def successor(self) -> _Named | None: ...


M = TypeVar("M", bound=SlotMember)


def outrank(members: Sequence[M]) -> tuple[Sequence[M], list[M]]:
    """Rule 5. The claims in the state of one single-valued slot: (those kept, those
    outranked). When any is preferred, the others are outranked."""
    if not any(m.rank == PREFERRED for m in members):
        return members, []
    return ([m for m in members if m.rank == PREFERRED],
            [m for m in members if m.rank != PREFERRED])


def contest(members: Sequence[SlotMember]) -> dict[str, tuple[str, ...]]:
    """Rule 6. The claims in the state of one single-valued slot (after rule 5): for each
    claim CONTESTED, the ids of the claims that disagree with it (in ``members``' order).

    A claim whose successor (the claim that cut it) is itself among them is left out: it was
    cut by the other, a change, not a disagreement. Those left must give at least two
    answers."""
    ids = {m.claim.id for m in members}
    rivals = [m for m in members if not (m.successor is not None and m.successor.id in ids)]
    if len({m.claim.answer for m in rivals}) < 2:
        return {}
    return {m.claim.id: tuple(r.claim.id for r in rivals if r.claim.answer != m.claim.answer)
            for m in rivals}


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


class Live(NamedTuple):
    """A claim in the state before rules 5 and 6: its rank in force, its inertia successor,
    its status in time and its (cut) end."""

    claim: Claim
    rank: str
    successor: Claim | None
    temporal: Status
    end_lo: int
    end_hi: int


class ReferenceFact(NamedTuple):
    """What ``reference_facts`` decides about one claim: the fields of a ``Fact``."""

    claim: Claim
    status: str  # HOLDS, MAYBE or CONTESTED
    temporal: Status  # HOLDS or MAYBE: what time alone says
    rank: str
    end_lo: int
    end_hi: int
    ended_by: str | None
    contested_with: tuple[str, ...]


def reference_facts(claims: Sequence[Claim], reranks_by_claim: Mapping[str, Sequence[Rerank]],
                    single_predicates: Collection[str], day: int, known: int,
                    groups: Sequence[Collection[str]] | None = None) -> list[ReferenceFact]:
    """The state on ``day`` as known on ``known``, from every claim of an archive (in any
    order), each rule applied by brute force: no index, no candidate search.

    ``reranks_by_claim``: each reranked claim's reranks (``Rerank``), by claim id.
    ``single_predicates``: the predicates declared single-valued (rules 3, 5, 6 apply to
    them only). ``groups``: the entity selection (``selects``). The facts come in the order of
    ``claims``."""

    def rank_on(claim: Claim, on: int) -> str:
        return rank_in_force(claim, reranks_by_claim.get(claim.id, ()), on)

    live = [fact for claim in claims
            if believed(claim, known) and may_hold(claim, day) and selects(claim, groups)
            and (fact := _live(claim, claims, single_predicates, day, known, rank_on))]

    slots: dict[tuple[str, str, str], list[Live]] = {}
    for fact in live:
        if fact.claim.predicate in single_predicates:
            slots.setdefault(slot_of(fact.claim), []).append(fact)
    left_out: set[str] = set()
    rivals_of: dict[str, tuple[str, ...]] = {}
    for members in slots.values():
        kept, outranked = outrank(members)
        left_out.update(m.claim.id for m in outranked)
        rivals_of.update(contest(kept))

    return [_reference_fact(fact, rivals_of.get(fact.claim.id, ()))
            for fact in live if fact.claim.id not in left_out]


def _live(claim: Claim, claims: Sequence[Claim], single_predicates: Collection[str],
          day: int, known: int, rank_on: Callable[[Claim, int], str]) -> Live | None:
    """Rules 2, 3 and 4 for one claim believed on ``known`` that may hold on ``day``: None
    when it is deprecated or, its end cut by inertia, not in the state."""
    rank = rank_on(claim, known)
    if rank == DEPRECATED:
        return None
    successor = None
    if claim.predicate in single_predicates and is_open(claim):
        successor = next_answer(claim, claims, day, known, rank_on)
    end_lo, end_hi = inertia_end(claim, successor)
    temporal = status_in_time(claim.start_lo, claim.start_hi, end_lo, end_hi, day)
    if temporal is Status.NOT:
        return None
    return Live(claim, rank, successor, temporal, end_lo, end_hi)


def _reference_fact(fact: Live, rivals: tuple[str, ...]) -> ReferenceFact:
    """A claim in the state as a fact: CONTESTED when it has rivals, and ``ended_by`` the
    claim that cut it when its end was cut."""
    claim = fact.claim
    cut = (fact.end_lo, fact.end_hi) != (claim.end_lo, claim.end_hi)
    return ReferenceFact(
        claim, CONTESTED if rivals else fact.temporal.value, fact.temporal, fact.rank,
        fact.end_lo, fact.end_hi, fact.successor.id if fact.successor and cut else None,
        rivals)


# --- the fast path ----------------------------------------------------------------------------


class Candidate(NamedTuple):
    """A claim found by the stabbing query (believed, may hold), with its rank in force on
    the known day, whether its predicate is single-valued, and its inertia successor.

    A named tuple: a query makes one per claim it finds, and a tuple is built fastest."""

    claim: ClaimRow
    rank: str
    single: bool
    successor: SlotStart | ClaimRow | None = None  # the next different answer in the slot


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

_Alive = list[tuple[Candidate, Status, int, int]]

#: ``Fact.status`` for a status in time (an enum member's ``value`` is a descriptor lookup).
_STATUS_TEXT = {Status.HOLDS: Status.HOLDS.value, Status.MAYBE: Status.MAYBE.value}
_NOBODY: frozenset[str] = frozenset()
_NO_RIVALS: Mapping[str, tuple[str, ...]] = {}


def settle(candidates: Iterable[Candidate], day: int) -> list[Fact]:
    """The facts of the state on ``day``, in the order the candidates came: rules 2–6 applied
    to the candidates of one query (``reference_facts`` for the same rules on every claim)."""
    live, crowded = _in_time(candidates, day)
    if not crowded:  # no slot with two claims in the state: nothing outranked or contested
        return _facts(live, _NOBODY, _NO_RIVALS)
    outranked, contested = _judge_slots(crowded)
    return _facts(live, outranked, contested)


def _in_time(candidates: Iterable[Candidate], day: int
             ) -> tuple[_Alive, list[list[Candidate]]]:
    """Rule 2's deprecation, rule 3's cut end (``inertia_end``) and rule 4's status
    (``status_in_time``): the candidates in the state on ``day`` with their status and end,
    and the single-valued slots with two or more of them (each a list of its candidates).

    The rules are inlined, not called: this loop runs once per claim the stabbing query
    found, and two calls per claim would cost it about a fifth of its time."""
    holds, maybe, deprecated, open_end = Status.HOLDS, Status.MAYBE, DEPRECATED, POS_INF
    live: _Alive = []
    slots: dict[tuple[str, str, str], list[Candidate]] = {}
    crowded: list[list[Candidate]] = []
    for candidate in candidates:
        claim, rank, single, nxt = candidate
        if rank == deprecated:
            continue
        end_lo, end_hi = claim.end_lo, claim.end_hi
        if nxt is not None and end_hi == open_end:  # inertia_end
            end_lo, end_hi = min(end_lo, nxt.start_lo), nxt.start_hi
        if claim.start_hi <= day < end_lo:  # status_in_time
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
                if len(members) == 2:
                    crowded.append(members)
    return live, crowded


def _judge_slots(crowded: list[list[Candidate]]
                 ) -> tuple[set[str], dict[str, tuple[str, ...]]]:
    """Rules 5 and 6 in each single-valued slot with two or more claims in the state: the
    ids outranked, and the rivals of each claim contested."""
    outranked: set[str] = set()
    contested: dict[str, tuple[str, ...]] = {}
    for members in crowded:
        kept, left_out = outrank(members)
        if left_out:
            outranked.update(m.claim.id for m in left_out)
        contested.update(contest(kept))
    return outranked, contested


def _facts(live: _Alive, outranked: Collection[str],
           contested: Mapping[str, tuple[str, ...]]) -> list[Fact]:
    """The facts of the candidates in the state, but those outranked."""
    status_text = _STATUS_TEXT
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
