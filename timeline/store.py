"""The event store: the ``eventsourcing`` library with pydantic events.

Backends are siblings behind one interface, chosen by the archive location:

- ``:memory:`` — the library's in-memory (POPO) recorder, for tests;
- a file path — the library's SQLite recorder (WAL journal), the embedded default;
- ``postgresql://user@host:port/db[?schema=name]`` — the library's PostgreSQL recorder, for a
  team's shared archive (docs/team-archive.md); its read model is kept on each machine.

Events are stored as JSON produced by pydantic, each carrying ``schema_version``; events of an
older schema are upcast on read, events of a newer schema are refused rather than misread.

Every archive also keeps a hash chain over its events and who wrote each (``timeline.chain``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, quote, unquote, urlsplit, urlunsplit
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
from eventsourcing.utils import get_topic
from pydantic_core import PydanticSerializationError

from timeline.chain import (
    ChainedRecorder,
    _build_chain,
    event_digest,
    local_author,
)
from timeline.domain import EVENT_TYPES, SCHEMA_VERSION, DomainEvent
from timeline.errors import ArchiveError, Conflict, InvalidInput, first_line

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


class StoreBusy(ArchiveError):
    """The store refused a batch because another writer held the archive (SQLite's "database
    is locked"): nothing was written, and the same write may simply be tried again."""


#: What a storage layer raises: the operating system, SQLite, the event-sourcing library.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError, sqlite3.Error, PersistenceError)

#: Words of the storage errors that pass when tried again a moment later: another writer holds
#: the lock, or a reader caught a file in the middle of another process's write.
_TRANSIENT = ("database is locked", "database table is locked", "busy",
              "database schema has changed", "disk image is malformed")


def is_transient(exc: BaseException) -> bool:
    """True for a storage error that another process's write causes for a moment."""
    if isinstance(exc, StoreBusy):
        return True
    if not isinstance(exc, (sqlite3.Error, PersistenceError, ArchiveError)):
        return False
    text = str(exc).lower()
    return any(word in text for word in _TRANSIENT)


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
    #: ``event_digest`` of the event as stored, given for the first and last of a page (what
    #: a read model records of the log it follows), None for the others.
    digest: str | None = None
    #: Who wrote the event (``EventStore.recorded_by`` of its writer), None when not recorded.
    recorded_by: str | None = None


_MAPPER = PydanticMapper()


def _row_digest(row: StoredEvent) -> str:
    return event_digest(row.originator_id, row.originator_version, row.topic, row.state)


def own_digest(event: DomainEvent) -> str:
    """``event_digest`` of an event this process has just stored (the same bytes as the store
    wrote: the same mapper encodes them)."""
    stored = _MAPPER.to_stored_event(event)
    return event_digest(stored.originator_id, stored.originator_version, stored.topic,
                        stored.state)


def is_postgres(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def redact(location: str) -> str:
    """A location fit for messages: a PostgreSQL URL without its password (even a URL too
    malformed to parse)."""
    if not is_postgres(location):
        return location
    try:
        parts = urlsplit(location)
        password = parts.password
    except ValueError:
        return re.sub(r"(://[^/@:]*:)[^/]*@", r"\1***@", location)
    if password is None:
        return location
    netloc = parts.netloc.replace(f":{password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


#: A schema an archive may live in: a plain identifier (the library does not quote it).
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
#: Schemas PostgreSQL keeps for itself (``pg_`` is reserved): an archive never goes there.
_SYSTEM_SCHEMA = re.compile(r"^(pg_.*|information_schema)$", re.IGNORECASE)


def _postgres_env(url: str, *, create: bool = True) -> dict[str, str]:
    """The library's settings for ``postgresql://user:password@host:port/db?schema=s``, the
    URL checked first: a malformed one is refused in one line naming what is wrong in it."""
    where = redact(url)

    def bad(what: str) -> InvalidInput:
        return InvalidInput(f"{where}: {what}", "archive")

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        netloc = re.split(r"[/?#]", url.split("://", 1)[-1], maxsplit=1)[0]
        host = netloc.rpartition("@")[2]
        text = host.rpartition("]")[2] if "[" in host else host
        text = text.rpartition(":")[2] if ":" in text and ("[" not in host or "]" in host) \
            else ""
        if text:
            raise bad(f"port '{text}' is not a port number (1-65535)") from None
        raise bad(f"not a PostgreSQL URL ({exc})") from None
    if port == 0:
        raise bad("port '0' is not a port number (1-65535)")
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True) \
            if parts.query else {}
    except ValueError:
        raise bad(f"options '{parts.query}' are not name=value pairs joined by &") from None
    unknown = set(query) - {"schema", "connect_timeout"}
    if unknown:
        raise ArchiveError(f"{where}: unknown option {sorted(unknown)[0]!r} "
                           "(known: schema, connect_timeout)")
    for name, values in query.items():
        if len(values) > 1:
            raise bad(f"option '{name}' is given {len(values)} times")
    schema = query.get("schema", [""])[0]
    if schema and not _SCHEMA_NAME.match(schema):
        raise bad(f"schema '{schema}' is not a plain schema name (letters, digits and _, "
                  "not starting with a digit)")
    if _SYSTEM_SCHEMA.match(schema):
        raise bad(f"schema '{schema}' is PostgreSQL's own; give the archive a schema of "
                  "its own")
    timeout = query.get("connect_timeout", ["5"])[0]
    if not (timeout.isascii() and timeout.isdigit() and 1 <= int(timeout) <= 3600):
        raise bad(f"connect_timeout '{timeout}' is not a number of seconds (1-3600)")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
        "POSTGRES_HOST": parts.hostname or "localhost",
        "POSTGRES_PORT": str(port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": str(int(timeout)),
        # A reader without CREATE rights opens an archive that a writer set up; a command
        # that only reads creates no tables at all.
        "CREATE_TABLE": "y" if create else "n",
        # The team archive's recorder (timeline.team): its "create table" sets up an empty
        # schema once and never touches one already set up, so members need no CREATE right.
        "APPLICATION_RECORDER_TOPIC": "timeline.team:TeamRecorder",
    }


def sqlite_uri(path: Path, *, read_only: bool = False, immutable: bool = False) -> str:
    """The URI SQLite opens an archive file by: the path taken literally (a name holding
    ``?``, ``#``, ``%`` or ``:memory:`` is a file name), read-only when asked; a URI never
    creates a missing file (``mode=rw``), so only ``_create_sqlite`` makes new archives."""
    uri = f"file:{quote(os.fsencode(path.absolute()))}?mode={'ro' if read_only else 'rw'}"
    return f"{uri}&immutable=1" if immutable else uri


def _sqlite_env(uri: str, *, read_only: bool = False) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": uri,
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": get_topic(ChainedRecorder),
        "CREATE_TABLE": "n" if read_only else "y",
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


def _not_a_folder(path: Path) -> Path | None:
    """The first folder on an archive's path that exists but is not a folder."""
    for parent in reversed(path.parents):
        try:
            if parent.exists() and not parent.is_dir():
                return parent
        except OSError:
            return parent
    return None


def full_disk_note(path: Path) -> str:
    """``; the disk is full`` when the archive's disk has no room left (SQLite then says only
    "disk I/O error" or "unable to open database file"), else nothing."""
    try:
        return "; the disk is full" if shutil.disk_usage(path.parent).free < 64 * 1024 else ""
    except OSError:
        return ""


def _reason(exc: OSError) -> str:
    return exc.strerror or first_line(exc)


def _create_sqlite(path: Path) -> None:
    """Make the folder of a new archive and its empty file (a write command's first use)."""
    blocked = _not_a_folder(path)
    if blocked is not None:
        raise ArchiveError(f"{path}: cannot create an archive there: {blocked} is a file, "
                           "not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot create an archive there ({_reason(exc)})") from None


def may_write(path: Path) -> bool:
    """Whether this process may write an archive: the file, its folder (SQLite keeps its
    write-ahead log beside it) and the log files already there."""
    if not os.access(path.parent, os.W_OK):
        return False
    return all(os.access(p, os.W_OK) for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
               if p.exists())


def _read_only_uri(path: Path) -> str:
    """How to open an archive this process may not write. Where a writer may come (the folder
    is writable, or SQLite's shared-memory file is there), SQLite's locks are kept; in a
    read-only folder with no write-ahead log nobody can write, so the file is read as it is."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if os.access(path.parent, os.W_OK) or shm.exists():
        return sqlite_uri(path, read_only=True)
    if wal.exists() and wal.stat().st_size > 0:
        raise ArchiveError(f"{path}: the archive is read-only and holds writes not yet "
                           f"folded into it ({wal.name}); open it once where it can be "
                           "written")
    return sqlite_uri(path, read_only=True, immutable=True)


def archive_uri(path: Path) -> str:
    """The URI to open an existing archive file by: read-only when this process may not
    write it (``may_write``)."""
    return sqlite_uri(path) if may_write(path) else _read_only_uri(path)


def _check_sqlite_archive(path: Path, uri: str, read_only: bool) -> None:
    """Refuse files that are not Hindsight archives, or of a newer layout; mark new ones and
    bring older layouts up to date (under the write lock, so two openers do it once). A
    read-only archive is only checked: an older layout is read as it is."""
    try:
        con = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
        try:
            found, _ = _archive_format(con, path)
            if found == ARCHIVE_FORMAT or (read_only and found is not None):
                return
            if read_only:
                raise ArchiveError(f"{path}: is read-only and empty, not yet an archive")
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
        if isinstance(exc, sqlite3.OperationalError):  # cannot open, locked, I/O: not damage
            raise ArchiveError(f"{path}: cannot open archive ({exc}{full_disk_note(path)})"
                               ) from None
        raise ArchiveError(f"{path}: not a Hindsight archive ({exc})") from None


class EventStore:
    """Append-only storage of domain events with a global, ordered notification log."""

    def __init__(self, location: str, *, create: bool = True) -> None:
        """Open the archive at ``location``. Only with ``create`` (the write commands) is a
        missing archive created; otherwise it is refused: ``no archive at PATH``. An SQLite
        archive this process may not write is opened read-only (``read_only``): it answers,
        and every write is refused saying so."""
        self.location = location
        #: The SQLite file, None for the in-memory store (which keeps no hash chain).
        self.path: Path | None = None
        #: True for an archive this process may only read: every write is refused.
        self.read_only = False
        self._bulk: Any = None  # the cursor of bulk()'s open transaction
        if location == MEMORY:
            env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        elif is_postgres(location):
            env = _postgres_env(location, create=create)
        else:
            self.path = path = Path(location)
            env = self._sqlite(path, create)
        try:
            self._app = self._open(env)
            if not create and is_postgres(location):
                self._app.recorder.max_notification_id()  # its tables are there
        except (PersistenceError, sqlite3.DatabaseError) as exc:
            raise self._cannot_open(exc) from None
        except Exception as exc:  # psycopg's errors: no server, bad password, no permission
            if not is_postgres(location):
                raise
            raise self._cannot_open(exc) from None

    def _cannot_open(self, exc: BaseException) -> ArchiveError:
        where = redact(self.location)
        if is_postgres(self.location) and "does not exist" in str(exc) and \
                "_events" in str(exc):  # the team archive's table: hindsight_events
            return ArchiveError(f"no archive at {where}")
        why = first_line(exc) + (full_disk_note(self.path) if self.path else "")
        if self.read_only:
            return ArchiveError(f"{where}: cannot open the read-only archive ({why})")
        return ArchiveError(f"{where}: cannot open archive ({why})")

    def _sqlite(self, path: Path, create: bool) -> dict[str, str]:
        """Check an SQLite archive's path and layout; the library's settings to open it."""
        try:
            exists = path.exists()
            if exists and path.is_dir():
                raise ArchiveError(f"{path}: is a folder, not an archive")
            if exists and not path.is_file():  # a device, a pipe, a socket: never opened
                raise ArchiveError(f"{path}: is not a regular file, not an archive")
        except (OSError, ValueError) as exc:
            reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
            raise ArchiveError(f"{path!r}: not a usable archive path ({reason})") from None
        if not exists:
            if not create:
                raise ArchiveError(f"no archive at {path}")
            _create_sqlite(path)
        self.read_only = not may_write(path)
        uri = _read_only_uri(path) if self.read_only else sqlite_uri(path)
        _check_sqlite_archive(path, uri, self.read_only)
        return _sqlite_env(uri, read_only=self.read_only)

    def _open(self, env: dict[str, str]) -> _Application:
        try:
            return _Application(env=env)
        except Exception as exc:
            if env.get("CREATE_TABLE") != "y" or "permission denied" not in str(exc):
                raise
        # A role without CREATE rights (a reader) opens an archive a writer has set up.
        return _Application(env={**env, "CREATE_TABLE": "n"})

    def _refuse_read_only(self) -> None:
        if self.read_only:
            raise ArchiveError(f"{self.location}: the archive is read-only (this user may not "
                               "write the file or its folder); nothing was written")

    @property
    def is_memory(self) -> bool:
        return self.location == MEMORY

    @property
    def recorder(self) -> Any:
        """The library's recorder (on PostgreSQL, ``timeline.team.TeamRecorder``)."""
        return self._app.recorder

    @property
    def recorded_by(self) -> str | None:
        """Who this store's writes are recorded as written by: in an SQLite file the app's
        name, else ``HINDSIGHT_AUTHOR``, else the operating-system user (``local_author``); on
        PostgreSQL that name and the database role the server fills in ("Ana Lima (ana)",
        ``timeline.team.shown_author``); nobody in memory."""
        recorder = self._app.recorder
        if isinstance(recorder, ChainedRecorder):
            return local_author()
        return getattr(recorder, "author", None) or None

    def append(self, events: Sequence[DomainEvent]) -> Sequence[int] | None:
        """Store all events in one transaction, or none of them; returns their positions in
        the log (None when the backend does not say).

        Inside ``bulk()`` the events join its open transaction instead. A version clash
        (another writer appended to one of these streams first) raises ``ConcurrentWrite``:
        the caller reloads and decides again, nothing is overwritten.
        """
        if not events:
            return []
        self._refuse_read_only()
        recorder = self._app.recorder
        if isinstance(recorder, ChainedRecorder):
            recorder.recorded_by = self.recorded_by  # HINDSIGHT_AUTHOR checked, first
        to_stored = self._app.mapper.to_stored_event
        stored = [to_stored(event) for event in events]
        try:
            if self._bulk is not None:
                return cast("list[int]", self.recorder.insert_in(self._bulk, stored))
            return recorder.insert_events(stored)
        except (IntegrityError, sqlite3.IntegrityError):
            raise ConcurrentWrite(
                "another writer changed the archive at the same time; nothing was written, "
                "please try again"
            ) from None
        except (OperationalError, PersistenceError, sqlite3.DatabaseError) as exc:
            error = StoreBusy if is_transient(exc) and self._bulk is None else ArchiveError
            raise error(f"{redact(self.location)}: nothing was written "
                        f"({first_line(exc)})") from None

    @contextmanager
    def bulk(self) -> Iterator[bool]:
        """One write transaction around many appends, for imports too large to hold in memory.

        On an SQLite or PostgreSQL archive it takes the write lock at once and yields True:
        appends inside the block go into that transaction, which commits when the block ends
        and rolls back — nothing written — when it raises. Other writers wait meanwhile
        (readers do not). In memory it yields False: the caller appends at the end instead.
        """
        if self.is_memory or self._bulk is not None:
            yield False
            return
        self._refuse_read_only()
        if self.path is None:  # PostgreSQL (timeline.team.TeamRecorder.bulk)
            try:
                with self.recorder.bulk() as self._bulk:
                    yield True
            except (OperationalError, PersistenceError) as exc:
                raise ArchiveError(f"{redact(self.location)}: nothing was written "
                                   f"({first_line(exc)})") from None
            finally:
                self._bulk = None
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
                                   f"({first_line(exc)})") from None
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
                                   f"({first_line(exc)})") from None
        finally:
            self._bulk = None
            conn.cursor().execute(f"PRAGMA cache_size = -{DEFAULT_CACHE_KIB}")
            pool.put_connection(conn)

    def stream(self, stream_id: UUID) -> list[DomainEvent]:
        """A stream's events in version order (inside ``bulk()``, with what the open
        transaction has appended)."""
        if self._bulk is not None:
            return [cast(DomainEvent, self.decode(row))
                    for row in self.recorder.stream_in(self._bulk, stream_id)]
        return [cast(DomainEvent, e) for e in self._app.events.get(stream_id)]

    def version(self, stream_id: UUID) -> int:
        """The stream's current version: 0 when it does not exist (inside ``bulk()``,
        counting what the open transaction has appended)."""
        if self._bulk is not None:
            rows = self.recorder.stream_in(self._bulk, stream_id, last=True)
            return rows[0].originator_version if rows else 0
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
        authors = self.recorded_by_between(after, rows[-1].id) if rows else {}
        ends = {rows[0].id, rows[-1].id} if rows else set()
        return [Notification(row.id, cast(DomainEvent, to_event(row)),
                             digest=_row_digest(row) if row.id in ends else None,
                             recorded_by=authors.get(row.id)) for row in rows]

    def stored_rows(self, after: int, limit: int = 1000, *, only: bool = False) -> list[Any]:
        """The stored events after a log position as stored, not decoded (each row has ``id``,
        ``originator_id``, ``originator_version``, ``topic`` and ``state``); with ``only``, the
        event at position ``after + 1`` alone. For salvaging a log not all of which can be
        read (``timeline.integrity.salvage``); ``decode`` reads one."""
        stop = after + 1 if only else None
        return list(self._app.recorder.select_notifications(
            start=after, limit=limit, stop=stop, inclusive_of_start=False))

    def stamp_rows(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        """Positions after ``after``, each with the first bytes of its stored state (its
        timestamp: the recorders' ``stamp_rows``), or the whole state in memory."""
        read = getattr(self._app.recorder, "stamp_rows", None)
        return cast(list[tuple[int, bytes]], read(after, limit)) if read else [
            (row.id, bytes(row.state)) for row in self.stored_rows(after, limit)]

    def decode(self, row: StoredEvent) -> DomainEvent:
        """One stored event read as an event (``ArchiveError`` naming it when it cannot be)."""
        return cast(DomainEvent, self._app.mapper.to_domain_event(row))

    def digest_at(self, position: int | None = None) -> tuple[int, str] | None:
        """The position and ``event_digest`` of the event stored at ``position`` (None when
        there is none), or of the log's first event when no position is given: what a read
        model checks to know it was built from this log. Reads the stored bytes only."""
        if self._bulk is not None and position is not None:
            row = self.recorder.stored_in(self._bulk, position)
            return (position, _row_digest(row)) if row else None
        rows = self._app.recorder.select_notifications(
            start=position or 0, limit=1, inclusive_of_start=position is not None)
        if not rows or (position is not None and rows[0].id != position):
            return None
        return rows[0].id, _row_digest(rows[0])

    def recorded_by_between(self, after: int, last: int) -> dict[int, str]:
        """Who wrote each event at a position in (after, last], for the events whose author
        was recorded (``recorded_by``)."""
        between = getattr(self._app.recorder, "recorded_by_between", None)
        return between(after, last) if between else {}

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
