"""An import's new entities whose names are close to names the archive held (``near_new``).

``record`` refuses a new name close to a name or alias the archive holds unless it is
confirmed; an import never refuses one (a file imports as it always did) but reports it — in
``ImportReport.near``, and on the command line one note a new entity, with the command that
merges it — by the same rule (``ReadModel.near_names``). The file's new names are compared with
the names held before it, not with each other.
"""

from __future__ import annotations

import json
import random
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import interchange, near_new
from timeline.api import Archive, NearNew, import_file, import_path
from timeline.closeness import ranked
from timeline.domain import EntityCreated, entity_stream, normalise_name

CLOSE_FILE: dict[str, Any] = {"format": "hindsight/1", "entities": [
    {"name": "Mira Murati", "kind": "person", "aliases": ["Murati"]},
    {"name": "Quill Press", "kind": "organization"},
    {"name": "Quill Pres", "kind": "organization"},  # close to the file's own, not the archive's
], "claims": [
    {"subject": "Mira Murati", "predicate": "works_at", "object": "Quill Press", "valid": "2020"},
    {"subject": "Myra", "predicate": "works_at", "object": "Quill Pres", "valid": "2021"},
    {"subject": "Mira", "predicate": "works_at", "object": "Quill Press", "valid": "2019"},
]}
FAR_FILE: dict[str, Any] = {"format": "hindsight/1", "entities": [
    {"name": "Zanzibar Office", "kind": "place"}], "claims": [
    {"subject": "Octavia Lumley", "predicate": "works_at", "object": "Zanzibar Office",
     "valid": "1901"}]}


def _write(tmp_path: Path, doc: dict[str, Any], name: str = "import.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _held(archive: Archive) -> None:
    """What the archive holds before each import: Mira (a person, alias "M. M.")."""
    archive.record("Mira", "works_at", value="a lab", valid="2018", kind="person")
    archive.alias("Mira", "M. M.")


MIRA = ("Mira", "person", "Mira")


@pytest.mark.parametrize(("streamed", "index_from"), [(False, 20), (True, 20), (False, 1)],
                         ids=["whole", "streamed", "indexed"])
def test_new_names_close_to_names_held_are_reported_and_everything_is_imported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool, index_from: int
) -> None:
    if streamed:
        monkeypatch.setattr(interchange, "STREAM_FROM", 0)
    monkeypatch.setattr(near_new, "INDEX_FROM", index_from)
    with Archive.open(tmp_path / "a.sqlite") as archive:
        _held(archive)
        report = import_file(archive, _write(tmp_path, CLOSE_FILE))
        # Nothing refused: every claim and entity is in.
        assert (report.claims, report.entities) == (3, 4)
        assert {e["name"] for e in archive.entities()} == {
            "Mira", "Mira Murati", "Quill Press", "Quill Pres", "Myra"}
        # In the order they were made; "Murati", the new entity's own alias, and the file's
        # other new names are not what it is compared with.
        assert report.near == (NearNew("Mira Murati", "person", (MIRA,)),
                               NearNew("Myra", "other", (MIRA,)))


def test_an_import_into_an_archive_in_memory_reports_them_too(tmp_path: Path) -> None:
    archive = Archive.in_memory()
    _held(archive)
    report = import_file(archive, _write(tmp_path, CLOSE_FILE))
    assert [n.name for n in report.near] == ["Mira Murati", "Myra"]


def test_far_names_and_an_import_again_report_nothing(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.sqlite") as archive:
        _held(archive)
        far = import_file(archive, _write(tmp_path, FAR_FILE, "far.json"))
        assert far.entities == 2 and far.near == ()
        path = _write(tmp_path, CLOSE_FILE)
        assert len(import_file(archive, path).near) == 2
        again = import_file(archive, path)  # no new entity: nothing to say
        assert (again.events, again.near) == (0, ())


def test_an_import_into_an_empty_archive_reports_nothing(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.sqlite") as archive:
        report = import_file(archive, _write(tmp_path, CLOSE_FILE))
    assert report.entities == 5 and report.near == ()


def test_a_csv_import_reports_them_too(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("subject,predicate,value,valid\nMira Murati,works_at,a lab,2020\n",
                    encoding="utf-8")
    with Archive.open(tmp_path / "a.sqlite") as archive:
        _held(archive)
        report = import_path(archive, path)
    assert report.claims == 1
    assert report.near == (NearNew("Mira Murati", "other", (MIRA,)),)


def test_a_large_import_finds_them_as_record_does_in_its_index(tmp_path: Path) -> None:
    """From ``INDEX_FROM`` new entities on, the names held are indexed once: the notes are
    the same as asking ``near_names`` for each."""
    names = [f"{word} {k:03d}" for k, word in enumerate(["Ministry", "Harbour", "Mission"] * 10)]
    held = {"format": "hindsight/1", "entities": [{"name": n} for n in names]}
    new = {"format": "hindsight/1", "entities": [{"name": f"{n}x"} for n in names] + [
        {"name": f"Zeta {k}"} for k in range(near_new.INDEX_FROM)]}
    with Archive.open(tmp_path / "a.sqlite") as archive:
        import_file(archive, _write(tmp_path, held, "held.json"))
        before = archive.readmodel.position
        report = import_file(archive, _write(tmp_path, new))
        assert len(report.near) == len(names)
        for note in report.near:
            assert list(note.close) == archive.readmodel.near_names(note.name, before=before)


_SMALL_WORD = st.text("abcde", min_size=1, max_size=6)
_SMALL_NAME = st.lists(_SMALL_WORD, min_size=1, max_size=3).map(" ".join)


@pytest.fixture(scope="module")
def crowded() -> tuple[Archive, near_new.HeldNames]:
    """300 names over a five-letter alphabet, many close to each other, and their index."""
    archive = Archive.in_memory()
    rng = random.Random(15)
    with archive.batch() as batch:
        for _ in range(300):
            words = [rng.choice("abcde") * rng.randint(1, 2) + "".join(
                rng.choice("abcde") for _ in range(rng.randint(0, 4))) for _ in range(2)]
            batch.entity(" ".join(words[:rng.randint(1, 2)]), "person")
    rows = archive.readmodel.db.execute(
        "SELECT n.norm, n.name, e.id, e.kind, e.name FROM names n JOIN entities e "
        "ON e.id = n.entity_id")
    return archive, near_new.HeldNames(rows)


@settings(max_examples=300, deadline=None)
@given(_SMALL_NAME)
def test_the_index_finds_what_near_names_finds(
        crowded: tuple[Archive, near_new.HeldNames], name: str) -> None:
    archive, held = crowded
    key = normalise_name(name)
    assert ranked(key, held.candidates(key), 5) == archive.readmodel.near_names(name)


# --- the command line ------------------------------------------------------------------------

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    path = tmp_path / "my archive.sqlite"
    with Archive.open(path) as archive:
        _held(archive)
    return path


def test_import_prints_a_note_a_close_new_entity_after_its_summary(
        run: Run, tmp_path: Path, archive_path: Path) -> None:
    path = _write(tmp_path, CLOSE_FILE)
    code, out, err = run("import", str(path))
    assert (code, out) == (0, "")
    archive = shlex.quote(str(archive_path))
    assert err.splitlines() == [
        f"imported {path}: 8 new events (3 claims, 0 sources, 4 entities)",
        "note: new entity 'Mira Murati' (person) is close to 'Mira' (person); if they are "
        f"one, run: hindsight --archive {archive} merge Mira 'Mira Murati'",
        "note: new entity 'Myra' (other) is close to 'Mira' (person); if they are one, run: "
        f"hindsight --archive {archive} merge Mira Myra",
    ]
    code, _, err = run("import", str(_write(tmp_path, FAR_FILE, "far.json")))
    assert code == 0 and "note:" not in err
    code, _, err = run("import", str(path))  # again: no new entity
    assert code == 0 and err.splitlines() == [
        f"imported {path}: 0 new events (0 claims, 0 sources, 0 entities)"]


def test_the_note_s_command_merges_whatever_the_names_hold(run: Run, tmp_path: Path,
                                                          archive_path: Path) -> None:
    """Quotes, a shell's special characters and a leading hyphen: the command printed is the
    one to run, word for word."""
    names = ["O'Brien \"Mira\" $(true)", "-Mira"]
    doc = {"format": "hindsight/1", "entities": [{"name": n, "kind": "person"} for n in names]}
    code, _, err = run("import", str(_write(tmp_path, doc)))
    notes = err.splitlines()[1:]
    assert code == 0 and len(notes) == 2
    for name, note in zip(names, notes, strict=True):
        command = shlex.split(note.split("; if they are one, run: ")[1])
        assert command[0] == "hindsight" and command[-2:] == ["Mira", name]
        assert run(*command[1:])[0] == 0  # its --archive is this archive's
    with Archive.open(archive_path) as archive:
        assert set(archive.entity("Mira")["aliases"]) == {"M. M.", *names}


def test_names_that_do_not_print_are_escaped_and_no_command_is_given(
        run: Run, tmp_path: Path, archive_path: Path) -> None:
    """A name stored before names were checked may hold a control character (a terminal's
    escape sequence): the note writes it ``\\uXXXX``, and gives no command it could not be
    typed as."""
    legacy = "Mira\x1b[2J Bell"
    with Archive.open(archive_path) as archive:
        archive.store.append([EntityCreated(originator_id=entity_stream(legacy),
                                            originator_version=1, name=legacy, kind="person")])
        archive.refresh()
    doc = {"format": "hindsight/1", "entities": [{"name": "Bell Labs", "kind": "organization"}]}
    code, _, err = run("import", str(_write(tmp_path, doc)))
    assert code == 0
    assert err.splitlines()[1] == (
        "note: new entity 'Bell Labs' (organization) is close to 'Mira\\u001b[2J Bell' "
        "(person); if they are one, merge them (hindsight merge)")
    assert "\x1b" not in err
