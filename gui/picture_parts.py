"""What every picture of a view shares (``gui.pictures``): the light palette it is drawn in,
its fonts, and its heading — what it shows, on which day, as known on which day — with a
legend of the statuses drawn as the app draws them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication

from gui.badges import colours, is_dark
from timeline.api import CONTESTED, DISPUTED, Status

_HOLDS, _MAYBE = Status.HOLDS.value, Status.MAYBE.value
#: The statuses in the order a legend lists them, with the word it gives each.
LEGEND = ((_HOLDS, "holds"), (_MAYBE, "maybe"), (DISPUTED, "disputed"),
          (CONTESTED, "contested"))
MARGIN = 16.0


@contextlib.contextmanager
def light_palette() -> Iterator[QPalette]:
    """A picture is for paper and pages: drawn in a light palette whatever the app's (a dark
    one is swapped for the style's standard palette while the picture is drawn)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    current = QApplication.palette()
    if not is_dark(current):
        yield current
        return
    light = app.style().standardPalette()
    if is_dark(light):  # pragma: no cover - a style whose own palette is dark
        light = QPalette(QColor("#efefef"))
    QApplication.setPalette(light)
    try:
        yield light
    finally:
        QApplication.setPalette(current)


def font(scale: float = 1.0, *, bold: bool = False) -> QFont:
    """The app's font, ``scale`` times its size."""
    found = QFont(QApplication.font())
    found.setPointSizeF(found.pointSizeF() * scale)
    found.setBold(bold)
    return found


def pen_style(status: str) -> Qt.PenStyle:
    """Dashed: may hold; dash-dotted: its accounts disagree on when; else solid (the graph's
    edges are drawn so)."""
    return (Qt.PenStyle.DashLine if status == _MAYBE else
            Qt.PenStyle.DashDotLine if status == DISPUTED else Qt.PenStyle.SolidLine)


def line_colour(status: str, palette: QPalette, *, holds_grey: bool) -> QColor:
    """A status's colour for lines; with ``holds_grey`` what holds is the text's grey (the
    graph's edges), else green (the badges)."""
    if status == _HOLDS and holds_grey:
        grey = palette.color(QPalette.ColorRole.WindowText)
        grey.setAlpha(150)
        return grey
    return colours(status, palette).line


def heading(painter: QPainter, rect: QRectF, title: str, lines: Sequence[str], *,
            boxes: bool) -> QRectF:
    """Draw the title, the lines under it and the legend (lines as the graph's edges, or
    ``boxes`` as the timeline's bars) at the top of ``rect``; returns what is left below."""
    palette = QApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    big, small = font(1.35, bold=True), font(0.95)
    big_m, small_m = QFontMetricsF(big), QFontMetricsF(small)
    inner = rect.adjusted(MARGIN, MARGIN * 0.75, -MARGIN, 0)
    legend_w = _legend_width(small_m)
    y = inner.top()
    beside = big_m.horizontalAdvance(title) + legend_w + 32 <= inner.width()
    painter.setPen(text)
    painter.setFont(big)
    painter.drawText(QRectF(inner.left(), y, inner.width() - (legend_w + 16 if beside else 0),
                            big_m.height()), Qt.AlignmentFlag.AlignLeft
                     | Qt.AlignmentFlag.AlignVCenter,
                     big_m.elidedText(title, Qt.TextElideMode.ElideRight, inner.width()))
    if beside:
        _legend(painter, inner.right() - legend_w, y + (big_m.height() - small_m.height()) / 2,
                small, palette, boxes=boxes)
    y += big_m.height() + 2
    grey = QColor(text)
    grey.setAlpha(190)
    painter.setFont(small)
    for line in (*lines, *(() if beside else ("",))):
        if not line:  # the legend, on a line of its own where the title leaves no room
            _legend(painter, inner.left(), y, small, palette, boxes=boxes)
        else:
            painter.setPen(grey)
            painter.drawText(QRectF(inner.left(), y, inner.width(), small_m.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             small_m.elidedText(line, Qt.TextElideMode.ElideRight,
                                                inner.width()))
        y += small_m.height() + 1
    return QRectF(rect.left(), y + 6, rect.width(), max(0.0, rect.bottom() - y - 6))


def _legend_width(metrics: QFontMetricsF) -> float:
    return sum(26 + metrics.horizontalAdvance(word) + 14 for _, word in LEGEND)


def _legend(painter: QPainter, x: float, y: float, small: QFont, palette: QPalette, *,
            boxes: bool) -> None:
    metrics = QFontMetricsF(small)
    h = metrics.height()
    mid = y + h / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(small)
    for status, word in LEGEND:
        colour = line_colour(status, palette, holds_grey=not boxes)
        pen = QPen(colour, 1.4 if boxes else 2.0, pen_style(status))
        painter.setPen(pen)
        if boxes:
            fill = QColor(colour)
            fill.setAlpha(70)
            painter.setBrush(fill)
            painter.drawRect(QRectF(x, mid - h * 0.3, 22, h * 0.6))
        else:
            painter.drawLine(QPointF(x, mid), QPointF(x + 22, mid))
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(x + 26, y, metrics.horizontalAdvance(word) + 2, h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, word)
        x += 26 + metrics.horizontalAdvance(word) + 14
    painter.restore()


def no_picture(painter: QPainter, rect: QRectF, text: str) -> None:
    """A picture with nothing to draw says so in its middle."""
    painter.setPen(QApplication.palette().color(QPalette.ColorRole.WindowText))
    painter.setFont(font(1.1))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
