"""Hardening, classes 5, 9 and 10: a read model trusted blindly, faults reported as something
else, and tracebacks.

- **5.** A read model records which log it was built from (the digest of the log's first event
  and of the event at its checkpoint: ``ReadModel._foreign``) and is rebuilt from scratch when
  the archive's log is another; a damaged one is moved aside and rebuilt; ``export --salvage``
  recovers every event that can still be read.
- **9.** A read-only archive answers and refuses writes saying so; a full disk says what was
  and was not done; a moment's error while another process writes is retried, not shown;
  concurrent ``record`` calls are retried, never refused; a read command never creates an
  archive (``no archive at PATH``).
- **10.** Paths under a file, a data folder that is a file, bad ``watch`` arguments, malformed
  PostgreSQL URLs, system schemas, a full disk during an export and a checkpoint moved back are
  one-line errors (or mended), never tracebacks; any storage error escaping a command is one
  line naming the archive and the command (``cli._storage_failure``).

Most tests run the real command line in a subprocess; the property tests run in-process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError as LibraryOperationalError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.reliability.support import Result, namespaced
from timeline import cli, synthetic
from timeline.app import Archive
from timeline.errors import ArchiveError, HindsightError, InvalidInput
from timeline.integrity import SALVAGE_INCOMPLETE, salvage, verify
from timeline.interchange import export_document, import_document, parse
from timeline.readmodel import ReadModel, readmodel_path
from timeline.store import (
    ConcurrentWrite,
    EventStore,
    StoreBusy,
    _postgres_env,
    redact,
)

ERROR = "hindsight: error: "
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT = Path(__file__).resolve().parents[2]


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A private data and cache folder for the command line."""
    found = {k: v for k, v in os.environ.items() if k != "HINDSIGHT_SEEDS"}
    found.update(XDG_DATA_HOME=str(tmp_path / "xdg-data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
                 PYTHONIOENCODING="utf-8", COLUMNS="160")
    return found


def run(env: dict[str, str], *args: str, archive: Path | str | None = None,
        prefix: tuple[str, ...] = (), timeout: float = 120) -> Result:
    where = ("--archive", str(archive)) if archive is not None else ()
    done = subprocess.run([*prefix, sys.executable, "-m", "timeline", *where, *args],
                          capture_output=True, env=env, cwd=ROOT, timeout=timeout, check=False)
    return Result(done.returncode, done.stdout.decode("utf-8", "replace"),
                  done.stderr.decode("utf-8", "replace"))


def one_error(result: Result, code: int | None = None) -> str:
    """The one error line of a refused command (asserting there is exactly one)."""
    assert "Traceback" not in result.err, result.err
    assert result.code != 0, result
    if code is not None:
        assert result.code == code, result
    lines = result.err_lines
    assert len(lines) == 1 and lines[0].startswith(ERROR), result.err
    return lines[0][len(ERROR):]


@pytest.fixture
def archive_path(tmp_path: Path, small_archive: Path,
                 copy_archive: Callable[[Path, Path], Path]) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    return copy_archive(small_archive, folder / "archive.sqlite")


def digests(folder: Path) -> dict[str, str]:
    """Every file of a folder and its SHA-256: to show nothing was written."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file()}


def reference(path: Path) -> dict[str, Any]:
    """What an archive file's events say, through a read model built in memory from them."""
    with Archive(EventStore(str(path), create=False), ReadModel(None)) as archive:
        return said(archive)


def said(archive: Archive) -> dict[str, Any]:
    return {"as_of": {day: archive.as_of(day).to_json()["facts"]
                      for day in ("1848", "1900-06-30", "1950", "2000")},
            "entities": archive.entities(), "counts": archive.statistics()}


def build(path: Path, claims: int, seed: int, prefix: str) -> Path:
    with Archive.open(path) as archive:
        import_document(archive, parse(namespaced(synthetic.document(claims, seed=seed),
                                                  prefix)))
    return path


def set_meta(path: Path, **values: str | None) -> None:
    con = sqlite3.connect(readmodel_path(path))
    with con:
        for key, value in values.items():
            if value is None:
                con.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
    con.close()


def meta(path: Path) -> dict[str, str]:
    con = sqlite3.connect(readmodel_path(path))
    try:
        return dict(con.execute("SELECT key, value FROM meta"))
    finally:
        con.close()


@contextlib.contextmanager
def mounted(folder: Path, *options: str, source: Path | None = None) -> Iterator[Path]:
    """``folder`` as a mount point: a tmpfs (``-o size=…``) or a read-only bind of
    ``source``; skipped where mounting is not allowed. Unmounted afterwards, whatever
    happens."""
    if not IS_ROOT or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs or a read-only folder")
    folder.mkdir(parents=True, exist_ok=True)
    if source is None:
        command = ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)]
        steps = [command]
    else:
        steps = [["mount", "--bind", str(source), str(folder)],
                 ["mount", "-o", "remount,ro,bind", str(folder)]]
    done = 0
    try:
        for step in steps:
            if subprocess.run(step, capture_output=True, check=False).returncode != 0:
                pytest.skip(f"cannot mount here: {' '.join(step)}")
            done += 1
        yield folder
    finally:
        if done:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


# --- class 5: the read model is never trusted blindly -----------------------------------------


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ours=st.integers(3, 40), theirs=st.integers(3, 40), seed=st.integers(1, 10_000))
@example(ours=20, theirs=20, seed=5)  # the same number of events: only the identity differs
@example(ours=40, theirs=5, seed=6)  # theirs shorter: "latest < checkpoint" never saw it
def test_a_read_model_copied_from_another_archive_is_rebuilt_not_mixed(
        ours: int, theirs: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        mine = build(Path(folder) / "mine.sqlite", ours, seed, "mine")
        other = build(Path(folder) / "other.sqlite", theirs, seed + 1, "other")
        expected = reference(mine)
        shutil.copyfile(readmodel_path(other), readmodel_path(mine))  # the copied files

        with Archive.open(mine, create=False) as archive:
            assert archive.readmodel.reset_reason is not None
            assert said(archive) == expected
            assert verify(archive).ok
        # The other archive's read model is untouched, and still right for it.
        assert reference(other)["as_of"] == said_of(other)["as_of"]


def said_of(path: Path) -> dict[str, Any]:
    with Archive.open(path, create=False) as archive:
        return said(archive)


def test_a_read_model_beside_the_same_archive_is_kept(archive_path: Path) -> None:
    with Archive.open(archive_path, create=False) as archive:
        assert archive.readmodel.reset_reason is None
    before = meta(archive_path)
    assert set(before) >= {"version", "position", "log", "head"}


def test_a_recreated_postgresql_archive_does_not_reuse_its_cached_read_model(
        postgres_url: str, postgres_server: str) -> None:
    import psycopg

    schema = postgres_url.rpartition("schema=")[2]
    with Archive.open(postgres_url) as first:
        for k in range(3):
            first.record(f"Old {k}", "status", value="old", valid="1900", known_at="1900")
        cached = first.readmodel.path
    assert cached is not None and cached.exists()
    with psycopg.connect(postgres_server, autocommit=True) as con:  # the table re-created
        con.execute(f"DROP SCHEMA {schema} CASCADE")
        con.execute(f"CREATE SCHEMA {schema}")
    with Archive.open(postgres_url) as second:  # an empty archive at the same URL
        assert second.entities() == []
        for k in range(5):
            second.record(f"New {k}", "status", value="new", valid="1900", known_at="1900")
    with Archive.open(postgres_url, create=False) as third:
        names = {e["name"] for e in third.entities()}
        assert names == {f"New {k}" for k in range(5)}
        assert {f.claim.value for f in third.as_of("1900").facts} == {"new"}
        assert third.readmodel.path == cached
        assert verify(third).ok


def test_reading_a_team_archive_that_is_not_there_creates_nothing(
        postgres_url: str, postgres_server: str, env: dict[str, str]) -> None:
    import psycopg

    line = one_error(run(env, "entities", archive=postgres_url), ArchiveError.exit_code)
    assert line == f"no archive at {postgres_url}"
    schema = postgres_url.rpartition("schema=")[2]
    with psycopg.connect(postgres_server, autocommit=True) as con:
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE "
                           "table_schema = %s", (schema,)).fetchone() == (0,)
    assert run(env, "record", "A", "status", "--value", "v", "--valid", "1900",
               archive=postgres_url).code == 0
    assert run(env, "entities", archive=postgres_url).code == 0


def test_a_team_archive_whose_cache_folder_is_a_file_keeps_its_read_model_in_memory(
        postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with Archive.open(postgres_url) as archive:
        archive.record("A", "status", value="v", valid="1900")
        assert archive.readmodel.path is None
    with Archive.open(postgres_url, create=False) as again:
        assert again.statistics()["claims"] == 1


@pytest.mark.parametrize("damage", [
    pytest.param({"position": "0"}, id="checkpoint-zero"),
    pytest.param({"position": "1"}, id="checkpoint-one"),
    pytest.param({"position": "HALF"}, id="checkpoint-half"),
    pytest.param({"position": "LAST-1"}, id="checkpoint-one-back"),
    pytest.param({"position": "-5"}, id="checkpoint-negative"),
    pytest.param({"position": "abc"}, id="checkpoint-not-a-number"),
    pytest.param({"position": "LAST+50"}, id="checkpoint-ahead"),
    pytest.param({"head": "0" * 64}, id="head-altered"),
    pytest.param({"log": None}, id="log-forgotten"),
    pytest.param({"log": "f" * 64}, id="log-of-another-archive"),
    pytest.param({"position": "HALF", "head": "HEAD@HALF"}, id="checkpoint-and-head-moved"),
])
def test_a_checkpoint_moved_or_altered_is_mended_not_a_traceback(
        archive_path: Path, damage: dict[str, str | None]) -> None:
    expected = reference(archive_path)
    last = int(meta(archive_path)["position"])
    values: dict[str, str | None] = {}
    for key, value in damage.items():
        if value is not None:
            value = (value.replace("LAST-1", str(last - 1)).replace("LAST+50", str(last + 50))
                     .replace("HALF", str(last // 2)))
        values[key] = value
    if "HEAD@" in str(values.get("head")):
        store = EventStore(str(archive_path), create=False)
        try:
            found = store.digest_at(last // 2)
            assert found is not None
            values["head"] = found[1]  # a forger moving both: caught by the rows past it
        finally:
            store.close()
    set_meta(archive_path, **values)

    with Archive.open(archive_path, create=False) as archive:
        assert archive.readmodel.reset_reason is not None
        assert said(archive) == expected
        assert verify(archive).ok
    assert int(meta(archive_path)["position"]) == last


def test_a_checkpoint_moved_back_by_hand_is_mended_by_the_command_line(
        archive_path: Path, env: dict[str, str]) -> None:
    set_meta(archive_path, position="1")
    done = run(env, "as-of", "1950", archive=archive_path)
    assert done.code == 0 and done.err == "", done
    assert run(env, "verify", archive=archive_path).code == 0


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "garbage": lambda data: os.urandom(len(data)),
    "header-zeroed": lambda data: b"\0" * 100 + data[100:],
    "truncated": lambda data: data[:100],
    "text": lambda data: b"this is not a database\n" * 50,
    "one-byte": lambda data: b"x",
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_read_model_is_moved_aside_and_rebuilt(
        archive_path: Path, env: dict[str, str], answers: Callable[[Path], Any],
        kind: str) -> None:
    expected = reference(archive_path)
    index = readmodel_path(archive_path)
    damaged = DAMAGE[kind](index.read_bytes())
    index.write_bytes(damaged)

    done = run(env, "as-of", "1950", "--format", "json", archive=archive_path)
    assert done.code == 0 and "Traceback" not in done.err, done
    aside = index.with_name(index.name + ".damaged")
    if len(damaged) >= 100:  # SQLite takes a file shorter than its header for a new one
        assert aside.read_bytes() == damaged  # moved aside, not lost
    assert reference(archive_path) == expected == said_of(archive_path)
    assert run(env, "verify", archive=archive_path).code == 0


@pytest.mark.parametrize("seed", range(4))
def test_rebuild_works_from_the_log_alone_whatever_the_damage_inside_the_read_model(
        archive_path: Path, env: dict[str, str], seed: int) -> None:
    """Pages inside the file overwritten (the header and first page left intact), so that the
    read model opens but a query or the rebuild's DROP meets a malformed page."""
    expected = reference(archive_path)
    index = readmodel_path(archive_path)
    data = bytearray(index.read_bytes())
    rng = random.Random(seed)
    page = 4096
    for _ in range(3):
        at = rng.randrange(2, len(data) // page) * page
        data[at:at + page] = rng.randbytes(page)
    index.write_bytes(bytes(data))

    asked = run(env, "as-of", "1950", archive=archive_path)
    if asked.code != 0:  # a malformed page met by the question: one line, no traceback
        one_error(asked)
    done = run(env, "rebuild", archive=archive_path)
    assert done.code == 0 and "Traceback" not in done.err, done
    assert done.err_lines[-1].startswith("rebuilt the read model from ")
    assert said_of(archive_path) == expected
    assert run(env, "verify", archive=archive_path).code == 0


def _events(path: Path) -> list[tuple[int, str, bytes]]:
    con = sqlite3.connect(path)
    try:
        return [(r[0], r[1].rpartition(":")[2], bytes(r[2])) for r in con.execute(
            "SELECT rowid, topic, state FROM stored_events ORDER BY rowid")]
    finally:
        con.close()


def _damage_event(path: Path, position: int, state: bytes) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state, position))
    con.close()


def test_salvage_exports_every_readable_event_and_names_the_others(
        archive_path: Path, env: dict[str, str], tmp_path: Path) -> None:
    events = _events(archive_path)
    con = sqlite3.connect(archive_path)
    streams = dict(con.execute("SELECT rowid, originator_id FROM stored_events"))
    con.close()
    # A retracted claim's ClaimRecorded (its retraction then depends on it), and a claim that
    # nothing corrects or replaces.
    retraction = next(p for p, topic, _ in events if topic == "ClaimRetracted")
    first, *corrections = [p for p, _, _ in events if streams[p] == streams[retraction]]
    recorded = {json.loads(s)["claim_id"]: p for p, t, s in events if t == "ClaimRecorded"}
    retracted = _claim_at(events, first)
    replacements = {json.loads(s)["by"] for _, t, s in events if t == "ClaimSuperseded"}
    corrected = {streams[p] for p, t, _ in events if t != "ClaimRecorded"}
    alone = next(p for claim, p in sorted(recorded.items(), key=lambda i: -i[1])
                 if claim not in replacements and streams[p] not in corrected)
    broken = [first, alone]
    _damage_event(archive_path, broken[0], b"{not json")
    _damage_event(archive_path, broken[1], b'{"schema_version": 99}')
    one_error(run(env, "rebuild", archive=archive_path), ArchiveError.exit_code)

    out = tmp_path / "salvaged.json"
    done = run(env, "export", "--to", "json", "--salvage", str(out), archive=archive_path)

    assert done.code == SALVAGE_INCOMPLETE == 6, done
    assert "Traceback" not in done.err
    lines = done.err_lines
    assert lines[-1].startswith(f"{ERROR}salvaged {len(events) - 2 - len(corrections)} of "
                                f"{len(events)} events to {out}"), lines
    warned = [line for line in lines[:-1]]
    assert all(line.startswith("hindsight: warning: event ") for line in warned)
    named = sorted(int(line.split()[3]) for line in warned)
    assert named == sorted(broken + corrections)
    assert "cannot be read" in lines[0]
    assert any("newer Hindsight" in line for line in warned)
    # The salvaged file is a Hindsight file: it imports, and holds every other claim.
    with Archive.in_memory() as fresh:
        import_document(fresh, parse(json.loads(out.read_text(encoding="utf-8"))))
        claims = {row.id for row in fresh.timeline()}
    assert claims == set(recorded) - {retracted, _claim_at(events, broken[1])}


def _claim_at(events: list[tuple[int, str, bytes]], position: int) -> str:
    return next(json.loads(s)["claim_id"] for p, t, s in events if p == position)


def test_salvage_of_an_intact_archive_is_its_export(archive_path: Path, env: dict[str, str],
                                                    tmp_path: Path) -> None:
    done = run(env, "export", "--to", "json", "--salvage", str(tmp_path / "s.json"),
               archive=archive_path)
    assert done.code == 0, done
    assert done.err_lines[-1].startswith("salvaged all ")
    assert run(env, "export", "--to", "json", str(tmp_path / "e.json"),
               archive=archive_path).code == 0
    assert json.loads((tmp_path / "s.json").read_text()) == json.loads(
        (tmp_path / "e.json").read_text())


JUNK = st.one_of(
    st.binary(max_size=40),
    st.just(b""),
    st.just(b"null"),
    st.just(b"[]"),
    st.just(b'{"schema_version": 99}'),
    st.just(b'{"schema_version": "one"}'),
    st.builds(lambda s: json.dumps({"claim_id": s}).encode(), st.text(max_size=10)),
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=6), junk=st.data())
def test_salvage_names_every_unreadable_event_and_its_file_always_imports(
        small_archive: Path, copy_archive: Callable[[Path, Path], Path], picks: list[int],
        junk: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = copy_archive(small_archive, Path(folder) / "a.sqlite")
        events = _events(path)
        broken = sorted({events[p % len(events)][0] for p in picks})
        for position in broken:
            _damage_event(path, position, junk.draw(JUNK))
        store = EventStore(str(path), create=False)
        try:
            found = salvage(store)
        finally:
            store.close()
        with found.archive:
            named = {int(line.split()[1]) for line in found.lost}
            assert set(broken) <= named  # every unreadable event is named
            assert found.events == len(events)
            assert found.salvaged + len(found.lost) == len(events)
            assert found.archive.store.max_position() == found.salvaged
            doc = export_document(found.archive)
        with Archive.in_memory() as fresh:
            import_document(fresh, parse(json.loads(json.dumps(doc))))


# --- class 9: faults reported as what they are ------------------------------------------------

READS: list[tuple[str, ...]] = [
    ("as-of", "1950"), ("history", "small Council 00000"), ("diff", "1900", "1950"),
    ("entities",), ("source", "list"), ("verify",), ("watch", "--from-start", "--limit", "3"),
]
WRITES: list[tuple[str, ...]] = [
    ("record", "small Council 00000", "status", "--value", "v", "--valid", "1900"),
    ("predicate", "brand_new"), ("alias", "small Council 00000", "A New Alias"),
    ("retract", "syn-3-1"), ("rerank", "syn-3-2", "preferred"),
]


def _read_only_checks(env: dict[str, str], archive: Path, tmp_path: Path,
                      prefix: tuple[str, ...] = ()) -> None:
    for args in READS:
        done = run(env, *args, archive=archive, prefix=prefix)
        assert done.code == 0 and "Traceback" not in done.err, (args, done)
    out = tmp_path / "out.json"
    assert run(env, "export", "--to", "json", str(out), archive=archive,
               prefix=prefix).code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["claims"]
    (tmp_path / "doc.json").write_text('{"format": "hindsight/1"}', encoding="utf-8")
    for args in [*WRITES, ("import", str(tmp_path / "doc.json"))]:
        line = one_error(run(env, *args, archive=archive, prefix=prefix), 5)
        assert f"{archive}: the archive is read-only" in line, (args, line)


def test_a_read_only_folder_is_read_and_refuses_writes_saying_so(
        archive_path: Path, env: dict[str, str], tmp_path: Path) -> None:
    before = digests(archive_path.parent)
    with mounted(tmp_path / "ro", source=archive_path.parent) as folder:
        _read_only_checks(env, folder / archive_path.name, tmp_path)
        # The read model was kept in the user's cache, not beside the archive ...
        assert list((tmp_path / "cache").rglob("*.index"))
        # ... or in memory, when the cache cannot be written either.
        (tmp_path / "no-cache").write_text("a file")
        done = run({**env, "XDG_CACHE_HOME": str(tmp_path / "no-cache")}, "as-of", "1950",
                   archive=folder / archive_path.name)
        assert done.code == 0 and done.err == "", done
    assert digests(archive_path.parent) == before


def test_a_read_only_file_in_a_writable_folder_is_read_and_refuses_writes(
        archive_path: Path, env: dict[str, str], tmp_path: Path) -> None:
    if not IS_ROOT or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run without the right to override permissions")
    archive_path.chmod(0o444)
    before = hashlib.sha256(archive_path.read_bytes()).hexdigest()
    # Root without CAP_DAC_OVERRIDE is bound by a file's permissions, as any user is.
    prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner")
    probe = subprocess.run([*prefix, "sh", "-c", f"echo >> '{archive_path}'"],
                           capture_output=True, check=False)
    if probe.returncode == 0:
        pytest.skip("permissions are not enforced here")
    _read_only_checks(env, archive_path, tmp_path, prefix)
    assert hashlib.sha256(archive_path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("args", [
    *READS, ("export", "--to", "json", "OUT"), ("export", "--to", "csv", "OUT"),
    ("source", "show", "s-1"), ("retract", "syn-1"), ("supersede", "syn-1", "--value", "v"),
    ("rerank", "syn-1", "preferred"), ("alias", "A", "B"), ("merge", "A", "B"), ("rebuild",),
    ("export", "--to", "json", "--salvage", "OUT"),
], ids=lambda a: "-".join(a[:2]))
def test_a_command_that_cannot_succeed_on_an_empty_archive_never_creates_one(
        tmp_path: Path, env: dict[str, str], args: tuple[str, ...]) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    typo = folder / "archve.sqlite"
    args = tuple(str(tmp_path / "out") if a == "OUT" else a for a in args)
    line = one_error(run(env, *args, archive=typo), ArchiveError.exit_code)
    assert line == f"no archive at {typo}"
    assert list(folder.iterdir()) == [] and not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [
    ("record", "X", "status", "--value", "v", "--valid", "1900"), ("predicate", "led_by"),
    ("import", "DOC"),
    ("source", "add", "s-1", "--title", "T", "--published", "1900", "--file", "TEXT"),
], ids=lambda a: a[0])
def test_a_write_that_can_succeed_on_an_empty_archive_creates_it(
        tmp_path: Path, env: dict[str, str], args: tuple[str, ...]) -> None:
    (tmp_path / "doc.json").write_text('{"format": "hindsight/1"}', encoding="utf-8")
    (tmp_path / "text.txt").write_text("A text.", encoding="utf-8")
    args = tuple({"DOC": str(tmp_path / "doc.json"), "TEXT": str(tmp_path / "text.txt")}.get(a, a)
                 for a in args)
    new = tmp_path / "deep" / "new.sqlite"
    done = run(env, *args, archive=new)
    assert done.code == 0, done
    assert new.exists() and run(env, "verify", archive=new).code == 0


def _count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM stored_events").fetchone()[0])
    finally:
        con.close()


def test_a_full_disk_after_the_claim_was_stored_says_so_in_one_line(
        archive_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The read model cannot be written (a full disk) after the claim was committed: one
    line saying the claim is stored and the read model behind; the next open catches up."""
    before = _count(archive_path)
    original = ReadModel.apply_recorded

    def full(self: ReadModel, *args: Any, **kwargs: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ReadModel, "apply_recorded", full)
    code = cli.main(["--archive", str(archive_path), "record", "small Council 00000", "status",
                     "--value", "full", "--valid", "1999"], plugins=[])
    captured = capsys.readouterr()
    assert code == ArchiveError.exit_code and captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"{ERROR}claim 'c-")
    assert "was stored in the archive, but its read model" in lines[0]
    assert "(database or disk is full); it catches up from the archive on the next open" \
        in lines[0]
    claim_id = lines[0].split("'")[1]
    assert _count(archive_path) > before  # what was done

    monkeypatch.setattr(ReadModel, "apply_recorded", original)
    with Archive.open(archive_path, create=False) as archive:  # and what was not, mended
        assert archive.claim(claim_id).value == "full"
        assert verify(archive).ok


def test_a_filling_disk_never_leaves_a_record_half_reported(
        small_archive: Path, copy_archive: Callable[[Path, Path], Path], tmp_path: Path,
        env: dict[str, str]) -> None:
    """On a real, small disk filling up: each ``record`` either succeeds, or fails in one
    line that says truly whether the claim was stored."""
    size = small_archive.stat().st_size + readmodel_path(small_archive).stat().st_size
    # Up to a megabyte free: a record whose read model could not follow makes the next one
    # catch up first, which needs room for the read model's pages and their write-ahead log.
    with mounted(tmp_path / "disk", f"size={size + 1536 * 1024}") as disk:
        path = copy_archive(small_archive, disk / "a.sqlite")
        filler = disk / "filler"
        outcomes = []
        for free in range(0, 1024 * 1024, 48 * 1024):
            before = _count(path)  # counted with room to spare, as the filler is not there
            room = shutil.disk_usage(disk).free
            with contextlib.suppress(OSError), filler.open("wb") as out:
                out.write(b"\0" * max(0, room - free))
            # Each a new entity, close to the one before ("Town"): said so.
            done = run(env, "record", f"Town {free}", "status", "--value", "v", "--valid",
                       "1900", "--new-entity", archive=path)
            filler.unlink()
            after = _count(path)
            if done.code == 0:
                outcomes.append("ok")
                assert after > before
                continue
            line = one_error(done)
            if "was stored in the archive" in line:
                outcomes.append("stored")
                assert after > before, line
            else:
                outcomes.append("refused")
                assert after == before, line
                assert "full" in line, line
        filler.unlink(missing_ok=True)
        assert "ok" in outcomes and len(set(outcomes)) > 1, outcomes
        assert run(env, "verify", archive=path).code == 0


def test_four_concurrent_records_are_all_written(tmp_path: Path, env: dict[str, str]) -> None:
    """Four processes recording at once on a new archive (each creating the same entity and
    predicate): none is refused; lost races and locks are retried."""
    for round_ in range(4):
        path = tmp_path / f"r{round_}.sqlite"
        procs = [subprocess.Popen(
            [sys.executable, "-m", "timeline", "--archive", str(path), "record", "Town",
             "status", "--value", f"v{k}", "--valid", "1900", "--known-at", "1900"],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for k in range(4)]
        results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read())  # type: ignore[union-attr]
                   for p in procs]
        for p in procs:
            p.stdout.close()  # type: ignore[union-attr]
            p.stderr.close()  # type: ignore[union-attr]
        assert all(code == 0 for code, _, _ in results), results
        with Archive.open(path, create=False) as archive:
            assert len(archive.entities()) == 1
            assert archive.statistics()["claims"] == 4
            assert verify(archive).ok


@pytest.mark.parametrize("error", [ConcurrentWrite, StoreBusy])
@pytest.mark.parametrize("losses", [1, 3, 7, 8])
def test_an_idempotent_write_is_retried_with_growing_pauses(
        monkeypatch: pytest.MonkeyPatch, error: type[HindsightError], losses: int) -> None:
    from timeline import commands

    pauses: list[float] = []
    monkeypatch.setattr(commands.time, "sleep", pauses.append)
    with Archive.in_memory() as archive:
        original = archive.store.append
        left = [losses]

        def append(events: Any) -> Any:
            if left[0]:
                left[0] -= 1
                raise error("lost a race (test)")
            return original(events)

        monkeypatch.setattr(archive.store, "append", append)
        if losses >= commands.WRITE_ATTEMPTS:
            with pytest.raises(error):
                archive.record("A", "status", value="v", valid="1900")
            assert archive.statistics()["claims"] == 0
        else:
            archive.record("A", "status", value="v", valid="1900")
            assert archive.statistics()["claims"] == 1
    assert len(pauses) == min(losses, commands.WRITE_ATTEMPTS - 1)
    for k, pause in enumerate(pauses):  # doubling, with jitter of ±50%
        assert 0.5 <= pause / (commands.WRITE_PAUSE * 2 ** k) <= 1.5


TRANSIENT = [
    sqlite3.DatabaseError("database disk image is malformed"),
    sqlite3.OperationalError("database is locked"),
    LibraryOperationalError("database is locked"),
    ArchiveError("x.sqlite: nothing was written (database is locked)"),
]


@pytest.mark.parametrize("failure", TRANSIENT, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("times", [1, 3, 10])
def test_a_moment_of_another_writer_is_retried_quietly_by_poll(
        monkeypatch: pytest.MonkeyPatch, failure: Exception, times: int) -> None:
    monkeypatch.setattr(Archive, "POLL_PAUSE", 0)
    with Archive.in_memory() as archive:
        archive.record("A", "status", value="v", valid="1900")
        original = archive.readmodel.catch_up
        left = [times]

        def catch_up(store: Any, batch: int = 5000) -> int:
            if left[0]:
                left[0] -= 1
                raise failure
            return original(store, batch)

        monkeypatch.setattr(archive.readmodel, "catch_up", catch_up)
        other = Archive(archive.store, ReadModel(None))  # another writer, same log
        other.record("B", "status", value="w", valid="1900")
        polls = [archive.poll() for _ in range(times // Archive.POLL_ATTEMPTS + 1)]
        assert sum(polls) > 0 and polls[-1] > 0  # seen, once the moment passed
        assert archive.statistics()["claims"] == 2


def test_a_lasting_fault_is_reported_by_poll_and_another_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Archive, "POLL_PAUSE", 0)
    with Archive.in_memory() as archive:
        def malformed(*_: Any, **__: Any) -> int:
            raise sqlite3.DatabaseError("database disk image is malformed")

        monkeypatch.setattr(archive.readmodel, "catch_up", malformed)
        for _ in range(Archive.POLL_PATIENCE - 1):
            assert archive.poll() == 0
        with pytest.raises(ArchiveError, match="cannot read the archive .*malformed"):
            archive.poll()

        def gone(*_: Any, **__: Any) -> int:
            raise sqlite3.OperationalError("unable to open database file")

        monkeypatch.setattr(archive.readmodel, "catch_up", gone)
        with pytest.raises(ArchiveError, match="unable to open database file"):
            archive.poll()


def test_the_window_does_not_show_a_moment_of_another_writer_as_an_error(
        archive_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        qtbot: Any) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow
    from gui.session import Session

    monkeypatch.setattr(Archive, "POLL_PAUSE", 0)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    archive = Archive.open(archive_path)
    window = MainWindow(Session(archive, archive_path),
                        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    try:
        original = archive.readmodel.catch_up
        failing = [6]

        def catch_up(store: Any, batch: int = 5000) -> int:
            if failing[0]:
                failing[0] -= 1
                raise sqlite3.DatabaseError("database disk image is malformed")
            return original(store, batch)

        monkeypatch.setattr(archive.readmodel, "catch_up", catch_up)
        with Archive.open(archive_path) as other:
            other.record("small Council 00000", "status", value="polled", valid="1999")
        window._on_poll_timer()
        window._on_poll_timer()
        assert "Cannot reach" not in window.statusBar().currentMessage()
        window._on_poll_timer()
        assert "from another writer" in window.statusBar().currentMessage()
    finally:
        window.close()
        with contextlib.suppress(Exception):
            archive.close()


# --- class 10: no traceback -------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["data-home-is-a-file", "hindsight-is-a-file"])
def test_a_data_folder_that_is_a_file_is_one_line(tmp_path: Path, env: dict[str, str],
                                                  layout: str) -> None:
    blocker = tmp_path / "blocker"
    if layout == "data-home-is-a-file":
        blocker.write_text("x")
        env["XDG_DATA_HOME"] = str(blocker)
    else:
        blocker.mkdir()
        (blocker / "hindsight").write_text("x")
        env["XDG_DATA_HOME"] = str(blocker)
    for args in (("as-of", "1950"), ("record", "X", "status", "--value", "v", "--valid", "1900")):
        line = one_error(run(env, *args), ArchiveError.exit_code)
        assert "the default archive cannot be kept there" in line and "XDG_DATA_HOME" in line
        assert "is a file, not a folder" in line


def test_a_full_disk_during_an_export_is_one_line(archive_path: Path, tmp_path: Path,
                                                  env: dict[str, str]) -> None:
    with mounted(tmp_path / "tiny", "size=8k") as disk:
        for fmt in ("sqlite", "json", "csv"):
            done = run(env, "export", "--to", fmt, str(disk / f"out.{fmt}"),
                       archive=archive_path)
            one_error(done)
            assert [p for p in disk.iterdir() if p.stat().st_size] == [], fmt


@pytest.mark.parametrize("raised", [
    OSError(28, "No space left on device"),
    sqlite3.OperationalError("disk I/O error"),
    sqlite3.DatabaseError("database disk image is malformed"),
    LibraryOperationalError("server closed the connection unexpectedly\nmore"),
], ids=lambda e: type(e).__name__)
def test_any_storage_error_escaping_a_command_is_one_line_naming_archive_and_command(
        archive_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], raised: Exception) -> None:
    def broken(args: Any, archive: Archive) -> int:
        raise raised

    monkeypatch.setattr(cli, "cmd_entities", broken)
    code = cli.main(["--archive", str(archive_path), "entities"], plugins=[])
    err = capsys.readouterr().err.splitlines()
    assert code == ArchiveError.exit_code
    assert len(err) == 1 and err[0].startswith(f"{ERROR}{archive_path}: entities failed: ")


@pytest.mark.parametrize("interval", ["-1", "0", "-0", "nan", "inf", "-inf", "1e999", "3601"])
def test_watch_refuses_intervals_that_are_not_a_pause(
        archive_path: Path, capsys: pytest.CaptureFixture[str], interval: str) -> None:
    code = cli.main(["--archive", str(archive_path), "watch", f"--interval={interval}"],
                    plugins=[])
    err = capsys.readouterr().err.splitlines()
    assert code == InvalidInput.exit_code
    assert len(err) == 1 and err[0].startswith(f"{ERROR}--interval: ")


def _refusal(url: str) -> str:
    try:
        _postgres_env(url)
    except HindsightError as exc:
        return str(exc)
    return ""


URL_PART = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=400, deadline=None)
@given(user=URL_PART, password=st.text(st.characters(codec="ascii", exclude_characters="@/?#"),
                                       min_size=1, max_size=12).filter(lambda p: p.strip()),
       host=URL_PART, port=st.one_of(st.integers(-5, 99_999).map(str), URL_PART),
       database=URL_PART, query=URL_PART)
@example(user="u", password="p", host="localhost", port="99999", database="test", query="")
@example(user="u", password="p", host="[::1", port="5432", database="test", query="")
@example(user="u", password="p", host="h", port="5432", database="d", query="schema=pg_catalog")
@example(user="", password=" by ", host="", port="1", database="", query="0")
@example(user="u", password="*", host="h", port="5432", database="d", query="")
def test_a_postgresql_url_is_settings_or_a_one_line_refusal_never_showing_its_password(
        user: str, password: str, host: str, port: str, database: str, query: str) -> None:
    url = f"postgresql://{user}:{password}@{host}:{port}/{database}?{query}"
    # Only where the URL's parts are where they seem is there a password to keep hidden.
    plain = not any(c in f"{user}{host}" for c in "/?#@:[]")
    try:
        settings_ = _postgres_env(url)
    except HindsightError as exc:
        message = str(exc)
        assert "\n" not in message
        if plain and len(password) > 3 and password not in \
                f"{user}{host}{port}{database}{query}" and password not in "postgresql://:@/?":
            # The password may be a phrase of the refusal itself (" by "): it leaks only if it
            # shows more often than in the refusal of the same URL with another password.
            assert message.count(password) <= _refusal(url.replace(
                f":{password}@", ":\x00@", 1)).count(password), message
        return
    port_number = int(settings_["POSTGRES_PORT"])
    assert 1 <= port_number <= 65535
    schema = settings_["POSTGRES_SCHEMA"]
    assert not schema.lower().startswith("pg_") and schema.lower() != "information_schema"
    # The password may be a part of what redact shows in its place ("*" of "***"): it leaks
    # only if it shows more often than in the same URL with another password.
    assert not plain or redact(url).count(password) <= redact(url.replace(
        f":{password}@", ":\x00@", 1)).count(password)


NAME = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"],
                             exclude_characters="/\0"), min_size=1, max_size=30).filter(
    lambda n: n not in (".", "..") and len(n.encode()) < 200)


@settings(max_examples=40, deadline=None)
@given(name=NAME)
@example(name="a?mode=ro.sqlite")
@example(name="file:x.sqlite")
@example(name=":memory:")
@example(name="a#b%20c.sqlite")
def test_an_archive_path_is_taken_literally(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with pytest.raises(ArchiveError, match="no archive at"):
            EventStore(str(path), create=False)
        assert list(Path(folder).iterdir()) == []
        with Archive.open(path) as archive:
            archive.record("A", "status", value="v", valid="1900")
        with Archive.open(path, create=False) as archive:
            assert archive.statistics()["claims"] == 1
        names = {p.name for p in Path(folder).iterdir()}
        assert names <= {name, f"{name}.index", f"{name}-wal", f"{name}-shm",
                         f"{name}.index-wal", f"{name}.index-shm"}
        assert name in names
