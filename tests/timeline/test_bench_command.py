"""`hindsight bench` at a small N: a smoke run (the real figures are in docs/benchmarks.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

KEYS = ["events", "import_s", "import_events_per_s", "raw_sqlite_rows_per_s",
        "import_ratio_vs_raw_sqlite", "storage_floor_events_per_s",
        "storage_floor_ratio_vs_raw_sqlite", "open_s", "prewarm_s", "as_of_entity_p50_ms",
        "as_of_entity_p99_ms", "as_of_known_p99_ms", "naive_replay_ms", "speedup_vs_replay",
        "slider_p99_ms", "peak_rss_mb"]


def test_bench_prints_one_json_object_with_every_measure(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "bench", "--events", "400", "--dir", str(tmp_path),
         "--format", "json"],
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result) == KEYS
    assert 380 <= result["events"] <= 460
    for key in KEYS:
        assert result[key] is not None and result[key] > 0, key
    assert result["as_of_entity_p50_ms"] <= result["as_of_entity_p99_ms"]
    assert result["open_s"] <= result["prewarm_s"]
    assert result["naive_replay_ms"] > result["as_of_entity_p50_ms"]
    # No import can beat writing its own rows with nothing checked.
    assert result["import_events_per_s"] < result["storage_floor_events_per_s"]
    assert result["slider_p99_ms"] < 1000  # measured by the desktop app, offscreen


def test_bench_refuses_a_silly_size():
    done = subprocess.run([sys.executable, "-m", "timeline", "bench", "--events", "3"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert done.stderr.startswith("hindsight: error: --events")
