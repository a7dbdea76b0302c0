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
valid time is an interval with a known end, ending; a moment's day is the day its row shows,
so an end is on the first day of the end date as written (``end_lo - 1``: "2019/2023-11-17"
ends on 17 November, the last day it held, where ``end_lo`` is the first day it no longer
does). Moments are ordered by (day, kind, claim number) with ``BEGINS`` before ``ENDS``.
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

# The two halves of "moments": begins on start_lo, ends on the end date's first day
# (end_lo - 1) of intervals with a known end (not "2019/..", still holding, nor "2019/",
# whose end is unknown: end_hi is POS_INF for both; nor "2021/[..2023-06]", an end on or
# before a date, which has no first day).
_BEGINS_WHERE = f"c.start_lo != {NEG_INF}"
_ENDS_WHERE = (f"instr(c.valid, '/') > 0 AND c.end_hi != {POS_INF} "
               "AND instr(c.valid, '/[..') = 0")
_ENDS_DAY = "c.end_lo - 1"


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


#: One moment per fact and day: the accounts of one slot and answer that begin (or end) on
#: the same day are one row, shown by the first recorded (``shared`` claims only: the others
#: are alone in their slot and answer).
_FACT_COLUMNS = "c.subject_id, c.predicate, c.slot_object, c.answer"


def _moments_sql(moment_day: str, kind: str, where: str) -> str:
    """The moments of one kind: (day, kind, n), a row per fact and day (a claim alone in
    its slot and answer is grouped by its own number)."""
    return (f"SELECT {moment_day} AS day, {kind} AS kind, min(c.n) AS n FROM claims c "
            f"WHERE {where} AND {{where}} "
            f"GROUP BY {moment_day}, CASE WHEN c.shared = 0 THEN c.n END, {_FACT_COLUMNS}")


def moment_counts(source: Source, entity_ids: Sequence[str] | None = None
                  ) -> list[tuple[int, int]]:
    """How many moments fall on each day that has any: (day, count), in day order — the
    rows of ``moment_keys``, counted per day."""
    conn = _conn(source)
    counts: dict[int, int] = {}
    for moment_day, kind, where in (("c.start_lo", BEGINS, _BEGINS_WHERE),
                                    (_ENDS_DAY, ENDS, _ENDS_WHERE)):
        sql, params = _scoped(_moments_sql(moment_day, str(kind), where), entity_ids)
        for day, k in conn.execute(f"SELECT day, count(*) FROM ({sql}) GROUP BY day",
                                   params):
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
    three integers each, one per fact and day (``_moments_sql``); the claims themselves are
    fetched by page (``claims_by_n``)."""
    begins, p1 = _scoped(_moments_sql("c.start_lo", str(BEGINS), _BEGINS_WHERE), entity_ids)
    ends, p2 = _scoped(_moments_sql(_ENDS_DAY, str(ENDS), _ENDS_WHERE), entity_ids)
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


# --- the days a state may change --------------------------------------------------------------

#: A claim's four valid-time bounds: the only days its status in time can change.
_BOUNDS = ("start_lo", "start_hi", "end_lo", "end_hi")


def _reaches(c: str) -> str:
    """Claim ``c`` believed on :r with a valid time that may reach a day of (:lo, :hi]: all
    its bounds lie between its ``start_lo`` and its ``end_hi``."""
    return (f"{c}.start_lo <= :hi AND {c}.end_hi > :lo "
            f"AND {c}.known_day <= :r AND {c}.withdrawn_day > :r")


def change_days(source: Source, after: int, through: int, known: int,
                entity_ids: Sequence[str] | None = None, singles: Sequence[str] = ()
                ) -> list[int]:
    """The days in (``after``, ``through``] on which the state as known on ``known`` may
    change, in order: every bound (``start_lo``, ``start_hi``, ``end_lo``, ``end_hi``) of a
    claim believed on ``known`` that falls there. Inertia cuts an open end at the next
    answer's start bounds, and outranking and contest come from claims of the same slot, so
    those are bounds of claims too.

    With ``entity_ids``: the claims whose subject or object they are and, for those of the
    single-valued predicates (``singles``), every claim of the same predicate that shares
    their subject or their object — the claims that can cut, outrank or contest them. A day
    may be listed on which nothing changes; none on which something does is left out."""
    params: dict[str, object] = {"lo": after, "hi": through, "r": known}
    bounds = ", ".join(f"c.{b}" for b in _BOUNDS)
    if entity_ids is None:
        picked = (f"SELECT {bounds} FROM claim_index i JOIN claims c ON c.n = i.n "
                  "WHERE i.v_lo <= :hi AND i.v_hi >= :lo AND i.k_lo <= :r AND i.k_hi >= :r")
    else:
        params.update({f"e{k}": e for k, e in enumerate(entity_ids)})
        params.update({f"p{k}": p for k, p in enumerate(singles)})
        ids = ", ".join(f":e{k}" for k in range(len(entity_ids)))
        parts = [f"SELECT {bounds} FROM claims c WHERE c.{side} IN ({ids}) AND {_reaches('c')}"
                 for side in ("subject_id", "object_id")]
        if singles:
            names = ", ".join(f":p{k}" for k in range(len(singles)))
            # The slot-mates: by subject of a claim whose object is selected, by object of
            # a claim whose subject is (the other two are selected already).
            parts += [f"SELECT {bounds} FROM claims s JOIN claims c ON c.{shared} = "
                      f"s.{shared} AND c.predicate = s.predicate WHERE s.{side} IN ({ids}) "
                      f"AND s.predicate IN ({names}) AND {_reaches('s')} AND {_reaches('c')}"
                      for side, shared in (("object_id", "subject_id"),
                                           ("subject_id", "object_id"))]
        picked = " UNION ALL ".join(parts)
    days = " UNION ".join(f"SELECT {b} AS d FROM picked" for b in _BOUNDS)
    sql = (f"WITH picked AS MATERIALIZED ({picked}) "
           f"SELECT d FROM ({days}) WHERE d > :lo AND d <= :hi ORDER BY d")
    return [int(row[0]) for row in _conn(source).execute(sql, params)]


def change_points(source: Source, after: int, through: int, known: int
                  ) -> dict[int, set[str]]:
    """``change_days`` for the whole archive, each day with the entities (subject and
    object) of the claims that have a bound on it: a fact can change on a day only if it is
    about one of them (its own claim, or a claim of its slot, shares its subject or its
    object)."""
    bounds = ", ".join(f"c.{b}" for b in _BOUNDS)
    picked = (f"SELECT {bounds}, c.subject_id AS s, c.object_id AS o FROM claim_index i "
              "JOIN claims c ON c.n = i.n "
              "WHERE i.v_lo <= :hi AND i.v_hi >= :lo AND i.k_lo <= :r AND i.k_hi >= :r")
    days = " UNION ".join(f"SELECT {b} AS d, s, o FROM picked" for b in _BOUNDS)
    found: dict[int, set[str]] = {}
    for day, subject, obj in _conn(source).execute(
            f"WITH picked AS MATERIALIZED ({picked}) "
            f"SELECT d, s, o FROM ({days}) WHERE d > :lo AND d <= :hi",
            {"lo": after, "hi": through, "r": known}):
        ids = found.setdefault(int(day), set())
        ids.add(str(subject))
        if obj is not None:
            ids.add(str(obj))
    return dict(sorted(found.items()))


def part_subjects(source: Source, wholes: Sequence[str], predicate: str, after: int,
                  through: int, known: int) -> set[str]:
    """The subjects of the claims ``X predicate W`` (``part_of``) with W one of ``wholes``,
    believed on ``known``, whose valid time may reach a day of (``after``, ``through``]: the
    entities that may be a part of them on some day of the range (one level)."""
    params: dict[str, object] = {"lo": after, "hi": through, "r": known, "p": predicate}
    params.update({f"e{k}": e for k, e in enumerate(wholes)})
    ids = ", ".join(f":e{k}" for k in range(len(wholes)))
    rows = _conn(source).execute(
        f"SELECT DISTINCT c.subject_id FROM claims c WHERE c.object_id IN ({ids}) "
        f"AND c.predicate = :p AND {_reaches('c')}", params)
    return {str(row[0]) for row in rows}
