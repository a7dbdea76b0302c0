"""Promise 1: an import is all or nothing, even when the process is killed.

``hindsight import`` of a 10,000-claim file is killed with SIGKILL after a seeded random delay
(anywhere from before it has read the file to after it has finished), on a fresh copy of an
archive each time. Afterwards the archive must open and verify, and hold either none of the file
or all of it. A desktop import cancelled through its progress callback must write nothing.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.support import BIG_CLAIMS
from timeline.app import Archive
from timeline.interchange import ImportCancelled, import_file
from timeline.readmodel import readmodel_path

TRIALS = 24
SEED = 20250607


#: When a kill is aimed: anywhere in the run, or at a random moment after a phase began.
ANYWHERE, WRITING, CATCHING_UP = "anywhere", "writing", "catching up"
PHASES = (ANYWHERE, WRITING, CATCHING_UP)


@dataclass(frozen=True)
class Trial:
    aim: str
    delay: float  # seconds after the start, or after the aimed phase began
    killed: bool
    uncommitted_wal: bool  # the store's log held pages of an unfinished transaction
    readmodel_behind: bool  # killed after the commit, while the read model caught up
    outcome: str = ""  # "none" or "all", once verified


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _import(archive: Path, document: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "timeline", "--archive", str(archive), "import", str(document)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _phase_log(archive: Path, aim: str) -> Path | None:
    """The file whose growth marks a phase: the store's write-ahead log grows while the
    import's one transaction is written, the read model's once it has committed."""
    if aim == WRITING:
        return Path(f"{archive}-wal")
    if aim == CATCHING_UP:
        return Path(f"{readmodel_path(archive)}-wal")
    return None


def _kill_at(child: subprocess.Popen[bytes], log: Path | None, delay: float) -> bool:
    """SIGKILL the child ``delay`` seconds after ``log`` begins to grow (after its start with
    no log); returns False when it finished first."""
    began = time.monotonic() if log is None else None
    while child.poll() is None:
        now = time.monotonic()
        if began is None and log is not None and _size(log):
            began = now
        if began is not None and now - began >= delay:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            return True
        time.sleep(0.005)
    return False


def _readmodel_position(archive: Path) -> int:
    con = sqlite3.connect(readmodel_path(archive))
    try:
        return int(con.execute("SELECT value FROM meta WHERE key = 'position'").fetchone()[0])
    finally:
        con.close()


@pytest.mark.slow
def test_an_import_killed_at_random_moments_leaves_all_of_the_file_or_none(
        tmp_path: Path, small_archive: Path, big_document: Path,
        copy_archive: Callable[[Path, Path], Path], stored_events: Callable[[Path], int],
        cli: Callable[..., Any]) -> None:
    before_events = stored_events(small_archive)
    with Archive.open(copy_archive(small_archive, tmp_path / "probe.sqlite")) as archive:
        before_claims = archive.statistics()["claims"]

    # One import left to finish: how long it takes, and what "all of it" is.
    reference = copy_archive(small_archive, tmp_path / "reference.sqlite")
    started = time.monotonic()
    assert cli(reference, "import", str(big_document)).code == 0
    full_run = time.monotonic() - started
    after_events = stored_events(reference)
    with Archive.open(reference) as archive:
        after_claims = archive.statistics()["claims"]
    assert after_claims - before_claims >= BIG_CLAIMS

    def verify(k: int, trial: Trial, target: Path) -> Trial:
        verified = cli(target, "verify")
        assert verified.code == 0, (k, trial, verified.err)
        with Archive.open(target) as archive:
            claims = archive.statistics()["claims"]
        events = stored_events(target)
        for leftover in target.parent.glob(f"{target.name}*"):
            leftover.unlink()
        if (events, claims) == (before_events, before_claims):
            return replace(trial, outcome="none")
        assert (events, claims) == (after_events, after_claims), (k, trial)
        return replace(trial, outcome="all", uncommitted_wal=False)

    rng = random.Random(SEED)
    pending = []
    with ThreadPoolExecutor(max_workers=1) as verifier:  # verify one while killing the next
        for k in range(TRIALS):
            target = copy_archive(small_archive, tmp_path / f"trial-{k}.sqlite")
            aim = PHASES[k % len(PHASES)]
            delay = rng.uniform(0, {ANYWHERE: full_run * 1.1, WRITING: 0.4,
                                    CATCHING_UP: 1.5}[aim])
            killed = _kill_at(_import(target, big_document), _phase_log(target, aim), delay)
            uncommitted = _size(Path(f"{target}-wal")) > 0
            behind = _readmodel_position(target) < stored_events(target)  # recovers the log
            trial = Trial(aim, round(delay, 2), killed, uncommitted, behind)
            pending.append(verifier.submit(verify, k, trial, target))
        trials = [job.result() for job in pending]

    outcomes = Counter((t.aim, t.outcome) for t in trials)
    print(f"\n{TRIALS} trials, full import {full_run:.1f} s: "
          f"{sum(t.killed for t in trials)} killed; outcomes {dict(outcomes)}; "
          f"{sum(t.uncommitted_wal for t in trials)} killed mid-transaction; "
          f"{sum(t.readmodel_behind for t in trials)} left the read model behind")
    for t in trials:
        print(f"  {t}")
    assert sum(t.killed for t in trials) > 0
    assert {t.outcome for t in trials} <= {"none", "all"}


def test_a_cancelled_desktop_import_writes_nothing(
        tmp_path: Path, small_archive: Path, big_document: Path,
        copy_archive: Callable[[Path, Path], Path], answers: Callable[[Path], Any],
        cli: Callable[..., Any]) -> None:
    target = copy_archive(small_archive, tmp_path / "cancel.sqlite")
    before = answers(target)
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < 5000

    with Archive.open(target) as archive, pytest.raises(ImportCancelled):
        import_file(archive, big_document, progress=progress)
    assert 5000 <= seen[-1] < 5100
    assert answers(target) == before
    assert cli(target, "verify").code == 0
