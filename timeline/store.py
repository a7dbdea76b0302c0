"""The event store: the ``eventsourcing`` library with pydantic events.

Backends are siblings behind one interface, chosen by the archive location:

- ``:memory:`` — the library's in-memory (POPO) recorder, for tests;
- a file path — the library's SQLite recorder (WAL journal), the embedded default;
- ``postgresql://user@host:port/db[?schema=name]`` — the library's PostgreSQL recorder, for a
  team's shared archive (docs/team-archive.md); its read model is kept on each machine.

Events are stored as JSON produced by pydantic, each carrying ``schema_version``; events of an
older schema are upcast on read, events of a newer schema are refused rather than misread.

Every SQLite archive also keeps a hash chain over its events (``hindsight_chain``), written in
the same transaction as the events themselves, so that ``hindsight verify`` can prove the
stored events were not altered since they were written (see ``timeline.integrity``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    OperationalError,
    PersistenceError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import get_topic
from pydantic_core import PydanticSerializationError

from timeline.domain import EVENT_TYPES, SCHEMA_VERSION, DomainEvent
from timeline.errors import ArchiveError, Conflict, InvalidInput

MEMORY = ":memory:"

#: SQLite page cache (KiB) for each of the archive and the read model during a bulk import:
#: random keys (stream and entity ids) miss the default 2 MB cache on nearly every insert.
BULK_CACHE_KIB = 64 * 1024
#: SQLite's default page cache (KiB), restored when a bulk import ends.
DEFAULT_CACHE_KIB = 2000

#: Version of the archive file layout (the SQLite file as a whole). 2 added the hash chain
#: (``hindsight_chain``); a layout-1 archive gets its chain built when it is first opened.
ARCHIVE_FORMAT = 2

#: Upcasters: (event class name, from schema version) -> function on the stored JSON state.
#: A class without an upcaster for a version kept its shape across that version.
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def _upcast_claim_recorded_v0(state: dict[str, Any]) -> dict[str, Any]:
    """Schema 0 (the prototype) stored a claim's time as ``valid_from``/``valid_to`` and one
    flat ``source``/``quote`` instead of an EDTF interval and a list of citations."""
    state = dict(state)
    start, end = state.pop("valid_from"), state.pop("valid_to", None)
    state["valid"] = f"{start}/{end or '..'}"
    source, quote = state.pop("source", None), state.pop("quote", None)
    state["citations"] = [{"source": source, "quote": quote}] if source and quote else []
    return state


UPCASTERS[("ClaimRecorded", 0)] = _upcast_claim_recorded_v0


class ConcurrentWrite(Conflict):
    """The store refused a batch: another writer appended to one of its streams first."""


# --- the hash chain ---------------------------------------------------------------------------

#: The digest before the first event.
GENESIS = "0" * 64

_CHAIN_TABLE = ("CREATE TABLE IF NOT EXISTS hindsight_chain "
                "(position INTEGER PRIMARY KEY, digest TEXT NOT NULL)")


def chain_link(previous: str, position: int, originator_id: str, version: int, topic: str,
               state: bytes) -> str:
    """The digest of the event stored at ``position``, chained to the one before it."""
    digest = hashlib.sha256(f"{previous}\n{position}\n{originator_id}\n{version}\n{topic}\n"
                            .encode())
    digest.update(state)
    return digest.hexdigest()


def _stored_id(originator_id: UUID | str) -> str:
    """An originator id as the SQLite recorder stores it."""
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


class ChainedRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, also writing each event's chain digest.

    The digests are inserted inside the library's write transaction, after the events: the
    events' inserts have taken SQLite's write lock by then (the transaction's BEGIN is deferred,
    and in WAL mode a write lock is only granted on the newest snapshot), so the previous
    digest read here is the last one committed and no other writer can append in between.
    """

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), _CHAIN_TABLE]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        # One executemany instead of the library's row-by-row inserts (it wants each row id):
        # under the write lock the new rows take the next row ids in order, so the last row
        # id gives them all. Events are never deleted, so no row id is ever reused.
        c.executemany(self.insert_events_statement, [
            (_stored_id(s.originator_id), s.originator_version, s.topic, s.state)
            for s in stored_events])
        c.execute(f"SELECT max(rowid) FROM {self.events_table_name}")
        last = c.fetchone()[0]
        positions = list(range(last - len(stored_events) + 1, last + 1))
        c.execute("SELECT digest FROM hindsight_chain WHERE position < ? "
                  "ORDER BY position DESC LIMIT 1", (positions[0],))
        row = c.fetchone()
        previous = row["digest"] if row else GENESIS
        links = []
        for position, s in zip(positions, stored_events, strict=True):
            previous = chain_link(previous, position, _stored_id(s.originator_id),
                                  s.originator_version, s.topic, s.state)
            links.append((position, previous))
        c.executemany("INSERT INTO hindsight_chain VALUES (?, ?)", links)
        return positions


def _build_chain(con: sqlite3.Connection, tables: set[str]) -> None:
    """Give a layout-1 archive its chain (inside the caller's write transaction)."""
    con.execute(_CHAIN_TABLE)
    con.execute("DELETE FROM hindsight_chain")
    if "stored_events" in tables:
        previous = GENESIS
        rows = con.execute("SELECT rowid, originator_id, originator_version, topic, state "
                           "FROM stored_events ORDER BY rowid")
        links = []
        for position, originator_id, version, topic, state in rows:
            previous = chain_link(previous, position, originator_id, version, topic, state)
            links.append((position, previous))
        con.executemany("INSERT INTO hindsight_chain VALUES (?, ?)", links)


class _UnusedTranscoder(Transcoder):
    def encode(self, obj: Any) -> bytes:  # pragma: no cover - pydantic encodes
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:  # pragma: no cover - pydantic decodes
        raise NotImplementedError


#: Stored topics and the classes they name; no other topic is resolved (or imported).
_EVENT_CLASSES: dict[str, type[DomainEvent]] = {get_topic(c): c for c in EVENT_TYPES}
_TOPICS: dict[type[DomainEvent], str] = {c: t for t, c in _EVENT_CLASSES.items()}
#: Kept by the store beside the state, not in it.
_IDENTITY = {"originator_id", "originator_version"}


class PydanticMapper(Mapper[UUID]):
    """Maps pydantic domain events to stored events and back, upcasting old schemas."""

    def __init__(self) -> None:
        super().__init__(transcoder=_UnusedTranscoder())

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        try:
            # pydantic's own JSON encoder: the same bytes as json.dumps of model_dump (compact,
            # UTF-8, fields in declaration order), four times faster.
            data = domain_event.__pydantic_serializer__.to_json(domain_event, exclude=_IDENTITY)
        except PydanticSerializationError:
            data = self._encode_slowly(domain_event)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=_TOPICS[type(domain_event)],
            state=data,
        )

    @staticmethod
    def _encode_slowly(domain_event: Any) -> bytes:
        """Encode through the standard library, which names the text it cannot encode."""
        state = domain_event.model_dump(mode="json", exclude=_IDENTITY)
        try:
            return json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
        except UnicodeEncodeError as exc:
            raise InvalidInput(f"'{exc.object[max(0, exc.start - 20):exc.end + 20]}' holds half "
                               "a surrogate pair, not a character (not valid Unicode)") from None

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        where = f"event {stored_event.originator_id} v{stored_event.originator_version}"
        cls = _EVENT_CLASSES.get(stored_event.topic)
        if cls is None:
            raise ArchiveError(f"{where} is of a kind this Hindsight does not know "
                               f"({stored_event.topic!r}); if a newer Hindsight wrote it, "
                               "please upgrade")
        try:
            state = json.loads(stored_event.state)
        except Exception as exc:
            raise ArchiveError(f"{where}: cannot be read ({exc})") from None
        version = state.get("schema_version", 1) if isinstance(state, dict) else None
        if not isinstance(version, int):
            raise ArchiveError(f"{where}: cannot be read (not a Hindsight event)")
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{where} was written by a newer Hindsight (event schema {version}); "
                f"this version reads schema {SCHEMA_VERSION} and older — please upgrade"
            )
        try:
            while version < SCHEMA_VERSION:
                upcast = UPCASTERS.get((cls.__name__, version))
                state = upcast(state) if upcast else state
                version += 1
                state["schema_version"] = version
            state["originator_id"] = stored_event.originator_id
            state["originator_version"] = stored_event.originator_version
            return cls.model_validate(state)
        except Exception as exc:
            first = str(exc).splitlines()[0]
            raise ArchiveError(f"{where}: cannot be read ({first})") from None


class _Application(Application[UUID]):
    name = "Hindsight"

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper()


@dataclass(frozen=True)
class Notification:
    position: int
    event: DomainEvent


def is_postgres(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def redact(location: str) -> str:
    """A location fit for messages: a PostgreSQL URL without its password."""
    if not is_postgres(location):
        return location
    parts = urlsplit(location)
    if parts.password is None:
        return location
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _postgres_env(url: str) -> dict[str, str]:
    """The library's settings for ``postgresql://user:password@host:port/db?schema=s``."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    unknown = set(query) - {"schema", "connect_timeout"}
    if unknown:
        raise ArchiveError(f"{redact(url)}: unknown option {sorted(unknown)[0]!r} "
                           "(known: schema, connect_timeout)")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
        "POSTGRES_HOST": parts.hostname or "localhost",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": query.get("schema", [""])[0],
        "POSTGRES_CONNECT_TIMEOUT": query.get("connect_timeout", ["5"])[0],
        # A reader without CREATE rights opens an archive that a writer set up.
        "CREATE_TABLE": "y",
    }


def _sqlite_env(path: Path) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": get_topic(ChainedRecorder),
    }


def _archive_format(con: sqlite3.Connection, path: Path) -> tuple[int | None, set[str]]:
    """The file's layout version (None for a new, empty file) and its tables."""
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    if "hindsight_archive" in tables:
        row = con.execute("SELECT format FROM hindsight_archive").fetchone()
        if row is None or not isinstance(row[0], int) or row[0] > ARCHIVE_FORMAT:
            raise ArchiveError(
                f"{path}: archive format {row and row[0]} is newer than this "
                f"Hindsight reads ({ARCHIVE_FORMAT}) — please upgrade"
            )
        return row[0], tables
    if tables:
        raise ArchiveError(f"{path}: is an SQLite file but not a Hindsight archive")
    return None, tables


def _check_sqlite_archive(path: Path) -> None:
    """Refuse files that are not Hindsight archives, or of a newer layout; mark new ones and
    bring older layouts up to date (under the write lock, so two openers do it once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            found, _ = _archive_format(con, path)
            if found == ARCHIVE_FORMAT:
                return
            con.execute("BEGIN IMMEDIATE")
            try:
                found, tables = _archive_format(con, path)
                if found is None:
                    con.execute("CREATE TABLE hindsight_archive (format INTEGER NOT NULL)")
                    con.execute("INSERT INTO hindsight_archive VALUES (?)", (ARCHIVE_FORMAT,))
                elif found < ARCHIVE_FORMAT:
                    _build_chain(con, tables)
                    con.execute("UPDATE hindsight_archive SET format = ?", (ARCHIVE_FORMAT,))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path}: not a Hindsight archive ({exc})") from None


class EventStore:
    """Append-only storage of domain events with a global, ordered notification log."""

    def __init__(self, location: str) -> None:
        self.location = location
        #: The SQLite file, None for the in-memory store (which keeps no hash chain).
        self.path: Path | None = None
        self._bulk: Any = None  # the cursor of bulk()'s open transaction
        if location == MEMORY:
            env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        elif is_postgres(location):
            env = _postgres_env(location)
        else:
            self.path = path = Path(location)
            _check_sqlite_archive(path)
            env = _sqlite_env(path)
        try:
            self._app = self._open(env)
        except (PersistenceError, sqlite3.DatabaseError) as exc:
            raise ArchiveError(f"{redact(location)}: cannot open archive "
                               f"({_first_line(exc)})") from None
        except Exception as exc:  # psycopg's errors: no server, bad password, no permission
            if not is_postgres(location):
                raise
            raise ArchiveError(f"{redact(location)}: cannot open archive "
                               f"({_first_line(exc)})") from None

    def _open(self, env: dict[str, str]) -> _Application:
        try:
            return _Application(env=env)
        except Exception as exc:
            if env.get("CREATE_TABLE") != "y" or "permission denied" not in str(exc):
                raise
        # A role without CREATE rights (a reader) opens an archive a writer has set up.
        return _Application(env={**env, "CREATE_TABLE": "n"})

    @property
    def is_memory(self) -> bool:
        return self.location == MEMORY

    def append(self, events: Sequence[DomainEvent]) -> Sequence[int] | None:
        """Store all events in one transaction, or none of them; returns their positions in
        the log (None when the backend does not say).

        Inside ``bulk()`` the events join its open transaction instead. A version clash
        (another writer appended to one of these streams first) raises ``ConcurrentWrite``:
        the caller reloads and decides again, nothing is overwritten.
        """
        if not events:
            return []
        to_stored = self._app.mapper.to_stored_event
        stored = [to_stored(event) for event in events]
        recorder = self._app.recorder
        try:
            if self._bulk is not None:
                return recorder._insert_events(self._bulk, stored)  # type: ignore[attr-defined]
            return recorder.insert_events(stored)
        except (IntegrityError, sqlite3.IntegrityError):
            raise ConcurrentWrite(
                "another writer changed the archive at the same time; nothing was written, "
                "please try again"
            ) from None
        except (OperationalError, PersistenceError, sqlite3.DatabaseError) as exc:
            raise ArchiveError(f"{redact(self.location)}: nothing was written "
                               f"({_first_line(exc)})") from None

    @contextmanager
    def bulk(self) -> Iterator[bool]:
        """One write transaction around many appends, for imports too large to hold in memory.

        On an SQLite archive it takes the write lock at once and yields True: appends
        inside the block go into that transaction, which commits when the block ends and rolls
        back — nothing written — when it raises. Other writers wait meanwhile (readers do not).
        Other backends yield False, and the caller appends everything at the end instead.
        """
        if self.path is None or self._bulk is not None:
            yield False
            return
        pool = self._app.recorder.datastore.pool  # type: ignore[attr-defined]
        conn = pool.get_connection(is_writer=True)
        try:
            cursor = conn.cursor()
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise ArchiveError(f"{self.location}: nothing was written "
                                   f"({_first_line(exc)})") from None
            self._bulk = cursor
            try:
                yield True
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.commit()
            except sqlite3.DatabaseError as exc:
                conn.rollback()
                raise ArchiveError(f"{self.location}: nothing was written "
                                   f"({_first_line(exc)})") from None
        finally:
            self._bulk = None
            conn.cursor().execute(f"PRAGMA cache_size = -{DEFAULT_CACHE_KIB}")
            pool.put_connection(conn)

    def stream(self, stream_id: UUID) -> list[DomainEvent]:
        """A stream's events in version order (inside ``bulk()``, with what the open
        transaction has appended)."""
        if self._bulk is not None:
            self._bulk.execute("SELECT originator_id, originator_version, topic, state "
                               "FROM stored_events WHERE originator_id = ? "
                               "ORDER BY originator_version", (_stored_id(stream_id),))
            to_event = self._app.mapper.to_domain_event
            return [cast(DomainEvent, to_event(StoredEvent(UUID(str(row[0])), row[1], row[2],
                                                           bytes(row[3]))))
                    for row in self._bulk.fetchall()]
        return [cast(DomainEvent, e) for e in self._app.events.get(stream_id)]

    def version(self, stream_id: UUID) -> int:
        """The stream's current version: 0 when it does not exist (inside ``bulk()``,
        counting what the open transaction has appended)."""
        if self._bulk is not None:
            self._bulk.execute("SELECT max(originator_version) FROM stored_events "
                               "WHERE originator_id = ?", (_stored_id(stream_id),))
            return int(self._bulk.fetchone()[0] or 0)
        last = self._app.recorder.select_events(stream_id, desc=True, limit=1)
        return last[0].originator_version if last else 0

    def max_position(self) -> int:
        return self._app.recorder.max_notification_id() or 0

    def notifications(self, after: int, limit: int = 1000) -> list[Notification]:
        """Events after the given log position, in the order they were committed."""
        rows = self._app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        to_event = self._app.mapper.to_domain_event
        return [Notification(row.id, cast(DomainEvent, to_event(row))) for row in rows]

    def all_notifications(self, batch: int = 2000) -> Iterable[Notification]:
        position = 0
        while True:
            page = self.notifications(position, batch)
            if not page:
                return
            yield from page
            position = page[-1].position

    def close(self) -> None:
        self._app.close()
