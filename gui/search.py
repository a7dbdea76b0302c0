"""Search the whole archive from the window: a search box at the right of the menu bar
(Ctrl+F), results under it as you type, and each result taking you to what it found.

The search is the engine's (``Archive.search``: claims — their sentences, quotes, notes and
tags —, sources and entity names, over the whole archive, not only the day shown). Typing
searches after a short pause (``DELAY_MS``); the results list shows each hit's kind, date,
what it is and the passage found, the words found in bold (archive text escaped). Activating
a result (a click, or Enter; ↓ and ↑ move through them, Esc closes them):

- a claim moves the time slider to the day it starts and selects its fact in the state
  panel — when it is not part of that day's state (withdrawn, or around another focus), its
  subject entity is selected instead, and the status bar says why;
- a source opens it in a window of its own, the passage found highlighted;
- an entity selects it.

``install(window)`` adds all this to the main window.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QObject,
    QPoint,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from gui.source_viewer import SourceViewer
from timeline.api import (
    HindsightError,
    NotFound,
    SearchApart,
    SearchHit,
    readmodel_file,
)

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: How long typing pauses before the search runs.
DELAY_MS = 250
#: How many hits a search shows.
LIMIT = 50
#: The box's width, the results list's width and its most height, in pixels.
BOX_WIDTH, RESULTS_WIDTH, RESULTS_HEIGHT = 320, 620, 460

_HIT_ROLE = Qt.ItemDataRole.UserRole


def marked_html(text: str, matches: tuple[tuple[int, int], ...]) -> str:
    """``text`` as rich text: escaped, each match in bold."""
    out, at = [], 0
    for start, end in matches:
        out += [formatting.rich(text[at:start]), "<b>", formatting.rich(text[start:end]), "</b>"]
        at = end
    out.append(formatting.rich(text[at:]))
    return "".join(out)


def hit_html(hit: SearchHit) -> str:
    """A result's two lines: kind, date and what it is; the passage found."""
    head = [f"<i>{formatting.rich(hit.kind)}</i>"]
    if hit.day is not None:
        head.append(formatting.rich(formatting.human_date(hit.day)))
    if hit.withdrawn:
        head.append(f"<i>{formatting.rich(hit.withdrawn)}</i>")
    if hit.field in ("statement", "title", "name"):  # found in what it is: one line
        return f"{' · '.join(head)} &nbsp;{marked_html(hit.snippet, hit.matches)}"
    head.append(formatting.rich(hit.title))
    return (f"{' · '.join(head)}<br><i>{formatting.rich(hit.field)}:</i> "
            f"{marked_html(hit.snippet, hit.matches)}")


class SourceWindow(QDialog):
    """A source on its own, the passage a search found highlighted."""

    def __init__(self, source: dict[str, object], passage: tuple[int, int] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Source — {source['title']}")
        self.viewer = SourceViewer()
        layout = QVBoxLayout(self)
        layout.addWidget(self.viewer)
        self.resize(640, 560)
        self.viewer.show_source(source, passage=passage)


class Search(QObject):
    """The window's search box, its results and what they lead to (``install``)."""

    #: A worker's rows for a search apart (or the exception it met), to the GUI thread.
    _found = Signal(object, object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.source_window: SourceWindow | None = None
        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText("Search the archive (Ctrl+F)")
        self.box.setClearButtonEnabled(True)
        self.box.setToolTip("Search every claim, quote, note, source text and name of the "
                            "archive, not only the day shown; a result takes you to it")
        self.box.setFixedWidth(BOX_WIDTH)
        self.results = QListWidget(window)  # over the window, under the box: not in a layout
        self.results.setObjectName("searchResults")
        self.results.setFrameShape(QFrame.Shape.StyledPanel)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the box
        self.results.setWordWrap(True)
        # The rows are labels: the current one is tinted, so their text reads on it.
        self.results.setStyleSheet("QListWidget#searchResults::item:selected { "
                                   "background: rgba(48, 140, 198, 70); }")
        self.results.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.run)
        self.slow = QTimer(self)  # a search running this long says so
        self.slow.setSingleShot(True)
        self.slow.setInterval(DELAY_MS)
        self.slow.timeout.connect(self._on_slow)
        self._running: SearchApart | None = None
        self.hits: list[SearchHit] = []
        self._found.connect(self._on_found)
        self.box.textChanged.connect(self._on_text_changed)
        self.box.returnPressed.connect(self._on_return)
        self.box.installEventFilter(self)
        self.results.itemClicked.connect(self.activate)
        self.action = QAction("&Search Archive…", window)
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.action.setStatusTip("Search the whole archive: claims, quotes, sources, names")
        self.action.triggered.connect(self.focus)
        window.addAction(self.action)
        bar = window.menuBar()
        if bar.isNativeMenuBar():  # a macOS menu bar has no room for it: above the state
            window.state_panel.layout().insertWidget(0, self.box)  # type: ignore[union-attr]
        else:
            # A menu bar places a corner widget by its size hint: a layout's keeps the width.
            self.corner = QWidget()
            row = QHBoxLayout(self.corner)
            row.setContentsMargins(0, 1, 4, 1)
            row.addWidget(self.box)
            bar.setCornerWidget(self.corner, Qt.Corner.TopRightCorner)
        for action in bar.actions():
            menu = action.menu()
            if action.text() == "&View" and isinstance(menu, QMenu):
                menu.insertAction(window.filter_action, self.action)
        self.session.archive_changed.connect(self._on_archive_changed)

    # --- searching --------------------------------------------------------------------------

    def focus(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()
        if self.box.text().strip() and self.results.count():
            self._place()

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self.timer.stop()
            self._stop()
            self.results.hide()
            return
        self.timer.start()

    def _on_archive_changed(self) -> None:
        if self.results.isVisible():
            self.run()  # new events: the results again

    def search(self, text: str) -> list[SearchHit]:
        """Search for ``text`` now, as if typed, show the results and return them."""
        self.box.setText(text)
        self.run()
        return self.wait()

    def run(self) -> list[SearchHit]:
        """Search for the box's text and show the results (a message when there are none).

        On an archive kept in a file the words are found and ranked in a worker thread, on a
        connection of its own (``SearchApart``): a common word on a large archive takes
        seconds, and typing never waits for it. A newer search stops the one running;
        "Searching…" shows when one takes longer than ``DELAY_MS``. The hits are returned
        when the search was done at once (an archive in memory); ``wait`` waits for them."""
        self.timer.stop()
        self.slow.stop()
        text = self.box.text()
        self._stop()
        if not text.strip():
            self.results.clear()
            self.results.hide()
            return []
        path = readmodel_file(self.session.archive)
        try:
            if path is None:
                return self._show(text, self.session.archive.search(text, LIMIT))
            apart = SearchApart(path, text, LIMIT)
        except HindsightError as exc:
            self._show_error(exc)
            return []
        self._running = apart
        self.slow.start()

        def work() -> None:
            found: object
            try:
                found = apart.rows()
            except Exception as exc:  # noqa: BLE001 - reported to the GUI thread
                found = exc
            with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
                self._found.emit(apart, found)

        QThreadPool.globalInstance().start(work)
        return []

    def _stop(self) -> None:
        if self._running is not None:
            self._running.interrupt()
            self._running = None

    def _on_found(self, apart: SearchApart, found: object) -> None:
        if apart is not self._running:
            return  # stopped (its SearchInterrupted too), or overtaken by a newer search
        self._running = None
        self.slow.stop()
        try:
            if isinstance(found, BaseException):
                raise found
            assert isinstance(found, list)
            self._show(apart.text, apart.hits(self.session.archive, found))
        except HindsightError as exc:
            self._show_error(exc)
        except sqlite3.Error as exc:
            self._show_error(HindsightError(f"the search failed ({exc})"))

    def _on_slow(self) -> None:
        if self._running is not None:
            self.results.clear()
            self._message(f"Searching for “{self._running.text.strip()}”…")

    def wait(self, timeout_ms: int = 60000) -> list[SearchHit]:
        """Block until the search running is done (for tests and scripts); its hits."""
        clock = QElapsedTimer()
        clock.start()
        while self._running is not None and clock.elapsed() < timeout_ms:
            QThreadPool.globalInstance().waitForDone(20)
            QCoreApplication.processEvents()
        return self.hits

    def _show(self, text: str, hits: list[SearchHit]) -> list[SearchHit]:
        self.results.clear()
        self.hits = hits
        for hit in hits:
            self._add(hit)
        if not hits:
            self._message(f"Nothing in the archive holds “{text.strip()}”.")
        else:
            self.results.setCurrentRow(0)
        self._place()
        return hits

    def _show_error(self, exc: BaseException) -> None:
        self.results.clear()
        self.hits = []
        self._message(str(exc)[:1].upper() + str(exc)[1:])

    def _message(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.results.addItem(item)
        self._place()

    def _add(self, hit: SearchHit) -> None:
        label = QLabel(hit_html(hit))
        label.setTextFormat(Qt.TextFormat.RichText)  # archive text escaped: hit_html
        label.setWordWrap(True)
        label.setContentsMargins(6, 3, 6, 3)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        label.setFixedWidth(RESULTS_WIDTH - 30)
        item = QListWidgetItem()
        item.setData(_HIT_ROLE, hit)
        item.setToolTip(formatting.tooltip(f"{hit.kind} {hit.id}"))
        item.setSizeHint(label.sizeHint())
        self.results.addItem(item)
        self.results.setItemWidget(item, label)

    def _place(self) -> None:
        """The results under the box, at the window's right edge, above everything."""
        window = self.window
        width = min(RESULTS_WIDTH, window.width() - 20)
        below = self.box.mapTo(window, QPoint(0, self.box.height()))
        x = max(10, min(below.x() + self.box.width() - width, window.width() - width - 10))
        rows = sum(self.results.sizeHintForRow(k) for k in range(self.results.count()))
        height = min(RESULTS_HEIGHT, rows + 8, window.height() - below.y() - 20)
        self.results.setGeometry(x, below.y() + 2, width, max(height, 30))
        self.results.show()
        self.results.raise_()

    # --- the keys of the box ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Escape and self.results.isVisible():
                self.results.hide()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.isVisible():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = self.results.currentRow() + step
                if 0 <= row < self.results.count():
                    self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def _on_return(self) -> None:
        if self.timer.isActive() or not self.results.isVisible():
            self.run()  # typed and entered at once: the results first
            return
        item = self.results.currentItem()
        if item is not None:
            self.activate(item)

    # --- where a result leads -------------------------------------------------------------

    def activate(self, item: QListWidgetItem) -> None:
        hit = item.data(_HIT_ROLE)
        if not isinstance(hit, SearchHit):
            return
        self.results.hide()
        try:
            if hit.kind == "claim":
                self.go_to_claim(hit)
            elif hit.kind == "source":
                self.open_source(hit)
            else:
                self.session.select_entity(hit.title)
                self._say(f"Selected {hit.title}")
        except HindsightError as exc:
            self._say(f"Cannot show {hit.kind} {hit.id}: {exc}")

    def go_to_claim(self, hit: SearchHit) -> None:
        """The slider to the day the claim starts, its fact selected — else its subject."""
        session = self.session
        if hit.day is not None:
            session.set_as_of(hit.day)
        session.select_claim(hit.id)
        if session.fact is None:
            claim = session.archive.claim(hit.id)
            subject = session.archive.entity_by_id(claim.subject_id)["name"]
            session.select_entity(subject)
            session.select_claim(hit.id)
        day = formatting.human_date(session.as_of)
        if session.fact is not None:
            self._say(f"{day}: {hit.title}")
        else:
            why = f"it was {hit.withdrawn}" if hit.withdrawn else "not part of the state"
            self._say(f"{day}: {hit.title} ({why}; its subject is selected)")

    def open_source(self, hit: SearchHit) -> SourceWindow:
        """The source in a window of its own, the passage found highlighted."""
        try:
            source = self.session.archive.source(hit.id)
        except NotFound as exc:
            raise HindsightError(str(exc)) from None
        passage = None
        if hit.offset is not None and hit.matches:
            start, end = hit.matches[0]
            passage = (hit.offset, hit.offset + end - start)
        if self.source_window is not None:
            self.source_window.close()
        shown = self.source_window = SourceWindow(source, passage, self.window)
        shown.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        shown.destroyed.connect(lambda: self._forget(shown))
        shown.show()
        self._say(f"Source: {source['title']}")
        return shown

    def _forget(self, closed: SourceWindow) -> None:
        if self.source_window is closed:
            self.source_window = None

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)


def install(window: MainWindow) -> Search:
    """Add the search box, its shortcut (Ctrl+F) and its results to the main window."""
    return Search(window)
