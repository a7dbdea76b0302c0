"""Asking before a new entity is made of a name close to one the archive holds.

The engine refuses such a name (``NearNames``: "Mira Murati" is close to "Mira"); the record
dialog then asks — *‘Mira Murati’ is close to ‘Mira’ (person). Use ‘Mira’ / Create a new
entity / Cancel* — instead of only showing the refusal. *Use* puts the existing name in the
field (the subject or the object, whichever was refused); *Create a new entity* records the
claim with the new entity confirmed.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from gui import formatting
from timeline.api import NearNames

if TYPE_CHECKING:
    from gui.correction_dialogs import RecordClaimDialog


class Choice(Enum):
    USE = "use"
    CREATE = "create"
    CANCEL = "cancel"


def _near_text(near: str, kind: str, entity: str) -> str:
    alias = "" if near == entity else f", a name of ‘{entity}’"
    return f"‘{near}’ ({kind}{alias})"


def question(refusal: NearNames, parent: QWidget | None = None) -> QMessageBox:
    """The question for a refused name: its buttons are *Use ‘…’* (the closest name),
    *Create a new entity* and *Cancel* (``box.use_button``, ``box.create_button``)."""
    near, kind, entity = refusal.candidates[0]
    others = [_near_text(*c) for c in refusal.candidates[1:]]
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("A Name Close to Another")
    box.setTextFormat(Qt.TextFormat.RichText)
    text = f"‘{refusal.name}’ is close to {_near_text(near, kind, entity)}."
    if others:
        text += " Also close: " + ", ".join(others) + "."
    box.setText(formatting.rich(text) + "<br><br>Use the existing entity, or "
                "create a new one?")
    use = box.addButton(f"Use ‘{entity}’", QMessageBox.ButtonRole.AcceptRole)
    create = box.addButton("Create a New Entity", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(use)
    box.use_button, box.create_button = use, create  # type: ignore[attr-defined]
    box.entity = entity  # type: ignore[attr-defined]
    return box


def ask(refusal: NearNames, parent: QWidget | None = None) -> tuple[Choice, str]:
    """Ask; returns the choice and, for *Use*, the existing entity's name."""
    box = question(refusal, parent)
    box.exec()
    clicked = box.clickedButton()
    if clicked is box.use_button:  # type: ignore[attr-defined]
        return Choice.USE, box.entity  # type: ignore[attr-defined]
    if clicked is box.create_button:  # type: ignore[attr-defined]
        return Choice.CREATE, ""
    return Choice.CANCEL, ""


def settle(dialog: RecordClaimDialog) -> bool:
    """Ask about the record dialog's refused name; True when the claim can now be recorded
    (*Use* chose a name the archive holds, or *Create* confirmed the new entity)."""
    refusal = dialog.refusal
    if refusal is None:
        return False
    choice, entity = ask(refusal, dialog)
    if choice is Choice.USE:
        field = dialog.object if refusal.field == "object" else dialog.subject
        field.setEditText(entity)
    elif choice is Choice.CREATE:
        dialog.new_entity.setChecked(True)
    else:
        return False
    return dialog.validate()
