"""A horizontal slider over day numbers.

Two things a plain QSlider does not do: a click on the groove jumps to the day under the
mouse (not one page towards it), and Home/End go to the first/last event rather than to the
padded ends of the range.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QWidget


class TimeSlider(QSlider):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSingleStep(1)
        self.setPageStep(30)
        self.setTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.home_day: int | None = None
        self.end_day: int | None = None

    def _geometry(self) -> tuple[float, float]:
        """(x of the handle's centre at the minimum, length of its travel), in pixels."""
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        style = self.style()
        groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderHandle, self)
        return groove.x() + handle.width() / 2, max(1, groove.width() - handle.width())

    def x_for_value(self, value: int) -> float:
        """Where the handle's centre sits for ``value``, in this widget's coordinates."""
        start, travel = self._geometry()
        span = max(1, self.maximum() - self.minimum())
        return start + (value - self.minimum()) * travel / span

    def value_for_x(self, x: float) -> int:
        start, travel = self._geometry()
        span = self.maximum() - self.minimum()
        value = self.minimum() + round((x - start) * span / travel)
        return max(self.minimum(), min(self.maximum(), value))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            opt = QStyleOptionSlider()
            self.initStyleOption(opt)
            on_handle = self.style().hitTestComplexControl(
                QStyle.ComplexControl.CC_Slider, opt, event.position().toPoint(), self
            ) == QStyle.SubControl.SC_SliderHandle
            if not on_handle:
                self.setValue(self.value_for_x(event.position().x()))
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key.Key_Home and self.home_day is not None:
            self.setValue(self.home_day)
        elif key == Qt.Key.Key_End and self.end_day is not None:
            self.setValue(self.end_day)
        else:
            super().keyPressEvent(event)
