"""One query path for the state on a day: for one entity, a pair (or more), and the world.

The read model finds the candidates with the SQL of ``timeline.asof.sql`` (a stabbing query,
with inertia's successors); ``timeline.asof.rules.settle`` decides their status.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence

from timeline.asof import sql
from timeline.asof.claims import ClaimRow, SlotStart
from timeline.asof.rules import Candidate, Fact, links, make_candidate, settle
from timeline.dates import POS_INF


def facts_as_of(conn: sqlite3.Connection, day: int, known: int,
                singles: tuple[Sequence[str], Collection[str]],
                groups: Sequence[Collection[str]] | None = None) -> list[Fact]:
    """The facts of the state on ``day`` as known on ``known``.

    ``singles`` are the single-valued predicates, sorted and as a set. ``groups`` selects:
    None for the world; one group (an entity's ids: itself and what was merged into it) for
    every claim whose subject or object it is; two or more for the claims that link them."""
    single_names, single_set = singles
    successors: dict[int, SlotStart]
    if groups is None:
        rows = sql.stab_world(conn, day, known)
        opens = [row for row in rows if row.end_hi == POS_INF and row.predicate in single_set]
        successors = sql.successors_of(conn, opens, day, known) if opens else {}
    else:
        ids = [i for group in groups for i in group]
        # Inertia is applied in the same statement: see ``sql.stab_entities``.
        rows, successors = sql.stab_entities(conn, day, known, ids, single_names)
        if len(groups) > 1:
            rows = [row for row in rows if links(row, groups)]
    return settle(_candidates(conn, rows, successors, known, single_set), day)


def _candidates(conn: sqlite3.Connection, rows: list[ClaimRow],
                successors: dict[int, SlotStart], known: int, single_set: Collection[str]
                ) -> list[Candidate]:
    rank_on = sql.rank_on
    get = successors.get
    return [make_candidate((
        row, rank_on(conn, row, known) if row.reranked else row.rank, row.predicate in single_set,
        get(row.n) if successors else None)) for row in rows]
