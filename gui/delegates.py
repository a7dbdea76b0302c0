"""A lean item delegate for text cells: wrapped sentences or one elided line.

Qt's own delegate asks the model for a dozen roles and lays the text out anew on every
paint; a slider drag repaints the state panel many times a second, so this one asks for the
text alone and keeps the laid-out text (a QStaticText) per text, width and font. Wrapped
rows are sized to their text at the column's current width (QTreeView alone measures text on
one line).

A delegate given a ``note_role`` draws that role's text, when a row has one, in italics under the
cell's text, wrapped to the column (the state panel's "via Stargate" under a fact that comes
through a part; a fact's sources by name and who says what when its accounts disagree).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QStaticText, QTransform
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

_CACHE_LIMIT = 5_000
_PAD_X, _PAD_Y = 4, 3


class TextDelegate(QStyledItemDelegate):
    def __init__(self, view: QAbstractItemView, *, wrap: bool = False,
                 note_role: int | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.wrap = wrap
        self.note_role = note_role
        self._texts: dict[tuple[str, int, str], QStaticText] = {}
        self._heights: dict[tuple[str, int, str], int] = {}

    def _width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        view = self.view
        width = (view.header().sectionSize(index.column()) if isinstance(view, QTreeView)
                 else view.columnWidth(index.column()))
        if isinstance(view, QTreeView) and index.column() == 0:
            width -= view.indentation() * (2 if index.parent().isValid() else 1)
        return max(30, width - 2 * _PAD_X)

    def _static(self, text: str, width: int, font: QFont) -> QStaticText:
        key = (text, width, font.key())
        found = self._texts.get(key)
        if found is None:
            found = QStaticText(text)
            found.setTextFormat(Qt.TextFormat.PlainText)
            if self.wrap:
                found.setTextWidth(width)
            found.prepare(QTransform(), font)
            if len(self._texts) > _CACHE_LIMIT:
                self._texts.clear()
            self._texts[key] = found
        return found

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        one_line = option.fontMetrics.height() + 2 * _PAD_Y
        if not self.wrap or not text:
            return QSize(option.fontMetrics.horizontalAdvance(text) + 2 * _PAD_X, one_line)
        width = self._width(index)
        key = (text, width, font.key())
        height = self._heights.get(key)
        if height is None:
            rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000),
                                                   int(Qt.TextFlag.TextWordWrap), text)
            height = max(one_line, rect.height() + 2 * _PAD_Y)
            if len(self._heights) > _CACHE_LIMIT:
                self._heights.clear()
            self._heights[key] = height
        note = self._note(index)
        if note:
            height += self._note_height(note, width, font)
        return QSize(width, height)

    def _note_height(self, note: str, width: int, font: QFont) -> int:
        """The height of a note wrapped to ``width`` in italics (kept per note and width)."""
        key = (note, width, "note:" + font.key())
        found = self._heights.get(key)
        if found is None:
            metrics = QFontMetrics(self._italic(font))
            found = metrics.boundingRect(QRect(0, 0, width, 100_000),
                                         int(Qt.TextFlag.TextWordWrap), note).height()
            if len(self._heights) > _CACHE_LIMIT:
                self._heights.clear()
            self._heights[key] = found
        return found

    def _note(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(self.note_role) or "") if self.note_role is not None else ""

    @staticmethod
    def _italic(font: QFont) -> QFont:
        italic = QFont(font)
        italic.setItalic(True)
        return italic

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                            widget)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        rect = option.rect.adjusted(_PAD_X, _PAD_Y, -_PAD_X, -_PAD_Y)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setFont(font)
        painter.setPen(option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        note = self._note(index)
        if note:
            # The note's lines at the bottom, italic and wrapped; the text is centred in what
            # is left.
            below = min(rect.height(), self._note_height(note, rect.width(), font))
            painter.save()
            painter.setFont(self._italic(font))
            painter.drawText(rect.adjusted(0, rect.height() - below, 0, 0),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                 | Qt.TextFlag.TextWordWrap), note)
            painter.restore()
            rect = rect.adjusted(0, 0, 0, -below)
        if self.wrap:
            static = self._static(str(text), rect.width(), font)
            top = rect.y() + max(0.0, (rect.height() - static.size().height()) / 2)
            painter.drawStaticText(QPointF(rect.x(), top), static)
        else:
            elided = painter.fontMetrics().elidedText(str(text), Qt.TextElideMode.ElideRight,
                                                      rect.width())
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft
                                       | Qt.AlignmentFlag.AlignVCenter), elided)
        painter.restore()
