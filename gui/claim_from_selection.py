"""Claims from the text of a source: select a passage in a source viewer (the citation
panel's, or a source's own window) and

* **Record Claim from Selection…** (Ctrl+Shift+R, or the viewer's context menu) opens the
  record dialog with the source, the quote (the source's exact text, with its page when the
  source has pages) and the source's publication date as known time filled in, and a
  *Suggestions* row: the entities whose names or aliases the passage holds
  (``timeline.api.entities_in``) — a click fills the subject, or the object once the subject
  is given — and the dates it gives, as EDTF (``dates_in``) — a click fills *Valid*;
* **Cite Selection for a Claim…** (Ctrl+Shift+C) adds the passage as a further citation of a
  claim already recorded (``Archive.cite``: an event of its own; the claim is not changed).

The quote is always the source's own text: the selection's positions (Qt counts UTF-16 code
units, and a paragraph break is one position) are mapped back to the source's text, and the
engine checks it verbatim again when it is written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from gui.account_field import AccountOfBox
from gui.correction_dialogs import CorrectionDialog, RecordClaimDialog
from gui.source_viewer import SourceViewer
from timeline.api import Archive, Batch, FactView, dates_in, entities_in, page_at, page_label

if TYPE_CHECKING:
    from gui.main_window import MainWindow

RECORD_TEXT = "Record Claim from Selection…"
CITE_TEXT = "Cite Selection for a Claim…"
_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")


def _breaks(text: str) -> str:
    """Text with every line and paragraph break one newline: how the view and the source's
    text are compared (Qt shows each as a break of its own)."""
    return _BREAKS.sub("\n", text)


def _utf16_index(text: str, position: int) -> int:
    units = text.encode("utf-16-le", "surrogatepass")[:2 * max(0, position)]
    return len(units.decode("utf-16-le", "surrogatepass"))


def _index(text: str, position: int) -> int:
    """A position in the viewer's document as an index into the source's ``text``: Qt counts
    UTF-16 code units, and a line break written CR LF is one position (one paragraph)."""
    if "\r\n" not in text:
        return _utf16_index(text, position)
    flat = text.replace("\r\n", "\n")
    index = _utf16_index(flat, position)
    # Each CR LF before it is one character more in the source's text.
    breaks = [m.start() - k for k, m in enumerate(re.finditer("\r\n", text))]
    return index + bisect.bisect_right(breaks, index - 1)


def selected_passage(viewer: SourceViewer) -> tuple[int, int, str] | None:
    """The passage selected in the viewer as (start, end, quote): offsets into its source's
    text and the text between them, exactly as the source has it (space around it left out);
    None when nothing (or only space) is selected."""
    if viewer.source is None:
        return None
    cursor = viewer.text.textCursor()
    if not cursor.hasSelection():
        return None
    text = viewer.source["text"]
    start, end = _index(text, cursor.selectionStart()), _index(text, cursor.selectionEnd())
    shown = cursor.selectedText()
    if _breaks(text[start:end]) != _breaks(shown):
        # The view does not hold the text one to one: find what is shown in the source.
        found = text.find(shown)
        if found < 0:
            return None
        start, end = found, found + len(shown)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end, text[start:end]) if end > start else None


def page_of(source: dict[str, Any], start: int) -> str:
    """'p. 12' for a passage of a source with pages; '' otherwise."""
    return page_label(page_at(source.get("pages") or [], start))


# --- Record Claim from Selection ----------------------------------------------------------------


class Suggestions(QWidget):
    """The entities and dates a passage names, as buttons that fill the record dialog."""

    def __init__(self, dialog: RecordClaimDialog, quote: str) -> None:
        super().__init__(dialog)
        self.setObjectName("suggestions")
        self.dialog = dialog
        self.entity_buttons: list[QPushButton] = []
        self.date_buttons: list[QPushButton] = []
        seen: dict[str, str] = {}
        for entity, matched, _ in entities_in(quote, dialog.archive.name_pairs()):
            seen.setdefault(entity, matched)
        dates: dict[str, str] = {}
        for edtf, matched in dates_in(quote):
            dates.setdefault(edtf, matched)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for label, items, kind in (("Names", seen, "entity"), ("Dates", dates, "date")):
            row = QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(QLabel(label + ":"))
            for key, matched in items.items():
                row.addWidget(self._button(kind, key, matched))
            if not items:
                none = QLabel(f"no {label.lower()} found in the passage")
                none.setEnabled(False)
                row.addWidget(none)
            row.addStretch(1)
            layout.addLayout(row)

    def _button(self, kind: str, key: str, matched: str) -> QPushButton:
        if kind == "entity":
            same = matched.casefold() == key.casefold()
            button = QPushButton(key if same else f"{key} ({matched})")
            button.setToolTip(formatting.tooltip(
                f"{key}, found in the passage as ‘{matched}’: fills the subject, or the "
                "object once the subject is given"))
            button.clicked.connect(lambda: self.use_entity(key))
            self.entity_buttons.append(button)
        else:
            button = QPushButton(f"{key} ({matched})" if key != matched else key)
            button.setToolTip(formatting.tooltip(
                f"‘{matched}’ as EDTF {key}: fills Valid (edit it there, e.g. into an "
                "interval)"))
            button.clicked.connect(lambda: self.dialog.valid.setText(key))
            self.date_buttons.append(button)
        button.setAutoDefault(False)
        button.setDefault(False)
        return button

    def use_entity(self, name: str) -> None:
        subject = self.dialog.subject.currentText().strip()
        if not subject:
            self.dialog.subject.setEditText(name)
        elif subject != name:
            self.dialog.object.setEditText(name)


def prefill(dialog: RecordClaimDialog, source: dict[str, Any], start: int,
            quote: str) -> Suggestions:
    """Fill the record dialog from a passage of ``source``: the source, the quote, the
    source's publication date as known time (the dialog's rule), the page; and add the
    suggestions row (returned)."""
    dialog.setWindowTitle("Record a Claim from a Passage")
    dialog.source.setCurrentIndex(max(0, dialog.source.findData(source["id"])))
    dialog.quote.setText(quote)
    dialog.quote.setCursorPosition(0)
    page = page_of(source, start)
    if page:
        shown = dialog.quote.parentWidget()
        assert shown is not None
        where = int(dialog.form.getWidgetPosition(shown)[0])  # type: ignore[index]
        label = QLabel(page)
        label.setObjectName("quotePage")
        dialog.form.insertRow(where + 1, "Page", label)
    suggestions = Suggestions(dialog, quote)
    dialog.form.insertRow(0, "Suggestions", suggestions)
    dialog.validate()
    return suggestions


def _passage(window: MainWindow, viewer: SourceViewer) -> tuple[int, int, str] | None:
    """The passage selected in ``viewer`` (``selected_passage``); None, and the status bar
    saying what to do, when there is none or the archive cannot be changed now."""
    if not window.writing.allowed():
        return None
    passage = selected_passage(viewer)
    if passage is None or viewer.source is None:
        window.statusBar().showMessage("Select a passage of the source first", 5000)
        return None
    return passage


def open_record_from_selection(window: MainWindow, viewer: SourceViewer
                               ) -> RecordClaimDialog | None:
    if (passage := _passage(window, viewer)) is None:
        return None
    start, _, quote = passage
    dialog = RecordClaimDialog(window.session.archive, facts=window.session.state.facts,
                               parent=window)
    prefill(dialog, viewer.source, start, quote)
    window._open_dialog(dialog, "Recorded")
    return dialog


# --- Cite Selection for a Claim -----------------------------------------------------------------

CHOOSE_TEXT = "(choose a claim, or type its id)"


class CiteSelectionDialog(CorrectionDialog):
    """A passage as a further citation of a recorded claim."""

    title = "Cite a Passage for a Claim"
    ok_text = "Cite"

    def __init__(self, archive: Archive, source: dict[str, Any], start: int, quote: str, *,
                 facts: Sequence[FactView] = (), chosen: FactView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(archive, parent)
        self.source_id, self.quote, self._cited = source["id"], quote, False
        about = QLabel(f"<b>{formatting.rich(source['title'])}</b> "
                       f"({formatting.rich(source['published'])})")
        about.setTextFormat(Qt.TextFormat.RichText)
        about.setWordWrap(True)
        self.form.addRow("Source", about)
        page = page_of(source, start)
        shown = QLabel(f"“{quote}”" + (f" ({page})" if page else ""))
        shown.setObjectName("citedQuote")
        shown.setTextFormat(Qt.TextFormat.PlainText)
        shown.setWordWrap(True)
        self.form.addRow("Quote", shown)
        self.claim = AccountOfBox(facts, chosen)
        self.claim.setObjectName("citedClaim")
        self.claim.setItemText(0, CHOOSE_TEXT)
        self._row("Claim", self.claim, "claim",
                  "The claim the passage supports: one of the facts shown, or a claim id. "
                  "The claim is not changed; the citation is added to it.")
        self.validate()

    def claim_id(self) -> str | None:
        text = self.claim.currentText().strip()
        return None if not text or text == CHOOSE_TEXT else self.claim.claim_id()

    def local_error(self) -> tuple[str, str] | None:
        if self.claim_id() is None:
            return "claim", "required"
        return super().local_error()

    def stage(self, batch: Batch) -> str | None:
        claim_id = self.claim_id()
        assert claim_id is not None
        self._cited = not batch.cite(claim_id, self.source_id, self.quote)
        return claim_id

    def _explain(self, batch: Batch) -> None:
        if self._cited:
            self.note.setText("The claim already cites this passage: nothing will be written.")
            self.note.show()


def open_cite_selection(window: MainWindow, viewer: SourceViewer
                        ) -> CiteSelectionDialog | None:
    if (passage := _passage(window, viewer)) is None:
        return None
    start, _, quote = passage
    session = window.session
    dialog = CiteSelectionDialog(session.archive, viewer.source, start, quote,
                                 facts=session.state.facts, chosen=session.fact, parent=window)
    window._open_dialog(dialog, "Cited")
    return dialog


# --- the viewer's actions -----------------------------------------------------------------------


def attach(window: MainWindow, viewer: SourceViewer) -> tuple[QAction, QAction]:
    """Give a source viewer the two actions: shortcuts while it has the focus, buttons over
    its text and its context menu's entries (enabled while a passage is selected and the
    archive can be changed: ``WriteGuard``)."""
    record = QAction(RECORD_TEXT, viewer)
    record.setShortcut(QKeySequence("Ctrl+Shift+R"))
    record.setStatusTip("Record a claim citing the passage selected (Ctrl+Shift+R)")
    record.triggered.connect(lambda: open_record_from_selection(window, viewer))
    cite = QAction(CITE_TEXT, viewer)
    cite.setShortcut(QKeySequence("Ctrl+Shift+C"))
    cite.setStatusTip("Add the passage selected as a further citation of a claim "
                      "(Ctrl+Shift+C)")
    cite.triggered.connect(lambda: open_cite_selection(window, viewer))
    bar = QHBoxLayout()
    bar.setContentsMargins(0, 0, 0, 0)

    def selected() -> bool:
        return viewer.source is not None and viewer.text.textCursor().hasSelection()

    for action in (record, cite):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.writing.watch(action, selected)
        viewer.addAction(action)
        button = QToolButton(viewer)
        button.setDefaultAction(action)  # its tip: the action's, or why it is disabled
        bar.addWidget(button)
    bar.addStretch(1)
    layout = viewer.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertLayout(layout.indexOf(viewer.text), bar)

    viewer.text.selectionChanged.connect(lambda: window.writing.update(record, cite))
    viewer.text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    viewer.text.customContextMenuRequested.connect(
        lambda at: context_menu(viewer, (record, cite)).popup(viewer.text.mapToGlobal(at)))
    viewer.selection_actions = (record, cite)  # type: ignore[attr-defined]
    return record, cite


def context_menu(viewer: SourceViewer, actions: tuple[QAction, QAction],
                 at: QPoint | None = None) -> Any:
    """The text's own menu (Copy, Select All) with the two actions after it."""
    menu = viewer.text.createStandardContextMenu()
    menu.addSeparator()
    menu.addActions(list(actions))
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return menu


def install(window: MainWindow) -> None:
    """The citation panel's source viewer gets the actions (a source's own window gets them
    from ``gui.add_source``)."""
    attach(window, window.citations.viewer)
