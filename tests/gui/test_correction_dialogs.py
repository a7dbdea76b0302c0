"""Issue 4, point 8: record, retract, supersede and rerank from dialogs that validate as you
type; every correction is a new event, shows at once, and the earlier belief stays visible
"as known on" a day before it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from gui import formatting
from gui.correction_dialogs import (
    RecordClaimDialog,
    RerankDialog,
    RetractDialog,
    SupersedeDialog,
)
from timeline import dates

SOURCE = "002_e4e0b306e2a42f4d.txt"


def _fill_record(dialog: RecordClaimDialog, qtbot, valid: str) -> None:  # type: ignore
    dialog.subject.setEditText("Satya Nadella")
    dialog.predicate.setEditText("attended")
    dialog.object.setEditText("annual conference in Idaho")
    dialog.valid.edit.clear()
    qtbot.keyClicks(dialog.valid.edit, valid)


def test_record_dialog_refuses_a_bad_edtf_date_until_it_is_fixed(window, qtbot):
    dialog = window.open_record_dialog()
    assert isinstance(dialog, RecordClaimDialog)
    _fill_record(dialog, qtbot, "2018-13")
    assert not dialog.ok_button.isEnabled()
    assert dialog.valid.error_label.isVisible()
    assert "'2018-13' is not a valid EDTF date" in dialog.valid.error_label.text()
    dialog.valid.edit.clear()
    qtbot.keyClicks(dialog.valid.edit, "2018-22")
    assert dialog.ok_button.isEnabled()
    assert not dialog.valid.error_label.isVisible()
    assert "annual conference in Idaho" in dialog.note.text()  # a new entity, said so


def test_record_dialog_checks_the_quote_against_the_source(window, qtbot):
    dialog = window.open_record_dialog()
    _fill_record(dialog, qtbot, "2018-22")
    dialog.source.setCurrentIndex(dialog.source.findData(SOURCE))
    assert dialog.known_at.text() == "2025-05-02"  # the source's publication date
    qtbot.keyClicks(dialog.quote, "they met at a conference")
    assert not dialog.ok_button.isEnabled()
    assert "not verbatim" in dialog._checked["quote"].error.text()
    dialog.quote.setText("at an annual conference in Idaho")
    assert dialog.ok_button.isEnabled()


def test_a_recorded_claim_is_a_new_event_and_appears_at_once(window, archive, qtbot):
    window.session.set_as_of(dates.parse_day("2018-07-15"))
    events = archive.statistics()["events"]
    dialog = window.open_record_dialog()
    _fill_record(dialog, qtbot, "2018-22")
    dialog.source.setCurrentIndex(dialog.source.findData(SOURCE))
    dialog.quote.setText("at an annual conference in Idaho")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert archive.statistics()["events"] > events
    shown = [f.statement for f in window.state_panel.model.facts()]
    assert "Satya Nadella attended annual conference in Idaho" in shown
    assert window.session.fact is not None
    assert window.session.fact.claim.id == dialog.result_id
    assert "annual conference in Idaho" in window.graph.nodes


def _select(window, statement: str):  # type: ignore[no-untyped-def]
    fact = next(f for f in window.session.state.facts if f.statement == statement)
    window.session.select_fact(fact)
    return fact


def test_retract_shows_at_once_and_the_old_belief_stays_visible_before_it(window, archive,
                                                                          qtbot):
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    fact = _select(window, "Mustafa Suleyman works for Microsoft")
    events = archive.statistics()["events"]
    window.retract_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, RetractDialog)
    assert dialog.known_at.text() == formatting.iso(formatting.today())
    dialog.reason.setText("misread the source")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert archive.statistics()["events"] == events + 1
    assert fact.claim.id not in {f.claim.id for f in window.state_panel.model.facts()}
    assert ("Microsoft", "Mustafa Suleyman") not in window.graph.visible_edges()
    window.session.set_known_as_of(formatting.today() - 1)
    assert fact.claim.id in {f.claim.id for f in window.state_panel.model.facts()}


def test_retract_dialog_refuses_a_bad_known_date(window, qtbot):
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    _select(window, "Mustafa Suleyman works for Microsoft")
    dialog = window.open_claim_dialog(RetractDialog)
    dialog.known_at.setText("2025-02-30")
    assert not dialog.ok_button.isEnabled()
    assert "out of range" in dialog.known_at.error_label.text()


def test_supersede_replaces_the_claim_and_keeps_the_old_one_in_the_record(window, archive,
                                                                          qtbot):
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    old = _select(window, "Microsoft invested in OpenAI: $1 billion")
    dialog = window.open_claim_dialog(SupersedeDialog)
    assert not dialog.ok_button.isEnabled()  # nothing changed yet
    dialog.value.setText("$1 billion, in cash and Azure credits")
    dialog.known_at.setText("2025-06-01")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    shown = {f.statement for f in window.state_panel.model.facts()}
    assert "Microsoft invested in OpenAI: $1 billion, in cash and Azure credits" in shown
    assert old.statement not in shown
    window.session.set_known_as_of(dates.parse_day("2025-05-31"))
    assert old.statement in {f.statement for f in window.state_panel.model.facts()}


def test_rerank_settles_a_contest(window, qtbot):
    window.session.set_as_of(dates.parse_day("2025-05-15"))
    fact = _select(window, "OpenAI relationship with Microsoft: close cooperation")
    assert fact.status == "CONTESTED"
    dialog = window.open_claim_dialog(RerankDialog)
    assert not dialog.ok_button.isEnabled()  # still its current rank
    dialog.rank.setCurrentText("preferred")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    statuses = {f.statement: f.status for f in window.state_panel.model.facts()}
    assert statuses["OpenAI relationship with Microsoft: close cooperation"] == "HOLDS"
    assert "OpenAI relationship with Microsoft: increasingly tense" not in statuses


def test_an_engine_refusal_is_shown_in_the_dialog_not_raised(window, archive, qtbot):
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    _select(window, "Mustafa Suleyman works for Microsoft")
    first = window.open_claim_dialog(RetractDialog)
    second = window.open_claim_dialog(RetractDialog)
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    second.reason.setText("again")  # revalidates: the claim is already retracted
    assert not second.ok_button.isEnabled()
    assert "already retracted" in second.error.text()
    second.accept()  # even forced, it refuses without raising
    assert second.result() != QDialog.DialogCode.Accepted
