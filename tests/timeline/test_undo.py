"""Issue 18, items 6 and 7: undo and redo by compensating events (never deleting), the last
thing *this* author did, across processes; and who, when and why in the history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline import dates
from timeline.api import Archive, Conflict, NothingToUndo, set_author, verify
from timeline.cli import main
from timeline.interchange import export_document, export_file, import_file

#: Days to look at the archive on: valid days by known days.
DAYS = [dates.parse_day(d) for d in ("2015", "2019-06", "2021", "2024-06")]
KNOWN = [None, *(dates.parse_day(d) for d in ("2018", "2019-06", "2020", "2023"))]


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    monkeypatch.setenv("HINDSIGHT_AUTHOR", "ana")
    set_author(None)
    with Archive.open(tmp_path / "a.sqlite") as found:
        found.add_source("s1", "A report", "2019-03-01", "Sam led OpenAI from 2019 on.")
        found.record("Sam", "ceo_of", object="OpenAI", valid="2019/..",
                     sources=[("s1", "Sam led OpenAI")])
        yield found
    set_author(None)


def snapshot(archive: Archive) -> Any:
    """Everything an answer depends on: each state on a grid of days and known days (fact,
    status, rank), every name, every tag, every source."""
    states = tuple(tuple(sorted((f.claim.id, str(f.status), f.fact.rank)
                                for f in archive.as_of(v, r).facts))
                   for v in DAYS for r in KNOWN)
    return states, tuple(sorted(archive.all_names())), tuple(
        sorted((t["kind"], t["id"], t["tag"]) for t in archive.tags())), tuple(
        s["id"] for s in archive.readmodel.sources())


def events(archive: Archive) -> int:
    return archive.store.max_position()


def check_undo_redo(archive: Archive, act: Any, what: str) -> None:
    """``act`` changes the archive; undo brings back the state before, redo the state
    after; a second undo and redo do the same again."""
    before = snapshot(archive)
    act()
    after = snapshot(archive)
    assert after != before
    assert archive.undo_redo()[0].startswith(what)
    for _ in range(2):
        done = archive.undo()
        assert done.message.startswith(f"undid: {what}") and "by ana)" in done.message
        assert snapshot(archive) == before
        assert archive.undo_redo()[1].startswith(what)
        assert archive.redo().message.startswith(f"redid: {what}")
        assert snapshot(archive) == after


def claim_of(archive: Archive) -> str:
    return archive.timeline()[0].id


def test_a_record_is_undone_and_redone(archive: Archive) -> None:
    # (An entity made on first mention stays: names are not undone.)
    check_undo_redo(archive, lambda: archive.record(
        "Sam", "founded", object="OpenAI", valid="2015", known_at="2015"), "record of c-")


def test_a_mistaken_retraction_is_undone_and_redone(archive: Archive) -> None:
    claim = claim_of(archive)
    check_undo_redo(archive, lambda: archive.retract(claim, "2020", "misread"),
                    f"retraction of {claim}")
    archive.undo()
    history = archive.history("Sam")[0]
    kinds = [(c["kind"], c["reason"], c.get("undone_by")) for c in history["corrections"]]
    assert kinds[-2:] == [("retracted", "misread", "ana"), ("restored", "undo", None)]
    assert not history["withdrawn"]
    assert history["recorded_by"] == "ana" and history["recorded_at"]


def test_a_supersession_rerank_alias_and_tags_are_undone_and_redone(archive: Archive) -> None:
    claim = claim_of(archive)
    check_undo_redo(archive, lambda: archive.supersede(claim, valid="2019-05/..",
                                                       known_at="2020"),
                    f"supersession of {claim}")
    archive.undo()
    check_undo_redo(archive, lambda: archive.rerank(claim, "deprecated", "2019-06"),
                    f"rerank of {claim} to deprecated")
    archive.rerank(claim, "preferred", "2023")
    check_undo_redo(archive, lambda: archive.rerank(claim, "normal", "2020"),
                    f"rerank of {claim} to normal")
    check_undo_redo(archive, lambda: archive.alias("Sam", "Samuel Altman"),
                    "alias 'Samuel Altman' of 'Sam'")
    check_undo_redo(archive, lambda: archive.tag("claim", claim, "board"),
                    f"tag 'board' on claim {claim}")
    archive.tag("source", "s1", "press")
    check_undo_redo(archive, lambda: archive.untag("source", "s1", "press"),
                    "untag 'press' on source s1")


def test_undo_walks_back_and_a_new_act_ends_redo(archive: Archive) -> None:
    claim = claim_of(archive)
    start = snapshot(archive)
    archive.tag("claim", claim, "one")
    archive.retract(claim, "2020")
    archive.undo()
    archive.undo()
    assert snapshot(archive) == start
    archive.redo()
    archive.tag("claim", claim, "two")  # a new act: what was undone stays undone
    assert archive.undo_redo()[1] is None
    with pytest.raises(NothingToUndo, match="nothing to redo"):
        archive.redo()
    assert archive.undo().summary == f"tag 'two' on claim {claim}"
    assert archive.undo().summary == f"tag 'one' on claim {claim}"


def test_undo_works_across_processes(tmp_path: Path, archive: Archive) -> None:
    claim = claim_of(archive)
    archive.retract(claim, "2020", "wrong claim")
    with Archive.open(archive.store.path) as other:  # another process, a restart
        assert other.undo().summary == f"retraction of {claim}"
    archive.refresh()
    assert claim in {f.claim.id for f in archive.as_of("2021").facts}
    assert archive.redo().summary == f"retraction of {claim}"
    with Archive.open(archive.store.path) as other:
        assert claim not in {f.claim.id for f in other.as_of("2021").facts}
        assert other.undo_redo() == (f"retraction of {claim}", None)


def test_only_the_last_thing_this_author_did(archive: Archive,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    mine = archive.record("Sam", "ceo_of", object="Loopt", valid="2012/2014")
    monkeypatch.setenv("HINDSIGHT_AUTHOR", "bea")
    theirs = archive.record("Sam", "founded", object="Hydrazine", valid="2012")
    monkeypatch.setenv("HINDSIGHT_AUTHOR", "ana")
    assert archive.undo().summary == f"record of {mine}"
    ids = {c.claim.id for c in archive.claim_views()}
    assert theirs in ids and mine not in ids
    set_author("bea")  # the app's preferences come before HINDSIGHT_AUTHOR
    assert archive.undo().summary == f"record of {theirs}"


def test_nothing_to_undo_writes_nothing(archive: Archive, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HINDSIGHT_AUTHOR", "cy")
    count = events(archive)
    with pytest.raises(NothingToUndo, match="nothing to undo: cy has written nothing"):
        archive.undo()
    path = str(archive.store.path)
    assert main(["--archive", path, "undo"]) == 3
    assert main(["--archive", path, "redo"]) == 3
    err = capsys.readouterr().err
    assert "nothing to undo" in err and "nothing to redo" in err and "Traceback" not in err
    assert events(archive) == count


def test_a_merge_is_undone_and_redone(archive: Archive) -> None:
    """The absorbed entity is itself again: its claims, names, kind and search row; the
    entities merged into it before stay merged into it."""
    archive.record("Samuel", "born_in", object="Chicago", valid="1985")
    archive.record("Samuel", "ceo_of", object="OpenAI", valid="2019/..")  # one fact with Sam's
    archive.record("Sammy", "founded", object="Loopt", valid="2005")
    archive.record("Paul", "met", object="Sammy", valid="2005")  # an object, merged twice
    archive.alias("Samuel", "Samuel Altman")
    archive.merge("Samuel", "Sammy")
    with archive.batch() as batch:
        batch.entity("Ann", "other")
        batch.entity("Ann B.", "person")
    check_undo_redo(archive, lambda: archive.merge("Sam", "Samuel"),
                    "merge of 'Samuel' into 'Sam'")
    archive.undo()
    assert verify(archive).ok  # the read model matches a rebuild
    sam, samuel = archive.readmodel.resolve("Sam"), archive.readmodel.resolve("Samuel")
    assert sam != samuel
    assert archive.readmodel.resolve("Sammy") == archive.readmodel.resolve("Samuel Altman") \
        == samuel
    assert [(h.kind, h.id) for h in archive.search("Samuel Altman")][0] == ("entity", samuel)
    archive.redo()
    assert verify(archive).ok
    assert archive.readmodel.resolve("Sammy") == archive.readmodel.resolve("Sam")
    assert [h.kind for h in archive.search("Sammy")].count("entity") == 1
    archive.merge("Ann", "Ann B.")
    assert archive.entity("Ann")["kind"] == "person"  # the more specific kind
    archive.undo()
    assert (archive.entity("Ann")["kind"], archive.entity("Ann B.")["kind"]) == \
        ("other", "person")
    assert verify(archive).ok


def test_a_source_is_undone_and_redone(archive: Archive, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    check_undo_redo(archive, lambda: archive.add_source("s2", "Letters", "1850", "Dear sir"),
                    "source 's2'")
    archive.undo()
    assert archive.readmodel.source("s2") is None and archive.search("Dear") == []
    assert verify(archive).ok
    assert main(["--archive", str(archive.store.path), "source", "show", "s2"]) != 0
    assert "s2" in capsys.readouterr().err
    assert [s["id"] for s in export_document(archive)["sources"]] == ["s1"]
    archive.redo()
    assert archive.readmodel.source("s2")["title"] == "Letters"
    assert [h.kind for h in archive.search("Dear")] == ["source"]
    assert verify(archive).ok
    archive.undo()
    archive.add_source("s2", "Other letters", "1851", "Dear madam")  # the id is free again
    assert archive.readmodel.source("s2")["title"] == "Other letters"


def test_a_cited_source_is_refused_clearly(archive: Archive,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    archive.add_source("s2", "Letters", "1850", "Dear sir")
    claim = archive.record("Sam", "wrote", value="a letter", valid="1850", known_at="1850",
                           sources=[("s2", "Dear sir")])
    archive.undo()  # the claim, retracted: it still cites the source
    count = events(archive)
    with pytest.raises(Conflict, match=f"cannot undo the source 's2': claim {claim} cites "
                                       "it"):
        archive.undo()
    assert events(archive) == count
    assert main(["--archive", str(archive.store.path), "undo"]) == 4
    assert "nothing was written" in capsys.readouterr().err
    assert archive.readmodel.source("s2") is not None


def test_hindsight_json_after_an_undone_merge_and_source(archive: Archive,
                                                         tmp_path: Path) -> None:
    archive.record("Samuel", "born_in", object="Chicago", valid="1985")
    archive.add_source("s2", "Letters", "1850", "Dear sir")
    archive.merge("Sam", "Samuel")
    archive.undo()
    archive.undo()
    doc = export_document(archive)
    assert [s["id"] for s in doc["sources"]] == ["s1"]
    export_file(archive, tmp_path / "out.json")
    with Archive.open(tmp_path / "copy.sqlite") as copy:
        import_file(copy, tmp_path / "out.json")
        assert snapshot(copy) == snapshot(archive)
        assert copy.readmodel.resolve("Samuel") != copy.readmodel.resolve("Sam")


def test_the_command_line(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    claim = claim_of(archive)
    path = str(archive.store.path)
    assert main(["--archive", path, "retract", claim, "--reason", "oops"]) == 0
    count = events(archive)
    capsys.readouterr()
    assert main(["--archive", path, "undo", "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith(f"would undo: retraction of {claim} (recorded ")
    assert events(archive) == count
    assert main(["--archive", path, "undo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"undid: retraction of {claim} (recorded ") and "by ana)" in out
    assert main(["--archive", path, "history", "Sam"]) == 0
    table = " ".join(capsys.readouterr().out.split())  # the table wraps its lines
    assert "(oops) — undone by ana on" in table and "(undo of the retraction)" in table
    assert main(["--archive", path, "history", "Sam", "--format", "json"]) == 0
    item = json.loads(capsys.readouterr().out)["claims"][0]
    assert item["recorded_by"] == "ana" and item["recorded_at"]
    assert all(c["recorded_by"] == "ana" and c["recorded_at"] for c in item["corrections"])
    assert main(["--archive", path, "redo"]) == 0
    assert capsys.readouterr().out.startswith(f"redid: retraction of {claim} (undone ")


def test_hindsight_json_folds_an_undone_withdrawal(archive: Archive, tmp_path: Path) -> None:
    claim = claim_of(archive)
    other = archive.record("Sam", "ceo_of", object="Loopt", valid="2012/2014", known_at="2015")
    archive.retract(claim, "2020", "mistake")
    archive.undo()
    archive.alias("Sam", "Samuel Altman")
    archive.undo()
    archive.rerank(other, "preferred", "2016")
    assert verify(archive).ok  # the read model, restorations and all, matches a rebuild
    doc = export_document(archive)
    assert doc["retractions"] == []
    assert all("Samuel Altman" not in e["aliases"] for e in doc["entities"])
    export_file(archive, tmp_path / "out.json")
    with Archive.open(tmp_path / "copy.sqlite") as copy:
        import_file(copy, tmp_path / "out.json")
        assert snapshot(copy) == snapshot(archive)


def test_undo_on_a_team_archive(postgres_url: str) -> None:
    with Archive.open(postgres_url) as archive:
        role = archive.store.recorded_by
        claim = archive.record("Ada", "wrote", value="Notes", valid="1843", known_at="1843")
        archive.tag("claim", claim, "math")
        archive.retract(claim, "1900", "mistake")
        assert archive.undo().message.startswith(f"undid: retraction of {claim}")
        assert claim in {f.claim.id for f in archive.as_of("1843-06").facts}
        assert archive.undo().summary == f"tag 'math' on claim {claim}"
        assert archive.redo().summary == f"tag 'math' on claim {claim}"
        history = archive.history("Ada")[0]
        assert history["recorded_by"] == role
        assert [c.get("undone_by") for c in history["corrections"]] == [role, None]


def test_undo_on_a_team_archive_is_by_role_and_name(postgres_url: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL the author is the name and the role: one role writing under two names
    is two authors, each undoing only their own acts (docs/undo.md)."""
    set_author(None)
    monkeypatch.setenv("HINDSIGHT_AUTHOR", "Ana Lima")
    with Archive.open(postgres_url) as archive:
        role = archive.store.recorder.current_user
        assert archive.store.recorded_by == f"Ana Lima ({role})"
        mine = archive.record("Ada", "wrote", value="Notes", valid="1843", known_at="1843")
        monkeypatch.setenv("HINDSIGHT_AUTHOR", "A. Lima")
        theirs = archive.record("Ada", "read", value="Menabrea", valid="1842", known_at="1843")
        monkeypatch.setenv("HINDSIGHT_AUTHOR", "Ana Lima")
        undone = archive.undo()
        assert undone.summary == f"record of {mine}"
        assert undone.message.endswith(f"by Ana Lima ({role}))")
        with pytest.raises(NothingToUndo, match=r"nothing to undo: Ana Lima \("):
            archive.undo()
        assert {h["id"]: h["recorded_by"] for h in archive.history("Ada")}[theirs] == \
            f"A. Lima ({role})"
        monkeypatch.setenv("HINDSIGHT_AUTHOR", role)  # the role's own name: the role alone
        assert archive.store.recorded_by == role
        with pytest.raises(NothingToUndo):
            archive.undo()
        monkeypatch.setenv("HINDSIGHT_AUTHOR", "A. Lima")
        assert archive.undo().summary == f"record of {theirs}"


def test_search_follows_an_undone_alias_and_retraction(archive: Archive) -> None:
    """The full-text index is kept by the undo events too: an alias taken off is no longer
    found, and a claim whose retraction was undone is no longer marked retracted."""
    archive.alias("Sam", "Samuel Altman")
    assert [h.kind for h in archive.search("Samuel")] == ["entity"]
    archive.undo()
    assert archive.search("Samuel") == []
    claim = next(h for h in archive.search("OpenAI") if h.kind == "claim")
    archive.retract(claim.id, reason="by mistake")
    assert next(h for h in archive.search("OpenAI") if h.kind == "claim").withdrawn == "retracted"
    archive.undo()
    assert next(h for h in archive.search("OpenAI") if h.kind == "claim").withdrawn is None


def test_an_added_citation_is_refused_not_undone_in_name_only(archive: Archive) -> None:
    """An act undo has no compensation for is refused, never "undone" with nothing changed:
    a citation added to a claim stays, and says so."""
    archive.add_source("s2", "Letters", "2020", "Sam still led OpenAI that year.")
    claim = archive.as_of("2021").facts[0].claim.id
    archive.cite(claim, "s2", "Sam still led OpenAI")
    count = events(archive)
    with pytest.raises(Conflict, match=f"cannot undo the citation of {claim}: a citation "
                                       "added to a claim is not taken off"):
        archive.undo()
    assert events(archive) == count
    assert {s["source"] for s in archive.as_of("2021").facts[0].sources} == {"s1", "s2"}
