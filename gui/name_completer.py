"""Completion of entity names as you type: every name *and alias*, matched by the engine's
names rule (``timeline.api.complete_names``: case, accents, curly quotes and spacing do not
count), those that begin with what is typed first. An alias is offered with its entity —
"Optimus → Sam Altman" — and choosing it fills the field with the entity's name."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from timeline.api import Archive, complete_names

#: What a choice fills the field with (the entity's name).
FILL_ROLE = Qt.ItemDataRole.UserRole + 1


def shown(name: str, entity: str) -> str:
    """How a completion reads: the name, or the alias and the entity it stands for."""
    return name if name == entity else f"{name} → {entity}"


class NameCompleter(QCompleter):
    """A completer over an archive's names and aliases, refilled on every keystroke (the
    engine matches; the popup shows what it found, unfiltered)."""

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self._pairs: list[tuple[str, str]] | None = None
        self.names = QStandardItemModel(self)
        self.setModel(self.names)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompletionRole(FILL_ROLE)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(12)

    def pairs(self) -> list[tuple[str, str]]:
        """The archive's names and aliases with their entities, read once."""
        if self._pairs is None:
            self._pairs = self.archive.name_pairs()
        return self._pairs

    def offer(self, typed: str) -> list[str]:
        """Fill the popup with what ``typed`` completes to; returns the lines shown."""
        self.names.clear()
        lines = []
        for name, entity in complete_names(typed, self.pairs()):
            item = QStandardItem(shown(name, entity))
            item.setData(entity, FILL_ROLE)
            item.setToolTip(f"{name} — a name of {entity}" if name != entity else name)
            self.names.appendRow(item)
            lines.append(item.text())
        return lines

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(FILL_ROLE) or "")


def attach(field: QComboBox | QLineEdit, archive: Archive) -> NameCompleter:
    """Give an entity field (an editable combo box or a line edit) the names completer."""
    completer = NameCompleter(archive, field)
    edit = field.lineEdit() if isinstance(field, QComboBox) else field
    assert edit is not None
    # On the line edit itself: a combo box's own completer is taken to complete the box's
    # items (it sets the current item from the row chosen).
    edit.setCompleter(completer)

    def typed(text: str) -> None:  # only what the user types: the field has the focus
        if completer.offer(text):
            completer.complete()
        elif (popup := completer.popup()) is not None:
            popup.hide()

    edit.textEdited.connect(typed)
    # A line edit fills itself from its completer only while it has the focus; the popup
    # may have it.
    completer.activated[str].connect(edit.setText)  # type: ignore[index]
    return completer
