"""Issue 4, point 9 (import): a Hindsight JSON file imported in a worker thread with a
progress bar; the window stays responsive; Cancel leaves nothing written."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton

from timeline import dates


def _file(tmp_path: Path, claims: int) -> Path:
    doc = {"format": "hindsight/1", "claims": [
        {"subject": f"Researcher {k:04d}", "predicate": "member_of", "object": "OpenAI",
         "valid": f"{2016 + k % 9}-0{1 + k % 9}/..", "known_at": "2025-06-01"}
        for k in range(claims)]}
    path = tmp_path / f"import-{claims}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_import_runs_in_a_worker_with_progress_and_the_window_catches_up(window, archive,
                                                                         tmp_path, qtbot):
    events = archive.statistics()["events"]
    progress: list[tuple[int, int]] = []
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    worker = window.start_import(_file(tmp_path, 400))
    assert worker is not None and window.import_running()
    assert not window.import_action.isEnabled()  # one writer at a time
    worker.progressed.connect(lambda done, total: progress.append((done, total)))
    qtbot.waitUntil(lambda: not window.import_running(), timeout=30000)
    timer.stop()
    assert worker.thread_id != threading.get_ident()
    assert ticks, "the main thread's event loop kept running during the import"
    assert progress and progress[-1][0] == progress[-1][1]
    assert window.last_import is not None and window.last_import.claims == 400
    # The window caught up with what the worker wrote (its names too).
    assert window.session.archive.statistics()["events"] > events + 400
    window.session.set_as_of(dates.parse_day("2025-01-01"))
    shown = {f.subject for f in window.state_panel.model.facts()}
    assert "Researcher 0001" in shown
    assert window.import_action.isEnabled()
    assert "Imported" in window.statusBar().currentMessage()


def test_cancel_leaves_nothing_written(window, archive, archive_path, tmp_path, qtbot,
                                       count_events):
    events = archive.statistics()["events"]
    stored = count_events(archive_path)
    worker = window.start_import(_file(tmp_path, 3000))
    assert worker is not None
    cancel = window.import_progress.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert worker.is_cancelled()
    qtbot.waitUntil(lambda: not window.import_running(), timeout=30000)
    assert window.last_import is None
    assert archive.statistics()["events"] == events
    assert count_events(archive_path) == stored
    assert window.statusBar().currentMessage() == "Import cancelled; nothing was written"


def test_a_bad_file_is_reported_and_nothing_is_written(window, archive, tmp_path, qtbot):
    events = archive.statistics()["events"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "hindsight/1", "claims": [
        {"subject": "A", "predicate": "p", "object": "B", "valid": "2023-13"}]}))
    window.start_import(bad)
    qtbot.waitUntil(lambda: not window.import_running(), timeout=10000)
    assert archive.statistics()["events"] == events
    assert "claims[0].valid" in window.dialog.text()
