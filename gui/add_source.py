"""File → Add Source…: a source as a historian cites it — its text, pasted or read from a
file (.txt, .md, .html, or a PDF with a text layer, its pages kept), and its metadata in CSL
terms (type, title, authors, container, publisher, dates, URL, archive and place in it,
pages, language, notes), or a new version of a source already in the archive.

The engine reads the file and checks every field (``timeline.api``: ``read_source_file``,
``Archive.add_source``); the dialog shows its message and stays open on any error, having
written nothing. Once saved, the new source opens in a source viewer of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import claim_from_selection
from gui.date_field import DateField, DateKind, calendar_box
from gui.source_viewer import SourceViewer
from timeline.api import (
    SOURCE_FILE_SUFFIXES,
    SOURCE_TYPES,
    Archive,
    HindsightError,
    InvalidInput,
    SourceText,
    counted,
    parse_author,
    read_source_file,
)

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: The one-line metadata fields: (field, label, placeholder).
_LINES = (
    ("container", "Container", "The newspaper, journal, book or site it appeared in"),
    ("publisher", "Publisher", ""),
    ("url", "URL", "https://…"),
    ("archive", "Archive", "The archive that holds it: a record office, a library"),
    ("archive_location", "Archive location", "Box, folder, shelfmark"),
    ("locator", "Page range", "Its pages in the container: 12–15"),
    ("language", "Language", "A language tag: en, fr, de-CH"),
)
#: What an error's field is called in the dialog.
_LABELS = {"id": "Id", "title": "Title", "published": "Published", "text": "Text",
           "type": "Type", "authors": "Authors", "accessed": "Accessed", "note": "Notes",
           "version_of": "New version of", "file": "File", "calendar": "Calendar",
           **{name: label for name, label, _ in _LINES}}


class AddSourceDialog(QDialog):
    """Add a source: its text and metadata; it stays open, saying why, on an error."""

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        #: The id of the source written, once the dialog is accepted.
        self.added: str | None = None
        self.loaded: SourceText | None = None  # the chosen file's text and pages
        self.setWindowTitle("Add Source")
        self.resize(640, 0)

        self.text = QPlainTextEdit()
        self.text.setObjectName("sourceTextEdit")
        self.text.setPlaceholderText("Paste the source's text here, or choose a file.")
        self.text.setMinimumHeight(110)
        self.choose = QPushButton("Choose File…")
        self.choose.clicked.connect(self._on_choose)
        self.forget = QPushButton("Paste Instead")
        self.forget.clicked.connect(self.clear_file)
        self.forget.hide()
        self.file_label = QLabel("Text: pasted")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.forget)
        file_row.addWidget(self.choose)

        self.source_id = QLineEdit()
        self.source_id.setPlaceholderText("A short id, unique in the archive: times-1911-03-04")
        self.version = QCheckBox("New version of")
        self.base = QComboBox()
        self.base.setEditable(True)
        ids = [s["id"] for s in archive.sources()]
        self.base.addItems(ids)
        self.base.setCurrentIndex(-1)
        self.base.setCompleter(QCompleter(ids, self.base))
        self.base.setEnabled(False)
        self.version.toggled.connect(self._on_version_toggled)
        self.base.currentTextChanged.connect(self._on_base_changed)
        version_row = QHBoxLayout()
        version_row.addWidget(self.version)
        version_row.addWidget(self.base, 1)

        self.kind = QComboBox()
        self.kind.addItem("(not given)", "")
        for name, words in SOURCE_TYPES.items():
            self.kind.addItem(words[:1].upper() + words[1:], name)
        self.title = QLineEdit()
        self.authors = QPlainTextEdit()
        self.authors.setPlaceholderText("One a line: Family, Given — or a name as it is "
                                        "(an organisation)")
        self.authors.setFixedHeight(58)
        self.published = DateField(DateKind.DATE, placeholder="EDTF: 1911-03-04, 1911-03, 1911~")
        self.calendar = calendar_box()  # the calendar the publication date is written in
        self.calendar.currentIndexChanged.connect(
            lambda _: self.published.set_calendar(self.calendar.currentData()))
        self.accessed = DateField(DateKind.DATE, allow_empty=True,
                                  placeholder="When you read it online (EDTF)")
        self.lines = {name: QLineEdit() for name, _, _ in _LINES}
        for name, _, hint in _LINES:
            self.lines[name].setPlaceholderText(hint)
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(50)

        form = QFormLayout()
        form.addRow("Text", self.text)
        form.addRow("", file_row)
        form.addRow("Id", self.source_id)
        form.addRow("", version_row)
        form.addRow("Type", self.kind)
        form.addRow("Title", self.title)
        form.addRow("Authors", self.authors)
        form.addRow("Published", self.published)
        form.addRow("Calendar", self.calendar)
        for name, label, _ in _LINES[:3]:
            form.addRow(label, self.lines[name])
        form.addRow("Accessed", self.accessed)
        for name, label, _ in _LINES[3:]:
            form.addRow(label, self.lines[name])
        form.addRow("Notes", self.note)

        self.error = QLabel()
        self.error.setObjectName("addSourceError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel#addSourceError { color: #d0312d; }")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    # --- the text --------------------------------------------------------------------------

    def _on_choose(self) -> None:
        wanted = " ".join(f"*{s}" for s in SOURCE_FILE_SUFFIXES)
        name, _ = QFileDialog.getOpenFileName(self, "Choose the Source's File", "",
                                              f"Sources ({wanted});;All files (*)")
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> bool:
        """Read a file's text (the engine extracts it); on an error, say it, keep the text."""
        try:
            found = read_source_file(path, "file")
        except HindsightError as exc:
            self.show_error(exc)
            return False
        self.loaded = found
        self.text.setPlainText(found.text)
        self.text.setReadOnly(True)
        pages = ", " + counted(len(found.pages), "page") if found.pages else ""
        self.file_label.setText(f"Text: from {path.name} ({len(found.text):,} characters"
                                f"{pages})")
        self.forget.show()
        if not self.title.text().strip():
            self.title.setText(path.stem.replace("_", " "))
        self.error.hide()
        return True

    def clear_file(self) -> None:
        self.loaded = None
        self.text.setReadOnly(False)
        self.text.clear()
        self.file_label.setText("Text: pasted")
        self.forget.hide()

    # --- versions ------------------------------------------------------------------------------

    def _on_version_toggled(self, on: bool) -> None:
        self.base.setEnabled(on)
        self._on_base_changed(self.base.currentText())

    def _on_base_changed(self, base: str) -> None:
        """A new version's id and metadata are proposed from the source it is a version of."""
        if not self.version.isChecked() or not base.strip():
            return
        try:
            versions = self.archive.source_versions(base.strip())
        except HindsightError:
            return
        first = versions[0]
        taken = {v["id"] for v in versions}
        n = len(versions) + 1
        while f"{first['id']}@{n}" in taken:
            n += 1
        self.source_id.setText(f"{first['id']}@{n}")
        latest = versions[-1]
        self.title.setText(latest["title"])
        self.kind.setCurrentIndex(max(0, self.kind.findData(latest["type"])))
        self.authors.setPlainText("\n".join(
            a.get("literal") or ", ".join(a[k] for k in ("family", "given") if a.get(k))
            for a in latest["authors"]))
        for name in self.lines:
            self.lines[name].setText(str(latest.get(name, "")))

    # --- saving ----------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the dialog holds, as ``Archive.add_source`` takes it."""
        meta: dict[str, Any] = {name: self.lines[name].text() for name in self.lines
                                if name != "url"}
        meta["type"] = self.kind.currentData() or ""
        meta["accessed"] = self.accessed.text()
        meta["note"] = self.note.toPlainText()
        meta["authors"] = [parse_author(line, f"authors[{k}]") for k, line in enumerate(
            line for line in self.authors.toPlainText().splitlines() if line.strip())]
        return {"source_id": self.source_id.text(), "title": self.title.text(),
                "published": self.published.text(), "text": self.text.toPlainText(),
                "url": self.lines["url"].text(),
                "pages": self.loaded.pages if self.loaded is not None else (),
                "version_of": self.base.currentText().strip() if self.version.isChecked()
                else "", "meta": meta, "calendar": self.calendar.currentData()}

    def show_error(self, exc: HindsightError) -> None:
        field = exc.field.split(".")[0].split("[")[0] if isinstance(exc, InvalidInput) else ""
        label = _LABELS.get(field, field)
        message = exc.message if isinstance(exc, InvalidInput) else str(exc)
        self.error.setText(f"{label}: {message}" if label else message)
        self.error.show()

    def save(self) -> None:
        """Write the source; on any error say it and stay open, having written nothing."""
        if not self.text.toPlainText().strip():
            self.error.setText("Text: paste the source's text or choose its file")
            self.error.show()
            return
        if not self.published.text().strip():
            self.error.setText("Published: give the date it was published (EDTF)")
            self.error.show()
            return
        try:
            values = self.values()
            self.archive.add_source(**values)
        except HindsightError as exc:
            self.show_error(exc)
            return
        self.added = values["source_id"].strip()
        self.accept()


class SourceWindow(QDialog):
    """A source on its own, in a source viewer (the one just added)."""

    def __init__(self, source: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Source {source['id']}")
        self.resize(620, 520)
        self.viewer = SourceViewer()
        layout = QVBoxLayout(self)
        layout.addWidget(self.viewer)
        self.viewer.show_source(source)


def open_add_source(window: MainWindow) -> AddSourceDialog | None:
    """The Add Source dialog (None when the archive cannot be changed now: ``WriteGuard``)."""
    if not window.writing.allowed():
        return None
    dialog = AddSourceDialog(window.session.archive, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: _on_added(window, dialog))
    dialog.open()
    window.dialog = dialog
    return dialog


def _on_added(window: MainWindow, dialog: AddSourceDialog) -> None:
    source_id = dialog.added
    if source_id is None:
        return
    window.session.reload()
    window.statusBar().showMessage(f"Added source {source_id}", 10000)
    try:
        source = window.session.archive.source(source_id)
    except HindsightError:
        return
    viewer = SourceWindow(source, window)
    claim_from_selection.attach(window, viewer.viewer)  # Record Claim from Selection…
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    viewer.show()
    window.source_window = viewer


def install(window: MainWindow) -> QAction:
    """File → Add Source…, after Import."""
    action = QAction("Add &Source…", window)
    action.setStatusTip("Add a source: its text (pasted, or a text, Markdown, HTML or PDF "
                        "file) and how it is cited")
    action.triggered.connect(lambda: open_add_source(window))
    file_menu = next(o for o in window.import_action.associatedObjects()
                     if isinstance(o, QMenu))
    actions = file_menu.actions()
    after = actions.index(window.import_action) + 1
    file_menu.insertAction(actions[after] if after < len(actions) else None, action)
    window.add_source_action = window.writing.watch(action)
    return action
