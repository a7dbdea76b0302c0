"""Issue 16, item 3: the record dialog offers the Julian calendar; a Julian date is shown as
written with its calendar named, and the tooltips give its Gregorian days."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from gui.correction_dialogs import RecordClaimDialog, SupersedeDialog
from gui.models import StateModel
from timeline import dates

STATEMENT = "Peter the Great visited London"


def _record_julian(window, qtbot) -> RecordClaimDialog:  # type: ignore[no-untyped-def]
    dialog = window.open_record_dialog()
    assert isinstance(dialog, RecordClaimDialog)
    assert [dialog.calendar.itemText(k) for k in range(dialog.calendar.count())] == [
        "Gregorian", "Julian"]
    assert dialog.calendar.currentData() == "gregorian"
    dialog.subject.setEditText("Peter the Great")
    dialog.predicate.setEditText("visited")
    dialog.object.setEditText("London")
    dialog.valid.edit.clear()
    qtbot.keyClicks(dialog.valid.edit, "1700-02-29")
    return dialog


def _row(window, statement: str, column: int):  # type: ignore[no-untyped-def]
    model = window.state_panel.model
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            if model.index(r, StateModel.FACT, group).data() == statement:
                return model.index(r, column, group)
    raise AssertionError(f"no row {statement!r}")


def test_a_gregorian_29_february_1700_is_refused_and_the_julian_one_recorded(window, archive,
                                                                             qtbot):
    dialog = _record_julian(window, qtbot)
    assert not dialog.ok_button.isEnabled()
    error = dialog.valid.error_label.text()
    assert "day 29 is out of range for 1700-02 in the Gregorian calendar" in error
    dialog.calendar.setCurrentIndex(dialog.calendar.findData("julian"))
    assert not dialog.valid.error_label.isVisible()
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    claim = archive.claim(dialog.result_id)
    assert (claim.valid, claim.calendar) == ("1700-02-29", "julian")
    assert dates.day_to_iso(claim.start_lo) == "1700-03-11"


def test_the_state_shows_the_julian_date_and_its_gregorian_day_in_the_tooltip(window, qtbot):
    dialog = _record_julian(window, qtbot)
    dialog.calendar.setCurrentIndex(dialog.calendar.findData("julian"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    window.session.set_as_of(dates.parse_day("1700-03-10"))
    assert STATEMENT not in [f.statement for f in window.state_panel.model.facts()]
    window.session.set_as_of(dates.parse_day("1700-03-11"))
    valid = _row(window, STATEMENT, StateModel.VALID)
    assert valid.data() == "1700-02-29 (Julian)"
    tip = valid.data(Qt.ItemDataRole.ToolTipRole)
    assert "Valid: 1700-02-29, 29 February 1700 (Julian)" in tip
    assert "That is 11 March 1700 (Gregorian)" in tip
    window.session.select_fact(next(f for f in window.session.state.facts
                                     if f.statement == STATEMENT))
    details = window.citations.details
    assert "valid 1700-02-29 (Julian)" in details.text()
    assert details.toolTip() == "Valid 11 March 1700 (Gregorian)"


def test_a_gregorian_fact_has_no_calendar_named(window):
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    fact = next(f for f in window.session.state.facts
                if f.statement == "Mustafa Suleyman works for Microsoft")
    valid = _row(window, fact.statement, StateModel.VALID)
    assert "(" not in valid.data()
    assert "Gregorian" not in valid.data(Qt.ItemDataRole.ToolTipRole)


def test_superseding_a_julian_claim_reads_the_new_date_in_its_calendar(window, archive, qtbot):
    dialog = _record_julian(window, qtbot)
    dialog.calendar.setCurrentIndex(dialog.calendar.findData("julian"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    window.session.set_as_of(dates.parse_day("1700-03-11"))
    fact = next(f for f in window.session.state.facts if f.statement == STATEMENT)
    window.session.select_fact(fact)
    window.supersede_action.trigger()
    supersede = window.dialog
    assert isinstance(supersede, SupersedeDialog)
    supersede.valid.setText("1800-02-29")  # a Julian leap day, not a Gregorian one
    assert supersede.valid.error() is None
    supersede.valid.setText("1700-02-28")
    qtbot.mouseClick(supersede.ok_button, Qt.MouseButton.LeftButton)
    assert supersede.result() == QDialog.DialogCode.Accepted
    new = archive.claim(supersede.result_id)
    assert (new.valid, new.calendar) == ("1700-02-28", "julian")
    assert dates.day_to_iso(new.start_lo) == "1700-03-10"


def test_a_source_published_on_a_julian_date(window, qtbot):  # type: ignore[no-untyped-def]
    from gui.add_source import open_add_source

    dialog = open_add_source(window)
    qtbot.keyClicks(dialog.text, "He came to London.")
    qtbot.keyClicks(dialog.source_id, "diary")
    qtbot.keyClicks(dialog.title, "A diary")
    qtbot.keyClicks(dialog.published.edit, "1700-02-29")
    assert "Gregorian calendar" in (dialog.published.error() or "")
    dialog.calendar.setCurrentIndex(dialog.calendar.findData("julian"))
    assert dialog.published.error() is None
    dialog.save_button.click()
    assert not dialog.isVisible()
    source = window.session.archive.source("diary")
    assert (source["published"], source["calendar"]) == ("1700-02-29", "julian")
    assert "Published 1700-02-29 (Julian)" in window.source_window.viewer.meta.text()
    window.source_window.close()
    record = window.open_record_dialog()
    record.source.setCurrentIndex(record.source.findData("diary"))
    assert record.source.currentText() == "A diary (1700-02-29 (Julian))"
    assert record.known_at.text() == "1700-03-11"  # the Gregorian day it was surely known by
