"""The timeline as a picture (``gui.pictures.render_timeline``): the density strip of the app
— where history is busy — over the facts of the state on a day, one bar per fact across its
valid time, coloured and outlined by its status, labelled by its sentence; the day and the
"as known on" day marked across both, a year axis below.

A bar is darker where the fact surely holds and paler where its dates are uncertain (the
range within which it begins or ends); an open end runs to the edge. Bars are packed into
rows in time order, each with room for its label; what does not fit the picture's height is
counted under the bars ("… and 4 more facts").
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication

from gui import formatting
from gui.density_strip import paint_years
from gui.picture_parts import MARGIN, font, line_colour, no_picture, pen_style
from timeline.api import NEG_INF, POS_INF, Archive, FactView, State, moment_counts

_KNOWN_COLOUR = QColor("#d68a00")  # as the density strip marks "as known on"
_BIN_PX = 3.0
_ROW_GAP = 2.0
_SCALES = (1.0, 0.92, 0.84, 0.76)  # the labels' sizes tried, largest first
_LABEL_PAD = 5.0


@dataclass
class _Bar:
    lo: int  # days: [lo, hi) the fact may hold; [sure_lo, sure_hi) it surely does
    sure_lo: int
    sure_hi: int
    hi: int
    status: str
    label: str


def _bar(view: FactView) -> _Bar:
    fact, claim = view.fact, view.claim
    lo = fact.start_lo if fact.start_lo is not None else claim.start_lo
    start_hi = fact.start_hi if fact.start_hi is not None else claim.start_hi
    return _Bar(lo, start_hi, max(start_hi, fact.end_lo), fact.end_hi, view.status,
                view.statement)


class TimelinePicture:
    """The facts of one state over the density of the archive's (or the entities') moments."""

    def __init__(self, archive: Archive, state: State, entity_ids: Sequence[str] | None) -> None:
        self.state = state
        self.counts = moment_counts(archive, entity_ids)
        self.bars = sorted((_bar(f) for f in state.facts), key=lambda b: (b.lo, b.label))
        days = [d for d, _ in self.counts[:1] + self.counts[-1:]]
        days += [d for b in self.bars for d in (b.lo, b.hi - 1) if NEG_INF < d < POS_INF - 1]
        days += [state.as_of] + ([state.known_as_of] if state.known_as_of is not None else [])
        lo, hi = min(days), max(days) + 1
        pad = max(30, (hi - lo) // 40)
        if hi - lo < 365:  # at least a year, centred on what there is
            pad += (365 - (hi - lo)) // 2
        self.lo, self.hi = lo - pad, hi + pad
        self.drawn = 0  # how many bars the last paint drew

    # --- geometry ---------------------------------------------------------------------------

    def _x(self, day: int, left: float, right: float) -> float:
        day = max(self.lo, min(self.hi, day))
        return left + (day - self.lo) * (right - left) / (self.hi - self.lo)

    # --- painting ---------------------------------------------------------------------------

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """Draw into ``rect`` (below the picture's heading)."""
        palette = QApplication.palette()
        small = font(0.85)
        small_m = QFontMetricsF(small)
        left, right = rect.left() + MARGIN, rect.right() - MARGIN
        tag_top = rect.top()
        strip_top = tag_top + small_m.height() + 2
        strip_h = max(24.0, min(60.0, rect.height() * 0.1))
        axis_h = small_m.height() + 4
        bars_top = strip_top + strip_h + 8
        bars_bottom = rect.bottom() - MARGIN * 0.5 - axis_h
        if bars_bottom - bars_top < 20 or right - left < 100:
            no_picture(painter, rect, "Too small for a timeline: give a larger size")
            return
        painter.setFont(small)
        paint_years(painter, QFontMetricsF(small), lambda day: self._x(day, left, right),
                    (self.lo, self.hi), (left, right, strip_top, bars_bottom),
                    palette.color(QPalette.ColorRole.WindowText), tick=3)
        self._strip(painter, left, right, strip_top, strip_h, palette)
        area = QRectF(left, bars_top, right - left, bars_bottom - bars_top)
        if self.bars:
            self._bars(painter, area, palette)
        else:
            no_picture(painter, area, "No fact holds on this day")
        self._marks(painter, small, left, right, tag_top, bars_bottom, palette)

    def _strip(self, p: QPainter, left: float, right: float, top: float, height: float,
               palette: QPalette) -> None:
        """Moments per column of a few pixels, square-root scale (as the app's strip)."""
        background = QColor(palette.color(QPalette.ColorRole.WindowText))
        background.setAlpha(14)
        p.fillRect(QRectF(left, top, right - left, height), background)
        days = [d for d, _ in self.counts]
        totals = [0, *itertools.accumulate(k for _, k in self.counts)]
        columns = max(1, int((right - left) / _BIN_PX))
        bins = []
        for k in range(columns):
            first = self.lo + (self.hi - self.lo) * k // columns
            last = self.lo + (self.hi - self.lo) * (k + 1) // columns
            bins.append(totals[bisect.bisect_left(days, last)]
                        - totals[bisect.bisect_left(days, first)])
        peak = max(bins, default=0)
        colour = QColor(palette.color(QPalette.ColorRole.Highlight))
        colour.setAlpha(220)
        for k, count in enumerate(bins):
            if count:
                h = max(2.0, (height - 3) * math.sqrt(count / peak))
                p.fillRect(QRectF(left + k * _BIN_PX, top + height - h, _BIN_PX - 0.5, h),
                           colour)

    def _bars(self, p: QPainter, area: QRectF, palette: QPalette) -> None:
        """Pack the bars into rows (with the largest words that let them all fit, down to a
        floor) and draw them. When even then they do not fit, the facts that began nearest
        the day are drawn and the others counted."""
        base = font(0.9)
        for scale in _SCALES:
            label_font = QFont(base)
            label_font.setPointSizeF(base.pointSizeF() * scale)
            metrics = QFontMetricsF(label_font)
            row_h = metrics.height() + 2 * _ROW_GAP
            fit = max(1, int(area.height() // row_h))
            rows = self._pack(self.bars, metrics, area)
            if len(rows) <= fit:
                break
        else:
            fit -= 1  # a row for "… and N more"
            near = sorted(self.bars, key=lambda b: (b.lo == NEG_INF, abs(b.lo - self.state.as_of),
                                                    b.label))
            lo, hi = 1, len(near)  # how many of them fit: the most that still packs
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if len(self._pack(self._chosen(near[:mid]), metrics, area)) <= fit:
                    lo = mid
                else:
                    hi = mid - 1
            rows = self._pack(self._chosen(near[:lo]), metrics, area)[:fit]
        p.setFont(label_font)
        self.drawn = 0
        for k, row in enumerate(rows):
            top = area.top() + k * row_h
            for bar, x0, x1, label in row:
                self._draw_bar(p, bar, QRectF(x0, top + _ROW_GAP / 2, x1 - x0,
                                              row_h - _ROW_GAP), label.translated(0, top),
                               metrics, palette)
                self.drawn += 1
        hidden = len(self.bars) - self.drawn
        if hidden:
            p.setPen(palette.color(QPalette.ColorRole.WindowText))
            p.drawText(QRectF(area.left(), area.top() + len(rows) * row_h, area.width(), row_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"… and {hidden} more fact{'s' if hidden != 1 else ''} on this day, "
                       "which began longer before it (a taller picture shows them)")

    def _chosen(self, bars: Sequence[_Bar]) -> list[_Bar]:
        """``bars`` in the timeline's order."""
        keep = {id(b) for b in bars}
        return [b for b in self.bars if id(b) in keep]

    def _pack(self, bars: Sequence[_Bar], metrics: QFontMetricsF, area: QRectF
              ) -> list[list[tuple[_Bar, float, float, QRectF]]]:
        """Each bar in the first row where it and its label clear what is there already."""
        left, right = area.left(), area.right()
        rows: list[list[tuple[_Bar, float, float, QRectF]]] = []
        ends: list[float] = []
        h = metrics.height() + 2 * _ROW_GAP
        for bar in bars:
            x0 = self._x(bar.lo, left, right)
            x1 = max(x0 + 3, self._x(bar.hi, left, right))
            width = metrics.horizontalAdvance(bar.label) + 2 * _LABEL_PAD
            room = {"in": x1 - x0, "right": right - x1, "left": x0 - left}
            where = "in" if width <= room["in"] else "right" if width <= room["right"] else \
                "left" if width <= room["left"] else max(room, key=room.__getitem__)
            width = min(width, room[where])
            lx = {"in": x0, "right": x1, "left": x0 - width}[where]
            label = QRectF(lx, _ROW_GAP / 2, width, h - _ROW_GAP)
            start, end = min(x0, lx), max(x1, lx + width)
            k = next((k for k, e in enumerate(ends) if e + 6 <= start), len(ends))
            if k == len(ends):
                rows.append([])
                ends.append(end)
            rows[k].append((bar, x0, x1, label))
            ends[k] = end
        return rows

    def _draw_bar(self, p: QPainter, bar: _Bar, rect: QRectF, label: QRectF,
                  metrics: QFontMetricsF, palette: QPalette) -> None:
        colour = line_colour(bar.status, palette, holds_grey=False)
        left, right = rect.left(), rect.right()
        span = max(1, bar.hi - bar.lo)

        def x(day: int) -> float:
            return left + (max(bar.lo, min(bar.hi, day)) - bar.lo) * (right - left) / span

        pale, sure = QColor(colour), QColor(colour)
        pale.setAlpha(28)
        sure.setAlpha(72)
        p.fillRect(rect, pale)
        if bar.sure_hi > bar.sure_lo:
            p.fillRect(QRectF(x(bar.sure_lo), rect.top(),
                              max(1.0, x(bar.sure_hi) - x(bar.sure_lo)), rect.height()), sure)
        p.setPen(QPen(colour, 1.2, pen_style(bar.status)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)
        p.setPen(palette.color(QPalette.ColorRole.WindowText))
        text = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight,
                                  label.width() - 2 * _LABEL_PAD)
        p.drawText(label.adjusted(_LABEL_PAD, 0, -_LABEL_PAD, 0),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _marks(self, p: QPainter, small: QFont, left: float, right: float, top: float,
               bottom: float, palette: QPalette) -> None:
        """The day shown (a dark line) and the "as known on" day (dashed amber), each with
        its date above the strip."""
        metrics = QFontMetricsF(small)
        p.setFont(small)
        marks = [(self.state.as_of, QPen(palette.color(QPalette.ColorRole.WindowText), 2),
                  formatting.human_date(self.state.as_of))]
        if self.state.known_as_of is not None:
            marks.append((self.state.known_as_of, QPen(_KNOWN_COLOUR, 2, Qt.PenStyle.DashLine),
                          f"known on {formatting.human_date(self.state.known_as_of)}"))
        taken: QRectF | None = None
        for day, pen, text in marks:
            x = self._x(day, left, right)
            p.setPen(pen)
            p.drawLine(QPointF(x, top + metrics.height()), QPointF(x, bottom))
            w = metrics.horizontalAdvance(text) + 6
            tag = QRectF(max(left, min(right - w, x - w / 2)), top, w, metrics.height())
            if taken is not None and tag.intersects(taken):  # beside the first, away from it
                tag.moveLeft(taken.right() + 4 if x >= taken.center().x() else
                             taken.left() - 4 - w)
            p.setPen(pen.color())
            p.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)
            taken = tag
