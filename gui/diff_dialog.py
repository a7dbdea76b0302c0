"""The diff dialog: pick two dates, see what began, ended or changed between them.

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
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from gui.badges import BadgeDelegate
from gui.date_field import DateField, DateKind
from gui.models import fact_tooltip
from gui.session import Session
from timeline.api import Diff, FactView, HindsightError

BEGAN, ENDED, CHANGED = "Began", "Ended", "Changed"


class DiffDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
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
            f"As known on {formatting.human_date(known)} (the window's “as known on” date)"))
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
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

        self.from_field.edit.textChanged.connect(self._on_dates_edited)
        self.to_field.edit.textChanged.connect(self._on_dates_edited)
        self._on_dates_edited()

    def _on_dates_edited(self) -> None:
        if not (self.from_field.is_valid() and self.to_field.is_valid()):
            self.summary.setText("Give two valid dates.")
            return
        try:
            focus = [self.session.entity] if self.session.focused and self.session.entity \
                else []
            diff = self.session.archive.diff(self.from_field.text(), self.to_field.text(),
                                             self.session.known_as_of, focus)
        except HindsightError as exc:
            self.summary.setText(str(exc))
            return
        self.show_diff(diff)

    def show_diff(self, diff: Diff) -> None:
        self.diff = diff
        self.tree.clear()
        a, b = formatting.human_date(diff.before.as_of), formatting.human_date(diff.after.as_of)
        total = len(diff.began) + len(diff.ended) + len(diff.changed)
        self.summary.setText(
            f"From {a} to {b}: {len(diff.began)} began, {len(diff.ended)} ended, "
            f"{len(diff.changed)} changed status." if total else f"No change from {a} to {b}.")
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

    def _add_fact(self, group: QTreeWidgetItem, status: str, fact: FactView, change: str
                  ) -> None:
        item = QTreeWidgetItem(group, [change, status, fact.statement])
        item.setToolTip(2, fact_tooltip(fact))
        item.setData(0, Qt.ItemDataRole.UserRole, fact.claim.id)

    def statements(self, title: str) -> list[str]:
        """The facts listed under Began, Ended or Changed."""
        for k in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(k)
            if group.text(0).startswith(title):
                return [group.child(j).text(2) for j in range(group.childCount())]
        return []

