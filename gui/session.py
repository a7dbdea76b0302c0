"""The window's shared state as Qt signals: a thin QObject adapter over
:class:`gui.view_state.ViewState`.

Every view listens to this object instead of to each other. The state itself (the archive,
the two dates, the selection, the filter, the focus of a large archive, the states kept) and
every decision about it live in the Qt-free view state; this adapter calls it, and emits one
signal for each thing that changed. It also counts a large archive's archive-wide figures in
a worker thread (``overview_changed`` tells when they are in).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from gui.archive_apart import ArchiveApart
from gui.view_state import FOCUS_ABOVE_CLAIMS, STATES_KEPT, Change, ViewState, count_apart
from timeline.api import Archive, Claim, FactView, MomentKey, State

__all__ = ["FOCUS_ABOVE_CLAIMS", "STATES_KEPT", "Session"]


class Session(QObject):
    #: The state on the current dates (after every date change and every write).
    state_changed = Signal(object)
    #: New events (a correction, an import) or another archive: timelines must be reloaded.
    archive_changed = Signal()
    #: The selected entity's canonical name, or None.
    entity_selected = Signal(object)
    #: The selected fact (a FactView), or None.
    fact_selected = Signal(object)
    #: The state panel's filter text (stripped) or the entity it names changed.
    filter_changed = Signal(str)
    #: The archive-wide counts (``moment_counts``, ``latest_known_day``) were (re)computed.
    overview_changed = Signal()
    _overview_computed = Signal(int, object)  # from the worker thread: generation, result

    def __init__(self, archive: Archive, path: Path | str | None = None, *,
                 focus_above: int = FOCUS_ABOVE_CLAIMS) -> None:
        super().__init__()
        self.view = ViewState(archive, path, focus_above=focus_above)
        self._overview_computed.connect(self._on_overview_computed)
        self._count()

    def _emit(self, changes: Change) -> None:
        """One signal per change, in the order the views rely on: a new archive first, then
        the selected entity, the filter, the state, and the selected fact last (it is looked
        up in the state the views already show)."""
        view = self.view
        if Change.ARCHIVE in changes:
            self.archive_changed.emit()
        if Change.ENTITY in changes:
            self.entity_selected.emit(view.entity)
        if Change.FILTER in changes:
            self.filter_changed.emit(view.filter_text)
        if Change.STATE in changes:
            self.state_changed.emit(view.state)
        if Change.FACT in changes:
            self.fact_selected.emit(view.fact)
        if Change.COUNTS in changes:
            self.overview_changed.emit()

    # --- the view state, read -----------------------------------------------------------------

    @property
    def archive(self) -> Archive:
        return self.view.archive

    @property
    def path(self) -> Path | str | None:
        return self.view.path

    @property
    def focus_above(self) -> int:
        return self.view.focus_above

    @property
    def claims(self) -> int:
        return self.view.claims

    @property
    def focused(self) -> bool:
        return self.view.focused

    @property
    def entity(self) -> str | None:
        return self.view.entity

    @property
    def fact(self) -> FactView | None:
        return self.view.fact

    @property
    def as_of(self) -> int:
        return self.view.as_of

    @property
    def known_as_of(self) -> int | None:
        return self.view.known_as_of

    @property
    def recorded_as_of(self) -> datetime | None:
        """The moment the archive is shown as recorded on (UTC), or None: everything."""
        return self.view.recorded_as_of

    @property
    def state(self) -> State:
        return self.view.state

    @property
    def filter_text(self) -> str:
        return self.view.filter_text

    @property
    def filter_entity(self) -> str | None:
        return self.view.filter_entity

    @property
    def tags(self) -> tuple[str, ...]:
        """The tag filter (``ViewState.set_tags``)."""
        return self.view.tags

    def read_only(self) -> str | None:
        """Why the view cannot change the archive now (``ViewState.read_only``), or None."""
        return self.view.read_only()

    def reader(self) -> Archive:
        """The archive the state is asked of: as recorded on ``recorded_as_of`` when set."""
        return self.view.reader()

    def apart(self) -> ArchiveApart | None:
        """The archive opened again for a worker thread (``ViewState.apart``), or None."""
        return self.view.apart()

    def close_apart(self) -> None:
        self.view.close_apart()

    def recorded_later(self) -> int:
        return self.view.recorded_later()

    def timeline(self) -> list[Claim]:
        return self.view.timeline()

    def statement(self, claim: Claim) -> str:
        return self.view.statement(claim)

    def span(self) -> tuple[int, int]:
        return self.view.span()

    def scope_ids(self) -> list[str] | None:
        return self.view.scope_ids()

    def moment_keys(self) -> list[MomentKey]:
        return self.view.moment_keys()

    def event_days(self) -> list[int]:
        return self.view.event_days()

    def query(self, entities: Sequence[str]) -> State:
        return self.view.query(entities)

    def fact_for(self, claim_id: str) -> FactView | None:
        return self.view.fact_for(claim_id)

    def statement_of(self, claim_id: str) -> str:
        return self.view.statement_of(claim_id)

    def source_name(self, source_id: str) -> str:
        return self.view.source_name(source_id)

    def visible_facts(self, state: State | None = None) -> list[FactView]:
        return self.view.visible_facts(state)

    # --- the view state, changed ------------------------------------------------------------

    def replace_archive(self, archive: Archive, path: Path | str | None) -> None:
        """Show another archive; the old one is closed."""
        changes = self.view.replace_archive(archive, path)
        self._count()
        self._emit(changes)

    def reload(self) -> None:
        """Catch up with events written since (by a dialog here, an import worker, or another
        program writing the same archive)."""
        changes = self.view.reload()
        self._count()
        self._emit(changes)

    def set_as_of(self, day: int) -> None:
        self._emit(self.view.set_as_of(day))

    def set_known_as_of(self, day: int | None) -> None:
        self._emit(self.view.set_known_as_of(day))

    def set_recorded_as_of(self, moment: datetime | None) -> None:
        self._emit(self.view.set_recorded_as_of(moment))

    def set_dates(self, as_of: int, known_as_of: int | None) -> None:
        self._emit(self.view.set_dates(as_of, known_as_of))

    def select_entity(self, name: str | None) -> None:
        """Select an entity by any of its names (None: no selection). Raises NotFound."""
        self._emit(self.view.select_entity(name))

    def select_fact(self, fact: FactView | None) -> None:
        self._emit(self.view.select_fact(fact))

    def select_claim(self, claim_id: str) -> None:
        """Select a claim's fact in the current state (or clear when it is not part of it)."""
        self._emit(self.view.select_claim(claim_id))

    def set_filter(self, text: str) -> None:
        self._emit(self.view.set_filter(text))

    def set_tags(self, tags: Sequence[str]) -> None:
        self._emit(self.view.set_tags(tags))

    # --- archive-wide counts, in a worker thread ----------------------------------------------

    def moment_counts(self) -> list[tuple[int, int]] | None:
        """Moments per day over the whole archive (None while a worker counts them)."""
        return self.view.counts

    def latest_known_day(self) -> int | None:
        """The last day the record changed (None when unknown yet, or no claim)."""
        return self.view.latest_known

    def _count(self) -> None:
        """Start a worker on the counts the view state leaves to be counted apart (a large
        archive's, on a read-only connection of its own)."""
        path = self.view.count_file()
        if path is None:
            return
        generation = self.view.generation

        def work() -> None:
            found: object
            try:
                found = count_apart(path)
            except Exception as exc:  # noqa: BLE001 - reported to the GUI thread
                found = exc
            with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
                self._overview_computed.emit(generation, found)

        QThreadPool.globalInstance().start(work)

    def _on_overview_computed(self, generation: int, found: object) -> None:
        if not isinstance(found, tuple | BaseException):
            found = RuntimeError(f"unexpected counts {found!r}")
        self._emit(self.view.counted(generation, found))

    def wait_for_overview(self, timeout_ms: int = 60000) -> bool:
        """Block until the worker's counts are in (for tests, benchmarks and screenshots)."""
        if self.view.counts is not None:
            return True
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self.view.counts is None and clock.elapsed() < timeout_ms:
            QThreadPool.globalInstance().waitForDone(50)
            QCoreApplication.processEvents()
        return self.view.counts is not None
