"""Issue 4, point 10: ``hindsight gui … --screenshot PNG`` renders the window at a state,
saves it and exits; mistakes are one line on stderr; ``hindsight --help`` loads no Qt."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

HINDSIGHT = [sys.executable, "-m", "timeline"]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"))
    return subprocess.run([*HINDSIGHT, *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_screenshot_writes_a_png_of_the_window_at_that_state(archive_path, tmp_path):
    png = tmp_path / "shot.png"
    done = _run(["gui", "--archive", str(archive_path), "--as-of", "2023-11-30",
                 "--known-as-of", "2025-06-01", "--recorded-as-of", "9999-12-31",
                 "--entity", "Optimus", "--screenshot", str(png)], tmp_path)
    assert done.returncode == 0, done.stderr
    width, height = _png_size(png)
    assert width >= 1280 and height >= 800
    assert not (tmp_path / "xdg-config").exists() or not any(
        (tmp_path / "xdg-config").rglob("*.conf"))  # the user's settings were not touched


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--as-of", "2023-13"], 2, "--as-of: '2023-13' is not a valid EDTF date"),
    (["--known-as-of", "soon"], 2, "--known-as-of: 'soon' is not a valid EDTF date"),
    (["--recorded-as-of", "2025-03-01T25:00"], 2,
     "--recorded-as-of: '2025-03-01T25:00' is not a date and time"),
    (["--entity", "Nobody At All"], 3, "unknown entity 'Nobody At All'"),
    (["--size", "800x600"], 2, "--size: 800x600 is smaller than 1280x800"),
])
def test_mistakes_are_one_line_on_stderr(archive_path, tmp_path, args, code, message):
    done = _run(["gui", "--archive", str(archive_path), *args, "--screenshot",
                 str(tmp_path / "x.png")], tmp_path)
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.png").exists()


def test_the_gui_command_is_registered_and_help_loads_no_qt(tmp_path):
    code = ("import sys; from timeline.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "gui" in done.stdout
    assert done.stdout.strip().endswith("False")
