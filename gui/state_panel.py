"""The state panel: every fact that holds, may hold or is contested on the slider's day,
grouped by entity, with its status as a badge.

Two filters narrow it. The entity box is the window's selected entity (a click on a graph
node sets it too). The text box matches the facts' sentences, and when the text is a name or
an alias of an entity ("Optimus") it also matches every fact about that entity: the engine
resolves the name and says which facts are about it.

On a large archive (``Session.focused``) the panel shows one entity at a time, the focus: the
entity box gives way to a *focus box* (type a name or alias, with completion over every
name; Enter moves the focus), a line says what is shown and how to change it, and the state
is the focus' facts — those whose subject or object it is.

An entity's facts include those about its parts on the day (``part_of``): each such fact
says so in an italic note under its sentence, "via Stargate" ("maybe via Stargate" when the
part is one only maybe). A fact of several accounts names their sources there ("per Varga out
at Halden, Four Days in November"), says who gives which date when they disagree ("began
19 Nov per …; 20 Nov per …": a DISPUTED fact) and marks a change of hands on the day
("⇄ changing with: …"); its tooltip lists the accounts with their own dates and statuses
(``gui.accounts``).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSignalBlocker,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from gui.accounts import FactNotes
from gui.badges import BadgeDelegate, widest_badge
from gui.delegates import TextDelegate
from gui.models import NOTE_ROLE, StateModel
from gui.session import Session
from timeline.api import STATUSES, FactView, NotFound, State, counted

_ALL = "All entities"


class StatePanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = StateModel()
        self.model.notes = FactNotes(session.source_name, session.statement_of)
        self._collapsed: set[str] = set()
        self._selecting = False
        #: Actions offered on a fact's context menu (the window adds its corrections).
        self.fact_actions: list[QAction | None] = []

        title = QLabel("<b>State</b>")
        self.summary = QLabel()
        self.summary.setObjectName("stateSummary")
        # Its text changes with every frame: it must not resize (and so relayout) the panel.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.entity_box = QComboBox()
        self.entity_box.setToolTip("Show only facts about one entity (a click on a graph node "
                                   "selects it too)")
        self.entity_box.setMinimumContentsLength(14)
        self.entity_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter: words, names or aliases…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Show facts whose sentence contains this text; a name or "
                                    "alias (e.g. a nickname in a source) shows every fact "
                                    "about that entity")
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.filter_edit.setCompleter(self.completer)
        self.hint = QLabel()
        self.hint.setObjectName("aliasHint")
        self.hint.setTextFormat(Qt.TextFormat.RichText)  # names in it: formatting.rich
        self.hint.hide()
        self.focus_edit = QLineEdit()
        self.focus_edit.setObjectName("focusEdit")
        self.focus_edit.setPlaceholderText("Focus: type a name…")
        self.focus_edit.setToolTip("The entity shown (a large archive is shown one entity at "
                                   "a time): type a name or an alias and press Enter, or "
                                   "click a node in the graph")
        self.focus_completer = QCompleter([], self)
        self.focus_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.focus_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.focus_completer.setMaxVisibleItems(12)
        self.focus_edit.setCompleter(self.focus_completer)
        self.focus_edit.hide()
        self.focus_note = QLabel()
        self.focus_note.setObjectName("focusNote")
        self.focus_note.setTextFormat(Qt.TextFormat.RichText)  # names in it: formatting.rich
        self.focus_note.setWordWrap(True)
        self.focus_note.hide()

        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setItemDelegateForColumn(StateModel.STATUS, BadgeDelegate(self.tree))
        # A fact that comes through a part of the entity shown says so under its sentence.
        self.tree.setItemDelegateForColumn(StateModel.FACT, TextDelegate(
            self.tree, wrap=True, note_role=int(NOTE_ROLE)))
        self.tree.setItemDelegateForColumn(StateModel.VALID, TextDelegate(self.tree))
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Facts are sentences: wrap them rather than cut them off.
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setAllColumnsShowFocus(True)
        # A scroll bar that came and went with the number of facts would rewrap every row.
        self.tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(StateModel.STATUS, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(StateModel.FACT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(StateModel.VALID, QHeaderView.ResizeMode.Interactive)
        badge = widest_badge(self.tree.font())
        # A fact's row is indented twice in the first column (its group's and its own).
        self.tree.setColumnWidth(StateModel.STATUS, badge + 12 + 2 * self.tree.indentation())
        self.tree.setColumnWidth(StateModel.VALID, self.fontMetrics().horizontalAdvance(
            "2019-22/2025-05-02") + 16)

        self.empty = QLabel()
        self.empty.setTextFormat(Qt.TextFormat.PlainText)  # it may name the entity shown
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("stateEmpty")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.summary, 1)
        filters = QHBoxLayout()
        filters.addWidget(self.entity_box, 2)
        filters.addWidget(self.focus_edit, 2)
        filters.addWidget(self.filter_edit, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addWidget(self.focus_note)
        layout.addWidget(self.hint)
        layout.addWidget(self.stack, 1)

        header.sectionResized.connect(self._on_column_resized)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.modelReset.connect(self._on_model_reset)
        self.tree.collapsed.connect(self._on_group_collapsed)
        self.tree.expanded.connect(self._on_group_expanded)
        self.tree.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.tree.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.entity_box.activated.connect(self._on_entity_chosen)
        self.focus_edit.returnPressed.connect(self._on_focus_entered)
        self.focus_completer.activated.connect(self._on_focus_completed)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        session.state_changed.connect(self._on_state_changed)
        session.archive_changed.connect(self._on_archive_changed)
        session.entity_selected.connect(self._on_entity_selected)
        session.fact_selected.connect(self._on_fact_selected)
        session.filter_changed.connect(self._on_filter_changed)
        self._on_archive_changed()

    # --- what to show -----------------------------------------------------------------------

    def visible_facts(self, state: State) -> list[FactView]:
        """The state's facts that pass both filters (the view state's rows)."""
        return self.session.visible_facts(state)

    def _on_state_changed(self, state: State) -> None:
        facts = self.visible_facts(state)
        self.model.set_facts(facts)
        counts = {s: sum(1 for f in facts if f.status == s) for s in STATUSES}
        filtered = len(facts) != len(state.facts)
        total = f"{len(facts)} of {counted(len(state.facts), 'fact')}" if filtered else \
            counted(len(facts), "fact")
        parts = [f"{n} {s.lower()}" for s, n in counts.items() if n]
        self.summary.setText(total + (": " + ", ".join(parts) if parts else ""))
        if facts:
            self.stack.setCurrentWidget(self.tree)
        else:
            day = formatting.human_date(state.as_of)
            about = f" about {self.session.entity}" if self.session.focused else ""
            tags = " or ".join(f"“{t}”" for t in self.session.tags)
            self.empty.setText(f"Nothing matches the filter on {day}." if filtered else
                               f"No fact{about} has the tag {tags} on {day}." if tags else
                               f"Nothing holds or may hold{about} on {day}, by the record "
                               "shown.\n\nMove the slider, or look at the density strip above "
                               "it for where history is busy.")
            self.stack.setCurrentWidget(self.empty)

    def _on_archive_changed(self) -> None:
        archive = self.session.archive
        focused = self.session.focused
        self.entity_box.setVisible(not focused)
        self.focus_edit.setVisible(focused)
        self.focus_note.setVisible(focused)
        names = archive.all_names()
        self.completer.model().setStringList(names)  # type: ignore[attr-defined]
        if focused:
            # Thousands of entities: no list box of them all; a completer finds any name.
            self.focus_completer.model().setStringList(names)  # type: ignore[attr-defined]
            with QSignalBlocker(self.entity_box):
                self.entity_box.clear()
            self._show_filter_hint()
            self._on_entity_selected(self.session.entity)
            return
        with QSignalBlocker(self.entity_box):
            self.entity_box.clear()
            self.entity_box.addItem(_ALL)
            for entity in archive.entities():
                self.entity_box.addItem(entity["name"])
                aliases = ", ".join(entity["aliases"])
                if aliases:
                    self.entity_box.setItemData(self.entity_box.count() - 1,
                                                formatting.tooltip(f"Also known as: {aliases}"),
                                                Qt.ItemDataRole.ToolTipRole)
        self._show_filter_hint()
        self._on_entity_selected(self.session.entity)

    # --- filters ----------------------------------------------------------------------------

    def _on_entity_chosen(self, row: int) -> None:
        self.session.select_entity(None if row <= 0 else self.entity_box.itemText(row))

    def _on_entity_selected(self, name: str | None) -> None:
        if self.session.focused:
            self.focus_edit.setText(name or "")
            self.focus_edit.setStyleSheet("")
            stats = self.session.archive.statistics()
            self.focus_note.setText(
                f"Showing <b>{formatting.rich(name or 'no entity')}</b>: its facts here, its "
                "relationships in the graph, its events below. This archive is large "
                f"({stats['claims']:,} claims about {stats['entities']:,} entities), so it "
                "is shown one entity at a time: type a name above or click a node to move "
                "the focus.")
        else:
            with QSignalBlocker(self.entity_box):
                found = self.entity_box.findText(name) if name else 0
                self.entity_box.setCurrentIndex(max(0, found))
        self._on_state_changed(self.session.state)

    def _on_focus_completed(self, text: str) -> None:
        self.focus_edit.setText(text)
        self._on_focus_entered()

    def _on_focus_entered(self) -> None:
        """Move the focus to the entity typed (a name or an alias)."""
        text = self.focus_edit.text().strip()
        if not text or text == self.session.entity:
            return
        try:
            self.session.select_entity(text)
        except NotFound as exc:
            self.focus_edit.setStyleSheet("QLineEdit#focusEdit { color: #c0392b; }")
            self.hint.setText(formatting.rich(exc))
            self.hint.setVisible(True)
            return
        self.focus_edit.setStyleSheet("")
        self._show_filter_hint()

    def _on_filter_text_changed(self, text: str) -> None:
        self.session.set_filter(text)

    def _on_filter_changed(self, text: str) -> None:
        self._show_filter_hint()
        self._on_state_changed(self.session.state)

    def _show_filter_hint(self) -> None:
        """Say when the filter is a name or an alias of an entity (the engine resolves it)."""
        text, entity = self.session.filter_text, self.session.filter_entity
        message = ""
        if entity is not None:
            if entity.casefold() != text.casefold():
                message = f"“{formatting.rich(text)}” is a name of " \
                          f"<b>{formatting.rich(entity)}</b>: " \
                          "showing every fact about them"
            else:
                message = f"Showing every fact about <b>{formatting.rich(entity)}</b>"
        self.hint.setText(message)
        self.hint.setVisible(bool(message))

    # --- selection --------------------------------------------------------------------------

    def _on_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._selecting:
            return
        fact = self.model.fact_at(current)
        if fact is not None:
            self._selecting = True
            try:
                self.session.select_fact(fact)
            finally:
                self._selecting = False

    def _on_fact_selected(self, fact: FactView | None) -> None:
        if self._selecting:
            return
        index = self.model.index_of_claim(fact.claim.id) if fact else QModelIndex()
        self._selecting = True
        try:
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
            if index.isValid():
                self.tree.selectionModel().setCurrentIndex(index, flags)
                self.tree.scrollTo(index)
            else:
                self.tree.selectionModel().clearSelection()
        finally:
            self._selecting = False

    # --- tree housekeeping ------------------------------------------------------------------

    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        names = self.model.group_names()
        for row in range(first, last + 1):
            if names[row] not in self._collapsed:
                self.tree.expand(self.model.index(row, 0))

    def _on_model_reset(self) -> None:
        self._on_rows_inserted(QModelIndex(), 0, self.model.rowCount() - 1)

    def _on_column_resized(self, column: int, old: int, new: int) -> None:
        if column == StateModel.FACT:
            self.tree.doItemsLayout()  # wrapped rows change height with the column

    def _on_group_collapsed(self, index: QModelIndex) -> None:
        self._collapsed.add(self.model.group_names()[index.row()])

    def _on_group_expanded(self, index: QModelIndex) -> None:
        self._collapsed.discard(self.model.group_names()[index.row()])

    def _on_context_menu_requested(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        fact = self.model.fact_at(index)
        if fact is None:
            return
        self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self.fact_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.addSeparator()
        for name in dict.fromkeys(n for n in (fact.subject, fact.object) if n):
            menu.addAction(f"Select {name}",
                           lambda n=name: self.session.select_entity(n))  # type: ignore[misc]
        menu.exec(self.tree.viewport().mapToGlobal(pos))
