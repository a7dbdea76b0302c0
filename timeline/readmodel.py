"""The read model: a projection of the event log into an SQLite database beside the archive.

It follows the store's notification log from a saved checkpoint (``position``): opening an
archive applies only the events written since, in one transaction with the new checkpoint, so
a crash leaves the read model at a consistent earlier position and the next open catches up.

The interval index is an R*Tree (``claim_index``). Each claim is a rectangle in two times:

- valid time: from the earliest day it may have started to the last day it may have held;
- known time: from the day its source made it known to the day before it was withdrawn
  (retracted or superseded) — open when it never was.

"As of V, as known on R" is then one stabbing query at the point (V, R); nothing is replayed.
Everything here can be recomputed from the events (``rebuild``), so the read model carries its
own layout version and is rebuilt, never migrated, when that changes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import json
import operator
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from functools import singledispatchmethod
from pathlib import Path
from typing import Any, NamedTuple

import sqlite_utils
from pydantic import TypeAdapter

from timeline import dates
from timeline.dates import NEG_INF, POS_INF
from timeline.domain import (
    AliasAdded,
    Citation,
    ClaimRecorded,
    ClaimReranked,
    ClaimRetracted,
    ClaimSuperseded,
    DomainEvent,
    EntitiesMerged,
    EntityCreated,
    PredicateDefined,
    SourceRegistered,
    normalise_name,
)
from timeline.store import BULK_CACHE_KIB, DEFAULT_CACHE_KIB, EventStore, Notification

#: Bump when the tables below change: an older read model is then rebuilt from the events.
READMODEL_VERSION = 3

#: Bytes of the read model mapped into memory for reading. Mapped pages a process has read
#: count as its memory: at 1M events, 1,000 entity questions touched 540 MB of a 2 GiB map (peak
#: RSS of the bench 1,033 MB) for no speed measurable over no map at all; 256 MiB keeps the
#: gain on archives up to a few hundred thousand events and bounds what the map adds.
MMAP_SIZE = 256 << 20

#: Bytes of the read model read ahead, in the background, when an archive is opened.
PREWARM_BYTES = 4 << 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS predicates (name TEXT PRIMARY KEY, label TEXT, single INTEGER);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, name TEXT, kind TEXT, description TEXT, merged_into TEXT);
CREATE TABLE IF NOT EXISTS names (
    norm TEXT PRIMARY KEY, name TEXT, entity_id TEXT, is_alias INTEGER);
CREATE INDEX IF NOT EXISTS names_entity ON names(entity_id);
CREATE INDEX IF NOT EXISTS entities_merged ON entities(merged_into);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, title TEXT, published TEXT, published_day INTEGER, url TEXT,
    text TEXT);
CREATE TABLE IF NOT EXISTS claims (
    n INTEGER PRIMARY KEY,
    id TEXT UNIQUE NOT NULL,
    subject_id TEXT NOT NULL, predicate TEXT NOT NULL, object_id TEXT, value TEXT,
    slot_object TEXT NOT NULL, answer TEXT NOT NULL,
    valid TEXT NOT NULL,
    start_lo INTEGER, start_hi INTEGER, end_lo INTEGER, end_hi INTEGER,
    certainty REAL, rank TEXT, reranked INTEGER DEFAULT 0,
    known_at TEXT, known_day INTEGER, withdrawn_day INTEGER,
    citations TEXT, note TEXT, recorded_at TEXT, position INTEGER);
-- The per-entity indexes carry what a per-entity as-of query filters on (valid and known
-- bounds) and the slot inertia looks in (subject, predicate, slot object, answer), so only
-- the claims that pass and that inertia leaves are read from the table; claims_slot also
-- carries all that inertia needs (SlotStart), so its successor query never reads the table.
-- ``n`` keeps rows of equal start in the order they were recorded.
CREATE INDEX IF NOT EXISTS claims_slot ON claims(
    subject_id, predicate, slot_object, start_lo, n, end_hi, known_day, withdrawn_day,
    start_hi, answer, rank, reranked, id);
CREATE INDEX IF NOT EXISTS claims_object ON claims(
    object_id, start_lo, n, end_hi, known_day, withdrawn_day, subject_id, predicate,
    slot_object, answer);
CREATE INDEX IF NOT EXISTS claims_start ON claims(start_lo);
CREATE TABLE IF NOT EXISTS claim_streams (stream TEXT PRIMARY KEY, claim_id TEXT)
    WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS claim_index USING rtree_i32(n, v_lo, v_hi, k_lo, k_hi);
CREATE TABLE IF NOT EXISTS ranks (
    claim_n INTEGER, known_day INTEGER, position INTEGER, rank TEXT);
CREATE INDEX IF NOT EXISTS ranks_claim ON ranks(claim_n, known_day, position);
CREATE TABLE IF NOT EXISTS corrections (
    claim_id TEXT, kind TEXT, known_at TEXT, known_day INTEGER, rank TEXT, by_claim TEXT,
    reason TEXT, recorded_at TEXT, position INTEGER);
CREATE INDEX IF NOT EXISTS corrections_claim ON corrections(claim_id);
"""

#: A claim's citations as the read model keeps them: compact JSON, non-ASCII kept as is.
_CITATIONS: TypeAdapter[tuple[Citation, ...]] = TypeAdapter(tuple[Citation, ...])

_TABLES = ("meta", "predicates", "entities", "names", "sources", "claims", "claim_streams",
           "claim_index", "ranks", "corrections")


def readmodel_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".index")


class ClaimRow(NamedTuple):
    """One claim as the read model holds it (corrections already folded in).

    A named tuple, not a dataclass: queries build thousands of these, and a tuple is built
    several times faster."""

    n: int
    id: str
    subject_id: str
    predicate: str
    object_id: str | None
    value: str | None
    slot_object: str
    answer: str
    valid: str
    start_lo: int
    start_hi: int
    end_lo: int
    end_hi: int
    certainty: float
    rank: str
    reranked: int
    known_at: str
    known_day: int
    withdrawn_day: int
    citations: str
    note: str
    recorded_at: str
    position: int

    @property
    def sources(self) -> list[dict[str, str]]:
        return list(json.loads(self.citations))


_CLAIM_COLUMNS = ", ".join(f"c.{name}" for name in ClaimRow._fields)

#: ``ClaimRow._make`` without a Python call per row (queries build thousands), and the
#: columns of a row that are a ClaimRow's when it has more.
_claim_row = functools.partial(tuple.__new__, ClaimRow)
_claim_part = operator.itemgetter(slice(len(ClaimRow._fields)))
_last = operator.itemgetter(-1)


class SlotStart(NamedTuple):
    """The few columns of a claim that inertia needs: where a slot's next answer starts."""

    n: int
    id: str
    subject_id: str
    predicate: str
    slot_object: str
    answer: str
    start_lo: int
    start_hi: int
    rank: str
    reranked: int


_SLOT_COLUMNS = ", ".join(f"c.{name}" for name in SlotStart._fields)

#: One probe of claims_slot per open claim (``o``), in (start_lo, n) order, stopping at the
#: first claim that qualifies: the claims of the slot before it are read from the index only
#: (it holds every column tested), and the table only for the successor found. The rank on
#: the known day is the claim's own unless it was reranked (then the last rerank known by
#: then, as in ``rank_on``). ?1 is the day, ?2 the known day.
_SUCCESSORS = (
    "WITH o(k, subject_id, predicate, slot_object, start_lo, answer) AS (VALUES {values}) "
    f"SELECT o.k, {_SLOT_COLUMNS} FROM o CROSS JOIN claims c ON c.n = ("
    "SELECT x.n FROM claims x WHERE x.subject_id = o.subject_id "
    "AND x.predicate = o.predicate AND x.slot_object = o.slot_object "
    "AND x.start_lo > o.start_lo AND x.start_lo <= ?1 AND x.answer != o.answer "
    "AND x.known_day <= ?2 AND x.withdrawn_day > ?2 "
    "AND (CASE WHEN x.reranked THEN coalesce((SELECT g.rank FROM ranks g "
    "WHERE g.claim_n = x.n AND g.known_day <= ?2 "
    "ORDER BY g.known_day DESC, g.position DESC LIMIT 1), x.rank) "
    "ELSE x.rank END) != 'deprecated' "
    "ORDER BY x.start_lo, x.n LIMIT 1)")

#: Inertia inside the per-entity stab: ``start_hi`` of the claim that would end an open claim
#: ``c`` of a single-valued predicate — the same probe of claims_slot as ``_SUCCESSORS``, from
#: the index only. When that start is on or before the day, inertia has ended ``c`` before it
#: (its cut ``end_hi`` is that start): it cannot hold or maybe hold, so it is dropped before its
#: table row is read. :v is the day, :r the known day.
_ENDED_BEFORE = (
    "SELECT x.start_hi FROM claims x WHERE x.subject_id = c.subject_id "
    "AND x.predicate = c.predicate AND x.slot_object = c.slot_object "
    "AND x.start_lo > c.start_lo AND x.start_lo <= :v AND x.answer != c.answer "
    "AND x.known_day <= :r AND x.withdrawn_day > :r "
    "AND (CASE WHEN x.reranked THEN coalesce((SELECT g.rank FROM ranks g "
    "WHERE g.claim_n = x.n AND g.known_day <= :r "
    "ORDER BY g.known_day DESC, g.position DESC LIMIT 1), x.rank) "
    "ELSE x.rank END) != 'deprecated' "
    "ORDER BY x.start_lo, x.n LIMIT 1")

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
    """``ReadModel.stab_entities``' statement for ``entities`` ids (:e0, :e1, ...) and
    ``singles`` single-valued predicates (:p0, ...); :v is the day, :r the known day."""
    marks = ", ".join(f":e{k}" for k in range(entities))
    # Per entity, the B-tree indexes answer on their own: they hold the same bounds as the
    # claim's rectangle in claim_index (v_lo = start_lo, v_hi = end_hi - 1, k_lo = known_day,
    # k_hi = withdrawn_day - 1; a claim withdrawn before it was known is in no rectangle and
    # fails ``known_day <= r < withdrawn_day`` too), and all that inertia's probe reads of the
    # claim. Two range scans with disjoint results (UNION ALL needs no sort), from the indexes
    # only; the table is read by rowid for the claims kept.
    where = "c.start_lo <= :v AND c.end_hi > :v AND c.known_day <= :r AND c.withdrawn_day > :r"
    ends = "NULL"
    if singles:
        names = ", ".join(f":p{k}" for k in range(singles))
        ends = (f"CASE WHEN c.end_hi = {POS_INF} AND c.predicate IN ({names}) "
                f"THEN ({_ENDED_BEFORE}) END")
    found = " UNION ALL ".join(
        f"SELECT c.n AS n, {ends} AS ends FROM claims c WHERE {cond} AND {where}"
        for cond in (f"c.subject_id IN ({marks})",
                     f"c.object_id IN ({marks}) AND c.subject_id NOT IN ({marks})"))
    # ``LIMIT -1`` keeps SQLite from merging the subquery into the outer query or pushing the
    # outer filter into it: either would copy the probe into the filter and run it twice.
    return (f"SELECT {_CLAIM_COLUMNS}, k.ends IS NOT NULL FROM ({found} LIMIT -1) AS k "
            f"JOIN claims c ON c.n = k.n WHERE coalesce(k.ends, {POS_INF}) > :v")


#: A bulk import or a rebuild collects cyclic garbage itself, once per this many events.
COLLECT_EVERY = 100_000


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the length of a bulk import or a long
    catch-up (a rebuild of the read model).

    An import keeps each chunk's events, rows and pydantic models alive until the chunk is
    written, so they reach the oldest generation, and every few chunks the collector walks
    every object in the process to find the few cycles among them. At 1M events that was
    ~47 s of a 179 s import (py-spy: the time sat on the lines that allocate). Reference
    counting still frees nearly everything; ``Batch.flush`` and ``catch_up`` collect once
    every ``COLLECT_EVERY`` events (``collect_past``), so cyclic garbage stays bounded. A
    rebuild of 1M events: 210.6 → 179.4 s."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def collect_past(before: int, after: int) -> None:
    """For a writer that paused the collector: one full collection each time its count of
    events written, going from ``before`` to ``after``, passes a multiple of
    ``COLLECT_EVERY``."""
    if before // COLLECT_EVERY != after // COLLECT_EVERY:
        gc.collect()


class ReadModel:
    """The projection and its queries. Pure SQL over the read model; no replay."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        #: Set once the background read of ``_prewarm`` has finished (at once without a file).
        self.prewarmed = threading.Event()
        conn = sqlite3.connect(str(path) if path else ":memory:", timeout=30,
                               check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        if path:
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._create()
        if self._meta("version") != str(READMODEL_VERSION):
            self.reset()
        if path:
            self._map()
            self._prewarm()
        else:
            self.prewarmed.set()

    def _prewarm(self) -> None:
        """Read the file once from start to end on a background thread, so that its pages are
        in the operating system's cache before the questions need them.

        A per-entity question reads a few dozen pages scattered over the file; when the OS no
        longer holds them (after a reboot, or once other files pushed them out), each is a
        random read from disk and the question takes several times longer (at 1M events, with
        the OS cache dropped: p99 4.9 ms instead of 0.8). Read in order, the whole file comes in
        at disk speed (785 MB in 0.4 s here, 0.17 s of CPU, no lock taken). The pages live in
        the OS cache, not in this process' memory; answers are right before it ends, only
        slower."""
        threading.Thread(target=self._read_through, args=(PREWARM_BYTES,),
                         name="hindsight-prewarm", daemon=True).start()

    #: Bytes ``_prewarm`` read.
    prewarm_read = 0

    def _read_through(self, limit: int) -> None:
        """Read up to ``limit`` bytes of the file and throw them away, then set ``prewarmed``."""
        assert self.path is not None
        buffer, read = bytearray(1 << 20), 0
        try:
            with open(self.path, "rb", buffering=0) as file:
                while read < limit and (chunk := file.readinto(buffer)):
                    read += chunk
        except OSError:
            pass  # gone or unreadable: the questions read what they need themselves
        finally:
            self.prewarm_read = read
            self.prewarmed.set()

    def _map(self) -> None:
        """Read the file through a memory map (its first ``MMAP_SIZE`` bytes): a page
        another query or process has read is then used in place, without a read() call or a
        copy into SQLite's own cache — per-entity questions touch a few hundred scattered
        pages, which past 100,000 claims do not stay in the default 2 MB cache."""
        self.db.execute(f"PRAGMA mmap_size={MMAP_SIZE}")

    # --- bookkeeping ------------------------------------------------------------------------

    def _create(self) -> None:
        self.db.conn.executescript(_SCHEMA)

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    @property
    def position(self) -> int:
        return int(self._meta("position") or 0)

    def reset(self) -> None:
        """Forget everything: the next catch-up replays the whole log."""
        with self.db.conn:
            for table in _TABLES:
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self._create()
        with self.db.conn:
            self._set_meta("version", str(READMODEL_VERSION))
            self._set_meta("position", "0")

    def catch_up(self, store: EventStore, batch: int = 5000) -> int:
        """Apply every event after the checkpoint; returns how many were applied.

        Several processes may share this read model (it lives beside the archive): each page
        is applied under SQLite's write lock with the checkpoint re-read inside, so no event is
        applied twice and none is skipped.
        """
        if self.in_bulk:
            # Inside this process's own bulk import: it holds the archive's write lock, so
            # nobody else can append, and what it appended is applied as it goes.
            return 0
        # The checkpoint first: read after the store's position, it could be ahead of it
        # (another process appending and catching up in between) and look like another archive.
        checkpoint = self.position
        latest = store.max_position()
        if latest < checkpoint:
            # The archive is not the one this read model was built from.
            self.reset()
        applied = 0
        conn = self.db.conn
        # A long catch-up (a rebuild) touches every page: unmapped, as in a bulk import.
        long = latest - self.position > batch
        unmapped = bool(self.path) and long
        if unmapped:
            conn.execute("PRAGMA mmap_size = 0")
        paused = collector_paused() if long else contextlib.nullcontext()
        try:
            with paused:
                while self.position < latest:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        page = store.notifications(self.position, batch)
                        if page:
                            self.apply_all(page)
                        conn.commit()
                    except BaseException:
                        conn.rollback()
                        raise
                    if not page:
                        break
                    before, applied = applied, applied + len(page)
                    if long:
                        collect_past(before, applied)
        finally:
            if unmapped:
                self._map()
        return applied

    def apply_all(self, notifications: Sequence[Notification]) -> None:
        """Apply a page of events and move the checkpoint (inside the caller's transaction)."""
        self.apply_recorded([n.event for n in notifications], [n.position for n in notifications])

    def apply_recorded(self, events: Sequence[DomainEvent], positions: Sequence[int]) -> None:
        """Apply events stored at ``positions`` and move the checkpoint (inside the caller's
        transaction). Runs of new claims — nearly all of an import — go in with one
        ``executemany`` per table; everything else one event at a time."""
        run: list[tuple[int, ClaimRecorded]] = []
        for position, event in zip(positions, events, strict=True):
            if type(event) is ClaimRecorded:
                run.append((position, event))
                continue
            if run:
                self._record_claims(run)
                run = []
            self._position = position
            self.apply(event)
        if run:
            self._record_claims(run)
        self._set_meta("position", str(positions[-1]))

    def apply_own(self, events: Sequence[DomainEvent], positions: Sequence[int] | None) -> bool:
        """Apply events this process has just appended, from memory rather than reading them
        back from the log — when they directly follow the checkpoint (nobody else's events
        came between, or came first). False when they do not: the caller catches up instead.
        Inside a bulk import they always do (it holds the archive's write lock)."""
        if self.in_bulk and events:
            assert positions is not None, "a bulk import is SQLite's, which gives positions"
            self.apply_recorded(events, positions)
            return True
        if not events or not positions or list(positions) != list(
                range(positions[0], positions[0] + len(events))):
            return False
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.position != positions[0] - 1:
                conn.rollback()
                return False
            self.apply_recorded(events, positions)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return True

    #: True between ``begin_bulk`` and ``end_bulk``: this process holds the archive's write
    #: lock (a bulk import), so nobody else appends until it ends.
    in_bulk = False

    def begin_bulk(self) -> None:
        """Open one transaction for everything a bulk import applies."""
        self.db.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        # A bulk import touches every page of a growing file: through the memory map they
        # would all count as this process' memory (a 1M-event import: +540 MB of RSS).
        self.db.conn.execute("PRAGMA mmap_size = 0")
        self.db.conn.execute("BEGIN IMMEDIATE")
        self.in_bulk = True

    def end_bulk(self, *, commit: bool) -> None:
        """Commit the bulk import's transaction — only after the archive's own commit, so the
        read model is never ahead of the log — or roll it back, checkpoint and all."""
        if not self.in_bulk:
            return
        self.in_bulk = False
        if commit:
            self.db.conn.commit()
        else:
            self.db.conn.rollback()
        self.db.conn.execute(f"PRAGMA cache_size = -{DEFAULT_CACHE_KIB}")
        if self.path:
            self._map()

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> ReadModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the projection: one handler per event type ----------------------------------------

    _position = 0

    @singledispatchmethod
    def apply(self, event: DomainEvent) -> None:  # pragma: no cover - every type is handled
        raise TypeError(f"no projection for {type(event).__name__}")

    @apply.register
    def _(self, event: PredicateDefined) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO predicates VALUES (?, ?, ?)",
            [event.name, event.label, int(event.single)],
        )

    @apply.register
    def _(self, event: EntityCreated) -> None:
        entity_id = str(event.originator_id)
        self.db.execute(
            "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, NULL)",
            [entity_id, event.name, event.kind, event.description],
        )
        self._add_name(event.name, entity_id, is_alias=False)

    @apply.register
    def _(self, event: AliasAdded) -> None:
        self._add_name(event.alias, self.canonical(str(event.originator_id)), is_alias=True)

    def _add_name(self, name: str, entity_id: str, *, is_alias: bool) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO names VALUES (?, ?, ?, ?)",
            [normalise_name(name), name, entity_id, int(is_alias)],
        )

    @apply.register
    def _(self, event: EntitiesMerged) -> None:
        absorbed, into = str(event.originator_id), self.canonical(str(event.into))
        self.db.execute("UPDATE entities SET merged_into = ? WHERE id = ?", [into, absorbed])
        self.db.execute("UPDATE entities SET merged_into = ? WHERE merged_into = ?",
                        [into, absorbed])
        self.db.execute("UPDATE names SET entity_id = ?, is_alias = 1 WHERE entity_id = ?",
                        [into, absorbed])
        self.db.execute("UPDATE claims SET subject_id = ? WHERE subject_id = ?", [into, absorbed])
        self.db.execute("UPDATE claims SET object_id = ? WHERE object_id = ?", [into, absorbed])
        self.db.execute(
            "UPDATE claims SET slot_object = ? WHERE slot_object = ?", [into, absorbed]
        )
        self.db.execute(
            "UPDATE claims SET answer = ? WHERE answer = ?",
            ["entity:" + into, "entity:" + absorbed],
        )

    @apply.register
    def _(self, event: SourceRegistered) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
            [event.source_id, event.title, event.published,
             dates.known_day(event.published), event.url, event.text],
        )

    @apply.register
    def _(self, event: ClaimRecorded) -> None:
        self._record_claims([(self._position, event)])

    def _record_claims(self, run: Sequence[tuple[int, ClaimRecorded]]) -> None:
        """New claims, with their log positions: one executemany per table."""
        first = int(self.db.execute("SELECT coalesce(max(n), 0) FROM claims").fetchone()[0]) + 1
        merged = self._merged({str(e) for _, event in run
                               for e in (event.subject, event.object) if e is not None})
        claims, streams, index = [], [], []
        for n, (position, event) in enumerate(run, start=first):
            span = dates.parse_span(event.valid)
            subject = str(event.subject)
            subject = merged.get(subject, subject)
            obj = str(event.object) if event.object else None
            if obj is not None:
                obj = merged.get(obj, obj)
            value = event.value
            known = dates.known_day(event.known_at)
            claims.append((
                n, event.claim_id, subject, event.predicate, obj, value,
                obj if (obj and value is not None) else "",
                value if value is not None else "entity:" + (obj or ""),
                event.valid, span.start_lo, span.start_hi, span.end_lo, span.end_hi,
                event.certainty, event.rank, event.known_at, known, POS_INF,
                _CITATIONS.dump_json(event.citations).decode(),
                event.note, event.timestamp.isoformat(), position))
            streams.append((str(event.originator_id), event.claim_id))
            index.append((n, span.start_lo, span.end_hi - 1, known, POS_INF))
        conn = self.db.conn
        conn.executemany(
            "INSERT INTO claims (n, id, subject_id, predicate, object_id, value, slot_object, "
            "answer, valid, start_lo, start_hi, end_lo, end_hi, certainty, rank, known_at, "
            "known_day, withdrawn_day, citations, note, recorded_at, position) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", claims)
        conn.executemany("INSERT INTO claim_streams VALUES (?, ?)", streams)
        conn.executemany("INSERT INTO claim_index VALUES (?, ?, ?, ?, ?)", index)

    @apply.register
    def _(self, event: ClaimRetracted) -> None:
        claim_id = self._claim_id(event)
        self._withdraw(claim_id, dates.known_day(event.known_at))
        self._correction(event, claim_id, "retracted")

    @apply.register
    def _(self, event: ClaimSuperseded) -> None:
        claim_id = self._claim_id(event)
        self._withdraw(claim_id, dates.known_day(event.known_at))
        self._correction(event, claim_id, "superseded", by_claim=event.by)

    @apply.register
    def _(self, event: ClaimReranked) -> None:
        claim_id = self._claim_id(event)
        n = self._claim_n(claim_id)
        # A claim's own rank joins its rank history only when it is first reranked: until
        # then nothing reads the history (``reranked`` is 0), and a row per claim cost every
        # import an insert into ``ranks`` and its index.
        self.db.execute("INSERT INTO ranks SELECT n, known_day, position, rank FROM claims "
                        "WHERE n = ? AND NOT reranked", [n])
        self.db.execute("INSERT INTO ranks VALUES (?, ?, ?, ?)",
                        [n, dates.known_day(event.known_at), self._position, event.rank])
        self.db.execute("UPDATE claims SET reranked = 1 WHERE n = ?", [n])
        self._correction(event, claim_id, "reranked", rank=event.rank)

    def _claim_id(self, event: DomainEvent) -> str:
        # Corrections live on the claim's stream; the stream id is derived from the claim id.
        row = self.db.execute("SELECT claim_id FROM claim_streams WHERE stream = ?",
                              [str(event.originator_id)]).fetchone()
        return str(row[0])

    def _claim_n(self, claim_id: str) -> int:
        return int(self.db.execute("SELECT n FROM claims WHERE id = ?", [claim_id]).fetchone()[0])

    def _withdraw(self, claim_id: str, day: int) -> None:
        row = self.db.execute(
            "SELECT n, known_day, withdrawn_day FROM claims WHERE id = ?", [claim_id]
        ).fetchone()
        n, known, withdrawn = row
        withdrawn = min(withdrawn, day)
        self.db.execute("UPDATE claims SET withdrawn_day = ? WHERE n = ?", [withdrawn, n])
        if withdrawn <= known:
            # Withdrawn before it was known: it is in no "as known on" answer at all.
            self.db.execute("DELETE FROM claim_index WHERE n = ?", [n])
        else:
            self.db.execute("UPDATE claim_index SET k_hi = ? WHERE n = ?", [withdrawn - 1, n])

    def _correction(self, event: Any, claim_id: str, kind: str, *, rank: str | None = None,
                    by_claim: str | None = None) -> None:
        self.db.execute(
            "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [claim_id, kind, event.known_at, dates.known_day(event.known_at), rank, by_claim,
             event.reason, event.timestamp.isoformat(), self._position],
        )

    # --- lookups ----------------------------------------------------------------------------

    def _rows_for(self, sql: str, keys: Sequence[str]) -> Iterator[Any]:
        """The rows of ``sql`` for many keys, 500 a statement (``{}`` stands for them)."""
        for k in range(0, len(keys), 500):
            part = keys[k:k + 500]
            yield from self.db.conn.execute(sql.format(", ".join("?" * len(part))), part)

    def _merged(self, entity_ids: set[str]) -> dict[str, str]:
        """Those of ``entity_ids`` merged into another entity, and into which: a run of
        claims names thousands of entities, nearly none merged."""
        return dict(self._rows_for("SELECT id, merged_into FROM entities WHERE merged_into "
                                   "IS NOT NULL AND id IN ({})", list(entity_ids)))

    def canonical(self, entity_id: str) -> str:
        row = self.db.execute("SELECT merged_into FROM entities WHERE id = ?",
                              [entity_id]).fetchone()
        return row[0] if row and row[0] else entity_id

    def resolve(self, name: str) -> str | None:
        """The entity a name or alias stands for (after merges), or None."""
        row = self.db.execute("SELECT entity_id FROM names WHERE norm = ?",
                              [normalise_name(name)]).fetchone()
        return self.canonical(row[0]) if row else None

    def all_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM names ORDER BY name")]

    def entity(self, entity_id: str) -> dict[str, Any]:
        row = self.db.execute(
            "SELECT id, name, kind, description FROM entities WHERE id = ?", [entity_id]
        ).fetchone()
        aliases = [r[0] for r in self.db.execute(
            "SELECT name FROM names WHERE entity_id = ? AND norm != ? ORDER BY name",
            [entity_id, normalise_name(row[1])])]
        return {"id": row[0], "name": row[1], "kind": row[2], "description": row[3],
                "aliases": aliases}

    def entities(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT id FROM entities WHERE merged_into IS NULL ORDER BY name").fetchall()
        return [self.entity(r[0]) for r in rows]

    def entity_names(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, name FROM entities").fetchall())

    def data_version(self) -> int:
        """Changes whenever another connection commits to the read model (SQLite's ``PRAGMA
        data_version``): how an archive knows its cached names may be stale."""
        return int(self.db.conn.execute("PRAGMA data_version").fetchone()[0])

    def merged_ids(self, entity_id: str) -> list[str]:
        """The entity and every entity merged into it."""
        rows = self.db.execute("SELECT id FROM entities WHERE merged_into = ?", [entity_id])
        return [entity_id, *(r[0] for r in rows)]

    def predicates(self) -> dict[str, tuple[str, bool]]:
        return {name: (label, bool(single)) for name, label, single in
                self.db.execute("SELECT name, label, single FROM predicates")}

    def source(self, source_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT id, title, published, url, text FROM sources WHERE id = ?", [source_id]
        ).fetchone()
        if row is None:
            return None
        return dict(zip(("id", "title", "published", "url", "text"), row, strict=True))

    def sources(self) -> list[dict[str, Any]]:
        ids = [r[0] for r in self.db.execute("SELECT id FROM sources ORDER BY id")]
        return [s for s in map(self.source, ids) if s]

    def claim(self, claim_id: str) -> ClaimRow | None:
        row = self.db.execute(f"SELECT {_CLAIM_COLUMNS} FROM claims c WHERE c.id = ?",
                              [claim_id]).fetchone()
        return _claim_row(row) if row else None

    def absent_claims(self, claim_ids: Sequence[str]) -> set[str]:
        """Those of ``claim_ids`` no claim has."""
        wanted = set(claim_ids)
        wanted.difference_update(row[0] for row in self._rows_for(
            "SELECT id FROM claims WHERE id IN ({})", list(wanted)))
        return wanted

    def claim_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM claims ORDER BY n")]

    def corrections(self, claim_id: str) -> list[dict[str, Any]]:
        cols = ("kind", "known_at", "rank", "by_claim", "reason", "recorded_at")
        rows = self.db.execute(
            f"SELECT {', '.join(cols)} FROM corrections WHERE claim_id = ? ORDER BY position",
            [claim_id])
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def counts(self) -> dict[str, int]:
        return {t: int(self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in ("entities", "sources", "claims", "corrections")}

    # --- the stabbing queries ---------------------------------------------------------------

    def stab(self, day: int, known: int, entity_ids: Sequence[str] | None = None,
             singles: Sequence[str] = ()) -> list[ClaimRow]:
        """Claims that may hold on ``day`` and were believed on ``known``.

        Per entity, with the single-valued predicates given (``singles``), the open claims
        that inertia ends on or before ``day`` are left out (they are in no state on it)."""
        if entity_ids is not None:
            return self.stab_entities(day, known, entity_ids, singles)[0]
        sql = (f"SELECT {_CLAIM_COLUMNS} FROM claim_index i JOIN claims c ON c.n = i.n "
               "WHERE i.v_lo <= :v AND i.v_hi >= :v AND i.k_lo <= :r AND i.k_hi >= :r")
        return list(map(_claim_row, self.db.execute(sql, {"v": day, "r": known})))

    def stab_entities(self, day: int, known: int, entity_ids: Sequence[str],
                      singles: Sequence[str] = ()
                      ) -> tuple[list[ClaimRow], dict[int, SlotStart]]:
        """``stab`` for the claims about some entities, and inertia with it: the open claims
        of the single-valued predicates (``singles``) that a later answer ends on or before
        ``day`` are left out, and for those kept that a later answer ends after it (during
        its fuzzy start), that claim (``successors``' answer), by the kept claim's ``n``."""
        params: dict[str, Any] = {"v": day, "r": known}
        params.update({f"e{k}": e for k, e in enumerate(entity_ids)})
        params.update({f"p{k}": p for k, p in enumerate(singles)})
        found = self.db.conn.execute(
            _entities_sql(len(entity_ids), len(singles)), params).fetchall()
        rows = list(map(_claim_row, map(_claim_part, found)))
        cut = list(itertools.compress(rows, map(_last, found)))
        successors: dict[int, SlotStart] = {}
        if cut:
            # Rare: a successor that started by the day only maybe (a fuzzy start).
            ends = self.successors([(x.subject_id, x.predicate, x.slot_object, x.start_lo,
                                     x.answer) for x in cut], day, known)
            successors = {x.n: s for x, s in zip(cut, ends, strict=True) if s is not None}
        return rows, successors

    def successors(self, opens: Sequence[tuple[str, str, str, int, str]], day: int,
                   known: int) -> list[SlotStart | None]:
        """For each open claim, given as (subject_id, predicate, slot_object, start_lo,
        answer): the first claim of its slot that started after it and by ``day``, gives a
        different answer, was believed on ``known`` and was not deprecated then — the claim
        that ends it (inertia), or None. First is in start order, then in recorded order."""
        found: list[SlotStart | None] = [None] * len(opens)
        for first in range(0, len(opens), _SUCCESSOR_CHUNK):
            chunk = opens[first:first + _SUCCESSOR_CHUNK]
            params: list[Any] = [day, known]
            for k, claim in enumerate(chunk, first):
                params.append(k)
                params.extend(claim)
            for k, *row in self.db.conn.execute(_successors_sql(len(chunk)), params):
                found[k] = SlotStart._make(row)
        return found

    def rank_on(self, claim: ClaimRow | SlotStart, known: int) -> str:
        if not claim.reranked:
            return claim.rank
        row = self.db.execute(
            "SELECT rank FROM ranks WHERE claim_n = ? AND known_day <= ? "
            "ORDER BY known_day DESC, position DESC LIMIT 1", [claim.n, known]).fetchone()
        return row[0] if row else claim.rank

    def claims_about(self, entity_ids: Sequence[str]) -> list[ClaimRow]:
        marks = ", ".join("?" * len(entity_ids))
        sql = (f"SELECT {_CLAIM_COLUMNS} FROM claims c WHERE c.subject_id IN ({marks}) "
               f"OR c.object_id IN ({marks}) ORDER BY c.start_lo, c.start_hi, c.n")
        return list(map(_claim_row, self.db.execute(sql, [*entity_ids, *entity_ids])))

    def all_claims(self) -> list[ClaimRow]:
        sql = f"SELECT {_CLAIM_COLUMNS} FROM claims c ORDER BY c.start_lo, c.start_hi, c.n"
        return list(map(_claim_row, self.db.execute(sql)))

    def span(self) -> tuple[int, int] | None:
        """First and last finite day the archive's claims mention."""
        lo = self.db.execute(
            "SELECT min(start_lo) FROM claims WHERE start_lo > ?", [NEG_INF]).fetchone()[0]
        hi = self.db.execute(
            "SELECT max(max(start_hi, CASE WHEN end_hi < ? THEN end_hi - 1 ELSE start_hi END)) "
            "FROM claims", [POS_INF]).fetchone()[0]
        return (lo, hi) if lo is not None else None
