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
from collections.abc import Iterable, Sequence
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
    """``column`` (an expression over ``x``, or a column name) of the claim that ends ``c``
    by inertia on day ``v`` as known on ``r``: the
    first claim of ``c``'s slot, in (start_lo, recorded) order, that started after ``c`` and
    by ``v``, gives another answer, is believed on ``r`` and is not deprecated on ``r``.

    A probe of the ``claims_slot`` index, which holds every column tested: the claims of the
    slot before the one found are read from the index alone."""
    what = column if "x." in column else f"x.{column}"
    return (f"SELECT {what} FROM claims x WHERE x.subject_id = {c}.subject_id "
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
        # before its table row is read — unless that claim is one of a fact's accounts, which
        # may disagree on its start (then the rules decide, with all of them).
        names = ", ".join(f":p{k}" for k in range(singles))
        started = f"CASE WHEN x.shared THEN {POS_INF - 1} ELSE x.start_hi END"
        ends = (f"CASE WHEN c.end_hi = {POS_INF} AND c.predicate IN ({names}) "
                f"THEN ({next_answer('c', ':v', ':r', started)}) END")
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


# --- reading whole slots and facts (``timeline.asof.query``) -------------------------------------

_BELIEVED = believed("c", "?1")
#: Keys per statement of the readers below (3 or 4 parameters each, well below the limit).
_READ_CHUNK = 200


def _read(conn: sqlite3.Connection, keys: Sequence[tuple[Any, ...]], columns: str,
          join: str, index: str) -> list[ClaimRow]:
    """The believed claims (known day ``?1``... given as the first parameter by the
    callers) matching any of ``keys``: one statement per chunk, the keys as a VALUES table
    joined to ``claims`` through ``index``."""
    found: list[ClaimRow] = []
    width = len(keys[0][1]) if keys else 0
    for first in range(0, len(keys), _READ_CHUNK):
        chunk = keys[first:first + _READ_CHUNK]
        marks = ", ".join("(" + ", ".join(f"?{2 + width * j + i}" for i in range(width)) + ")"
                          for j in range(len(chunk)))
        statement = (f"WITH k({columns}) AS (VALUES {marks}) SELECT DISTINCT {CLAIM_COLUMNS} "
                     f"FROM k JOIN claims c INDEXED BY {index} ON {join} WHERE {_BELIEVED}")
        params: list[Any] = [chunk[0][0]]
        for _, values in chunk:
            params.extend(values)
        found += map(claim_row, conn.execute(statement, params))
    return found


def read_slots(conn: sqlite3.Connection, slots: Iterable[tuple[Any, ...]], known: int
               ) -> list[ClaimRow]:
    """Every claim believed on ``known`` of each slot: ("subject", subject, predicate,
    qualified object) or ("object", object, predicate), whatever its dates."""
    subjects = [(known, tuple(s[1:])) for s in slots if s[0] != "object"]
    objects = [(known, tuple(s[1:])) for s in slots if s[0] == "object"]
    found = _read(conn, subjects, "a, p, o", "c.subject_id = k.a AND c.predicate = k.p "
                  "AND c.slot_object = k.o", "claims_slot") if subjects else []
    if objects:
        found += _read(conn, objects, "a, p", "c.object_id = k.a AND c.predicate = k.p",
                       "claims_object")
    return found


def read_facts(conn: sqlite3.Connection, keys: Iterable[tuple[str, ...]], known: int
               ) -> list[ClaimRow]:
    """Every claim believed on ``known`` of each (subject, predicate, slot object, answer)."""
    given = [(known, tuple(key)) for key in keys]
    return _read(conn, given, "a, p, o, x", "c.subject_id = k.a AND c.predicate = k.p AND "
                 "c.slot_object = k.o AND c.answer = k.x", "claims_fact") if given else []


def read_tied(conn: sqlite3.Connection, roots: Iterable[str], known: int) -> list[ClaimRow]:
    """The claims believed on ``known`` tied to each root (``account_of``)."""
    given = [(known, (root,)) for root in roots]
    return _read(conn, given, "t", "c.tie = k.t", "claims_tie") if given else []


_BY_ID = f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.id = ?"
#: Whether a slot holds another answer than one: two seeks of the ``claims_fact`` index.
_OTHER_ANSWER = ("SELECT EXISTS (SELECT 1 FROM claims x INDEXED BY claims_fact "
                 "WHERE x.subject_id = :a AND x.predicate = :p AND x.slot_object = :o "
                 "AND x.answer < :x) OR EXISTS (SELECT 1 FROM claims x INDEXED BY claims_fact "
                 "WHERE x.subject_id = :a AND x.predicate = :p AND x.slot_object = :o "
                 "AND x.answer > :x)")


def read_claims(conn: sqlite3.Connection, ids: Iterable[str]) -> list[ClaimRow]:
    """Claims by id, believed or not (the roots of ties)."""
    found: list[ClaimRow] = []
    for claim_id in ids:
        found += map(claim_row, conn.execute(_BY_ID, [claim_id]))
    return found


def crowded_slots(conn: sqlite3.Connection, rows: Iterable[ClaimRow]
                  ) -> set[tuple[str, str, str, str]]:
    """The subject slots of ``rows`` that hold another answer than the row's (ever, believed
    or not: enough to know the slot must be read whole)."""
    found = set()
    for row in rows:
        slot = ("subject", row.subject_id, row.predicate, row.slot_object)
        if slot in found:
            continue
        if conn.execute(_OTHER_ANSWER, {"a": row.subject_id, "p": row.predicate,
                                        "o": row.slot_object, "x": row.answer}).fetchone()[0]:
            found.add(slot)
    return found
