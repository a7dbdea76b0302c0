"""The Qt binding itself must survive a long session.

PySide6-Essentials 6.12.0 on Python 3.11 dropped a reference to None on every call of a void
method: a few seconds of dragging the slider aborted the interpreter ("deallocating None").
6.11.3 is pinned; this test fails if an upgrade brings the bug back.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QSlider
app = QApplication([])
slider = QSlider()
before = sys.getrefcount(None)
for i in range(50_000):
    slider.setValue(i % 100)
    slider.update()
print(sys.getrefcount(None) - before)
"""


def test_fifty_thousand_slider_moves_do_not_use_up_none():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 100
