"""Tags in the window: tag and untag a claim (the state panel's context menu, the Claims
menu) or a source (the citation list's context menu), and the tag filter above the state
panel, which narrows the state — the state panel and the graph — to the facts with the tag.

A tag is the engine's (``timeline.api``: ``Archive.tag``, ``untag``, ``all_tags``); a fact's
tags (``FactView.tags``) are its claims' and its cited sources'. ``install(window)`` adds all
this to the main window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QSignalBlocker, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from gui.session import Session
from timeline.api import Archive, HindsightError, clean_tag

if TYPE_CHECKING:
    from gui.main_window import MainWindow

_ANY = "Any tag"
_SOURCE_ROLE = Qt.ItemDataRole.UserRole  # a citation item's source id (gui.citation_panel)


class TagDialog(QDialog):
    """Put a tag on a claim or a source (``remove``: take one off), with completion from the
    archive's tags. The dialog stays open on an error, saying it."""

    def __init__(self, archive: Archive, kind: str, target_id: str, what: str, *,
                 remove: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.kind, self.target_id, self.remove = archive, kind, target_id, remove
        #: The tag written, once the dialog is accepted.
        self.result_tag: str | None = None
        self.setWindowTitle(("Remove Tag from " if remove else "Tag ") + kind.capitalize())
        about = QLabel(f"{'Claim' if kind == 'claim' else 'Source'}: {what}")
        about.setTextFormat(Qt.TextFormat.PlainText)
        about.setWordWrap(True)
        held = [t["tag"] for t in archive.tags(kind, target_id)]
        self.current = QLabel("Tags: " + (", ".join(held) if held else "none yet"))
        self.current.setTextFormat(Qt.TextFormat.PlainText)
        self.current.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setObjectName("tagEdit")
        self.edit.setPlaceholderText("a short label, e.g. board crisis")
        self.edit.setMaxLength(200)  # the engine says what is too long
        choices = held if remove else [t["tag"] for t in archive.all_tags()]
        completer = QCompleter(choices, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        if remove and held:
            self.edit.setText(held[-1])
        self.error = QLabel()
        self.error.setObjectName("tagError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Remove" if remove else "Tag")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.current)
        layout.addWidget(QLabel("Tag:"))
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def accept(self) -> None:
        """Write the tag (or take it off); on an error, say it and stay open."""
        text = self.edit.text()
        try:
            tag = clean_tag(text)
            if self.remove:
                self.archive.untag(self.kind, self.target_id, tag)
            elif not self.archive.tag(self.kind, self.target_id, tag):
                raise HindsightError(f"this {self.kind} already has the tag '{tag}'")
        except HindsightError as exc:
            message = str(exc)
            self.error.setText(message[:1].upper() + message[1:])
            self.error.show()
            return
        self.result_tag = tag
        super().accept()


class TagFilter(QWidget):
    """"Tag: [Any tag ▾]" above the state panel: the state narrowed to the facts with the
    tag chosen. Shown when the archive has tags (or a tag is chosen)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("tagFilter")
        self.combo = QComboBox()
        self.combo.setObjectName("tagFilterBox")
        self.combo.setToolTip("Show only the facts with this tag (on the claim, or on a "
                              "source it cites), here and in the graph")
        self.combo.setMinimumContentsLength(14)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Tag:"))
        row.addWidget(self.combo, 1)
        self.combo.currentIndexChanged.connect(self._on_chosen)
        session.archive_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """The archive's tags as choices; the one chosen stays chosen while it exists."""
        tags = self.session.view.all_tags()
        chosen = self.session.tags[0] if self.session.tags else None
        with QSignalBlocker(self.combo):
            self.combo.clear()
            self.combo.addItem(_ANY)
            self.combo.addItems(tags)
            found = self.combo.findText(chosen, Qt.MatchFlag.MatchFixedString) if chosen else 0
            self.combo.setCurrentIndex(max(0, found))
        if chosen and found < 0:
            self.session.set_tags([])  # taken off everything: no filter left
        self.setVisible(bool(tags) or bool(self.session.tags))

    def choose(self, tag: str | None) -> None:
        """Filter by ``tag`` (None: every fact)."""
        found = self.combo.findText(tag, Qt.MatchFlag.MatchFixedString) if tag else 0
        self.combo.setCurrentIndex(max(0, found))

    def _on_chosen(self, row: int) -> None:
        self.session.set_tags([self.combo.itemText(row)] if row > 0 else [])


class Tagging:
    """The window's tag actions and filter (``install``)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session = window.session
        self.dialog: TagDialog | None = None
        self.tag_action = QAction("&Tag Claim…", window)
        self.tag_action.setStatusTip("Put a tag on the selected fact's claim")
        self.tag_action.triggered.connect(lambda: self.open_claim_dialog())
        self.untag_action = QAction("Remove Ta&g…", window)
        self.untag_action.setStatusTip("Take a tag off the selected fact's claim")
        self.untag_action.triggered.connect(lambda: self.open_claim_dialog(remove=True))
        window.state_panel.fact_actions += [None, self.tag_action, self.untag_action]
        for action in window.menuBar().actions():
            if action.text() == "&Claims" and action.menu() is not None:
                menu = action.menu()
                menu.addSeparator()  # type: ignore[union-attr]
                menu.addAction(self.tag_action)  # type: ignore[union-attr]
                menu.addAction(self.untag_action)  # type: ignore[union-attr]
        self.filter = TagFilter(self.session)
        panel_layout = window.state_panel.layout()
        assert isinstance(panel_layout, QVBoxLayout)
        panel_layout.insertWidget(2, self.filter)  # under the entity and text filters
        citations = window.citations.citations
        citations.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        citations.customContextMenuRequested.connect(self._on_citation_menu)
        window.writing.watch(self.tag_action, lambda: self.session.fact is not None)
        window.writing.watch(self.untag_action, self._tagged)

    def _tagged(self) -> bool:
        """Whether the selected fact's claim has a tag to take off."""
        fact = self.session.fact
        return fact is not None and bool(self.session.archive.tags("claim", fact.claim.id))

    def open_claim_dialog(self, *, remove: bool = False) -> TagDialog | None:
        """Tag (or untag) the selected fact's claim."""
        fact = self.session.fact
        if fact is None or not self.window.writing.allowed():
            return None
        return self._open(TagDialog(self.session.archive, "claim", fact.claim.id,
                                    fact.statement, remove=remove, parent=self.window))

    def open_source_dialog(self, source_id: str, *, remove: bool = False) -> TagDialog | None:
        """Tag (or untag) a source (None when the archive cannot be changed now)."""
        if not self.window.writing.allowed():
            return None
        try:
            title = str(self.session.archive.source(source_id)["title"])
        except HindsightError:
            title = source_id
        return self._open(TagDialog(self.session.archive, "source", source_id, title,
                                    remove=remove, parent=self.window))

    def _open(self, dialog: TagDialog) -> TagDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_accepted(dialog))
        dialog.open()
        self.dialog = dialog
        self.window.dialog = dialog
        return dialog

    def _on_accepted(self, dialog: TagDialog) -> None:
        claim = self.session.fact.claim.id if self.session.fact is not None else None
        self.session.reload()
        if claim is not None:
            self.session.select_claim(claim)
        self.window.writing.update(self.untag_action)
        done = "Untagged" if dialog.remove else "Tagged"
        self.window.statusBar().showMessage(
            f"{done} {dialog.kind} {dialog.target_id}: {dialog.result_tag}", 10000)

    def _on_citation_menu(self, pos: QPoint) -> None:
        citations: QListWidget = self.window.citations.citations
        item = citations.itemAt(pos)
        source_id = item.data(_SOURCE_ROLE) if item is not None else None
        if source_id:
            self.source_menu(source_id).exec(citations.viewport().mapToGlobal(pos))

    def source_menu(self, source_id: str) -> QMenu:
        """A cited source's context menu: tag it, or take a tag off it — disabled, saying
        why, when the archive cannot be changed now (``WriteGuard``)."""
        menu = QMenu(self.window.citations.citations)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setToolTipsVisible(True)
        refused = self.window.writing.refused()
        add = menu.addAction("Tag Source…", lambda: self.open_source_dialog(source_id))
        remove = menu.addAction("Remove Tag from Source…",
                                lambda: self.open_source_dialog(source_id, remove=True))
        add.setEnabled(refused is None)
        remove.setEnabled(refused is None
                          and bool(self.session.archive.tags("source", source_id)))
        for action in (add, remove):
            action.setToolTip(refused or "")
        return menu


def install(window: MainWindow) -> Tagging:
    """Add tagging and the tag filter to the main window (after its menus and fact actions)."""
    return Tagging(window)
