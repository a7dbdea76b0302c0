"""Another writer's events appear in an open window without a restart."""

from __future__ import annotations

import os
import subprocess
import sys

from timeline import dates


def test_a_claim_recorded_by_another_process_appears_in_the_open_window(
        window, archive_path, qtbot):
    window.session.set_as_of(dates.parse_day("2030-01-01"))
    assert "Ministry of Memory" not in {f.subject for f in window.state_panel.model.facts()}
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "--archive", str(archive_path), "record",
         "Ministry of Memory", "member_of", "--object", "OpenAI", "--valid", "2029-01-01/..",
         "--known-at", "2029-01-01"],
        capture_output=True, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr

    def shown() -> bool:
        return "Ministry of Memory" in {f.subject for f in window.state_panel.model.facts()}

    qtbot.waitUntil(shown, timeout=5000)
    assert "from another writer" in window.statusBar().currentMessage()
    # The engine's answer, not a guess: the same fact, with the same status.
    expected = {f.claim.id: f.status for f in window.session.archive.as_of(
        dates.parse_day("2030-01-01")).facts}
    assert {f.claim.id: f.status for f in window.state_panel.model.facts()} == expected
