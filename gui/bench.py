"""How long a slider move takes to reach every view.

``measure_slider(window)`` moves the "as of" slider to ``moves`` days spread over the archive
(a fixed pseudo-random order: long jumps and one-day steps alike) and times, for each move,
``slider.setValue`` until it returns: the engine's ``as_of`` query and the synchronous
update of the time controls, the state panel's model, the graph's items and the event list.
With ``paint=True`` it also times the event-loop pass that follows (layout and repaint of
what changed, until it reaches the screen), which depends on the display and is reported
apart, as is the sum of both per move.

On a large archive (more than ``gui.view_state.FOCUS_ABOVE_CLAIMS`` claims) the window shows
one entity at a time, and "the views updated" means what the user then sees: the state panel
showing the focus' facts on the new day (one ``archive.as_of(day, known, [focus])``), the
graph showing the focus and its neighbours related on that day, with labels placed, the
event list's current row and the time controls. The focus is the one the window opens on,
the entity with the most claims — the heaviest to update, not a convenient one. The window
is measured once its archive-wide counts (density strip) are in, as a user would meet it;
the JSON says which view was measured (``"focused"``, ``"focus"``).

Run it on an archive:  ``python -m gui.bench [--archive PATH] [--moves N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from typing import Any


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure_slider(window: Any, moves: int = 500, *, paint: bool = False,
                   drag: bool = False, seed: int = 7) -> dict[str, float]:
    """Time ``moves`` slider moves on a shown MainWindow; figures in milliseconds.

    The default mixes long jumps (a click on the strip, half the moves) with short steps;
    ``drag=True`` moves only by short steps, as a drag of the handle does."""
    from PySide6.QtWidgets import QApplication

    slider = window.time_controls.slider
    lo, hi = slider.minimum(), slider.maximum()
    rng = random.Random(seed)
    targets: list[int] = []
    day = slider.value()
    for k in range(moves):
        # Half long jumps (a click on the strip), half short steps (a drag or an arrow key).
        if k % 2 and not drag:
            day = rng.randint(lo, hi)
        else:
            step = rng.randint(1, 12)
            day = day + step if day + step <= hi else lo + step
        if day == slider.value() or (targets and day == targets[-1]):
            day = lo + (day - lo + 1) % (hi - lo + 1)
        targets.append(day)
    QApplication.processEvents()
    update: list[float] = []
    painted: list[float] = []
    for day in targets:
        start = time.perf_counter()
        slider.setValue(day)
        update.append((time.perf_counter() - start) * 1000)
        if paint:
            # What the event loop does next: lay out and repaint the regions that changed.
            start = time.perf_counter()
            QApplication.processEvents()
            painted.append((time.perf_counter() - start) * 1000)
    QApplication.processEvents()
    found = {
        "moves": float(moves),
        "p50_ms": round(statistics.median(update), 3),
        "p99_ms": round(_percentile(update, 0.99), 3),
        "max_ms": round(max(update), 3),
    }
    if paint:
        total = [u + p for u, p in zip(update, painted, strict=True)]
        found["paint_p50_ms"] = round(statistics.median(painted), 3)
        found["paint_p99_ms"] = round(_percentile(painted, 0.99), 3)
        found["total_p50_ms"] = round(statistics.median(total), 3)
        found["total_p99_ms"] = round(_percentile(total, 0.99), 3)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gui.bench",
                                     description="time slider moves in the main window")
    parser.add_argument("--archive", metavar="PATH", help="archive (default: yours)")
    parser.add_argument("--moves", type=int, default=500)
    parser.add_argument("--paint", action="store_true", help="also time the repaint")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (for `hindsight bench`)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QSettings

    from gui.app import ensure_app
    from gui.main_window import MainWindow
    from gui.session import Session
    from timeline.api import default_archive, open_archive

    ensure_app()
    archive = open_archive(args.archive)
    path = Path(args.archive) if args.archive else default_archive()
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "bench.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Session(archive, path), settings)
        window.resize(1440, 900)
        window.show()
        window.session.wait_for_overview()
        window.settle()
        stats = archive.statistics()
        focused, focus = window.session.focused, window.session.entity
        results = {
            "jumps and steps": measure_slider(window, args.moves, paint=args.paint),
            "drag (short steps)": measure_slider(window, args.moves, paint=args.paint,
                                                 drag=True),
        }
        window.close()
    archive.close()
    if args.json:
        # The harder workload (long jumps as well as steps) is the figure that counts.
        print(json.dumps({"claims": stats["claims"], "events": stats["events"],
                          "focused": focused, "focus": focus,
                          "p99_ms": results["jumps and steps"]["p99_ms"],
                          "workloads": results}))
        return 0
    print(f"{stats['claims']} claims, {stats['events']} events; {args.moves} slider moves:")
    if focused:
        print(f" (one entity at a time: the views follow {focus})")
    for title, result in results.items():
        print(f" {title}:")
        for key, value in result.items():
            if key != "moves":
                print(f"  {key:14} {value:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
