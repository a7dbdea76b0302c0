"""Fixtures for the desktop app's tests: real widgets, offscreen, on a small archive.

The archive is built once per test session from ``data/demo_archive.json`` (claims about
OpenAI, Microsoft, Altman — alias "Optimus" — and Nadella, cited from the three seed source
texts) and copied for each test, so that tests may write to it freely.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from timeline.app import Archive  # noqa: E402
from timeline.interchange import import_file  # noqa: E402
from timeline.readmodel import readmodel_path  # noqa: E402

DATA = Path(__file__).with_name("data")
DEMO_JSON = DATA / "demo_archive.json"


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's own archive or settings."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def ana_author(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Changes written as "ana" (``HINDSIGHT_AUTHOR``): what Undo and Redo act on."""
    from timeline.api import set_author

    monkeypatch.setenv("HINDSIGHT_AUTHOR", "ana")
    set_author(None)
    yield
    set_author(None)


@pytest.fixture(scope="session")
def demo_archive_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Archive.open(path) as archive:
        import_file(archive, DEMO_JSON)
    return path


@pytest.fixture
def archive_path(tmp_path: Path, demo_archive_file: Path) -> Path:
    target = tmp_path / "archive.sqlite"
    for source in demo_archive_file.parent.iterdir():
        if source.name.startswith(demo_archive_file.name):
            shutil.copy(source, target.with_name(source.name.replace(
                demo_archive_file.name, target.name)))
    assert readmodel_path(target).exists()
    return target


@pytest.fixture
def archive(archive_path: Path) -> Iterator[Archive]:
    found = Archive.open(archive_path)
    yield found
    with contextlib.suppress(Exception):  # the window closes it when it switches archives
        found.close()


@pytest.fixture
def session(archive: Archive, archive_path: Path):  # type: ignore[no-untyped-def]
    from gui.session import Session

    return Session(archive, archive_path)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, session, settings):  # type: ignore[no-untyped-def]
    from gui.main_window import MainWindow

    found = MainWindow(session, settings)
    qtbot.addWidget(found)
    found.resize(1440, 900)
    found.show()
    qtbot.waitExposed(found)
    yield found
    found.close()
