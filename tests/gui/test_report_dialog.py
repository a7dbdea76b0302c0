"""File → Export Report… and the report's Qt renderers (gui.report_pdf): the PDF drawn by
Qt's own writer with the graph as vectors, the graph as SVG through the engine's entry
points, the dialog prefilled from the window, and the print preview."""

from __future__ import annotations

import re
import zlib

from PySide6.QtPrintSupport import QPrinter

from gui.report_dialog import ReportDialog, open_report_dialog
from gui.report_pdf import paint_report, report_pdf
from timeline.api import build_report, cli_main, report_to_html, write_report


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def _text_of(pdf: bytes) -> bytes:
    """Every content stream of a PDF, inflated (what a PDF's drawing operators say)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            out.append(stream)
    return b"\n".join(out)


def test_the_report_menu_item_opens_a_dialog_prefilled_from_the_window(window, qtbot):
    window.session.select_entity("Microsoft")
    window.session.set_dates(window.session.as_of, window.session.as_of)
    assert window.export_report_action in window.menuBar().actions()[0].menu().actions()
    dialog = open_report_dialog(window)
    qtbot.addWidget(dialog)
    assert dialog.names() == ["Microsoft"]
    assert dialog.as_of.text() == dialog.known.text() != ""
    assert dialog.style.currentText() == "chicago-author-date"
    dialog.as_of.setText("2031-02-30")
    assert dialog.build() is None and "out of range" in dialog.error.text()
    dialog.close()


def test_the_dialog_writes_a_pdf_with_the_graph_as_vectors(window, session, tmp_path, qtbot):
    dialog = ReportDialog(session, window)
    qtbot.addWidget(dialog)
    dialog.as_of.setText("2023-11-20")
    dialog.known.setText("")
    dialog.entities.setPlainText("Microsoft\nOpenAI")
    dialog.title.setText("Microsoft & <OpenAI>")
    out = tmp_path / "out"
    out.mkdir()
    assert dialog.save_to(out / "report.pdf")
    pdf = (out / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and _pages(pdf) >= 1
    # The only image is the figure's blank 1×1 placeholder (and its mask): the graph is paths.
    assert set(re.findall(rb"/Width\s+(\d+)", pdf)) <= {b"1"}
    drawn = _text_of(pdf)
    assert drawn.count(b" c\n") + drawn.count(b" l\n") > 20  # vector curves and lines
    assert "Report saved to" in window.statusBar().currentMessage()
    assert sorted(p.name for p in out.iterdir()) == ["report.pdf"]


def test_the_dialog_shows_why_a_report_cannot_be_written(window, session, tmp_path, qtbot):
    dialog = ReportDialog(session, window)
    qtbot.addWidget(dialog)
    out = tmp_path / "out"
    out.mkdir()
    dialog.entities.setPlainText("Nobody at all")
    assert not dialog.save_to(out / "report.html")
    assert "unknown entity 'Nobody at all'" in dialog.error.text()
    dialog.entities.setPlainText("")
    assert not dialog.save_to(out / "report.txt")
    assert "a report is written as .md, .html or .pdf" in dialog.error.text()
    assert list(out.iterdir()) == []


def test_html_and_markdown_carry_the_graph_from_the_entry_point(archive, tmp_path):
    report = build_report(archive, "2023-11-20", None, ["Microsoft", "OpenAI"])
    [page] = write_report(archive, report, tmp_path / "r.html")
    text = page.read_text(encoding="utf-8")
    assert "<figure><svg" in text and "Microsoft" in text.split("<figure>")[1]
    assert "not included" not in text
    written = write_report(archive, report, tmp_path / "r.md")
    assert [p.name for p in written] == ["r.md", "r-graph.svg"]
    assert "![The relationship graph](r-graph.svg)" in written[0].read_text(encoding="utf-8")


def test_the_cli_writes_a_pdf_through_the_entry_point(archive_path, tmp_path, capsys):
    target = tmp_path / "r.pdf"
    assert cli_main(["report", "--archive", str(archive_path), "--as-of", "2023-11",
                     "--entity", "OpenAI", "--to", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF")
    assert "wrote the report" in capsys.readouterr().err


def test_print_preview_and_printing_draw_the_same_pages(window, session, tmp_path, qtbot):
    dialog = ReportDialog(session, window)
    qtbot.addWidget(dialog)
    dialog.entities.setPlainText("OpenAI")
    preview = dialog.open_print_preview()
    assert preview is not None and preview.isVisible()
    preview.close()
    html, svg, title = dialog.print_pages()
    assert svg is not None and svg.lstrip().startswith(b"<?xml")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert paint_report(printer, html, svg, title) >= 1
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")


def test_a_long_report_runs_over_pages_with_numbers(archive, tmp_path, qtbot):
    report = build_report(archive, "2024-12-31", None, [])
    pages = report_pdf(report_to_html(report, None), tmp_path / "long.pdf", None,
                       title=report.title)
    pdf = (tmp_path / "long.pdf").read_bytes()
    assert pages >= 2 and _pages(pdf) == pages
