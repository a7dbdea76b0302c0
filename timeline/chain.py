"""The hash chain over an SQLite archive's events, and who wrote each event.

Every SQLite archive keeps a hash chain over its events (``hindsight_chain``), written in the
same transaction as the events themselves, so that ``hindsight verify`` can prove the stored
events were not altered since they were written (``timeline.integrity``). Beside each write it
records who made it (``hindsight_authors``): the name in ``HINDSIGHT_AUTHOR``, or the OS user.
PostgreSQL team archives keep the same chain and author (``timeline.team``).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sqlite3
import unicodedata
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from timeline.errors import InvalidInput


def event_digest(originator_id: UUID | str, version: int, topic: str, state: bytes) -> str:
    """An event's fingerprint as stored: its stream, version, type and stored bytes."""
    digest = hashlib.sha256(f"{_stored_id(originator_id)}\n{version}\n{topic}\n".encode())
    digest.update(state if isinstance(state, bytes) else bytes(state))
    return digest.hexdigest()


# --- the hash chain ---------------------------------------------------------------------------

#: The digest before the first event.
GENESIS = "0" * 64

_CHAIN_TABLE = ("CREATE TABLE IF NOT EXISTS hindsight_chain "
                "(position INTEGER PRIMARY KEY, digest TEXT NOT NULL)")

#: Who wrote the events: one row per write (a run of positions ``first..last``), beside the
#: events rather than in them, so an event's bytes and its chain digest stay what they were.
#: Events written before Hindsight recorded authors have no row.
_AUTHORS_TABLE = ("CREATE TABLE IF NOT EXISTS hindsight_authors "
                  "(first INTEGER PRIMARY KEY, last INTEGER NOT NULL, recorded_by TEXT NOT NULL)")


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


#: The longest author name an SQLite archive records (characters).
AUTHOR_MAX = 100
#: Unicode categories no author name holds: control and format characters (bidirectional
#: overrides among them), surrogates, private use, unassigned, line and paragraph separators.
_NOT_IN_NAMES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def author_name(text: str, where: str = "HINDSIGHT_AUTHOR") -> str:
    """An author's name as recorded: normalised (NFC, spaces at the ends dropped), then
    checked — one line of printable text, at most ``AUTHOR_MAX`` characters."""
    name = unicodedata.normalize("NFC", text.strip())
    if not name:
        raise InvalidInput(f"{where}: an empty name (set it to who writes, e.g. 'Ana Lopes')")
    for char in name:
        if unicodedata.category(char) in _NOT_IN_NAMES:
            raise InvalidInput(f"{where}: the name holds U+{ord(char):04X} "
                               f"({unicodedata.name(char, 'a control character').lower()}), "
                               "not a printable character")
    if len(name) > AUTHOR_MAX:
        raise InvalidInput(f"{where}: a name of {len(name):,} characters (at most "
                           f"{AUTHOR_MAX})")
    return name


#: The author this process set (``set_author``: the desktop app's preferences), before
#: ``HINDSIGHT_AUTHOR``.
_chosen_author: str | None = None


def set_author(name: str | None) -> str | None:
    """Record this process's writes to SQLite archives as written by ``name`` (checked as
    ``HINDSIGHT_AUTHOR`` is; None or blank: back to ``HINDSIGHT_AUTHOR`` or the OS user).
    Returns the name as it will be recorded."""
    global _chosen_author
    _chosen_author = author_name(name, "your name") if name and name.strip() else None
    return local_author()


def local_author() -> str | None:
    """Who writes to an SQLite archive from this process: the name set by ``set_author``,
    else ``HINDSIGHT_AUTHOR`` when it is set (checked: a bad value refuses the write), else
    the operating-system user, else nobody."""
    if _chosen_author is not None:
        return _chosen_author
    given = os.environ.get("HINDSIGHT_AUTHOR")
    if given is not None:
        return author_name(given)
    try:
        return author_name(getpass.getuser(), "the operating-system user name")
    except (InvalidInput, KeyError, OSError, ImportError):
        return None


#: Bytes of a stored state read for its timestamp (``stamp_rows``): the library writes an
#: event's ``timestamp`` first, and a state whose first bytes lack it is read whole.
STAMP_BYTES = 64


class ChainedRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, also writing each event's chain digest.

    The digests are inserted inside the library's write transaction, after the events: the
    events' inserts have taken SQLite's write lock by then (the transaction's BEGIN is deferred,
    and in WAL mode a write lock is only granted on the newest snapshot), so the previous
    digest read here is the last one committed and no other writer can append in between.
    """

    #: Who writes the next events (``EventStore.recorded_by``, set by the store before each
    #: append); None records no author.
    recorded_by: str | None = None

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), _CHAIN_TABLE, _AUTHORS_TABLE]

    def recorded_by_between(self, after: int, last: int) -> dict[int, str]:
        """Who wrote each event at a position in (after, last], from the runs of
        ``hindsight_authors`` that overlap it."""
        try:
            with self.datastore.transaction(commit=False) as c:
                c.execute("SELECT first, last, recorded_by FROM hindsight_authors WHERE first >= "
                          "coalesce((SELECT max(first) FROM hindsight_authors WHERE first <= ?),"
                          " 0) AND first <= ?", (after + 1, last))
                runs = c.fetchall()
        except (sqlite3.OperationalError, OperationalError):
            return {}  # an archive no Hindsight that records authors has written to yet
        return {position: author for first, end, author in runs
                for position in range(max(first, after + 1), min(end, last) + 1)}

    def stamp_rows(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        """The positions after ``after`` (up to ``limit``) with the first ``STAMP_BYTES`` of
        each stored state, where an event's timestamp is written (``timeline.recorded``)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT rowid, substr(state, 1, {STAMP_BYTES}) FROM "
                      f"{self.events_table_name} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                      (after, limit))
            return [(row[0], bytes(row[1])) for row in c.fetchall()]

    # --- inside EventStore.bulk()'s transaction (the same as timeline.team_imports') ------

    def insert_in(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> list[int]:
        """Insert chained events into the open transaction; their positions."""
        return list(self._insert_events(c, stored_events) or [])

    def stream_in(self, c: SQLiteCursor, originator_id: UUID, *, last: bool = False
                  ) -> list[StoredEvent]:
        """A stream's stored events (with ``last``, its last one only), the transaction's own
        included."""
        c.execute("SELECT originator_id, originator_version, topic, state FROM stored_events "
                  "WHERE originator_id = ? ORDER BY originator_version" +
                  (" DESC LIMIT 1" if last else ""), (_stored_id(originator_id),))
        return [StoredEvent(UUID(str(row[0])), row[1], row[2], bytes(row[3]))
                for row in c.fetchall()]

    def stored_in(self, c: SQLiteCursor, position: int) -> StoredEvent | None:
        c.execute("SELECT originator_id, originator_version, topic, state FROM stored_events "
                  "WHERE rowid = ?", (position,))
        row = c.fetchone()
        return StoredEvent(row[0], row[1], row[2], bytes(row[3])) if row else None

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        positions = self._insert_chained(c, stored_events)
        if positions and self.recorded_by is not None:
            c.execute("INSERT INTO hindsight_authors VALUES (?, ?, ?)",
                      (positions[0], positions[-1], self.recorded_by))
        return positions

    def _insert_chained(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]
                        ) -> list[int]:
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
