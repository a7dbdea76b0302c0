"""What changed between two dates, day by day: every fact that began, ended, changed status,
became contested (or disputed) or was settled after D1 and up to D2 (docs/time-model.md,
"What changed between two dates").

A state can only change on a day where a claim's valid time has a bound (``start_lo``,
``start_hi``, ``end_lo``, ``end_hi``): inertia cuts an open end at the next answer's start
bounds, and outranking and contest come from other claims of the slot, so their days are
bounds of claims too. The read model lists those days (``Archive.change_days``); the state is
taken on D1 and on each of them (``Archive.as_of``), and each state is compared with the one
before it, fact by fact (``views.fact_key``). A day listed on which nothing changes adds
nothing.

For the whole archive, whose state may hold thousands of facts, only what can change on a day
is compared: the facts about the entities of the claims with a bound on that day
(``Archive.change_points``), on the day and on the day before (``Archive.facts_touching``).
The transitions found must lead from the state on D1 to the state on D2; should they not (a
rule this shortcut does not foresee), the whole state is compared day by day instead.

No rule is restated here: every status comes from the engine's answers. Statuses are compared
as strings, so a status the rules add later is a transition like any other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from timeline import dates
from timeline.errors import InvalidInput
from timeline.views import FactView, State, Transition, fact_key

if TYPE_CHECKING:
    from timeline.app import Archive

#: At most this many days are replayed: a wider question is refused, not run for minutes.
MAX_DAYS = 2000

BEGAN, ENDED, CHANGED, SETTLED = "began", "ended", "changed", "settled"

#: The statuses in time alone. Any other status (CONTESTED, DISPUTED) is a disagreement: a
#: fact that takes one has the kind of its name ("contested"); one that leaves it is settled.
IN_TIME = frozenset({dates.Status.HOLDS.value, dates.Status.MAYBE.value})

#: The order of a day's transitions: what ended, what began, then what changed status.
_ORDER = {ENDED: 0, BEGAN: 1, CHANGED: 2, SETTLED: 3}

Statuses = dict[str, tuple[str, FactView]]


def kind_of(from_status: str | None, to_status: str | None) -> str:
    """What a change of status is: None is "not in the state"."""
    if from_status is None:
        return BEGAN
    if to_status is None:
        return ENDED
    if to_status not in IN_TIME:
        return to_status.lower()
    return SETTLED if from_status not in IN_TIME else CHANGED


def statuses(facts: Iterable[FactView]) -> Statuses:
    """Each fact (of a state), by its key: its status and the fact."""
    return {fact_key(f): (f.status, f) for f in facts}


def compare(day: int, old: Statuses, new: Statuses) -> list[Transition]:
    """The transitions on ``day`` from the state ``old`` (the day before) to ``new``, in the
    order of a day (``_ORDER``, then by statement)."""
    found = []
    for key, (status, fact) in new.items():
        before = old.get(key)
        was = before[0] if before is not None else None
        if was != status:
            found.append(Transition(day, kind_of(was, status), fact, was, status))
    found.extend(Transition(day, ENDED, fact, status, None)
                 for key, (status, fact) in old.items() if key not in new)
    found.sort(key=lambda t: (_ORDER.get(t.kind, len(_ORDER)), t.kind, t.statement,
                              fact_key(t.fact)))
    return found


def plain(facts: Statuses) -> dict[str, str]:
    """Each fact's status, by its key."""
    return {key: status for key, (status, _) in facts.items()}


def replay(start: Statuses, transitions: Sequence[Transition]) -> dict[str, str]:
    """The statuses by fact key after ``transitions``, from those of ``start``: what the
    transitions claim the state became. ValueError when a transition does not start from
    the status the fact has then."""
    now = plain(start)
    for t in transitions:
        key = fact_key(t.fact)
        if now.get(key) != t.from_status:
            raise ValueError(f"{key}: {t.from_status} expected, {now.get(key)} found")
        if t.to_status is None:
            del now[key]
        else:
            now[key] = t.to_status
    return now


def between(archive: Archive, before: State, after: State, entities: Sequence[str] = (),
            *, limit: int = MAX_DAYS) -> tuple[Transition, ...]:
    """Every transition after ``before``'s day and up to ``after``'s (the states of one
    selection, ``entities``, as known on one day), in day order. More than ``limit`` days on
    which the state may change: refused (InvalidInput), naming how many."""
    first, last = before.as_of, after.as_of
    if last < first:
        raise InvalidInput(f"{dates.day_to_iso(last)} is before {dates.day_to_iso(first)}: "
                           "give the earlier date first", "date2")
    known = before.known_as_of
    points = archive.change_points(first, last, known) if not entities else None
    days = list(points) if points is not None else archive.change_days(first, last, known,
                                                                       entities)
    if len(days) > limit:
        raise InvalidInput(
            f"the state may change on {len(days):,} days between {dates.day_to_iso(first)} "
            f"and {dates.day_to_iso(last)}, more than {limit:,} to list: ask about an entity "
            "(--entity) or a shorter range")
    if points is not None:
        found = _touched(archive, points, known)
        try:
            if replay(statuses(before.facts), found) == plain(statuses(after.facts)):
                return tuple(found)
        except ValueError:
            pass  # a rule this shortcut does not foresee: the whole state, day by day
    return tuple(_whole(archive, before, after, days, entities))


def _whole(archive: Archive, before: State, after: State, days: Sequence[int],
           entities: Sequence[str]) -> list[Transition]:
    """The transitions on ``days``: the state of the selection on each, compared with the
    one of the day before."""
    found: list[Transition] = []
    old = statuses(before.facts)
    for day in days:
        state = after if day == after.as_of else archive.as_of(day, before.known_as_of,
                                                               entities)
        new = statuses(state.facts)
        found += compare(day, old, new)
        old = new
    return found


def _touched(archive: Archive, points: Mapping[int, Collection[str]], known: int | None
             ) -> list[Transition]:
    """The transitions of the whole archive on the days of ``points``: on each, only the
    facts about the entities of the claims with a bound on it can change, so only those are
    compared, on the day and on the day before (a whole state of a large archive costs a
    great deal more)."""
    found: list[Transition] = []
    for day, ids in points.items():
        found += compare(day, statuses(archive.facts_touching(day - 1, known, ids)),
                         statuses(archive.facts_touching(day, known, ids)))
    return found


def day_by_day(archive: Archive, day1: str | int, day2: str | int,
               known_as_of: str | int | None = None, entities: Sequence[str] = (),
               *, limit: int = MAX_DAYS) -> tuple[Transition, ...]:
    """Every fact that began, ended, changed status or became contested after ``day1`` and
    up to ``day2`` (EDTF text, the last day it covers, or a day number), as known on
    ``known_as_of`` (None: now), about ``entities`` (as ``Archive.as_of`` selects), in day
    order."""
    from timeline.app import query_day  # app imports this module

    before = archive.as_of(query_day(day1, "date1"), known_as_of, entities)
    after = archive.as_of(query_day(day2, "date2"), known_as_of, entities)
    return between(archive, before, after, entities, limit=limit)
