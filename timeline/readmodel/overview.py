"""Overview queries for views of a large archive: aggregates, neighbourhoods and pages of
claims, instead of every claim as a Python row.

A desktop view of an archive of a million claims cannot hold the whole archive: the density
of events over time comes from counts per day (``moment_counts``), the list of events from
narrow keys plus pages of claims fetched by number (``moment_keys``, ``claims_by_n``), and the
relationship graph from one entity's neighbourhood (``neighbours``). Every function takes an
``Archive``, a ``ReadModel`` or a plain ``sqlite3.Connection`` to a read model, so that a
worker thread can run the slow aggregates on its own read-only connection (``connect``).

Which claims hold on a day is still ``Archive.as_of``; these are places, counts and pages.
A *moment* is a claim beginning (on the first day it may hold, ``start_lo``) or, when its
valid time is an interval with a known end, ending (``end_lo``); moments are ordered by
(day, kind, claim number) with ``BEGINS`` before ``ENDS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Union

from timeline.dates import NEG_INF, POS_INF
from timeline.readmodel.projection import ReadModel
from timeline.readmodel.schema import CLAIM_COLUMNS, ClaimRow

if TYPE_CHECKING:
    from timeline.app import Archive

Source = Union["Archive", ReadModel, sqlite3.Connection]

#: Moment kinds, in their sort order.
BEGINS, ENDS = 0, 1

# The two halves of "moments": begins on start_lo, ends on end_lo of intervals with a known end.
_BEGINS_WHERE = f"c.start_lo != {NEG_INF}"
_ENDS_WHERE = f"instr(c.valid, '/') > 0 AND c.end_lo != {POS_INF}"


class MomentKey(NamedTuple):
    day: int
    kind: int  # BEGINS or ENDS
    n: int  # the claim's number in the read model


def _conn(source: Source) -> sqlite3.Connection:
    if isinstance(source, sqlite3.Connection):
        return source
    readmodel = source if isinstance(source, ReadModel) else source.readmodel
    return readmodel.db.conn


def readmodel_file(source: Archive | ReadModel) -> Path | None:
    """The read model's file (None for an in-memory archive)."""
    readmodel = source if isinstance(source, ReadModel) else source.readmodel
    return readmodel.path


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection of its own to a read model file, for a worker thread."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30,
                           check_same_thread=False)


def _scoped(sql: str, entity_ids: Sequence[str] | None) -> tuple[str, list[object]]:
    """``sql`` (with a ``{where}`` for the scope) and its parameters: over every claim, or,
    for entities, over the claims about them as two disjoint halves joined by UNION ALL
    (subject one of them; object one of them and subject not), each served by an index."""
    if entity_ids is None:
        return sql.format(where="1"), []
    ids: list[object] = list(entity_ids)
    marks = ", ".join("?" * len(ids))
    halves = (f"c.subject_id IN ({marks})",
              f"c.object_id IN ({marks}) AND c.subject_id NOT IN ({marks})")
    return " UNION ALL ".join(sql.format(where=h) for h in halves), [*ids, *ids, *ids]


# --- sizes and the busiest entities ----------------------------------------------------------


def claim_count(source: Source) -> int:
    return int(_conn(source).execute("SELECT count(*) FROM claims").fetchone()[0])


def entity_names(source: Source) -> list[str]:
    """Every entity's name (not those merged into another), in name order: one query, where
    ``Archive.entities()`` reads each entity and its aliases."""
    rows = _conn(source).execute(
        "SELECT name FROM entities WHERE merged_into IS NULL ORDER BY name")
    return [str(r[0]) for r in rows]


def busiest_entities(source: Source, limit: int = 10) -> list[tuple[str, int]]:
    """The entities with the most claims about them (as subject or object): (id, count),
    most first (ties by id, so the answer is stable). Two scans of covering indexes, no
    claim read (a claim relating an entity to itself counts twice)."""
    conn = _conn(source)
    counts: dict[str, int] = {}
    for sql in ("SELECT subject_id, count(*) FROM claims GROUP BY subject_id",
                "SELECT object_id, count(*) FROM claims WHERE object_id IS NOT NULL "
                "GROUP BY object_id"):
        for entity_id, k in conn.execute(sql):
            counts[entity_id] = counts.get(entity_id, 0) + k
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(str(i), int(k)) for i, k in ranked[:limit]]


# --- time: density and the latest known day ---------------------------------------------------


def moment_counts(source: Source, entity_ids: Sequence[str] | None = None
                  ) -> list[tuple[int, int]]:
    """How many moments fall on each day that has any: (day, count), in day order.

    Two aggregates (begins by the ``claims_start`` index, ends by a scan), summed per day;
    a few tens of thousands of rows however many claims the archive holds."""
    conn = _conn(source)
    counts: dict[int, int] = {}
    for column, where in (("start_lo", _BEGINS_WHERE), ("end_lo", _ENDS_WHERE)):
        sql, params = _scoped(
            f"SELECT c.{column} AS day, count(*) FROM claims c WHERE {where} AND {{where}} "
            f"GROUP BY c.{column}", entity_ids)
        for day, k in conn.execute(sql, params):
            counts[day] = counts.get(day, 0) + k
    return sorted(counts.items())


def latest_known_day(source: Source) -> int | None:
    """The last day on which the record changed: a claim became known or was withdrawn."""
    row = _conn(source).execute(
        "SELECT max(CASE WHEN known_day > ? AND known_day < ? THEN known_day END), "
        "max(CASE WHEN withdrawn_day > ? AND withdrawn_day < ? THEN withdrawn_day END) "
        "FROM claims", [NEG_INF, POS_INF, NEG_INF, POS_INF]).fetchone()
    found = [d for d in row if d is not None and NEG_INF < d < POS_INF]
    return max(found) if found else None


# --- the event list: narrow keys, claims by page -----------------------------------------------


def moment_keys(source: Source, entity_ids: Sequence[str] | None = None) -> list[MomentKey]:
    """Every moment of the claims about the entities (of every claim without), in order:
    three integers each; the claims themselves are fetched by page (``claims_by_n``)."""
    begins, p1 = _scoped(f"SELECT c.start_lo, {BEGINS}, c.n FROM claims c "
                         f"WHERE {_BEGINS_WHERE} AND {{where}}", entity_ids)
    ends, p2 = _scoped(f"SELECT c.end_lo, {ENDS}, c.n FROM claims c "
                       f"WHERE {_ENDS_WHERE} AND {{where}}", entity_ids)
    rows = _conn(source).execute(f"{begins} UNION ALL {ends} ORDER BY 1, 2, 3", p1 + p2)
    return list(map(MomentKey._make, rows))


def claims_by_n(source: Source, numbers: Sequence[int]) -> dict[int, ClaimRow]:
    """Claims by their number in the read model (a page of an event list)."""
    found: dict[int, ClaimRow] = {}
    conn = _conn(source)
    chunk = 500  # SQLite's limit on bound parameters is far above this
    for k in range(0, len(numbers), chunk):
        part = list(numbers[k:k + chunk])
        marks = ", ".join("?" * len(part))
        for row in conn.execute(f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.n IN ({marks})",
                                part):
            claim = ClaimRow._make(row)
            found[claim.n] = claim
    return found


# --- the relationship graph -------------------------------------------------------------------


def relationship_pairs(source: Source) -> list[tuple[str, str]]:
    """(subject id, object id) of every relationship claim, in valid-time order — what the
    whole-archive graph is laid out from, without loading the claims."""
    rows = _conn(source).execute(
        "SELECT subject_id, object_id FROM claims WHERE object_id IS NOT NULL "
        "ORDER BY start_lo, start_hi, n")
    return [(str(s), str(o)) for s, o in rows]


def neighbours(source: Source, entity_ids: Sequence[str]) -> list[tuple[str, int]]:
    """The entities ever related to the given ones (a relationship claim either way, on any
    day, as known now or before): (id, number of such claims), most first, ties by id."""
    ids = list(entity_ids)
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = _conn(source).execute(
        f"SELECT other, count(*) AS k FROM ("
        f" SELECT c.object_id AS other FROM claims c WHERE c.subject_id IN ({marks})"
        f" AND c.object_id IS NOT NULL"
        f" UNION ALL"
        f" SELECT c.subject_id FROM claims c WHERE c.object_id IN ({marks})"
        f" AND c.subject_id NOT IN ({marks})"
        f") WHERE other NOT IN ({marks}) GROUP BY other ORDER BY k DESC, other",
        ids * 4).fetchall()
    return [(str(i), int(k)) for i, k in rows]
