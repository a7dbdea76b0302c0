"""The window's shared state: one archive, the two dates, the selection.

Every view listens to this object instead of to each other, so a slider move costs exactly one
``archive.as_of`` call however many views show its answer. Nothing here decides what holds:
that is the engine's answer, passed on as it is.

A large archive (more than ``focus_above`` claims) is shown one entity at a time: the
selected entity is then the *focus* — there always is one, at first the entity with the most
claims — and the state is the focus' facts (``archive.as_of(day, known, [focus])``), which the
graph draws as the focus and its neighbours. The whole world on every slider move would be
thousands of facts. Archive-wide figures (moments per day for the density strip, the last
day the record changed) are then counted by SQL in a worker thread (``overview_changed``).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from gui import formatting
from timeline import overview
from timeline.app import Archive, FactView, State
from timeline.errors import NotFound
from timeline.overview import MomentKey
from timeline.readmodel import ClaimRow

#: Archives with more claims than this are shown one entity (the focus) at a time.
FOCUS_ABOVE_CLAIMS = 5000
#: How many states (per day, known day and focus) are kept for moves back to a day.
STATES_KEPT = 32


class Session(QObject):
    #: The state on the current dates (after every date change and every write).
    state_changed = Signal(object)
    #: New events (a correction, an import) or another archive: timelines must be reloaded.
    archive_changed = Signal()
    #: The selected entity's canonical name, or None.
    entity_selected = Signal(object)
    #: The selected fact (a FactView), or None.
    fact_selected = Signal(object)
    #: The archive-wide counts (``moment_counts``, ``latest_known_day``) were (re)computed.
    overview_changed = Signal()
    _overview_computed = Signal(int, object)  # from the worker thread: generation, result

    def __init__(self, archive: Archive, path: Path | str | None = None, *,
                 focus_above: int = FOCUS_ABOVE_CLAIMS) -> None:
        super().__init__()
        self._archive = archive
        self.path = path
        self.focus_above = focus_above
        self._timeline: list[ClaimRow] | None = None
        self._keys: list[MomentKey] | None = None
        self._span: tuple[int, int] | None = None
        self._states: OrderedDict[tuple[int, int | None, str | None], State] = OrderedDict()
        self._counts: list[tuple[int, int]] | None = None
        self._latest_known: int | None = None
        self._generation = 0
        self.claims = 0
        self.focused = False
        self.entity: str | None = None
        self.fact: FactView | None = None
        self.known_as_of: int | None = None
        self._overview_computed.connect(self._on_overview_computed)
        self._open()
        self.state: State = self._query()

    def _open(self) -> None:
        """Decide how to show the archive (whole, or one entity at a time) and count it."""
        self.claims = overview.claim_count(self._archive)
        self.focused = self.claims > self.focus_above
        self.entity = self._default_focus() if self.focused else None
        self.as_of = self.span()[1]
        self._count()

    def _default_focus(self) -> str | None:
        """The entity with the most claims: a large archive never opens on an empty window."""
        busiest = overview.busiest_entities(self._archive, 1)
        if not busiest:
            return None
        entity_id = self._archive.canonical(busiest[0][0])
        return self._archive.names.get(entity_id)

    # --- the archive ------------------------------------------------------------------------

    @property
    def archive(self) -> Archive:
        return self._archive

    def replace_archive(self, archive: Archive, path: Path | str | None) -> None:
        """Show another archive; the old one is closed."""
        old = self._archive
        self._archive, self.path = archive, path
        self._timeline = None
        self._keys = None
        self._states.clear()
        self._span = None
        self.fact = None
        self.known_as_of = None
        if old is not archive:
            old.close()
        self._open()
        self.state = self._query()
        self.archive_changed.emit()
        self.entity_selected.emit(self.entity)
        self.fact_selected.emit(None)
        self._update()

    def reload(self) -> None:
        """Catch up with events written since (by a dialog here, an import worker, or another
        program writing the same archive)."""
        self._archive.refresh()
        self._timeline = None
        self._keys = None
        self._states.clear()
        self._span = None
        self.claims = overview.claim_count(self._archive)
        if self.entity is not None:
            try:
                self.entity = self._archive.entity(self.entity)["name"]
            except NotFound:
                self.entity = None
        if self.focused and self.entity is None:
            self.entity = self._default_focus()
        self._count()
        self.archive_changed.emit()
        self._update()
        if self.fact is not None:
            self.select_claim(self.fact.claim.id)

    def timeline(self) -> list[ClaimRow]:
        """Every claim in valid-time order, cached until the archive changes (every claim as
        a Python row: for small archives and tests; the views use the pages and counts
        below)."""
        if self._timeline is None:
            self._timeline = self._archive.timeline()
        return self._timeline

    # --- overview: counts and pages instead of every claim ------------------------------------

    def scope_ids(self) -> list[str] | None:
        """The entity ids the views follow (the focus and what was merged into it), or None
        for the whole archive."""
        if not self.focused or self.entity is None:
            return None
        return sorted(self._archive.entity_ids(self.entity))

    def moment_keys(self) -> list[MomentKey]:
        """The moments the event list shows (the focus', or the whole archive's), in order;
        three integers each, cached until the archive or the focus changes."""
        if self._keys is None:
            self._keys = overview.moment_keys(self._archive, self.scope_ids())
        return self._keys

    def event_days(self) -> list[int]:
        """The distinct days of ``moment_keys``, sorted: where previous/next event go."""
        return sorted({k.day for k in self.moment_keys()})

    def moment_counts(self) -> list[tuple[int, int]] | None:
        """Moments per day over the whole archive (None while a worker counts them)."""
        return self._counts

    def latest_known_day(self) -> int | None:
        """The last day the record changed (None when unknown yet, or no claim)."""
        return self._latest_known

    def _count(self) -> None:
        """The archive-wide counts: at once for a small archive (or one in memory), else in a
        worker thread on a read-only connection of its own; ``overview_changed`` tells."""
        self._generation += 1
        generation = self._generation
        self._counts = None
        path = overview.readmodel_file(self._archive)
        if not self.focused or path is None:
            self._counts = overview.moment_counts(self._archive)
            self._latest_known = overview.latest_known_day(self._archive)
            return

        def work() -> None:
            found: object
            try:
                conn = overview.connect(path)
                try:
                    found = (overview.moment_counts(conn), overview.latest_known_day(conn))
                finally:
                    conn.close()
            except Exception as exc:  # noqa: BLE001 - reported to the GUI thread
                found = exc
            with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
                self._overview_computed.emit(generation, found)

        QThreadPool.globalInstance().start(work)

    def _on_overview_computed(self, generation: int, found: object) -> None:
        if generation != self._generation:
            return  # an older count (the archive changed meanwhile)
        if isinstance(found, tuple):
            self._counts, self._latest_known = found
        else:
            self._counts = []  # an empty strip; the views work without it
        self.overview_changed.emit()

    def wait_for_overview(self, timeout_ms: int = 60000) -> bool:
        """Block until the worker's counts are in (for tests, benchmarks and screenshots)."""
        if self._counts is not None:
            return True
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self._counts is None and clock.elapsed() < timeout_ms:
            QThreadPool.globalInstance().waitForDone(50)
            QCoreApplication.processEvents()
        return self._counts is not None

    def statement(self, claim: ClaimRow) -> str:
        """The engine's sentence for a claim, whatever its status on any day."""
        return self._archive.statement(claim)

    def span(self) -> tuple[int, int]:
        """The archive's first and last day; the year up to today when it is empty (kept
        until the archive changes: on a large archive it is a scan of every claim)."""
        if self._span is None:
            self._span = self._archive.span()
        found = self._span
        if found is None:
            end = formatting.today()
            return end - 365, end
        return found

    # --- dates ------------------------------------------------------------------------------

    def set_as_of(self, day: int) -> None:
        if day != self.as_of:
            self.as_of = day
            self._update()

    def set_known_as_of(self, day: int | None) -> None:
        if day != self.known_as_of:
            self.known_as_of = day
            self._update()

    def set_dates(self, as_of: int, known_as_of: int | None) -> None:
        if (as_of, known_as_of) != (self.as_of, self.known_as_of):
            self.as_of, self.known_as_of = as_of, known_as_of
            self._update()

    def _update(self) -> None:
        self.state = self._query()
        self.state_changed.emit(self.state)

    def _query(self) -> State:
        """The state the views show: the whole archive's, or the focus'. The last few are
        kept (a drag back and forth, a replay started again) until the archive changes."""
        focus = self.entity if self.focused else None
        key = (self.as_of, self.known_as_of, focus)
        state = self._states.get(key)
        if state is None:
            state = self._archive.as_of(self.as_of, self.known_as_of, [focus] if focus else [])
            self._states[key] = state
            if len(self._states) > STATES_KEPT:
                self._states.popitem(last=False)
        else:
            self._states.move_to_end(key)
        return state

    def query(self, entities: Sequence[str]) -> State:
        """The state on the current dates, narrowed to entities as the engine narrows it."""
        return self._archive.as_of(self.as_of, self.known_as_of, entities)

    # --- selection --------------------------------------------------------------------------

    def select_entity(self, name: str | None) -> None:
        """Select an entity by any of its names (None: no selection). Raises NotFound.

        On a large archive this moves the focus (the state is queried again before anyone
        hears of it); there always is a focus, so None changes nothing."""
        canonical = self._archive.entity(name)["name"] if name else None
        if canonical == self.entity or (self.focused and canonical is None):
            return
        self.entity = canonical
        if self.focused:
            self._keys = None
            self.state = self._query()
        self.entity_selected.emit(canonical)
        if self.focused:
            self.state_changed.emit(self.state)

    def select_fact(self, fact: FactView | None) -> None:
        same = (fact is None and self.fact is None) or (
            fact is not None and self.fact is not None and fact.claim.id == self.fact.claim.id
            and fact.status == self.fact.status)
        self.fact = fact
        if not same:
            self.fact_selected.emit(fact)

    def fact_for(self, claim_id: str) -> FactView | None:
        return next((f for f in self.state.facts if f.claim.id == claim_id), None)

    def select_claim(self, claim_id: str) -> None:
        """Select a claim's fact in the current state (or clear when it is not part of it)."""
        self.select_fact(self.fact_for(claim_id))
