"""Facts and accounts through the command line and Hindsight JSON: ``record --account-of``,
``predicate --single object``, ``"account_of"`` and ``"single": "object"`` in a file, and
what the answers say (docs/time-model.md, "Facts and accounts", "Slots")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from timeline import cli
from timeline.api import Archive, InvalidInput, export_path, import_path


def run(archive: Path, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["--archive", str(archive), *argv], plugins=[])
    out, err = capsys.readouterr()
    return code, out, err


def answer(archive: Path, day: str, capsys: pytest.CaptureFixture[str], *names: str
           ) -> dict[str, Any]:
    entities = [arg for name in names for arg in ("--entity", name)]
    code, out, _ = run(archive, "as-of", day, *entities, "--format", "json", capsys=capsys)
    assert code == 0
    return {f["statement"]: f for f in json.loads(out)["facts"]}


def events(path: Path) -> int:
    with Archive.open(path) as archive:
        return len(list(archive.store.all_notifications()))


QUOTES = {"s1": "The Gazette reports on Halden.", "s2": "The Herald reports on Halden."}


@pytest.fixture
def board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "a.sqlite"
    assert run(path, "predicate", "leads", "--single", "object", capsys=capsys)[0] == 0
    for source, title, published in (("s1", "Gazette", "2031-12-01"),
                                      ("s2", "Herald", "2031-12-02")):
        text = tmp_path / f"{source}.txt"
        text.write_text(QUOTES[source], encoding="utf-8")
        code, _, err = run(path, "source", "add", source, "--title", title, "--published",
                           published, "--file", str(text), capsys=capsys)
        assert code == 0, err
    return path


def test_predicate_single_object_is_an_office(board: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    for who, valid in (("Ines", "2019/.."), ("Tomas", "2031-11-19/..")):
        code, _, err = run(board, "record", who, "leads", "--object", "Halden", "--valid", valid,
                           "--known-at", "2031-12", "--new-entity", capsys=capsys)
        assert code == 0, err
    code, _, _ = run(board, "record", "Ines", "leads", "--object", "Corvid", "--valid",
                     "2021/..", "--known-at", "2031-12", "--new-entity", capsys=capsys)
    assert code == 0
    with Archive.open(board) as archive:
        assert archive.predicates["leads"] == ("", "object")
    before = answer(board, "2031-11-18", capsys)
    assert {k: f["status"] for k, f in before.items()} == {
        "Ines leads Halden": "HOLDS", "Ines leads Corvid": "HOLDS"}
    after = answer(board, "2031-11-19", capsys)
    assert {k: f["status"] for k, f in after.items()} == {
        "Tomas leads Halden": "HOLDS", "Ines leads Corvid": "HOLDS"}
    with pytest.raises(SystemExit) as refused:  # argparse's usage error
        run(board, "predicate", "leads", "--single", "sideways", capsys=capsys)
    assert refused.value.code == 2


def test_accounts_that_disagree_on_when_are_one_disputed_fact(
        board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for valid, source in (("2031-11-19/..", "s1"), ("2031-11-20/..", "s2")):
        code, _, err = run(board, "record", "Tomas", "leads", "--object", "Halden",
                           "--valid", valid, "--source", source, "--quote", QUOTES[source],
                           "--new-entity", capsys=capsys)
        assert code == 0, err
    [fact] = answer(board, "2031-11-19", capsys).values()
    assert fact["status"] == "DISPUTED"
    assert fact["disputed"] == "began 2031-11-19 per s1; 2031-11-20 per s2"
    assert [(a["valid"], a["status"]) for a in fact["accounts"]] == [
        ("2031-11-19/..", "HOLDS"), ("2031-11-20/..", "NOT")]
    assert [s["source"] for s in fact["sources"]] == ["s1", "s2"]
    [fact] = answer(board, "2031-11-20", capsys).values()
    assert fact["status"] == "HOLDS"
    code, out, _ = run(board, "as-of", "2031-11-19", capsys=capsys)
    assert "DISPUTED" in out and "Gazette" in out and "Herald" in out
    assert "began 2031-11-19 per Gazette; 2031-11-20 per Herald" in " ".join(out.split())


def test_record_account_of_ties_a_claim_worded_otherwise(
        board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, fired, _ = run(board, "record", "Board", "fired", "--object", "Ines", "--valid",
                         "2031-11-19", "--source", "s1", "--quote", QUOTES["s1"],
                         "--new-entity", capsys=capsys)
    assert code == 0
    code, ousted, err = run(board, "record", "Ines", "ousted_from", "--object", "Halden",
                            "--valid", "2031-11~", "--source", "s2", "--quote", QUOTES["s2"],
                            "--new-entity",
                            "--account-of", fired.strip(), capsys=capsys)
    assert code == 0, err
    [fact] = answer(board, "2031-11-19", capsys).values()
    assert fact["id"] == fired.strip()
    assert [a["claim"] for a in fact["accounts"]] == [fired.strip(), ousted.strip()]
    assert answer(board, "2031-11-10", capsys) == {}  # refined to the exact day
    # Ines's own view finds it through the tied account, with the same status.
    assert answer(board, "2031-11-19", capsys, "Halden")[fact["statement"]] == fact


def test_an_account_of_a_claim_that_is_not_there_is_refused_and_writes_nothing(
        board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = events(board)
    code, _, err = run(board, "record", "Ines", "leads", "--object", "Halden", "--valid",
                       "2019/..", "--new-entity", "--account-of", "c-nothing", capsys=capsys)
    assert code == InvalidInput.exit_code
    assert err.count("\n") == 1 and "--account-of: no claim 'c-nothing'" in err
    assert events(board) == before


@pytest.mark.parametrize("target", ["", "   ", "\ud800", "c-\x00", "x" * 100_000])
def test_a_hostile_account_of_is_one_refusal_and_writes_nothing(target: str) -> None:
    with Archive.in_memory() as archive:
        archive.record("Ines", "p", value="x", valid="2019", known_at="2020")
        before = archive.statistics()
        with pytest.raises(InvalidInput) as refused:
            archive.record("Ines", "p", value="y", valid="2019", known_at="2020",
                           account_of=target)
        assert refused.value.field == "account_of"
        assert archive.statistics() == before


def test_a_file_ties_accounts_and_declares_offices(tmp_path: Path) -> None:
    doc = {"format": "hindsight/1",
           "predicates": [{"name": "leads", "single": "object"},
                          {"name": "ceo", "single": True}],
           "claims": [
               {"id": "a", "subject": "Ines", "predicate": "leads", "object": "Halden",
                "valid": "2019/..", "known_at": "2020"},
               {"id": "b", "subject": "Halden", "predicate": "run_by", "object": "Ines",
                "valid": "2019~/..", "known_at": "2021", "account_of": "a"}]}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    with Archive.in_memory() as archive:
        import_path(archive, path)
        [view] = archive.as_of("2020").facts
        assert [a.claim.id for a in view.fact.accounts] == ["a", "b"]
        assert archive.predicates["leads"][1] == "object"
        assert archive.predicates["ceo"][1] == "subject"
        out = tmp_path / "out.json"
        export_path(archive, "json", out)
    written = json.loads(out.read_text())
    assert {p["name"]: p["single"] for p in written["predicates"]}["ceo"] is True  # as before
    assert {p["name"]: p["single"] for p in written["predicates"]}["leads"] == "object"
    assert {c["id"]: c.get("account_of") for c in written["claims"]} == {"a": None, "b": "a"}


def test_a_file_with_a_dangling_account_of_is_refused_by_place(tmp_path: Path) -> None:
    doc = {"format": "hindsight/1", "claims": [
        {"id": "a", "subject": "Ines", "predicate": "p", "value": "x", "valid": "2019",
         "known_at": "2020"},
        {"id": "b", "subject": "Ines", "predicate": "p", "value": "y", "valid": "2019",
         "known_at": "2020", "account_of": "zzz"}]}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    with Archive.in_memory() as archive:
        with pytest.raises(InvalidInput, match=r"claims\[1\]\.account_of: no claim 'zzz'"):
            import_path(archive, path)
        assert archive.as_of("2019").facts == ()  # nothing written
