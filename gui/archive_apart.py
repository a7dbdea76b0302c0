"""The window's archive opened a second time, for questions asked in a worker thread.

The window's own archive is asked on the GUI thread all the time (the slider, the poll timer,
a tooltip), and an ``Archive`` is not made to be used by two threads at once: its SQLite
connections and its caches (names, entities, recorded times) are one thread's. A question
too slow for the GUI thread (``gui.diff_dialog``'s comparison) is asked of this other
``Archive`` instead, opened by the public ``open_archive`` on the same file or URL: its own
connections to the same event store and read model, its own caches. It only reads (its
catch-up on ``refresh`` writes the shared read model as another window's would), and one
worker at a time uses it (``run``); it is kept for the window's archive, so that what it
learns once (the log's recorded times, a cut of the log) is not learnt again.

This module imports no Qt: whoever runs the work (a QThreadPool) is the caller's business.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from timeline.api import Archive, ArchiveError, open_archive

T = TypeVar("T")


class ArchiveApart:
    """An archive at ``location`` of its own, for one worker thread at a time."""

    def __init__(self, location: Path | str) -> None:
        self.location = location
        self._archive: Archive | None = None
        self._use = threading.Lock()
        self._closed = False

    def run(self, ask: Callable[[Archive], T], recorded_as_of: datetime | None = None,
            wanted: Callable[[], bool] = lambda: True) -> T | None:
        """``ask`` of the archive, caught up with the events written since, as recorded on
        ``recorded_as_of`` when given; None, and nothing asked, when the answer is no longer
        ``wanted`` by the time it is this call's turn (a newer question is waiting)."""
        try:
            with self._use:
                if self._closed:
                    raise ArchiveError(f"{self.location}: the archive was closed")
                if not wanted():
                    return None
                if self._archive is None:
                    self._archive = open_archive(self.location, create=False)
                else:
                    self._archive.refresh()
                reader = self._archive if recorded_as_of is None else \
                    self._archive.as_recorded(recorded_as_of)
                return ask(reader)
        finally:
            self._close_if_idle()

    def close(self) -> None:
        """Close it now when no worker uses it, else as soon as the one using it is done:
        the caller (the GUI thread) never waits."""
        self._closed = True
        self._close_if_idle()

    def _close_if_idle(self) -> None:
        # close() sets the flag before it tries the lock, and run() tries it after it let
        # go: one of the two sees both, whichever comes last.
        if self._closed and self._use.acquire(blocking=False):
            try:
                if self._archive is not None:
                    self._archive.close()
                    self._archive = None
            finally:
                self._use.release()
