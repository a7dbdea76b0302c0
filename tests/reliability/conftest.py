"""Helpers shared by the reliability tests (issue 7): the real command line in a subprocess,
archives copied with their read model, and an archive's answers to compare before and after.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.support import BIG_CLAIMS, Result, namespaced
from timeline import synthetic
from timeline.app import Archive
from timeline.interchange import import_document, parse
from timeline.readmodel import readmodel_path

ROOT = Path(__file__).resolve().parents[2]

#: Valid-time days, and known-time days (None: as known now), whose answers stand for an
#: archive's answers when checking that something left it unchanged.
PROBE_DAYS = ("1848-03-15", "1900-06-30", "1950", "2000-01-01", "2019-12-31")
PROBE_KNOWN = (None, "1900", "2030")


def scratch_env(data_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "HINDSIGHT_SEEDS"}
    env.update(XDG_DATA_HOME=str(data_home), PYTHONIOENCODING="utf-8", COLUMNS="160")
    return env


@pytest.fixture(scope="session")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Result]:
    """``cli(archive, *args)``: run ``hindsight --archive ARCHIVE ARGS`` for real."""
    env = scratch_env(tmp_path_factory.mktemp("data-home"))

    def run(archive: Path, *args: str, timeout: float = 300) -> Result:
        done = subprocess.run([sys.executable, "-m", "timeline", "--archive", str(archive),
                               *args], capture_output=True, env=env, cwd=ROOT,
                              timeout=timeout, check=False)
        return Result(done.returncode, done.stdout.decode("utf-8", "replace"),
                      done.stderr.decode("utf-8", "replace"))
    return run


def _copy_archive(source: Path, target: Path) -> Path:
    """Copy an archive closed by every process, with its read model."""
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{source}{suffix}").exists(), "copy only a closed archive"
    shutil.copyfile(source, target)
    shutil.copyfile(readmodel_path(source), readmodel_path(target))
    return target


def _stored_events(archive: Path) -> int:
    """Events in an SQLite archive, counted in the file itself."""
    con = sqlite3.connect(archive)
    try:
        return int(con.execute("SELECT count(*) FROM stored_events").fetchone()[0])
    finally:
        con.close()


def _answers(archive: Path) -> dict[str, Any]:
    """What an archive says: its event count and chain head, and its answers (every fact, as
    JSON) on a grid of valid and known days."""
    con = sqlite3.connect(archive)
    try:
        head = con.execute("SELECT position, digest FROM hindsight_chain "
                           "ORDER BY position DESC LIMIT 1").fetchone()
    finally:
        con.close()
    with Archive.open(archive) as opened:
        said = {f"{v} known {r}": opened.as_of(v, r).to_json()["facts"]
                for v in PROBE_DAYS for r in PROBE_KNOWN}
        counts = opened.statistics()
    return {"events": _stored_events(archive), "head": head, "counts": counts, "as_of": said}


def write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def copy_archive() -> Callable[[Path, Path], Path]:
    """``copy_archive(source, target)``: a closed archive copied with its read model."""
    return _copy_archive


@pytest.fixture(scope="session")
def answers() -> Callable[[Path], dict[str, Any]]:
    """``answers(path)``: event count, chain head and as-of answers on a grid of days."""
    return _answers


@pytest.fixture(scope="session")
def stored_events() -> Callable[[Path], int]:
    """``stored_events(path)``: the events in an archive, counted in the file."""
    return _stored_events


@pytest.fixture(scope="session")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed archive of 300 synthetic claims (with corrections), to copy and write on."""
    folder = tmp_path_factory.mktemp("small")
    path = folder / "small.sqlite"
    doc = namespaced(synthetic.document(300, seed=3), "small")
    with Archive.open(path) as archive:
        import_document(archive, parse(doc))
    return path


@pytest.fixture(scope="session")
def big_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Hindsight JSON file of BIG_CLAIMS (10,000) synthetic claims (and their corrections)."""
    return write_json(tmp_path_factory.mktemp("big") / "big.json",
                      synthetic.document(BIG_CLAIMS, seed=7))
