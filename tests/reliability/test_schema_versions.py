"""Promise 6: an archive written by an older Hindsight opens; one from a newer is refused.

``tests/fixtures/archive-v0.sqlite`` is an archive as the prototype left it: layout 1 (no hash
chain) and event schema 0 (claims with ``valid_from``/``valid_to`` and one flat
``source``/``quote``). It must open — its claims upcast on read, its chain built on first open
— and answer as it always did. An event or a layout from a newer Hindsight must be refused with
a message naming it, never misread.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from timeline.app import Archive
from timeline.domain import SCHEMA_VERSION, entity_stream
from timeline.errors import ArchiveError
from timeline.store import ARCHIVE_FORMAT

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "archive-v0.sqlite"


@pytest.fixture
def old_archive(tmp_path: Path) -> Path:
    """A copy: opening upgrades the layout in place, and the fixture must stay as it is."""
    return Path(shutil.copyfile(FIXTURE, tmp_path / "old.sqlite"))


def _query(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_the_fixture_is_an_archive_of_the_older_layout_and_schema() -> None:
    assert _query(FIXTURE, "SELECT format FROM hindsight_archive") == [(1,)]
    assert ARCHIVE_FORMAT > 1 and SCHEMA_VERSION > 0
    states = [json.loads(s) for (s,) in _query(FIXTURE, "SELECT state FROM stored_events")]
    assert {s["schema_version"] for s in states} == {0}
    assert "hindsight_chain" not in {n for (n,) in _query(FIXTURE, "SELECT name FROM "
                                                                   "sqlite_master")}


def test_an_archive_of_schema_0_opens_and_answers_as_it_always_did(old_archive: Path) -> None:
    with Archive.open(old_archive) as archive:
        fled = archive.claim("v0-fled")
        assert fled.valid == "1848-04-20/.."
        assert fled.sources == [{"source": "letter-1848-04", "quote": "has fled to London"}]
        assert archive.claim("v0-vienna").valid == "1809/1848-03-13"
        assert archive.claim("v0-vienna").sources == []

        may = {f["id"]: f for f in archive.as_of("1848-05-01").to_json()["facts"]}
        assert {i: f["status"] for i, f in may.items()} == {"v0-fled": "HOLDS"}
        assert may["v0-fled"]["statement"] == "Metternich fled to London"
        assert may["v0-fled"]["rank"] == "preferred"  # reranked in 1900

        then = {f["id"]: f for f in archive.as_of("1848-05-01", "1855").to_json()["facts"]}
        assert {i: f["status"] for i, f in then.items()} == {"v0-fled": "HOLDS",
                                                              "v0-exile": "MAYBE"}
        assert then["v0-fled"]["rank"] == "normal"
        assert then["v0-exile"]["valid"] == "1848-04~/1851~"

        before = archive.as_of("1848-01-01").to_json()["facts"]
        assert [f["id"] for f in before] == ["v0-vienna"]
        assert archive.entity("Prince Metternich")["id"] == str(entity_stream("Metternich"))


def test_an_old_archive_gets_its_chain_on_first_open_and_keeps_its_events_as_written(
        old_archive: Path, cli: Callable[..., Any]) -> None:
    written = _query(old_archive, "SELECT rowid, state FROM stored_events ORDER BY rowid")
    Archive.open(old_archive).close()

    assert _query(old_archive, "SELECT format FROM hindsight_archive") == [(ARCHIVE_FORMAT,)]
    assert [p for (p,) in _query(old_archive, "SELECT position FROM hindsight_chain "
                                              "ORDER BY position")] == [r for r, _ in written]
    assert _query(old_archive, "SELECT rowid, state FROM stored_events ORDER BY rowid") == written
    result = cli(old_archive, "verify")
    assert result.code == 0, result.err
    assert result.out.startswith("ok: 11 events, chain intact")


def test_an_old_archive_takes_new_writes_and_the_command_line_reads_it(
        old_archive: Path, cli: Callable[..., Any]) -> None:
    with Archive.open(old_archive) as archive:
        archive.record("Metternich", "fled_to", object="Brighton", valid="1848-09/..",
                       known_at="1848-10")
    for day, where in (("1848-06-30", "London"), ("1848-12-31", "Brighton")):
        facts = json.loads(cli(old_archive, "as-of", day, "--entity", "Metternich",
                               "--format", "json").out)["facts"]
        assert [f["value"] for f in facts] == [where]  # fled_to is single-valued
    assert cli(old_archive, "verify").code == 0


def _insert_event(path: Path, version: int, kind: str = "EntityCreated") -> None:
    state = {"timestamp": "2031-01-01T00:00:00Z", "schema_version": version,
             "name": "Future entity", "kind": "other", "hologram": True}
    con = sqlite3.connect(path)
    with con:
        con.execute("INSERT INTO stored_events VALUES (?, 1, ?, ?)",
                    (entity_stream("Future entity").hex, f"timeline.domain:{kind}",
                     json.dumps(state).encode()))
    con.close()


def test_an_event_of_a_newer_schema_is_refused_naming_it(old_archive: Path,
                                                        cli: Callable[..., Any]) -> None:
    Archive.open(old_archive).close()
    _insert_event(old_archive, 99)
    stream = entity_stream("Future entity")

    with pytest.raises(ArchiveError, match=rf"^event {stream} v1 was written by a newer "
                                           r"Hindsight \(event schema 99\); this version reads "
                                           rf"schema {SCHEMA_VERSION} and older — please "
                                           r"upgrade$"):
        Archive.open(old_archive)

    result = cli(old_archive, "as-of", "1848-05-01")
    assert result.code == ArchiveError.exit_code
    assert "Traceback" not in result.err
    assert result.err.splitlines() == [f"hindsight: error: event {stream} v1 was written by a "
                                       "newer Hindsight (event schema 99); this version reads "
                                       f"schema {SCHEMA_VERSION} and older — please upgrade"]


def test_an_event_of_a_kind_unknown_here_is_refused_naming_it(old_archive: Path) -> None:
    Archive.open(old_archive).close()
    _insert_event(old_archive, 2, kind="EntityTeleported")
    with pytest.raises(ArchiveError, match=r"v1 is of a kind this Hindsight does not know "
                                           r"\('timeline.domain:EntityTeleported'\); if a "
                                           r"newer Hindsight wrote it, please upgrade$"):
        Archive.open(old_archive)


def test_an_archive_of_a_newer_layout_is_refused_before_anything_is_read(
        old_archive: Path, cli: Callable[..., Any]) -> None:
    con = sqlite3.connect(old_archive)
    with con:
        con.execute("UPDATE hindsight_archive SET format = 99")
    con.close()
    written = _query(old_archive, "SELECT rowid, state FROM stored_events")

    result = cli(old_archive, "as-of", "1848-05-01")

    assert result.code == ArchiveError.exit_code
    assert result.err.splitlines() == [
        f"hindsight: error: {old_archive}: archive format 99 is newer than this Hindsight "
        f"reads ({ARCHIVE_FORMAT}) — please upgrade"]
    assert _query(old_archive, "SELECT rowid, state FROM stored_events") == written
    assert _query(old_archive, "SELECT format FROM hindsight_archive") == [(99,)]


@pytest.mark.parametrize("contents", [
    pytest.param(b"", id="empty file"),
    pytest.param(b"SQLite format 3\x00" + b"\xff" * 200, id="damaged header"),
    pytest.param(b"not an archive at all\n", id="text file"),
])
def test_a_file_that_is_not_an_archive_is_refused(tmp_path: Path, contents: bytes,
                                                  cli: Callable[..., Any]) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(contents)
    result = cli(path, "as-of", "1848")
    if contents:
        assert result.code == ArchiveError.exit_code
        assert result.err.startswith(f"hindsight: error: {path}: not a Hindsight archive")
    else:  # an empty file is a new archive
        assert result.code == 0
    assert "Traceback" not in result.err


def test_an_sqlite_file_of_another_program_is_refused(tmp_path: Path,
                                                      cli: Callable[..., Any]) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE notes (text TEXT)")
    con.close()
    result = cli(path, "as-of", "1848")
    assert result.code == ArchiveError.exit_code
    assert result.err == f"hindsight: error: {path}: is an SQLite file but not a Hindsight " \
                         "archive\n"
