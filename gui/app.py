"""Starting the desktop app: the QApplication, the window, and the screenshot mode.

``hindsight gui --as-of DATE [--known-as-of DATE] [--recorded-as-of WHEN] [--entity NAME]
[--tag TAG] [--search TEXT] --screenshot PNG`` renders the main window at that state
(``--recorded-as-of``: with "As recorded on" on; ``--tag``: with the tag filter on;
``--search``: with the search box's results open), saves the picture
and exits, for docs, bug reports and tests.
Dates and names are checked before any window exists, so a typo is one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from timeline.api import (
    Archive,
    HindsightError,
    InvalidInput,
    __version__,
    cli_main,
    default_archive,
    is_postgres,
    open_archive,
    query_day,
    recorded_instant,
    tag_key,
)

MIN_SCREENSHOT = (1280, 800)


def _day(text: str | None, option: str) -> int | None:
    if text is None:
        return None
    try:
        return query_day(text, option)
    except InvalidInput as exc:
        raise InvalidInput(f"{option}: {exc.message}") from None


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return recorded_instant(text)
    except InvalidInput as exc:
        raise InvalidInput(f"--recorded-as-of: {exc.message}") from None


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise InvalidInput(f"--size: '{text}' is not WIDTHxHEIGHT, e.g. 1440x900") from None
    if w < MIN_SCREENSHOT[0] or h < MIN_SCREENSHOT[1]:
        raise InvalidInput(f"--size: {w}x{h} is smaller than "
                           f"{MIN_SCREENSHOT[0]}x{MIN_SCREENSHOT[1]}")
    return w, h


def ensure_app() -> object:
    """The QApplication (made once), named so that QSettings finds the user's settings."""
    from PySide6.QtWidgets import QApplication

    from gui.settings import APPLICATION, ORGANISATION

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "hindsight"])
    QApplication.setOrganizationName(ORGANISATION)
    QApplication.setApplicationName(APPLICATION)
    QApplication.setApplicationDisplayName("Hindsight")
    QApplication.setApplicationVersion(__version__)
    return app


def run(args: argparse.Namespace) -> int:
    as_of = _day(getattr(args, "as_of", None), "--as-of")
    known = _day(getattr(args, "known_as_of", None), "--known-as-of")
    recorded = _moment(getattr(args, "recorded_as_of", None))
    screenshot = getattr(args, "screenshot", None)
    size = _size(getattr(args, "size", "1440x900"))
    location = getattr(args, "archive", None)
    if screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    archive = open_archive(location)
    # A team archive's URL stays a string: Path() would fold its "//".
    path: Path | str = (location if location and is_postgres(location)
                        else Path(location) if location else default_archive())
    try:
        entity = archive.entity(args.entity)["name"] if getattr(args, "entity", None) else None
        tag = _tag(archive, getattr(args, "tag", None))
        search = getattr(args, "search", None)
        if search is not None:
            archive.search(search, 1)  # a search with no word is refused before any window
    except HindsightError:
        archive.close()
        raise
    ensure_app()
    if screenshot:
        return _screenshot(archive, path, Path(screenshot), size, as_of, known, entity, tag,
                           search, recorded)
    return _interactive(archive, path, as_of, known, entity, tag, search, recorded)


def _tag(archive: Archive, tag: str | None) -> str | None:
    """``--tag`` as the archive spells it; refused when nothing has it."""
    if tag is None:
        return None
    found = [t["tag"] for t in archive.all_tags() if tag_key(t["tag"]) == tag_key(tag)]
    if not found:
        raise HindsightError(f"--tag: no claim or source has the tag '{tag.strip()}'")
    return str(found[0])


def _window(archive: Archive, path: Path, as_of: int | None, known: int | None,
            entity: str | None, settings: object = None, tag: str | None = None,
            recorded: datetime | None = None) -> object:
    from gui.main_window import MainWindow
    from gui.session import Session

    session = Session(archive, path)
    window = MainWindow(session, settings)  # type: ignore[arg-type]
    session.set_dates(session.as_of if as_of is None else as_of, known)
    session.set_recorded_as_of(recorded)
    if entity:
        session.select_entity(entity)
    if tag:
        window.tagging.filter.choose(tag)
    return window


def _interactive(archive: Archive, path: Path, as_of: int | None, known: int | None,
                 entity: str | None, tag: str | None = None, search: str | None = None,
                 recorded: datetime | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window = _window(archive, path, as_of, known, entity, tag=tag, recorded=recorded)
    window.show()  # type: ignore[attr-defined]
    if search:
        QTimer.singleShot(0, lambda: window.search.search(search))  # type: ignore[attr-defined]
    code = QApplication.exec()
    archive.close()
    return int(code)


def _screenshot(archive: Archive, path: Path, png: Path, size: tuple[int, int],
                as_of: int | None, known: int | None, entity: str | None,
                tag: str | None = None, search: str | None = None,
                recorded: datetime | None = None) -> int:
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    # A throwaway settings file: a screenshot neither uses nor changes the user's layout.
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "screenshot.ini"), QSettings.Format.IniFormat)
        window = _window(archive, path, as_of, known, entity, settings, tag, recorded)
        assert isinstance(window, MainWindow)
        window.resize(*size)
        window.show()
        window.session.wait_for_overview()  # a large archive's density strip is counted apart
        window.settle()
        # Show what the first fact on screen rests on, so the picture has every panel at work.
        first = window.state_panel.model.facts()
        if first:
            window.session.select_fact(first[0])
        window.settle()
        window.graph.fit()
        window.settle()
        if search:  # the search box's results, over the window
            window.search.focus()
            window.search.search(search)
            window.settle()
        picture = window.grab()
        ok = picture.save(str(png))
        window.close()
        window.deleteLater()
        archive.close()
    if not ok:
        raise HindsightError(f"--screenshot: cannot write {png}")
    print(f"saved {png} ({picture.width()}x{picture.height()})", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m gui.app``: the same as ``hindsight gui``."""
    return cli_main(["gui", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
