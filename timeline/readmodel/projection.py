"""The read model: a projection of the event log into an SQLite database beside the archive.

It follows the store's notification log from a saved checkpoint (``position``): opening an
archive applies only the events written since, in one transaction with the new checkpoint, so
a crash leaves the read model at a consistent earlier position and the next open catches up.

The interval index is an R*Tree (``claim_index``, schema.py): "as of V, as known on R" is one
stabbing query at the point (V, R); nothing is replayed. The full-text index is search.py's.
Everything here can be recomputed from the events (``rebuild``), so the read model carries its
own layout version and is rebuilt, never migrated, when that changes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
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
    merged_kind,
    normalise_name,
    single_side,
)
from timeline.errors import ArchiveError
from timeline.readmodel import added_citations, search, structure
from timeline.readmodel import relative as relative_rows
from timeline.readmodel import sources as source_rows
from timeline.readmodel import undo as more_rows
from timeline.readmodel.lookups import Lookups
from timeline.readmodel.schema import (
    CITATIONS,
    MMAP_SIZE,
    PREWARM_BYTES,
    READMODEL_VERSION,
    SCHEMA,
    SCHEMA_STATEMENTS,
    SHARE_MERGED,
    SHARE_NEW,
    TABLES,
    collect_past,
    collector_paused,
)
from timeline.readmodel.streams import claim_id_of, stream_key
from timeline.store import (
    BULK_CACHE_KIB,
    DEFAULT_CACHE_KIB,
    EventStore,
    Notification,
    full_disk_note,
    own_digest,
)


class ReadModelBehind(ArchiveError):
    """The read model could not apply events that are in the archive (a full disk, a lock held
    too long): they stay in the archive, and the read model catches up from it next time."""

    def __init__(self, where: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.reason = reason


#: Tries (and the pause before the first retry, doubling) to open a read model that a moment
#: of another process's write made unreadable, before it is deemed damaged.
OPEN_ATTEMPTS = 3
OPEN_PAUSE = 0.1


def _known_day(text: str) -> int:
    try:
        return dates.known_day(text)
    except dates.DateError:  # a year out of range, stored by an older version
        return dates.stored(dates.known_day, text)


def _span(text: str, calendar: str) -> dates.Span:
    try:
        return dates.parse_span(text, *([calendar] if calendar != "gregorian" else []))
    except dates.DateError:
        return dates.stored(lambda t: dates.parse_span(t, calendar), text)


class ReadModel(Lookups):
    """The projection: the read model kept from the event log, and its lookups (``Lookups``)."""

    def __init__(self, path: Path | None) -> None:
        """Open (or create) the read model at ``path``, in memory when None.

        A file that is not a database, or stays malformed when tried again, is damaged: it is
        moved aside (``ARCHIVE.index.damaged``) and a new read model is built from the log —
        it holds nothing the events do not. One that cannot be opened for another reason (a
        folder, no permission, a full disk) raises ``ArchiveError``.
        """
        self.path = path
        #: Set once the background read of ``_prewarm`` has finished (at once without a file).
        self.prewarmed = threading.Event()
        #: Where a damaged read model file was moved, when one was.
        self.moved_aside: Path | None = None
        #: Why the read model was last recomputed from scratch by ``catch_up``, if it was.
        self.reset_reason: str | None = None
        self._checked = False  # catch_up has checked that it follows the store's log
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._connect()
                break
            except sqlite3.DatabaseError as exc:
                if path is None:
                    raise
                # Not a database, or malformed: damage (SQLite's other errors are
                # OperationalError: cannot open, read-only, full, locked).
                if type(exc) is not sqlite3.DatabaseError:
                    raise ArchiveError(f"{path}: the read model cannot be opened ({exc}"
                                       f"{full_disk_note(path)})") from None
                if attempt + 1 == OPEN_ATTEMPTS or "not a database" in str(exc):
                    self._move_aside()
                    self._connect()
                    break
                time.sleep(OPEN_PAUSE * 2 ** attempt)
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

    def _connect(self) -> None:
        """Connect, create the tables a new read model lacks, and start over when its layout
        is of another version. Raises sqlite3's error when the file cannot be read."""
        conn = sqlite3.connect(str(self.path) if self.path else ":memory:", timeout=30,
                               check_same_thread=False)
        try:
            self.db = sqlite_utils.Database(conn)
            if self.path:
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # A read model of another layout goes first: this one's indexes may name columns
            # that its tables lack.
            # A new one is made by ``reset`` too, so it records its version (and position 0)
            # as a rebuild's does.
            made = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
            if made is None or self._meta("version") != str(READMODEL_VERSION):
                self.reset()
        except BaseException:
            conn.close()
            raise

    def _move_aside(self) -> None:
        """Move a damaged read model file (and SQLite's files beside it) to
        ``ARCHIVE.index.damaged``, replacing an earlier one: nothing in it is lost that the
        events do not hold, and it is there to look at."""
        assert self.path is not None
        aside = self.path.with_name(self.path.name + ".damaged")
        try:
            for suffix in ("", "-wal", "-shm"):
                source, target = Path(f"{self.path}{suffix}"), Path(f"{aside}{suffix}")
                if source.exists():
                    os.replace(source, target)
                else:
                    target.unlink(missing_ok=True)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: the read model is damaged and cannot be moved "
                               f"aside ({exc.strerror or exc})") from None
        self.moved_aside = aside

    def discard(self) -> None:
        """Replace a damaged read model by an empty one (``hindsight rebuild``)."""
        self.db.conn.close()
        if self.path is not None:
            self._move_aside()
        self._connect()
        self._checked = True

    def _create(self) -> None:
        self.db.conn.executescript(SCHEMA)

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    @property
    def position(self) -> int:
        try:
            return int(self._meta("position") or 0)
        except ValueError:
            return 0  # not a checkpoint: ``catch_up`` starts over

    def _checkpoint(self, events: Sequence[DomainEvent], last: int,
                    digests: tuple[str | None, str | None]) -> None:
        """Move the checkpoint to ``last`` and record which log it follows: the digest of the
        log's first event (``log``, when these are the first events applied) and of the event
        at the checkpoint (``head``). Digests not given are those of events this process has
        just stored (``own_digest``)."""
        first, head = digests
        if self.position == 0:
            self._set_meta("log", first or own_digest(events[0]))
        self._set_meta("head", head or own_digest(events[-1]))
        self._set_meta("position", str(last))

    def reset(self) -> None:
        """Forget everything: the next catch-up replays the whole log. One transaction, so a
        process sharing the read model never finds it without its tables."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._recreate()
            conn.commit()
        except BaseException:
            conn.rollback()
            raise

    def _recreate(self) -> None:
        """Drop every table and create them empty (inside the caller's transaction)."""
        for table in TABLES:
            self.db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in SCHEMA_STATEMENTS:
            self.db.execute(statement)
        self._set_meta("version", str(READMODEL_VERSION))
        self._set_meta("position", "0")

    def _foreign(self, store: EventStore) -> str | None:
        """Why this read model was not built from ``store``'s log (None when it was): another
        archive's log, a checkpoint that is not an event of this log, or rows past it."""
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        try:
            position = int(meta.get("position") or 0)
        except ValueError:
            return f"its checkpoint {meta.get('position')!r} is not a log position"
        if position <= 0:
            has_rows = self.db.execute(
                "SELECT EXISTS (SELECT 1 FROM claims) OR EXISTS (SELECT 1 FROM entities) OR "
                "EXISTS (SELECT 1 FROM sources) OR EXISTS (SELECT 1 FROM predicates) OR "
                "EXISTS (SELECT 1 FROM corrections)").fetchone()[0]
            return "it holds rows but has applied no event" if has_rows else None
        if not meta.get("log") or not meta.get("head"):
            return "it does not record which log it was built from"
        first = store.digest_at()
        if first is None or first[1] != meta["log"]:
            return "it was built from another archive's log"
        at = store.digest_at(position)
        if at is None or at[1] != meta["head"]:
            return f"its checkpoint ({position}) is not where this archive's log is"
        # Rows are applied in log order: the last claim and correction hold the last position.
        past = self.db.execute(
            "SELECT max(p) FROM (SELECT * FROM (SELECT position AS p FROM claims "
            "ORDER BY n DESC LIMIT 1) UNION ALL SELECT * FROM (SELECT position AS p FROM "
            "corrections ORDER BY rowid DESC LIMIT 1))").fetchone()[0]
        if past is not None and past > position:
            return f"it holds rows of events after its checkpoint ({past} > {position})"
        return None

    def _follow(self, store: EventStore) -> None:
        """Start over, from an empty read model, when this one was not built from ``store``'s
        log (``_foreign``): decided again under the write lock, so that a process sharing it
        and mending it first is not undone."""
        if self._foreign(store) is None:
            return
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            reason = self._foreign(store)
            if reason is not None:
                self._recreate()
                self.reset_reason = reason
            conn.commit()
        except BaseException:
            conn.rollback()
            raise

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "the read model in memory"

    def catch_up(self, store: EventStore, batch: int = 5000) -> int:
        """Apply every event after the checkpoint; returns how many were applied.

        Several processes may share this read model (it lives beside the archive): each page
        is applied under SQLite's write lock with the checkpoint re-read inside, so no event is
        applied twice and none is skipped.

        The first time (on open), and whenever the log looks shorter than the checkpoint, it
        checks that it was built from this store's log (``_follow``) and starts over when
        not. A failure to write (a full disk) raises ``ReadModelBehind``: the events stay in
        the archive, and the next catch-up applies them.
        """
        if self.in_bulk:
            # Inside this process's own bulk import: it holds the archive's write lock, so
            # nobody else can append, and what it appended is applied as it goes.
            return 0
        try:
            return self._catch_up(store, batch)
        except sqlite3.IntegrityError:
            # A row already there: the checkpoint is behind what was applied. Start over.
            self.reset()
            self.reset_reason = "it held rows of events after its checkpoint"
            try:
                return self._catch_up(store, batch)
            except sqlite3.DatabaseError as exc:
                raise self._behind(exc) from None
        except sqlite3.DatabaseError as exc:
            raise self._behind(exc) from None

    def _behind(self, exc: sqlite3.DatabaseError) -> ReadModelBehind:
        reason = str(exc)
        return ReadModelBehind(self.where, reason, (
            f"{self.where}: the read model could not catch up with the archive ({reason}); "
            "what was written is in the archive, and the read model catches up from it when "
            "it can"))

    def _catch_up(self, store: EventStore, batch: int) -> int:
        # The checkpoint first: read after the store's position, it could be ahead of it
        # (another process appending and catching up in between) and look like another archive.
        checkpoint = self.position
        latest = store.max_position()
        if not self._checked or latest < checkpoint:
            self._follow(store)
            self._checked = True
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
        self.apply_recorded([n.event for n in notifications], [n.position for n in notifications],
                            [n.recorded_by for n in notifications],
                            digests=(notifications[0].digest, notifications[-1].digest))

    def apply_recorded(self, events: Sequence[DomainEvent], positions: Sequence[int],
                       authors: Sequence[str | None] | None = None, *,
                       digests: tuple[str | None, str | None] = (None, None)) -> None:
        """Apply events stored at ``positions`` (written by ``authors``, when known) and move
        the checkpoint (inside the caller's transaction). Runs of new claims — nearly all of
        an import — go in with one ``executemany`` per table; everything else one event at a
        time."""
        run: list[tuple[int, ClaimRecorded, str | None]] = []
        for position, event, author in zip(positions, events, authors or [None] * len(events),
                                           strict=True):
            if type(event) is ClaimRecorded:
                run.append((position, event, author))
                continue
            if run:
                self._record_claims(run)
                run = []
            self._position = position
            self._recorded_by = author
            structure.note(self, event, position)
            self.apply(event)
        if run:
            self._record_claims(run)
        self._checkpoint(events, positions[-1], digests)

    def apply_own(self, events: Sequence[DomainEvent], positions: Sequence[int] | None,
                  recorded_by: str | None = None) -> bool:
        """Apply events this process has just appended (as ``recorded_by``), from memory
        rather than reading them back from the log — when they directly follow the checkpoint
        (nobody else's events came between, or came first). False when they do not: the
        caller catches up instead. Inside a bulk import they always do (it holds the
        archive's write lock)."""
        authors = [recorded_by] * len(events)
        if self.in_bulk and events:
            assert positions is not None, "a bulk import's store gives positions"
            self.apply_recorded(events, positions, authors)
            return True
        if not events or not positions or list(positions) != list(
                range(positions[0], positions[0] + len(events))):
            return False
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if self.position != positions[0] - 1:
                    conn.rollback()
                    return False
                self.apply_recorded(events, positions, authors)
                conn.commit()
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.rollback()
                raise
        except sqlite3.IntegrityError:
            return False  # rows already there: the caller's catch-up starts the read model over
        except sqlite3.DatabaseError as exc:
            # The events are stored; only the read model is behind (a full disk, a lock).
            reason = str(exc)
            raise ReadModelBehind(self.where, reason, (
                f"{self.where}: the write was stored in the archive, but the read model could "
                f"not apply it ({reason}); it catches up from the archive on the next open"
            )) from None
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
            try:
                self.db.conn.commit()
            except sqlite3.DatabaseError as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.db.conn.rollback()
                reason = str(exc)
                raise ReadModelBehind(self.where, reason, (
                    f"{self.where}: the import was stored in the archive, but the read model "
                    f"could not apply it ({reason}); it catches up from the archive on the "
                    "next open")) from None
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
    #: Who wrote the event being applied (None: not recorded).
    _recorded_by: str | None = None

    @singledispatchmethod
    def apply(self, event: DomainEvent) -> None:  # pragma: no cover - every type is handled
        raise TypeError(f"no projection for {type(event).__name__}")

    more_rows.register(apply)  # Tagged, Untagged, ClaimRestored, AliasRemoved, ActUndone
    source_rows.register(apply)  # SourceRegistered
    added_citations.register(apply)  # CitationAdded

    @apply.register
    def _(self, event: PredicateDefined) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO predicates VALUES (?, ?, ?)",
            [event.name, event.label, single_side(event.single)],
        )

    @apply.register
    def _(self, event: EntityCreated) -> None:
        entity_id = str(event.originator_id)
        self.db.execute("INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, NULL, ?)",
                        [entity_id, event.name, event.kind, event.description, self._position])
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
        kinds = dict(self.db.execute("SELECT id, kind FROM entities WHERE id IN (?, ?)",
                                     [into, absorbed]).fetchall())
        if into in kinds and absorbed in kinds:  # the more specific kind is kept
            self.db.execute("UPDATE entities SET kind = ? WHERE id = ?",
                            [merged_kind(kinds[into], kinds[absorbed]), into])
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
        # Claims that were two entities' may now give one slot and answer.
        self.db.execute(SHARE_MERGED, {"into": into})

    @apply.register
    def _(self, event: ClaimRecorded) -> None:
        self._record_claims([(self._position, event, self._recorded_by)])

    def _record_claims(self, run: Sequence[tuple[int, ClaimRecorded, str | None]]) -> None:
        """New claims, with their log positions and authors: one executemany per table."""
        first = int(self.db.execute("SELECT coalesce(max(n), 0) FROM claims").fetchone()[0]) + 1
        merged = self._merged({str(e) for _, event, _ in run
                               for e in (event.subject, event.object) if e is not None})
        claims, streams, index = [], [], []
        ties = self._ties(run)
        for n, (position, event, author) in enumerate(run, start=first):
            # (A relative valid time is Gregorian: ``Batch.record`` refuses another calendar.)
            valid, span = (event.valid, _span(event.valid, event.calendar)) \
                if event.valid_relative is None else relative_rows.resolve(self.db, run, n - first)
            subject = str(event.subject)
            subject = merged.get(subject, subject)
            obj = str(event.object) if event.object else None
            if obj is not None:
                obj = merged.get(obj, obj)
            value = event.value
            known = _known_day(event.known_at)
            claims.append((
                n, event.claim_id, subject, event.predicate, obj, value,
                obj if (obj and value is not None) else "",
                value if value is not None else "entity:" + (obj or ""),
                valid, span.start_lo, span.start_hi, span.end_lo, span.end_hi,
                event.certainty, event.rank, event.known_at, known, POS_INF,
                CITATIONS.dump_json(event.citations).decode(),
                event.note, event.timestamp.isoformat(), position, author,
                ties.get(event.claim_id), event.calendar))
            streams.append((stream_key(event.originator_id), n))
            index.append((n, span.start_lo, span.end_hi - 1, known, POS_INF))
        conn = self.db.conn
        conn.executemany(
            "INSERT INTO claims (n, id, subject_id, predicate, object_id, value, slot_object, "
            "answer, valid, start_lo, start_hi, end_lo, end_hi, certainty, rank, known_at, "
            "known_day, withdrawn_day, citations, note, recorded_at, position, recorded_by, tie, "
            f"calendar) VALUES ({', '.join('?' * 25)})",
            claims)
        conn.executemany("INSERT INTO claim_streams VALUES (?, ?)", streams)
        conn.executemany("INSERT INTO claim_index VALUES (?, ?, ?, ?, ?)", index)
        relative_rows.store(self.db, run)
        for statement in SHARE_NEW.split(";"):
            conn.execute(statement, {"first": first})

    def _ties(self, run: Sequence[tuple[int, ClaimRecorded, str | None]]) -> dict[str, str]:
        """The root each account of the run is tied to: the claim its ``account_of`` names,
        or that claim's own root (a tie to a tie is a tie to the root)."""
        ties: dict[str, str] = {}
        for event in (e for _, e, _ in run if e.account_of is not None):
            target = str(event.account_of)
            row = None if target in ties else self.db.execute(
                "SELECT coalesce(tie, id) FROM claims WHERE id = ?", [target]).fetchone()
            ties[event.claim_id] = ties.get(target) or (row[0] if row else target)
        return ties

    @apply.register
    def _(self, event: ClaimRetracted) -> None:
        claim_id = self._claim_id(event)
        self._withdraw(claim_id, _known_day(event.known_at))
        self._correction(event, claim_id, "retracted")

    @apply.register
    def _(self, event: ClaimSuperseded) -> None:
        claim_id = self._claim_id(event)
        self._withdraw(claim_id, _known_day(event.known_at))
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
        # Ranked no earlier than the claim is known (``rules.rank_in_force``).
        self.db.execute("INSERT INTO ranks SELECT n, max(?, known_day), ?, ? FROM claims "
                        "WHERE n = ?", [_known_day(event.known_at), self._position,
                                        event.rank, n])
        self.db.execute("UPDATE claims SET reranked = 1 WHERE n = ?", [n])
        self._correction(event, claim_id, "reranked", rank=event.rank)

    def _claim_id(self, event: DomainEvent) -> str:
        # Corrections live on the claim's stream; the stream id is derived from the claim id.
        return claim_id_of(self.db, event.originator_id)

    def _claim_n(self, claim_id: str) -> int:
        return int(self.db.execute("SELECT n FROM claims WHERE id = ?", [claim_id]).fetchone()[0])

    def _withdraw(self, claim_id: str, day: int) -> None:
        n, known, withdrawn = self.db.execute(
            "SELECT n, known_day, withdrawn_day FROM claims WHERE id = ?", [claim_id]).fetchone()
        withdrawn = min(withdrawn, day)
        self.db.execute("UPDATE claims SET withdrawn_day = ?, withdrawn_pos = CASE WHEN "
                        "withdrawn_pos THEN withdrawn_pos ELSE ? END WHERE n = ?",  # the first's
                        [withdrawn, self._position, n])
        if withdrawn <= known:
            # Withdrawn before it was known: it is in no "as known on" answer at all.
            self.db.execute("DELETE FROM claim_index WHERE n = ?", [n])
        else:
            self.db.execute("UPDATE claim_index SET k_hi = ? WHERE n = ?", [withdrawn - 1, n])

    def _correction(self, event: Any, claim_id: str, kind: str, *, rank: str | None = None,
                    by_claim: str | None = None) -> None:
        self.db.execute(
            "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [claim_id, kind, event.known_at, _known_day(event.known_at), rank, by_claim,
             event.reason, event.timestamp.isoformat(), self._position, self._recorded_by],
        )

    _record_claims = search.register(apply, _record_claims)  # the full-text index, kept
