"""A text field for an EDTF date that checks itself as you type.

The engine parses (``timeline.dates``); the field only shows its one-line error next to the
text and refuses to hand on a value while there is one.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from timeline.api import CALENDARS, DateError, parse_date, parse_day, parse_span

#: What a calendar choice means, for its tooltip.
CALENDAR_TIP = ("The calendar the date is written in: Gregorian, or Julian (the calendar of "
                "dates before 1582, in Britain before 1752, in Russia before 1918). A Julian "
                "date is kept as written and named so; it is placed on the Gregorian days it "
                "names.")


def calendar_box() -> QComboBox:
    """A choice of calendar: its items read "Gregorian", "Julian"; its data is the name the
    engine takes (``gregorian``, ``julian``)."""
    box = QComboBox()
    for name in CALENDARS:
        box.addItem(name.capitalize(), name)
    box.setToolTip(CALENDAR_TIP)
    return box


class DateKind(Enum):
    DAY = "day"  # a query date: "as of", "as known on" -> the last day it covers
    DATE = "date"  # one EDTF date (a known_at, a publication date)
    SPAN = "span"  # a claim's valid time: a date or an interval


_HINTS = {
    DateKind.DAY: "A date: 2023-11-30, 2023-11 (its last day), 2023, 2023-11~, today",
    DateKind.DATE: "An EDTF date: 2023-11-30, 2023-11, 2024~, 2018-22 (summer 2018)",
    DateKind.SPAN: "EDTF date or interval: 2019-07-22/.. (still holds), 2018-06/2018-08, "
                   "2023-11-17, /2019 (unknown start)",
}


def check(kind: DateKind, text: str, calendar: str = "gregorian") -> str | None:
    """The engine's complaint about ``text`` as a ``kind`` date written in ``calendar`` (a
    query day is always Gregorian), or None when it is valid."""
    try:
        if kind is DateKind.DAY:
            parse_day(text)
        elif kind is DateKind.DATE:
            parse_date(text, calendar)
        else:
            parse_span(text, calendar)
    except DateError as exc:
        return str(exc)
    return None


class DateField(QWidget):
    """A line edit plus the error it currently has; ``error_below`` stacks them."""

    #: The text is valid (or empty when allowed) and the user pressed Enter or left the field.
    committed = Signal(str)
    #: Validity flipped.
    validity_changed = Signal(bool)

    def __init__(self, kind: DateKind, *, allow_empty: bool = False, error_below: bool = True,
                 placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.calendar = "gregorian"  # the calendar the text is written in (set_calendar)
        self.allow_empty = allow_empty
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder or _HINTS[kind].split(":")[0])
        self.edit.setToolTip(_HINTS[kind])
        self.edit.setClearButtonEnabled(allow_empty)
        self.error_label = QLabel()
        self.error_label.setObjectName("dateError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.error_label.setWordWrap(error_below)
        self.error_label.setStyleSheet("QLabel#dateError { color: #d0312d; }")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout: QBoxLayout = QVBoxLayout(self) if error_below else QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2 if error_below else 6)
        layout.addWidget(self.edit)
        layout.addWidget(self.error_label, 0 if error_below else 1)
        self.setFocusProxy(self.edit)
        self._error: str | None = None
        self._valid = True
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.returnPressed.connect(self._on_return_pressed)
        self.edit.editingFinished.connect(self._on_editing_finished)
        self._on_text_changed(self.edit.text())

    # --- API --------------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming, like QLineEdit
        if text != self.edit.text():
            self.edit.setText(text)

    def error(self) -> str | None:
        return self._error

    def is_valid(self) -> bool:
        return self._valid

    def set_calendar(self, calendar: str) -> None:
        """Read the text in ``calendar`` (``gregorian`` or ``julian``) from now on, and check
        it again."""
        self.calendar = calendar
        self._on_text_changed(self.edit.text())

    def show_error(self, message: str | None) -> None:
        """Show a message from elsewhere (the engine's dry run) as this field's error."""
        self._set_error(message)

    # --- slots ------------------------------------------------------------------------------

    def _on_text_changed(self, text: str) -> None:
        text = text.strip()
        if not text:
            self._set_error(None if self.allow_empty else "required")
        else:
            self._set_error(check(self.kind, text, self.calendar))

    def _on_return_pressed(self) -> None:
        if self._valid:
            self.committed.emit(self.text())

    def _on_editing_finished(self) -> None:
        if self._valid and self.edit.isModified():
            self.edit.setModified(False)
            self.committed.emit(self.text())

    def _set_error(self, message: str | None) -> None:
        self._error = message
        valid = message is None
        # An empty required field is not worth a red word until the user has typed something.
        shown = message if message and message != "required" else None
        self.error_label.setText(shown or "")
        self.error_label.setVisible(bool(shown))
        self.edit.setStyleSheet("QLineEdit { border: 1px solid #d0312d; }" if shown else "")
        self.edit.setToolTip(formatting.tooltip(shown) if shown else _HINTS[self.kind])
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
