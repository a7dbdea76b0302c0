"""Status badges: HOLDS / MAYBE / DISPUTED / CONTESTED as colour *and* text (and, for DISPUTED,
shape), in light and dark palettes.

The statuses and each fact's status always come from the engine (``timeline.api.STATUSES``,
``FactView.status``); this module only decides how they look. Each badge is a filled rounded
box with its word in a colour chosen for contrast with the fill, so the word stays readable
whatever the palette, and the colour is never the only cue. A DISPUTED badge (the accounts
of one fact disagree on when) has pointed ends, ⟨DISPUTED⟩, so that it reads apart from
CONTESTED (facts disagree on what) even where colours do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from timeline.api import CONTESTED, DISPUTED, STATUSES, Status

_HOLDS, _MAYBE = Status.HOLDS.value, Status.MAYBE.value

EXPLANATIONS = {
    _HOLDS: "HOLDS — certainly true on this date, by the sources",
    _MAYBE: "MAYBE — may be true on this date: its start or end date is uncertain",
    DISPUTED: "DISPUTED — its accounts disagree on when: by some it holds on this date, by "
              "others not (or not surely)",
    CONTESTED: "CONTESTED — sources disagree: another live claim gives a different answer",
}


@dataclass(frozen=True)
class BadgeColours:
    fill: QColor
    text: QColor
    line: QColor  # for lines and edges drawn in this status on the window background


# Fill and word at a contrast of at least 4.5:1 (WCAG AA), in both palettes (tested).
_LIGHT = {
    _HOLDS: ("#1d7a3e", "#ffffff", "#1d7a3e"),
    _MAYBE: ("#f0c23b", "#000000", "#b8860b"),
    DISPUTED: ("#6b3fa0", "#ffffff", "#6b3fa0"),
    CONTESTED: ("#c0262d", "#ffffff", "#c0262d"),
}
_DARK = {  # light fills with black words: they stand out on a dark window too
    _HOLDS: ("#4cc27a", "#000000", "#57c37f"),
    _MAYBE: ("#e8b931", "#000000", "#e8b931"),
    DISPUTED: ("#c8a8ff", "#000000", "#b794f6"),
    CONTESTED: ("#ff7b7b", "#000000", "#ff6b70"),
}
_OTHER = ("#7a7a7a", "#ffffff", "#7a7a7a")


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colours(status: str, palette: QPalette | None = None) -> BadgeColours:
    table = _DARK if is_dark(palette) else _LIGHT
    fill, text, line = table.get(status, _OTHER)
    return BadgeColours(QColor(fill), QColor(text), QColor(line))


def badge_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setBold(True)
    font.setPointSizeF(max(7.0, base.pointSizeF() * 0.82))
    return font


def badge_size(status: str, base: QFont) -> QSize:
    metrics = QFontMetrics(badge_font(base))
    height = metrics.height() + 4
    # A disputed badge's pointed ends take room of their own beside the word.
    points = 2 * _point_depth(height) if status == DISPUTED else 0
    return QSize(metrics.horizontalAdvance(status) + 14 + points, height)


def widest_badge(base: QFont) -> int:
    """The width of the widest status badge (a status column's width)."""
    return max(badge_size(status, base).width() for status in STATUSES)


def _point_depth(height: float) -> float:
    return round(height * 0.35)


def paint_badge(painter: QPainter, rect: QRectF, status: str, palette: QPalette | None = None
                ) -> None:
    """Draw one badge filling ``rect`` (the caller sizes it with :func:`badge_size`)."""
    c = colours(status, palette)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(c.fill)
    if status == DISPUTED:
        d = _point_depth(rect.height())
        mid = rect.center().y()
        painter.drawPolygon(QPolygonF([
            QPointF(rect.left(), mid), QPointF(rect.left() + d, rect.top()),
            QPointF(rect.right() - d, rect.top()), QPointF(rect.right(), mid),
            QPointF(rect.right() - d, rect.bottom()), QPointF(rect.left() + d, rect.bottom())]))
    else:
        radius = rect.height() / 2.5
        painter.drawRoundedRect(rect, radius, radius)
    painter.setPen(c.text)
    painter.setFont(badge_font(painter.font()))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, status)
    painter.restore()


def label_style(status: str, palette: QPalette | None = None) -> str:
    """A style sheet that makes a QLabel look like the badge."""
    c = colours(status, palette)
    # A style sheet cannot point a label's ends: a disputed badge is square-cornered, with a
    # dashed frame inside, to read apart from the others all the same.
    shape = (f"border-radius: 2px; border: 1px dashed {c.text.name()};" if status == DISPUTED
             else "border-radius: 7px;")
    return (f"QLabel {{ background: {c.fill.name()}; color: {c.text.name()}; "
            f"{shape} padding: 1px 8px; font-weight: bold; }}")


def legend_text() -> str:
    """What each status means, one line each (for a status column's header tooltip)."""
    return "\n".join(EXPLANATIONS[status] for status in STATUSES if status in EXPLANATIONS)


class BadgeDelegate(QStyledItemDelegate):
    """Paints a status column's text (HOLDS, MAYBE, DISPUTED, CONTESTED) as a badge."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        status = index.data(Qt.ItemDataRole.DisplayRole)
        if status not in STATUSES:
            super().paint(painter, option, index)
            return
        # The selection/alternate background first, so a selected row still reads as selected.
        opt = option
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter,
                            opt.widget)
        picture = self._picture(status, opt, painter.device().devicePixelRatioF())
        rect: QRect = opt.rect
        height = picture.height() / picture.devicePixelRatioF()
        painter.drawPixmap(QPointF(rect.x() + 4, rect.y() + (rect.height() - height) / 2),
                           picture)

    def _picture(self, status: str, opt: QStyleOptionViewItem, ratio: float) -> QPixmap:
        """The badge drawn once per status, font, palette and pixel ratio."""
        key = (status, opt.font.key(), opt.palette.cacheKey(), ratio)
        found = self._pictures.get(key)
        if found is None:
            size = badge_size(status, opt.font)
            found = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
            found.setDevicePixelRatio(ratio)
            found.fill(Qt.GlobalColor.transparent)
            p = QPainter(found)
            p.setFont(opt.font)
            paint_badge(p, QRectF(0, 0, size.width(), size.height()), status, opt.palette)
            p.end()
            self._pictures[key] = found
        return found

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        # Constant per status and font: views ask for it on every layout, so no base call.
        status = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        key = (status, option.font.key())
        found = self._sizes.get(key)
        if found is None:
            if status in STATUSES:
                size = badge_size(status, option.font)
                found = QSize(size.width() + 8, size.height() + 4)
            else:
                found = super().sizeHint(option, index)
            self._sizes[key] = found
        return found

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[str, str], QSize] = {}
        self._pictures: dict[tuple[str, str, int, float], QPixmap] = {}
