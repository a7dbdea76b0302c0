"""Issue 18, items 2 and 3, in the app: Record Claim from Selection (the dialog prefilled with
the source, the exact quote and its page, the publication date as known time; suggestions of
the entities and dates in the passage), Cite Selection for a Claim (a further citation of a
recorded claim), names and aliases completed as typed, and the question for a near name."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from gui.claim_from_selection import (
    CITE_TEXT,
    RECORD_TEXT,
    CiteSelectionDialog,
    context_menu,
    open_cite_selection,
    open_record_from_selection,
    selected_passage,
)
from gui.correction_dialogs import RecordClaimDialog
from gui.source_viewer import SourceViewer, document_position

PASSAGE = ("On 17 November 2023 the board of OpenAI dismissed Optimus; in early 2024 he "
           "spoke with Nadella.")
TEXT = f"Notes from the board.\r\n\r\n{PASSAGE}\nMore\u2028lines 😀 later."


def _source(archive, pages: tuple[int, ...] = ()):  # type: ignore[no-untyped-def]
    archive.add_source("board-notes", "Board notes", "2023-11-20", TEXT, pages=pages)
    return archive.source("board-notes")


def _select(viewer: SourceViewer, start: int, end: int) -> None:
    text = viewer.source["text"]  # type: ignore[index]
    cursor = QTextCursor(viewer.text.document())
    cursor.setPosition(document_position(text, start))
    cursor.setPosition(document_position(text, end),
                       QTextCursor.MoveMode.KeepAnchor)
    viewer.text.setTextCursor(cursor)


def _show(window, archive, pages: tuple[int, ...] = ()):  # type: ignore[no-untyped-def]
    window.session.reload()
    source = _source(window.session.archive, pages)
    viewer = window.citations.viewer
    viewer.show_source(source)
    start = TEXT.index(PASSAGE)
    _select(viewer, start - 2, start + len(PASSAGE) + 1)  # with the breaks around it
    return viewer


def test_the_selection_is_the_source_s_exact_text(window, archive):  # type: ignore
    viewer = _show(window, archive)
    start, end, quote = selected_passage(viewer)  # type: ignore[misc]
    assert quote == PASSAGE and TEXT[start:end] == PASSAGE
    later = TEXT.index("More")
    _select(viewer, later, len(TEXT))  # past a line separator and an emoji
    assert selected_passage(viewer)[2] == "More\u2028lines 😀 later."  # type: ignore[index]
    record, cite = viewer.selection_actions  # type: ignore[attr-defined]
    assert record.isEnabled() and cite.isEnabled()
    texts = [a.text() for a in context_menu(viewer, (record, cite)).actions()]
    assert RECORD_TEXT in texts and CITE_TEXT in texts
    viewer.text.moveCursor(QTextCursor.MoveOperation.Start)
    assert not record.isEnabled()


def test_record_a_claim_from_a_selection(window, archive, qtbot):  # type: ignore
    viewer = _show(window, archive, pages=(0, TEXT.index("On 17")))
    dialog = open_record_from_selection(window, viewer)
    assert isinstance(dialog, RecordClaimDialog) and dialog.isVisible()
    assert dialog.source.currentData() == "board-notes"
    assert dialog.quote.text() == PASSAGE
    assert dialog.known_at.text() == "2023-11-20"
    assert dialog.findChild(type(dialog.note), "quotePage").text() == "p. 2"
    suggestions = dialog.findChild(type(dialog), "suggestions") or dialog.findChild(
        object, "suggestions")
    names = [b.text() for b in suggestions.entity_buttons]
    assert names == ["OpenAI", "Sam Altman (Optimus)", "Satya Nadella (Nadella)"]
    dates = [b.text() for b in suggestions.date_buttons]
    assert dates == ["2023-11-17 (17 November 2023)", "2024-37 (early 2024)"]
    suggestions.entity_buttons[1].click()  # the subject first
    suggestions.entity_buttons[0].click()  # then the object
    assert dialog.subject.currentText() == "Sam Altman"
    assert dialog.object.currentText() == "OpenAI"
    suggestions.date_buttons[0].click()
    assert dialog.valid.text() == "2023-11-17"
    dialog.predicate.setEditText("dismissed_by")
    assert dialog.ok_button.isEnabled(), dialog.error.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    claim = window.session.archive.claim(dialog.result_id)
    assert claim.sources == [{"source": "board-notes", "quote": PASSAGE}]
    assert (claim.valid, claim.known_at) == ("2023-11-17", "2023-11-20")


def test_cite_a_selection_for_an_existing_claim(window, archive, qtbot):  # type: ignore
    fact = window.session.state.facts[0]
    window.session.select_fact(fact)  # the citation panel shows its source...
    viewer = _show(window, archive)  # ...until another is opened
    fact = window.session.fact
    before = len(fact.claim.sources)
    dialog = open_cite_selection(window, viewer)
    assert isinstance(dialog, CiteSelectionDialog)
    assert dialog.claim_id() == fact.claim.id
    assert dialog.ok_button.isEnabled(), dialog.error.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    sources = window.session.archive.claim(fact.claim.id).sources
    assert len(sources) == before + 1
    assert sources[-1] == {"source": "board-notes", "quote": PASSAGE}
    again = open_cite_selection(window, viewer)  # the same passage: nothing to write
    assert "already cites this passage" in again.note.text()
    again.claim.setEditText("c-nope")
    assert not again.ok_button.isEnabled()
    again.reject()


def test_the_subject_completes_an_alias(window, qtbot):  # type: ignore[no-untyped-def]
    dialog = window.open_record_dialog()
    completer = dialog.subject.lineEdit().completer()
    assert completer.offer("optim") == ["Optimus → Sam Altman"]
    assert completer.offer("  SAT") == ["Satya Nadella"]
    dialog.subject.setEditText("")
    dialog.subject.setFocus()
    qtbot.keyClicks(dialog.subject.lineEdit(), "optim")
    popup = completer.popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.subject.currentText() == "Sam Altman"  # the alias's entity
    dialog.reject()


def _answer(button_text: str) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox), box
    answer.text = box.text()  # type: ignore[attr-defined]
    next(b for b in box.buttons() if b.text().startswith(button_text)).click()


def answer(button_text: str) -> None:
    QTimer.singleShot(0, lambda: _answer(button_text))


def test_a_near_name_asks_and_use_fills_the_existing_name(window, archive, qtbot):  # type: ignore
    dialog = window.open_record_dialog()
    dialog.subject.setEditText("Satya Nadella")
    dialog.predicate.setEditText("met")
    dialog.valid.setText("2024-03")
    dialog.object.setEditText("Mira Moratti")
    assert dialog.refusal is not None and dialog.ok_button.isEnabled()
    events = archive.statistics()["events"]
    answer("Cancel")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and archive.statistics()["events"] == events
    assert "‘Mira Moratti’ is close to ‘Mira Murati’ (person)" in answer.text  # type: ignore
    answer("Use")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.object.currentText() == "Mira Murati"
    assert dialog.result() == QDialog.DialogCode.Accepted
    claim = window.session.archive.claim(dialog.result_id)
    assert claim.object_id == window.session.archive.entity("Mira Murati")["id"]


def test_a_near_name_can_be_created_when_asked(window, archive, qtbot):  # type: ignore
    dialog = window.open_record_dialog()
    dialog.subject.setEditText("Mira Moratti")
    dialog.predicate.setEditText("met")
    dialog.valid.setText("2024-03")
    dialog.object.setEditText("Satya Nadella")
    answer("Create")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.new_entity.isChecked()
    assert window.session.archive.entity("Mira Moratti")["name"] == "Mira Moratti"
