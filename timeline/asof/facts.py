"""Facts and their accounts: the as-of rules above single claims (docs/time-model.md).

A *fact* is a slot and an answer, as one happening: every live claim that gives it is an
*account* of it, with its own dates, certainty and citations. Claims of one slot and answer
whose dates reach each other are accounts of one fact; claims tied by ``account_of`` always
are, however they word it. Claims of one slot and answer whose dates lie apart are separate
episodes (a second tenure), each its own fact.

On a day V the rules of this module take the claims in the record on the known day R, each
with what the claim-level rules of ``timeline.asof.rules`` decided (rank, inertia's cut), and:

1. **Refinement.** When every account's start lies within the others' (their start windows
   meet) and so do their ends, the fact's dates are the windows' intersection: ``1848~`` and
   ``1848-03-15`` give one fact that begins on 1848-03-15. The fact's status is its status in
   time on those dates.
2. **Dispute.** When they do not meet, each account keeps its own dates: where the accounts'
   statuses on V agree the fact's status is theirs; where they differ it is DISPUTED.
   An open end cut by a successor whose accounts disagree on its start is disputed too.
3. **Slots.** In a single-valued slot (per subject, per object, or both: ``sides``), a
   preferred fact outranks the others; facts with different answers are CONTESTED, unless
   one hands over to the other (its end can meet the other's start: a change, both marked).

This module is pure: the reference (``rules.reference_facts``) and the fast path
(``timeline.asof.query``) both end here, so the rules above exist once.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from timeline.asof.claims import ClaimRow
from timeline.dates import POS_INF, Status, status_of

CONTESTED = "CONTESTED"
DISPUTED = "DISPUTED"
PREFERRED = "preferred"

#: A side of a single-valued predicate, and the slot a claim fills on it.
SUBJECT, OBJECT = "subject", "object"
Slot = tuple[Hashable, ...]


class Dispute(NamedTuple):
    """Where a fact's accounts disagree: the edge ("start" or "end") and, for each date
    given, the claims that give it (for an end cut by a successor, the successor's) and the
    sources they cite."""

    edge: str
    dates: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]


class Live(NamedTuple):
    """A claim in the record on (V, R), as the claim-level rules leave it: its rank in force
    (never deprecated), the claim that cut its open end (inertia), its end after the cut,
    the other ends it may have when that claim's accounts disagree on its start (``ends``),
    and the last day its episode reaches (``reach``: its end cut by the first later answer
    of its slot whatever the day, so that two tenures are two episodes)."""

    claim: Any  # a ClaimRow, or any object with its fields (rules.Claim)
    rank: str
    successor: Any  # rules.Starts | None
    end_lo: int
    end_hi: int
    ends: tuple[tuple[int, int], ...]
    reach: int
    end_dispute: Dispute | None = None  # with ``ends``: who says it began when
    reach_lo: int | None = None  # the earliest end of its episode (None: its own end_lo)


class Account(NamedTuple):
    """One account of a fact on the day: the claim, its status then (HOLDS, MAYBE, NOT or
    DISPUTED when its own end is disputed), and its end after inertia."""

    claim: ClaimRow
    status: str
    end_lo: int
    end_hi: int


class Fact(NamedTuple):
    """A fact of the state on a day.

    ``claim`` is its first recorded account (its id is the fact's id); ``status`` HOLDS,
    MAYBE, CONTESTED or DISPUTED; ``temporal`` what time alone says (MAYBE when disputed);
    ``end_lo``/``end_hi`` its end (refined, or cut by inertia). A named tuple: an answer makes
    one per fact, and a tuple is built several times faster than a dataclass."""

    claim: ClaimRow
    status: str
    temporal: Status
    rank: str
    end_lo: int
    end_hi: int
    ended_by: str | None = None  # the claim that cut this one's open end (inertia)
    contested_with: tuple[str, ...] = ()
    accounts: tuple[Account, ...] = ()  # every account, when there are two or more
    disputes: tuple[Dispute, ...] = ()
    handover_with: tuple[str, ...] = ()  # facts it changes with on the day (a handover)
    start_lo: int | None = None  # the refined start, when accounts refine each other
    start_hi: int | None = None


# --- slots --------------------------------------------------------------------------------------


def slots_of(claim: Any, side: str) -> tuple[tuple[Slot, str], ...]:
    """The single-valued slots a claim fills, each with its answer there, for the predicate's
    single ``side`` ("subject", "object", "both" or "" for multi-valued).

    Per subject, the slot is (subject, predicate, qualified object) and the answer the value
    or the object; per object (an office: one holder at a time), the slot is (object,
    predicate) and the answer the subject."""
    out: list[tuple[Slot, str]] = []
    if side in (SUBJECT, "both"):
        out.append(((SUBJECT, claim.subject_id, claim.predicate, claim.slot_object),
                    claim.answer))
    if side in (OBJECT, "both") and claim.object_id is not None:
        out.append(((OBJECT, claim.object_id, claim.predicate), claim.subject_id))
    return tuple(out)


def fact_key(claim: Any) -> tuple[str, str, str, str]:
    """A claim's slot and answer: what the accounts of one fact share."""
    return claim.subject_id, claim.predicate, claim.slot_object, claim.answer


# --- episodes: which claims are accounts of one fact -------------------------------------------


def episodes(lives: Sequence[Live], root_of: Callable[[Any], Any]) -> list[list[Live]]:
    """The lives grouped into facts, each in order of recording: claims of one slot and
    answer (``fact_key`` of the claim, or of the claim it is an account of: ``root_of``)
    that tell of one stretch of time, chained (``same_episode``); and claims tied by
    ``account_of`` whatever their dates.

    A claim the read model marks as no fact's but its own (``shared`` 0, no tie) is an
    episode alone, without a look at the others: most claims of an answer."""
    alone: list[list[Live]] = []
    grouped: list[Live] = []
    for live in lives:
        claim = live.claim
        if getattr(claim, "shared", 1) or getattr(claim, "tie", None):
            grouped.append(live)
        else:
            alone.append([live])
    if not grouped:
        return alone
    by_key: dict[tuple[str, str, str, str], list[Live]] = {}
    tied = False
    for live in grouped:
        claim = live.claim
        # A claim without a tie is its own root: ``root_of`` is asked of tied claims only.
        if getattr(claim, "tie", None) and root_of(claim) is not claim:
            tied = True
            break
        by_key.setdefault(fact_key(claim), []).append(live)
    if tied:
        alone.extend(_tied_episodes(grouped, root_of))
        return alone
    for members in by_key.values():
        if len(members) == 1:
            alone.append(members)
        else:
            alone.extend(chains(members))
    return alone


def chains(members: list[Live]) -> list[list[Live]]:
    """Claims of one slot and answer, none tied, chained into episodes (``same_episode``),
    each in order of recording."""
    found: list[list[Live]] = []
    for live in members:
        joined = [g for g in found if any(same_episode(live, other) for other in g)]
        if not joined:
            found.append([live])
            continue
        into = joined[0]
        into.append(live)
        for other in joined[1:]:
            into.extend(other)
            found.remove(other)
    return [sorted(g, key=_recorded) if len(g) > 1 else g for g in found]


def _tied_episodes(lives: list[Live], root_of: Callable[[Any], Any]) -> list[list[Live]]:
    """``episodes`` of claims some of which are tied to a root (``account_of``)."""
    parent = list(range(len(lives)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_key: dict[tuple[str, str, str, str], list[int]] = {}
    tied: dict[str, list[int]] = {}
    for k, live in enumerate(lives):
        root = root_of(live.claim)
        if root is live.claim:
            by_key.setdefault(fact_key(root), []).append(k)
        else:
            tied.setdefault(root.id, []).append(k)
    for members in by_key.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if find(a) != find(b) and same_episode(lives[a], lives[b]):
                    union(a, b)
    index = {live.claim.id: k for k, live in enumerate(lives)}
    for root_id, members in tied.items():
        # A tie is explicit: the accounts and their root's episode are one fact.
        anchor = index.get(root_id, members[0])
        for k in members:
            union(anchor, k)
    groups: dict[int, list[Live]] = {}
    for k, live in enumerate(lives):
        groups.setdefault(find(k), []).append(live)
    return [sorted(g, key=_recorded) if len(g) > 1 else g for g in groups.values()]


def _recorded(live: Live) -> int:
    return int(live.claim.n)


def same_episode(a: Live, b: Live) -> bool:
    """Whether two claims of one slot and answer tell of one stretch of time: their dates
    refine each other (their starts meet and their ends meet), or both surely held on some
    common day. Ends are taken as the first later answer of the slot cuts them, whatever
    the day (``reach``): Altman's first tenure, ended by Murati's start, and his return are
    two; "held until about October" and "from about October on" are two as well."""
    x, y = a.claim, b.claim
    a_lo = a.reach_lo if a.reach_lo is not None else a.end_lo
    b_lo = b.reach_lo if b.reach_lo is not None else b.end_lo
    starts = max(x.start_lo, y.start_lo) <= min(x.start_hi, y.start_hi)
    ends = max(a_lo, b_lo) <= min(a.reach, b.reach)
    return (starts and ends) or (x.start_hi < b_lo and y.start_hi < a_lo)


# --- one fact: refinement and dispute ----------------------------------------------------------


def meet(windows: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    """The intersection of closed windows [lo, hi], or None when they do not all meet."""
    lo, hi = functools.reduce(lambda a, b: (max(a[0], b[0]), min(a[1], b[1])), windows)
    return (lo, hi) if lo <= hi else None


#: A status as the text a fact holds (``Status.value``, without the enum's descriptor).
_TEXT: dict[Status, str] = {status: status.value for status in Status}
_STATUS: dict[str, Status] = {status.value: status for status in Status}


def account_status(live: Live, day: int) -> str:
    """An account's status on the day: its status in time, or DISPUTED when the ends it may
    have (its successor's accounts disagree) give different statuses."""
    claim = live.claim
    if not live.ends:
        return _TEXT[status_of(claim.start_lo, claim.start_hi, live.end_lo, live.end_hi, day)]
    found = {status_of(claim.start_lo, claim.start_hi, lo, hi, day) for lo, hi in live.ends}
    return _TEXT[found.pop()] if len(found) == 1 else DISPUTED


class Draft(NamedTuple):
    """A fact decided on its own (before its slots are judged)."""

    accounts: list[Live]
    status: str
    start_lo: int
    start_hi: int
    end_lo: int
    end_hi: int
    refined: bool
    disputes: tuple[Dispute, ...]
    statuses: tuple[str, ...]

    @property
    def claim(self) -> Any:
        return self.accounts[0].claim

    @property
    def preferred(self) -> bool:
        return any(live.rank == PREFERRED for live in self.accounts)


def draft(accounts: list[Live], day: int, edge_text: Callable[[Any, str], str]) -> Draft | None:
    """Rules 1 and 2 for one fact: None when it is not in the state on the day."""
    if len(accounts) == 1:
        return _draft_alone(accounts, day)
    if not any(live.claim.start_lo <= day < live.claim.end_hi for live in accounts):
        return None  # no account reaches the day (``may_hold``): nothing to decide
    accounts = _adopt_cuts(accounts)
    statuses = tuple(account_status(live, day) for live in accounts)
    if all(s == "NOT" for s in statuses):
        return None
    starts = meet((live.claim.start_lo, live.claim.start_hi) for live in accounts)
    ends = None if any(live.ends for live in accounts) else meet(
        (live.end_lo, live.end_hi) for live in accounts)
    if starts is not None and ends is not None and starts[0] < ends[1]:
        refined = status_of(starts[0], starts[1], ends[0], ends[1], day)
        if refined is Status.NOT:
            return None
        return Draft(accounts, _TEXT[refined], *starts, *ends, True, (), statuses)
    return _draft_disputed(accounts, statuses, starts, ends, edge_text)


def _draft_alone(accounts: list[Live], day: int) -> Draft | None:
    """A fact of one account: its own status and dates."""
    live = accounts[0]
    claim = live.claim
    if not claim.start_lo <= day < claim.end_hi:
        return None
    status = account_status(live, day)
    if status == "NOT":
        return None
    return Draft(accounts, status, claim.start_lo, claim.start_hi, live.end_lo, live.end_hi,
                 False, _end_disputes(live), (status,))


def _draft_disputed(accounts: list[Live], statuses: tuple[str, ...],
                    starts: tuple[int, int] | None, ends: tuple[int, int] | None,
                    edge_text: Callable[[Any, str], str]) -> Draft:
    """A fact whose accounts' dates do not meet: their status where they agree, DISPUTED
    where they differ, and who says what."""
    distinct = set(statuses)
    status = statuses[0] if len(distinct) == 1 else DISPUTED
    found: list[Dispute] = []
    if starts is None:
        found.append(dispute("start", (live.claim for live in accounts), edge_text))
    if ends is None or (starts is not None and starts[0] >= ends[1]):
        if any(live.ends for live in accounts):
            found.extend(d for live in accounts for d in _end_disputes(live))
        else:
            found.append(dispute("end", (live.claim for live in accounts), edge_text))
    return Draft(accounts, status, min(x.claim.start_lo for x in accounts),
                 max(x.claim.start_hi for x in accounts), min(x.end_lo for x in accounts),
                 max(x.end_hi for x in accounts), False, tuple(dict.fromkeys(found)), statuses)


def _adopt_cuts(accounts: list[Live]) -> list[Live]:
    """An account whose end is open and was cut by nothing (worded in another slot, or of a
    multi-valued predicate) ends where the fact's accounts that inertia cut end: "still
    holds" says nothing of an end the archive knows from a successor."""
    cut = [live for live in accounts if live.successor is not None and not live.ends]
    if not cut:
        return accounts
    met = meet((live.end_lo, live.end_hi) for live in cut)
    if met is None:
        return accounts
    return [live._replace(end_lo=min(live.end_lo, met[0]), end_hi=met[1])
            if live.successor is None and live.claim.end_hi == POS_INF else live
            for live in accounts]


def dispute(edge: str, claims: Iterable[Any], edge_text: Callable[[Any, str], str],
            as_edge: str | None = None) -> Dispute:
    """``edge`` of a fact as each claim gives it (the claims' ``as_edge``, by default the
    same edge: an end cut by a successor is that successor's start)."""
    said: dict[str, tuple[list[str], list[str]]] = {}
    for claim in claims:
        ids, sources = said.setdefault(edge_text(claim, as_edge or edge), ([], []))
        ids.append(claim.id)
        sources.extend(s for s in _source_ids(claim) if s not in sources)
    return Dispute(edge, tuple((text, tuple(ids), tuple(sources))
                               for text, (ids, sources) in said.items()))


def _source_ids(claim: Any) -> tuple[str, ...]:
    cited = getattr(claim, "citations", None)
    return _cited_sources(cited) if isinstance(cited, str) else ()


@functools.lru_cache(maxsize=4096)
def _cited_sources(citations: str) -> tuple[str, ...]:
    """The sources a claim's citations (JSON, as the read model keeps them) cite."""
    return tuple(c["source"] for c in json.loads(citations))


def _end_disputes(live: Live) -> tuple[Dispute, ...]:
    return (live.end_dispute,) if live.ends and live.end_dispute is not None else ()


# --- the slots: outrank, contest, handover -----------------------------------------------------


def hands_over(a: Draft, b: Draft) -> bool:
    """Whether ``a`` may end as ``b`` begins: ``a`` began first, and the earliest last day
    of ``a`` is no later than the latest first day of ``b`` (a same-day handover, or an
    inertia cut). Two answers that may follow each other are a change, not a contest."""
    return a.start_lo < b.start_lo and a.end_lo - 1 <= b.start_hi


def _judge(slots: Mapping[Slot, list[tuple[int, str]]], drafts: Sequence[Draft]
           ) -> tuple[set[int], dict[int, list[int]], dict[int, list[int]]]:
    """Rule 3 over the slots' members (each a draft's index and its answer there): the
    drafts outranked, and for each draft its rivals and the drafts it hands over with."""
    outranked: set[int] = set()
    rivals: dict[int, list[int]] = {}
    changes: dict[int, list[int]] = {}
    for members in slots.values():
        if len(members) < 2:
            continue
        against: dict[int, list[int]] = {}
        for i, (k, answer) in enumerate(members):
            for m, other in members[i + 1:]:
                if answer == other or k == m:
                    continue
                a, b = drafts[k], drafts[m]
                if hands_over(a, b) or hands_over(b, a):
                    changes.setdefault(k, []).append(m)
                    changes.setdefault(m, []).append(k)
                else:
                    against.setdefault(k, []).append(m)
                    against.setdefault(m, []).append(k)
        # A preferred fact outranks the facts that disagree with it (not those it hands
        # over with); the preferred among them still contest each other.
        lost = {k for k, found in against.items() if not drafts[k].preferred
                and any(drafts[m].preferred for m in found)}
        outranked |= lost
        for k, found in against.items():
            if k not in lost:
                rivals.setdefault(k, []).extend(m for m in found if m not in lost)
    return outranked, rivals, changes


def _fill(slots: dict[Slot, list[tuple[int, str]]], k: int, d: Draft,
          sides: Mapping[str, str]) -> None:
    """A draft fills the slots of its accounts that reach the day (once each)."""
    seen: set[Slot] = set()
    for live, status in zip(d.accounts, d.statuses, strict=True):
        if status == "NOT":
            continue
        for slot, answer in slots_of(live.claim, sides.get(live.claim.predicate, "")):
            if slot not in seen:
                seen.add(slot)
                slots.setdefault(slot, []).append((k, answer))


def judge(drafts: Sequence[Draft], sides: Mapping[str, str]
          ) -> tuple[set[int], dict[int, list[int]], dict[int, list[int]]]:
    """Rule 3 over the drafts (by index): those outranked, and for each draft its rivals and
    the drafts it hands over with, both in the drafts' order."""
    slots: dict[Slot, list[tuple[int, str]]] = {}
    for k, d in enumerate(drafts):
        _fill(slots, k, d, sides)
    return _judge(slots, drafts)


#: ``Draft(...)`` and ``Fact(...)`` without a Python call each (every field given).
_new_draft = functools.partial(tuple.__new__, Draft)
_new_fact = functools.partial(tuple.__new__, Fact)
_HOLDS, _MAYBE = Status.HOLDS, Status.MAYBE


def settle_facts(lives: Sequence[Live], day: int, sides: Mapping[str, str],
                 root_of: Callable[[Any], Any], edge_text: Callable[[Any, str], str],
                 keep: Callable[[Draft], bool] | None = None) -> list[Fact]:
    """The facts of the state on ``day`` from the lives of every claim they depend on:
    episodes, then each fact's refinement or dispute, then its slots. ``keep`` selects the
    facts to answer with (by their accounts): an entity selection. In order of recording.

    Most lives are a fact alone (a claim with one end that the read model marks as no other's
    account, or whose other accounts are not among the lives: ``episodes`` would leave it
    alone): their status is decided here inline, and a ``Draft`` is made of one only when a
    slot it fills holds another fact on the day (rule 3)."""
    # drafts[k] is a Draft, or (live, status) for a fact of one account (a Draft if needed).
    drafts: list[Any] = []
    slots: dict[Slot, list[tuple[int, str]]] = {}
    alone, grouped = _partition(lives)
    crowded = _place_alone(alone, day, sides, drafts, slots)
    if grouped:
        for group in episodes(grouped, root_of):
            decided = draft(group, day, edge_text)
            if decided is not None:
                drafts.append(decided)
                _fill(slots, len(drafts) - 1, decided, sides)
        crowded = crowded or any(len(members) > 1 for members in slots.values())
    outranked: set[int] = set()
    rivals: dict[int, list[int]] = {}
    changes: dict[int, list[int]] = {}
    if crowded:
        needed = {k for members in slots.values() if len(members) > 1 for k, _ in members}
        for k in needed:
            if type(drafts[k]) is tuple:
                drafts[k] = _alone(*drafts[k])
        outranked, rivals, changes = _judge(slots, drafts)
    return _answer(drafts, outranked, rivals, changes, keep)


def _partition(lives: Sequence[Live]) -> tuple[list[Live], list[Live]]:
    """The lives that are a fact alone, and those ``episodes`` must group."""
    grouped: list[Live] = []
    alone: list[Live] = []
    accounts: dict[tuple[str, str, str, str], list[Live]] = {}
    tied = False
    for live in lives:
        claim = live[0]
        try:
            if not (claim.shared or claim.tie or live[5]):
                alone.append(live)
            elif claim.tie:
                grouped.append(live)
                tied = True
            else:  # one of a fact's accounts: alone when no other is among the lives
                accounts.setdefault(fact_key(claim), []).append(live)
        except AttributeError:  # not a read model's claim: ``episodes`` decides
            grouped.append(live)
    for same in accounts.values():
        if tied or len(same) > 1 or same[0][5] or same[0][0].shared & 2:
            grouped.extend(same)
        else:
            alone.append(same[0])
    return alone, grouped


def _place_alone(alone: Sequence[Live], day: int, sides: Mapping[str, str],
                 drafts: list[Any], slots: dict[Slot, list[tuple[int, str]]]) -> bool:
    """Each fact alone in the state on the day, as (live, status) in ``drafts``, filling its
    slots; whether a slot now holds two."""
    crowded = False
    side_of = sides.get
    for live in alone:
        claim = live[0]
        if claim.start_hi <= day < live[3]:  # status_of, inlined
            when = _HOLDS
        elif claim.start_lo <= day < live[4]:
            when = _MAYBE
        else:
            continue
        k = len(drafts)
        drafts.append((live, when))
        side = side_of(claim.predicate)
        if not side:
            continue
        if side == SUBJECT:  # slots_of, inlined for the common side
            slot: Slot = (SUBJECT, claim.subject_id, claim.predicate, claim.slot_object)
            members = slots.get(slot)
            if members is None:
                slots[slot] = [(k, claim.answer)]
            else:
                members.append((k, claim.answer))
                crowded = True
            continue
        for slot, answer in slots_of(claim, side):
            members = slots.get(slot)
            if members is None:
                slots[slot] = [(k, answer)]
            else:
                members.append((k, answer))
                crowded = True
    return crowded


def _answer(drafts: list[Any], outranked: set[int], rivals: dict[int, list[int]],
            changes: dict[int, list[int]], keep: Callable[[Draft], bool] | None
            ) -> list[Fact]:
    """The facts of the drafts not outranked that the selection keeps, in order of
    recording."""
    # A fact of one account in the state is selected by its claim (``_Selection``).
    selects, groups = getattr(keep, "selects", None), getattr(keep, "groups", None)
    sure = getattr(keep, "sure", ())
    facts: list[Fact] = []
    for k, entry in enumerate(drafts):
        if k in outranked:
            continue
        if type(entry) is tuple:
            live, when = entry
            claim = live[0]
            if selects is not None:
                if claim.n not in sure and not selects(claim, groups):
                    continue
            elif keep is not None and not keep(_alone(live, when)):
                continue
            successor = live[2]
            end_lo, end_hi = live[3], live[4]
            facts.append(_new_fact((
                claim, _TEXT[when], when, live[1], end_lo, end_hi,
                successor.id if successor is not None and (
                    end_lo != claim.end_lo or end_hi != claim.end_hi) else None,
                (), (), (), (), None, None)))
            continue
        d = entry
        if keep is not None and not keep(d):
            continue
        facts.append(_fact(d, [drafts[m].claim.id for m in _order(rivals.get(k), drafts)],
                           [drafts[m].claim.id for m in _order(changes.get(k), drafts)]))
    facts.sort(key=_FACT_N)
    return facts


_FACT_N = operator.attrgetter("claim.n")


def _alone(live: Live, when: Status) -> Draft:
    """The draft of a fact of one account and one end (``draft``, without its checks)."""
    claim = live.claim
    text = _TEXT[when]
    return _new_draft(([live], text, claim.start_lo, claim.start_hi, live.end_lo, live.end_hi,
                       False, (), (text,)))


def _order(found: list[int] | None, drafts: Sequence[Draft]) -> list[int]:
    return sorted(set(found), key=lambda m: drafts[m].claim.n) if found else []


def _fact(d: Draft, rivals: Sequence[str], changes: Sequence[str]) -> Fact:
    first = d.accounts[0]
    claim = first.claim
    temporal = Status.MAYBE if d.status == DISPUTED else _STATUS[d.status]
    status = CONTESTED if rivals else d.status
    cut = next((live for live in d.accounts if live.successor is not None
                and (live.end_lo, live.end_hi) != (live.claim.end_lo, live.claim.end_hi)), None)
    accounts: tuple[Account, ...] = ()
    if len(d.accounts) > 1:
        accounts = tuple(Account(live.claim, s, live.end_lo, live.end_hi)
                         for live, s in zip(d.accounts, d.statuses, strict=True))
    rank = PREFERRED if d.preferred else first.rank
    return Fact(claim, status, temporal, rank, d.end_lo, d.end_hi,
                cut.successor.id if cut is not None else None, tuple(rivals), accounts,
                d.disputes, tuple(changes),
                d.start_lo if d.refined else None, d.start_hi if d.refined else None)


def selected(groups: Sequence[Collection[str]] | None,
             selects: Callable[[Any, Sequence[Collection[str]] | None], bool],
             sure: Collection[int] = ()) -> Callable[[Draft], bool] | None:
    """``keep`` for ``settle_facts``: a fact is in an entity selection when one of its
    accounts that reach the day is (an account whose dates lie elsewhere does not bring a
    fact into an entity's view). ``sure``: the numbers of claims the caller knows
    ``selects`` takes (those a stab of the entity found), not asked again."""
    return None if groups is None else _Selection(groups, selects, sure)


class _Selection:
    """An entity selection as ``settle_facts`` keeps facts: a draft by its accounts that
    reach the day; a fact of one account in the state by its claim (``selects``, unless its
    number is ``sure``)."""

    __slots__ = ("groups", "selects", "sure")

    def __init__(self, groups: Sequence[Collection[str]],
                 selects: Callable[[Any, Sequence[Collection[str]] | None], bool],
                 sure: Collection[int]) -> None:
        self.groups, self.selects, self.sure = groups, selects, sure

    def __call__(self, d: Draft) -> bool:
        return any(status != "NOT" and self.selects(live.claim, self.groups)
                   for live, status in zip(d.accounts, d.statuses, strict=True))
