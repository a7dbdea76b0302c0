"""``hindsight --self-test``: does this installation work?

Run after installing (and by the packaging test on the installed .deb). Every step prints one
line, ``ok: …`` or ``FAIL: …``, and the command exits 0 only when every step passed:

1. a scratch data folder (the user's own archive is never opened, let alone written);
2. the bundled seed archive is found and the first run creates an archive from it;
3. a few as-of questions are answered (one of them through an alias);
4. re-opening the archive does not seed it again;
5. the main window opens on the archive, paints and closes (offscreen, unless
   ``QT_QPA_PLATFORM`` names another platform).

The scratch folder is deleted afterwards unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: As-of questions whose answers must not be empty: (date, entities).
QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("2023-11-30", ("Microsoft", "OpenAI")),
    ("2025-05-31", ("Optimus",)),  # an alias of Sam Altman in one source
)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "self-test", parents=[common], help="check that this installation works",
        description="Open the bundled seed archive in a scratch folder, answer a few "
                    "questions, open the main window offscreen; exit 0 only if all worked.")
    p.add_argument("--keep", action="store_true", help="keep the scratch data folder")
    p.set_defaults(run=run)


class _Steps:
    def __init__(self) -> None:
        self.failed = 0

    def ok(self, text: str) -> None:
        print(f"ok: {text}", flush=True)

    def fail(self, text: str, exc: BaseException | None = None) -> None:
        self.failed += 1
        detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
        print(f"FAIL: {text}{detail}", flush=True)
        if exc is not None and os.environ.get("HINDSIGHT_DEBUG"):
            traceback.print_exception(exc)

    def step(self, text: str, fn: Callable[[], str | None]) -> bool:
        """Run one step; its return value (if any) is added to the ok line."""
        try:
            more = fn()
        except Exception as exc:  # a self-test reports every failure, whatever it is
            self.fail(text, exc)
            return False
        self.ok(f"{text}{' — ' + more if more else ''}")
        return True


def _use_scratch_data_dir(scratch: Path) -> Path:
    """Point the engine's default archive at ``scratch``; returns the archive path."""
    from timeline.api import default_archive, use_data_dir

    os.environ["XDG_DATA_HOME"] = str(scratch)
    target = default_archive()
    if scratch not in target.parents:
        # platformdirs honours XDG_DATA_HOME on Linux only; on Windows and macOS the engine's
        # data folder is redirected in this process instead, never the user's own.
        use_data_dir(scratch / "hindsight")
        target = default_archive()
    if scratch not in target.parents:
        raise RuntimeError(f"the archive would be {target}, outside the scratch folder")
    return target


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    steps = _Steps()
    from timeline.api import __version__

    print(f"Hindsight {__version__} self-test "
          f"({'installed bundle' if getattr(sys, 'frozen', False) else 'from source'}, "
          f"Python {sys.version.split()[0]}, {sys.platform})", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="hindsight-selftest-"))
    try:
        _run_steps(steps, scratch)
    finally:
        if args.keep:
            print(f"kept the scratch data folder {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.monotonic() - started
    if steps.failed:
        print(f"self-test FAILED: {steps.failed} step(s) failed ({elapsed:.1f} s)")
        return 1
    print(f"self-test passed ({elapsed:.1f} s)")
    return 0


def _run_steps(steps: _Steps, scratch: Path) -> None:
    from timeline.api import open_default, seed_archive

    state: dict[str, Any] = {}

    def data_dir() -> str:
        state["target"] = _use_scratch_data_dir(scratch)
        return str(state["target"].parent)

    if not steps.step("scratch data folder", data_dir):
        return

    def seeds() -> str:
        seed = seed_archive()
        if not seed.is_file():
            raise FileNotFoundError(f"no seed archive at {seed}")
        sources = sorted((seed.parent / "sources").glob("*.txt"))
        return f"{seed} and {len(sources)} source texts"

    steps.step("seed archive found", seeds)

    def first_open() -> str:
        if state["target"].exists():
            raise RuntimeError(f"{state['target']} exists before the first run")
        with open_default() as archive:
            stats = archive.statistics()
        if not state["target"].is_file():
            raise RuntimeError(f"the first run did not create {state['target']}")
        if stats.get("claims", 0) <= 0:
            raise RuntimeError(f"the new archive holds no claims ({stats})")
        state["events"] = stats["events"]
        return (f"{stats['claims']} claims, {stats['entities']} entities, "
                f"{stats['sources']} sources, {stats['events']} events")

    if not steps.step("first run creates the archive from the seeds", first_open):
        return

    with open_default() as archive:
        for day, entities in QUESTIONS:
            def ask(day: str = day, entities: tuple[str, ...] = entities) -> str:
                state = archive.as_of(day, entities=list(entities))
                if not state.facts:
                    raise RuntimeError("no facts")
                names = " & ".join(e["name"] for e in state.entities)
                return (f"{names}: {len(state.facts)} facts, e.g. "
                        f"{state.facts[0].statement[:60]!r}")

            steps.step(f"as of {day} about {' & '.join(entities)}", ask)

    def reopen() -> str:
        with open_default() as again:
            events = again.statistics()["events"]
        if events != state["events"]:
            raise RuntimeError(f"re-opening changed the archive: {state['events']} -> {events}")
        return f"still {events} events, not seeded again"

    steps.step("re-open the archive", reopen)

    def publish() -> str:
        # Through the command line, as a user would: the renderers (Qt) are found the way
        # this installation finds them (entry points, or named by a frozen app).
        from timeline.api import cli_main

        made = []
        for name, args in (("report.pdf", ["report", "--as-of", "2023-11-20", "--entity",
                                           "Microsoft", "--entity", "OpenAI", "--to"]),
                           ("graph.svg", ["export", "--to", "svg", "--as-of", "2023-11-20"])):
            out = scratch / name
            code = cli_main(["--archive", str(state["target"]), *args, str(out)])
            if code != 0 or not out.is_file() or out.stat().st_size == 0:
                raise RuntimeError(f"{' '.join(args[:3])} exited {code} without {name}")
            made.append(f"{name} ({out.stat().st_size:,} bytes)")
        return ", ".join(made)

    steps.step("a report (PDF) and a picture (SVG) are written", publish)
    steps.step("main window opens, paints and closes",
               lambda: _window(state["target"]))


def _make_window(archive: Any, path: Path) -> Any:
    """The main window on ``archive``, remembering its settings in the scratch folder (the
    user's own recent-archives list and window geometry are left alone)."""
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow
    from gui.session import Session

    settings = QSettings(str(path.parent / "selftest-settings.ini"), QSettings.Format.IniFormat)
    return MainWindow(Session(archive, path), settings=settings)


def _window(target: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui.app import ensure_app
    from timeline.api import open_archive

    ensure_app()  # the QApplication as `hindsight gui` makes it
    platform = QApplication.platformName()
    archive = open_archive(target)
    try:
        window = _make_window(archive, target)
        window.resize(1200, 800)
        window.show()
        for _ in range(5):
            QApplication.processEvents()
        pixmap = window.grab()
        if pixmap.isNull() or pixmap.width() == 0 or pixmap.height() == 0:
            raise RuntimeError("the window painted nothing (null pixmap)")
        size = f"{pixmap.width()}x{pixmap.height()}"
        title = window.windowTitle()
        window.close()
        QApplication.processEvents()
        window.deleteLater()
        QApplication.processEvents()
    finally:
        with contextlib.suppress(Exception):  # the window may have closed it already
            archive.close()
    return f"{type(window).__name__} {title!r}, {size} px on the {platform!r} platform"
