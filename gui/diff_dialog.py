"""The diff dialog: pick two dates, see what began, ended or changed between them — day by
day (every transition on the days between, ``Diff.transitions``) and between the two end
states.

The answer is the engine's ``Archive.diff`` on the window's "as known on" date; it is
recomputed as soon as both dates are valid. On a large archive (one entity at a time) it is
the focus' diff, like every other view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from gui.accounts import FactNotes
from gui.badges import BadgeDelegate
from gui.date_field import DateField, DateKind
from gui.models import fact_tooltip
from gui.session import Session
from timeline.api import Diff, FactView, HindsightError, InvalidInput

BEGAN, ENDED, CHANGED = "Began", "Ended", "Changed"

#: How "not in the state" reads in the day-by-day list's from → to column.
ABSENT = "—"


class DiffDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.notes = FactNotes(session.source_name, session.statement_of)  # for the tooltips
        self.diff: Diff | None = None
        self.setWindowTitle("Compare Two Dates")
        self.resize(820, 560)
        self.from_field = DateField(DateKind.DAY)
        self.to_field = DateField(DateKind.DAY)
        lo, hi = session.span()
        start = session.as_of if session.as_of < hi else lo
        self.from_field.setText(formatting.iso(start))
        self.to_field.setText(formatting.iso(hi if start < hi else session.as_of))
        known = session.known_as_of
        about = f"About {session.entity} (the focus) · " if session.focused and session.entity \
            else ""
        self.known_label = QLabel(about + (
            "As known now (everything recorded)" if known is None else
            f"As known on {formatting.human_date(known)} (the window's “as known on” date)")
            + ("" if session.state.recorded_as_of is None else
               f" · as recorded on {formatting.moment_words(session.state.recorded_as_of)}"))
        self.known_label.setTextFormat(Qt.TextFormat.PlainText)  # it names the focus
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what was typed
        self.summary.setObjectName("diffSummary")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Change", "Status", "Fact"])
        self.tree.setItemDelegateForColumn(1, BadgeDelegate(self.tree))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 150)
        self.tree.setColumnWidth(1, 130)
        # Day by day: every transition between the two dates, in day order.
        self.steps = QTreeWidget()
        self.steps.setObjectName("diffTransitions")
        self.steps.setColumnCount(4)
        self.steps.setHeaderLabels(["Day", "What happened", "Status", "Fact"])
        self.steps.setRootIsDecorated(False)
        self.steps.setUniformRowHeights(True)
        self.steps.setAlternatingRowColors(True)
        self.steps.header().setStretchLastSection(True)
        for column, size in enumerate((150, 110, 190)):
            self.steps.setColumnWidth(column, size)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.steps, "Day by day")
        self.tabs.addTab(self.tree, "Between the two states")

        form = QFormLayout()
        dates_row = QHBoxLayout()
        dates_row.addWidget(self.from_field, 1)
        dates_row.addWidget(QLabel("to"))
        dates_row.addWidget(self.to_field, 1)
        form.addRow("From", dates_row)
        form.addRow("", self.known_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        self.from_field.edit.textChanged.connect(self._on_dates_edited)
        self.to_field.edit.textChanged.connect(self._on_dates_edited)
        self._on_dates_edited()

    def _on_dates_edited(self) -> None:
        if not (self.from_field.is_valid() and self.to_field.is_valid()):
            self._clear("Give two valid dates.")
            return
        focus = [self.session.entity] if self.session.focused and self.session.entity \
            else []
        asked = (self.from_field.text(), self.to_field.text(), self.session.known_as_of, focus)
        refused = ""
        try:
            try:
                diff = self.session.reader().diff(*asked)
            except InvalidInput as exc:  # too many days to list: the end states still compare
                refused = str(exc).replace(" (--entity)", "")
                diff = self.session.reader().diff(*asked, with_transitions=False)
        except HindsightError as exc:
            self._clear(str(exc))
            return
        self.show_diff(diff, refused)

    def _clear(self, message: str) -> None:
        self.diff = None
        self.tree.clear()
        self.steps.clear()
        self.tabs.setTabText(0, "Day by day")
        self.summary.setText(message)

    def show_diff(self, diff: Diff, refused: str = "") -> None:
        """Show a diff; ``refused``: why its day-by-day list was not made."""
        self.diff = diff
        self.tree.clear()
        a, b = formatting.human_date(diff.before.as_of), formatting.human_date(diff.after.as_of)
        total = len(diff.began) + len(diff.ended) + len(diff.changed)
        steps = len(diff.transitions)
        days = len({t.day for t in diff.transitions})
        self.summary.setText(
            (f"From {a} to {b}: {len(diff.began)} began, {len(diff.ended)} ended, "
             f"{len(diff.changed)} changed status." if total else f"No change from {a} to {b}.")
            + (f" {steps} change{'s' if steps != 1 else ''} on {days} "
               f"day{'s' if days != 1 else ''} between." if steps else "")
            + (f"\nDay by day: {refused}." if refused else ""))
        self._show_transitions(diff)
        if refused:  # not "(0)": none was listed
            self.tabs.setTabText(0, "Day by day")
            self.tabs.setCurrentWidget(self.tree)
        groups = (
            (BEGAN, [(f.status, f, "") for f in diff.began]),
            (ENDED, [(f.status, f, "") for f in diff.ended]),
            (CHANGED, [(after.status, after, f"{before.status} → {after.status}")
                       for before, after in diff.changed]),
        )
        for title, rows in groups:
            group = QTreeWidgetItem([f"{title} ({len(rows)})"])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(group)
            for status, fact, change in rows:
                self._add_fact(group, status, fact, change)
            group.setExpanded(True)

    def _show_transitions(self, diff: Diff) -> None:
        self.steps.clear()
        items = []
        for step in diff.transitions:
            change = f"{step.from_status or ABSENT} → {step.to_status or ABSENT}"
            item = QTreeWidgetItem([formatting.human_date(step.day), step.kind, change,
                                    step.statement])
            item.setToolTip(0, formatting.iso(step.day))
            item.setToolTip(3, fact_tooltip(step.fact, self.notes))
            item.setData(0, Qt.ItemDataRole.UserRole, step.fact.claim.id)
            items.append(item)
        self.steps.addTopLevelItems(items)
        self.tabs.setTabText(0, f"Day by day ({len(items)})")

    def transitions(self) -> list[tuple[str, str, str]]:
        """The day-by-day list as shown: (day, what happened, fact) per row."""
        items = (self.steps.topLevelItem(k) for k in range(self.steps.topLevelItemCount()))
        return [(item.text(0), item.text(1), item.text(3)) for item in items if item]

    def _add_fact(self, group: QTreeWidgetItem, status: str, fact: FactView, change: str
                  ) -> None:
        item = QTreeWidgetItem(group, [change, status, fact.statement])
        item.setToolTip(2, fact_tooltip(fact, self.notes))
        item.setData(0, Qt.ItemDataRole.UserRole, fact.claim.id)

    def statements(self, title: str) -> list[str]:
        """The facts listed under Began, Ended or Changed."""
        for k in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(k)
            if group.text(0).startswith(title):
                return [group.child(j).text(2) for j in range(group.childCount())]
        return []

