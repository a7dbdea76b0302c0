"""The as-of rules as SQL: the fast paths over the read model.

``timeline.asof.rules`` states every rule in plain Python; this module runs the same rules
inside SQLite, so that a question reads a few dozen index pages instead of every claim. Each
rule that SQL needs is written here once, as a fragment, and every statement is built from the
fragments:

- ``believed(c, r)``: claim ``c`` is in the record as known on ``r`` (``rules.believed``);
- ``may_hold(c, v)``: ``c``'s valid time reaches day ``v`` at all (``rules.may_hold``);
- ``rank_in_force(c, r)``: ``c``'s rank on the known day ``r`` (``rules.rank_in_force``);
- ``next_answer(c, v, r)``: the claim that ends ``c`` by inertia (``rules.next_answer``).

The differential test (``tests/timeline/asof/``) checks that these statements and the pure
reference give the same state for random archives, days, known days and entity selections.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections.abc import Sequence
from typing import Any

from timeline.dates import POS_INF
from timeline.readmodel.schema import (
    CLAIM_COLUMNS,
    SLOT_COLUMNS,
    ClaimRow,
    SlotStart,
    claim_part,
    claim_row,
    last_column,
)

# --- the rules, as fragments --------------------------------------------------------------------


def believed(c: str, r: str) -> str:
    """Known by ``r`` and not withdrawn by then."""
    return f"{c}.known_day <= {r} AND {c}.withdrawn_day > {r}"


def may_hold(c: str, v: str) -> str:
    """The valid time reaches the day: it may have begun by it and may not have ended."""
    return f"{c}.start_lo <= {v} AND {c}.end_hi > {v}"


def _last_rerank(n: str, r: str) -> str:
    """The last rerank of claim number ``n`` known by ``r`` (later known day, then later in
    the log, wins)."""
    return (f"SELECT g.rank FROM ranks g WHERE g.claim_n = {n} AND g.known_day <= {r} "
            "ORDER BY g.known_day DESC, g.position DESC LIMIT 1")


def rank_in_force(c: str, r: str) -> str:
    """The claim's own rank, unless it was reranked: then the last rerank known by ``r``
    (its own rank when none was known yet)."""
    return (f"(CASE WHEN {c}.reranked THEN coalesce(({_last_rerank(f'{c}.n', r)}), {c}.rank) "
            f"ELSE {c}.rank END)")


def next_answer(c: str, v: str, r: str, column: str) -> str:
    """``column`` of the claim that ends ``c`` by inertia on day ``v`` as known on ``r``: the
    first claim of ``c``'s slot, in (start_lo, recorded) order, that started after ``c`` and
    by ``v``, gives another answer, is believed on ``r`` and is not deprecated on ``r``.

    A probe of the ``claims_slot`` index, which holds every column tested: the claims of the
    slot before the one found are read from the index alone."""
    return (f"SELECT x.{column} FROM claims x WHERE x.subject_id = {c}.subject_id "
            f"AND x.predicate = {c}.predicate AND x.slot_object = {c}.slot_object "
            f"AND x.start_lo > {c}.start_lo AND x.start_lo <= {v} AND x.answer != {c}.answer "
            f"AND {believed('x', r)} "
            f"AND {rank_in_force('x', r)} != 'deprecated' "
            "ORDER BY x.start_lo, x.n LIMIT 1")


# --- the statements -----------------------------------------------------------------------------

def _successors_statement() -> str:
    """Inertia's successors of given open claims (``o``): ?1 is the day, ?2 the known day;
    ``{values}`` stands for the claims (``_successors_sql``)."""
    return ("WITH o(k, subject_id, predicate, slot_object, start_lo, answer) AS (VALUES {values}) "
            f"SELECT o.k, {SLOT_COLUMNS} FROM o CROSS JOIN claims c "
            f"ON c.n = ({next_answer('o', '?1', '?2', 'n')})")


#: The statements built from the fragments once, at import (a test that changes a fragment
#: rebuilds them, and clears the caches of ``_successors_sql`` and ``_entities_sql``).
_SUCCESSORS = _successors_statement()

#: The world's claims that may hold on :v and are believed on :r, from the R*Tree.
_WORLD = (f"SELECT {CLAIM_COLUMNS} FROM claim_index i JOIN claims c ON c.n = i.n "
          "WHERE i.v_lo <= :v AND i.v_hi >= :v AND i.k_lo <= :r AND i.k_hi >= :r")

_RANK_ON = _last_rerank("?", "?")

#: Open claims per successor statement (6 parameters each, well below SQLite's limit).
_SUCCESSOR_CHUNK = 500


@functools.lru_cache(maxsize=64)
def _successors_sql(count: int) -> str:
    """The successor statement for ``count`` open claims (numbered parameters: ?1 and ?2
    are used throughout, so the claims' values are ?3, ?4, ...)."""
    return _SUCCESSORS.format(values=", ".join(
        "(" + ", ".join(f"?{3 + 6 * j + i}" for i in range(6)) + ")" for j in range(count)))


@functools.lru_cache(maxsize=64)
def _entities_sql(entities: int, singles: int) -> str:
    """``stab_entities``' statement for ``entities`` ids (:e0, :e1, ...) and ``singles``
    single-valued predicates (:p0, ...); :v is the day, :r the known day."""
    marks = ", ".join(f":e{k}" for k in range(entities))
    # Per entity, the B-tree indexes answer on their own: they hold the same bounds as the
    # claim's rectangle in claim_index (v_lo = start_lo, v_hi = end_hi - 1, k_lo = known_day,
    # k_hi = withdrawn_day - 1; a claim withdrawn before it was known is in no rectangle and
    # fails ``believed`` too), and all that inertia's probe reads of the claim. Two range scans
    # with disjoint results (UNION ALL needs no sort), from the indexes only; the table is read
    # by rowid for the claims kept.
    where = f"{may_hold('c', ':v')} AND {believed('c', ':r')}"
    ends = "NULL"
    if singles:
        # Inertia inside the stab: when the claim that ends an open claim started (start_hi)
        # on or before the day, the open claim cannot hold or maybe hold then, and is dropped
        # before its table row is read.
        names = ", ".join(f":p{k}" for k in range(singles))
        ends = (f"CASE WHEN c.end_hi = {POS_INF} AND c.predicate IN ({names}) "
                f"THEN ({next_answer('c', ':v', ':r', 'start_hi')}) END")
    found = " UNION ALL ".join(
        f"SELECT c.n AS n, {ends} AS ends FROM claims c WHERE {cond} AND {where}"
        for cond in (f"c.subject_id IN ({marks})",
                     f"c.object_id IN ({marks}) AND c.subject_id NOT IN ({marks})"))
    # ``LIMIT -1`` keeps SQLite from merging the subquery into the outer query or pushing the
    # outer filter into it: either would copy the probe into the filter and run it twice.
    return (f"SELECT {CLAIM_COLUMNS}, k.ends IS NOT NULL FROM ({found} LIMIT -1) AS k "
            f"JOIN claims c ON c.n = k.n WHERE coalesce(k.ends, {POS_INF}) > :v")


# --- running them -------------------------------------------------------------------------------


def stab_world(conn: sqlite3.Connection, day: int, known: int) -> list[ClaimRow]:
    """Every claim that may hold on ``day`` and was believed on ``known``."""
    return list(map(claim_row, conn.execute(_WORLD, {"v": day, "r": known})))


def stab_entities(conn: sqlite3.Connection, day: int, known: int, entity_ids: Sequence[str],
                  singles: Sequence[str] = ()) -> tuple[list[ClaimRow], dict[int, SlotStart]]:
    """The claims about some entities that may hold on ``day`` and were believed on
    ``known``, with inertia applied: the open claims of the single-valued predicates
    (``singles``) that a later answer ends on or before ``day`` are left out, and for those
    kept that a later answer ends after it (during its fuzzy start), that claim, by the kept
    claim's ``n``."""
    params: dict[str, Any] = {"v": day, "r": known}
    params.update({f"e{k}": e for k, e in enumerate(entity_ids)})
    params.update({f"p{k}": p for k, p in enumerate(singles)})
    found = conn.execute(_entities_sql(len(entity_ids), len(singles)), params).fetchall()
    rows = list(map(claim_row, map(claim_part, found)))
    cut = list(itertools.compress(rows, map(last_column, found)))
    return rows, successors_of(conn, cut, day, known) if cut else {}


def successors_of(conn: sqlite3.Connection, opens: Sequence[ClaimRow], day: int, known: int
                  ) -> dict[int, SlotStart]:
    """For open claims: the claim that ends each by inertia (``next_answer``), by the open
    claim's ``n``; claims that nothing ends are left out."""
    keys = [(x.subject_id, x.predicate, x.slot_object, x.start_lo, x.answer) for x in opens]
    found = successors(conn, keys, day, known)
    return {x.n: s for x, s in zip(opens, found, strict=True) if s is not None}


def successors(conn: sqlite3.Connection, opens: Sequence[tuple[str, str, str, int, str]],
               day: int, known: int) -> list[SlotStart | None]:
    """For each open claim, given as (subject_id, predicate, slot_object, start_lo,
    answer): the claim that ends it by inertia (``next_answer``), or None."""
    found: list[SlotStart | None] = [None] * len(opens)
    for first in range(0, len(opens), _SUCCESSOR_CHUNK):
        chunk = opens[first:first + _SUCCESSOR_CHUNK]
        params: list[Any] = [day, known]
        for k, claim in enumerate(chunk, first):
            params.append(k)
            params.extend(claim)
        for k, *row in conn.execute(_successors_sql(len(chunk)), params):
            found[k] = SlotStart._make(row)
    return found


def rank_on(conn: sqlite3.Connection, claim: ClaimRow | SlotStart, known: int) -> str:
    """``rank_in_force`` for one claim."""
    if not claim.reranked:
        return claim.rank
    row = conn.execute(_RANK_ON, [claim.n, known]).fetchone()
    return row[0] if row else claim.rank
