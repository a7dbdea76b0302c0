"""The window's shared state: one archive, the two dates, the selection.

Every view listens to this object instead of to each other, so a slider move costs exactly one
``archive.as_of`` call however many views show its answer. Nothing here decides what holds:
that is the engine's answer, passed on as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from gui import formatting
from timeline.app import Archive, FactView, State
from timeline.errors import NotFound
from timeline.readmodel import ClaimRow


class Session(QObject):
    #: The state on the current dates (after every date change and every write).
    state_changed = Signal(object)
    #: New events (a correction, an import) or another archive: timelines must be reloaded.
    archive_changed = Signal()
    #: The selected entity's canonical name, or None.
    entity_selected = Signal(object)
    #: The selected fact (a FactView), or None.
    fact_selected = Signal(object)

    def __init__(self, archive: Archive, path: Path | str | None = None) -> None:
        super().__init__()
        self._archive = archive
        self.path = path
        self._timeline: list[ClaimRow] | None = None
        self.entity: str | None = None
        self.fact: FactView | None = None
        lo, hi = self.span()
        self.as_of = hi
        self.known_as_of: int | None = None
        self.state: State = archive.as_of(self.as_of)

    # --- the archive ------------------------------------------------------------------------

    @property
    def archive(self) -> Archive:
        return self._archive

    def replace_archive(self, archive: Archive, path: Path | str | None) -> None:
        """Show another archive; the old one is closed."""
        old = self._archive
        self._archive, self.path = archive, path
        self._timeline = None
        self.entity = None
        self.fact = None
        self.as_of = self.span()[1]
        self.known_as_of = None
        if old is not archive:
            old.close()
        self.archive_changed.emit()
        self.entity_selected.emit(None)
        self.fact_selected.emit(None)
        self._update()

    def reload(self) -> None:
        """Catch up with events written since (by a dialog here, an import worker, or another
        program writing the same archive)."""
        self._archive.refresh()
        self._timeline = None
        if self.entity is not None:
            try:
                self.entity = self._archive.entity(self.entity)["name"]
            except NotFound:
                self.entity = None
        self.archive_changed.emit()
        self._update()
        if self.fact is not None:
            self.select_claim(self.fact.claim.id)

    def timeline(self) -> list[ClaimRow]:
        """Every claim in valid-time order, cached until the archive changes."""
        if self._timeline is None:
            self._timeline = self._archive.timeline()
        return self._timeline

    def statement(self, claim: ClaimRow) -> str:
        """The engine's sentence for a claim, whatever its status on any day."""
        return self._archive.statement(claim)

    def span(self) -> tuple[int, int]:
        """The archive's first and last day; the year up to today when it is empty."""
        found = self._archive.span()
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
        self.state = self._archive.as_of(self.as_of, self.known_as_of)
        self.state_changed.emit(self.state)

    def query(self, entities: Sequence[str]) -> State:
        """The state on the current dates, narrowed to entities as the engine narrows it."""
        return self._archive.as_of(self.as_of, self.known_as_of, entities)

    # --- selection --------------------------------------------------------------------------

    def select_entity(self, name: str | None) -> None:
        """Select an entity by any of its names (None: no selection). Raises NotFound."""
        canonical = self._archive.entity(name)["name"] if name else None
        if canonical != self.entity:
            self.entity = canonical
            self.entity_selected.emit(canonical)

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
