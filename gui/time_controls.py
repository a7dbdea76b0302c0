"""The two times, and how to move through them.

Top: the two dates in plain words ("As of 30 November 2023", "As known on: now"), with the
replay buttons between them. Below: the density strip, the "as of" slider and its date field,
then the "as known on" slider (its right end is "now": everything recorded) and its field.
Both sliders share one axis, so a day sits at the same x on each.

The density strip and the slider's range cover the whole archive, from counts per day
(``Session.moment_counts``: an SQL aggregate, in a worker thread for a large archive).
Previous/next event, Home and End go through the events the event list shows: on a large
archive, the focus' events (the strip draws them darker over the archive's).
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import events, formatting
from gui.date_field import DateField, DateKind
from gui.density_strip import DensityStrip
from gui.recorded_control import RecordedControl
from gui.session import Session
from gui.time_slider import TimeSlider
from timeline.api import State, parse_day

#: Replay speeds: (label, days of history per second of replay).
SPEEDS: tuple[tuple[str, float], ...] = (
    ("1 week / s", 7.0),
    ("1 month / s", 30.44),
    ("3 months / s", 91.31),
    ("1 year / s", 365.25),
)
_DEFAULT_SPEED = 2
_TICK_MS = 33


def _note(state: State, later: int) -> str:
    """The note under the dates: what the answer hides, if anything (``later``: how many
    events were recorded after the "as recorded on" moment), and that the archive, shown as
    recorded on a moment, is read-only (``Session.read_only``)."""
    hidden = [] if state.known_as_of is None else ["later sources and corrections are hidden"]
    if state.recorded_as_of is not None:
        when = f"as recorded on {formatting.moment_words(state.recorded_as_of)} (read-only)"
        hidden.append(f"{when}: what was recorded after is hidden" if later else
                      f"{when}: nothing was recorded after")
    return "; ".join(hidden) or "everything recorded"


class TimeControls(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._event_days: list[int] = []
        self._replay = QTimer(self)
        self._replay.setInterval(_TICK_MS)
        self._replay.timeout.connect(self._on_replay_tick)
        self._clock = QElapsedTimer()
        self._carry = 0.0
        self._build_actions()
        self._build()
        session.state_changed.connect(self._on_state_changed)
        session.archive_changed.connect(self._on_archive_changed)
        session.overview_changed.connect(self._on_overview_changed)
        session.entity_selected.connect(self._on_entity_selected)
        self._on_archive_changed()
        self._on_state_changed(session.state)

    # --- construction -----------------------------------------------------------------------

    def _action(self, text: str, icon: QStyle.StandardPixmap, shortcut: str, tip: str) -> QAction:
        action = QAction(self.style().standardIcon(icon), text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        action.setStatusTip(tip)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.first_action = self._action("First event", sp.SP_MediaSkipBackward, "Ctrl+Home",
                                         "Go to the first event")
        self.previous_action = self._action("Previous event", sp.SP_MediaSeekBackward,
                                            "Ctrl+Left", "Go to the previous event")
        self.play_action = self._action("Play", sp.SP_MediaPlay, "Space",
                                        "Replay history from this date (Space pauses)")
        self.play_action.setCheckable(True)
        self.next_action = self._action("Next event", sp.SP_MediaSeekForward, "Ctrl+Right",
                                        "Go to the next event")
        self.last_action = self._action("Last event", sp.SP_MediaSkipForward, "Ctrl+End",
                                        "Go to the last event")
        self.go_to_date_action = QAction("Go to Date…", self)
        self.go_to_date_action.setShortcut(QKeySequence("Ctrl+L"))
        self.go_to_date_action.setStatusTip("Type a date (EDTF or plain) to go to")
        self.known_date_action = QAction("Set “As Known On”…", self)
        self.known_date_action.setShortcut(QKeySequence("Ctrl+K"))
        self.known_date_action.setStatusTip("Show the record as it stood on a date")
        self.known_now_action = QAction("As Known Now", self)
        self.known_now_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.known_now_action.setStatusTip("Show everything recorded, up to now")
        self.first_action.triggered.connect(self._on_first_triggered)
        self.previous_action.triggered.connect(self._on_previous_triggered)
        self.play_action.toggled.connect(self._on_play_toggled)
        self.next_action.triggered.connect(self._on_next_triggered)
        self.last_action.triggered.connect(self._on_last_triggered)
        self.go_to_date_action.triggered.connect(self._on_go_to_date_triggered)
        self.known_date_action.triggered.connect(self._on_known_date_triggered)
        self.known_now_action.triggered.connect(self._on_known_now_clicked)
        for action in self.actions_for_menu():
            if action is not None:
                self.addAction(action)

    def actions_for_menu(self) -> list[QAction | None]:
        """The Go menu (None: a separator)."""
        return [self.play_action, None, self.first_action, self.previous_action,
                self.next_action, self.last_action, None, self.go_to_date_action,
                self.known_date_action, self.known_now_action]

    def _tool_button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setIconSize(button.iconSize() * 1.1)
        return button

    def _build(self) -> None:
        caption_font = QFont(self.font())
        caption_font.setPointSizeF(self.font().pointSizeF() * 0.95)
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.55)
        big.setBold(True)

        self.as_of_caption = QLabel("As of")
        self.as_of_caption.setFont(caption_font)
        self.as_of_title = QLabel()
        self.as_of_title.setObjectName("asOfTitle")
        self.as_of_title.setFont(big)
        # The date's width changes as the slider moves; the header must not relayout for it.
        self.as_of_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.as_of_title.setMinimumWidth(
            QFontMetrics(big).horizontalAdvance("30 September 2023 BCE") + 8)
        self.as_of_title.setToolTip("The date of history shown: what held on this day")
        self.known_caption = QLabel("As known on")
        self.known_caption.setFont(caption_font)
        self.known_title = QLabel()
        self.known_title.setObjectName("knownTitle")
        self.known_title.setFont(big)
        self.known_title.setToolTip("The record as it stood on this day: later sources and "
                                    "corrections are hidden")
        self.known_title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.known_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.known_title.setMinimumWidth(self.as_of_title.minimumWidth())
        self.known_note = QLabel()
        self.known_note.setFont(caption_font)
        self.known_note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.speed = QComboBox()
        for label, _ in SPEEDS:
            self.speed.addItem(label)
        self.speed.setCurrentIndex(_DEFAULT_SPEED)
        self.speed.setToolTip("Replay speed: how much history passes per second")

        transport = QHBoxLayout()
        transport.setSpacing(2)
        for action in (self.first_action, self.previous_action, self.play_action,
                       self.next_action, self.last_action):
            transport.addWidget(self._tool_button(action))
        transport.addSpacing(8)
        transport.addWidget(self.speed)

        left = QVBoxLayout()
        left.setSpacing(0)
        left.addWidget(self.as_of_caption)
        left.addWidget(self.as_of_title)
        right = QVBoxLayout()
        right.setSpacing(0)
        known_head = QHBoxLayout()
        known_head.addStretch(1)
        known_head.addWidget(self.known_caption)
        right.addLayout(known_head)
        right.addWidget(self.known_title)
        header = QHBoxLayout()
        header.addLayout(left, 1)
        header.addLayout(transport)
        header.addLayout(right, 1)

        self.slider = TimeSlider()
        self.slider.setObjectName("asOfSlider")
        self.slider.setToolTip("As of: drag through history (←/→ a day, PgUp/PgDn a month, "
                               "Home/End the first/last event)")
        self.strip = DensityStrip(self.slider)
        self.date_field = DateField(DateKind.DAY, error_below=False,
                                    placeholder="date, e.g. 2023-11-30 or 2023-11")
        self.date_field.edit.setToolTip("Go to a date: EDTF or plain (2023-11-30, 2023-11, "
                                        "2023, 2023-11~, today); Enter to go")
        self.date_field.edit.setMaximumWidth(150)
        self.date_field.edit.setMinimumWidth(120)

        self.known_slider = TimeSlider()
        self.known_slider.setObjectName("knownSlider")
        self.known_slider.setToolTip("As known on: slide left to see what the record said on "
                                     "an earlier day; the right end is now")
        self.known_field = DateField(DateKind.DAY, allow_empty=True, error_below=False,
                                     placeholder="now")
        self.known_field.edit.setToolTip("As known on: a date, or empty for now (everything "
                                         "recorded); Enter to apply")
        self.known_field.edit.setMaximumWidth(150)
        self.known_field.edit.setMinimumWidth(120)
        self.now_button = QPushButton("Now")
        self.now_button.setToolTip("Show everything recorded, up to now (Ctrl+Shift+K)")
        self.recorded = RecordedControl(self.session)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        as_of_label = QLabel("As of")
        as_of_label.setBuddy(self.slider)
        known_label = QLabel("As known on")
        known_label.setBuddy(self.known_slider)
        grid.addWidget(self.strip, 0, 1)
        grid.addWidget(as_of_label, 1, 0)
        grid.addWidget(self.slider, 1, 1)
        grid.addWidget(self.date_field, 1, 2, 1, 2)
        grid.addWidget(known_label, 2, 0)
        grid.addWidget(self.known_slider, 2, 1)
        grid.addWidget(self.known_field, 2, 2)
        grid.addWidget(self.now_button, 2, 3)
        grid.addWidget(self.recorded, 3, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(2, 130)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 6, 10, 4)
        outer.setSpacing(4)
        outer.addLayout(header)
        outer.addWidget(self.known_note)
        outer.addLayout(grid)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.slider.valueChanged.connect(self._on_slider_moved)
        self.known_slider.valueChanged.connect(self._on_known_slider_moved)
        self.strip.day_picked.connect(self._on_strip_day_picked)
        self.date_field.committed.connect(self._on_date_committed)
        self.known_field.committed.connect(self._on_known_committed)
        self.now_button.clicked.connect(self._on_known_now_clicked)

    # --- the axis ---------------------------------------------------------------------------

    def _on_archive_changed(self) -> None:
        self._on_overview_changed()
        self._on_entity_selected(self.session.entity)

    def _on_overview_changed(self) -> None:
        """The archive-wide counts: the sliders' range and the density strip."""
        lo, hi = self.session.span()
        latest_known = self.session.latest_known_day()
        if latest_known is not None:
            hi = max(hi, min(latest_known, formatting.today()))
        pad = max(15, (hi - lo) // 50)
        for slider in (self.slider, self.known_slider):
            slider.blockSignals(True)
            slider.setRange(lo - pad, hi + pad)
            slider.setPageStep(30)
            slider.blockSignals(False)
        counts = self.session.moment_counts()
        self.strip.set_counts(counts if counts is not None else [], pending=counts is None)
        self._on_state_changed(self.session.state)

    def _on_entity_selected(self, name: str | None) -> None:
        """The events gone through by previous/next (the focus' on a large archive)."""
        self._event_days = self.session.event_days()
        lo, hi = self.session.span()
        for slider in (self.slider, self.known_slider):
            slider.home_day = self._event_days[0] if self._event_days else lo
            slider.end_day = self._event_days[-1] if self._event_days else hi
        self.strip.set_focus_days(self._focus_days() if self.session.focused else None)
        self._on_state_changed(self.session.state)

    def _focus_days(self) -> list[int]:
        return [k.day for k in self.session.moment_keys()]

    # --- from the session -------------------------------------------------------------------

    def _on_state_changed(self, state: State) -> None:
        v, r = state.as_of, state.known_as_of
        if self.slider.value() != v:
            self.slider.blockSignals(True)
            self.slider.setValue(v)
            self.slider.blockSignals(False)
        known_value = self.known_slider.maximum() if r is None else r
        if self.known_slider.value() != known_value:
            self.known_slider.blockSignals(True)
            self.known_slider.setValue(known_value)
            self.known_slider.blockSignals(False)
        if not self.date_field.edit.hasFocus() or not self.date_field.edit.isModified():
            self.date_field.setText(formatting.iso(v))
        if not self.known_field.edit.hasFocus() or not self.known_field.edit.isModified():
            self.known_field.setText("" if r is None else formatting.iso(r))
        self.as_of_title.setText(formatting.human_date(v))
        if r is None:
            self.known_title.setText("now")
            self.known_title.setStyleSheet("")
        else:
            self.known_title.setText(formatting.human_date(r))
            self.known_title.setStyleSheet("QLabel#knownTitle { color: #c77a00; }")
        self.known_note.setText(_note(state, self.session.recorded_later()))
        self.known_note.setToolTip(self.session.read_only() or "")
        self.known_note.setStyleSheet("" if state.recorded_as_of is None else
                                      "QLabel { color: #7a4fb0; }")
        self.now_button.setEnabled(r is not None)
        self.known_now_action.setEnabled(r is not None)
        self.strip.set_marks(v, r)
        self.previous_action.setEnabled(events.previous_day(self._event_days, v) is not None)
        self.next_action.setEnabled(events.next_day(self._event_days, v) is not None)

    # --- from the user ----------------------------------------------------------------------

    def _on_slider_moved(self, value: int) -> None:
        self.session.set_as_of(value)

    def _on_known_slider_moved(self, value: int) -> None:
        self.session.set_known_as_of(None if value >= self.known_slider.maximum() else value)

    def _on_strip_day_picked(self, day: int) -> None:
        self.session.set_as_of(day)
        self.slider.setFocus()

    def _on_date_committed(self, text: str) -> None:
        self.date_field.edit.setModified(False)
        self.session.set_as_of(parse_day(text))
        self.date_field.setText(formatting.iso(self.session.as_of))

    def _on_known_committed(self, text: str) -> None:
        self.known_field.edit.setModified(False)
        self.session.set_known_as_of(parse_day(text) if text else None)
        r = self.session.known_as_of
        self.known_field.setText("" if r is None else formatting.iso(r))

    def _on_known_now_clicked(self) -> None:
        self.session.set_known_as_of(None)

    def _on_first_triggered(self) -> None:
        if self._event_days:
            self.session.set_as_of(self._event_days[0])

    def _on_last_triggered(self) -> None:
        if self._event_days:
            self.session.set_as_of(self._event_days[-1])

    def _on_previous_triggered(self) -> None:
        day = events.previous_day(self._event_days, self.session.as_of)
        if day is not None:
            self.session.set_as_of(day)

    def _on_next_triggered(self) -> None:
        day = events.next_day(self._event_days, self.session.as_of)
        if day is not None:
            self.session.set_as_of(day)

    def _on_go_to_date_triggered(self) -> None:
        self.date_field.edit.setFocus()
        self.date_field.edit.selectAll()

    def _on_known_date_triggered(self) -> None:
        self.known_field.edit.setFocus()
        self.known_field.edit.selectAll()

    # --- replay -----------------------------------------------------------------------------

    def days_per_second(self) -> float:
        return SPEEDS[self.speed.currentIndex()][1]

    def _on_play_toggled(self, playing: bool) -> None:
        sp = QStyle.StandardPixmap
        if playing:
            end = self.slider.end_day
            if end is not None and self.session.as_of >= end:
                home = self.slider.home_day
                self.session.set_as_of(self.slider.minimum() if home is None else home)
            self._carry = 0.0
            self._clock.start()
            self._replay.start()
            self.play_action.setText("Pause")
            self.play_action.setIcon(self.style().standardIcon(sp.SP_MediaPause))
        else:
            self._replay.stop()
            self.play_action.setText("Play")
            self.play_action.setIcon(self.style().standardIcon(sp.SP_MediaPlay))

    def _on_replay_tick(self) -> None:
        elapsed = self._clock.restart() / 1000.0
        self._carry += elapsed * self.days_per_second()
        step = int(self._carry)
        if step < 1:
            return
        self._carry -= step
        end = self.slider.end_day if self.slider.end_day is not None else self.slider.maximum()
        day = min(end, self.session.as_of + step)
        self.session.set_as_of(day)
        if day >= end:
            self.play_action.setChecked(False)

    def is_playing(self) -> bool:
        return self._replay.isActive()

