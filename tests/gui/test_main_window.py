"""Issue 4, point 9 (the rest): open another archive, recent archives and window geometry
remembered with QSettings, an About box with version and statistics; menus and shortcuts."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.session import Session
from gui.settings import recent_archives
from timeline import __version__
from timeline.app import Archive


def test_the_window_remembers_its_geometry(qtbot, window, settings, archive_path):
    # Small, for the offscreen platform's screen (800x600) clamps restored geometry.
    window.resize(820, 560)
    window.main_splitter.setSizes([300, 250, 200])
    size = (window.width(), window.height())
    first = window.main_splitter.sizes()[0]
    window.close()
    assert settings.value("window/geometry") is not None
    reopened = MainWindow(Session(Archive.open(archive_path), archive_path), settings)
    qtbot.addWidget(reopened)
    reopened.show()
    qtbot.waitExposed(reopened)
    # (Qt may trim a few pixels to keep a restored window on the small offscreen screen.)
    assert reopened.height() == size[1] and abs(reopened.width() - size[0]) <= 10
    assert abs(reopened.main_splitter.sizes()[0] - first) <= 10
    reopened.close()
    reopened.session.archive.close()


def test_opening_another_archive_switches_and_is_remembered(window, settings, archive_path,
                                                            tmp_path, qtbot):
    other = tmp_path / "other" / "second.sqlite"
    other.parent.mkdir()
    for f in archive_path.parent.glob(archive_path.name + "*"):
        shutil.copy(f, other.parent / f.name.replace(archive_path.name, other.name))
    assert window.open_archive_path(other)
    assert window.session.path == other
    assert window.windowTitle() == "Hindsight — second.sqlite"
    recent = recent_archives(settings)
    assert recent[:2] == [str(other.resolve()), str(archive_path.resolve())]
    texts = [a.text() for a in window.recent_menu.actions()]
    assert any(str(other.resolve()) in t for t in texts)
    again = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    assert recent_archives(again)[0] == str(other.resolve())


def test_a_missing_archive_is_refused_without_crashing(window, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    before = window.session.path
    assert not window.open_archive_path(tmp_path / "nope.sqlite")
    assert window.session.path == before
    assert shown and "nope.sqlite" in shown[0]


def test_about_shows_version_and_archive_statistics(window, archive):
    box = window.open_about()
    text = box.text()
    stats = archive.statistics()
    assert f"Hindsight {__version__}" in text
    assert f"<b>Claims:</b> {stats['claims']}" in text
    assert f"<b>Events:</b> {stats['events']}" in text
    assert f"<b>Entities:</b> {stats['entities']}" in text
    box.close()


def test_menus_offer_every_command_with_its_shortcut(window):
    menus = {m.title().replace("&", ""): m for m in
             (a.menu() for a in window.menuBar().actions()) if m}
    assert list(menus) == ["File", "Claims", "View", "Go", "Help"]
    go = {a.text(): a.shortcut().toString() for a in menus["Go"].actions() if a.text()}
    assert go["Next event"] == "Ctrl+Right" and go["Previous event"] == "Ctrl+Left"
    assert go["Play"] == "Space"
    assert window.record_action.shortcut().toString() == "Ctrl+N"
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert not window.retract_action.isEnabled()  # nothing selected yet
    assert "claims" in window.stats_label.text()


def test_escape_clears_the_entity_selection(window, qtbot):
    window.session.select_entity("Optimus")
    assert window.session.entity == "Sam Altman"
    window.clear_entity_action.trigger()
    assert window.session.entity is None


def test_the_default_size_is_1440_by_900_or_what_the_screen_allows(qtbot, session, tmp_path):
    fresh = MainWindow(session, QSettings(str(tmp_path / "fresh.ini"),
                                          QSettings.Format.IniFormat))
    qtbot.addWidget(fresh)
    available = QApplication.primaryScreen().availableGeometry()
    if available.width() >= 1440 and available.height() >= 900:
        assert (fresh.width(), fresh.height()) == (1440, 900)
    else:  # a small screen (the offscreen platform's is 800x600)
        assert fresh.width() <= available.width() and fresh.height() <= available.height()


