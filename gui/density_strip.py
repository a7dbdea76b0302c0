"""The density strip drawn above the time slider: where history is busy.

Each column of a few pixels counts the moments (claims beginning or ending) whose day falls
under it, drawn as a bar (square-root scale, so one lone event stays visible next to a busy
month). Year ticks, the "as of" day and the "as known on" day are marked on the same axis as
the slider, whose geometry it borrows so that a bar sits exactly above its handle position.

The strip is given counts per day (an SQL aggregate: ``timeline.api.moment_counts``),
never the claims; a column's count is a difference of running totals found by bisection, so
the cost is per column, not per event. On a large archive the focus' own moments are drawn
over the archive's (which are then paler), each on its own scale.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui import formatting
from gui.time_slider import TimeSlider

_BIN_PX = 4
_KNOWN_COLOUR = QColor("#d68a00")


class DensityStrip(QWidget):
    #: The user clicked or dragged on the strip: go to this day.
    day_picked = Signal(int)

    def __init__(self, slider: TimeSlider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = slider
        self._days: list[int] = []  # days with moments, sorted
        self._totals: list[int] = [0]  # running totals: moments before self._days[k]
        self._focus: list[int] | None = None  # the focus' days with moments, sorted
        self._focus_totals: list[int] = [0]
        self._pending = False
        self._version = 0  # bumped when the counts change (part of the caches' keys)
        self._as_of: int | None = None
        self._known: int | None = None
        self._bins_key: tuple[int, ...] = ()
        self._bins: list[int] = []
        self._focus_bins: list[int] = []
        self._background = QPixmap()
        self._background_key: tuple[object, ...] = ()
        self.setMinimumHeight(46)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Where history is busy: claims beginning or ending. Click to go there.")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, 46)

    # --- data -------------------------------------------------------------------------------

    def set_counts(self, counts: Sequence[tuple[int, int]], *, pending: bool = False) -> None:
        """Moments per day, ``(day, count)`` in day order; ``pending``: still being counted."""
        self._days = [day for day, _ in counts]
        self._totals = [0, *itertools.accumulate(k for _, k in counts)]
        self._pending = pending
        self._changed()

    def set_focus_days(self, days: Sequence[int] | None) -> None:
        """The focus' moments (a day each), drawn over the archive's; None: no focus."""
        if days is None:
            self._focus, self._focus_totals = None, [0]
        else:
            ordered = sorted(days)
            self._focus = ordered
            self._focus_totals = list(range(len(ordered) + 1))
        self._changed()

    def _changed(self) -> None:
        self._version += 1
        self._bins_key = ()
        self.setToolTip("Counting the archive's events…" if self._pending else
                        "Where history is busy: claims beginning or ending"
                        + (" (pale: the whole archive; dark: the focus)"
                           if self._focus is not None else "") + ". Click to go there.")
        self.update()

    def set_marks(self, as_of: int, known: int | None) -> None:
        if (as_of, known) != (self._as_of, self._known):
            self._as_of, self._known = as_of, known
            self.update()

    # --- geometry ---------------------------------------------------------------------------

    def _offset(self) -> float:
        """Slider x minus strip x: both sit in the same window."""
        return float(self.slider.mapTo(self.window(), QPointF(0, 0)).x()
                     - self.mapTo(self.window(), QPointF(0, 0)).x())

    def x_for_day(self, day: int) -> float:
        return self.slider.x_for_value(day) + self._offset()

    def day_for_x(self, x: float) -> int:
        return self.slider.value_for_x(x - self._offset())

    def _column(self, day: int) -> int:
        return int(self.x_for_day(day)) // _BIN_PX

    def _bin(self, days: list[int], totals: list[int]) -> list[int]:
        """Moments per column: the column of a day grows with the day, so each column's
        first day is found by bisection and its count is a difference of running totals."""
        bins = [0] * (self.width() // _BIN_PX + 1)
        if not days:
            return bins
        start = bisect.bisect_left(days, 0, key=self._column)  # the first on-screen day
        for k in range(len(bins)):
            end = bisect.bisect_left(days, k + 1, lo=start, key=self._column)
            bins[k] = totals[end] - totals[start]
            start = end
        return bins

    def _histogram(self) -> list[int]:
        key = (self.width(), self.slider.width(), self.slider.minimum(), self.slider.maximum(),
               self._version, int(self._offset()))
        if key != self._bins_key:
            self._bins = self._bin(self._days, self._totals)
            self._focus_bins = (self._bin(self._focus, self._focus_totals)
                                if self._focus is not None else [])
            self._bins_key = key
        return self._bins

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # The bars and year ticks change only with the archive or the size: drawn once into
        # a pixmap; each frame adds the two day markers on top.
        key = (self.width(), self.height(), self.slider.width(), self.slider.minimum(),
               self.slider.maximum(), self._version, self.palette().cacheKey(),
               self._offset())
        if key != self._background_key:
            ratio = self.devicePixelRatioF()
            pixmap = QPixmap(int(self.width() * ratio), int(self.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            self._paint_background(painter)
            painter.end()
            self._background, self._background_key = pixmap, key
        p = QPainter(self)
        p.drawPixmap(0, 0, self._background)
        self._paint_marks(p)
        p.end()

    def _paint_background(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pal = self.palette()
        text_colour = pal.color(QPalette.ColorRole.WindowText)
        metrics = QFontMetrics(self.font())
        label_h = metrics.height()
        bar_bottom = self.height() - label_h - 2
        bar_top = 3
        left = self.x_for_day(self.slider.minimum())
        right = self.x_for_day(self.slider.maximum())
        base = pal.color(QPalette.ColorRole.Base)
        p.fillRect(QRectF(left, bar_top, right - left, bar_bottom - bar_top), base)

        p.setFont(self.font())
        paint_years(p, metrics, self.x_for_day, (self.slider.minimum(), self.slider.maximum()),
                    (left, right, bar_top, bar_bottom), text_colour)

        bins = self._histogram()
        height = bar_bottom - bar_top - 2
        bar = QColor(pal.color(QPalette.ColorRole.Highlight))
        bar.setAlpha(220 if self._focus is None else 70)
        self._paint_bars(p, bins, bar, bar_bottom, height)
        if self._focus is not None:
            bar.setAlpha(235)
            self._paint_bars(p, self._focus_bins, bar, bar_bottom, height)
        if self._pending:
            text = "counting the archive's events…"
            w, h = metrics.horizontalAdvance(text) + 16, metrics.height() + 4
            box = QRectF((left + right - w) / 2, (bar_top + bar_bottom - h) / 2, w, h)
            p.fillRect(box, base)
            p.setPen(text_colour)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _paint_bars(p: QPainter, bins: list[int], colour: QColor, bottom: float,
                    height: float) -> None:
        peak = max(bins, default=0)
        if peak:
            for k, count in enumerate(bins):
                if count:
                    h = max(2.0, height * math.sqrt(count / peak))
                    p.fillRect(QRectF(k * _BIN_PX, bottom - h, _BIN_PX - 0.5, h), colour)

    def histogram(self) -> list[int]:
        """Moments per column of ``_BIN_PX`` pixels, as drawn (for tests)."""
        return list(self._histogram())


    def _paint_marks(self, p: QPainter) -> None:
        bar_top = 3
        bar_bottom = self.height() - QFontMetrics(self.font()).height() - 2
        if self._known is not None:
            x = self.x_for_day(self._known)
            p.setPen(QPen(_KNOWN_COLOUR, 2, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, bar_top), QPointF(x, bar_bottom))
        if self._as_of is not None:
            x = self.x_for_day(self._as_of)
            p.setPen(QPen(self.palette().color(QPalette.ColorRole.WindowText), 2))
            p.drawLine(QPointF(x, bar_top), QPointF(x, bar_bottom))

    # --- mouse ------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.day_picked.emit(self.day_for_x(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.day_picked.emit(self.day_for_x(event.position().x()))


#: Years between labelled year lines: the first that leaves room for a label.
_YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def paint_years(p: QPainter, metrics: QFontMetrics | QFontMetricsF,
                x_of: Callable[[int], float], days: tuple[int, int],
                box: tuple[float, float, float, float], colour: QColor, *,
                tick: float = 0.0, gap: float = 1.0) -> None:
    """A line at the first day of each year of ``days`` (first, last) across ``box`` (left,
    right, top, bottom), ``tick`` longer below it, and a label ``gap`` under the line every
    few years (as many as leave room for one); ``x_of``: a day's x. The strip and its
    picture (``gui.timeline_picture``) share it, in the painter's font."""
    left, right, top, bottom = box
    first, last = formatting.year_of(days[0]), formatting.year_of(days[1])
    years = max(1, last - first + 1)
    room = metrics.horizontalAdvance("0000") + 14
    step = next((s for s in _YEAR_STEPS if (right - left) / years * s >= room), _YEAR_STEPS[-1])
    grid = QColor(colour)
    grid.setAlpha(45)
    for year in range(first + 1, last + 1):
        x = x_of(formatting.first_of_year(year))
        if not left <= x <= right:
            continue
        p.setPen(QPen(grid, 1))
        p.drawLine(QPointF(x, top), QPointF(x, bottom + tick))
        if year % step == 0:
            p.setPen(colour)
            label = formatting.year_text(year)
            w = metrics.horizontalAdvance(label)
            p.drawText(QRectF(x - w / 2 - 2, bottom + tick + gap, w + 4, metrics.height()),
                       Qt.AlignmentFlag.AlignCenter, label)
