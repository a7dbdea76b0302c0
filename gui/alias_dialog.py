"""Claims → Add Alias…: another name the sources use for an entity ("Optimus" for Sam Altman,
in a machine translation), written as an event (``Archive.alias``) like every other write, and
undone by Ctrl+Z. Once given, the alias finds the entity everywhere a name does: the entity
field's completion, a passage's suggestions, ``--entity`` and search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gui import name_completer
from timeline.api import Archive, HindsightError

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class AliasDialog(QDialog):
    """Give an entity (a name or one of its aliases) another name. The dialog stays open on
    an error (an unknown entity, a name that is another entity's, blank text), saying it."""

    def __init__(self, archive: Archive, entity: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        #: (entity, alias) as written, once the dialog is accepted.
        self.written: tuple[str, str] | None = None
        self.setWindowTitle("Add Alias")
        self.entity = QLineEdit(entity or "")
        self.entity.setObjectName("aliasEntity")
        self.entity.setPlaceholderText("the entity: a name or an alias it has")
        name_completer.attach(self.entity, archive)
        self.alias = QLineEdit()
        self.alias.setObjectName("aliasName")
        self.alias.setPlaceholderText("another name the sources use, e.g. Optimus")
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d0312d;")
        self.error.hide()
        form = QFormLayout()
        form.addRow("Entity:", self.entity)
        form.addRow("Alias:", self.alias)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add Alias")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.alias if entity else self.entity).setFocus()

    def accept(self) -> None:
        entity, alias = self.entity.text().strip(), self.alias.text()
        try:
            if not entity:
                raise HindsightError("name the entity the alias is for")
            name = str(self.archive.entity(entity)["name"])
            self.archive.alias(name, alias)
        except HindsightError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.written = (name, alias.strip())
        super().accept()


class Aliasing:
    """The window's Add Alias… action (``install``)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session = window.session
        self.dialog: AliasDialog | None = None
        self.action = QAction("Add &Alias…", window)
        self.action.setStatusTip("Give the selected entity another name its sources use")
        self.action.triggered.connect(lambda: self.open())
        window.writing.watch(self.action)
        for item in window.menuBar().actions():
            if item.text() == "&Claims" and item.menu() is not None:
                item.menu().addAction(self.action)  # type: ignore[union-attr]

    def open(self) -> AliasDialog | None:
        """The dialog for the selected entity (or none); the views reload once it writes.
        Window-modal, as every dialog that writes: the view cannot turn read-only under it
        ("As recorded on"). None when the archive cannot be changed now (``WriteGuard``)."""
        if not self.window.writing.allowed():
            return None
        self.dialog = AliasDialog(self.session.archive, self.session.entity, self.window)
        self.dialog.accepted.connect(self._written)
        self.dialog.open()
        return self.dialog

    def _written(self) -> None:
        assert self.dialog is not None and self.dialog.written is not None
        name, alias = self.dialog.written
        self.session.reload()
        self.window.statusBar().showMessage(f"Added the alias ‘{alias}’ of {name}", 8000)


def install(window: MainWindow) -> Aliasing:
    """Add Claims → Add Alias… to the main window."""
    return Aliasing(window)
