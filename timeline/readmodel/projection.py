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
import sqlite3
import threading
from collections.abc import Sequence
from functools import singledispatchmethod
from pathlib import Path
from typing import Any

import sqlite_utils

from timeline import dates
from timeline.dates import POS_INF
from timeline.domain import (
    AliasAdded,
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
from timeline.readmodel.lookups import Lookups
from timeline.readmodel.schema import (
    CITATIONS,
    MMAP_SIZE,
    PREWARM_BYTES,
    READMODEL_VERSION,
    SCHEMA,
    TABLES,
    collect_past,
    collector_paused,
)
from timeline.store import BULK_CACHE_KIB, DEFAULT_CACHE_KIB, EventStore, Notification


class ReadModel(Lookups):
    """The projection: the read model kept from the event log, and its lookups (``Lookups``)."""

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
        random read from disk and the question takes several times longer. Read in order, the
        whole file comes in at disk speed, with no lock taken (figures: docs/performance.md).
        The pages live in the OS cache, not in this process' memory; answers are right before
        it ends, only slower."""
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
        pages, which on a large archive do not stay in SQLite's default cache."""
        self.db.execute(f"PRAGMA mmap_size={MMAP_SIZE}")

    # --- bookkeeping ------------------------------------------------------------------------

    def _create(self) -> None:
        self.db.conn.executescript(SCHEMA)

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
            for table in TABLES:
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
        # would all count as this process' memory.
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
                CITATIONS.dump_json(event.citations).decode(),
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

