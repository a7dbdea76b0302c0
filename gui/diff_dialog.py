"""The diff dialog: pick two dates, see what began, ended or changed between them — day by
day (every transition on the days between, ``Diff.transitions``) and between the two end
states.

The answer is the engine's ``Archive.diff`` on the window's "as known on" date; it is
recomputed as soon as both dates are valid. On a large archive (one entity at a time) it is
the focus' diff, like every other view.

The comparison runs in a worker thread (a long range lists every transition between, and as
recorded earlier it needs a cut of the log): the dialog says "Comparing…", its busy bar runs
and the results are greyed until the answer is in. The worker asks the window's archive
opened a second time (``Session.apart``, ``gui.archive_apart``), never the window's own: that
one is the GUI thread's, which keeps using it meanwhile (the slider, the poll timer), and an
``Archive`` is not safe to use from two threads at once. Each comparison asked has a number;
an answer to an older one (the dates changed meanwhile) is dropped, and one arriving after
the dialog was closed reaches nothing. An archive only the window holds (in memory) is
compared at once, on the GUI thread: it is small.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
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
from timeline.api import Archive, Diff, FactView, HindsightError, InvalidInput, counted

BEGAN, ENDED, CHANGED = "Began", "Ended", "Changed"

#: How "not in the state" reads in the day-by-day list's from → to column.
ABSENT = "—"

#: What the dialog asks ``Archive.diff``: the two dates, the "as known on" day, the focus.
Asked = tuple[str, str, int | None, list[str]]


def compare(reader: Archive, asked: Asked) -> tuple[Diff, str]:
    """The diff asked, and why its day-by-day list was not made ("" when it was): too many
    days to list still compares the two end states."""
    try:
        return reader.diff(*asked), ""
    except InvalidInput as exc:
        return (reader.diff(*asked, with_transitions=False),
                str(exc).replace(" (--entity)", ""))


class _Asked:
    """The number of the last comparison asked (a plain object: workers read it)."""

    number = 0


class _Answers(QObject):
    """Brings a worker's answer (``compare``'s, or the exception it met, with the number of
    the comparison) to the dialog. It is the dialog's child, and a worker holds it, never the
    dialog: were a worker to hold the last reference to the dialog, the dialog would be
    destroyed in that thread. When the dialog is gone so is this, and an answer reaches
    nothing."""

    computed = Signal(int, object)


class DiffDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.notes = FactNotes(session.source_name, session.statement_of)  # for the tooltips
        self.diff: Diff | None = None
        #: The last comparison asked; whether a worker is comparing (one at a time: another
        #: would only wait for the archive apart, holding a thread of the pool); the work to
        #: start when it is done; whether an answer is awaited (``_set_busy``).
        self._asked = _Asked()
        self._running = False
        self._next: Callable[[], None] | None = None
        self._comparing = False
        self._answers = _Answers(self)
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
        self.busy = QProgressBar()  # runs while a comparison is being made
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
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
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(summary_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        self._answers.computed.connect(self._on_computed)
        self.from_field.edit.textChanged.connect(self._on_dates_edited)
        self.to_field.edit.textChanged.connect(self._on_dates_edited)
        self._on_dates_edited()

    def _on_dates_edited(self) -> None:
        self._asked.number += 1  # whatever is being compared is not wanted now
        self._next = None
        if not (self.from_field.is_valid() and self.to_field.is_valid()):
            self._set_busy(False)
            self._clear("Give two valid dates.")
            return
        focus = [self.session.entity] if self.session.focused and self.session.entity \
            else []
        asked: Asked = (self.from_field.text(), self.to_field.text(),
                        self.session.known_as_of, focus)
        apart = self.session.apart()
        if apart is None:  # an archive in memory: small, compared at once
            found: object
            try:
                found = compare(self.session.reader(), asked)
            except HindsightError as exc:
                found = exc
            self._show_found(found)
            return
        latest, answers = self._asked, self._answers
        number, recorded = latest.number, self.session.recorded_as_of

        def work() -> None:
            found: object
            try:
                found = apart.run(lambda reader: compare(reader, asked), recorded,
                                  lambda: number == latest.number)
            except Exception as exc:  # noqa: BLE001 - reported to the GUI thread
                found = exc
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                answers.computed.emit(number, found)  # None: overtaken before it began

        self._set_busy(True, f"Comparing {asked[0]} with {asked[1]}…")
        self._next = work
        self._start_next()

    def _start_next(self) -> None:
        """Start the comparison last asked, unless one is running: it starts it when done."""
        if self._running or self._next is None:
            return
        work, self._next = self._next, None
        self._running = True
        QThreadPool.globalInstance().start(work)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        """While a comparison is made: say so, run the busy bar, grey the results (they
        are the last comparison's, not this one's)."""
        self._comparing = busy
        if busy:
            self.summary.setText(message)
        self.busy.setVisible(busy)
        self.tabs.setEnabled(not busy)

    def _on_computed(self, number: int, found: object) -> None:
        self._running = False
        if number != self._asked.number:
            self._start_next()  # the dates changed meanwhile: their comparison now
            return
        self._set_busy(False)
        self._show_found(found)

    def _show_found(self, found: object) -> None:
        """Show ``compare``'s answer, or the error met making it."""
        if isinstance(found, HindsightError):
            self._clear(str(found))
        elif isinstance(found, sqlite3.Error):
            self._clear(f"The comparison failed ({found}).")
        elif isinstance(found, BaseException):
            raise found  # a bug: reported as every other one is
        else:
            assert isinstance(found, tuple)
            self.show_diff(*found)

    def done(self, result: int) -> None:
        """Closed: an answer still on its way is not wanted."""
        self._asked.number += 1
        self._next, self._comparing = None, False
        super().done(result)

    def comparing(self) -> bool:
        """Whether a comparison is being made (its answer not shown yet)."""
        return self._comparing

    def wait(self, timeout_ms: int = 60000) -> bool:
        """Block until the comparison being made is shown (for tests and scripts); whether
        it was, within ``timeout_ms``."""
        clock = QElapsedTimer()
        clock.start()
        while self._comparing and clock.elapsed() < timeout_ms:
            QThreadPool.globalInstance().waitForDone(20)
            QCoreApplication.processEvents()
        return not self._comparing

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
            + (f" {counted(steps, 'change')} on {counted(days, 'day')} between."
               if steps else "")
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

