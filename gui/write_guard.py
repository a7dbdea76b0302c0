"""Writing from the window: the one rule for when the archive may be changed, and the actions
that write kept to it.

The archive may not be changed while an import is running (the worker writes it, all or
nothing), nor while it is shown "as recorded on" a past moment (``Session.read_only``: an old
version of the archive is read-only, as in a document's version history — a write would go to
the archive as it is now, and the view would hide it). :class:`WriteGuard` is asked that
rule; it holds every action that writes (Record Claim, the corrections, Undo and Redo,
Import, Add Source, Add Alias, the tags, a source viewer's Record Claim from Selection and
Cite Selection), each with a condition of its own (a fact selected, a passage selected,
something to undo), enables them by both, and when it refuses, their tips say why. A
disabled action's shortcut does nothing; the ways to a write dialog that are no action (a
context menu built on the spot, a call from elsewhere) ask :meth:`WriteGuard.allowed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from gui.main_window import MainWindow

#: Why the archive cannot be changed while an import runs.
IMPORT_RUNNING = "An import is running: the archive can be changed once it is over"


def _always() -> bool:
    return True


@dataclass
class _Watched:
    action: QAction
    when: Callable[[], bool]  # the action's own condition (a fact selected, ...)
    tip: str  # its tip when writing is allowed


class WriteGuard(QObject):
    """The window's rule for writing (``refused``) and the actions that follow it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self._watched: dict[int, _Watched] = {}  # by id(action)
        self._refusal = self.refused()
        self.session.state_changed.connect(self._on_state_changed)
        self.session.archive_changed.connect(self.refresh)
        self.session.fact_selected.connect(self.refresh)

    def refused(self) -> str | None:
        """Why the archive cannot be changed now, in words for a tip; None when it can."""
        if self.window.import_running():
            return IMPORT_RUNNING
        return self.session.read_only()

    def allowed(self) -> bool:
        """Whether a write may start now; when not, the status bar says why. For the ways to
        a write dialog that are not an action watched here."""
        reason = self.refused()
        if reason is not None:
            self.window.statusBar().showMessage(reason, 10000)
        return reason is None

    def actions(self) -> list[QAction]:
        """Every action watched: the actions that write."""
        return [watched.action for watched in self._watched.values()]

    def watch(self, action: QAction, when: Callable[[], bool] = _always,
              tip: str | None = None) -> QAction:
        """Keep ``action`` to the rule: enabled when writing is allowed and ``when()`` holds;
        ``tip`` (by default its status tip) as its tips, or the reason writing is refused."""
        key = id(action)
        self._watched[key] = _Watched(action, when, action.statusTip() if tip is None else tip)
        action.destroyed.connect(lambda *_: self._watched.pop(key, None))
        self._apply(self._watched[key], self.refused())
        return action

    def set_tip(self, action: QAction, tip: str) -> None:
        """A watched action's own tip changed (Undo names what it would undo)."""
        self._watched[id(action)].tip = tip
        self.update(action)

    def update(self, *actions: QAction) -> None:
        """The own condition of these watched actions may have changed: apply it again."""
        reason = self.refused()
        for action in actions:
            self._apply(self._watched[id(action)], reason)

    def refresh(self, *_: object) -> None:
        """Apply the rule and every action's condition again (the archive, the selection, an
        import starting or ending)."""
        self._refusal = reason = self.refused()
        for watched in list(self._watched.values()):
            self._apply(watched, reason)

    def _on_state_changed(self, *_: object) -> None:
        # The state changes with every step of the slider: only a new reason (the "as
        # recorded on" control turned on or off, its moment moved) is worth a refresh.
        if self.refused() != self._refusal:
            self.refresh()

    @staticmethod
    def _apply(watched: _Watched, reason: str | None) -> None:
        action = watched.action
        action.setEnabled(reason is None and watched.when())
        tip = watched.tip if reason is None else reason
        action.setStatusTip(tip)
        action.setToolTip(tip)
