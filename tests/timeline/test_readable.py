"""Issue 15, item 10, "Readable answers": the as-of table shows each fact's sources by short
name; ``history`` shows certainty, sources and account ties; a label with no value leaves no
trailing colon. (The event list's "ends" rows: tests/gui/test_event_list.py.)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline.app import Archive
from timeline.cli import main
from timeline.cli_tables import history_table
from timeline.sourcenames import (
    MAX_CHARS,
    account_of,
    fact_sources,
    short_source_name,
    short_source_names,
)
from timeline.views import edge_value, render_statement, statement

DEAL = "deal-2019"
DEAL_TEXT = ("On July 22, 2019, Microsoft announced it would invest $1 billion in OpenAI. Sam "
             "Altman, OpenAI's chief executive, welcomed the partnership.\n")


# --- short names --------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "name"), [
    # The seed archive's three sources.
    ("[Microsoft speeds up server deployment for OpenAI's GPT-4.5 and GPT-5]",
     "Microsoft speeds up"),
    ("GPT-4.5: And the future of pre-training is", "GPT-4.5"),
    ("[Optimus and Nadella, growing apart] (QbitAI, by Hengyu; English machine translation)",
     "Optimus and Nadella"),
    ("Microsoft invests in OpenAI", "Microsoft invests in OpenAI"),
    ("The New York Times", "New York Times"),
    ("Sam Altman to return as OpenAI CEO | Reuters", "Sam Altman to return"),
    ("Annual report 2023 – Microsoft Corporation", "Annual report 2023"),
    ("“A quoted headline, with more”", "quoted headline"),
    ("Letter of 1,000 words", "Letter of 1,000 words"),
])
def test_a_short_name_is_the_first_words_of_the_titles_first_clause(title: str,
                                                                   name: str) -> None:
    assert short_source_name(title, "the-id") == name


def test_a_short_name_is_short_and_never_empty() -> None:
    long = short_source_name("Supercalifragilisticexpialidocious" * 3)
    assert len(long) == MAX_CHARS and long.endswith("…")
    assert len(short_source_name("Extraordinarily comprehensive documentation of "
                                 "everything")) <= MAX_CHARS
    assert short_source_name("", "src-7") == "src-7"
    assert short_source_name("  [ ]  ", "src-7") == "src-7"
    assert short_source_name("(Untitled)", "src-7") == "Untitled"


def test_short_names_are_unique_within_an_answer() -> None:
    names = short_source_names({"a": "Press release: one", "b": "PRESS RELEASE: two",
                                "c": "Press release (2)", "d": "Another"})
    assert names == {"a": "Press release", "b": "PRESS RELEASE (2)",
                     "c": "Press release (3)", "d": "Another"}
    assert len({n.casefold() for n in names.values()}) == 4


# --- a label with no value --------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_label_with_no_value_leaves_no_trailing_colon(value: str | None) -> None:
    assert render_statement("OpenAI", "valuation", None, value) == "OpenAI valuation"
    assert render_statement("Nadella", "relationship with", "Altman", value) == \
        "Nadella relationship with Altman"
    assert render_statement("OpenAI", "{subject} was valued at: {value}", None, value) == \
        "OpenAI was valued at"
    assert render_statement("A", "{subject} met {object}: {value}", "B", value) == "A met B"


def test_a_label_with_a_value_keeps_its_colon() -> None:
    assert render_statement("OpenAI", "valuation", None, "$80 billion") == \
        "OpenAI valuation: $80 billion"
    assert render_statement("OpenAI", "{subject} was valued at: {value}", None, "$8") == \
        "OpenAI was valued at: $8"
    assert render_statement("A", "{value}: {subject}", None, "") == ": A"  # colon not last


def test_a_stored_claim_with_an_empty_value_reads_without_a_colon(archive: Archive) -> None:
    """Values are refused blank now; an older archive may hold one."""
    claim = archive.claim(archive.history("OpenAI")[0]["id"])
    for blank in ("", "  "):
        row = claim._replace(value=blank, object_id=None)
        text = statement(row, archive.names, archive.predicates)
        assert not text.rstrip().endswith(":"), text
        row = claim._replace(value=blank)
        assert edge_value(row, {row.predicate: ("", True)}) is None


# --- the archive the command line reads -------------------------------------------------------


@pytest.fixture
def archive_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        archive.add_source(DEAL, "Microsoft invests in OpenAI: the deal", "2019-07-22",
                           DEAL_TEXT)
        archive.add_source("deal-again", "Microsoft invests in OpenAI, a second look",
                           "2019-07-23", DEAL_TEXT)
        archive.add_source("ceo-note", "GPT-4.5: And the future of pre-training is",
                           "2019-03-08", DEAL_TEXT)
        archive.define_predicate("valuation", single=True)
        archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019-07-22/..",
                       sources=[(DEAL, "Microsoft announced it would invest $1 billion"),
                                ("deal-again", "welcomed the partnership"),
                                (DEAL, "in OpenAI")],
                       certainty=0.75)
        archive.record("Sam Altman", "ceo_of", object="OpenAI", valid="2019-03/2023-11-17",
                       sources=[("ceo-note", "OpenAI's chief executive")])
        archive.record("OpenAI", "valuation", value="$80 billion", valid="2023-11/2024-01",
                       known_at="2023-12-01", certainty=0.5)
    yield path


@pytest.fixture
def archive(archive_path: Path) -> Iterator[Archive]:
    with Archive.open(archive_path) as found:
        yield found


def run(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--archive", str(path), *args], plugins=[]) == 0
    return capsys.readouterr().out


def rows_of(table: str, header: str) -> tuple[list[str], list[str]]:
    lines = table.splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith(header))
    return lines[at].split(), lines[at + 1:]


# --- as-of: sources by short name -------------------------------------------------------------


def test_fact_sources_are_the_ids_cited_each_once_in_order(archive: Archive) -> None:
    state = archive.as_of("2023-11-10", entities=["Microsoft"])
    [fact] = state.facts
    assert fact_sources(fact) == [DEAL, "deal-again"]


@pytest.mark.parametrize("columns", [100, 160])
def test_the_as_of_table_shows_each_facts_sources_by_short_name(
        archive_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    table = run(archive_path, capsys, "as-of", "2023-11-10")
    header, body = rows_of(table, "STATUS")
    assert header == ["STATUS", "VALID", "SOURCES", "STATEMENT"]
    assert all(len(line) <= columns for line in table.splitlines())
    text = "\n".join(body)
    # Two sources of one title are told apart; a source cited twice is named once.
    assert text.count("Microsoft invests in OpenAI") == 2
    assert "Microsoft invests in OpenAI (2)" in text
    assert "GPT-4.5" in text
    # Not an id, not a count.
    assert DEAL not in text and "deal-again" not in text and "ceo-note" not in text
    assert not re.search(r"^\S+\s+\S+\s+\d+\s", text, re.M)
    valuation = next(line for line in body if "valuation" in line)
    assert re.search(r"2023-11/2024-01\s+-\s+OpenAI valuation: \$80 billion", valuation)


def test_the_as_of_json_is_unchanged(archive_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    answer = json.loads(run(archive_path, capsys, "as-of", "2023-11-10", "--format", "json"))
    for fact in answer["facts"]:
        assert all(set(c) == {"source", "quote"} for c in fact["sources"])


# --- history: certainty, sources, account ties ------------------------------------------------


def test_history_json_has_certainty_sources_by_short_name_and_account_ties(
        archive_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = json.loads(run(archive_path, capsys, "history", "OpenAI", "--format", "json"))
    claims = {c["statement"]: c for c in answer["claims"]}
    invested = claims["Microsoft invested in OpenAI"]
    assert invested["certainty"] == 0.75
    assert [(c["source"], c["name"]) for c in invested["sources"]] == [
        (DEAL, "Microsoft invests in OpenAI"), ("deal-again", "Microsoft invests in OpenAI (2)"),
        (DEAL, "Microsoft invests in OpenAI")]
    assert invested["sources"][0]["quote"] == "Microsoft announced it would invest $1 billion"
    assert claims["Sam Altman ceo of OpenAI"]["sources"][0]["name"] == "GPT-4.5"
    valuation = claims["OpenAI valuation: $80 billion"]
    assert (valuation["certainty"], valuation["sources"]) == (0.5, [])
    assert all(c["account_of"] is None for c in answer["claims"])


@pytest.mark.parametrize("columns", [100, 160])
def test_history_table_shows_certainty_and_sources(
        archive_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    table = run(archive_path, capsys, "history", "OpenAI")
    header, body = rows_of(table, "VALID")
    assert header == ["VALID", "KNOWN", "CLAIM", "BY", "CERT", "STATEMENT"]
    assert all(len(line) <= columns for line in table.splitlines())
    at = header.index("CERT")
    certainty = {line.split()[at] for line in body if re.match(r"\d{4}", line)}
    assert certainty == {"0.75", "1", "0.5"}
    text = " ".join(" ".join(body).split())
    assert "sources: Microsoft invests in OpenAI, Microsoft invests in OpenAI (2)" in text
    assert "sources: GPT-4.5" in text
    assert "sources: none" in text
    # when the archive took each claim in (local time, to the minute)
    assert len(re.findall(r"recorded \d{4}-\d\d-\d\d \d\d:\d\d", text)) == len(
        [line for line in body if re.match(r"\d{4}", line)])
    assert DEAL not in text


def _item(**extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "c-0000000000000002", "valid": "2019/..", "known_at": "2019-01-01",
        "statement": "Nadella backed Altman", "certainty": 0.9, "corrections": [],
        "sources": [{"source": "s1", "quote": "q", "name": "A short name"}],
        "recorded_by": None}
    item.update(extra)
    return item


def test_history_table_shows_an_account_tie(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    tied = history_table([_item(account_of="c-0000000000000001")])
    assert "account of c-0000000000000001" in tied
    assert "account of" not in history_table([_item(account_of=None)])
    assert "account of" not in history_table([_item()])  # before ties were recorded


def test_account_of_reads_a_tie_where_a_claim_has_one(archive: Archive) -> None:
    claim = archive.claim(archive.history("OpenAI")[0]["id"])
    assert account_of(claim) is None

    class Event:  # an event, or a row of an export: ``account_of``
        account_of = "c-0000000000000001"

    assert account_of(Event()) == "c-0000000000000001"
    assert account_of(object()) is None


def test_history_shows_a_claims_account_tie(archive_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with Archive.open(archive_path) as archive:
        first = archive.history("Sam Altman")[0]["id"]
        second = archive.record("Sam Altman", "ceo_of", object="OpenAI",
                                valid="2019-03/2023-11-17", account_of=first,
                                sources=[(DEAL, "OpenAI's chief executive")])
    answer = json.loads(run(archive_path, capsys, "history", "Sam Altman", "--format", "json"))
    ties = {c["id"]: c["account_of"] for c in answer["claims"]}
    assert ties == {first: None, second: first}
    monkeypatch.setenv("COLUMNS", "120")
    table = run(archive_path, capsys, "history", "Sam Altman")
    assert f"account of {first}" in table
    assert table.count("account of") == 1

