"""The archive shown "as recorded on" a past moment is read-only, as an old version of a
document is in its version history: every action that writes is disabled while the control
is on, saying why, its shortcut writes nothing, and the ways to a write dialog that are no
action (context menus, calls from elsewhere) open none; off, they are enabled again. The one
rule is ``WriteGuard.refused`` (``gui.write_guard``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QFileDialog, QToolButton

from gui import formatting
from gui.add_source import open_add_source
from gui.claim_from_selection import open_cite_selection, open_record_from_selection
from gui.correction_dialogs import RetractDialog
from gui.recorded_control import to_qt
from gui.source_viewer import document_position
from gui.write_guard import IMPORT_RUNNING
from timeline.api import instant_text

STATEMENT = "Mustafa Suleyman works for Microsoft"
PASSAGE = "The board dismissed Optimus on 17 November 2023."


pytestmark = pytest.mark.usefixtures("ana_author")  # Undo and Redo act on what "ana" did


def write_actions(window: Any) -> dict[str, QAction]:
    """Every action of the window that writes to the archive, by name."""
    viewer = window.citations.viewer
    record_from, cite = viewer.selection_actions
    return {
        "Record Claim": window.record_action, "Another Account": window.account_action,
        "Retract": window.retract_action, "Supersede": window.supersede_action,
        "Rerank": window.rerank_action, "Import": window.import_action,
        "Add Source": window.add_source_action, "Add Alias": window.aliasing.action,
        "Tag Claim": window.tagging.tag_action, "Remove Tag": window.tagging.untag_action,
        "Undo": window.undoing.undo_action, "Redo": window.undoing.redo_action,
        "Record Claim from Selection": record_from, "Cite Selection": cite,
    }


def _events(window: Any) -> int:
    return int(window.session.archive.statistics()["events"])


def _select_passage(window: Any) -> None:
    viewer = window.citations.viewer
    source = window.session.archive.source("board-notes")
    if viewer.source is None or viewer.source["id"] != "board-notes":
        viewer.show_source(source)
    start = source["text"].index(PASSAGE)
    cursor = QTextCursor(viewer.text.document())
    cursor.setPosition(document_position(source["text"], start))
    cursor.setPosition(document_position(source["text"], start + len(PASSAGE)),
                       QTextCursor.MoveMode.KeepAnchor)
    viewer.text.setTextCursor(cursor)


@pytest.fixture
def writable(window: Any) -> Any:
    """The window with every write action enabled: a fact selected whose claim has a tag
    (Remove Tag), a passage selected in the sources panel, something to undo and to redo."""
    archive = window.session.archive
    archive.add_source("board-notes", "Board notes", "2023-11-20", f"Notes.\n\n{PASSAGE}")
    fact = next(f for f in window.session.state.facts if f.statement == STATEMENT)
    archive.tag("claim", fact.claim.id, "checked")
    archive.tag("claim", fact.claim.id, "to-undo")
    archive.undo()  # the second tag: something to redo, the first still to undo
    window.session.reload()
    window.session.select_claim(fact.claim.id)
    _select_passage(window)
    off = [name for name, action in write_actions(window).items() if not action.isEnabled()]
    assert off == [], f"disabled before the recorded view: {off}"
    return window


def _turn_on(qtbot: Any, window: Any) -> str:
    """Click "As recorded on" at a moment after every event: nothing is hidden, so that the
    actions' own conditions (the fact, the passage) still hold. The reason a tip gives."""
    control = window.time_controls.recorded
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)
    control.edit.setDateTime(to_qt(moment))
    qtbot.mouseClick(control.check, Qt.MouseButton.LeftButton)
    assert window.session.recorded_as_of == moment
    return (f"The archive is shown as recorded on "
            f"{formatting.moment_words(instant_text(moment))}: turn off “As recorded on” to "
            "change it")


def test_as_recorded_on_disables_every_write_action_saying_why_and_off_enables_them(
        qtbot: Any, writable: Any) -> None:
    window = writable
    reason = _turn_on(qtbot, window)
    assert window.session.read_only() == reason
    assert window.writing.refused() == reason
    for name, action in write_actions(window).items():
        assert not action.isEnabled(), name
        assert action.toolTip() == reason and action.statusTip() == reason, name
    # The buttons that show them (the sources panel's) say it too.
    buttons = [b for b in window.citations.findChildren(QToolButton) if b.defaultAction()]
    assert len(buttons) >= 5  # Retract, Supersede, Rerank; Record and Cite from Selection
    assert {(b.isEnabled(), b.toolTip()) for b in buttons} == {(False, reason)}
    assert "(read-only)" in window.time_controls.known_note.text()
    assert window.time_controls.known_note.toolTip() == reason

    qtbot.mouseClick(window.time_controls.recorded.check, Qt.MouseButton.LeftButton)
    assert window.session.recorded_as_of is None and window.session.read_only() is None
    _select_passage(window)
    off = [name for name, action in write_actions(window).items() if not action.isEnabled()]
    assert off == []
    assert window.record_action.toolTip() == "Record a new claim (a new event in the archive)"
    assert window.undoing.undo_action.statusTip().startswith("Undo the ")


def test_every_action_in_the_claims_menu_is_a_write_action_kept_to_the_rule(
        writable: Any) -> None:
    """A write action added to the Claims menu (or the sources panel) without the rule fails
    here: every one of them is watched by the window's guard."""
    window = writable
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Claims")
    claims = [a for a in menu.actions() if not a.isSeparator()]
    assert claims
    watched = window.writing.actions()
    for action in [*claims, *write_actions(window).values()]:
        assert action in watched, action.text()
    window.session.set_recorded_as_of(datetime(2030, 1, 1, tzinfo=UTC))
    assert [a.text() for a in claims if a.isEnabled()] == []


def test_a_shortcut_writes_nothing_while_the_view_is_recorded(
        qtbot: Any, writable: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    window = writable
    asked: list[str] = []  # Import's file dialog, were it opened (it would block the test)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (asked.append("file"), ("", ""))[1])
    _turn_on(qtbot, window)
    events = _events(window)
    window.activateWindow()
    for key, modifiers in ((Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                            | Qt.KeyboardModifier.ShiftModifier),
                           (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                            | Qt.KeyboardModifier.ShiftModifier),
                           (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)):
        qtbot.keyClick(window, key, modifiers)
    viewer = window.citations.viewer.text
    viewer.setFocus()
    for key in (Qt.Key.Key_R, Qt.Key.Key_C):
        qtbot.keyClick(viewer, key, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
    assert window.dialog is None and asked == []  # no write dialog opened
    assert _events(window) == events  # and nothing written

    qtbot.mouseClick(window.time_controls.recorded.check, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _events(window) > events  # the same shortcut writes once the view is live


def test_no_other_way_opens_a_write_dialog_while_the_view_is_recorded(
        qtbot: Any, writable: Any, tmp_path: Path) -> None:
    """The context menus' entries and the functions behind the actions refuse too."""
    window = writable
    reason = _turn_on(qtbot, window)
    events = _events(window)
    tagging, viewer = window.tagging, window.citations.viewer
    assert window.open_record_dialog() is None
    assert window.open_claim_dialog(RetractDialog) is None
    assert tagging.open_claim_dialog() is None
    assert tagging.open_source_dialog("board-notes") is None
    assert window.aliasing.open() is None
    assert open_add_source(window) is None
    assert open_record_from_selection(window, viewer) is None
    assert open_cite_selection(window, viewer) is None
    window.undoing.undo()
    window.undoing.redo()
    assert window.start_import(tmp_path / "any.json") is None
    assert window.dialog is None and _events(window) == events
    assert window.statusBar().currentMessage() == reason
    menu = tagging.source_menu("board-notes")  # the cited source's context menu
    assert [(a.isEnabled(), a.toolTip()) for a in menu.actions()] == [(False, reason)] * 2
    menu.close()

    qtbot.mouseClick(window.time_controls.recorded.check, Qt.MouseButton.LeftButton)
    assert [a.isEnabled() for a in tagging.source_menu("board-notes").actions()] == [
        True, False]  # the source has no tag to take off
    dialog = window.open_record_dialog()
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_an_import_running_is_the_same_rule(writable: Any) -> None:
    window = writable
    window.import_worker = object()  # as start_import leaves it while the worker runs
    try:
        window.writing.refresh()
        assert window.writing.refused() == IMPORT_RUNNING
        for name, action in write_actions(window).items():
            assert not action.isEnabled() and action.toolTip() == IMPORT_RUNNING, name
    finally:
        window.import_worker = None
        window.writing.refresh()
    assert all(action.isEnabled() for action in write_actions(window).values())
