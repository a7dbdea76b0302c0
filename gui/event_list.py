"""The event list: every claim's beginning (and end) in time order, synced with the slider.

Moving the slider selects the latest event on or before the day and greys the events still
to come; clicking an event moves the slider to its day and shows its sources.

On a large archive the list follows the focus (the events of the claims about it), like the
other views. Either way its model holds only the moments' keys and fetches claims by page.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from gui.models import EventModel
from gui.session import Session
from timeline.api import NotFound, State, claims_by_n


class EventList(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = EventModel()
        self._syncing = False
        self._shown_focus: str | None = None
        self.title = QLabel("<b>Events</b>")
        self.title.setTextFormat(Qt.TextFormat.RichText)  # a name in it: formatting.rich
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 6)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setToolTip("")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(EventModel.WHEN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EventModel.EVENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EventModel.KNOWN, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(
            EventModel.WHEN, self.fontMetrics().horizontalAdvance("2025-02-20~") + 24)
        self.table.setColumnWidth(EventModel.KNOWN, 100)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)

        self.table.clicked.connect(self._on_event_clicked)
        self.table.activated.connect(self._on_event_clicked)
        session.archive_changed.connect(self._on_archive_changed)
        session.state_changed.connect(self._on_state_changed)
        session.entity_selected.connect(self._on_entity_selected)
        self._on_archive_changed()

    def _on_archive_changed(self) -> None:
        self._load()
        self._on_entity_selected(self.session.entity)

    def _load(self) -> None:
        session = self.session
        keys = session.moment_keys()
        archive = session.archive
        self.model.set_moments(keys, lambda numbers: claims_by_n(archive, numbers),
                               session.statement)
        self._shown_focus = session.entity if session.focused else None
        if self._shown_focus:
            self.title.setText(f"<b>Events of {formatting.rich(self._shown_focus)}</b>  "
                               f"({len(keys)})")
        else:
            self.title.setText(f"<b>Events</b>  ({len(keys)})")
        self._on_state_changed(session.state)

    def _on_state_changed(self, state: State) -> None:
        self.model.set_current_day(state.as_of)
        row = self.model.current_row()
        if self._syncing:
            return
        self._syncing = True
        try:
            selection = self.table.selectionModel()
            if row < 0:
                selection.clearSelection()
                return
            index = self.model.index(row, 0)
            if selection.currentIndex().row() != row:
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def _on_event_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = index.row()
        self._syncing = True
        try:
            self.session.set_as_of(self.model.key(row).day)
        finally:
            self._syncing = False
        self.session.select_claim(self.model.claim(row).id)

    def _on_entity_selected(self, name: str | None) -> None:
        if self.session.focused:
            # Every event listed is the focus': a new focus is a new list, none in bold.
            if name != self._shown_focus:
                self._load()
            self.model.set_involved(set())
            return
        ids: set[str] = set()
        if name:
            try:
                ids = self.session.archive.entity_ids(name)
            except NotFound:
                ids = set()
        self.model.set_involved(ids)

