"""The relationship graph's items: an entity node, and the edge between two entities.

One edge item stands for every relationship between a pair of entities, in either direction;
its label lists them, one line each, with an arrow pointing the way the relationship reads on
screen ("→ invested in: $1 billion"); an edge that joins a part to its whole (``part_of``) is
dotted, one whose relationship is disputed (its accounts disagree on when) dash-dotted. Items
stay in the scene for the whole session and only change their text or visibility as the slider
moves: no item is created per frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui import formatting
from gui.badges import colours, is_dark
from timeline.api import CONTESTED, DISPUTED, Status

_NODE_PAD_X, _NODE_PAD_Y = 12.0, 7.0
_MAX_NODE_TEXT = 150.0
_KIND_FILL_LIGHT = {
    "person": "#e3ecfa", "organization": "#f4ead8", "product": "#e6f3e6",
    "project": "#efe4f5", "place": "#e9f2f2", "event": "#f7e3e3",
}
_KIND_FILL_DARK = {
    "person": "#2b3a52", "organization": "#4a3d26", "product": "#2c4430",
    "project": "#40304b", "place": "#2d4545", "event": "#4b2d2d",
}
_HOLDS, _MAYBE = Status.HOLDS.value, Status.MAYBE.value
_STATUS_ORDER = (_HOLDS, CONTESTED, DISPUTED, _MAYBE)
_MAX_LABEL = 190.0  # px: longer relationship texts are elided (the tooltip has them whole)
_MAX_LINES = 5
_LINE_ORDER = {CONTESTED: 0, DISPUTED: 1, _HOLDS: 2, _MAYBE: 3}


def _palette() -> QPalette:
    return QApplication.palette()


class NodeItem(QGraphicsItem):
    """An entity: its name in a box (rounded for organisations, a pill for people)."""

    def __init__(self, name: str, kind: str, tooltip: str) -> None:
        super().__init__()
        self.name = name
        self.kind = kind
        self.selected_entity = False
        self.setToolTip(tooltip)
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._base_font = QFont(QApplication.font())
        self._base_font.setBold(True)
        self._scale = 1.0
        self._hover = False
        self.max_width = _MAX_NODE_TEXT  # longer names are elided (a picture allows more)
        self._measure()

    def _measure(self) -> None:
        self._font = QFont(self._base_font)
        self._font.setPointSizeF(self._base_font.pointSizeF() * self._scale)
        metrics = QFontMetricsF(self._font)
        self._text = metrics.elidedText(self.name, Qt.TextElideMode.ElideRight,
                                        self.max_width * self._scale)
        w = metrics.horizontalAdvance(self._text) + 2 * _NODE_PAD_X * self._scale
        h = metrics.height() + 2 * _NODE_PAD_Y * self._scale
        self._rect = QRectF(-w / 2, -h / 2, w, h)

    def set_text_scale(self, scale: float, max_width: float | None = None) -> None:
        """Enlarge the name (and its box) so it stays readable when the view is zoomed out;
        ``max_width``: elide it beyond this width (at scale 1) from now on."""
        if scale != self._scale or (max_width or self.max_width) != self.max_width:
            self.prepareGeometryChange()
            self._scale = scale
            self.max_width = max_width or self.max_width
            self._measure()
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect.adjusted(-3, -3, 3, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, 8, 8)
        return path

    def box(self) -> QRectF:
        """The node's outline in scene coordinates."""
        return self._rect.translated(self.pos())

    def set_selected_entity(self, selected: bool) -> None:
        if selected != self.selected_entity:
            self.selected_entity = selected
            self.setZValue(3 if selected else 2)
            self.update()

    def hoverEnterEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self._hover = False
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        pal = _palette()
        dark = is_dark(pal)
        fills = _KIND_FILL_DARK if dark else _KIND_FILL_LIGHT
        fill = QColor(fills.get(self.kind, "#3a3a3a" if dark else "#eeeeee"))
        text = pal.color(QPalette.ColorRole.Text)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = QPen(highlight if (self.selected_entity or self._hover)
                      else pal.color(QPalette.ColorRole.Mid), 3 if self.selected_entity else 1.2)
        painter.setPen(border)
        painter.setBrush(QBrush(fill))
        radius = self._rect.height() / 2 if self.kind == "person" else 6
        painter.drawRoundedRect(self._rect, radius, radius)
        painter.setPen(text)
        painter.setFont(self._font)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self._text)


class EdgeFact(NamedTuple):
    """One relationship shown on an edge (a named tuple: edges compare and hash their facts
    on every slider move)."""

    claim_id: str
    forward: bool  # subject is the edge's first node
    text: str  # "invested in", "relationship with: close allies"
    status: str
    statement: str = ""  # the engine's whole sentence, for the tooltip
    part: bool = False  # a "part of" relationship: the subject is a part of the object


def _clip(line: QLineF, rect: QRectF) -> QPointF:
    """Where ``line`` (from inside ``rect``'s centre outwards) leaves ``rect``."""
    dx, dy = line.dx(), line.dy()
    if dx == 0 and dy == 0:
        return line.p1()
    hw, hh = rect.width() / 2 + 2, rect.height() / 2 + 2
    scale = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    scale = min(scale, 1.0)
    return QPointF(line.x1() + dx * scale, line.y1() + dy * scale)


class EdgeItem(QGraphicsItem):
    """Every current relationship between two entities, drawn as one labelled line."""

    def __init__(self, a: NodeItem, b: NodeItem) -> None:
        super().__init__()
        self.a, self.b = a, b
        self.facts: tuple[EdgeFact, ...] = ()
        self.emphasised = False
        self.setZValue(0)
        self.setVisible(False)
        self._base_size = QApplication.font().pointSizeF() * 0.9
        self._scale = 1.0
        self._font = QFont(QApplication.font())
        self._font.setPointSizeF(self._base_size)
        self._metrics = QFontMetricsF(self._font)
        self._lines: list[tuple[str, str, str]] = []  # (arrow+text, status, claim id)
        self._label = QRectF()
        self._label_size = (0.0, 0.0)
        self._along = 0.5
        self._aside = 0.0
        self._bounds = QRectF()
        self._ends = (QPointF(), QPointF())
        self._end_coords = (0.0, 0.0, 0.0, 0.0)
        self._where: tuple[float, ...] = ()
        self._layouts: dict[tuple[object, ...], tuple[list[tuple[str, str, str]],
                                                      tuple[float, float], str]] = {}
        self.max_width = _MAX_LABEL  # longer lines are elided (a picture allows more)
        self.max_lines = _MAX_LINES  # and more lines are counted ("… and 3 more")
        self.opaque = False  # a picture's label hides whatever runs behind it
        self.part = "all"  # what paint draws: "all", "line" or "label" (see gui.pictures)
        self._tooltip = ""
        self._geometry()

    # --- state ------------------------------------------------------------------------------

    def set_facts(self, facts: Sequence[EdgeFact]) -> bool:
        """Show these relationships (none: hide). Returns True when anything changed."""
        facts = tuple(facts)
        if facts == self.facts:
            return False
        self.prepareGeometryChange()
        self.facts = facts
        self._geometry()
        self.setVisible(bool(facts))
        self.update()
        return True

    def set_text_scale(self, scale: float, max_width: float | None = None) -> None:
        """Enlarge the label's words (see NodeItem.set_text_scale); also call it after the
        nodes' boxes changed, to clip the line to them again."""
        self.prepareGeometryChange()
        self._scale = scale
        self.max_width = max_width or self.max_width
        self._font.setPointSizeF(self._base_size * scale)
        self._metrics = QFontMetricsF(self._font)
        self._geometry()
        self.update()

    def set_emphasised(self, emphasised: bool) -> None:
        if emphasised != self.emphasised:
            self.emphasised = emphasised
            self.update()

    def status(self) -> str | None:
        """The strongest status among the edge's relationships (for its line style)."""
        present = {f.status for f in self.facts}
        return next((s for s in _STATUS_ORDER if s in present), None)

    def is_part(self) -> bool:
        """Whether the edge joins a part to its whole (drawn dotted; its label lists every
        relationship on it, "part of" among them)."""
        return any(f.part for f in self.facts)

    def claim_at(self, scene_pos: QPointF) -> str | None:
        """The claim whose label line is under ``scene_pos``, if any."""
        p = self.mapFromScene(scene_pos)
        if not self._label.contains(p) or not self._lines:
            return None
        row = int((p.y() - self._label.top() - 3) // self._metrics.height())
        row = max(0, min(len(self._lines) - 1, row))
        return self._lines[row][2]

    # --- geometry ---------------------------------------------------------------------------

    def _arrow(self, forward: bool) -> str:
        start, end = (self.a.pos(), self.b.pos()) if forward else (self.b.pos(), self.a.pos())
        dx, dy = end.x() - start.x(), end.y() - start.y()
        if abs(dx) >= abs(dy) * 0.6:
            return "→" if dx >= 0 else "←"
        return "↓" if dy >= 0 else "↑"

    def _geometry(self) -> None:
        a, b = self.a.pos(), self.b.pos()
        ax, ay, bx, by = a.x(), a.y(), b.x(), b.y()
        # The line's ends change only when a node moves or its words grow.
        where = (ax, ay, bx, by, self._scale)
        if where != self._where:
            self._where = where
            p1 = _clip(QLineF(a, b), self.a.box())
            p2 = _clip(QLineF(b, a), self.b.box())
            self._ends = (p1, p2)
            self._end_coords = (p1.x(), p1.y(), p2.x(), p2.y())
        dx, dy = bx - ax, by - ay
        # The label's lines depend on the facts, the words' size and which way the line runs
        # (its arrows): a relationship shown again (a slider moving back) is not laid out
        # again.
        key = (self.facts, self._scale, dx >= 0, dy >= 0, abs(dx) >= abs(dy) * 0.6,
               self.max_width, self.max_lines)
        found = self._layouts.get(key)
        if found is None:
            found = self._layout()
            self._layouts[key] = found
            if len(self._layouts) > 16:
                del self._layouts[next(iter(self._layouts))]
        self._lines, self._label_size, tooltip = found
        if tooltip != self._tooltip:
            self._tooltip = tooltip
            self.setToolTip(tooltip)
        self._place_label()

    def _layout(self) -> tuple[list[tuple[str, str, str]], tuple[float, float], str]:
        """The label's lines (arrow and text, status, claim id), its size and the tooltip."""
        # One line per distinct relationship (repeats counted), contested and disputed ones
        # first: a disagreement between sources is what a reader must not miss.
        lines: dict[tuple[str, str], list[str]] = {}
        for f in sorted(self.facts, key=lambda f: (_LINE_ORDER.get(f.status, 9), f.text)):
            lines.setdefault((f"{self._arrow(f.forward)} {f.text}", f.status), []).append(
                f.claim_id)
        full = [(text if len(ids) == 1 else f"{text} ×{len(ids)}", status, ids[0])
                for (text, status), ids in lines.items()]
        most = self.max_width * self._scale
        shown = [(self._metrics.elidedText(t, Qt.TextElideMode.ElideRight, most), s, c)
                 for t, s, c in full[:self.max_lines]]
        if len(full) > self.max_lines:
            more = len(full) - self.max_lines + 1
            shown[-1] = (f"… and {more} more", full[self.max_lines - 1][1],
                         full[self.max_lines - 1][2])
        tooltip = formatting.tooltip(
            "\n".join(f"{f.status}: {f.statement or f.text}" for f in self.facts)
            + "\nClick a line to see its sources")
        width = max((self._metrics.horizontalAdvance(t) for t, _, _ in shown), default=0)
        height = self._metrics.height() * len(shown)
        return shown, (width + 12, height + 6), tooltip

    def _place_label(self) -> None:
        self._label = self.label_rect_at(self._along, self._aside)
        p1, p2 = self._ends
        line_rect = QRectF(p1, p2).normalized().adjusted(-8, -8, 8, 8)
        self._bounds = line_rect.united(self._label).adjusted(-2, -2, 2, 2)

    def label_rect_at(self, along: float, aside: float = 0.0) -> QRectF:
        """Where the label would sit at fraction ``along`` of the line (0: first node),
        moved ``aside`` label-heights across it (0: centred on the line)."""
        x0, y0, x1, y1 = self.label_box_at(along, aside)
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def label_box_at(self, along: float, aside: float = 0.0
                     ) -> tuple[float, float, float, float]:
        """``label_rect_at`` as plain numbers (left, top, right, bottom): the label placement
        tries many places per edge and per frame, and Qt rectangles cost more to make."""
        ax, ay, bx, by = self._end_coords
        w, h = self._label_size
        length = max(1.0, math.hypot(bx - ax, by - ay))
        # Across the line: its unit normal, scaled so the label clears the line itself.
        nx, ny = -(by - ay) / length, (bx - ax) / length
        reach = aside * ((abs(nx) * w + abs(ny) * h) / 2 + 4)
        left = ax + (bx - ax) * along + nx * reach - w / 2
        top = ay + (by - ay) * along + ny * reach - h / 2
        return left, top, left + w, top + h

    def set_label_place(self, along: float, aside: float = 0.0) -> None:
        """Move the label along the line or beside it (clear of other labels and nodes)."""
        if (along, aside) != (self._along, self._aside):
            self.prepareGeometryChange()
            self._along, self._aside = along, aside
            self._place_label()
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def label_rect(self) -> QRectF:
        return self._label

    def ends(self) -> tuple[QPointF, QPointF]:
        """Where the line starts and ends (clipped to the nodes' boxes)."""
        return self._ends

    # --- painting ---------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if not self.facts:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.part != "label":
            self._paint_line(painter)
        if self.part != "line":
            self._paint_label(painter)

    def _paint_line(self, painter: QPainter) -> None:
        pal = _palette()
        status = self.status() or _HOLDS
        colour = colours(status, pal).line
        if status == _HOLDS:
            colour = pal.color(QPalette.ColorRole.WindowText)
            colour.setAlpha(150)
        pen = QPen(colour, 3.0 if self.emphasised else 1.6)
        # Dotted: a part and its whole (whatever the status; the colour tells it), dashed:
        # a relationship that only may hold, dash-dotted: one whose accounts disagree on when.
        pen.setStyle(Qt.PenStyle.DotLine if self.is_part() else
                     Qt.PenStyle.DashLine if status == _MAYBE else
                     Qt.PenStyle.DashDotLine if status == DISPUTED else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        p1, p2 = self._ends
        painter.drawLine(p1, p2)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        if any(f.forward for f in self.facts):
            painter.drawPolygon(_arrow_head(p1, p2))
        if any(not f.forward for f in self.facts):
            painter.drawPolygon(_arrow_head(p2, p1))

    def _paint_label(self, painter: QPainter) -> None:
        pal = _palette()
        background = QColor(pal.color(QPalette.ColorRole.Base))
        background.setAlpha(255 if self.opaque else 235)
        painter.setBrush(background)
        frame = QColor(pal.color(QPalette.ColorRole.Mid))
        painter.setPen(QPen(frame, 0.8))
        painter.drawRoundedRect(self._label, 4, 4)
        painter.setFont(self._font)
        y = self._label.top() + 3
        h = self._metrics.height()
        text_colour = pal.color(QPalette.ColorRole.Text)
        for text, line_status, _ in self._lines:
            painter.setPen(text_colour if line_status == _HOLDS else colours(line_status, pal).line)
            painter.drawText(QRectF(self._label.left() + 6, y, self._label.width() - 12, h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            y += h


def _arrow_head(start: QPointF, tip: QPointF, size: float = 9.0) -> QPolygonF:
    angle = math.atan2(tip.y() - start.y(), tip.x() - start.x())
    left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
    right = QPointF(tip.x() - size * math.cos(angle + 0.45),
                    tip.y() - size * math.sin(angle + 0.45))
    return QPolygonF([tip, left, right])
