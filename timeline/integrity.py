"""Proving an archive intact: the checks behind ``hindsight verify``.

1. **The event log.** Every SQLite archive keeps a hash chain (``hindsight_chain``), one digest
   per stored event, written in the same transaction as the event (``timeline.store``):
   ``digest_n = sha256(digest_{n-1}, n, stream, version, topic, stored bytes)``. Verify recomputes
   each digest from the stored event and the stored digest before it, so an altered event is
   named by its own position, an event inserted behind Hindsight's back has no digest, and a
   deleted one leaves a digest without an event. The chain's head (position and digest), noted
   down elsewhere, is an anchor: ``--anchor N:DIGEST`` later proves the first N events
   unchanged, which the chain alone cannot do against someone who rewrites it whole or cuts
   its tail. SQLite and PostgreSQL (team) archives keep a chain; the in-memory one does not.
2. **The read model.** It is rebuilt from the events into memory and compared, table by table
   and row by row, with the one on disk.
3. **The quotes.** Every citation's quote must still be verbatim in its source's text.

Each problem is one line naming what and where; an archive is intact when there are none.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.app import Archive
from timeline.chain import GENESIS, chain_link
from timeline.domain import (
    AliasAdded,
    CitationAdded,
    ClaimRecorded,
    ClaimSuperseded,
    DomainEvent,
    EntitiesMerged,
    MergeUndone,
    Tagged,
    Untagged,
)
from timeline.errors import ArchiveError, InvalidInput, first_line
from timeline.readmodel import ReadModel
from timeline.store import EventStore, archive_uri, is_postgres

#: Problems listed per read-model table before the rest are counted.
_SHOWN_PER_TABLE = 10

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


@dataclass(frozen=True)
class Anchor:
    """A chain position and the digest it had when it was noted down."""

    position: int
    digest: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        found = _ANCHOR.match(text.strip().lower())
        if not found:
            raise InvalidInput(f"'{text}' is not an anchor (POSITION:DIGEST, as verify prints "
                               "it)", "anchor")
        return cls(int(found[1]), found[2])

    def __str__(self) -> str:
        return f"{self.position}:{self.digest}"


@dataclass
class Report:
    events: int = 0
    chained: bool = False  # False: an archive not in SQLite, which keeps no chain (yet)
    head: Anchor | None = None
    quotes: int = 0
    problems: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # what mends a problem, when something does

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        chain = "chain intact" if self.chained else "no hash chain (an archive in memory)"
        quotes = f"{self.quotes:,} quote{'' if self.quotes == 1 else 's'}"
        return (f"ok: {self.events:,} events, {chain}; read model matches a rebuild; "
                f"{quotes} verbatim")


def verify(archive: Archive, anchors: Sequence[Anchor] = ()) -> Report:
    """Check the event log, the read model and the quotes; every problem is in the report."""
    report = Report()
    path = archive.store.path
    if path is not None:
        report.chained = True
        check_chain(path, report, anchors)
    elif is_postgres(archive.store.location):
        report.chained = True
        check_team_chain(archive.store.recorder, report, anchors)
    else:
        report.events = archive.store.max_position()
        if anchors:
            report.problems.append("anchors need the hash chain, which an archive in memory "
                                   "does not keep")
    try:
        rebuilt = rebuild(archive)
    except ArchiveError as exc:
        report.problems.append(f"the read model cannot be rebuilt: {exc}")
        return report
    with rebuilt:
        differences = compare_readmodels(archive.readmodel, rebuilt)
        if differences:
            report.problems += differences
            report.hints.append("`hindsight rebuild` recomputes the read model from the events")
        report.quotes = check_quotes(rebuilt, report.problems)
    return report


# --- 1. the event log -------------------------------------------------------------------------


def _label(topic: str, state: Any) -> str | None:
    """What an event's stream is about, from the event that creates it."""
    if not isinstance(state, dict):
        return None
    kind = topic.rpartition(":")[2]
    key = {"ClaimRecorded": ("claim", "claim_id"), "EntityCreated": ("entity", "name"),
           "SourceRegistered": ("source", "source_id"),
           "PredicateDefined": ("predicate", "name")}.get(kind)
    if key is None or not isinstance(state.get(key[1]), str):
        return None
    return f"{key[0]} {state[key[1]]}"


def _remember_label(labels: dict[str, str], stream: str, version: int, topic: str,
                    state: bytes) -> None:
    """Name a stream after its first event (``claim 'x'``), for the problems verify reports."""
    if version != 1:
        return
    try:
        label = _label(topic, json.loads(state))
    except ValueError:
        label = None
    if label:
        labels.setdefault(stream, label)


def _state(raw: Any) -> bytes:
    return raw if isinstance(raw, bytes) else str(raw).encode()


def check_chain(path: Path, report: Report, anchors: Sequence[Anchor] = ()) -> None:
    """Recompute every event's digest from the stored bytes and compare with the chain."""
    con = sqlite3.connect(archive_uri(path), uri=True, timeout=30, isolation_level=None)
    try:
        con.execute("BEGIN")  # one snapshot for events and chain, whoever writes meanwhile
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        if "hindsight_chain" not in tables:
            report.problems.append(f"{path}: the hash chain (hindsight_chain) is missing")
            report.events = int(con.execute("SELECT count(*) FROM stored_events").fetchone()[0])
            return
        chain = dict(con.execute("SELECT position, digest FROM hindsight_chain"))
        events = con.execute("SELECT rowid, originator_id, originator_version, topic, state "
                             "FROM stored_events ORDER BY rowid")
        labels: dict[str, str] = {}
        found: list[tuple[int, str, int, str, str]] = []  # position, stream, version, topic, what
        previous, last = GENESIS, 0
        for position, stream, version, topic, raw in events:
            state = _state(raw)
            _remember_label(labels, stream, version, topic, state)
            if position - 1 != last and position - 1 in chain:
                # Events deleted just before this one: chain on from the last deleted digest
                # (the deleted ones are reported below, their digests left over).
                previous = chain[position - 1]
            expected = chain_link(previous, position, stream, version, topic, state)
            stored = chain.pop(position, None)
            if stored is None:
                found.append((position, stream, version, topic,
                               "has no digest — it was written outside Hindsight"))
                previous = expected
            elif stored != expected:
                found.append((position, stream, version, topic,
                              "digest mismatch — the stored event was altered"))
                previous = stored
            else:
                previous = stored
            last = position
            report.events += 1
        for gone in sorted(chain):
            found.append((gone, "", 0, "", "missing — its digest is in the chain, the stored "
                                           "event was deleted"))
        report.head = Anchor(last, previous) if last else None
        for position, stream, version, topic, what in found:
            if stream:
                about = labels.get(stream, f"stream {stream}")
                kind = topic.rpartition(":")[2]
                report.problems.append(
                    f"event {position} ({about}, version {version}, {kind}): {what}")
            else:
                report.problems.append(f"event {position}: {what}")
        for anchor in anchors:
            row = con.execute("SELECT digest FROM hindsight_chain WHERE position = ?",
                              (anchor.position,)).fetchone()
            if row is None:
                report.problems.append(f"anchor {anchor.position}: the archive has no event "
                                       f"{anchor.position} any more — it was cut short")
            elif row[0] != anchor.digest:
                report.problems.append(f"anchor {anchor.position}: the chain there is "
                                       f"{row[0]}, not the digest noted down — the events up "
                                       f"to {anchor.position} were rewritten")
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"{path}: the event log cannot be read ({exc})")
    finally:
        con.close()


def check_team_chain(recorder: Any, report: Report, anchors: Sequence[Anchor] = ()) -> None:
    """The same check on a team archive (PostgreSQL, ``timeline.team.TeamRecorder``): every
    event and every digest, matched by position in one snapshot. Positions there may skip
    numbers (a refused write uses up its sequence numbers), so each digest chains on from the
    one before it, whatever its position."""
    from eventsourcing.persistence import PersistenceError

    if not recorder.has_chain():
        report.problems.append("the hash chain (hindsight_chain) is missing: an older "
                               "Hindsight set this archive up; its owner runs `hindsight "
                               "team-setup` once to build it")
        report.events = recorder.max_notification_id() or 0
        return
    labels: dict[str, str] = {}
    found: list[tuple[int, str, int, str, str]] = []  # position, stream, version, topic, what
    previous, last = GENESIS, 0
    try:
        for row in recorder.chain_rows():
            position, digest = row["position"], row["digest"]
            last = position
            if not row["stored"]:
                found.append((position, "", 0, "", "missing — its digest is in the chain, the "
                                                   "stored event was deleted"))
                previous = digest
                continue
            stream, version, topic = row["originator_id"], row["originator_version"], row["topic"]
            state = row["state"]
            _remember_label(labels, stream, version, topic, state)
            expected = chain_link(previous, position, stream, version, topic, state)
            if digest is None:
                found.append((position, stream, version, topic,
                              "has no digest — it was written outside Hindsight"))
                previous = expected
            else:
                if digest != expected:
                    found.append((position, stream, version, topic,
                                  "digest mismatch — the stored event was altered"))
                previous = digest
            report.events += 1
        report.head = Anchor(last, previous) if last else None
        for position, stream, version, topic, what in found:
            about = (f" ({labels.get(stream, f'stream {stream}')}, version {version}, "
                     f"{topic.rpartition(':')[2]})") if stream else ""
            report.problems.append(f"event {position}{about}: {what}")
        for anchor in anchors:
            noted = recorder.chain_digest(anchor.position)
            if noted is None:
                report.problems.append(f"anchor {anchor.position}: the archive has no event "
                                       f"{anchor.position} any more — it was cut short")
            elif noted != anchor.digest:
                report.problems.append(f"anchor {anchor.position}: the chain there is {noted}, "
                                       "not the digest noted down — the events up to "
                                       f"{anchor.position} were rewritten")
    except PersistenceError as exc:
        report.problems.append(f"the event log cannot be read ({first_line(exc)})")


# --- 2. the read model ------------------------------------------------------------------------


def rebuild(archive: Archive) -> ReadModel:
    """A fresh read model in memory from every event, at the same position as the archive's."""
    rebuilt = ReadModel(None)
    try:
        rebuilt.catch_up(archive.store)
        archive.refresh()
        while rebuilt.position != archive.readmodel.position:  # a writer is appending
            rebuilt.catch_up(archive.store)
            archive.refresh()
    except BaseException:
        rebuilt.close()
        raise
    return rebuilt


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")]
    # An R*Tree's and an FTS5 table's own tables: how their index is laid out depends on the
    # order it was written in; their rows are compared through the virtual table itself.
    shadows = {f"{v}_{part}" for v in virtual for part in (
        "node", "rowid", "parent", "data", "idx", "content", "docsize", "config")}
    return sorted(name for name, _ in rows
                  if not name.startswith("sqlite_") and name not in shadows)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _compare_table(table: str, disk: sqlite3.Connection, built: sqlite3.Connection
                   ) -> list[str]:
    def rows(db: sqlite3.Connection) -> tuple[list[str], Counter[tuple[Any, ...]]]:
        cursor = db.execute(f"SELECT * FROM {table}")
        return [d[0] for d in cursor.description], Counter(map(tuple, cursor))

    columns, on_disk = rows(disk)
    built_columns, rebuilt = rows(built)
    if columns != built_columns:
        return [f"read model table {table}: columns {columns} differ from a rebuild's "
                f"{built_columns}"]
    extra, missing = on_disk - rebuilt, rebuilt - on_disk
    if not extra and not missing:
        return []
    key = columns.index("id") if "id" in columns else 0

    def by_key(rows: Counter[tuple[Any, ...]]) -> dict[Any, tuple[Any, ...]]:
        return {row[key]: row for row in rows}

    extra_rows, missing_rows = by_key(extra), by_key(missing)
    out = []
    for k in sorted(set(extra_rows) | set(missing_rows), key=repr):
        where = f"read model table {table}: row {columns[key]}={_short(k)}"
        if k in extra_rows and k in missing_rows:
            changes = ", ".join(
                f"{name} {_short(a)} on disk, {_short(b)} rebuilt"
                for name, a, b in zip(columns, extra_rows[k], missing_rows[k], strict=True)
                if a != b)
            out.append(f"{where} differs from a rebuild ({changes})")
        elif k in missing_rows:
            out.append(f"{where} is missing (a rebuild has it)")
        else:
            out.append(f"{where} is not in a rebuild (no event makes it)")
    if len(out) > _SHOWN_PER_TABLE:
        out[_SHOWN_PER_TABLE:] = [f"read model table {table}: and "
                                  f"{len(out) - _SHOWN_PER_TABLE} more rows differ"]
    return out


def compare_readmodels(disk: ReadModel, built: ReadModel) -> list[str]:
    """Every difference between two read models, one line per row."""
    ours, theirs = _tables(disk.db.conn), _tables(built.db.conn)
    out = [f"read model table {t}: is not in a rebuild" for t in ours if t not in theirs]
    out += [f"read model table {t}: is missing (a rebuild has it)" for t in theirs
            if t not in ours]
    for table in (t for t in theirs if t in ours):
        out += _compare_table(table, disk.db.conn, built.db.conn)
    return out


# --- 3. the quotes ----------------------------------------------------------------------------


def check_quotes(readmodel: ReadModel, problems: list[str]) -> int:
    """Check that every citation's quote is verbatim in its source; returns how many were."""
    texts = {s["id"]: s["text"] for s in readmodel.sources()}
    verbatim = 0
    for claim in readmodel.all_claims():
        for k, citation in enumerate(claim.sources):
            source, quote = citation.get("source"), citation.get("quote") or ""
            where = f"claim {claim.id} sources[{k}]"
            if source not in texts:
                problems.append(f"{where}: source '{source}' is not in the archive")
            elif not quote.strip() or quote not in texts[source]:
                short = quote if len(quote) <= 60 else quote[:57] + "..."
                problems.append(f"{where}: quote '{short}' is not verbatim in source "
                                f"'{source}'")
            else:
                verbatim += 1
    return verbatim


# --- 4. salvage -------------------------------------------------------------------------------

#: The exit code of ``hindsight export --to json --salvage FILE`` when some events could not be
#: salvaged (each is named on stderr); 0 when every event was.
SALVAGE_INCOMPLETE = 6

#: Events read per page when salvaging.
_SALVAGE_PAGE = 1000


@dataclass
class Salvage:
    """What ``salvage`` recovered: an in-memory archive of every event that could be read and
    applied, and one line per event that could not (its position and why)."""

    archive: Archive
    events: int = 0  # events found in the log, readable or not
    salvaged: int = 0
    lost: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.lost


def _label_row(row: Any) -> str:
    kind = str(row.topic).rpartition(":")[2] or "?"
    return f"{kind} of stream {_stored(row.originator_id)} v{row.originator_version}"


def _stored(originator_id: Any) -> str:
    return originator_id.hex if hasattr(originator_id, "hex") else str(originator_id)


def _read_log(store: EventStore, report: Salvage) -> list[tuple[int, DomainEvent]]:
    """Every event of the log that can be read, in order; the others named in ``report``. A
    page that cannot be read is read one event at a time, and an event that cannot be read
    is skipped."""
    try:
        last = store.max_position()
    except Exception as exc:  # noqa: BLE001 - anything the storage raises: nothing to read
        report.lost.append(f"the event log cannot be read at all ({first_line(exc)})")
        return []
    found: list[tuple[int, DomainEvent]] = []
    position = 0
    while position < last:
        try:
            rows = store.stored_rows(position, _SALVAGE_PAGE)
        except Exception:  # noqa: BLE001 - a damaged page: one event at a time
            rows = None
        if rows is None:
            try:
                rows = store.stored_rows(position, 1, only=True)
            except Exception as exc:  # noqa: BLE001
                report.events += 1
                report.lost.append(f"event {position + 1}: cannot be read ({first_line(exc)})")
                position += 1
                continue
            if not rows:
                position += 1  # no event at this position (a gap in the log)
                continue
        if not rows:
            break
        for row in rows:
            report.events += 1
            try:
                found.append((row.id, store.decode(row)))
            except Exception as exc:  # noqa: BLE001 - ArchiveError naming it, or worse
                report.lost.append(f"event {row.id} ({_label_row(row)}): {_reason(exc)}")
        position = rows[-1].id
    return found


def _reason(exc: BaseException) -> str:
    """Why an event cannot be read, without the event's own name the store puts first."""
    text = first_line(exc)
    head, sep, rest = text.partition(": ")
    return rest if sep and head.startswith("event ") else text


def _depends(readmodel: ReadModel, event: DomainEvent) -> str | None:
    """What an event needs that the salvaged events lack (an entity, a source, a claim)."""
    def missing(table: str, key: str) -> bool:
        return readmodel.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [key]).fetchone() \
            is None

    if isinstance(event, ClaimRecorded):
        for entity in (event.subject, event.object):
            if entity is not None and missing("entities", str(entity)):
                return f"its entity {entity} is not among the events salvaged"
        for citation in event.citations:
            if missing("sources", citation.source):
                return f"it cites source '{citation.source}', which is not salvaged"
    elif isinstance(event, ClaimSuperseded):
        if missing("claims", event.by):
            return f"its replacement claim '{event.by}' is not among the events salvaged"
    elif isinstance(event, (EntitiesMerged, AliasAdded, MergeUndone)):
        for entity in (event.originator_id, getattr(event, "into", None)):
            if entity is not None and missing("entities", str(entity)):
                return f"its entity {entity} is not among the events salvaged"
    elif isinstance(event, CitationAdded) and missing("sources", event.source):
        return f"it cites source '{event.source}', which is not salvaged"
    elif isinstance(event, Tagged | Untagged):
        table = "claims" if event.target_kind == "claim" else "sources"
        if missing(table, event.target_id):
            return f"its {event.target_kind} '{event.target_id}' is not among the events salvaged"
    return None


def salvage(store: EventStore) -> Salvage:
    """Recover what can be recovered of an archive some of whose events cannot be read: every
    readable event that does not depend on an unreadable one (a claim about an entity whose
    creation cannot be read, a correction of a claim that cannot) is applied, in log order, to
    an archive in memory, which can then be exported; every other event is named, with why.
    Reads the store only (never its read model), and writes nothing to it."""
    report = Salvage(Archive.in_memory())
    readable = _read_log(store, report)
    # Pass 1: which events apply, each in a savepoint of a scratch read model.
    scratch = ReadModel(None)
    kept: list[DomainEvent] = []
    try:
        conn = scratch.db.conn
        for position, event in readable:
            conn.execute("SAVEPOINT salvage")
            try:
                need = _depends(scratch, event)
                if need is not None:
                    raise LookupError(need)
                scratch.apply_recorded([event], [position])
                conn.execute("RELEASE salvage")
                kept.append(event)
            except Exception as exc:  # noqa: BLE001 - an event that does not apply is lost
                conn.execute("ROLLBACK TO salvage")
                conn.execute("RELEASE salvage")
                why = str(exc) if isinstance(exc, LookupError) else \
                    "it corrects or names something not among the events salvaged"
                report.lost.append(f"event {position} ({type(event).__name__} of stream "
                                   f"{event.originator_id} v{event.originator_version}): "
                                   f"not salvaged — {why}")
    finally:
        scratch.close()
    # Pass 2: the same events, in order, into the archive in memory.
    for event in kept:
        report.archive.store.append([event])
    report.archive.refresh()
    report.salvaged = len(kept)
    report.lost.sort(key=_position_of)
    return report


def _position_of(line: str) -> int:
    found = re.match(r"event (\d+)", line)
    return int(found[1]) if found else 0
