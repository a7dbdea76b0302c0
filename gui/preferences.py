"""File → Preferences…: the name recorded with each change this app writes ("Your name"),
kept in QSettings and applied to the engine for this process (``timeline.api.set_author``,
as ``HINDSIGHT_AUTHOR`` would be). Left empty, changes are recorded as ``HINDSIGHT_AUTHOR``
or the operating-system user; a team archive on PostgreSQL records it beside the database role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from timeline.api import HindsightError, local_author, set_author

if TYPE_CHECKING:
    from gui.main_window import MainWindow

AUTHOR_KEY = "preferences/author"


def saved_author(settings: QSettings) -> str:
    return str(settings.value(AUTHOR_KEY, "") or "")


def apply_saved_author(settings: QSettings) -> None:
    """Record this process's changes as the name saved in the preferences (a saved name
    that is not one any more is ignored: the default applies)."""
    try:
        set_author(saved_author(settings) or None)
    except HindsightError:
        set_author(None)


class PreferencesDialog(QDialog):
    """The preferences: your name. Stays open on a name that cannot be recorded, saying why."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.name_edit = QLineEdit(saved_author(settings))
        self.name_edit.setObjectName("authorEdit")
        self.name_edit.setMaxLength(200)  # the engine says what is too long
        set_author(None)
        default = self._default()
        apply_saved_author(settings)
        self.name_edit.setPlaceholderText(default or "your name, e.g. Ana Lopes")
        form = QFormLayout()
        form.addRow("Your name (recorded with each change):", self.name_edit)
        hint = QLabel("Empty: " + (f"“{default}” (HINDSIGHT_AUTHOR or your user name)"
                                   if default else "nobody") +
                      ". On a team archive it is recorded beside your database role.")
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        self.error = QLabel()
        self.error.setObjectName("authorError")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @staticmethod
    def _default() -> str | None:
        try:
            return local_author()
        except HindsightError:
            return None

    def accept(self) -> None:
        name = self.name_edit.text().strip()
        try:
            set_author(name or None)
        except HindsightError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.settings.setValue(AUTHOR_KEY, name)
        self.settings.sync()
        super().accept()


def install(window: MainWindow) -> QAction:
    """Add File → Preferences… to the window, and apply the saved name now."""
    apply_saved_author(window.settings)
    action = QAction("&Preferences…", window)
    action.setObjectName("preferencesAction")
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.setStatusTip("Your name, recorded with each change you make")

    def open_dialog() -> None:
        dialog = PreferencesDialog(window.settings, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        window.dialog = dialog

    action.triggered.connect(open_dialog)
    file_menu = menu_named(window, "&File")
    file_menu.insertAction(window.quit_action, action)
    file_menu.insertSeparator(window.quit_action)
    return action


def menu_named(window: MainWindow, title: str) -> QMenu:
    """One of the window's menus, by its title ("&File")."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if action.text() == title and isinstance(menu, QMenu):
            return menu
    raise LookupError(title)
