"""Issue 19, items 2 and 3 in the window: Export Picture (the graph's and the density strip's
context menus), File → Export View, File → Print with a print preview."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

from gui.view_export import ExportPictureDialog, open_export_dialog
from timeline import dates


def test_file_menu_has_export_view_and_print_before_quit(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("&Export View…") < texts.index("&Print…") < texts.index("&Quit")
    assert window.view_actions.print.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)


def test_the_views_have_export_picture_in_their_context_menus(window):
    for widget, action in ((window.graph, window.view_actions.export_graph),
                           (window.time_controls.strip, window.view_actions.export_timeline)):
        assert widget.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
        assert widget.actions()[0] is action
        assert action.text() == "Export Picture…"
    window.view_actions.export_timeline.trigger()
    assert isinstance(window.dialog, ExportPictureDialog)
    assert window.dialog.view() == "timeline"
    assert (window.dialog.width_box.value(), window.dialog.height_box.value()) == (1600, 400)
    window.dialog.reject()


def test_print_opens_a_preview_of_the_graph(window, qtbot):
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    window.view_actions.print.trigger()
    dialog = window.dialog
    assert isinstance(dialog, QPrintPreviewDialog)
    assert dialog.windowTitle() == "Print — Relationships as of 1 June 2024"
    preview = dialog.findChild(QPrintPreviewWidget)
    painted = []
    dialog.paintRequested.connect(lambda printer: painted.append(printer))
    preview.updatePreview()
    qtbot.waitUntil(lambda: bool(painted))
    assert preview.pageCount() == 1
    dialog.close()


def test_export_dialog_writes_the_view_as_the_window_shows_it(window, tmp_path):
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    window.session.select_entity("Microsoft")
    dialog = open_export_dialog(window, "graph")
    dialog.width_box.setValue(800)
    dialog.height_box.setValue(600)
    target = tmp_path / "graph.svg"
    dialog.file_edit.setText(str(target))
    dialog.accept()
    assert dialog.written == target
    root = ET.fromstring(target.read_bytes())
    assert root.get("viewBox") == "0 0 800 600"
    words = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Microsoft", "Mustafa Suleyman", "OpenAI"} <= words  # the whole graph
    assert "Relationships as of 1 June 2024" in words


def test_export_dialog_says_what_is_wrong_and_writes_nothing(window, tmp_path):
    before = sorted(p.name for p in tmp_path.iterdir())  # the archive's files
    dialog = open_export_dialog(window, "timeline")
    dialog.file_edit.setText(str(tmp_path / "picture.gif"))
    dialog.accept()
    assert dialog.isVisible() and "must end in .svg, .png or .pdf" in dialog.error_label.text()
    dialog.file_edit.setText(str(tmp_path / "missing" / "picture.png"))
    dialog.accept()
    assert dialog.isVisible() and "there is no folder" in dialog.error_label.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    dialog.file_edit.setText(str(tmp_path / "timeline.png"))
    dialog.accept()
    assert not dialog.isVisible()
    assert QImage(str(tmp_path / "timeline.png")).size().toTuple() == (1600, 400)
