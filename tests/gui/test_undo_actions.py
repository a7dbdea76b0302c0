"""Issue 18, items 6 and 7 in the window: Ctrl+Z undoes what you did last (a retraction made
in the retraction dialog comes back in the state panel), Ctrl+Shift+Z redoes it, and the name
in File → Preferences… is recorded with each change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from gui.correction_dialogs import RetractDialog
from gui.preferences import AUTHOR_KEY, PreferencesDialog
from timeline import dates

pytestmark = pytest.mark.usefixtures("ana_author")  # Undo and Redo act on what "ana" did


STATEMENT = "Mustafa Suleyman works for Microsoft"


def _shown(window) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.statement for f in window.state_panel.model.facts()}


def test_ctrl_z_restores_a_retracted_claim_and_ctrl_shift_z_retracts_it_again(window, qtbot):
    undo, redo = window.undoing.undo_action, window.undoing.redo_action
    assert not undo.isEnabled() or "Write of" in undo.text()  # only the import, by the OS user
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    fact = next(f for f in window.session.state.facts if f.statement == STATEMENT)
    window.session.select_fact(fact)
    window.retract_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, RetractDialog)
    dialog.reason.setText("misread the source")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert STATEMENT not in _shown(window)
    assert undo.isEnabled() and undo.text() == f"&Undo Retraction of {fact.claim.id}"
    assert not redo.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert STATEMENT in _shown(window)
    assert redo.isEnabled() and redo.text() == f"&Redo Retraction of {fact.claim.id}"
    assert "Undid: retraction of" in window.statusBar().currentMessage()
    window.session.select_fact(next(f for f in window.session.state.facts
                                    if f.statement == STATEMENT))
    notes = window.citations.notes.text()  # the claim's history: who, when, why, undone
    assert "Retracted as known from" in notes and ": misread the source — ana, " in notes
    assert "; undone by ana, " in notes and "Restored as known from" in notes
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert STATEMENT not in _shown(window)
    assert undo.text() == f"&Undo Retraction of {fact.claim.id}"


def test_the_name_in_the_preferences_is_recorded(window, archive, settings, qtbot):
    window.undoing.preferences_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, PreferencesDialog)
    dialog.name_edit.setText("Bea\u202eSmith")
    dialog.accept()
    assert dialog.error.isVisible() and "not a printable character" in dialog.error.text()
    dialog.name_edit.setText("Bea Smith")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.value(AUTHOR_KEY) == "Bea Smith"
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    fact = next(f for f in window.session.state.facts if f.statement == STATEMENT)
    archive.tag("claim", fact.claim.id, "checked")
    window.session.reload()
    assert window.undoing.undo_action.text() == f"&Undo Tag 'checked' on claim {fact.claim.id}"
    archive.retract(fact.claim.id, reason="duplicate")
    fixes = archive.corrections(fact.claim.id)
    assert [(f["recorded_by"], f["reason"]) for f in fixes] == [("Bea Smith", "duplicate")]
