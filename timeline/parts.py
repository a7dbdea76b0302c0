"""Parts: one entity's state on a day includes the facts about its parts on that day.

A claim ``X part_of Y`` (subject the part, object the whole) in the state on day V as known on
R — HOLDS, MAYBE or CONTESTED — makes X a part of Y on V. Parts are transitive (a building
part of a campus part of a company); a chain that comes back to an entity already reached
ends there, so a cycle is harmless. The rule is stated with examples in docs/time-model.md
("Parts").

``part_facts`` walks the parts level by level, nearest first: one as-of query per level for
every part of that level (the facts whose subject or object is one of them), which also holds
the ``part_of`` claims of the next level. Each fact comes once, through the nearest part that
reaches it; the whole's own facts never come through a part.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace

from timeline.asof.rules import Fact
from timeline.dates import Status
from timeline.views import FactView, fact_views

#: The predicate that makes its subject a part of its object.
PART_OF = "part_of"

_HOLDS, _MAYBE = Status.HOLDS.value, Status.MAYBE.value
#: Parts asked about in one query at most (each id is one SQL parameter).
_CHUNK = 500

#: The facts about some entity ids on the query's day (subject or object one of them).
Query = Callable[[frozenset[str]], list[Fact]]
#: An entity id -> its canonical id and every id merged into that entity.
Ids = Callable[[str], tuple[str, frozenset[str]]]


def part_facts(own: Iterable[Fact], whole: Collection[str], query: Query, ids_of: Ids
               ) -> list[tuple[Fact, str, str]]:
    """The facts that come through the parts of ``whole`` (its ids), given its ``own`` facts:
    each with the canonical id of the part it comes through (the nearest part it is about;
    the subject's when both are parts of one level) and that part's status on the day:
    HOLDS when every ``part_of`` link of the chain holds, else MAYBE (for a part reached by
    several chains of the same length, the surest)."""
    seen = set()
    frontier: list[Fact] = []
    for fact in own:
        seen.add(fact.claim.id)
        frontier.append(fact)
    reached: dict[str, str] = dict.fromkeys(whole, _HOLDS)  # ids of the level -> chain status
    visited = set(whole)
    out: list[tuple[Fact, str, str]] = []
    while True:
        found = _next_parts(frontier, reached, visited, ids_of)
        if not found:
            return out
        level: dict[str, tuple[str, str]] = {}  # each id of the level's parts -> part, status
        for part, status in found.items():
            for entity_id in ids_of(part)[1]:
                level.setdefault(entity_id, (part, status))
        visited.update(level)
        frontier = []
        ids = list(level)
        for first in range(0, len(ids), _CHUNK):
            frontier += query(frozenset(ids[first:first + _CHUNK]))
        for fact in frontier:
            claim = fact.claim
            if claim.id in seen:
                continue
            seen.add(claim.id)
            via = level.get(claim.subject_id) or level.get(claim.object_id or "")
            if via is not None:
                out.append((fact, *via))
        reached = {entity_id: status for entity_id, (_, status) in level.items()}


def _next_parts(facts: Iterable[Fact], reached: Mapping[str, str], visited: Collection[str],
                ids_of: Ids) -> dict[str, str]:
    """The parts of the entities ``reached`` (their ids, each with its chain's status) that
    ``facts`` name and that were not ``visited``: canonical id -> status, the surest chain's."""
    found: dict[str, str] = {}
    for fact in facts:
        claim = fact.claim
        link = reached.get(claim.object_id or "") if claim.predicate == PART_OF else None
        if link is None or claim.subject_id in visited:
            continue
        part = ids_of(claim.subject_id)[0]  # visited holds every id of what was reached
        sure = link == _HOLDS and fact.status == _HOLDS
        if found.get(part) != _HOLDS:
            found[part] = _HOLDS if sure else _MAYBE
    return found


def through_parts(found: list[tuple[Fact, str, str]], names: Mapping[str, str],
                  predicates: Mapping[str, tuple[str, str]]) -> list[FactView]:
    """``part_facts`` as facts ready to show, in the engine's order, each marked ``via`` the
    name of its part (and ``via_status``)."""
    via = {fact.claim.id: (part, status) for fact, part, status in found}
    views = []
    for view in fact_views((fact for fact, _, _ in found), names, predicates):
        part, status = via[view.claim.id]
        views.append(replace(view, via=names.get(part, part), via_status=status))
    return views


def via_text(view: FactView) -> str:
    """How a fact that comes through a part says so: "via Stargate", "maybe via Stargate"
    (the part is one only maybe on the day); "" for the entity's own facts."""
    if view.via is None:
        return ""
    return f"{'maybe ' if view.via_status == _MAYBE else ''}via {view.via}"
