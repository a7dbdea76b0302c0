"""The application service: one place that wires the event store, the read model, the
queries and the commands.

``Archive`` is the engine's service object; ``timeline.api`` is the public API built on it
(the command line, the desktop app, the exporters and users' own scripts use that).
Queries read the read model only (``timeline.asof`` for the state on a day); commands go
through ``timeline.commands``.
"""

from __future__ import annotations

import difflib
import os
import sqlite3
import time
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from timeline import dates, parts, paths
from timeline import undo as undoing
from timeline.asof.claims import ClaimRow
from timeline.asof.query import Sides, facts_as_of
from timeline.asof.rules import KNOWN_NOW, Fact
from timeline.asof.sql import rank_on
from timeline.commands import Batch, Commands, today
from timeline.dates import POS_INF, DateError
from timeline.errors import ArchiveError, InvalidInput, NotFound
from timeline.readmodel import ReadModel, overview, readmodel_path
from timeline.readmodel.tags import TagMap
from timeline.relative_views import relative_words
from timeline.searching import SearchHit, search
from timeline.sourcefiles import quote_page
from timeline.sourcenames import account_of, claim_sources, source_names
from timeline.store import (
    MEMORY,
    STORAGE_ERRORS,
    EventStore,
    is_postgres,
    is_transient,
    may_write,
    redact,
)
from timeline.tagging import tag_keys, with_tag, with_tags
from timeline.transitions import MAX_DAYS, between, day_by_day
from timeline.views import (
    Diff,
    FactView,
    State,
    Transition,
    fact_key,
    fact_view,
    fact_views,
    statement,
)

__all__ = ["KNOWN_NOW", "Archive", "Batch", "Diff", "FactView", "State", "query_day", "today"]


def query_day(text: str | int, field_name: str) -> int:
    """A query date (``as of``, ``as known on``) as a day number: the last day it covers."""
    if isinstance(text, int):
        return text
    try:
        return dates.parse_day(text)
    except DateError as exc:
        raise InvalidInput(str(exc), field_name) from None


# --- the archive ------------------------------------------------------------------------------


def _readmodel(store: EventStore) -> ReadModel:
    """The read model of an opened store: in memory for the in-memory store; in the user's
    cache for a PostgreSQL archive; beside an archive file — or, where this process may not
    write there (a read-only archive, folder or read model), in the user's cache; in memory
    when no file can be written at all. Wherever it is, it is checked on open to follow the
    archive's own log."""
    if store.is_memory:
        return ReadModel(None)
    if is_postgres(store.location):
        places = [paths.remote_readmodel(redact(store.location))]
    else:
        assert store.path is not None
        beside = readmodel_path(store.path)
        if not store.read_only and (not beside.exists() or may_write(beside)):
            return ReadModel(beside)
        places = [beside, paths.local_readmodel(store.path)]
    for place in places:
        try:
            place.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(place.parent, os.W_OK) and (not place.exists() or may_write(place)):
            return ReadModel(place)
    return ReadModel(None)


def close_names(name: str, names: Iterable[str]) -> list[str]:
    """The (at most three) names of ``names`` closest to ``name``."""
    return difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)


def unknown_entity(name: str, names: Iterable[str]) -> NotFound:
    """The error for a name no entity has, suggesting the closest of ``names``."""
    near = close_names(name, names)
    hint = f" — did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    return NotFound(f"unknown entity '{name}'{hint}")


def _copy_entity(entity: dict[str, Any]) -> dict[str, Any]:
    """A caller's own copy of a cached entity."""
    return {**entity, "aliases": list(entity["aliases"])}


class Archive(Commands):
    """An archive: its event store and its read model, kept in step."""

    #: ``poll`` tries a refresh this often, pausing POLL_PAUSE (doubling) between tries,
    #: before a transient error (another process's write) counts as one failed poll; only
    #: POLL_PATIENCE failed polls in a row are reported.
    POLL_ATTEMPTS = 3
    POLL_PAUSE = 0.05
    POLL_PATIENCE = 10

    def __init__(self, store: EventStore, readmodel: ReadModel, *,
                 catch_up: bool = True) -> None:
        self.store = store
        self.readmodel = readmodel
        self._names: dict[str, str] | None = None
        self._predicates: dict[str, tuple[str, str]] | None = None
        self._single_names: tuple[dict[str, tuple[str, str]], Sides] | None = None
        # name as asked -> (entity, its id and the ids merged into it)
        self._entities: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}
        self._tag_maps: tuple[TagMap, TagMap] | None = None  # claims' and sources' tags
        self._seen = -1  # the read model's data_version when the caches were last checked
        self._position = -1  # of the read model when the caches above were filled
        self._poll_failures = 0  # polls in a row that met a transient error
        if catch_up:
            self.refresh()

    @classmethod
    def open(cls, location: str | Path, *, create: bool = True,
             catch_up: bool = True) -> Archive:
        """Open the archive at ``location``: a file path, a PostgreSQL URL or ``:memory:``.

        Without ``create`` (the read commands) a missing archive is refused, ``no archive at
        PATH``, never created. An archive this process may not write is opened read-only: it
        answers, and writes are refused saying so; its read model is kept beside it when that
        can be written, else in the user's cache folder, else in memory. Without ``catch_up``
        the read model is not brought up to date (``rebuild`` starts it over).
        """
        location = str(location)
        store = EventStore(location, create=create)
        try:
            return cls(store, _readmodel(store), catch_up=catch_up)
        except BaseException:
            store.close()
            raise

    @classmethod
    def in_memory(cls) -> Archive:
        return cls.open(MEMORY)

    def close(self) -> None:
        try:
            self.readmodel.close()
            for cut in getattr(self, "_recorded_cuts", {}).values():
                cut.close()
        finally:
            self.store.close()

    def as_recorded(self, recorded_as_of: str | datetime) -> Archive:
        """The archive exactly as it stood on ``recorded_as_of``: a date (the end of that day,
        UTC) or a date and time (ISO 8601). It answers every question (``as_of``, ``diff``,
        ``history``, an export) from the events recorded by then, and writes nothing; its
        states carry ``recorded_as_of`` (``timeline.recorded``)."""
        from timeline.recorded import as_recorded

        return as_recorded(self, recorded_as_of)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> int:
        """Catch the read model up with events written since (by us or anyone else)."""
        applied = self.readmodel.catch_up(self.store)
        position = self.readmodel.position
        if applied or position != self._position:
            # Another process sharing the read model may have applied the new events.
            self._forget()
            self._position = position
        return applied

    def poll(self) -> int:
        """Catch up, and say how many events are new to this object since it last looked —
        whoever applied them to the shared read model (another process, another window).

        Made to be called every second (the desktop app): an error another process's write
        causes for a moment (a lock, a page caught mid-write) is tried again quietly, and
        reported (``ArchiveError``) only when polls keep meeting it (``POLL_PATIENCE``).
        Any other failure is an ``ArchiveError`` at once."""
        before = self._position
        for attempt in range(self.POLL_ATTEMPTS):
            try:
                self.refresh()
                break
            except Exception as exc:
                if not is_transient(exc):
                    if isinstance(exc, STORAGE_ERRORS):
                        raise ArchiveError(f"{redact(self.store.location)}: cannot read the "
                                           f"archive ({exc})") from None
                    raise
                failure = exc
                if attempt + 1 < self.POLL_ATTEMPTS:
                    time.sleep(self.POLL_PAUSE * 2 ** attempt)
        else:
            self._poll_failures += 1
            if self._poll_failures < self.POLL_PATIENCE:
                return 0  # the next poll tries again
            self._poll_failures = 0
            raise ArchiveError(f"{redact(self.store.location)}: cannot read the archive "
                               f"({failure})") from None
        self._poll_failures = 0
        return max(0, self._position - before)

    def rebuild(self) -> int:
        """Recompute the read model from the events alone; returns the number of events.
        A read model too damaged to be emptied is moved aside and built anew."""
        try:
            self.readmodel.reset()
        except sqlite3.DatabaseError as exc:
            if type(exc) is not sqlite3.DatabaseError:  # locked, full, read-only: not damage
                raise ArchiveError(f"{self.readmodel.where}: the read model cannot be "
                                   f"rebuilt ({exc})") from None
            self.readmodel.discard()
        self._forget()
        return self.refresh()

    # --- names ------------------------------------------------------------------------------

    def _forget(self) -> None:
        self._names = self._predicates = None
        self._entities = {}
        self._tag_maps = None

    def _current(self) -> None:
        """Drop the caches of names when another connection (another process or window
        sharing the read model) has committed to it since they were filled. Our own catch-up
        goes through ``refresh``, which drops them itself."""
        seen = self.readmodel.data_version()
        if seen != self._seen:
            self._seen = seen
            self._forget()

    def _lookup(self, name: str) -> tuple[dict[str, Any], tuple[str, ...]]:
        """The entity a name stands for and the ids it covers (itself and every entity merged
        into it), cached: a question about an entity asks the read model nothing for it."""
        found = self._entities.get(name)
        if found is None:
            entity_id = self.readmodel.resolve(name)
            entity = self.readmodel.entity(entity_id) if entity_id is not None else None
            if entity_id is None or entity is None:
                raise unknown_entity(name, self.readmodel.all_names())
            found = (entity, tuple(self.readmodel.merged_ids(entity_id)))
            if len(self._entities) >= 10_000:
                self._entities = {}
            self._entities[name] = found
        return found

    @property
    def names(self) -> dict[str, str]:
        if self._names is None:
            self._names = self.readmodel.entity_names()
        return self._names

    @property
    def predicates(self) -> dict[str, tuple[str, str]]:
        """Each predicate's label and single side ("subject", "object", "both"; "" when it
        is multi-valued)."""
        if self._predicates is None:
            self._predicates = self.readmodel.predicates()
        return self._predicates

    def _singles(self) -> Sides:
        """The single side of each single-valued predicate (those inertia applies to)."""
        predicates = self.predicates
        if self._single_names is None or self._single_names[0] is not predicates:
            self._single_names = (predicates, Sides.from_predicates(predicates))
        return self._single_names[1]

    def suggest(self, name: str) -> list[str]:
        return close_names(name, self.readmodel.all_names())

    def entity(self, name: str) -> dict[str, Any]:
        """The entity a name or alias stands for; NotFound suggests near names."""
        self._current()
        return _copy_entity(self._lookup(name)[0])

    def entity_by_id(self, entity_id: str) -> dict[str, Any]:
        """An entity by its id (the entity it was merged into, when it was)."""
        found = self.readmodel.entity(self.canonical(entity_id)) if entity_id else None
        if found is None:
            raise NotFound(f"unknown entity id '{entity_id}'")
        return found

    def entities(self) -> list[dict[str, Any]]:
        return self.readmodel.entities()

    def sources(self) -> list[dict[str, Any]]:
        return self.readmodel.sources()

    def source(self, source_id: str) -> dict[str, Any]:
        found = self.readmodel.source(source_id)
        if found is None:
            raise NotFound(f"unknown source '{source_id}'")
        return found

    def source_versions(self, source_id: str) -> list[dict[str, Any]]:
        """Every version of the source ``source_id`` is one of (its first version and the
        later ones, ``add_source(version_of=...)``), in order of publication; NotFound for an
        unknown source. A source without versions is its only one."""
        found = self.readmodel.source_versions(source_id)
        if not found:
            raise NotFound(f"unknown source '{source_id}'")
        return found

    def source_as_known(self, source_id: str, known_as_of: str | int) -> dict[str, Any] | None:
        """The version of a source in force as known on ``known_as_of``: the last one
        published by then (a version published later was not yet known); None when none
        was. NotFound for an unknown source."""
        known = query_day(known_as_of, "known_as_of")
        published = [v for v in self.source_versions(source_id) if v["published_day"] <= known]
        return published[-1] if published else None

    def quote_page(self, source_id: str, quote: str) -> int | None:
        """The page of its source a quote is on (a PDF's: where the quote is first found in
        the text); None when the source has no pages or does not hold it."""
        found = self.readmodel.source(source_id)
        return quote_page(found["text"], found["pages"], quote) if found else None

    def claim(self, claim_id: str) -> ClaimRow:
        found = self.readmodel.claim(claim_id)
        if found is None:
            raise NotFound(f"unknown claim id '{claim_id}'")
        return found

    def all_names(self) -> list[str]:
        """Every entity name and alias, for completion."""
        return self.readmodel.all_names()

    def name_pairs(self) -> list[tuple[str, str]]:
        """Every entity name and alias with the name of the entity it stands for (after
        merges): what ``entities_in`` and ``complete_names`` look through."""
        self._current()  # the names cache, as another process may have changed them
        names, canonical = self.names, self.readmodel.canonical
        kept: dict[str, str] = {}
        out = []
        for name, entity_id in self.readmodel.db.execute(
                "SELECT name, entity_id FROM names ORDER BY name"):
            if entity_id not in kept:
                kept[entity_id] = names.get(canonical(entity_id), name)
            out.append((name, kept[entity_id]))
        return out

    def entity_ids(self, name: str) -> set[str]:
        """The ids a name stands for: its entity and every entity merged into it."""
        self._current()
        return set(self._lookup(name)[1])

    def canonical(self, entity_id: str) -> str:
        """The id an entity id stands for now (after merges)."""
        return self.readmodel.canonical(entity_id)

    def corrections(self, claim_id: str) -> list[dict[str, Any]]:
        """A claim's retractions, supersessions, reranks and restorations, in the order
        recorded, with who wrote each (``recorded_by``) and, for a withdrawal undone since,
        who undid it when (``undone_by``, ``undone_at``: ``undo.mark_undone``)."""
        return undoing.mark_undone(self.readmodel.corrections(claim_id, recorded_by=True))

    def statement(self, claim: ClaimRow) -> str:
        """The plain sentence for a claim, whatever its status on any day."""
        return statement(claim, self.names, self.predicates)

    def view(self, fact: Fact) -> FactView:
        return fact_view(fact, self.names, self.predicates)

    # --- queries ----------------------------------------------------------------------------

    def as_of(self, day: str | int, known_as_of: str | int | None = None,
              entities: Sequence[str] = (), tags: Sequence[str] = ()) -> State:
        """The state on ``day`` by everything known now, or as known on ``known_as_of``.

        With one entity: every fact whose subject or object it is, then every fact about its
        parts on ``day`` (``part_of``, transitively), each marked ``via`` its part. With two
        or more: the facts that link them (subject one of them, object another); no parts.
        With ``tags``: only the facts that have one of them (``timeline.tagging``). Each fact
        carries its tags (``FactView.tags``).
        """
        return self._as_of(day, known_as_of, entities, tags)

    def _as_of(self, day: str | int, known_as_of: str | int | None = None,
               entities: Sequence[str] = (), tags: Sequence[str] = (),
               recorded: int | None = None) -> State:
        """``as_of``; with ``recorded``, as recorded at that log position, which the caller
        has checked the read model can answer for (``timeline.recorded``)."""
        v = query_day(day, "date")
        r = query_day(known_as_of, "known_as_of") if known_as_of is not None else None
        wanted = tag_keys(tags) if tags else None
        self._current()
        looked = [self._lookup(name) for name in entities]
        groups = [frozenset(ids) for _, ids in looked] if looked else None
        known = KNOWN_NOW if r is None else r
        facts = facts_as_of(self.readmodel.conn, v, known, self._singles(), groups, recorded)
        views = fact_views(facts, self.names, self.predicates)
        if groups is not None and len(groups) == 1:  # one entity: its parts too, not a pair's
            views += self._through_parts(v, known, groups[0], facts, recorded)
        views = self._tagged(views, wanted)
        return State(v, r, tuple(_copy_entity(entity) for entity, _ in looked), tuple(views))

    def _tagged(self, views: list[FactView], wanted: frozenset[str] | None = None
                ) -> list[FactView]:
        """The views with their tags (as they are when nothing is tagged); only those with
        one of the tag keys ``wanted``, when given."""
        if self._tag_maps is None:
            self._tag_maps = self.readmodel.tag_maps()
        views = with_tags(views, self._tag_maps)
        return views if wanted is None else with_tag(views, wanted)

    def _through_parts(self, v: int, known: int, whole: frozenset[str],
                       own: list[Fact], recorded: int | None = None) -> list[FactView]:
        """The facts about the parts of an entity on ``v`` (``timeline.parts``), each marked
        with the part it comes through."""
        conn, singles = self.readmodel.conn, self._singles()
        found = parts.part_facts(own, whole,
                                 lambda ids: facts_as_of(conn, v, known, singles, [ids],
                                                         recorded),
                                 self._part_ids)
        return parts.through_parts(found, self.names, self.predicates) if found else []

    def _part_ids(self, entity_id: str) -> tuple[str, frozenset[str]]:
        """An entity id's canonical id and every id merged into that entity."""
        canonical = self.readmodel.canonical(entity_id)
        return canonical, frozenset(self.readmodel.merged_ids(canonical))

    def diff(self, day1: str | int, day2: str | int, known_as_of: str | int | None = None,
             entities: Sequence[str] = (), *, with_transitions: bool = True) -> Diff:
        """The states on ``day1`` and ``day2``, what differs between them, and — when
        ``day1`` is the earlier and ``with_transitions`` — every transition on the days
        between (``transitions``; refused, InvalidInput, on too many days)."""
        before = self.as_of(query_day(day1, "date1"), known_as_of, entities)
        after = self.as_of(query_day(day2, "date2"), known_as_of, entities)
        old = {fact_key(f): f for f in before.facts}
        new = {fact_key(f): f for f in after.facts}
        return Diff(
            before, after,
            began=tuple(f for i, f in new.items() if i not in old),
            ended=tuple(f for i, f in old.items() if i not in new),
            changed=tuple((old[i], f) for i, f in new.items()
                          if i in old and old[i].status != f.status),
            transitions=(between(self, before, after, entities)
                         if with_transitions and before.as_of < after.as_of else ()),
        )

    def transitions(self, day1: str | int, day2: str | int,
                    known_as_of: str | int | None = None, entities: Sequence[str] = (),
                    *, limit: int = MAX_DAYS) -> tuple[Transition, ...]:
        """Every fact that began, ended, changed status or became contested after ``day1``
        and up to ``day2``, each with its day, in day order (``timeline.transitions``).
        Refused (InvalidInput) when the state may change on more than ``limit`` days."""
        return day_by_day(self, day1, day2, known_as_of, entities, limit=limit)

    def change_days(self, after: int, through: int, known_as_of: int | None = None,
                    entities: Sequence[str] = ()) -> list[int]:
        """The days in (``after``, ``through``] on which the state as known on
        ``known_as_of`` (None: now) about ``entities`` may change: the claims' bounds there,
        found by the read model (``overview.change_days``). One entity's state holds the
        facts about its parts too: their claims count, for every entity that may be one of
        its parts (transitively) on a day of the range."""
        self._current()
        known = KNOWN_NOW if known_as_of is None else known_as_of
        ids = [i for name in entities for i in self._lookup(name)[1]] if entities else None
        if ids is not None and len(entities) == 1:
            ids = self._with_parts(ids, after, through, known)
        singles = sorted(name for name, (_, single) in self.predicates.items() if single)
        return overview.change_days(self.readmodel.conn, after, through, known, ids, singles)

    def change_points(self, after: int, through: int, known_as_of: int | None = None
                      ) -> dict[int, set[str]]:
        """For the whole archive: ``change_days``, each with the ids of the entities of the
        claims that have a bound on it (``overview.change_points``)."""
        known = KNOWN_NOW if known_as_of is None else known_as_of
        return overview.change_points(self.readmodel.conn, after, through, known)

    def facts_touching(self, day: int, known_as_of: int | None,
                       entity_ids: Collection[str]) -> list[FactView]:
        """The facts of the whole archive's state on ``day`` (as known on ``known_as_of``)
        that a one-entity selection of ``entity_ids`` takes — without parts — each with its
        status in the whole archive (a selection never changes a fact's status)."""
        self._current()
        known = KNOWN_NOW if known_as_of is None else known_as_of
        ids, conn, singles = sorted(entity_ids), self.readmodel.conn, self._singles()
        facts = [fact for first in range(0, len(ids), 500)
                 for fact in facts_as_of(conn, day, known, singles,
                                         [frozenset(ids[first:first + 500])])]
        return self._tagged(fact_views(facts, self.names, self.predicates))

    def _with_parts(self, ids: list[str], after: int, through: int, known: int) -> list[str]:
        """``ids`` and the ids of every entity that may be a part of them, transitively, on
        some day of (``after``, ``through``] as known on ``known`` (merged ids included)."""
        rm = self.readmodel
        found, frontier = list(ids), list(ids)
        seen = set(ids)
        while frontier:
            parts_found: set[str] = set()
            for first in range(0, len(frontier), 500):
                parts_found |= overview.part_subjects(rm.conn, frontier[first:first + 500],
                                                      parts.PART_OF, after, through, known)
            frontier = list(dict.fromkeys(i for part in sorted(parts_found - seen)
                                          for i in rm.merged_ids(rm.canonical(part))
                                          if i not in seen))
            seen.update(frontier)
            found += frontier
        return found

    def history(self, name: str) -> list[dict[str, Any]]:
        """Every claim about an entity, in valid-time order, with its corrections, its
        certainty, its citations (each with its source's short name, ``name``, unique within
        the history), the claim it gives another account of (``account_of``, or None) and its
        dates relative to other claims in words (``relative``, or None)."""
        entity = self.entity(name)
        rows = self.readmodel.claims_about(self.readmodel.merged_ids(entity["id"]))
        authors = self.readmodel.recorded_by([row.id for row in rows])
        names = source_names(self, (s for row in rows for s in claim_sources(row)))
        out = []
        for row in rows:
            out.append({
                "id": row.id, "valid": row.valid, "calendar": row.calendar,
                "statement": self.statement(row),
                "known_at": row.known_at, "certainty": row.certainty, "rank": row.rank,
                "withdrawn": row.withdrawn_day != POS_INF,
                "corrections": undoing.mark_undone(self.readmodel.corrections(
                    row.id, recorded_by=True)), "recorded_at": row.recorded_at,
                "sources": [{**c, "name": names[c["source"]]} for c in row.sources],
                "account_of": account_of(row), "recorded_by": authors.get(row.id),
                "relative": relative_words(self, row.id),
            })
        return out

    def relative_words(self, claim_id: str) -> str | None:
        """A claim's dates relative to other claims, in words ("end: 1 day after the start of
        “…” (id)"); None when its dates are not relative (timeline.relative)."""
        return relative_words(self, claim_id)

    # --- undo and redo (timeline.undo) -------------------------------------------------------

    def undo(self, *, dry_run: bool = False) -> undoing.UndoResult:
        """Undo the last thing the current author did, by recording its compensation."""
        return undoing.undo(self, dry_run=dry_run)

    def redo(self, *, dry_run: bool = False) -> undoing.UndoResult:
        """Redo what the current author undid last (the compensation of the undo)."""
        return undoing.redo(self, dry_run=dry_run)

    def undo_redo(self) -> tuple[str | None, str | None]:
        """What ``undo`` and ``redo`` would undo and redo now (None: nothing)."""
        return undoing.next_acts(self)

    def claim_views(self, entity: str | None = None, *, withdrawn: bool = False,
                    tags: Sequence[str] = ()) -> list[FactView]:
        """Every claim (about ``entity`` and what was merged into it, when given) in
        valid-time order, each as a fact outside any state: no status, the rank in force now.
        Withdrawn (retracted or superseded) claims only when ``withdrawn``; with ``tags``,
        only the claims that have one of them (on the claim, or on a source it cites)."""
        wanted = tag_keys(tags) if tags else None
        self._current()
        rm = self.readmodel
        rows = (rm.claims_about(rm.merged_ids(self.entity(entity)["id"])) if entity is not None
                else rm.all_claims())
        conn = rm.conn
        return self._tagged([self.view(Fact(row, "", dates.Status.NOT,
                                            rank_on(conn, row, KNOWN_NOW), row.end_lo,
                                            row.end_hi))
                             for row in rows if withdrawn or row.withdrawn_day == POS_INF],
                            wanted)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """The claims, sources and entities whose words hold every word of ``text`` (the last
        also as the start of a word), over the whole archive, best first (bm25), at most
        ``limit`` (``timeline.searching``). Withdrawn claims are found, marked. InvalidInput
        for a text with no word, or too long."""
        return search(self, text, limit)

    # --- tags -------------------------------------------------------------------------------

    def tags(self, kind: str | None = None, target_id: str | None = None
             ) -> list[dict[str, str]]:
        """Every tag put on a claim or a source — on ``kind`` ("claim" or "source") and on
        the one ``target_id`` when given — in the order they were put on, each as
        ``{"kind", "id", "tag"}``. NotFound for a ``target_id`` the archive does not hold."""
        if kind is not None and kind not in ("claim", "source"):
            raise InvalidInput(f"a tag goes on a claim or a source, not {kind!r}", "kind")
        if target_id is not None and kind is not None:
            self.claim(target_id) if kind == "claim" else self.source(target_id)
        return [{"kind": k, "id": i, "tag": t}
                for k, i, t in self.readmodel.tag_rows(kind, target_id)]

    def all_tags(self) -> list[dict[str, Any]]:
        """Every tag once (spelt as it was first put on), with how many claims and sources
        have it, in the order of their keys: ``{"tag", "claims", "sources"}``."""
        return self.readmodel.tag_counts()

    def timeline(self) -> list[ClaimRow]:
        """Every claim in valid-time order (for event lists and density strips)."""
        return self.readmodel.all_claims()

    def span(self) -> tuple[int, int] | None:
        return self.readmodel.span()

    def statistics(self) -> dict[str, int]:
        counts = self.readmodel.counts()
        counts["events"] = self.store.max_position()
        return counts

