"""The third time in the window: "As recorded on" (a check box and a moment, UTC), off by
default, beside "As known on"; on, the state is the archive's as recorded then and the note
under the dates says that later entries are hidden."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui.recorded_control import from_qt, to_qt
from timeline import domain

CORRECTED = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
BEFORE = datetime(2030, 1, 1, 11, 0, tzinfo=UTC)
AFTER = datetime(2030, 1, 1, 12, 30, tzinfo=UTC)


def _frozen(moment: datetime) -> type[datetime]:
    """A ``datetime`` whose clock stands at ``moment`` (for the events' timestamps)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Frozen:  # type: ignore[override]
            return moment  # type: ignore[return-value]

    return Frozen


@pytest.fixture
def corrected(window: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """Retract Microsoft's investment, as if on 1 January 2030 at noon (UTC), with a known
    time before the claim's own: it leaves every "as known on" answer. Its claim id."""

    session = window.session
    fact = next(f for f in session.state.facts if "invested" in f.statement)
    with monkeypatch.context() as patch:
        patch.setattr(domain, "datetime", _frozen(CORRECTED))
        session.archive.retract(fact.claim.id, "2019-01-01", "a 2019 filing says otherwise")
    session.reload()
    return str(fact.claim.id)


def _shown(window: Any) -> set[str]:
    return {f.claim.id for f in window.state_panel.model.facts()}


def test_the_control_is_off_by_default_beside_as_known_on(window: Any) -> None:
    control = window.time_controls.recorded
    assert not control.check.isChecked() and not control.edit.isEnabled()
    assert control.check.text() == "As recorded on"
    assert window.session.recorded_as_of is None
    assert window.session.state.recorded_as_of is None
    assert window.time_controls.known_note.text() == "everything recorded"
    assert control.isVisible() and control.check.isVisible()


def test_as_recorded_on_shows_what_the_archive_said_before_a_correction(
        qtbot: Any, window: Any, corrected: str) -> None:
    controls = window.time_controls
    control = controls.recorded
    assert corrected not in _shown(window)
    control.edit.setDateTime(to_qt(BEFORE))
    assert window.session.recorded_as_of is None  # off: the moment waits
    qtbot.mouseClick(control.check, Qt.MouseButton.LeftButton)
    assert control.check.isChecked() and control.edit.isEnabled()
    assert window.session.recorded_as_of == BEFORE
    assert window.session.state.recorded_as_of == "2030-01-01T11:00:00Z"
    assert corrected in _shown(window)
    assert controls.known_note.text() == ("as recorded on 1 January 2030, 11:00 UTC (read-only): "
                                          "what was recorded after is hidden")

    control.edit.setDateTime(to_qt(AFTER))  # after the correction: gone again
    assert from_qt(control.edit.dateTime()) == AFTER
    assert window.session.state.recorded_as_of == "2030-01-01T12:30:00Z"
    assert corrected not in _shown(window)

    control.edit.setDateTime(to_qt(BEFORE))
    window.session.set_known_as_of(window.session.as_of)  # both apply
    assert corrected in _shown(window)  # not yet retracted then
    assert controls.known_note.text().startswith("later sources and corrections are hidden; "
                                                 "as recorded on 1 January 2030")
    window.session.set_known_as_of(window.session.as_of)
    window.session.set_known_as_of(17_000)  # 2016-07-18: the investment not yet known
    assert corrected not in _shown(window)
    window.session.set_known_as_of(None)

    control.edit.setDateTime(to_qt(datetime(2100, 1, 1, tzinfo=UTC)))  # nothing after it
    assert controls.known_note.text() == ("as recorded on 1 January 2100, 00:00 UTC (read-only): "
                                          "nothing was recorded after")
    qtbot.mouseClick(control.check, Qt.MouseButton.LeftButton)
    assert window.session.recorded_as_of is None and not control.edit.isEnabled()
    assert corrected not in _shown(window)
    assert controls.known_note.text() == "everything recorded"


def test_the_control_follows_the_session(window: Any, corrected: str) -> None:
    control = window.time_controls.recorded
    window.session.set_recorded_as_of(BEFORE)
    assert control.check.isChecked() and from_qt(control.edit.dateTime()) == BEFORE
    assert corrected in _shown(window)
    window.session.set_recorded_as_of(None)
    assert not control.check.isChecked()


def test_the_sources_panel_and_the_diff_follow_recorded_time(
        qtbot: Any, window: Any, corrected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.diff_dialog import DiffDialog

    session = window.session
    assert session.fact_for(corrected) is None  # retracted now
    session.set_recorded_as_of(BEFORE)
    assert session.fact_for(corrected) is not None
    session.set_recorded_as_of(None)
    leads = next(f for f in session.state.facts if f.statement.startswith("Satya Nadella leads"))
    with monkeypatch.context() as patch:
        patch.setattr(domain, "datetime", _frozen(CORRECTED))
        session.archive.rerank(leads.claim.id, "preferred", "2020-01-01", "the board minutes")
    session.reload()
    session.set_recorded_as_of(BEFORE)
    session.select_claim(leads.claim.id)
    assert window.citations.fact.claim.id == leads.claim.id
    assert "Reranked" not in window.citations.notes.text()
    session.set_recorded_as_of(AFTER)  # the same fact, its rerank now recorded
    assert window.citations.fact.claim.id == leads.claim.id
    assert "Reranked to preferred as known from 2020-01-01" in window.citations.notes.text()
    session.set_recorded_as_of(None)
    dialog = DiffDialog(session)
    qtbot.addWidget(dialog)
    assert "as recorded on" not in dialog.known_label.text()
    session.set_recorded_as_of(BEFORE)
    dialog = DiffDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.known_label.text().endswith("as recorded on 1 January 2030, 11:00 UTC")
    assert dialog.wait() and dialog.diff is not None
    assert dialog.diff.after.recorded_as_of == "2030-01-01T11:00:00Z"


def test_a_picture_as_recorded_says_so_and_shows_the_archive_then(window: Any,
                                                                   corrected: str) -> None:
    from gui.pictures import render_graph
    from tests.gui.test_pictures import texts

    archive = window.session.archive
    then = " ".join(texts(render_graph(archive.as_recorded(BEFORE), as_of="2024-06-01")))
    now = " ".join(texts(render_graph(archive, as_of="2024-06-01")))
    assert "as recorded on 1 January 2030, 11:00 UTC" in then
    assert "as recorded on" not in now
    assert "invested" in then and "invested" not in now


def test_a_withdrawal_known_before_its_claim_is_said_in_the_dialog(window: Any, qtbot: Any
                                                                    ) -> None:
    from gui.correction_dialogs import RetractDialog, SupersedeDialog

    session = window.session
    fact = next(f for f in session.state.facts if "invested" in f.statement)
    session.select_fact(fact)  # known from 2019-07-22
    for kind in (RetractDialog, SupersedeDialog):
        dialog = window.open_claim_dialog(kind)  # closed (and deleted) by reject below
        if kind is SupersedeDialog:
            dialog.valid.setText("2019-07-23/..")
        dialog.validate()
        assert dialog.note.isHidden() and dialog.ok_button.isEnabled()  # known today
        dialog.known_at.setText("2019-01-01")
        dialog.validate()
        assert not dialog.note.isHidden() and dialog.ok_button.isEnabled()
        assert dialog.note.text() == (
            "This correction is known from 2019-01-01, before the claim it corrects (known "
            "2019-07-22): the claim is now in no 'as known on' answer, not even of the days it "
            "was believed; to see what the archive said before this correction, use “As "
            "recorded on”.")
        dialog.known_at.setText("2019-07-22")
        dialog.validate()
        assert dialog.note.isHidden()
        dialog.reject()
