"""`hindsight watch`: another process's writes appear within a second, one JSON object a line."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


def _cli(archive: Path | str, *args: str) -> list[str]:
    return [sys.executable, "-m", "timeline", "--archive", str(archive), *args]


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "a.sqlite"
    return request.getfixturevalue("postgres_url")


def test_watch_prints_each_event_another_process_writes_within_a_second(archive, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path / "c"))
    first = subprocess.run(_cli(archive, "record", "Microsoft", "invested_in", "--object",
                                "OpenAI", "--valid", "2019", "--known-at", "2020"),
                           capture_output=True, text=True, env=env, check=True)
    watcher = subprocess.Popen(_cli(archive, "watch", "--format", "json"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        assert watcher.stdout is not None
        for line in watcher.stdout:
            lines.put((time.monotonic(), line))

    threading.Thread(target=read, daemon=True).start()
    try:
        time.sleep(1.5)  # the watcher is up and has skipped what was already stored
        assert lines.empty()
        retracted = subprocess.run(
            _cli(archive, "retract", first.stdout.strip(), "--known-at", "2021"),
            capture_output=True, text=True, env=env)
        acknowledged = time.monotonic()
        assert retracted.returncode == 0, retracted.stderr
        seen_at, line = lines.get(timeout=5)
        event = json.loads(line)
        assert event["event"] == "ClaimRetracted"
        assert event["known_at"] == "2021"
        assert seen_at - acknowledged < 1.0
        recorded = subprocess.run(
            _cli(archive, "record", "Nadella", "met", "--object", "Altman", "--valid",
                 "2018-22", "--known-at", "2025"),
            capture_output=True, text=True, env=env)
        acknowledged = time.monotonic()
        events = [json.loads(lines.get(timeout=5)[1]) for _ in range(4)]
        assert time.monotonic() - acknowledged < 1.5
        assert [e["event"] for e in events] == [
            "PredicateDefined", "EntityCreated", "EntityCreated", "ClaimRecorded"]
        assert events[-1]["claim_id"] == recorded.stdout.strip()
        assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
