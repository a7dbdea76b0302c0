"""Promise 3: two writers at once lose nothing, and conflicting corrections do not both apply.

Two processes record 500 claims each into one SQLite archive at the same time, creating the
same entities and predicates as they go; every claim either acknowledged is there, once, and the
chain verifies. Two clients correcting the same claim: one wins, the other is refused with a
message naming the claim, and exactly one correction is stored — deterministically (the second
client decides before the first writes) and in two racing processes.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from timeline.app import Archive
from timeline.dates import POS_INF
from timeline.errors import Conflict

HERE = Path(__file__).resolve().parent


def _run_writers(archive: Path, mode: str, count: int, folder: Path) -> list[dict[str, Any]]:
    """Start two writer processes, release them together, and return what each was told."""
    folder.mkdir()
    workers = [subprocess.Popen([sys.executable, str(HERE / "concurrent_writer.py"),
                                 str(archive), mode, name, str(count), str(folder)])
               for name in ("a", "b")]
    deadline = time.monotonic() + 60
    while not all((folder / f"ready-{n}").exists() for n in "ab"):
        assert time.monotonic() < deadline and all(w.poll() is None for w in workers)
        time.sleep(0.01)
    (folder / "go").touch()
    for worker in workers:
        assert worker.wait(timeout=300) == 0
    return [json.loads((folder / f"done-{n}.json").read_text(encoding="utf-8")) for n in "ab"]


def _topics(archive: Path) -> Counter[str]:
    con = sqlite3.connect(archive)
    try:
        return Counter(t.rpartition(":")[2] for (t,) in con.execute(
            "SELECT topic FROM stored_events"))
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("round_", [1, 2, 3])
def test_two_processes_recording_500_claims_each_lose_nothing(
        tmp_path: Path, cli: Callable[..., Any], round_: int) -> None:
    archive = tmp_path / "shared.sqlite"
    Archive.open(archive).close()

    a, b = _run_writers(archive, "record", 500, tmp_path / "record")

    assert a["started"] < b["ended"] and b["started"] < a["ended"]  # they did overlap
    assert len(a["recorded"]) == len(b["recorded"]) == 550
    shared = set(a["recorded"]) & set(b["recorded"])
    assert len(shared) == 50  # the claims both recorded, acknowledged to both
    acknowledged = set(a["recorded"]) | set(b["recorded"])
    assert len(acknowledged) == 1050
    with Archive.open(archive) as opened:
        for claim_id in acknowledged:
            opened.claim(claim_id)
        assert opened.statistics()["claims"] == 1050
        assert len(opened.entities()) == 40
        labels = opened.predicates
    topics = _topics(archive)
    assert topics["ClaimRecorded"] == 1050  # each once
    assert topics["EntityCreated"] == 40  # each entity created once, by one of the two
    assert topics["PredicateDefined"] == 8 == len(labels)  # none redefined by the other
    assert cli(archive, "verify").code == 0  # one chain through both writers' events
    print(f"\nraces lost and retried: a {a['lost_races']}, b {b['lost_races']}; "
          f"a {a['ended'] - a['started']:.1f} s, b {b['ended'] - b['started']:.1f} s")


def _archive_with_claims(path: Path, count: int) -> Path:
    with Archive.open(path) as archive, archive.batch() as batch:
        for k in range(count):
            batch.record("Pest", "status", value=f"state {k}", valid=f"{1800 + k}",
                         known_at="1900", claim_id=f"r-{k}")
    return path


def test_two_processes_retracting_the_same_claims_store_one_retraction_each(
        tmp_path: Path, cli: Callable[..., Any]) -> None:
    archive = _archive_with_claims(tmp_path / "shared.sqlite", 100)

    a, b = _run_writers(archive, "retract", 100, tmp_path / "retract")

    for k in range(100):
        outcomes = sorted([a["outcomes"][f"r-{k}"], b["outcomes"][f"r-{k}"]])
        assert outcomes[1] == "retracted", outcomes  # exactly one was written ...
        assert outcomes[0].startswith(f"refused: claim 'r-{k}' ")  # ... the other refused
    assert _topics(archive)["ClaimRetracted"] == 100
    assert cli(archive, "verify").code == 0
    refusals = Counter(o.split(" ", 4)[-1][:40] for w in (a, b) for o in w["outcomes"].values()
                       if o.startswith("refused"))
    print(f"\nrefusals: {dict(refusals)}; races lost in the store: "
          f"{a['lost_races'] + b['lost_races']}")


@pytest.fixture
def two_clients(tmp_path: Path) -> Any:
    path = _archive_with_claims(tmp_path / "shared.sqlite", 3)
    with Archive.open(path) as first, Archive.open(path) as second:
        yield first, second


def _after_the_other_writes(client: Archive, other_write: Callable[[], Any]) -> None:
    """Let ``other_write`` happen just after ``client`` has decided and before it writes."""
    append = client.store.append

    def late_append(events: Any) -> None:
        other_write()
        append(events)
    client.store.append = late_append  # type: ignore[method-assign]


def test_a_client_retracting_a_claim_another_retracted_just_now_is_refused(
        two_clients: tuple[Archive, Archive]) -> None:
    first, second = two_clients
    _after_the_other_writes(second, lambda: first.retract("r-0", known_at="1950"))
    with pytest.raises(Conflict, match=r"^claim 'r-0' was corrected by another writer at the "
                                       r"same time; nothing was written"):
        second.retract("r-0", known_at="1951")
    assert [c["known_at"] for c in second.readmodel.corrections("r-0")] == ["1950"]


def test_a_client_retracting_a_claim_it_saw_live_but_another_retracted_is_refused(
        two_clients: tuple[Archive, Archive]) -> None:
    first, second = two_clients
    assert second.claim("r-1").withdrawn_day == POS_INF  # second has seen it live
    first.retract("r-1", known_at="1950")
    with pytest.raises(Conflict, match=r"^claim 'r-1' is already retracted or superseded$"):
        second.retract("r-1", known_at="1951")
    assert len(second.readmodel.corrections("r-1")) == 1


@pytest.mark.parametrize("correct", [
    pytest.param(lambda c: c.rerank("r-2", "deprecated", known_at="1951"), id="rerank"),
    pytest.param(lambda c: c.supersede("r-2", value="state X", known_at="1951"),
                 id="supersede"),
])
def test_conflicting_corrections_of_one_claim_do_not_both_apply(
        two_clients: tuple[Archive, Archive], correct: Callable[[Archive], Any]) -> None:
    first, second = two_clients
    _after_the_other_writes(second, lambda: first.rerank("r-2", "preferred", known_at="1950"))
    with pytest.raises(Conflict, match="corrected by another writer"):
        correct(second)
    second.refresh()
    assert [c["rank"] for c in second.readmodel.corrections("r-2")] == ["preferred"]
