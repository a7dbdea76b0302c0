"""A report (``hindsight report``, File → Export Report…) as PDF, drawn by Qt's own PDF
writer: no browser, no LaTeX. The report's HTML (``timeline.api.report_to_html`` with
``for_print``) is laid out by ``QTextDocument`` on A4 pages with margins and a footer that
numbers them; the relationship graph, an SVG, is drawn by ``QSvgRenderer`` as vectors where
the HTML holds its place (an image of ``REPORT_FIGURE_URL``).

Both functions are the engine's renderers (entry points ``hindsight.renderers``:
``report_pdf`` and ``graph_svg``), so the engine writes PDF without importing Qt.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFragment,
)
from PySide6.QtSvg import QSvgRenderer

from timeline.api import REPORT_FIGURE_URL, Archive, __version__

#: The page: A4, margins in millimetres (the bottom one holds the footer).
MARGINS_MM = QMarginsF(18, 16, 18, 14)
#: The resolution the document is laid out at (CSS pixels), and the PDF's.
LAYOUT_DPI, PDF_DPI = 96, 1200
_FOOTER_MM = 8


def graph_svg(archive: Archive, as_of: str | int, known_as_of: str | int | None,
              entities: Sequence[str], size: tuple[int, int],
              tags: Sequence[str] = ()) -> bytes:
    """The relationship graph as SVG: ``gui.pictures.render_graph``, ``size`` wide and at
    most as tall (a graph wider than the figure needs less: no empty band under it), of the
    facts with one of ``tags`` (all when none)."""
    from gui.pictures import render_graph

    return render_graph(archive, as_of=as_of, known_as_of=known_as_of,  # type: ignore[arg-type]
                        entities=entities, fmt="svg", size=size, fit_height=True, tags=tags)


def report_document(html: str, figure_svg: bytes | None = None) -> QTextDocument:
    """The report's HTML as a ``QTextDocument``; the figure's place holds a blank image,
    as tall as the figure's own proportions make it at the place's width."""
    doc = QTextDocument()
    doc.setDefaultFont(QFont("DejaVu Serif", 10))
    blank = QImage(1, 1, QImage.Format.Format_ARGB32)
    blank.fill(QColor(0, 0, 0, 0))
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(REPORT_FIGURE_URL), blank)
    doc.setHtml(html)
    view = QSvgRenderer(QByteArray(figure_svg)).viewBoxF() if figure_svg else QRectF()
    _fit_figures(doc, view.height() / view.width() if not view.isEmpty() else None)
    return doc


def _figures(doc: QTextDocument) -> Iterator[tuple[QTextBlock, QTextFragment]]:
    """The figure's placeholders: each with its paragraph."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name() == REPORT_FIGURE_URL:
                yield block, fragment
            it += 1
        block = block.next()


def _fit_figures(doc: QTextDocument, ratio: float | None) -> None:
    """Give each of the figure's placeholders the height ``ratio`` times its width (never
    taller than the HTML asked), in a paragraph of single line height (the report's line
    height would leave an empty band under it)."""
    for block, fragment in list(_figures(doc)):
        image = fragment.charFormat().toImageFormat()
        if ratio is not None:
            image.setHeight(min(image.height(), image.width() * ratio))
        cursor = QTextCursor(doc)
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(),
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(image)
        single = block.blockFormat()
        single.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.setBlockFormat(single)


def _figure_rects(doc: QTextDocument) -> list[QRectF]:
    """Where the figure's placeholders lie in the laid-out document."""
    found = []
    layout = doc.documentLayout()
    for block, fragment in _figures(doc):
        image = fragment.charFormat().toImageFormat()
        box = layout.blockBoundingRect(block)
        line = block.layout().lineForTextPosition(fragment.position() - block.position())
        x = line.cursorToX(fragment.position() - block.position())[0] if \
            line.isValid() else 0.0
        y = line.y() if line.isValid() else 0.0
        found.append(QRectF(box.x() + x, box.y() + y, image.width(), image.height()))
    return found


def _draw_svg(painter: QPainter, svg: QSvgRenderer, rect: QRectF) -> None:
    """The SVG in ``rect``, its aspect ratio kept, centred."""
    view = svg.viewBoxF()
    if view.isEmpty():
        svg.render(painter, rect)
        return
    scale = min(rect.width() / view.width(), rect.height() / view.height())
    size = QSizeF(view.width() * scale, view.height() * scale)
    corner = QPointF(rect.x() + (rect.width() - size.width()) / 2,
                     rect.y() + (rect.height() - size.height()) / 2)
    svg.render(painter, QRectF(corner, size))


def paint_report(device: QPagedPaintDevice, html: str, figure_svg: bytes | None,
                 title: str = "") -> int:
    """Lay the report out on ``device``'s pages (a ``QPdfWriter``, a ``QPrinter``) and draw
    it with page numbers; the number of pages."""
    doc = report_document(html, figure_svg)
    scale = device.logicalDpiX() / LAYOUT_DPI
    width, height = device.width() / scale, device.height() / scale
    footer = _FOOTER_MM / 25.4 * LAYOUT_DPI
    page = QSizeF(width, height - footer)
    doc.setPageSize(page)
    pages = max(1, doc.pageCount())
    figures = _figure_rects(doc) if figure_svg else []
    svg = QSvgRenderer(QByteArray(figure_svg)) if figure_svg else None
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for k in range(pages):
            if k:
                device.newPage()
            painter.save()
            painter.scale(scale, scale)
            top = k * page.height()
            painter.translate(0, -top)
            clip = QRectF(0, top, page.width(), page.height())
            doc.drawContents(painter, clip)
            for rect in figures:
                if svg is not None and svg.isValid() and clip.intersects(rect):
                    _draw_svg(painter, svg, rect)
            painter.restore()
            _footer(painter, device, f"{k + 1} / {pages}", title)
    finally:
        painter.end()
    return pages


def _footer(painter: QPainter, device: QPagedPaintDevice, number: str, title: str) -> None:
    """The page's number (and the report's title) at the foot of its printable area."""
    painter.save()
    painter.setFont(QFont("DejaVu Sans", 7))  # points: sized by the device's resolution
    painter.setPen(QColor("#6e6e73"))
    line = painter.fontMetrics().height()
    box = QRectF(0, device.height() - line, device.width(), line)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                     number)
    if title:
        short = painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight,
                                                 int(device.width() * 0.75))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                         short)
    painter.restore()


def report_pdf(html: str, path: Path, figure_svg: bytes | None, *, title: str = "") -> int:
    """Write the report's HTML (with ``figure_svg`` in the figure's place) as an A4 PDF at
    ``path``; the number of pages."""
    from gui.pictures import ensure_qt

    ensure_qt()
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator(f"Hindsight {__version__}")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, MARGINS_MM,
                                     QPageLayout.Unit.Millimeter))
    return paint_report(writer, html, figure_svg, title)
