"""One of two processes writing into one archive at once (run by test_concurrent_writers.py).

    python concurrent_writer.py ARCHIVE record|retract WORKER COUNT FOLDER

It opens the archive, says it is ready (``FOLDER/ready-WORKER``), waits for ``FOLDER/go``, then
either records COUNT claims through the Python API (about subjects and predicates the other
worker uses too, so both create the same entities and predicates at the same moments, and every
tenth time a claim the other records too) or
tries to retract the claims ``r-0`` … ``r-{COUNT-1}``. It writes what the archive acknowledged
to ``FOLDER/done-WORKER.json``: claim ids recorded, or, per claim, whether the retraction was
written or refused, with the refusal's message.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from timeline.app import Archive
from timeline.errors import Conflict
from timeline.store import ConcurrentWrite


def main(archive_path: str, mode: str, worker: str, count: int, folder: Path) -> None:
    with Archive.open(archive_path) as archive:
        lost_races = 0
        append = archive.store.append

        def counting_append(events: Any) -> None:
            nonlocal lost_races
            try:
                append(events)
            except ConcurrentWrite:
                lost_races += 1
                raise
        archive.store.append = counting_append  # type: ignore[method-assign]

        (folder / f"ready-{worker}").touch()
        while not (folder / "go").exists():
            time.sleep(0.001)
        started = time.time()
        done: dict[str, Any] = {}
        if mode == "record":
            recorded = done["recorded"] = []
            for k in range(count):
                recorded.append(archive.record(f"Town {k % 40}", f"held_{k % 7}",
                                               value=f"{worker}-{k}", valid=f"{1800 + k % 200}",
                                               known_at="1900"))
                if k % 10 == 0:  # the same claim, recorded by both: one claim, two acks
                    recorded.append(archive.record(f"Town {k % 40}", "founded",
                                                   value=f"in {1000 + k}", valid="1000",
                                                   known_at="1900"))
        else:
            outcomes = {}
            for k in range(count):
                try:
                    archive.retract(f"r-{k}", known_at="1950", reason=f"by {worker}")
                    outcomes[f"r-{k}"] = "retracted"
                except Conflict as exc:
                    outcomes[f"r-{k}"] = f"refused: {exc}"
            done["outcomes"] = outcomes
        done.update(started=started, ended=time.time(), lost_races=lost_races)
    (folder / f"done-{worker}.json").write_text(json.dumps(done), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), Path(sys.argv[5]))
