"""``hindsight --self-test`` from the source tree (fast; the installed app's self-test is in
test_deb.py). It runs in a subprocess: it sets XDG_DATA_HOME and starts Qt for itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _self_test(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("QT_QPA_PLATFORM", "HINDSIGHT_SEEDS", "DISPLAY", "WAYLAND_DISPLAY")}
    clean.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "user-data"), **env)
    return subprocess.run([sys.executable, "-m", "timeline", "--self-test"], env=clean,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)


def test_self_test_passes_and_leaves_the_users_data_alone(tmp_path: Path) -> None:
    proc = _self_test(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    ok = [line for line in lines if line.startswith("ok: ")]
    assert not [line for line in lines if line.startswith("FAIL")]
    assert len(ok) == 8
    assert any(line.startswith("ok: a report (PDF) and a picture (SVG) are written — "
                                "report.pdf (") for line in ok)
    assert "Sam Altman" in next(line for line in ok if "Optimus" in line)  # the alias resolved
    assert "not seeded again" in proc.stdout
    assert "on the 'offscreen' platform" in ok[-1]  # it chose offscreen itself
    assert proc.stdout.rstrip().splitlines()[-1].startswith("self-test passed")
    assert not (tmp_path / "user-data").exists(), "the self-test touched the user's data folder"
    assert not (tmp_path / "home" / ".config").exists(), "the self-test wrote user settings"


def test_self_test_fails_without_seeds(tmp_path: Path) -> None:
    empty = tmp_path / "no-seeds"
    empty.mkdir()
    proc = _self_test(tmp_path, HINDSIGHT_SEEDS=str(empty))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAIL: seed archive found" in proc.stdout
    assert "FAIL: first run creates the archive from the seeds" in proc.stdout
    assert "self-test FAILED" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
