"""Pictures and print from the window: *Export Picture…* (the graph's and the density strip's
context menus), File → *Export View…* and File → *Print…* (Ctrl+P, with a print preview).

Each draws the view as the window shows it — the day, the "as known on" day, the selected
entity — offscreen through ``gui.pictures``: the picture has its own heading naming the day,
and is the same whatever the window's size or zoom. ``install(window)`` adds the actions and
menus to a :class:`gui.main_window.MainWindow`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QKeySequence, QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QWidget,
)

from gui import formatting
from gui.pictures import (
    DEFAULT_SIZES,
    FORMATS,
    MAX_SIDE,
    MIN_SIZE,
    GraphPicture,
    TimelineView,
    dpi,
    paint_page,
    picture,
    to_bytes,
    write_picture,
)
from timeline.api import HindsightError

if TYPE_CHECKING:
    from gui.main_window import MainWindow

_FILTERS = "SVG picture (*.svg);;PNG image (*.png);;PDF document (*.pdf)"
_VIEW_NAMES = (("graph", "Relationship graph"), ("timeline", "Timeline (density strip and "
                                                             "facts)"))


def view_picture(window: MainWindow, view: str) -> GraphPicture | TimelineView:
    """The picture of ``view`` as the window shows it: its two days, and its selected entity
    (selected in the graph; the facts about it on the timeline, as in the state panel)."""
    session = window.session
    entity = session.entity
    return picture(session.archive, view, as_of=session.as_of,
                   known_as_of=session.known_as_of, selected=entity,
                   entities=[entity] if entity and view == "timeline" else ())


class ExportPictureDialog(QDialog):
    """Which view, how large, and where: SVG, PNG or PDF by the file's suffix."""

    def __init__(self, window: MainWindow, view: str = "graph") -> None:
        super().__init__(window)
        self.window_ = window
        self.written: Path | None = None
        self.setWindowTitle("Export Picture")
        self.view_box = QComboBox()
        for key, text in _VIEW_NAMES:
            self.view_box.addItem(text, key)
        self.view_box.setCurrentIndex(next(k for k, (key, _) in enumerate(_VIEW_NAMES)
                                           if key == view))
        self.width_box, self.height_box = QSpinBox(), QSpinBox()
        for box, low in ((self.width_box, MIN_SIZE[0]), (self.height_box, MIN_SIZE[1])):
            box.setRange(low, MAX_SIDE)
            box.setSuffix(" px")
            box.setSingleStep(100)
        self._sizes = dict(DEFAULT_SIZES)
        self._shown_view = view
        self._set_size(view)
        self.view_box.currentIndexChanged.connect(self._on_view_changed)
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_box)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_box)
        size_row.addStretch(1)
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText("picture.svg, .png or .pdf")
        self.file_edit.setMinimumWidth(320)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._on_choose_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(choose)
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a file name
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0262d")
        self.error_label.hide()
        day = formatting.human_date(window.session.as_of)
        form = QFormLayout(self)
        form.addRow(QLabel(f"The view as of {day}, as the window shows it, with a heading "
                           "naming the day."))
        form.addRow("View:", self.view_box)
        form.addRow("Size:", size_row)
        form.addRow("File:", file_row)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def view(self) -> str:
        return str(self.view_box.currentData())

    def _set_size(self, view: str) -> None:
        w, h = self._sizes[view]
        self.width_box.setValue(w)
        self.height_box.setValue(h)

    def _on_view_changed(self) -> None:
        # Each view keeps the size chosen for it (a timeline is wide and low).
        self._sizes[self._shown_view] = (self.width_box.value(), self.height_box.value())
        self._shown_view = self.view()
        self._set_size(self._shown_view)

    def _on_choose_clicked(self) -> None:
        where = self.window_.session.path
        folder = where.parent if isinstance(where, Path) else Path.home()
        start = self.file_edit.text() or str(folder / f"{self.view()}.svg")
        name, chosen = QFileDialog.getSaveFileName(self, "Export Picture", start, _FILTERS)
        if name:
            if not Path(name).suffix:  # the filter chosen gives the format
                name += "." + chosen.split("*.")[-1].rstrip(")")
            self.file_edit.setText(name)

    def _fail(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        """Write the picture; the dialog stays open, saying why, when it cannot."""
        text = self.file_edit.text().strip()
        if not text:
            self._fail("Give a file name ending in .svg, .png or .pdf.")
            return
        path = Path(text).expanduser()
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            self._fail(f"{path.name}: the name must end in .svg, .png or .pdf (the format).")
            return
        try:
            draw = view_picture(self.window_, self.view())
            try:
                data = to_bytes(draw, fmt, (self.width_box.value(), self.height_box.value()))
            finally:
                draw.close()
            write_picture(path, data, self.window_.session.archive)
        except HindsightError as exc:
            self._fail(str(exc))
            return
        self.written = path
        self.window_.statusBar().showMessage(f"Exported the picture to {path}", 8000)
        super().accept()


def open_export_dialog(window: MainWindow, view: str = "graph") -> ExportPictureDialog:
    dialog = ExportPictureDialog(window, view)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    window.dialog = dialog
    return dialog


def open_print_preview(window: MainWindow) -> QPrintPreviewDialog:
    """A print preview of the graph as the window shows it (landscape, with a heading
    naming the day); Print sends it to a printer or a PDF file."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    # The items measure their words at the screen's resolution: the page is drawn at it too
    # (still vector: lines and text stay sharp on paper).
    printer.setResolution(dpi())
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    draw = view_picture(window, "graph")
    printer.setDocName(draw.title)

    def paint(device: QPrinter) -> None:
        page = device.pageRect(QPrinter.Unit.DevicePixel)
        paint_page(device, QRectF(0, 0, page.width(), page.height()), draw)

    dialog = QPrintPreviewDialog(printer, window)
    dialog.setWindowTitle(f"Print — {draw.title}")
    dialog.paintRequested.connect(paint)
    dialog.finished.connect(lambda _: draw.close())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.printer_ = printer  # type: ignore[attr-defined]  # kept alive with the dialog
    dialog.open()
    window.dialog = dialog
    return dialog


def _context_menu(widget: QWidget, actions: list[QAction | None]) -> None:
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    for action in actions:
        if action is None:
            action = QAction(widget)
            action.setSeparator(True)
        widget.addAction(action)


class ViewActions:
    """Export Picture (the graph's and the density strip's context menus), Export View and
    Print (the File menu, before Quit), added to a window."""

    def __init__(self, window: MainWindow) -> None:
        def action(text: str, tip: str, slot: Callable[[], object],
                   shortcut: QKeySequence | None = None) -> QAction:
            found = QAction(text, window)
            found.setStatusTip(tip)
            found.triggered.connect(slot)
            if shortcut is not None:
                found.setShortcut(shortcut)
                window.addAction(found)
            return found

        self.export_graph = action(
            "Export Picture…", "Save the relationship graph as SVG, PNG or PDF",
            lambda: open_export_dialog(window, "graph"))
        self.export_timeline = action(
            "Export Picture…", "Save the timeline (where history is busy, and the facts of "
            "the day) as SVG, PNG or PDF", lambda: open_export_dialog(window, "timeline"))
        self.export_view = action(
            "&Export View…", "Save the relationship graph or the timeline as SVG, PNG or PDF",
            lambda: open_export_dialog(window, "graph"))
        self.print = action(
            "&Print…", "Print the relationship graph as shown (with a preview)",
            lambda: open_print_preview(window), QKeySequence(QKeySequence.StandardKey.Print))
        graph = window.graph
        _context_menu(graph, [self.export_graph, None, graph.zoom_in_action,
                              graph.zoom_out_action, graph.fit_action])
        _context_menu(window.time_controls.strip, [self.export_timeline])
        file_menu = next(o for o in window.quit_action.associatedObjects()
                         if isinstance(o, QMenu))
        for item in (self.export_view, self.print):
            file_menu.insertAction(window.quit_action, item)
        file_menu.insertSeparator(window.quit_action)


def install(window: MainWindow) -> ViewActions:
    """Add the view's pictures and print to ``window``'s menus."""
    return ViewActions(window)
