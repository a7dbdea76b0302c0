"""Undo and redo: the last thing this author did, compensated by new events, never deleted.

An **act** is one write: the events one command appended together (a record with the
entities it made, a supersession with its replacement claim, a retraction, a tag...). The log
says who wrote each act — an SQLite archive's ``hindsight_authors`` holds one row per write,
a PostgreSQL team archive notes the role and transaction of each event and the name of each
write — so the acts of the current author (``EventStore.recorded_by``: the app's preferences,
``HINDSIGHT_AUTHOR`` or the OS user; on PostgreSQL that name and the database role,
"Ana Lima (ana)") are read from the archive itself, in any process,
after any restart.

Undoing an act appends, in one write, an ``ActUndone`` marker naming the act's positions and
then the compensation of each of its events, last first (the table: docs/undo.md). Redoing
undoes the last undo: the compensation of its compensation. The undo and redo stacks are
replayed from the markers alone (``_stacks``): a new act of this author empties the redo stack.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.utils import get_topic

from timeline import dates
from timeline.chain import ChainedRecorder
from timeline.domain import (
    ActUndone,
    AliasAdded,
    AliasRemoved,
    CitationAdded,
    ClaimRecorded,
    ClaimReranked,
    ClaimRestored,
    ClaimRetracted,
    ClaimSuperseded,
    DomainEvent,
    EntitiesMerged,
    EntityCreated,
    MergeUndone,
    PredicateDefined,
    SourceRegistered,
    SourceWithdrawn,
    Tagged,
    Untagged,
    claim_stream,
    merged_kind,
    normalise_name,
    predicate_stream,
    source_stream,
    undo_stream,
)
from timeline.errors import Conflict, NotFound
from timeline.store import Notification
from timeline.tagging import stage_tag, stage_untag

if TYPE_CHECKING:
    from timeline.app import Archive
    from timeline.batch import Batch

__all__ = ["UNDO_LIMIT", "Act", "NothingToUndo", "UndoResult", "mark_undone", "next_acts",
           "redo", "undo"]

#: The most events one act may hold to be undone (a large import is not: retract its claims).
UNDO_LIMIT = 1000

_MARKER_TOPIC = get_topic(ActUndone)


class NothingToUndo(NotFound):
    """Nothing of this author's to undo (or redo)."""


@dataclass(frozen=True)
class Act:
    """One write of this author's: its first and last log positions; for an undo or redo,
    the positions of the act it compensated (``undoes``) and what that act was."""

    first: int
    last: int
    undoes: tuple[int, int] | None = None
    redo: bool = False
    summary: str = ""


@dataclass(frozen=True)
class UndoResult:
    """What an undo or redo did (or, ``dry_run``, would do)."""

    summary: str  # what the act was: "retraction of c-…"
    message: str  # "undid: retraction of c-… (recorded 2026-12-07 15:02 by ana)"
    events: int  # events written (0 for a dry run)
    dry_run: bool = False


# --- the acts of an author, from the log ------------------------------------------------------


def _marker(state: Any) -> dict[str, Any]:
    data = json.loads(bytes(state)) if state is not None else {}
    return data if isinstance(data, dict) else {}


def _act(first: int, last: int, state: Any) -> Act:
    if state is None:
        return Act(first, last)
    data = _marker(state)
    undoes = data.get("undoes") or (first, last)
    return Act(first, last, (int(undoes[0]), int(undoes[1])), bool(data.get("redo")),
               str(data.get("summary", "")))


def _sqlite_acts(recorder: ChainedRecorder, author: str) -> list[Act]:
    with recorder.datastore.transaction(commit=False) as c:
        try:
            c.execute(f"SELECT a.first, a.last, e.state FROM hindsight_authors a LEFT JOIN "
                      f"{recorder.events_table_name} e ON e.rowid = a.first AND e.topic = ? "
                      "WHERE a.recorded_by = ? ORDER BY a.first", (_MARKER_TOPIC, author))
        except Exception:  # an archive no Hindsight that records authors has written to
            return []
        return [_act(first, last, state) for first, last, state in c.fetchall()]


def _team_acts(recorder: Any, author: str) -> list[Act]:
    """On PostgreSQL one act is one transaction (``xmin``) of the author's events: of this
    role, under this name (``TeamRecorder.written_by``)."""
    rows = recorder.written_by(author, _MARKER_TOPIC)
    acts: list[Act] = []
    tx, first, last, state = None, 0, 0, None
    for row in rows:
        if row["tx"] != tx:
            if tx is not None:
                acts.append(_act(first, last, state))
            tx, first, state = row["tx"], row["p"], row["state"]
        last = row["p"]
    if tx is not None:
        acts.append(_act(first, last, state))
    return acts


def _acts(archive: Archive, author: str) -> list[Act]:
    recorder = archive.store.recorder
    if isinstance(recorder, ChainedRecorder):
        return _sqlite_acts(recorder, author)
    if hasattr(recorder, "chain_rows"):  # timeline.team.TeamRecorder
        return _team_acts(recorder, author)
    return []  # in memory: no authors are recorded


def _stacks(acts: Sequence[Act]) -> tuple[list[Act], list[Act]]:
    """The acts that can be undone (last on top) and the undos that can be redone."""
    done: list[Act] = []
    undone: list[Act] = []
    for act in acts:
        if act.undoes is None:
            done.append(act)
            undone.clear()
        elif act.redo:
            undone = [a for a in undone if a.first != act.undoes[0]]
            done.append(act)
        else:
            done = [a for a in done if a.first != act.undoes[0]]
            undone.append(act)
    return done, undone


def _author(archive: Archive) -> str:
    author = archive.store.recorded_by
    if not author:
        raise NothingToUndo("nothing to undo: this archive records no authors (an archive in "
                            "memory); nothing was written")
    return author


# --- what an act was --------------------------------------------------------------------------

_ORDER = (EntitiesMerged, ClaimSuperseded, ClaimRetracted, ClaimRestored, ClaimReranked,
          ClaimRecorded, CitationAdded, AliasAdded, AliasRemoved, Tagged, Untagged,
          SourceRegistered, PredicateDefined, EntityCreated)


def _claim(archive: Archive, event: DomainEvent) -> str:
    """The claim a correction is of (the read model knows each claim's stream)."""
    if isinstance(event, ClaimRecorded):
        return event.claim_id
    return str(archive.readmodel._claim_id(event))


def _describe(archive: Archive, event: DomainEvent, count: int) -> str:
    many = f" (and {count - 1} more)" if count > 1 else ""
    if isinstance(event, EntitiesMerged):
        gone = archive.readmodel.entity(str(event.originator_id))
        return f"merge of '{gone['name'] if gone else event.originator_id}' into " \
               f"'{event.into_name}'"
    if isinstance(event, ClaimSuperseded):
        return f"supersession of {_claim(archive, event)} by {event.by}"
    if isinstance(event, ClaimRetracted | ClaimRestored | ClaimRecorded):
        what = {ClaimRetracted: "retraction", ClaimRestored: "restoration",
                ClaimRecorded: "record"}[type(event)]
        return f"{what} of {_claim(archive, event)}{many}"
    if isinstance(event, ClaimReranked):
        return f"rerank of {_claim(archive, event)} to {event.rank}{many}"
    if isinstance(event, AliasAdded | AliasRemoved):
        name = archive.names.get(archive.canonical(str(event.originator_id)), "?")
        return f"alias '{event.alias}' of '{name}'" + (
            " removed" if isinstance(event, AliasRemoved) else "")
    if isinstance(event, Tagged | Untagged):
        verb = "tag" if isinstance(event, Tagged) else "untag"
        return f"{verb} '{event.tag}' on {event.target_kind} {event.target_id}{many}"
    if isinstance(event, SourceRegistered):
        return f"source '{event.source_id}'{many}"
    if isinstance(event, CitationAdded):
        return f"citation of {_claim(archive, event)}{many}"
    if isinstance(event, PredicateDefined):
        return f"definition of predicate '{event.name}'"
    return f"entity '{getattr(event, 'name', '?')}'"


def summary(archive: Archive, events: Sequence[DomainEvent]) -> str:
    """What an act was, in a few words: its main event (``_ORDER``)."""
    marker = next((e for e in events if isinstance(e, ActUndone)), None)
    if marker is not None:
        return marker.summary
    for kind in _ORDER:
        found = [e for e in events if type(e) is kind]
        if found:
            return _describe(archive, found[0], len(found))
    return "a write"


def _when(events: Sequence[DomainEvent]) -> str:
    stamp = events[0].timestamp if events else datetime.now().astimezone()
    return stamp.astimezone().strftime("%Y-%m-%d %H:%M")


# --- compensations ----------------------------------------------------------------------------


def _known_day(text: str) -> int:
    try:
        return dates.known_day(text)
    except dates.DateError:
        return dates.stored(dates.known_day, text)


def _rank_before(batch: Batch, claim_id: str, event: ClaimReranked) -> str:
    """The rank in force, on the day ``event`` takes effect, without ``event``
    (``rules.rank_in_force``: the latest set by that day, later in the log among equals)."""
    claim = batch.known_claim(claim_id)
    assert claim is not None
    own = _known_day(claim.known_at)
    day = max(_known_day(event.known_at), own)
    entries = [(own, 0, claim.rank)] + [
        (max(_known_day(c.known_at), own), c.originator_version, c.rank)
        for c in batch.history(claim_id).corrections
        if isinstance(c, ClaimReranked) and c.originator_version != event.originator_version]
    return max((e for e in entries if e[0] <= day), key=lambda e: (e[0], e[1]))[2]


def _restore(batch: Batch, claim_id: str, event: ClaimRetracted | ClaimSuperseded,
             reason: str) -> None:
    """Annul ``event``, the claim's withdrawal — when it is still the one in force."""
    withdrawal = batch.history(claim_id).withdrawal
    if withdrawal is None or withdrawal.originator_version != event.originator_version:
        raise Conflict(f"claim '{claim_id}' was corrected again since; look at its history "
                       "before undoing")
    batch._correct(ClaimRestored, claim_id, known_at=withdrawal.known_at, reason=reason)


def _withdraw_again(batch: Batch, claim_id: str, event: ClaimRestored, reason: str) -> None:
    """Record again the withdrawal ``event`` annulled."""
    history = batch.history(claim_id)
    before = [c for c in history.corrections if c.originator_version < event.originator_version
              and isinstance(c, ClaimRetracted | ClaimSuperseded)]
    if not before:
        raise Conflict(f"claim '{claim_id}': no withdrawal to record again")
    was = before[-1]
    if isinstance(was, ClaimSuperseded):
        batch.supersede(claim_id, by=was.by, known_at=was.known_at, reason=was.reason)
    else:
        batch.retract(claim_id, was.known_at, was.reason)


def _refuse(batch: Batch, event: DomainEvent, what: str) -> None:
    if isinstance(event, CitationAdded):
        raise Conflict(f"cannot undo the {what}: a citation added to a claim is not taken off "
                       "(supersede the claim by one without it, or retract it); nothing was "
                       "written")
    raise Conflict(f"cannot undo the {what}: Hindsight does not know how to undo a "
                   f"{type(event).__name__}; nothing was written")


def _citing(batch: Batch, source_id: str) -> str | None:
    """A claim that cites the source ``source_id`` (withdrawn or not), or None."""
    pattern = "%" + json.dumps({"source": source_id}, ensure_ascii=False,
                               separators=(",", ":"))[1:-1] + "%"
    for claim_id, citations in batch.readmodel.db.execute(
            "SELECT id, citations FROM claims WHERE citations LIKE ? ORDER BY n", [pattern]):
        if any(c.get("source") == source_id for c in json.loads(citations or "[]")):
            return str(claim_id)
    return None


def _withdraw_source(batch: Batch, event: SourceRegistered, what: str) -> None:
    """Take a source back out: only while nothing leans on it (docs/undo.md)."""
    source_id, db = event.source_id, batch.readmodel.db
    stream = batch._read(source_stream(source_id))
    if not stream or stream[-1].originator_version != event.originator_version:
        raise Conflict(f"cannot undo the {what}: it was withdrawn or registered again since; "
                       "nothing was written")
    claim = _citing(batch, source_id)
    later = db.execute("SELECT id FROM sources WHERE version_of = ? ORDER BY id",
                       [source_id]).fetchone()
    tag = db.execute("SELECT tag FROM tags WHERE target_kind = 'source' AND target_id = ? "
                     "ORDER BY position", [source_id]).fetchone()
    why = (f"claim {claim} cites it (its citations stay with it, retracted or not)"
           if claim else f"source '{later[0]}' is a later version of it" if later
           else f"it is tagged '{tag[0]}' (untag it first)" if tag else None)
    if why:
        raise Conflict(f"cannot undo the {what}: {why}; nothing was written")
    batch._emit(SourceWithdrawn, source_stream(source_id), source_id=source_id)


def _register_again(batch: Batch, event: SourceWithdrawn) -> None:
    """Register again, with the same fields, the source ``event`` withdrew."""
    earlier = [e for e in batch._read(source_stream(event.source_id))
               if e.originator_version < event.originator_version]
    was = next((e for e in reversed(earlier) if isinstance(e, SourceRegistered)), None)
    if was is None or batch.readmodel.source(event.source_id) is not None:
        raise Conflict(f"source '{event.source_id}' was registered again since; nothing to "
                       "redo")
    fields = was.model_dump(exclude={"originator_id", "originator_version", "timestamp",
                                     "schema_version"})
    batch._emit(SourceRegistered, source_stream(event.source_id), **fields)


def _merged_in(batch: Batch, absorbed: str, into: str) -> list[str]:
    """``absorbed`` and the entities merged into it (or into one of those) before it was
    merged into ``into``: each one's last merge, on its own stream, names one of them."""
    group = [absorbed]
    members = [r[0] for r in batch.readmodel.db.execute(
        "SELECT id FROM entities WHERE merged_into = ? AND id != ? ORDER BY id",
        [into, absorbed])]
    last = {m: next((e for e in reversed(batch._read(UUID(m)))
                     if isinstance(e, EntitiesMerged | MergeUndone)), None) for m in members}
    grown = True
    while grown:
        grown = False
        for m, merge in last.items():
            if m not in group and isinstance(merge, EntitiesMerged) and \
                    str(merge.into) in group:
                group.append(m)
                grown = True
    return group


def _names_of(batch: Batch, group: Sequence[str]) -> list[str]:
    """The names the entities of ``group`` were created with and the aliases added to them
    (and not removed), from their streams."""
    names: dict[str, str] = {}
    for entity in group:
        for e in batch._read(UUID(entity)):
            if isinstance(e, EntityCreated | AliasAdded):
                name = e.name if isinstance(e, EntityCreated) else e.alias
                names[normalise_name(name)] = name
            elif isinstance(e, AliasRemoved):
                names.pop(normalise_name(e.alias), None)
    return list(names.values())


def _kind_before(batch: Batch, into: str, group: Sequence[str]) -> str:
    """The kind ``into`` had before the group was merged into it: its own, made more specific
    by the other entities merged into it (``merged_kind``), in the order they were."""
    created = [e for e in batch._read(UUID(into)) if isinstance(e, EntityCreated)]
    kind: str = created[-1].kind if created else "other"
    rows = batch.readmodel.db.execute("SELECT id, kind FROM entities WHERE merged_into = ?",
                                      [into]).fetchall()
    others = []
    for entity, other_kind in rows:
        if entity not in group:
            merges = [e for e in batch._read(UUID(entity)) if isinstance(e, EntitiesMerged)]
            others.append((merges[-1].timestamp if merges else None, other_kind))
    for _, other_kind in sorted(others, key=lambda o: (o[0] is not None, o[0] or 0)):
        kind = merged_kind(kind, other_kind)
    return kind


def _unmerge(batch: Batch, event: EntitiesMerged, what: str) -> None:
    """Make the absorbed entity itself again: ``MergeUndone`` with what the merge took."""
    absorbed = str(event.originator_id)
    stream = batch._read(event.originator_id)
    into = batch.archive.canonical(absorbed)
    if stream[-1].originator_version != event.originator_version or into == absorbed or \
            batch.archive.canonical(into) != into:
        raise Conflict(f"cannot undo the {what}: the entities were merged or unmerged again "
                       "since; nothing was written")
    group = _merged_in(batch, absorbed, into)
    subjects, objects = [], []
    for claim_id, in batch.readmodel.db.execute(
            "SELECT id FROM claims WHERE subject_id = ? OR object_id = ? ORDER BY n",
            [into, into]).fetchall():
        recorded = next(e for e in batch._read(claim_stream(claim_id))
                        if isinstance(e, ClaimRecorded))
        if str(recorded.subject) in group:
            subjects.append(claim_id)
        if recorded.object is not None and str(recorded.object) in group:
            objects.append(claim_id)
    batch._emit(MergeUndone, event.originator_id, into=UUID(into),
                into_kind=_kind_before(batch, into, group), entities=tuple(group),
                names=tuple(_names_of(batch, group)), subjects=tuple(subjects),
                objects=tuple(objects))


def _merge_again(batch: Batch, event: MergeUndone) -> None:
    """Merge again the entity ``event`` made itself again."""
    absorbed, into = str(event.originator_id), str(event.into)
    keep = batch.archive.canonical(into)
    if batch.archive.canonical(absorbed) != absorbed or keep == absorbed:
        raise Conflict(f"entity '{absorbed}' was merged again since; nothing to redo")
    batch._emit(EntitiesMerged, event.originator_id, into=UUID(keep),
                into_name=batch.archive.names.get(keep, ""))


def _compensate(batch: Batch, event: DomainEvent, reason: str, what: str) -> None:
    """Stage what undoes one event of an act (docs/undo.md)."""
    if isinstance(event, CitationAdded):
        _refuse(batch, event, what)
    elif isinstance(event, EntitiesMerged):
        _unmerge(batch, event, what)
    elif isinstance(event, MergeUndone):
        _merge_again(batch, event)
    elif isinstance(event, SourceRegistered):
        _withdraw_source(batch, event, what)
    elif isinstance(event, SourceWithdrawn):
        _register_again(batch, event)
    elif isinstance(event, ClaimRecorded):
        if batch.history(event.claim_id).withdrawn:
            raise Conflict(f"claim '{event.claim_id}' was retracted or superseded since; "
                           "nothing to undo of it")
        batch.retract(event.claim_id, event.known_at, reason)
    elif isinstance(event, ClaimRetracted | ClaimSuperseded):
        _restore(batch, _claim(batch.archive, event), event, reason)
    elif isinstance(event, ClaimRestored):
        _withdraw_again(batch, _claim(batch.archive, event), event, reason)
    elif isinstance(event, ClaimReranked):
        claim_id = _claim(batch.archive, event)
        batch.rerank(claim_id, _rank_before(batch, claim_id, event), event.known_at, reason)
    elif isinstance(event, AliasAdded):
        entity = batch.archive.canonical(str(event.originator_id))
        if str(batch.resolve(event.alias)) != entity:
            raise Conflict(f"alias '{event.alias}' no longer names the entity it was added "
                           "to; nothing to undo")
        batch._emit(AliasRemoved, UUID(entity), alias=event.alias)
    elif isinstance(event, AliasRemoved):
        entity = batch.archive.canonical(str(event.originator_id))
        batch.alias(batch.archive.names[entity], event.alias)
    elif isinstance(event, Tagged):
        with contextlib.suppress(NotFound):  # taken off since: nothing left to undo
            stage_untag(batch, event.target_kind, event.target_id, event.tag)
    elif isinstance(event, Untagged):
        stage_tag(batch, event.target_kind, event.target_id, event.tag)
    elif isinstance(event, PredicateDefined):
        earlier = [e for e in batch._read(predicate_stream(event.name))
                   if e.originator_version < event.originator_version]
        if earlier and isinstance(was := earlier[-1], PredicateDefined):
            batch.predicate(was.name, was.label, was.single, redefine=True)
    elif not isinstance(event, EntityCreated | ActUndone):
        _refuse(batch, event, what)  # never an undo that changes nothing
    # EntityCreated (an entity made on first mention) stays: names are not undone; the
    # ActUndone marker changes nothing.


# --- undo and redo ----------------------------------------------------------------------------


def next_acts(archive: Archive) -> tuple[str | None, str | None]:
    """What ``undo`` and ``redo`` would undo and redo now (None: nothing)."""
    author = archive.store.recorded_by
    if not author:
        return None, None
    done, undone = _stacks(_acts(archive, author))
    return (_summary_of(archive, done[-1]) if done else None,
            _summary_of(archive, undone[-1]) if undone else None)


def _events(archive: Archive, act: Act) -> list[Notification]:
    return archive.store.notifications(act.first - 1, act.last - act.first + 1)


def _summary_of(archive: Archive, act: Act) -> str:
    size = act.last - act.first + 1
    if act.summary:
        return act.summary
    if size > UNDO_LIMIT:
        return f"write of {size:,} events (an import)"
    return summary(archive, [n.event for n in _events(archive, act)])


def _compensate_act(archive: Archive, act: Act, *, redo: bool, dry_run: bool) -> UndoResult:
    size = act.last - act.first + 1
    if size > UNDO_LIMIT:
        raise Conflict(f"cannot {'redo' if redo else 'undo'} the {_summary_of(archive, act)}: "
                       f"at most {UNDO_LIMIT:,} events are undone at once; retract its claims "
                       "instead; nothing was written")
    notes = _events(archive, act)
    events = [n.event for n in notes]
    what = act.summary or summary(archive, events)
    reason = "redo" if redo else "undo"
    batch = archive.batch()
    batch._emit(ActUndone, undo_stream(act.first), new=True, undoes=(act.first, act.last),
                redo=redo, summary=what)
    for event in reversed(events):
        _compensate(batch, event, reason, what)
    verb = ("redid" if redo else "undid") if not dry_run else (
        "would redo" if redo else "would undo")
    who = notes[0].recorded_by if notes else None
    done = "undone" if redo else "recorded"
    message = f"{verb}: {what} ({done} {_when(events)}" + (f" by {who})" if who else ")")
    written = 0
    if not dry_run:
        written = len(batch.events)
        batch.commit()
    return UndoResult(what, message, written, dry_run)


def undo(archive: Archive, *, dry_run: bool = False) -> UndoResult:
    """Undo the last act of the current author that is not undone yet (``NothingToUndo``
    when there is none; ``Conflict``, nothing written, when it cannot be undone)."""
    archive.refresh()
    author = _author(archive)
    done, _ = _stacks(_acts(archive, author))
    if not done:
        raise NothingToUndo(f"nothing to undo: {author} has written nothing to this archive "
                            "that is not undone already; nothing was written")
    return _compensate_act(archive, done[-1], redo=False, dry_run=dry_run)


def redo(archive: Archive, *, dry_run: bool = False) -> UndoResult:
    """Redo the last undo of the current author (``NothingToUndo`` when there is none, or
    when they have written something else since)."""
    archive.refresh()
    author = _author(archive)
    _, undone = _stacks(_acts(archive, author))
    if not undone:
        raise NothingToUndo(f"nothing to redo: {author} has undone nothing since their last "
                            "change; nothing was written")
    return _compensate_act(archive, undone[-1], redo=True, dry_run=dry_run)


# --- history: which corrections were undone ---------------------------------------------------


def mark_undone(corrections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A claim's corrections (``ReadModel.corrections``), each withdrawal that a restoration
    annulled marked ``undone_by`` and ``undone_at`` (who and when), and each restoration
    ``undoes`` (the kind of withdrawal it annulled)."""
    last: dict[str, Any] | None = None
    for fix in corrections:
        if fix["kind"] in ("retracted", "superseded"):
            last = fix
        elif fix["kind"] == "restored" and last is not None:
            last["undone_by"], last["undone_at"] = fix.get("recorded_by"), fix["recorded_at"]
            fix["undoes"] = last["kind"]
            last = None
    return corrections
