"""Undo and redo in the window: Claims → Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z), named after
the act they would undo or redo ("Undo Retraction of c-…"), disabled when there is none.

They are the engine's (``Archive.undo``, ``redo``, ``undo_redo``: ``timeline.undo``): the last
thing *you* did — your name from File → Preferences… (``gui.preferences``) — is compensated
by new events, never deleted, so it works across windows, processes and restarts, and the
claim's history (the citation panel) shows both the act and its undoing.
``install(window)`` adds both, and the preferences.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from gui import preferences
from timeline.api import HindsightError, UndoResult

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def _local(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def who_when(fix: Mapping[str, Any]) -> str:
    """Who recorded a correction and when, and who undid it when (the app's history)."""
    text = ""
    if fix.get("recorded_by") or fix.get("recorded_at"):
        text = " — " + (f"{fix['recorded_by']}, " if fix.get("recorded_by") else "") + \
            _local(fix.get("recorded_at") or "")
    if fix.get("undone_at"):
        text += "; undone" + (f" by {fix['undone_by']}" if fix.get("undone_by") else "") + \
            f", {_local(fix['undone_at'])}"
    return text


class UndoActions:
    """The Undo and Redo actions of a window, kept up to date with the archive."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session = window.session
        self.preferences_action: QAction | None = None  # File → Preferences… (install)
        self._what: dict[QAction, str | None] = {}  # what each action would undo or redo
        self.undo_action = self._action("undoAction", "Ctrl+Z", self.undo)
        self.redo_action = self._action("redoAction", "Ctrl+Shift+Z", self.redo)
        menu = preferences.menu_named(window, "&Claims")
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self.undo_action)
        menu.insertAction(first, self.redo_action)
        menu.insertSeparator(first)
        self.session.archive_changed.connect(self.refresh)
        self.refresh()

    def _action(self, name: str, key: str, slot: Callable[[], None]) -> QAction:
        action = QAction(self.window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        self.window.addAction(action)
        # Enabled when there is something to undo (redo) and the archive can be changed.
        return self.window.writing.watch(action, lambda: self._what.get(action) is not None)

    def refresh(self) -> None:
        """Name and enable the actions after what the archive now holds."""
        try:
            undo, redo = self.session.archive.undo_redo()
        except HindsightError:
            undo = redo = None
        for action, verb, what in ((self.undo_action, "&Undo", undo),
                                   (self.redo_action, "&Redo", redo)):
            action.setText(f"{verb} {what[:1].upper()}{what[1:]}" if what else verb)
            self._what[action] = what
            self.window.writing.set_tip(action, f"{verb.replace('&', '')} the {what}" if what
                                        else f"Nothing to {verb.replace('&', '').lower()}")

    def undo(self) -> None:
        self._run(self.session.archive.undo)

    def redo(self) -> None:
        self._run(self.session.archive.redo)

    def _run(self, act: Callable[[], UndoResult]) -> None:
        if not self.window.writing.allowed():
            return
        bar = self.window.statusBar()
        try:
            result = act()
        except HindsightError as exc:
            bar.showMessage(str(exc), 15000)
            self.refresh()
            return
        claim = self.session.fact.claim.id if self.session.fact is not None else None
        self.session.reload()
        if claim is not None and self.session.fact_for(claim) is not None:
            self.session.select_claim(claim)
        self.refresh()
        bar.showMessage(result.message[:1].upper() + result.message[1:], 15000)


def install(window: MainWindow) -> UndoActions:
    """Add Undo and Redo to the Claims menu, and File → Preferences…, to the window."""
    actions = UndoActions(window)
    actions.preferences_action = preferences.install(window)
    return actions
