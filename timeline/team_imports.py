"""How a team archive's recorder (``timeline.team.TeamRecorder``) writes an import: in one
transaction held open for the whole import, the writers' lock taken at its start, the events
inserted a chunk at a time as the import stages them (``EventStore.bulk``), as an SQLite
archive's import is written. Nothing of the import is held in memory past its chunk, and
nothing is written unless all of it is."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING
from uuid import UUID

import psycopg
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent
from psycopg.rows import DictRow
from psycopg.sql import SQL

from timeline.chain import local_author
from timeline.errors import first_line

if TYPE_CHECKING:
    from eventsourcing.persistence import ProgrammingError
    from eventsourcing.postgres import PostgresApplicationRecorder as _Recorder
    from psycopg.sql import Composable, Composed
else:
    _Recorder = object

#: How long (seconds) an import's transaction may wait between two statements — while it
#: stages the next chunk — before the server ends it. The library's sessions allow 5 s, which
#: a busy machine can take to stage a chunk; a process that dies ends its transaction anyway.
IMPORT_IDLE_S = 300
#: Events per insert statement (each chunk chained on from the last): a million in one
#: statement is more than the server takes in one message.
INSERT_CHUNK = 20_000


class TeamImports(_Recorder):
    """The import transaction of ``TeamRecorder``, which gives the layout's names (``_q``),
    the refusal of a reader (``_refusal``) and the chain links and author row of each insert
    (``_fetch_ids_after_insert_events``)."""

    #: Why this role cannot write, or None (``TeamRecorder``).
    read_only_reason: str | None
    #: The name this process writes under (``TeamRecorder``).
    _name: str | None

    def _q(self, text: str, **names: Composable) -> Composed:  # pragma: no cover - overridden
        raise NotImplementedError

    def _refusal(self, exc: BaseException) -> ProgrammingError:  # pragma: no cover - overridden
        raise NotImplementedError

    def _insert_chunks(self, curs: psycopg.Cursor[DictRow],
                       stored_events: Sequence[StoredEvent]) -> list[int]:
        """Insert into the caller's transaction ``INSERT_CHUNK`` events at a time, each chunk
        with its chain links and author row; their positions."""
        ids: list[int] = []
        for first in range(0, len(stored_events), INSERT_CHUNK):
            chunk = stored_events[first:first + INSERT_CHUNK]
            self._insert_stored_events(curs, chunk)
            ids += self._fetch_ids_after_insert_events(curs, chunk) or []
        return ids

    @contextmanager
    def bulk(self) -> Iterator[psycopg.Cursor[DictRow]]:
        """One transaction for a whole import (``EventStore.bulk``), as on SQLite: the
        writers' lock taken at once, so nobody else appends until it ends; each ``insert_in``
        writes into it, and what it wrote is read back through it (``stream_in``). It
        commits when the block ends and rolls back — nothing written — when it raises."""
        if self.read_only_reason:
            raise PersistenceError(self.read_only_reason)
        self._name = local_author()  # a bad HINDSIGHT_AUTHOR refuses the import, first
        with self.datastore.get_connection() as conn, conn.transaction(), \
                conn.cursor() as curs:
            curs.execute(SQL("SET LOCAL idle_in_transaction_session_timeout = '{0}s'")
                         .format(IMPORT_IDLE_S))
            try:
                self._lock_table(curs)
            except psycopg.Error as exc:
                if "permission denied" in str(exc):  # a reader may not take the lock
                    raise self._refusal(exc) from None
                raise
            yield curs

    def insert_in(self, curs: psycopg.Cursor[DictRow],
                  stored_events: Sequence[StoredEvent]) -> list[int]:
        """Insert events into ``bulk``'s transaction; their positions. A failure is the
        library's error (``IntegrityError`` for a version clash), the transaction then
        aborted: the caller's block raises and writes nothing."""
        try:
            return self._insert_chunks(curs, stored_events)
        except psycopg.IntegrityError as exc:
            raise IntegrityError(first_line(exc)) from None
        except psycopg.Error as exc:
            if "permission denied" in str(exc):
                raise self._refusal(exc) from None
            raise PersistenceError(first_line(exc)) from None

    def stream_in(self, curs: psycopg.Cursor[DictRow], originator_id: UUID,
                  *, last: bool = False) -> list[StoredEvent]:
        """A stream's stored events (with ``last``, its last one only) as ``bulk``'s
        transaction sees them, what it has inserted included."""
        curs.execute(self._q("SELECT originator_id, originator_version, topic, state FROM "
                             "{schema}.{events} WHERE originator_id = %s ORDER BY "
                             "originator_version" + (" DESC LIMIT 1" if last else "")),
                     (originator_id,))
        return [StoredEvent(UUID(str(row["originator_id"])), row["originator_version"],
                            row["topic"], bytes(row["state"])) for row in curs.fetchall()]

    def stored_in(self, curs: psycopg.Cursor[DictRow], position: int) -> StoredEvent | None:
        """The event stored at ``position`` as ``bulk``'s transaction sees it."""
        curs.execute(self._q("SELECT originator_id, originator_version, topic, state FROM "
                             "{schema}.{events} WHERE notification_id = %s"), (position,))
        row = curs.fetchone()
        return StoredEvent(row["originator_id"], row["originator_version"], row["topic"],
                           bytes(row["state"])) if row else None

