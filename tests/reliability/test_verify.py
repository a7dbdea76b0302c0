"""Promise 4: ``hindsight verify`` proves an archive intact, and says what and where it is not.

Each test alters a copy of a good archive the way damage or a forger would — bytes of an event
edited in the file itself, rows deleted or slipped in, the read model edited, a quote written
behind the validation's back, the whole chain recomputed — and expects verify to name it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from timeline.app import Archive
from timeline.chain import GENESIS, chain_link
from timeline.domain import Citation, ClaimRecorded, claim_stream
from timeline.integrity import verify
from timeline.readmodel import readmodel_path

ERROR = "hindsight: error: "


@pytest.fixture
def archive_path(tmp_path: Path, small_archive: Path,
                 copy_archive: Callable[[Path, Path], Path]) -> Path:
    return copy_archive(small_archive, tmp_path / "archive.sqlite")


@pytest.fixture
def db(archive_path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(archive_path, isolation_level=None)
    yield con
    con.close()


def _event(db: sqlite3.Connection, topic: str, offset: int = 0) -> tuple[int, bytes]:
    row = db.execute("SELECT rowid, state FROM stored_events WHERE topic LIKE ? "
                     "ORDER BY rowid LIMIT 1 OFFSET ?", (f"%:{topic}", offset)).fetchone()
    return int(row[0]), bytes(row[1])


def _problems(result: Any) -> list[str]:
    assert result.code == 5, result
    assert "Traceback" not in result.err
    lines = result.err_lines
    assert all(line.startswith(ERROR) for line in lines)
    assert lines[-1].startswith(ERROR + "the archive is not intact")
    return [line.removeprefix(ERROR) for line in lines[:-1]]


def test_an_intact_archive_verifies_with_a_summary(archive_path: Path,
                                                   cli: Callable[..., Any]) -> None:
    result = cli(archive_path, "verify")
    assert result.code == 0, result.err
    summary, head = result.out.splitlines()
    assert re.fullmatch(r"ok: [\d,]+ events, chain intact; read model matches a rebuild; "
                        r"[\d,]+ quotes verbatim", summary)
    assert re.match(r"chain head: \d+:[0-9a-f]{64} ", head)


def test_bytes_of_an_event_edited_in_the_file_are_caught_and_named(
        archive_path: Path, db: sqlite3.Connection, cli: Callable[..., Any]) -> None:
    position, state = _event(db, "ClaimRecorded", offset=17)
    claim_id = json.loads(state)["claim_id"]
    db.close()
    data = archive_path.read_bytes()
    assert data.count(state) == 1  # the event's bytes, in the file itself
    at = state.index(b'"valid":"') + len(b'"valid":"')
    while not state[at:at + 1].isdigit():
        at += 1
    forged = state[:at] + str((int(state[at:at + 1]) + 1) % 10).encode() + state[at + 1:]
    archive_path.write_bytes(data.replace(state, forged))

    problems = _problems(cli(archive_path, "verify"))

    assert problems[0] == (f"event {position} (claim {claim_id}, version 1, ClaimRecorded): "
                           "digest mismatch — the stored event was altered")
    # The read model still has the claim as it was written: it no longer matches the events.
    assert any(p.startswith(f"read model table claims: row id='{claim_id}' differs from a "
                            "rebuild (valid ") for p in problems[1:])


def test_an_edited_correction_is_named_by_its_claim_and_version(
        archive_path: Path, db: sqlite3.Connection, cli: Callable[..., Any]) -> None:
    position, state = _event(db, "ClaimRetracted")
    forged = json.loads(state)
    forged["reason"] = "nothing happened"
    db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?",
               (json.dumps(forged).encode(), position))
    problems = _problems(cli(archive_path, "verify"))
    assert re.fullmatch(rf"event {position} \(claim syn-3-\d+, version 2, ClaimRetracted\): "
                        "digest mismatch — the stored event was altered", problems[0])


def test_a_deleted_event_and_one_slipped_in_are_named(
        archive_path: Path, db: sqlite3.Connection, cli: Callable[..., Any]) -> None:
    deleted, _ = _event(db, "ClaimReranked")
    db.execute("DELETE FROM stored_events WHERE rowid = ?", (deleted,))
    _, state = _event(db, "ClaimRecorded")
    slipped = json.loads(state)
    slipped["claim_id"] = "slipped-in"
    stream = claim_stream("slipped-in").hex
    db.execute("INSERT INTO stored_events VALUES (?, 1, 'timeline.domain:ClaimRecorded', ?)",
               (stream, json.dumps(slipped).encode()))
    inserted = db.execute("SELECT max(rowid) FROM stored_events").fetchone()[0]

    problems = _problems(cli(archive_path, "verify"))

    assert (f"event {inserted} (claim slipped-in, version 1, ClaimRecorded): has no digest — "
            "it was written outside Hindsight") in problems
    assert (f"event {deleted}: missing — its digest is in the chain, the stored event was "
            "deleted") in problems


def test_an_altered_digest_is_caught(archive_path: Path, db: sqlite3.Connection,
                                     cli: Callable[..., Any]) -> None:
    db.execute("UPDATE hindsight_chain SET digest = ? WHERE position = 5", ("0" * 64,))
    problems = _problems(cli(archive_path, "verify"))
    assert [p.split(" ")[1] for p in problems] == ["5", "6"]


def test_an_edited_read_model_is_caught_and_a_rebuild_mends_it(
        archive_path: Path, cli: Callable[..., Any]) -> None:
    index = sqlite3.connect(readmodel_path(archive_path), isolation_level=None)
    claim_id = index.execute("SELECT id FROM claims LIMIT 1 OFFSET 40").fetchone()[0]
    index.execute("UPDATE claims SET value = 'forged' WHERE id = ?", (claim_id,))
    index.close()

    result = cli(archive_path, "verify")
    problems = _problems(result)
    assert problems[0].startswith(f"read model table claims: row id='{claim_id}' differs from "
                                  "a rebuild (value 'forged' on disk, ")
    assert result.err_lines[-1].endswith("; `hindsight rebuild` recomputes the read model from "
                                         "the events")

    assert cli(archive_path, "rebuild").code == 0
    assert cli(archive_path, "verify").code == 0


def test_a_quote_written_behind_the_validation_is_caught(archive_path: Path,
                                                         cli: Callable[..., Any]) -> None:
    with Archive.open(archive_path) as archive:
        source = archive.sources()[0]["id"]
        subject = UUID(archive.entities()[0]["id"])
        archive.store.append([ClaimRecorded(
            originator_id=claim_stream("unquoted"), originator_version=1, claim_id="unquoted",
            subject=subject, predicate="status", value="forged", valid="1900",
            known_at="1900", citations=(Citation(source=source, quote="never written"),))])

    problems = _problems(cli(archive_path, "verify"))

    assert problems == [f"claim unquoted sources[0]: quote 'never written' is not verbatim in "
                        f"source '{source}'"]


def _rewrite_chain(db: sqlite3.Connection) -> None:
    """What a forger who knows the chain does after editing an event: recompute it all."""
    previous = GENESIS
    rows = db.execute("SELECT rowid, originator_id, originator_version, topic, state "
                      "FROM stored_events ORDER BY rowid").fetchall()
    db.execute("DELETE FROM hindsight_chain")
    for position, stream, version, topic, state in rows:
        previous = chain_link(previous, position, stream, version, topic, state)
        db.execute("INSERT INTO hindsight_chain VALUES (?, ?)", (position, previous))


def test_an_anchor_noted_down_catches_a_rewritten_chain_and_a_cut_tail(
        archive_path: Path, db: sqlite3.Connection, cli: Callable[..., Any]) -> None:
    head = cli(archive_path, "verify").out.splitlines()[1].split()[2]
    with Archive.open(archive_path) as archive:  # the archive grows after the anchor was noted
        archive.record("small Council 00001", "status", value="later", valid="1990",
                       known_at="1990")
    assert cli(archive_path, "verify", "--anchor", head).code == 0

    position, state = _event(db, "ClaimRecorded", offset=3)
    db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?",
               (state.replace(b'"rank":"normal"', b'"rank":"preferred"'), position))
    _rewrite_chain(db)
    index = sqlite3.connect(readmodel_path(archive_path))
    with index:
        index.execute("DELETE FROM meta")  # the forger rebuilds the read model too
    index.close()
    assert cli(archive_path, "rebuild").code == 0
    assert cli(archive_path, "verify").code == 0  # the chain alone cannot tell
    anchored = _problems(cli(archive_path, "verify", "--anchor", head))
    assert anchored[0].startswith(f"anchor {head.split(':')[0]}: the chain there is ")
    assert anchored[0].endswith("were rewritten")

    cut = int(head.split(":")[0])
    db.execute("DELETE FROM stored_events WHERE rowid >= ?", (cut,))
    db.execute("DELETE FROM hindsight_chain WHERE position >= ?", (cut,))
    assert cli(archive_path, "rebuild").code == 0
    assert _problems(cli(archive_path, "verify", "--anchor", head)) == [
        f"anchor {cut}: the archive has no event {cut} any more — it was cut short"]


def test_a_bad_anchor_is_refused_by_place(archive_path: Path, cli: Callable[..., Any]) -> None:
    result = cli(archive_path, "verify", "--anchor", "12:not-a-digest")
    assert result.code == 2
    assert result.err_lines == [f"{ERROR}--anchor: '12:not-a-digest' is not an anchor "
                                "(POSITION:DIGEST, as verify prints it)"]


def test_an_unreadable_event_is_reported_not_a_traceback(
        archive_path: Path, db: sqlite3.Connection, cli: Callable[..., Any]) -> None:
    position, _ = _event(db, "EntityCreated", offset=2)
    db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (b"{not json", position))
    problems = _problems(cli(archive_path, "verify"))
    assert problems[0].startswith(f"event {position} (stream ")
    assert problems[0].endswith("digest mismatch — the stored event was altered")
    assert problems[1].startswith("the read model cannot be rebuilt: event ")
    assert "cannot be read" in problems[1]


def test_the_in_memory_archive_has_no_chain_but_is_still_checked() -> None:
    with Archive.in_memory() as archive:
        archive.add_source("s", "A source", "1900", "It rained in Pest.")
        archive.record("Pest", "weather", value="rain", valid="1900",
                       sources=[("s", "It rained")])
        report = verify(archive)
    assert report.ok
    assert report.summary() == ("ok: 4 events, no hash chain (an archive in memory); read model "
                                "matches a rebuild; 1 quote verbatim")
