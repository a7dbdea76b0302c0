"""The desktop app on a team archive (PostgreSQL): it shows the shared state and follows the
writes of another client without a restart."""

from __future__ import annotations

from timeline import dates
from timeline.app import Archive


def test_the_window_shows_a_postgresql_archive_and_follows_another_client(
        qtbot, postgres_url, settings):
    from gui.main_window import MainWindow
    from gui.session import Session

    archive = Archive.open(postgres_url)
    colleague = Archive.open(postgres_url)
    try:
        first = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019-07/..",
                               known_at="2019-07-22")
        window = MainWindow(Session(archive, postgres_url), settings)
        qtbot.addWidget(window)
        window.show()
        window.session.set_as_of(dates.parse_day("2024-01-01"))
        assert [f.claim.id for f in window.state_panel.model.facts()] == [first]
        assert "***" not in window.windowTitle() and "test" in window.windowTitle()

        second = colleague.record("Nadella", "supported", object="Sam Altman",
                                  valid="2023-11/..", known_at="2023-11-20")
        qtbot.waitUntil(lambda: second in {f.claim.id for f in
                                           window.state_panel.model.facts()}, timeout=5000)
        colleague.retract(first, known_at="2024-06-01")
        qtbot.waitUntil(lambda: first not in {f.claim.id for f in
                                              window.state_panel.model.facts()}, timeout=5000)
        window.close()
    finally:
        colleague.close()
        archive.close()
