"""Issue 16, item 2: the Record Claim dialog can give a start or an end relative to another
claim's start or end, with an offset; the engine's refusals show under that field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from gui import formatting
from gui.correction_dialogs import RecordClaimDialog
from timeline import dates


def _fill(dialog: RecordClaimDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog.subject.setEditText("Satya Nadella")
    dialog.predicate.setEditText("prepared_for")
    dialog.value.setText("the conference")
    dialog.valid.edit.clear()
    qtbot.keyClicks(dialog.valid.edit, "2010/")


def test_record_a_claim_that_ends_relative_to_another(window, archive, qtbot):
    window.session.set_as_of(dates.parse_day("2019-01-01"))
    dialog = window.open_record_dialog()
    assert isinstance(dialog, RecordClaimDialog)
    _fill(dialog, qtbot)
    end = dialog.relative["end"]
    assert not end.details.isVisible()
    qtbot.mouseClick(end.enabled, Qt.MouseButton.LeftButton)
    assert end.details.isVisible()
    anchor = window.session.state.facts[0]
    end.anchor.setCurrentIndex(end.anchor.findData(anchor.claim.id))
    end.edge.setCurrentIndex(end.edge.findData("start"))
    qtbot.keyClicks(end.offset, "-P1D")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = archive.readmodel.claim(str(dialog.result_id))
    assert row is not None
    # It ended the day before the other claim began: its last day is anchor.start_lo - 1.
    assert (row.end_lo, row.end_hi) == (anchor.claim.start_lo, anchor.claim.start_hi)
    said = {h["id"]: h["relative"] for h in archive.history("Satya Nadella")}
    words = (f"start: 2010; end: 1 day before the start of “{anchor.statement}” "
             f"({anchor.claim.id})")
    assert said[dialog.result_id] == words
    # The app shows it: selected on a day it holds, its panel says how it is dated.
    window.session.set_as_of(dates.parse_day("2012-06-01"))
    fact = next(f for f in window.session.state.facts if f.claim.id == dialog.result_id)
    window.session.select_fact(fact)
    assert formatting.rich(words) in window.citations.notes.text()


def test_a_bad_offset_and_an_unknown_claim_are_shown_under_the_field(window, qtbot):
    dialog = window.open_record_dialog()
    _fill(dialog, qtbot)
    start = dialog.relative["start"]
    start.enabled.setChecked(True)
    start.anchor.setEditText("no-such-claim")
    assert not dialog.ok_button.isEnabled()
    error = dialog._checked["valid.start"].error
    assert error.isVisible()
    assert error.text() == "no claim 'no-such-claim'"
    start.anchor.setCurrentIndex(0)
    qtbot.keyClicks(start.offset, "PT1H")
    assert not dialog.ok_button.isEnabled()
    assert "has a time part" in error.text()
    start.offset.clear()
    qtbot.keyClicks(start.offset, "P2W")
    assert dialog.ok_button.isEnabled()
    assert not error.isVisible()
    start.enabled.setChecked(False)  # unticked, the Valid field alone counts again
    assert dialog.ok_button.isEnabled()
