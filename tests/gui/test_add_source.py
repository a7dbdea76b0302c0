"""File → Add Source… (gui/add_source.py): a source added by pasting its text or from a file,
with its authors and metadata; an error keeps the dialog open and writes nothing; a new
version of a source; the source viewer shows the metadata and a quote's page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu

from gui.add_source import AddSourceDialog, SourceWindow, open_add_source
from gui.source_viewer import SourceViewer

PDF_LINES = [["The strike began at dawn."], ["On the second page the mill closed."]]


def _fill(dialog: AddSourceDialog, qtbot, source_id: str, title: str) -> None:  # type: ignore
    qtbot.keyClicks(dialog.source_id, source_id)
    qtbot.keyClicks(dialog.title, title)
    qtbot.keyClicks(dialog.published.edit, "1911-03-04")


def test_the_file_menu_has_add_source(window):  # type: ignore[no-untyped-def]
    action = window.add_source_action
    menu = next(o for o in action.associatedObjects() if isinstance(o, QMenu))
    assert menu.title() == "&File"


def test_add_a_pasted_source_with_authors(window, qtbot):  # type: ignore[no-untyped-def]
    dialog = open_add_source(window)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.text, "The mill closed on Friday.")
    _fill(dialog, qtbot, "times-1911", "Strike at the mill")
    dialog.kind.setCurrentIndex(dialog.kind.findData("article-newspaper"))
    dialog.authors.setPlainText("Smith, Jane\nAssociated Press")
    qtbot.keyClicks(dialog.lines["container"], "The Times")
    qtbot.keyClicks(dialog.lines["url"], "https://example.org/strike")
    qtbot.keyClicks(dialog.lines["language"], "en")
    dialog.save_button.click()
    assert not dialog.isVisible()
    source = window.session.archive.source("times-1911")
    assert source["text"] == "The mill closed on Friday."
    assert source["authors"] == [{"family": "Smith", "given": "Jane"},
                                 {"literal": "Associated Press"}]
    assert (source["type"], source["container"], source["language"]) == (
        "article-newspaper", "The Times", "en")
    assert "Added source times-1911" in window.statusBar().currentMessage()
    shown: SourceWindow = window.source_window
    assert shown.isVisible() and "Strike at the mill" in shown.viewer.title.text()
    assert "by Smith, Jane; Associated Press" in shown.viewer.meta.text()
    shown.close()


def test_add_a_source_from_a_pdf_and_see_a_quote_s_page(window, qtbot, tmp_path: Path):  # type: ignore
    from tests.timeline.test_source_metadata import make_pdf

    path = tmp_path / "strike.pdf"
    path.write_bytes(make_pdf(PDF_LINES))
    dialog = open_add_source(window)
    assert dialog.load_file(path)
    assert dialog.text.isReadOnly() and "2 pages" in dialog.file_label.text()
    qtbot.keyClicks(dialog.source_id, "strike-pdf")
    qtbot.keyClicks(dialog.published.edit, "1911")
    dialog.authors.setPlainText("Smith, Jane")
    dialog.save_button.click()
    assert not dialog.isVisible()
    source = window.session.archive.source("strike-pdf")
    assert source["title"] == "strike" and len(source["pages"]) == 2
    viewer = SourceViewer()
    qtbot.addWidget(viewer)
    viewer.show_source(source, "the mill closed")
    assert "quote on p. 2" in viewer.meta.text()
    window.source_window.close()


def test_an_error_keeps_the_dialog_open_and_writes_nothing(window, qtbot, tmp_path: Path):  # type: ignore
    before = window.session.archive.store.max_position()
    dialog = open_add_source(window)
    scanned = tmp_path / "scan.pdf"
    from tests.timeline.test_source_metadata import make_pdf

    scanned.write_bytes(make_pdf([[]]))
    assert not dialog.load_file(scanned)
    assert "no text layer" in dialog.error.text() and not dialog.text.isReadOnly()
    qtbot.keyClicks(dialog.text, "Some text.")
    _fill(dialog, qtbot, "bad-url", "A page")
    qtbot.keyClicks(dialog.lines["url"], "javascript:alert(1)")
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.error.text().startswith("URL: 'javascript:alert(1)' is not a web address")
    dialog.lines["url"].clear()
    dialog.authors.setPlainText(", Jane")
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.error.text().startswith("Authors:")
    assert window.session.archive.store.max_position() == before
    dialog.reject()


def test_a_new_version_of_a_source(window, qtbot):  # type: ignore[no-untyped-def]
    archive = window.session.archive
    archive.add_source("report", "The count", "2023-03-01", "10 dead.",
                       meta={"authors": ["Doe, John"]})
    window.session.reload()
    dialog = open_add_source(window)
    dialog.version.setChecked(True)
    dialog.base.setCurrentText("report")
    assert dialog.source_id.text() == "report@2"
    assert dialog.title.text() == "The count" and dialog.authors.toPlainText() == "Doe, John"
    qtbot.keyClicks(dialog.text, "12 dead.")
    qtbot.keyClicks(dialog.published.edit, "2023-03-05")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert [v["id"] for v in archive.source_versions("report")] == ["report", "report@2"]
    assert "a later version of report" in window.source_window.viewer.meta.text()
    window.source_window.close()
