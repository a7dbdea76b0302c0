"""Importing a Hindsight JSON file in a worker thread, with progress and Cancel.

The worker opens its own ``Archive`` on the same file (SQLite connections belong to the
thread that made them) and runs the engine's ``import_file``. Its progress callback reports
to the window and returns False once Cancel was pressed; the engine then raises
``ImportCancelled`` before anything is committed, so a cancelled import writes nothing. When
the worker is done the window's own archive catches up with ``refresh()``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from timeline.api import Archive, HindsightError, ImportCancelled, ImportReport, import_file


class ImportWorker(QObject):
    progressed = Signal(int, int)  # done, total
    succeeded = Signal(object)  # ImportReport
    cancelled = Signal()
    failed = Signal(str)
    finished = Signal()

    def __init__(self, archive_path: Path | str, file: Path) -> None:
        super().__init__()
        self.archive_path = archive_path
        self.file = file
        self._cancel = threading.Event()
        self.thread_id: int | None = None

    def cancel(self) -> None:
        """Ask the import to stop (thread-safe); nothing will be written."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        self.thread_id = threading.get_ident()
        try:
            if self._cancel.is_set():
                raise ImportCancelled("import cancelled; nothing was written")
            with Archive.open(self.archive_path) as archive:
                report: ImportReport = import_file(archive, self.file, progress=self._progress)
        except ImportCancelled:
            self.cancelled.emit()
        except HindsightError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a worker must report, never die silently
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(report)
        finally:
            self.finished.emit()


def start_import(archive_path: Path | str, file: Path, parent: QObject
                 ) -> tuple[QThread, ImportWorker]:
    """Start an import in a new thread; the thread ends (and is deleted) when it is done."""
    thread = QThread(parent)
    thread.setObjectName("hindsight-import")
    worker = ImportWorker(archive_path, file)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # quit() is thread-safe; a queued call would wait for the window's event loop, which
    # may itself be waiting for this thread to end.
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    # The worker is not deleted in its thread (deleteLater there): its wrapper would then wait
    # for Python's lock while holding Qt's, as the GUI thread, holding Python's, waits for
    # Qt's (a deadlock, seen once in the tests). The window lets go of it once the thread has
    # ended (``MainWindow._on_import_finished``), and it is deleted in the GUI thread.
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread, worker
