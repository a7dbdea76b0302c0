"""Issue 15, item 9, in the app: the record dialog refuses a new name close to one the archive
holds, lists the candidates, and records it as a new entity only once "Create a new entity" is
ticked; a name typed another way (case, spaces, a non-breaking space) is the entity it names."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from gui.correction_dialogs import RecordClaimDialog


def _fill(dialog: RecordClaimDialog, qtbot, obj: str) -> None:  # type: ignore[no-untyped-def]
    dialog.subject.setEditText("Satya Nadella")
    dialog.predicate.setEditText("met")
    dialog.valid.edit.clear()
    qtbot.keyClicks(dialog.valid.edit, "2024-03")
    dialog.object.setEditText(obj)


def test_a_close_new_name_needs_create_a_new_entity(window, archive, qtbot):
    events = archive.statistics()["events"]
    dialog = window.open_record_dialog()
    assert isinstance(dialog, RecordClaimDialog)
    assert not dialog.new_entity.isVisible()
    _fill(dialog, qtbot, "Mira Moratti")
    assert dialog.ok_button.isEnabled()  # Record asks about it (test_claim_from_selection)
    assert dialog.error.isVisible()
    assert dialog.error.text() == (
        "\"Mira Moratti\" is not in the archive; did you mean 'Mira Murati' (person)? "
        "Tick “Create a new entity” to create it.")
    assert dialog.new_entity.isVisible() and not dialog.new_entity.isChecked()
    assert archive.statistics()["events"] == events

    dialog.new_entity.setChecked(True)
    assert dialog.ok_button.isEnabled()
    assert not dialog.error.isVisible()
    assert "This will create the new entity ‘Mira Moratti’" in dialog.note.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert archive.statistics()["events"] > events
    assert window.session.archive.entity("mira moratti")["name"] == "Mira Moratti"
    assert window.session.archive.entity("Mira Murati")["name"] == "Mira Murati"


def test_a_name_typed_another_way_is_the_entity_and_asks_nothing(window, qtbot):
    dialog = window.open_record_dialog()
    _fill(dialog, qtbot, "  mira\u00a0MURATI ")
    assert dialog.ok_button.isEnabled()
    assert not dialog.new_entity.isVisible()
    assert not dialog.note.isVisible()  # no new entity


def test_a_name_close_to_nothing_is_created_without_asking(window, qtbot):
    dialog = window.open_record_dialog()
    _fill(dialog, qtbot, "Thinking Machines Lab")
    assert dialog.ok_button.isEnabled()
    assert not dialog.new_entity.isVisible()
    assert "This will create the new entity ‘Thinking Machines Lab’" in dialog.note.text()
