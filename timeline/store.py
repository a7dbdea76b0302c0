"""The event store: the ``eventsourcing`` library with pydantic events.

Backends are siblings behind one interface, chosen by the archive location:

- ``:memory:`` — the library's in-memory (POPO) recorder, for tests;
- a file path — the library's SQLite recorder (WAL journal), the embedded default;
- ``postgresql://…`` — reserved for the shared team archive (a later issue).

Events are stored as JSON produced by pydantic, each carrying ``schema_version``; events of an
older schema are upcast on read, events of a newer schema are refused rather than misread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    PersistenceError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import get_topic, resolve_topic

from timeline.domain import SCHEMA_VERSION, DomainEvent
from timeline.errors import ArchiveError, Conflict

MEMORY = ":memory:"

#: Version of the archive file layout (the SQLite file as a whole).
ARCHIVE_FORMAT = 1

#: Upcasters: (event class name, from schema version) -> function on the stored JSON state.
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class _UnusedTranscoder(Transcoder):
    def encode(self, obj: Any) -> bytes:  # pragma: no cover - pydantic encodes
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:  # pragma: no cover - pydantic decodes
        raise NotImplementedError


class PydanticMapper(Mapper[UUID]):
    """Maps pydantic domain events to stored events and back, upcasting old schemas."""

    def __init__(self) -> None:
        super().__init__(transcoder=_UnusedTranscoder())

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        state = domain_event.model_dump(
            mode="json", exclude={"originator_id", "originator_version"}
        )
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode(),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        where = f"event {stored_event.originator_id} v{stored_event.originator_version}"
        try:
            cls = resolve_topic(stored_event.topic)
            state = json.loads(stored_event.state)
        except Exception as exc:
            raise ArchiveError(f"{where}: cannot be read ({exc})") from None
        version = state.get("schema_version", 1)
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{where} was written by a newer Hindsight (event schema {version}); "
                f"this version reads schema {SCHEMA_VERSION} and older — please upgrade"
            )
        while version < SCHEMA_VERSION:
            state = UPCASTERS[(cls.__name__, version)](state)
            version += 1
            state["schema_version"] = version
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        return cls.model_validate(state)


class _Application(Application[UUID]):
    name = "Hindsight"

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper()


@dataclass(frozen=True)
class Notification:
    position: int
    event: DomainEvent


def _sqlite_env(path: Path) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def _check_sqlite_archive(path: Path) -> None:
    """Refuse files that are not Hindsight archives, or of a newer layout; mark new ones."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = sqlite3.connect(path, timeout=30)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if "hindsight_archive" in tables:
                row = con.execute("SELECT format FROM hindsight_archive").fetchone()
                if row is None or row[0] > ARCHIVE_FORMAT:
                    raise ArchiveError(
                        f"{path}: archive format {row and row[0]} is newer than this "
                        f"Hindsight reads ({ARCHIVE_FORMAT}) — please upgrade"
                    )
            elif tables:
                raise ArchiveError(f"{path}: is an SQLite file but not a Hindsight archive")
            else:
                with con:
                    con.execute("CREATE TABLE hindsight_archive (format INTEGER NOT NULL)")
                    con.execute("INSERT INTO hindsight_archive VALUES (?)", (ARCHIVE_FORMAT,))
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path}: not a Hindsight archive ({exc})") from None


class EventStore:
    """Append-only storage of domain events with a global, ordered notification log."""

    def __init__(self, location: str) -> None:
        self.location = location
        if location == MEMORY:
            env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        elif location.startswith(("postgresql://", "postgres://")):
            raise ArchiveError(f"{location}: PostgreSQL archives are not supported yet")
        else:
            path = Path(location)
            _check_sqlite_archive(path)
            env = _sqlite_env(path)
        try:
            self._app = _Application(env=env)
        except (PersistenceError, sqlite3.DatabaseError) as exc:
            raise ArchiveError(f"{location}: cannot open archive ({exc})") from None

    @property
    def is_memory(self) -> bool:
        return self.location == MEMORY

    def append(self, events: Sequence[DomainEvent]) -> None:
        """Store all events in one transaction, or none of them.

        A version clash (another writer appended to one of these streams first) raises
        ``Conflict``: the caller reloads and decides again, nothing is overwritten.
        """
        if not events:
            return
        try:
            self._app.save(*events)
        except IntegrityError:
            raise Conflict(
                "another writer changed the archive at the same time; nothing was written, "
                "please try again"
            ) from None

    def stream(self, stream_id: UUID) -> list[DomainEvent]:
        return [cast(DomainEvent, e) for e in self._app.events.get(stream_id)]

    def version(self, stream_id: UUID) -> int:
        """The stream's current version: 0 when it does not exist."""
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
