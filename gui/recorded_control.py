"""The third time: "As recorded on", the archive as it stood at a moment (UTC).

A check box and a date-and-time field, off by default, beside the "as known on" controls.
On, the state is the archive's as recorded then (``Archive.as_recorded``): what was recorded
after it — claims, corrections, aliases, merges, reranks — is hidden, and the time controls'
note says so, as it does for "as known on". An old version of the archive is read-only: while
the control is on, every action that writes is disabled, its tip saying why
(``gui.write_guard``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import QApplication, QCheckBox, QDateTimeEdit, QHBoxLayout, QWidget

from gui.session import Session
from timeline.api import State

#: How the field shows a moment.
FORMAT = "yyyy-MM-dd HH:mm:ss 'UTC'"


def to_qt(moment: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(moment.timestamp() * 1000), QTimeZone.utc())


def from_qt(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, UTC)


class RecordedControl(QWidget):
    """"As recorded on": a check box (off: everything recorded) and the moment, UTC."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.check = QCheckBox("As recorded on")
        self.check.setObjectName("recordedCheck")
        self.check.setToolTip("Show the archive as it stood at a moment: what was recorded "
                              "after it (claims, corrections, aliases, merges) is hidden, and "
                              "the archive cannot be changed until this is turned off")
        self.edit = QDateTimeEdit()
        self.edit.setObjectName("recordedEdit")
        self.edit.setTimeZone(QTimeZone.utc())
        self.edit.setDisplayFormat(FORMAT)
        self.edit.setCalendarPopup(True)
        self.edit.setToolTip("The moment (UTC) the archive is shown as recorded on")
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        self.edit.setDateTime(to_qt(now))
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.check.toggled.connect(self._on_toggled)
        self.edit.dateTimeChanged.connect(self._on_changed)
        session.state_changed.connect(self._on_state_changed)
        self._on_state_changed(session.state)

    def moment(self) -> datetime:
        return from_qt(self.edit.dateTime())

    def _on_toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self._set(self.moment() if on else None)

    def _on_changed(self, _value: QDateTime) -> None:
        if self.check.isChecked():
            self._set(self.moment())

    def _set(self, moment: datetime | None) -> None:
        """A new moment replays the log up to it (seconds, on a large archive): say so."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.session.set_recorded_as_of(moment)
        finally:
            QApplication.restoreOverrideCursor()

    def _on_state_changed(self, state: State) -> None:
        """Follow the session (a moment set elsewhere, another archive opened)."""
        moment = self.session.recorded_as_of
        on = moment is not None
        for widget in (self.check, self.edit):
            widget.blockSignals(True)
        self.check.setChecked(on)
        self.edit.setEnabled(on)
        if moment is not None and abs((self.moment() - moment).total_seconds()) >= 1:
            self.edit.setDateTime(to_qt(moment))
        for widget in (self.check, self.edit):
            widget.blockSignals(False)
