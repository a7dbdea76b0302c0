"""The window's view state, without Qt: one archive, the two dates, the selection, the filter,
and the rows the views show.

Every view shows this one state, so a slider move costs exactly one ``archive.as_of`` call
however many views show its answer. Nothing here decides what holds: that is the engine's
answer (``timeline.api``), passed on as it is.

A large archive (more than ``focus_above`` claims) is shown one entity at a time: the
selected entity is then the *focus* — there always is one, at first the entity with the most
claims — and the state is the focus' facts (``archive.as_of(day, known, [focus])``), which the
graph draws as the focus and its neighbours. The whole world on every slider move would be
thousands of facts. Archive-wide figures (moments per day for the density strip, the last
day the record changed) are then counted apart, on a read-only connection of their own
(``count_apart``), by whoever runs this state (``gui.session`` uses a worker thread).

Each method that changes something returns what changed (a :class:`Change`), so that
``gui.session.Session``, the thin Qt adapter around this class, emits exactly the signals
for it. This module imports no Qt (a test and a contract in pyproject.toml check it).
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from gui import formatting
from gui.archive_apart import ArchiveApart
from timeline.api import (
    Archive,
    Claim,
    FactView,
    MomentKey,
    NotFound,
    State,
    accounts_of,
    busiest_entities,
    claim_count,
    connect,
    instant_text,
    latest_known_day,
    moment_counts,
    moment_keys,
    readmodel_file,
    short_source_names,
)

#: Archives with more claims than this are shown one entity (the focus) at a time.
FOCUS_ABOVE_CLAIMS = 5000
#: How many states (per day, known day and focus) are kept for moves back to a day.
STATES_KEPT = 32

#: Moments per day, ``(day, count)`` in day order, and the last day the record changed.
Counts = tuple[list[tuple[int, int]], int | None]


class Change(enum.Flag):
    """What a change to the view state changed (the adapter's signals, one each)."""

    NONE = 0
    #: Another archive, or new events in it: timelines, lists and counts must be reloaded.
    ARCHIVE = enum.auto()
    #: The selected entity (on a large archive: the focus).
    ENTITY = enum.auto()
    #: The filter's text, or what it names.
    FILTER = enum.auto()
    #: The state on the current dates.
    STATE = enum.auto()
    #: The selected fact.
    FACT = enum.auto()
    #: The archive-wide counts are in.
    COUNTS = enum.auto()


def count_apart(path: Path) -> Counts:
    """The archive-wide counts, on a read-only connection of their own to the read model file
    (safe in a worker thread)."""
    conn = connect(path)
    try:
        return moment_counts(conn), latest_known_day(conn)
    finally:
        conn.close()


def _with_via(fact: FactView, answer: FactView) -> FactView:
    """A fact of the whole archive's state, marked with the part of the selected entity it
    comes through in that entity's answer (``answer``), if it does."""
    if answer.via is None:
        return fact
    return replace(fact, via=answer.via, via_status=answer.via_status)


class ViewState:
    """The app's view state: plain Python, driven by the Qt adapter and by tests."""

    def __init__(self, archive: Archive, path: Path | str | None = None, *,
                 focus_above: int = FOCUS_ABOVE_CLAIMS, states_kept: int = STATES_KEPT
                 ) -> None:
        self.archive = archive
        #: Where the archive is: a file, a team archive's URL, or None (in memory).
        self.path = path
        self.focus_above = focus_above
        self.states_kept = states_kept
        #: How many claims the archive holds.
        self.claims = 0
        #: Whether the archive is shown one entity (the focus) at a time.
        self.focused = False
        #: The selected entity's canonical name (the focus, on a large archive), or None.
        self.entity: str | None = None
        #: The selected fact, or None.
        self.fact: FactView | None = None
        #: The slider's day, and the "as known on" day (None: everything recorded).
        self.as_of = 0
        self.known_as_of: int | None = None
        #: The moment the archive is shown as recorded on (UTC; None: everything recorded).
        self.recorded_as_of: datetime | None = None
        #: The state panel's filter as typed (stripped), and the entity it names, if any.
        self.filter_text = ""
        self.filter_entity: str | None = None
        #: The tag filter: the state holds only the facts with one of these tags (none: all).
        self.tags: tuple[str, ...] = ()
        #: The archive-wide counts (None while they are counted apart).
        self.counts: list[tuple[int, int]] | None = None
        self.latest_known: int | None = None
        #: Bumped whenever the counts are asked for again: an older count is ignored.
        self.generation = 0
        self._count_file: Path | None = None
        self._apart: ArchiveApart | None = None
        self._timeline: list[Claim] | None = None
        self._keys: list[MomentKey] | None = None
        self._span: tuple[int, int] | None = None
        self._source_names: dict[str, str] | None = None
        self._states: OrderedDict[tuple[int, int | None, str | None], State] = OrderedDict()
        self._open()
        self.state: State = self._query()

    def _open(self) -> None:
        """Decide how to show the archive (whole, or one entity at a time) and count it."""
        self.claims = claim_count(self.archive)
        self.focused = self.claims > self.focus_above
        self.entity = self._default_focus() if self.focused else None
        self.as_of = self.span()[1]
        self._recount()

    def _default_focus(self) -> str | None:
        """The entity with the most claims: a large archive never opens on an empty window."""
        busiest = busiest_entities(self.archive, 1)
        if not busiest:
            return None
        try:
            return str(self.archive.entity_by_id(busiest[0][0])["name"])
        except NotFound:  # pragma: no cover - an id the read model no longer has
            return None

    def _forget(self) -> None:
        """Drop everything computed from the archive's events."""
        self._timeline = None
        self._keys = None
        self._span = None
        self._source_names = None
        self._states.clear()

    # --- the archive ------------------------------------------------------------------------

    def replace_archive(self, archive: Archive, path: Path | str | None) -> Change:
        """Show another archive; the old one is closed."""
        old = self.archive
        self.archive, self.path = archive, path
        self._forget()
        self.fact = None
        self.known_as_of = None
        self.recorded_as_of = None
        self.tags = ()  # another archive's tags
        if old is not archive:
            old.close()
        self.close_apart()
        self._open()
        self._resolve_filter()
        self.state = self._query()
        return Change.ARCHIVE | Change.ENTITY | Change.FILTER | Change.STATE | Change.FACT

    def reload(self) -> Change:
        """Catch up with events written since (by a dialog here, an import worker, or another
        program writing the same archive)."""
        self.archive.refresh()
        self._forget()
        self.claims = claim_count(self.archive)
        changes = Change.ARCHIVE | Change.STATE
        entity = self.entity
        if entity is not None:
            try:
                entity = self.archive.entity(entity)["name"]
            except NotFound:
                entity = None
        if self.focused and entity is None:
            entity = self._default_focus()
        if entity != self.entity:
            self.entity = entity
            changes |= Change.ENTITY
        self._recount()
        if self._resolve_filter():
            changes |= Change.FILTER
        self.state = self._query()
        if self.fact is not None:
            changes |= self.select_claim(self.fact.claim.id)
        return changes

    def timeline(self) -> list[Claim]:
        """Every claim in valid-time order, cached until the archive changes (every claim as
        a Python row: for small archives and tests; the views use the keys and counts
        below)."""
        if self._timeline is None:
            self._timeline = self.archive.timeline()
        return self._timeline

    def statement(self, claim: Claim) -> str:
        """The engine's sentence for a claim, whatever its status on any day."""
        return self.archive.statement(claim)

    def statement_of(self, claim_id: str) -> str:
        """A claim's sentence: from the state shown, else from the archive (its id when the
        archive does not hold it)."""
        shown = self.fact_for(claim_id)
        if shown is not None and shown.claim.id == claim_id:
            return shown.statement
        try:
            return self.statement(self.archive.claim(claim_id))
        except NotFound:
            return claim_id

    def source_name(self, source_id: str) -> str:
        """A source's short name ("Varga out at Halden"; the engine's, unique within the
        archive), its id when the archive does not hold it; kept until the archive changes."""
        if self._source_names is None:
            self._source_names = short_source_names(
                {s["id"]: str(s["title"]) for s in self.archive.sources()})
        return self._source_names.get(source_id, source_id)

    def span(self) -> tuple[int, int]:
        """The archive's first and last day; the year up to today when it is empty (kept
        until the archive changes: on a large archive it is a scan of every claim)."""
        if self._span is None:
            self._span = self.archive.span()
        found = self._span
        if found is None:
            end = formatting.today()
            return end - 365, end
        return found

    # --- rows: the moments of the event list ------------------------------------------------

    def scope_ids(self) -> list[str] | None:
        """The entity ids the views follow (the focus and what was merged into it), or None
        for the whole archive."""
        if not self.focused or self.entity is None:
            return None
        return sorted(self.archive.entity_ids(self.entity))

    def moment_keys(self) -> list[MomentKey]:
        """The moments the event list shows (the focus', or the whole archive's), in order;
        three integers each, cached until the archive or the focus changes."""
        if self._keys is None:
            self._keys = moment_keys(self.archive, self.scope_ids())
        return self._keys

    def event_days(self) -> list[int]:
        """The distinct days of ``moment_keys``, sorted: where previous/next event go."""
        return sorted({k.day for k in self.moment_keys()})

    # --- archive-wide counts ----------------------------------------------------------------

    def _recount(self) -> None:
        """Count the archive-wide figures again: at once for a small archive (or one in
        memory), else leave them to be counted apart (``count_file``)."""
        self.generation += 1
        self.counts = None
        self._count_file = None
        path = readmodel_file(self.archive)
        if not self.focused or path is None:
            self.counts = moment_counts(self.archive)
            self.latest_known = latest_known_day(self.archive)
        else:
            self._count_file = path

    def count_file(self) -> Path | None:
        """The read model file to count on apart (``count_apart``) while the counts are not
        in; None when they are."""
        return self._count_file if self.counts is None else None

    def counted(self, generation: int, found: Counts | BaseException) -> Change:
        """The counts made apart for ``generation`` (an exception: they failed; the views
        work without them). An older generation's are ignored."""
        if generation != self.generation:
            return Change.NONE  # the archive changed meanwhile
        if isinstance(found, BaseException):
            self.counts = []  # an empty strip
        else:
            self.counts, self.latest_known = found
        self._count_file = None
        return Change.COUNTS

    # --- dates ------------------------------------------------------------------------------

    def set_as_of(self, day: int) -> Change:
        return self.set_dates(day, self.known_as_of)

    def set_known_as_of(self, day: int | None) -> Change:
        return self.set_dates(self.as_of, day)

    def set_dates(self, as_of: int, known_as_of: int | None) -> Change:
        if (as_of, known_as_of) == (self.as_of, self.known_as_of):
            return Change.NONE
        self.as_of, self.known_as_of = as_of, known_as_of
        self.state = self._query()
        return Change.STATE

    def set_recorded_as_of(self, moment: datetime | None) -> Change:
        """Show the archive as it stood at ``moment`` (UTC; None: everything recorded): only
        what was recorded by then, merges and aliases included (``Archive.as_recorded``)."""
        if moment == self.recorded_as_of:
            return Change.NONE
        self.recorded_as_of = moment
        return self._asked_anew()

    def _asked_anew(self) -> Change:
        """The states kept for other days answer another question now: forget them, and ask
        the state on the current day again."""
        self._states.clear()
        self.state = self._query()
        return Change.STATE

    def read_only(self) -> str | None:
        """Why the archive cannot be changed from this view, in words; None when it can.

        Shown as recorded on a past moment, the archive is an old version of itself, as in a
        document's version history: a write would go to the archive as it is now, and the
        view that made it would hide it. So the view is read-only until "As recorded on" is
        turned off."""
        if self.recorded_as_of is None:
            return None
        when = formatting.moment_words(instant_text(self.recorded_as_of))
        return (f"The archive is shown as recorded on {when}: turn off “As recorded on” to "
                "change it")

    def recorded_later(self) -> int:
        """How many events were recorded after ``recorded_as_of`` (hidden; 0 when off)."""
        return int(getattr(self.reader(), "later", 0)) if self.recorded_as_of else 0

    def apart(self) -> ArchiveApart | None:
        """The archive opened again for a worker thread (``gui.archive_apart``), made on
        first use and kept until the archive is replaced; None for an archive only this
        object holds (in memory, or with its read model in memory)."""
        if self._apart is None and self.path is not None \
                and readmodel_file(self.archive) is not None:
            self._apart = ArchiveApart(self.path)
        return self._apart

    def close_apart(self) -> None:
        """Close the archive opened for worker threads (once their work is done)."""
        if self._apart is not None:
            self._apart.close()
            self._apart = None

    def reader(self) -> Archive:
        """The archive the state is asked of: as recorded on ``recorded_as_of`` when set."""
        if self.recorded_as_of is None:
            return self.archive
        return self.archive.as_recorded(self.recorded_as_of)

    def _query(self) -> State:
        """The state the views show: the whole archive's, or the focus'. The last few are
        kept (a drag back and forth, a replay started again) until the archive changes."""
        focus = self.entity if self.focused else None
        key = (self.as_of, self.known_as_of, focus)
        state = self._states.get(key)
        if state is None:
            state = self._ask(focus)
            self._states[key] = state
            if len(self._states) > self.states_kept:
                self._states.popitem(last=False)
        else:
            self._states.move_to_end(key)
        return state

    def _ask(self, focus: str | None) -> State:
        reader = self.reader()
        try:
            return reader.as_of(self.as_of, self.known_as_of, [focus] if focus else [],
                                self.tags)
        except NotFound:
            if reader is self.archive:
                raise
            # The focus was not yet recorded then: an empty state, as recorded then.
            return State(self.as_of, self.known_as_of, (), (),
                         recorded_as_of=getattr(reader, "recorded_as_of", None))

    def cached_states(self) -> list[tuple[int, int | None, str | None]]:
        """The keys (day, known day, focus) of the states kept, least recently used first."""
        return list(self._states)

    def query(self, entities: Sequence[str]) -> State:
        """The state on the current dates, narrowed to entities as the engine narrows it."""
        try:
            return self.reader().as_of(self.as_of, self.known_as_of, entities)
        except NotFound:
            if self.recorded_as_of is None:
                raise
            return replace(self.state, facts=())  # not yet recorded then

    # --- selection --------------------------------------------------------------------------

    def select_entity(self, name: str | None) -> Change:
        """Select an entity by any of its names (None: no selection). Raises NotFound.

        On a large archive this moves the focus (and the state with it); there always is a
        focus, so None changes nothing."""
        canonical = self.archive.entity(name)["name"] if name else None
        if canonical == self.entity or (self.focused and canonical is None):
            return Change.NONE
        self.entity = canonical
        if not self.focused:
            return Change.ENTITY
        self._keys = None
        self.state = self._query()
        return Change.ENTITY | Change.STATE

    def select_fact(self, fact: FactView | None) -> Change:
        old = self.fact
        same = (fact is None and old is None) or (
            fact is not None and old is not None and fact.claim.id == old.claim.id
            and fact.status == old.status)
        self.fact = fact
        return Change.NONE if same else Change.FACT

    def fact_for(self, claim_id: str) -> FactView | None:
        """The claim's fact in the current state — the fact it is, or the fact it is one of
        the accounts of — or None."""
        facts = self.state.facts
        found = next((f for f in facts if f.claim.id == claim_id), None)
        if found is None:
            found = next((f for f in facts if f.fact.accounts and any(
                a.claim.id == claim_id for a in accounts_of(f.fact))), None)
        return found

    def select_claim(self, claim_id: str) -> Change:
        """Select a claim's fact in the current state (or clear when it is not part of it)."""
        return self.select_fact(self.fact_for(claim_id))

    # --- the filter and the facts shown -----------------------------------------------------

    def set_tags(self, tags: Sequence[str]) -> Change:
        """Show only the facts with one of ``tags`` (on their claim or a source they cite;
        none: every fact): the state itself is narrowed, so the graph shows them too."""
        wanted = tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))
        if wanted == self.tags:
            return Change.NONE
        self.tags = wanted
        return self._asked_anew()

    def all_tags(self) -> list[str]:
        """Every tag of the archive, once each (for the tag filter and completion)."""
        return [str(t["tag"]) for t in self.archive.all_tags()]

    def set_filter(self, text: str) -> Change:
        """Filter the facts shown by text: words of their sentences, or a name or an alias
        of an entity (then every fact about it)."""
        text = text.strip()
        if text == self.filter_text:
            return Change.NONE
        self.filter_text = text
        self._resolve_filter()
        return Change.FILTER

    def _resolve_filter(self) -> bool:
        """Which entity the filter names, if any (the engine resolves names and aliases);
        True if that changed."""
        entity = None
        if self.filter_text:
            try:
                entity = self.archive.entity(self.filter_text)["name"]
            except NotFound:
                entity = None
        changed = entity != self.filter_entity
        self.filter_entity = entity
        return changed

    def visible_facts(self, state: State | None = None) -> list[FactView]:
        """The facts of the state (the current one by default) that pass the selection and
        the filter, in the order shown (which facts are about an entity is the engine's
        answer)."""
        state = self.state if state is None else state
        facts = list(state.facts)
        entity = self.entity
        if entity and self.focused:
            # The focus' state is about it already; its own facts come first, then what
            # others say of it (each group in the engine's order).
            facts.sort(key=lambda f: f.subject != entity)
        elif entity:
            # The entity's facts, and its parts' (each keeps the part it comes through).
            about = {f.claim.id: f for f in self.query([entity]).facts}
            facts = [_with_via(f, about[f.claim.id]) for f in facts if f.claim.id in about]
        if self.filter_text:
            needle = self.filter_text.casefold()
            named: set[str] = set()
            if self.filter_entity:
                named = {f.claim.id for f in self.query([self.filter_entity]).facts}
            facts = [f for f in facts if f.claim.id in named or needle in f.statement.casefold()]
        return facts
