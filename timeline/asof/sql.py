"""The as-of rules as SQL: the fast paths over the read model.

``timeline.asof.rules`` states every rule in plain Python; this module runs the same rules
inside SQLite, so that a question reads a few dozen index pages instead of every claim. Each
rule that SQL needs is written here once, as a fragment, and every statement is built from the
fragments:

- ``believed(c, r)``: claim ``c`` is in the record as known on ``r`` (``rules.believed``);
- ``may_hold(c, v)``: ``c``'s valid time reaches day ``v`` at all (``rules.may_hold``);
- ``rank_in_force(c, r)``: ``c``'s rank on the known day ``r`` (``rules.rank_in_force``);
- ``next_answer(c, v, r)``: the claim that ends ``c`` by inertia (``rules.next_answer``).

Each takes, last, an optional ``p``: the log position of a question "as recorded at P"
(``docs/time-model.md#recorded-time``). Without it a fragment is the rule as it stands now;
with it, claims, withdrawals and reranks recorded after P are as if never recorded. Every
statement has a variant for each (``recorded``), the first unchanged by the second.

The differential test (``tests/timeline/asof/``) checks that these statements and the pure
reference give the same state for random archives, days, known days and entity selections.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

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


def believed(c: str, r: str, p: str | None = None) -> str:
    """Known by ``r`` and not withdrawn by then; with ``p``: recorded by log position ``p``,
    and a withdrawal recorded after ``p`` does not count (``withdrawn_pos``)."""
    if p is None:
        return f"{c}.known_day <= {r} AND {c}.withdrawn_day > {r}"
    return (f"{c}.known_day <= {r} AND {c}.position <= {p} "
            f"AND ({c}.withdrawn_day > {r} OR {c}.withdrawn_pos > {p})")


def _at(p: str | None) -> tuple[str, ...]:
    """The position argument of a fragment, passed on only when given (so that a fragment
    changed by a test, which takes none, still builds the statements of ordinary questions)."""
    return () if p is None else (p,)


def claim_columns(p: str | None = None) -> str:
    """``CLAIM_COLUMNS``; with ``p``, the withdrawn day as recorded at ``p`` (a claim whose
    withdrawal was recorded after ``p`` is not withdrawn)."""
    if p is None:
        return CLAIM_COLUMNS
    return CLAIM_COLUMNS.replace(
        "c.withdrawn_day", f"(CASE WHEN c.withdrawn_pos > {p} THEN {POS_INF} "
        "ELSE c.withdrawn_day END)", 1)


def may_hold(c: str, v: str) -> str:
    """The valid time reaches the day: it may have begun by it and may not have ended."""
    return f"{c}.start_lo <= {v} AND {c}.end_hi > {v}"


def _last_rerank(n: str, r: str, p: str | None = None) -> str:
    """The last rerank of claim number ``n`` known by ``r`` (later known day, then later in
    the log, wins); with ``p``, of those recorded by position ``p``."""
    recorded = "" if p is None else f"AND g.position <= {p} "
    return (f"SELECT g.rank FROM ranks g WHERE g.claim_n = {n} AND g.known_day <= {r} "
            f"{recorded}ORDER BY g.known_day DESC, g.position DESC LIMIT 1")


def rank_in_force(c: str, r: str, p: str | None = None) -> str:
    """The claim's own rank, unless it was reranked: then the last rerank known by ``r``
    (its own rank when none was known yet)."""
    return (f"(CASE WHEN {c}.reranked THEN "
            f"coalesce(({_last_rerank(f'{c}.n', r, *_at(p))}), {c}.rank) ELSE {c}.rank END)")


def next_answer(c: str, v: str, r: str, column: str, p: str | None = None) -> str:
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
            f"AND {believed('x', r, *_at(p))} "
            f"AND {rank_in_force('x', r, *_at(p))} != 'deprecated' "
            "ORDER BY x.start_lo, x.n LIMIT 1")


def _started(c: str, v: str, r: str, p: str | None = None) -> str:
    """Inside ``next_answer``: when the claim found (``x``) started for inertia's cut of
    ``c`` — its ``start_hi``; but when ``x`` is one of a fact's accounts (``shared``) and a
    claim of its answer that may be one of its accounts too (later than ``c``, starting
    before ``x``'s episode ends: ``_reach``, and not ending before ``x`` starts) may start
    after ``v``, never (``c`` may then end at that claim's start: the rules decide,
    ``rules.claim_lives``). ``c`` cannot hold on ``v`` when this is ``<= v``."""
    return (f"CASE WHEN x.shared AND EXISTS (SELECT 1 FROM claims y INDEXED BY claims_slot "
            f"WHERE y.subject_id = {c}.subject_id AND y.predicate = {c}.predicate "
            f"AND y.slot_object = {c}.slot_object AND y.start_lo > {c}.start_lo "
            f"AND y.answer = x.answer AND y.start_hi > {v} AND y.end_hi > x.start_lo "
            f"AND {believed('y', r, *_at(p))} AND {rank_in_force('y', r, *_at(p))} != "
            f"'deprecated' AND y.start_lo < {_reach(r, p)}) THEN {POS_INF - 1} "
            "ELSE x.start_hi END")


def _reach(r: str, p: str | None = None) -> str:
    """Inside ``next_answer``: the last day the episode of the claim found (``x``) may reach,
    as ``rules.claim_lives`` has it: its end, cut by the first later answer of its slot
    whatever the day — ``next_answer`` of ``x`` itself (its columns as ``w``; the day bound
    a column of the claim probed, so that no day bounds it)."""
    first = next_answer("w", "x.start_lo", r, "start_hi", *_at(p))
    return (f"(CASE WHEN x.end_hi = {POS_INF} THEN coalesce((SELECT ({first}) FROM (SELECT "
            "x.subject_id AS subject_id, x.predicate AS predicate, x.slot_object AS "
            f"slot_object, x.start_lo AS start_lo, x.answer AS answer) AS w), {POS_INF}) "
            "ELSE x.end_hi END)")


# --- the statements -----------------------------------------------------------------------------

def _successors_statement(p: str | None = None) -> str:
    """Inertia's successors of given open claims (``o``): ?1 is the day, ?2 the known day
    (and ``p`` the recorded position, ?3); ``{values}`` stands for the claims
    (``_successors_sql``)."""
    return ("WITH o(k, subject_id, predicate, slot_object, start_lo, answer) AS (VALUES {values}) "
            f"SELECT o.k, {SLOT_COLUMNS} FROM o CROSS JOIN claims c "
            f"ON c.n = ({next_answer('o', '?1', '?2', 'n', *_at(p))})")


#: The statements built from the fragments once, at import (a test that changes a fragment
#: rebuilds them, and clears the caches of ``_successors_sql`` and ``_entities_sql``).
_SUCCESSORS = _successors_statement()

#: The world's claims that may hold on :v and are believed on :r, from the R*Tree.
_WORLD = (f"SELECT {CLAIM_COLUMNS} FROM claim_index i JOIN claims c ON c.n = i.n "
          "WHERE i.v_lo <= :v AND i.v_hi >= :v AND i.k_lo <= :r AND i.k_hi >= :r")

_RANK_ON = _last_rerank("?", "?")


@functools.lru_cache(maxsize=8)
def _recorded_statements(fragments: tuple[Callable[..., str], ...]) -> tuple[str, str, str]:
    """The world's stab, the successors' statement and the rank's as recorded at :p (?3).
    In the world's stab the rectangle's known-side upper bound (the day before the claim's
    withdrawal) cannot be trusted — a withdrawal recorded after :p does not count — so the
    R*Tree is asked for the claims known by :r and ``believed`` decides; the claims withdrawn
    before they were known are in no rectangle, and are found by ``claims_unindexed``."""
    exact = f"{may_hold('c', ':v')} AND {believed('c', ':r', ':p')}"
    world = (f"SELECT {claim_columns(':p')} FROM claim_index i JOIN claims c ON c.n = i.n "
             f"WHERE i.v_lo <= :v AND i.v_hi >= :v AND i.k_lo <= :r AND {exact} "
             # Withdrawn before it was known, but after :p: in no rectangle.
             f"UNION ALL SELECT {claim_columns(':p')} FROM claims c INDEXED BY claims_unindexed "
             f"WHERE c.withdrawn_day <= c.known_day AND c.withdrawn_pos > :p AND {exact}")
    return world, _successors_statement("?3"), _last_rerank("?", "?", "?")

#: Open claims per successor statement (6 parameters each, well below SQLite's limit).
_SUCCESSOR_CHUNK = 500
#: A key of each statement below that matches no claim (no claim's subject is "").
_NO_OPEN: tuple[Any, ...] = (-1, "", "", "", 0, "")
_NO_FACT: tuple[Any, ...] = (-1, "", "", "", "", 0)
_NO_SLOT: tuple[Any, ...] = ("", "", "", -1)


def _size(count: int, chunk: int) -> int:
    """How many keys a statement of the ones below is made for, given ``count``: the next
    power of two (at most ``chunk``), the rest filled with keys that match no claim (a seek
    each, under a microsecond). A connection then prepares a few statements of each kind, not
    one per count: preparing one costs 0.1–0.3 ms, ten to twenty times running it."""
    return min(1 << (count - 1).bit_length(), chunk)


#: The statements of each kind that a connection has prepared up to ``_WARM`` keys, by the
#: connection's ``id`` (it takes no weak reference; a reused id only leaves them unprepared).
_PREPARED: set[tuple[int, str]] = set()
_WARM = (1, 2, 4, 8, 16)


def _head(params: list[Any], recorded: int | None) -> list[Any]:
    """The first parameters of a numbered statement, the recorded position last when given."""
    return params if recorded is None else [*params, recorded]


def _chunked(conn: sqlite3.Connection, kind: str, statement: Callable[..., str],
             head: list[Any], keys: Sequence[tuple[Any, ...]], nothing: tuple[Any, ...],
             chunk: int, recorded: int | None = None) -> Iterator[Any]:
    """The rows of a statement of ``kind`` over ``keys`` (each a tuple of its parameters),
    ``chunk`` keys a run after the parameters ``head``: each run padded with ``nothing`` to a
    size a connection has prepared (``_size``, ``_prepared``). With ``recorded``, the
    statement's variant as recorded at that log position (``statement(size, recorded=True)``,
    the position the last parameter of ``head``)."""
    if recorded is not None:
        kind, head = f"{kind}@", _head(head, recorded)
        statement = functools.partial(statement, recorded=True)
    _prepared(conn, kind, statement, head, nothing, chunk)
    for first in range(0, len(keys), chunk):
        part = keys[first:first + chunk]
        size = _size(len(part), chunk)
        params = list(head)
        for key in part:
            params.extend(key)
        params += nothing * (size - len(part))
        yield from conn.execute(statement(size), params)


def _prepared(conn: sqlite3.Connection, kind: str, statement: Callable[[int], str],
              head: list[Any], nothing: tuple[Any, ...], chunk: int) -> None:
    """Prepare, the first time a connection asks a statement of ``kind``, those of every
    size up to 16 (each run once: ``head``, then keys that match no claim, ``nothing`` each).
    Otherwise the first answers to need each size would each pay its preparation."""
    if (id(conn), kind) in _PREPARED:
        return
    if len(_PREPARED) > 256:
        _PREPARED.clear()
    _PREPARED.add((id(conn), kind))
    for size in sorted({min(size, chunk) for size in _WARM}):
        conn.execute(statement(size), [*head, *nothing * size]).fetchall()


@functools.lru_cache(maxsize=64)
def _successors_sql(count: int, recorded: bool = False) -> str:
    """The successor statement for ``count`` open claims (numbered parameters: ?1 and ?2
    are used throughout, and ?3 when ``recorded``, so the claims' values follow)."""
    statement = _recorded_statements(_fragments())[1] if recorded else _SUCCESSORS
    return statement.format(values=_marks(count, 6, 4 if recorded else 3))


@functools.lru_cache(maxsize=64)
def _entities_sql(entities: int, singles: int, recorded: bool = False) -> str:
    """``stab_entities``' statement for ``entities`` ids (:e0, :e1, ...) and ``singles``
    single-valued predicates (:p0, ...); :v is the day, :r the known day (:w the recorded
    position, when ``recorded``)."""
    p = ":w" if recorded else None
    marks = ", ".join(f":e{k}" for k in range(entities))
    # Per entity, the B-tree indexes answer on their own: they hold the same bounds as the
    # claim's rectangle in claim_index (v_lo = start_lo, v_hi = end_hi - 1, k_lo = known_day,
    # k_hi = withdrawn_day - 1; a claim withdrawn before it was known is in no rectangle and
    # fails ``believed`` too), and all that inertia's probe reads of the claim. Two range scans
    # with disjoint results (UNION ALL needs no sort), from the indexes only; the table is read
    # by rowid for the claims kept.
    where = f"{may_hold('c', ':v')} AND {believed('c', ':r', *_at(p))}"
    ends = "NULL"
    if singles:
        # Inertia inside the stab: when the claim that ends an open claim started (start_hi)
        # on or before the day, the open claim cannot hold or maybe hold then, and is dropped
        # before its table row is read — unless that claim is one of a fact's accounts, which
        # may disagree on its start, and one of them may start after the day (``_started``).
        names = ", ".join(f":p{k}" for k in range(singles))
        ends = (f"CASE WHEN c.end_hi = {POS_INF} AND c.predicate IN ({names}) "
                f"THEN ({next_answer('c', ':v', ':r', _started('c', ':v', ':r', p), *_at(p))}) "
                "END")
    found = " UNION ALL ".join(
        f"SELECT c.n AS n, {ends} AS ends FROM claims c WHERE {cond} AND {where}"
        for cond in (f"c.subject_id IN ({marks})",
                     f"c.object_id IN ({marks}) AND c.subject_id NOT IN ({marks})"))
    # ``LIMIT -1`` keeps SQLite from merging the subquery into the outer query or pushing the
    # outer filter into it: either would copy the probe into the filter and run it twice.
    return (f"SELECT {claim_columns(p)}, k.ends IS NOT NULL FROM ({found} LIMIT -1) AS k "
            f"JOIN claims c ON c.n = k.n WHERE coalesce(k.ends, {POS_INF}) > :v")


# --- running them -------------------------------------------------------------------------------


def stab_world(conn: sqlite3.Connection, day: int, known: int, recorded: int | None = None
               ) -> list[ClaimRow]:
    """Every claim that may hold on ``day`` and was believed on ``known`` (as recorded at
    log position ``recorded``, when given: every function below takes it)."""
    if recorded is not None:
        world = _recorded_statements(_fragments())[0]
        return list(map(claim_row, conn.execute(world, {"v": day, "r": known, "p": recorded})))
    return list(map(claim_row, conn.execute(_WORLD, {"v": day, "r": known})))


def stab_entities(conn: sqlite3.Connection, day: int, known: int, entity_ids: Sequence[str],
                  singles: Sequence[str] = (), recorded: int | None = None
                  ) -> tuple[list[ClaimRow], dict[int, SlotStart]]:
    """The claims about some entities that may hold on ``day`` and were believed on
    ``known``, with inertia applied: the open claims of the single-valued predicates
    (``singles``) that a later answer ends on or before ``day`` are left out, and for those
    kept that a later answer ends after it (during its fuzzy start), that claim, by the kept
    claim's ``n``."""
    params: dict[str, Any] = {"v": day, "r": known}
    params.update({f"e{k}": e for k, e in enumerate(entity_ids)})
    params.update({f"p{k}": p for k, p in enumerate(singles)})
    if recorded is not None:
        params["w"] = recorded
    found = conn.execute(_entities_sql(len(entity_ids), len(singles), recorded is not None),
                         params).fetchall()
    rows = list(map(claim_row, map(claim_part, found)))
    cut = list(itertools.compress(rows, map(last_column, found)))
    return rows, successors_of(conn, cut, day, known, recorded) if cut else {}


def successors_of(conn: sqlite3.Connection, opens: Sequence[ClaimRow], day: int, known: int,
                  recorded: int | None = None) -> dict[int, SlotStart]:
    """For open claims: the claim that ends each by inertia (``next_answer``), by the open
    claim's ``n``; claims that nothing ends are left out."""
    keys = [(x.subject_id, x.predicate, x.slot_object, x.start_lo, x.answer) for x in opens]
    found = successors(conn, keys, day, known, recorded)
    return {x.n: s for x, s in zip(opens, found, strict=True) if s is not None}


def successors(conn: sqlite3.Connection, opens: Sequence[tuple[str, str, str, int, str]],
               day: int, known: int, recorded: int | None = None) -> list[SlotStart | None]:
    """For each open claim, given as (subject_id, predicate, slot_object, start_lo,
    answer): the claim that ends it by inertia (``next_answer``), or None."""
    found: list[SlotStart | None] = [None] * len(opens)
    keys = [(k, *claim) for k, claim in enumerate(opens)]
    for k, *row in _chunked(conn, "successors", _successors_sql, [day, known], keys, _NO_OPEN,
                            _SUCCESSOR_CHUNK, recorded):
        found[k] = SlotStart._make(row)
    return found


def rank_on(conn: sqlite3.Connection, claim: ClaimRow | SlotStart | Mate, known: int,
            recorded: int | None = None) -> str:
    """``rank_in_force`` for one claim."""
    if not claim.reranked:
        return claim.rank
    statement = _RANK_ON if recorded is None else _recorded_statements(_fragments())[2]
    row = conn.execute(statement, _head([claim.n, known], recorded)).fetchone()
    return row[0] if row else claim.rank


# --- reading whole slots and facts (``timeline.asof.query``) -------------------------------------

_BELIEVED = believed("c", "?1")
#: Keys per statement of the readers below (3 or 4 parameters each, well below the limit).
_READ_CHUNK = 200


def _read(conn: sqlite3.Connection, keys: Sequence[tuple[Any, ...]], columns: str,
          join: str, index: str, recorded: int | None = None) -> list[ClaimRow]:
    """The believed claims (known day ``?1``... given as the first parameter by the
    callers) matching any of ``keys``: one statement per chunk, the keys as a VALUES table
    joined to ``claims`` through ``index``. The keys are distinct (the callers' are sets), so
    no claim matches two: no DISTINCT, and no sort for it."""
    found: list[ClaimRow] = []
    width = len(keys[0][1]) if keys else 0
    p = None if recorded is None else "?2"
    rule = _BELIEVED if p is None else believed("c", "?1", p)
    for first in range(0, len(keys), _READ_CHUNK):
        chunk = keys[first:first + _READ_CHUNK]
        marks = _marks(len(chunk), width, 2 if p is None else 3)
        statement = (f"WITH k({columns}) AS (VALUES {marks}) SELECT {claim_columns(p)} "
                     f"FROM k JOIN claims c INDEXED BY {index} ON {join} WHERE {rule}")
        params: list[Any] = _head([chunk[0][0]], recorded)
        for _, values in chunk:
            params.extend(values)
        found += map(claim_row, conn.execute(statement, params))
    return found


def read_slots(conn: sqlite3.Connection, slots: Iterable[tuple[Any, ...]], known: int,
               recorded: int | None = None) -> list[ClaimRow]:
    """Every claim believed on ``known`` of each slot: ("subject", subject, predicate,
    qualified object) or ("object", object, predicate), whatever its dates."""
    subjects = [(known, tuple(s[1:])) for s in slots if s[0] != "object"]
    objects = [(known, tuple(s[1:])) for s in slots if s[0] == "object"]
    found = _read(conn, subjects, "a, p, o", "c.subject_id = k.a AND c.predicate = k.p "
                  "AND c.slot_object = k.o", "claims_slot", recorded) if subjects else []
    if objects:
        found += _read(conn, objects, "a, p", "c.object_id = k.a AND c.predicate = k.p",
                       "claims_object", recorded)
    return found


def read_facts(conn: sqlite3.Connection, keys: Iterable[tuple[str, ...]], known: int,
               recorded: int | None = None) -> list[ClaimRow]:
    """Every claim believed on ``known`` of each (subject, predicate, slot object, answer)."""
    given = [(known, tuple(key)) for key in keys]
    return _read(conn, given, "a, p, o, x", "c.subject_id = k.a AND c.predicate = k.p AND "
                 "c.slot_object = k.o AND c.answer = k.x", "claims_slot",
                 recorded) if given else []


def read_tied(conn: sqlite3.Connection, roots: Iterable[str], known: int,
              recorded: int | None = None) -> list[ClaimRow]:
    """The claims believed on ``known`` tied to each root (``account_of``)."""
    given = [(known, (root,)) for root in roots]
    return _read(conn, given, "t", "c.tie = k.t", "claims_tie", recorded) if given else []


_BY_ID = f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.id = ?"
_BY_ID_AT = f"SELECT {claim_columns('?2')} FROM claims c WHERE c.id = ?1 AND c.position <= ?2"


def read_claims(conn: sqlite3.Connection, ids: Iterable[str], recorded: int | None = None
                ) -> list[ClaimRow]:
    """Claims by id, believed or not (the roots of ties)."""
    found: list[ClaimRow] = []
    statement = _BY_ID if recorded is None else _BY_ID_AT
    for claim_id in ids:
        found += map(claim_row, conn.execute(statement, _head([claim_id], recorded)))
    return found


# --- a fact's accounts, and the rest of a slot an entity view sees in part (``query``) ----------

def _fragments() -> tuple[Callable[..., str], ...]:
    """The fragments as they are now: the key of the statements cached below, so that a
    statement is built again when a fragment changes (a test changes them one at a time)."""
    return believed, may_hold, _last_rerank, rank_in_force, next_answer


_SLOT_OF_S = ", ".join(f"s.{name}" for name in SlotStart._fields)
_WIDTH = len(ClaimRow._fields)
slot_start = functools.partial(tuple.__new__, SlotStart)
#: Facts per ``read_accounts`` statement, slots per ``stab_slots`` statement and claims per
#: ``read_claims_by_n`` statement (6, 4 and 1 parameters each, well below SQLite's limit).
_ACCOUNT_CHUNK = _SLOT_CHUNK = 128


def _marks(count: int, width: int, first: int) -> str:
    """A VALUES list of ``count`` rows of ``width`` numbered parameters from ``?first``."""
    return ", ".join("(" + ", ".join(f"?{first + width * j + i}" for i in range(width)) + ")"
                     for j in range(count))


class Mate(NamedTuple):
    """What an answer reads first of a fact's accounts (``read_accounts``): enough to chain
    them into episodes and to cut ends. The whole claim (``read_claims_by_n``) is read only
    for those in a fact of the answer."""

    n: int
    start_lo: int
    start_hi: int
    end_lo: int
    end_hi: int
    rank: str
    reranked: int
    tie: str | None
    shared: int


_MATE_COLUMNS = ", ".join(f"c.{name}" for name in Mate._fields)
_MATE_WIDTH = len(Mate._fields)
mate = functools.partial(tuple.__new__, Mate)


@functools.lru_cache(maxsize=64)
def _accounts_sql(count: int, fragments: tuple[Callable[..., str], ...],
                  recorded: bool = False) -> str:
    """``read_accounts``' statement for ``count`` facts: ?1 is the known day, ?2 the day of a
    first later answer whatever its start (``POS_INF``), ?3 the recorded position when
    ``recorded``; each fact 6 parameters from the next (its place in the list first)."""
    p = "?3" if recorded else None
    first_later = next_answer("c", "?2", "?1", "n", *_at(p))
    return (f"WITH k(i, a, p, o, x, s) AS (VALUES {_marks(count, 6, 4 if recorded else 3)}) "
            f"SELECT {_MATE_COLUMNS}, {_SLOT_OF_S}, k.i FROM k "
            "JOIN claims c INDEXED BY claims_slot ON c.subject_id = k.a AND c.predicate = k.p "
            "AND c.slot_object = k.o AND c.answer = k.x LEFT JOIN claims s ON s.n = "
            f"(CASE WHEN k.s AND c.end_hi = {POS_INF} THEN ({first_later}) END) "
            f"WHERE {believed('c', '?1', *_at(p))}")


def read_accounts(conn: sqlite3.Connection, facts: Sequence[tuple[str, str, str, str, bool]],
                  known: int, recorded: int | None = None
                  ) -> list[list[tuple[Mate, SlotStart | None]]]:
    """Every claim believed on ``known`` of each fact, given as (subject, predicate, slot
    object, answer, whether the predicate is single per subject); each with, for an open
    claim of a single predicate, the first later answer of its slot whatever its start
    (``next_answer`` on ``POS_INF``): where the claim's episode reaches, and, when that
    answer started by a day, the claim's successor then. One list per fact, in order."""
    found: list[list[tuple[Mate, SlotStart | None]]] = [[] for _ in facts]
    width, end = _MATE_WIDTH, -1
    statement = functools.partial(_accounts_sql, fragments=_fragments())
    keys = [(k, *fact) for k, fact in enumerate(facts)]
    for row in _chunked(conn, "accounts", statement, [known, POS_INF], keys, _NO_FACT,
                        _ACCOUNT_CHUNK, recorded):
        found[row[end]].append((mate(row[:width]), None if row[width] is None
                                else slot_start(row[width:end])))
    return found


@functools.lru_cache(maxsize=64)
def _by_n_sql(count: int, recorded: bool = False) -> str:
    """Claims by number; when ``recorded``, as recorded at ?1 (the numbers from ?2)."""
    if recorded:
        return (f"SELECT {claim_columns('?1')} FROM claims c WHERE c.n IN "
                f"({', '.join(f'?{2 + k}' for k in range(count))})")
    return f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.n IN ({', '.join('?' * count)})"


def read_claims_by_n(conn: sqlite3.Connection, numbers: Sequence[int],
                     recorded: int | None = None) -> list[ClaimRow]:
    """Whole claims by number (``Mate.n``)."""
    return list(map(claim_row, _chunked(conn, "claims", _by_n_sql, [], [(n,) for n in numbers],
                                        (-1,), _ACCOUNT_CHUNK, recorded)))


@functools.lru_cache(maxsize=64)
def _slots_sql(count: int, fragments: tuple[Callable[..., str], ...],
               recorded: bool = False) -> str:
    """``stab_slots``' statement for ``count`` slots: ?1 is the day, ?2 the known day, ?3
    the recorded position when ``recorded``; each slot 4 parameters from the next (the last
    a claim to leave out). The stab of ``_entities_sql``, by slot."""
    p = "?3" if recorded else None
    ends = (f"CASE WHEN c.end_hi = {POS_INF} THEN "
            f"({next_answer('c', '?1', '?2', _started('c', '?1', '?2', p), *_at(p))}) END")
    found = (f"SELECT c.n AS n, {ends} AS ends FROM k JOIN claims c INDEXED BY claims_slot "
             "ON c.subject_id = k.a AND c.predicate = k.p AND c.slot_object = k.o "
             f"WHERE c.n != k.m AND {may_hold('c', '?1')} AND {believed('c', '?2', *_at(p))}")
    return (f"WITH k(a, p, o, m) AS (VALUES {_marks(count, 4, 4 if recorded else 3)}) "
            f"SELECT {claim_columns(p)}, q.ends IS NOT NULL FROM ({found} LIMIT -1) AS q "
            f"JOIN claims c ON c.n = q.n WHERE coalesce(q.ends, {POS_INF}) > ?1")


def stab_slots(conn: sqlite3.Connection, day: int, known: int,
               slots: Sequence[tuple[str, str, str, int]], recorded: int | None = None
               ) -> tuple[list[ClaimRow], dict[int, SlotStart]]:
    """``stab_entities`` for whole subject slots of single predicates, given as (subject,
    predicate, slot object, the number of a claim of it the caller has): their claims that
    may hold on ``day``, believed on ``known``, but those inertia ends by then and the one
    given; and the successors of those it ends later."""
    rows: list[ClaimRow] = []
    cut: list[ClaimRow] = []
    statement = functools.partial(_slots_sql, fragments=_fragments())
    for found in _chunked(conn, "slots", statement, [day, known], slots, _NO_SLOT,
                          _SLOT_CHUNK, recorded):
        row = claim_row(claim_part(found))
        rows.append(row)
        if found[-1]:
            cut.append(row)
    return rows, successors_of(conn, cut, day, known, recorded) if cut else {}
