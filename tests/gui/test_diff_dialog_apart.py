"""Compare Two Dates computes in a worker thread: the dialog says so meanwhile, shows the
last comparison asked and only it, reports an engine error as a message, and outlives
nothing (``gui.diff_dialog``, ``gui.archive_apart``)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool

from gui.archive_apart import ArchiveApart
from gui.diff_dialog import BEGAN, DiffDialog
from tests.gui.conftest import DEMO_JSON
from timeline.api import Archive, ArchiveError, InvalidInput, NotFound, import_file, parse_day

#: How long a test waits for a worker, at most (it fails rather than hangs).
PATIENCE_S = 20


class Gate:
    """``Archive.diff`` held in the worker on chosen second dates until ``open``: each call
    recorded (the archive asked, the dates, the thread), and whether it returned."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *held: str) -> None:
        self.held = set(held)
        self.event = threading.Event()
        self.calls: list[tuple[Any, str, str, threading.Thread]] = []
        self.done: list[str] = []
        diff = Archive.diff

        def gated(archive: Any, day1: Any, day2: Any, *args: Any, **kwargs: Any) -> Any:
            self.calls.append((archive, str(day1), str(day2), threading.current_thread()))
            if str(day2) in self.held:
                assert self.event.wait(PATIENCE_S), "the gate was never opened"
            found = diff(archive, day1, day2, *args, **kwargs)
            self.done.append(str(day2))
            return found

        monkeypatch.setattr(Archive, "diff", gated)

    def open(self) -> None:
        self.event.set()

    def asked(self, day2: str) -> bool:
        return any(call[2] == day2 for call in self.calls)


@pytest.fixture
def dialog(window: Any, qtbot: Any) -> Iterator[DiffDialog]:
    found = window.open_diff_dialog()
    assert found.wait()
    yield found
    QThreadPool.globalInstance().waitForDone(PATIENCE_S * 1000)


def _ask(dialog: DiffDialog, day1: str, day2: str) -> None:
    dialog.from_field.setText(day1)
    dialog.to_field.setText(day2)


def test_the_dialog_says_it_is_comparing_and_shows_the_answer_when_in(
        window: Any, dialog: DiffDialog, archive: Archive, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, "2023-11-25")
    _ask(dialog, "2023-11-20", "2023-11-25")
    qtbot.waitUntil(lambda: gate.asked("2023-11-25"))
    # The worker is held: the dialog says so, and the window still answers meanwhile.
    assert dialog.comparing()
    assert dialog.summary.text() == "Comparing 2023-11-20 with 2023-11-25…"
    assert dialog.busy.isVisible() and not dialog.tabs.isEnabled()
    window.session.set_as_of(window.session.span()[0])
    assert window.session.state.as_of == window.session.span()[0]
    assert "2023-11-25" not in gate.done
    gate.open()
    qtbot.waitUntil(lambda: not dialog.comparing(), timeout=PATIENCE_S * 1000)
    assert not dialog.busy.isVisible() and dialog.tabs.isEnabled()
    expected = archive.diff("2023-11-20", "2023-11-25")
    assert sorted(dialog.statements(BEGAN)) == sorted(f.statement for f in expected.began)
    assert dialog.summary.text().startswith("From 20 November 2023 to 25 November 2023")
    # Asked in a worker thread, of the archive opened apart, never of the window's own.
    asked, _, _, thread = next(c for c in gate.calls if c[2] == "2023-11-25")
    assert thread is not threading.main_thread()
    assert asked is not window.session.archive


def test_an_answer_overtaken_by_newer_dates_is_dropped(
        dialog: DiffDialog, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, "2023-11-25")
    shown: list[int] = []
    show = dialog.show_diff
    monkeypatch.setattr(dialog, "show_diff", lambda diff, refused="": (
        shown.append(diff.after.as_of), show(diff, refused))[1])
    _ask(dialog, "2023-11-20", "2023-11-25")
    qtbot.waitUntil(lambda: gate.asked("2023-11-25"))
    dialog.to_field.setText("2023-11-23")  # waits for the comparison running: overtaken
    dialog.to_field.setText("2024-01-01")
    assert dialog.comparing()
    # One worker at a time: the others would only wait, each holding a thread of the pool.
    assert QThreadPool.globalInstance().activeThreadCount() == 1
    gate.open()
    qtbot.waitUntil(lambda: not dialog.comparing(), timeout=PATIENCE_S * 1000)
    QThreadPool.globalInstance().waitForDone(PATIENCE_S * 1000)
    qtbot.wait(50)  # any late answer delivered
    assert "2023-11-25" in gate.done  # the old answer was made, and arrived after
    assert not gate.asked("2023-11-23")  # overtaken before it began: never asked
    assert dialog.diff is not None and dialog.diff.after.as_of == parse_day("2024-01-01")
    assert shown == [parse_day("2024-01-01")]
    assert dialog.summary.text().startswith("From 20 November 2023 to 1 January 2024")


@pytest.mark.parametrize(("error", "message"), [
    (InvalidInput("the archive says no"), "the archive says no"),
    (ArchiveError("archive.sqlite: cannot read the archive"),
     "archive.sqlite: cannot read the archive"),
    (sqlite3.OperationalError("disk I/O error"), "The comparison failed (disk I/O error)."),
])
def test_an_engine_error_is_a_message_in_the_dialog(
        dialog: DiffDialog, qtbot: Any, monkeypatch: pytest.MonkeyPatch, error: Exception,
        message: str) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(Archive, "diff", fail)
    _ask(dialog, "2023-11-20", "2023-11-25")
    assert dialog.wait()
    assert dialog.summary.text() == message
    assert dialog.diff is None and dialog.statements(BEGAN) == []
    assert not dialog.busy.isVisible() and dialog.tabs.isEnabled()


def test_closing_the_dialog_while_it_compares_is_quiet(
        window: Any, dialog: DiffDialog, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    gate = Gate(monkeypatch, "2023-11-25")
    _ask(dialog, "2023-11-20", "2023-11-25")
    qtbot.waitUntil(lambda: gate.asked("2023-11-25"))
    gone = threading.Event()
    dialog.destroyed.connect(gone.set)
    del dialog  # the window holds the last reference to it
    window.dialog.close()  # deleted on close
    window.dialog = None
    qtbot.waitUntil(gone.is_set)
    capfd.readouterr()
    gate.open()
    assert QThreadPool.globalInstance().waitForDone(PATIENCE_S * 1000)
    qtbot.wait(50)  # the answer, were it delivered
    assert "2023-11-25" in gate.done  # answered after the dialog was gone
    err = capfd.readouterr().err
    assert "Error" not in err and "Traceback" not in err
    # The window goes on comparing in a new dialog.
    again = window.open_diff_dialog()
    _ask(again, "2023-11-20", "2023-11-25")
    assert again.wait() and again.diff is not None


def test_an_archive_in_memory_is_compared_at_once(qtbot: Any) -> None:
    from gui.session import Session

    archive = Archive.in_memory()
    import_file(archive, DEMO_JSON)
    session = Session(archive, None)
    assert session.apart() is None
    found = DiffDialog(session)
    qtbot.addWidget(found)
    _ask(found, "2023-11-20", "2023-11-25")
    assert not found.comparing()  # no waiting
    assert "Sam Altman leads OpenAI" in found.statements(BEGAN)
    archive.close()


# --- the archive apart ------------------------------------------------------------------------


def _running(apart: ArchiveApart) -> tuple[threading.Thread, threading.Event, Callable[[], Any]]:
    """A thread asking ``apart`` a question held until the event is set; its answer."""
    release, started, answer = threading.Event(), threading.Event(), []

    def ask(archive: Archive) -> Archive:
        started.set()
        assert release.wait(PATIENCE_S)
        return archive

    thread = threading.Thread(target=lambda: answer.append(apart.run(ask)))
    thread.start()
    assert started.wait(PATIENCE_S)
    return thread, release, lambda: answer[0]


def test_the_archive_apart_is_the_same_archive_opened_again(archive_path: Any,
                                                            archive: Archive) -> None:
    apart = ArchiveApart(archive_path)
    opened = apart.run(lambda other: other)
    assert opened is not archive and opened is not None
    assert opened.statistics() == archive.statistics()
    # What the window's archive wrote since is seen.
    with pytest.raises(NotFound):
        apart.run(lambda other: other.entity("Altman the Second"))
    archive.alias("Sam Altman", "Altman the Second")
    assert apart.run(lambda other: other.entity("Altman the Second")["name"]) == "Sam Altman"
    # Not wanted any more by its turn: nothing asked.
    assert apart.run(lambda other: pytest.fail("asked"), wanted=lambda: False) is None
    apart.close()
    with pytest.raises(ArchiveError):
        apart.run(lambda other: other)
    with pytest.raises(Exception):  # noqa: B017 - closed: its connections are
        opened.statistics()


def test_the_archive_apart_closes_after_the_question_running(archive_path: Any) -> None:
    apart = ArchiveApart(archive_path)
    thread, release, answer = _running(apart)
    apart.close()  # does not wait for the question
    assert thread.is_alive()
    release.set()
    thread.join(PATIENCE_S)
    opened = answer()
    assert opened is not None
    with pytest.raises(Exception):  # noqa: B017 - closed once the question was answered
        opened.statistics()
