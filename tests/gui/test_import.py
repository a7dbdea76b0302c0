"""Issue 4, point 9 (import): a Hindsight JSON file imported in a worker thread with a
progress bar; the window stays responsive; Cancel leaves nothing written."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from gui import import_notes
from timeline import dates
from timeline.api import NearNew


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
    # Destroyed by the GUI thread, never by its own (see ImportWorker.run: a deadlock).
    destroyed_in: list[int] = []
    worker.destroyed.connect(lambda: destroyed_in.append(threading.get_ident()),
                             Qt.ConnectionType.DirectConnection)
    qtbot.waitUntil(lambda: not window.import_running(), timeout=30000)
    timer.stop()
    assert worker.thread_id != threading.get_ident()
    del worker  # the window has let go of it too: deleted now, in this thread
    qtbot.waitUntil(lambda: bool(destroyed_in), timeout=10000)
    assert destroyed_in == [threading.get_ident()]
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


def test_new_names_close_to_existing_ones_are_listed_in_a_box_that_does_not_block(
        window, archive, tmp_path, qtbot):
    """The archive holds Sam Altman and Ilya Sutskever; the file names "<b>Sam</b> Altmann"
    and "Ilya Sutskevar" (new: imported all the same) and Octavia Lumley (far from all)."""
    path = tmp_path / "close.json"
    path.write_text(json.dumps({"format": "hindsight/1", "entities": [
        {"name": "<b>Sam</b> Altmann", "kind": "person"},
        {"name": "Octavia Lumley", "kind": "person"}], "claims": [
        {"subject": "Ilya Sutskevar", "predicate": "member_of", "object": "OpenAI",
         "valid": "2016", "known_at": "2025-06-01"}]}), encoding="utf-8")
    window.start_import(path)
    qtbot.waitUntil(lambda: not window.import_running(), timeout=30000)
    assert window.last_import.entities == 3  # nothing refused
    assert {"<b>Sam</b> Altmann", "Ilya Sutskevar", "Octavia Lumley"} <= {
        e["name"] for e in window.session.archive.entities()}
    status = window.statusBar().currentMessage()
    assert status.startswith("Imported ") and "2 new entities are close to existing names" \
        in status
    box = window.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert QApplication.activeModalWidget() is None  # the window stays usable
    assert box.textFormat() == Qt.TextFormat.PlainText  # a name's markup is shown, not run
    text = box.text()
    assert "‘<b>Sam</b> Altmann’ (person) — close to ‘Sam Altman’ (person)" in text
    assert "‘Ilya Sutskevar’ (other) — close to ‘Ilya Sutskever’ (person)" in text
    assert "Octavia" not in text and "hindsight merge" in text


def test_an_import_of_far_names_opens_no_box(window, tmp_path, qtbot):
    path = tmp_path / "far.json"
    path.write_text(json.dumps({"format": "hindsight/1", "entities": [
        {"name": "Octavia Lumley", "kind": "person"}]}), encoding="utf-8")
    window.start_import(path)
    qtbot.waitUntil(lambda: not window.import_running(), timeout=30000)
    assert window.last_import.entities == 1 and window.last_import.near == ()
    assert window.dialog is None
    assert window.statusBar().currentMessage() == (
        "Imported 1 new event (0 claims, 0 sources, 1 entity)")


def test_the_box_lists_the_first_names_and_all_of_them_in_its_details(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    near = [NearNew(f"Sam Altman {k:02d}", "person", (("Sam Altman", "person", "Sam Altman"),))
            for k in range(import_notes.SHOWN + 2)]
    near.append(NearNew("Bell\u2028Labs", "organization",
                        (("Bell\x1b[2J", "other", "Bell Works"),)))
    box = import_notes.near_names_box(parent, near)
    assert box.text().count("— close to") == import_notes.SHOWN
    assert "… and 3 more (Show Details)" in box.text()
    details = box.detailedText().splitlines()
    assert len(details) == len(near)
    # Names stored before names were checked may hold a line break or a control character.
    assert details[-1] == ("• ‘Bell\\u2028Labs’ (organization) — close to ‘Bell\\u001b[2J’ "
                           "(other, alias of ‘Bell Works’)")
