"""Issue 18, item 8: a historian builds an archive in the app from nothing, only through its
widgets — a source from a PDF and one pasted, five claims recorded from passages selected in
the source viewer (entities new, and one found by an alias given in the app), two tags, a
search that jumps to a passage, a retraction made by mistake and undone — and the engine then
answers as the historian meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog

from gui.add_source import open_add_source
from gui.claim_from_selection import open_record_from_selection
from gui.correction_dialogs import RecordClaimDialog, RetractDialog
from gui.main_window import MainWindow
from gui.session import Session
from tests.gui.test_claim_from_selection import _select
from tests.timeline.test_source_metadata import make_pdf
from timeline.api import Archive, parse_day, set_author

MINUTES = [["Minutes of the board of directors."],
           ["The board removed Sam Altman as chief executive on 17 November 2023.",
            "Mira Murati was named interim chief executive."]]
PAPER = ("Optimus returned to OpenAI on 22 November 2023. Microsoft welcomed the return of "
         "Optimus in a statement. Emmett Shear had led OpenAI for three days.")


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore
    monkeypatch.setenv("HINDSIGHT_AUTHOR", "ana")
    set_author(None)
    path = tmp_path / "new.sqlite"
    archive = Archive.open(path)
    assert archive.statistics()["events"] == 0  # from nothing
    found = MainWindow(Session(archive, path),
                       QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(found)
    found.show()
    qtbot.waitExposed(found)
    yield found
    archive.close()
    set_author(None)


def _add_source(window: MainWindow, qtbot, source_id: str, published: str, *,  # type: ignore
                pdf: Path | None = None, text: str = "", title: str = "") -> None:
    dialog = open_add_source(window)
    if pdf is not None:
        assert dialog.load_file(pdf)
    else:
        qtbot.keyClicks(dialog.text, text)
        qtbot.keyClicks(dialog.title, title)
    qtbot.keyClicks(dialog.source_id, source_id)
    qtbot.keyClicks(dialog.published.edit, published)
    dialog.save_button.click()
    assert not dialog.isVisible(), dialog.error.text()
    window.source_window.close()


def _record(window: MainWindow, qtbot, source_id: str, passage: str, *,  # type: ignore
            subject: str, predicate: str, obj: str, valid: str) -> str:
    """Select ``passage`` in the source viewer and record a claim from it. A name given as
    ``@text`` is taken from the suggestion button whose text starts with ``text``; a valid
    time ``@`` is the passage's first date suggested."""
    viewer = window.citations.viewer
    source = window.session.archive.source(source_id)
    viewer.show_source(source)
    start = source["text"].index(passage)
    _select(viewer, start, start + len(passage))
    dialog = open_record_from_selection(window, viewer)
    assert isinstance(dialog, RecordClaimDialog)
    assert dialog.quote.text() == passage and dialog.source.currentData() == source_id
    assert dialog.known_at.text() == source["published"]
    suggestions = dialog.findChild(object, "suggestions")
    for name, field in ((subject, dialog.subject), (obj, dialog.object)):
        if name.startswith("@"):
            next(b for b in suggestions.entity_buttons if b.text().startswith(name[1:])).click()
        else:
            field.setEditText(name)
    if valid.startswith("@"):
        suggestions.date_buttons[0].click()
        dialog.valid.edit.end(False)
        qtbot.keyClicks(dialog.valid.edit, valid[1:])  # e.g. "/.." after the date: from then on
    else:
        dialog.valid.setText(valid)
    dialog.predicate.setEditText(predicate)
    assert dialog.ok_button.isEnabled(), dialog.error.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    return str(dialog.result_id)


def _fact(window: MainWindow, claim_id: str, day: str):  # type: ignore[no-untyped-def]
    window.session.set_as_of(parse_day(day))
    return next(f for f in window.session.state.facts if f.claim.id == claim_id)


def test_an_archive_is_built_from_its_sources_in_the_app(window, qtbot, tmp_path):  # type: ignore
    pdf = tmp_path / "board-minutes.pdf"
    pdf.write_bytes(make_pdf(MINUTES))
    _add_source(window, qtbot, "minutes", "2023-11-20", pdf=pdf)
    _add_source(window, qtbot, "paper", "2023-11-23", text=PAPER, title="The return")

    removed = _record(window, qtbot, "minutes",
                      "The board removed Sam Altman as chief executive on 17 November 2023.",
                      subject="Sam Altman", predicate="dismissed_by", obj="OpenAI",
                      valid="@")
    interim = _record(window, qtbot, "minutes", "Mira Murati was named interim chief executive.",
                      subject="Mira Murati", predicate="leads", obj="OpenAI",
                      valid="2023-11-17/2023-11-19")
    # Claims → Add Alias…: the paper calls Altman "Optimus" (a machine translation).
    window.session.select_entity("Sam Altman")
    alias = window.aliasing.open()
    alias.alias.setText("Optimus")
    alias.ok_button.click()
    assert alias.result() == QDialog.DialogCode.Accepted, alias.error.text()
    returned = _record(window, qtbot, "paper", "Optimus returned to OpenAI on 22 November 2023.",
                       subject="@Sam Altman", predicate="leads", obj="@OpenAI", valid="@/..")
    welcomed = _record(window, qtbot, "paper",
                       "Microsoft welcomed the return of Optimus in a statement.",
                       subject="Microsoft", predicate="supported", obj="@Sam Altman",
                       valid="2023-11-22")
    shear = _record(window, qtbot, "paper", "Emmett Shear had led OpenAI for three days.",
                    subject="Emmett Shear", predicate="leads", obj="@OpenAI",
                    valid="2023-11-20/2023-11-22")

    # Two tags, from the state panel's Tag Claim… dialog.
    for claim_id, day in ((removed, "2023-11-17"), (shear, "2023-11-21")):
        window.session.select_fact(_fact(window, claim_id, day))
        dialog = window.tagging.open_claim_dialog()
        dialog.edit.setText("board crisis")
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted

    # Search a word of the PDF and jump to its passage.
    window.search.search("interim")
    results = window.search.results
    item = next(results.item(k) for k in range(results.count())
                if results.item(k).data(Qt.ItemDataRole.UserRole).kind == "source")
    window.search.activate(item)
    shown = window.search.source_window
    assert shown.viewer.source["id"] == "minutes"
    assert [t.lower() for t in shown.viewer.highlighted_texts()] == ["interim"]
    shown.close()

    # A retraction made by mistake, undone with Ctrl+Z.
    window.session.select_fact(_fact(window, interim, "2023-11-18"))
    window.retract_action.trigger()
    retract = window.dialog
    assert isinstance(retract, RetractDialog)
    retract.reason.setText("wrong passage")
    qtbot.mouseClick(retract.ok_button, Qt.MouseButton.LeftButton)
    assert interim not in {f.claim.id for f in window.session.state.facts}
    assert window.undoing.undo_action.text() == f"&Undo Retraction of {interim}"
    window.activateWindow()  # the source's window had it: the shortcut is the window's
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert interim in {f.claim.id for f in window.session.state.facts}

    # What the engine now holds.
    archive = window.session.archive
    assert archive.statistics()["claims"] == 5
    altman = archive.entity("Optimus")
    assert altman["name"] == "Sam Altman" and "Optimus" in altman["aliases"]
    back = archive.claim(returned)
    assert (back.subject_id, back.valid) == (altman["id"], "2023-11-22/..")
    assert archive.claim(welcomed).object_id == altman["id"]
    assert archive.claim(interim).sources == [
        {"source": "minutes", "quote": "Mira Murati was named interim chief executive."}]
    assert archive.source("minutes")["pages"] and archive.claim(removed).valid == "2023-11-17"
    leaders = {f.subject for f in archive.as_of("2023-11-21").facts if "leads" in f.statement}
    assert leaders == {"Emmett Shear"}  # Murati's interim ended on the 19th
    tagged = archive.as_of("2023-11-21", tags=["Board Crisis"]).facts
    assert [f.claim.id for f in tagged] == [shear]
    assert {f.claim.id for f in archive.as_of("2023-11-18").facts} >= {interim}
    assert {f.claim.id for f in archive.as_of("2023-11-22").facts} == {returned, welcomed,
                                                                        shear}
    assert {f.claim.id for f in archive.as_of("2023-11-30").facts} == {returned}


def test_add_alias_says_what_is_wrong_and_writes_nothing(window, qtbot):  # type: ignore
    archive = window.session.archive
    archive.record("Sam Altman", "leads", object="OpenAI", valid="2019/..")
    archive.record("Ilya", "works_for", object="OpenAI", valid="2015/..")
    window.session.reload()
    before = archive.statistics()["events"]
    dialog = window.aliasing.open()
    for entity, alias, says in (("Nobody", "N.", "unknown entity 'Nobody'"),
                                ("Sam Altman", "Ilya", "Ilya"),
                                ("", "Optimus", "name the entity")):
        dialog.entity.setText(entity)
        dialog.alias.setText(alias)
        dialog.ok_button.click()
        assert dialog.isVisible() and says in dialog.error.text(), dialog.error.text()
    assert archive.statistics()["events"] == before
    dialog.entity.setText("Sam Altman")
    dialog.alias.setText("  Optimus ")
    dialog.ok_button.click()
    assert not dialog.isVisible() and archive.entity("optimus")["name"] == "Sam Altman"
    assert window.statusBar().currentMessage() == "Added the alias ‘Optimus’ of Sam Altman"
