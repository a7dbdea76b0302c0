"""File → Export Report…: a printable report of the state on a date (docs/reports.md), as PDF,
HTML or Markdown, or printed with a preview.

The report is the engine's (``timeline.api.build_report``, ``write_report``): this dialog only
asks for its title, dates, entities, period, citation style and format, prefilled from the
window (the slider's day, the "as known on" day, the selected entity). A PDF and a print are
drawn by ``gui.report_pdf``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from gui.date_field import DateField, DateKind
from gui.session import Session
from timeline.api import (
    REPORT_FIGURE_SIZE,
    REPORT_STYLE,
    HindsightError,
    build_report,
    report_styles,
    report_to_html,
    write_report,
)

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: The formats offered: (label, suffix).
FORMATS = (("PDF", ".pdf"), ("HTML (one self-contained page)", ".html"), ("Markdown", ".md"))
#: Styles offered first in the list (every installed one follows).
COMMON_STYLES = (REPORT_STYLE, "chicago-note-bibliography", "apa", "modern-language-association",
                 "harvard-cite-them-right", "ieee")


class ReportDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Export Report")
        self.resize(560, 0)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Default: who, as of when")
        self.as_of = DateField(DateKind.DAY)
        self.as_of.setText(formatting.iso(session.as_of))
        self.known = DateField(DateKind.DAY, allow_empty=True, placeholder="now (everything)")
        if session.known_as_of is not None:
            self.known.setText(formatting.iso(session.known_as_of))
        self.entities = QPlainTextEdit()
        self.entities.setPlaceholderText("One name a line; none: the whole archive")
        self.entities.setFixedHeight(70)
        if session.entity:
            self.entities.setPlainText(session.entity)
        self.tags = QLineEdit(", ".join(session.tags))
        self.tags.setPlaceholderText("Tags, separated by commas; none: every fact")
        self.period_from = DateField(DateKind.DAY, allow_empty=True,
                                     placeholder="a year before the end")
        self.period_until = DateField(DateKind.DAY, allow_empty=True,
                                      placeholder="the report's day")
        self.style = QComboBox()
        self.style.setEditable(True)
        installed = report_styles()
        self.style.addItems([s for s in COMMON_STYLES if s in installed]
                            + [s for s in installed if s not in COMMON_STYLES])
        self.style.setCurrentText(REPORT_STYLE)
        self.format = QComboBox()
        for label, suffix in FORMATS:
            self.format.addItem(label, suffix)
        self.with_figure = QCheckBox("Include the relationship graph")
        self.with_figure.setChecked(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d0312d;")
        self.error.hide()

        form = QFormLayout()
        form.addRow("Title:", self.title)
        form.addRow("As of:", self.as_of)
        form.addRow("As known on:", self.known)
        form.addRow("Entities:", self.entities)
        form.addRow("Tagged:", self.tags)
        form.addRow("Changes from:", self.period_from)
        form.addRow("Changes until:", self.period_until)
        form.addRow("Citation style:", self.style)
        form.addRow("Format:", self.format)
        form.addRow("", self.with_figure)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton("Save…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button = buttons.addButton("Print…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.choose_file)
        self.print_button.clicked.connect(self.open_print_preview)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.preview: QPrintPreviewDialog | None = None

    # --- the report -----------------------------------------------------------------------

    def names(self) -> list[str]:
        return [n.strip() for n in self.entities.toPlainText().splitlines() if n.strip()]

    def tag_filter(self) -> list[str]:
        return [t.strip() for t in self.tags.text().split(",") if t.strip()]

    def build(self) -> Any:
        """The report the fields ask for; None (and the error shown) when it cannot be."""
        def text(field: DateField) -> str | None:
            return field.text().strip() or None

        try:
            report = build_report(
                self.session.archive, self.as_of.text().strip(), text(self.known),
                self.names(), period=(text(self.period_from), text(self.period_until)),
                style=self.style.currentText().strip(), title=self.title.text(),
                tags=self.tag_filter())
        except HindsightError as exc:
            self.show_error(str(exc))
            return None
        self.show_error(None)
        return report

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def choose_file(self) -> None:
        suffix = str(self.format.currentData())
        name, _ = QFileDialog.getSaveFileName(
            self, "Export Report", f"report{suffix}", f"{self.format.currentText()} (*{suffix})")
        if name:
            path = Path(name)
            self.save_to(path if path.suffix else path.with_suffix(suffix))

    def save_to(self, path: Path) -> bool:
        """Write the report to ``path`` (its suffix: the format); False, the error shown, when
        it cannot be written."""
        report = self.build()
        if report is None:
            return False
        try:
            written = write_report(self.session.archive, report, path,
                                   with_figure=self.with_figure.isChecked())
        except HindsightError as exc:
            self.show_error(str(exc))
            return False
        parent = self.parent()
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(
                f"Report saved to {', '.join(str(p) for p in written)}", 8000)
        self.accept()
        return True

    def print_pages(self) -> tuple[str, bytes | None, str] | None:
        """What a print draws: the report's HTML for print, its figure (SVG) and title."""
        from gui.report_pdf import graph_svg

        report = self.build()
        if report is None:
            return None
        svg = None
        if self.with_figure.isChecked():
            svg = graph_svg(self.session.archive, report.as_of, report.known_as_of,
                            list(report.entities), REPORT_FIGURE_SIZE)
        return report_to_html(report, None, for_print=svg is not None), svg, report.title

    def open_print_preview(self) -> QPrintPreviewDialog | None:
        from gui.report_pdf import paint_report

        pages = self.print_pages()
        if pages is None:
            return None
        html, svg, title = pages
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        self.preview = QPrintPreviewDialog(printer, self)
        self.preview.setWindowTitle(f"Print Preview — {title}")
        self.preview.paintRequested.connect(lambda device: paint_report(device, html, svg,
                                                                        title))
        self.preview.open()
        return self.preview


def open_report_dialog(window: MainWindow) -> ReportDialog:
    dialog = ReportDialog(window.session, window)
    dialog.open()
    return dialog


def install(window: MainWindow) -> None:
    """File → Export Report…, before Quit."""
    window.export_report_action = QAction("Export &Report…", window)
    window.export_report_action.setStatusTip(
        "Save a printable report of the state on a date (PDF, HTML or Markdown), or print it")
    window.export_report_action.triggered.connect(lambda: open_report_dialog(window))
    file_menu = next(o for o in window.quit_action.associatedObjects() if isinstance(o, QMenu))
    file_menu.insertAction(window.quit_action, window.export_report_action)
    file_menu.insertSeparator(window.quit_action)
