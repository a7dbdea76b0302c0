"""Parts: one entity's state includes the facts about its parts on the day (docs/time-model.md,
"Parts"). ``X part_of Y`` in the state on V makes X a part of Y on V; transitively; each fact
that comes through a part is marked ``via`` the part (the nearest that reaches it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple, cast

import pytest

from timeline import parts
from timeline.api import Archive, FactView, State, cli_main
from timeline.asof.rules import Fact


@pytest.fixture
def archive() -> Archive:
    """Microsoft builds campuses; a building of one campus; Stargate is OpenAI's."""
    a = Archive.in_memory()
    a.record("Satya Nadella", "leads", object="Microsoft", valid="2014-02-04/..",
             known_at="2014-02-04")
    # The campus is Microsoft's from 2023 on (known in 2024); its own facts.
    a.record("Ohio campus", "part_of", object="Microsoft", valid="2023-01-01/..",
             known_at="2024-06-01")
    a.record("Ohio campus", "status", value="under construction", valid="2022/..",
             known_at="2024-06-01")
    a.record("Ohio campus", "located_in", object="central Ohio", valid="2022/..",
             known_at="2024-06-01")
    # A building of the campus: a part of a part.
    a.record("Building A", "part_of", object="Ohio campus", valid="2024-01-01/..",
             known_at="2024-06-01")
    a.record("Building A", "status", value="roofed", valid="2024-03-01/..",
             known_at="2024-06-01")
    # Known only in 2025: a second campus, maybe Microsoft's (a fuzzy start).
    a.record("Iowa campus", "part_of", object="Microsoft", valid="2024-06~/..",
             known_at="2025-01-01")
    a.record("Iowa campus", "status", value="operating", valid="2020/..", known_at="2025-01-01")
    # Unrelated to Microsoft.
    a.record("Stargate", "part_of", object="OpenAI", valid="2025-01-21/..", known_at="2025-02")
    a.record("Stargate", "planned_investment", value="$500 billion", valid="2025-01-21/..",
             known_at="2025-02")
    return a


def facts(state: State) -> dict[str, FactView]:
    return {f.statement: f for f in state.facts}


def via(state: State) -> dict[str, tuple[str | None, str | None]]:
    return {f.statement: (f.via, f.via_status) for f in state.facts}


def test_an_entity_includes_its_parts_facts_marked_via_the_part(archive: Archive) -> None:
    state = archive.as_of("2023-06-01", entities=["Microsoft"])
    assert via(state) == {
        "Satya Nadella leads Microsoft": (None, None),
        "Ohio campus part of Microsoft": (None, None),  # its own fact: not via
        "Ohio campus status: under construction": ("Ohio campus", "HOLDS"),
        "Ohio campus located in central Ohio": ("Ohio campus", "HOLDS"),
    }
    # Its own facts come first, as they came before parts existed.
    assert [f.via for f in state.facts][:2] == [None, None]


def test_not_a_part_before_the_part_of_claim_starts(archive: Archive) -> None:
    state = archive.as_of("2022-12-31", entities=["Microsoft"])
    assert via(state) == {"Satya Nadella leads Microsoft": (None, None)}
    # The campus' own view has its facts all the same.
    assert "Ohio campus status: under construction" in facts(
        archive.as_of("2022-12-31", entities=["Ohio campus"]))


def test_not_a_part_as_known_before_the_part_of_claim_was_known(archive: Archive) -> None:
    state = archive.as_of("2023-06-01", "2024-05-31", entities=["Microsoft"])
    assert via(state) == {"Satya Nadella leads Microsoft": (None, None)}


def test_parts_are_transitive_and_the_nearest_part_is_named(archive: Archive) -> None:
    state = archive.as_of("2024-04-01", entities=["Microsoft"])
    marks = via(state)
    assert marks["Building A status: roofed"] == ("Building A", "HOLDS")
    # The link between two parts comes through the one nearer the whole.
    assert marks["Building A part of Ohio campus"] == ("Ohio campus", "HOLDS")
    # Before the building is the campus' part, the campus is Microsoft's, not the building.
    before = via(archive.as_of("2023-12-31", entities=["Microsoft"]))
    assert "Building A status: roofed" not in before
    assert "Building A part of Ohio campus" not in before
    # The campus' own view reaches the building too, one level down.
    assert via(archive.as_of("2024-04-01", entities=["Ohio campus"]))[
        "Building A status: roofed"] == ("Building A", "HOLDS")


def test_a_maybe_part_counts_and_is_marked_maybe(archive: Archive) -> None:
    during = via(archive.as_of("2024-06-15", entities=["Microsoft"]))
    assert during["Iowa campus part of Microsoft"] == (None, None)
    assert during["Iowa campus status: operating"] == ("Iowa campus", "MAYBE")
    later = via(archive.as_of("2024-08-01", entities=["Microsoft"]))
    assert later["Iowa campus status: operating"] == ("Iowa campus", "HOLDS")
    assert "Iowa campus status: operating" not in via(
        archive.as_of("2024-04-30", entities=["Microsoft"]))


def test_a_maybe_link_makes_the_parts_below_it_maybe() -> None:
    a = Archive.in_memory()
    a.record("campus", "part_of", object="company", valid="2024~/..", known_at="2024")
    a.record("building", "part_of", object="campus", valid="2020/..", known_at="2024")
    a.record("building", "status", value="open", valid="2020/..", known_at="2024")
    assert via(a.as_of("2023-06-01", entities=["company"]))["building status: open"] == (
        "building", "MAYBE")
    assert via(a.as_of("2026-01-01", entities=["company"]))["building status: open"] == (
        "building", "HOLDS")


def test_withdrawn_or_deprecated_part_of_makes_no_part() -> None:
    a = Archive.in_memory()
    first = a.record("campus", "part_of", object="company", valid="2020/..", known_at="2020")
    second = a.record("annex", "part_of", object="company", valid="2020/..", known_at="2020")
    a.record("campus", "status", value="open", valid="2020/..", known_at="2020")
    a.record("annex", "status", value="closed", valid="2020/..", known_at="2020")
    assert {f.via for f in a.as_of("2021", entities=["company"]).facts} == {
        None, "campus", "annex"}
    a.retract(first, known_at="2022-01-01")
    a.rerank(second, "deprecated", known_at="2022-01-01")
    assert a.as_of("2021", entities=["company"]).facts == ()  # nothing about it, or its parts
    # As known before the corrections, both were parts.
    assert {f.via for f in a.as_of("2021", "2021-06-01", entities=["company"]).facts} == {
        None, "campus", "annex"}


def test_cycles_end_where_they_come_back() -> None:
    a = Archive.in_memory()
    a.record("A", "part_of", object="B", valid="2020/..", known_at="2020")
    a.record("B", "part_of", object="C", valid="2020/..", known_at="2020")
    a.record("C", "part_of", object="A", valid="2020/..", known_at="2020")
    a.record("C", "part_of", object="C", valid="2020/..", known_at="2020")  # itself
    a.record("C", "status", value="busy", valid="2020/..", known_at="2020")
    state = a.as_of("2021", entities=["A"])
    ids = [f.claim.id for f in state.facts]
    assert len(ids) == len(set(ids)) == 5  # every claim once
    assert via(state) == {
        "A part of B": (None, None), "C part of A": (None, None),
        "B part of C": ("C", "HOLDS"),  # C is A's part (C part_of A), nearer than B
        "C part of C": ("C", "HOLDS"), "C status: busy": ("C", "HOLDS"),
    }


def test_a_pair_view_does_not_expand_parts(archive: Archive) -> None:
    pair = archive.as_of("2024-04-01", entities=["Microsoft", "Ohio campus"])
    assert via(pair) == {"Ohio campus part of Microsoft": (None, None)}
    world = archive.as_of("2024-04-01")
    assert all(f.via is None for f in world.facts)


def test_json_says_via_and_null_for_own_facts(archive: Archive) -> None:
    answer = json.loads(json.dumps(archive.as_of("2024-06-15", entities=["Microsoft"]).to_json()))
    by = {f["statement"]: f for f in answer["facts"]}
    assert by["Satya Nadella leads Microsoft"]["via"] is None
    assert by["Satya Nadella leads Microsoft"]["via_status"] is None
    assert by["Ohio campus status: under construction"]["via"] == "Ohio campus"
    assert by["Iowa campus status: operating"]["via_status"] == "MAYBE"


def test_a_merged_part_brings_its_facts_under_the_kept_name() -> None:
    a = Archive.in_memory()
    a.record("Stargate", "part_of", object="OpenAI", valid="2025-01/..", known_at="2025-02")
    a.record("Stargate LLC", "planned_investment", value="$100 billion",
             valid="2025-01/..", known_at="2025-02")
    assert via(a.as_of("2025-06", entities=["OpenAI"])) == {
        "Stargate part of OpenAI": (None, None)}
    a.merge("Stargate", "Stargate LLC")
    assert via(a.as_of("2025-06", entities=["OpenAI"]))[
        "Stargate planned investment: $100 billion"] == ("Stargate", "HOLDS")


def test_the_entity_asked_under_an_alias_gets_its_parts(archive: Archive) -> None:
    archive.alias("Microsoft", "MSFT")
    assert via(archive.as_of("2023-06-01", entities=["MSFT"])) == via(
        archive.as_of("2023-06-01", entities=["Microsoft"]))


def test_diff_of_one_entity_sees_its_parts_change(archive: Archive) -> None:
    diff = archive.diff("2024-02-01", "2024-04-01", entities=["Microsoft"])
    assert [f.statement for f in diff.began] == ["Building A status: roofed"]
    assert diff.began[0].via == "Building A"


def test_cli_table_says_via(tmp_path, capsys) -> None:
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as a:
        a.record("campus", "part_of", object="company", valid="2024~/..", known_at="2024")
        a.record("campus", "status", value="open", valid="2020/..", known_at="2024")
    assert cli_main(["--archive", str(path), "as-of", "2023-06-01", "--entity", "company"]) == 0
    out = capsys.readouterr().out
    assert "campus status: open  (maybe via campus)" in out
    assert "campus part of company  (" not in out
    assert cli_main(["--archive", str(path), "as-of", "2026-01-01", "--entity", "company"]) == 0
    assert "campus status: open  (via campus)" in capsys.readouterr().out


# --- the walk on its own (no archive) ------------------------------------------------------------


class _Claim(NamedTuple):  # what the walk reads of a claim
    id: str
    subject_id: str
    predicate: str
    object_id: str | None


class _Fact(NamedTuple):  # ... and of a fact
    claim: _Claim
    status: str


def _fact(claim_id: str, subject: str, predicate: str, obj: str | None,
          status: str = "HOLDS") -> Fact:
    return cast(Fact, _Fact(_Claim(claim_id, subject, predicate, obj), status))


def _walk(world: list[Fact], whole: str, chunk: int | None = None,
          monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[list[tuple[str, str, str]],
                                                                  list[frozenset[str]]]:
    asked: list[frozenset[str]] = []

    def query(ids: frozenset[str]) -> list[Fact]:
        asked.append(ids)
        return [f for f in world if f.claim.subject_id in ids or f.claim.object_id in ids]

    ids_of: Callable[[str], tuple[str, frozenset[str]]] = lambda i: (i, frozenset([i]))  # noqa: E731
    own = query(frozenset([whole]))
    asked.clear()
    found = parts.part_facts(own, frozenset([whole]), query, ids_of)
    return [(f.claim.id, part, status) for f, part, status in found], asked


def test_the_walk_asks_once_per_level_and_keeps_the_surest_chain() -> None:
    world = [
        _fact("p1", "campus", "part_of", "company"),
        _fact("p2", "annex", "part_of", "company", "MAYBE"),
        _fact("p3", "hall", "part_of", "campus", "MAYBE"),  # hall: maybe via campus...
        _fact("p4", "hall", "part_of", "annex"),  # ...maybe via annex: MAYBE either way
        _fact("p5", "room", "part_of", "campus"),
        _fact("p6", "room", "part_of", "annex", "MAYBE"),  # room: surely via campus
        _fact("f1", "hall", "status", None),
        _fact("f2", "room", "status", None),
    ]
    found, asked = _walk(world, "company")
    assert asked == [frozenset({"campus", "annex"}), frozenset({"hall", "room"})]
    assert dict((c, (p, s)) for c, p, s in found) == {
        "p3": ("campus", "HOLDS"), "p4": ("annex", "MAYBE"), "p5": ("campus", "HOLDS"),
        "p6": ("annex", "MAYBE"), "f1": ("hall", "MAYBE"), "f2": ("room", "HOLDS")}


def test_the_walk_asks_about_many_parts_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "_CHUNK", 2)
    world = [_fact(f"p{k}", f"part{k}", "part_of", "company") for k in range(5)]
    world += [_fact(f"f{k}", f"part{k}", "status", None) for k in range(5)]
    found, asked = _walk(world, "company")
    assert [len(ids) for ids in asked] == [2, 2, 1]
    assert sorted(c for c, _, _ in found) == [f"f{k}" for k in range(5)]


def test_the_worked_example_of_the_time_model() -> None:
    """docs/time-model.md, "Parts": the example, as written there."""
    a = Archive.in_memory()
    a.record("Sam Altman", "leads", object="OpenAI", valid="2023-11-22/..", known_at="2023-11-22")
    a.record("Stargate", "part_of", object="OpenAI", valid="2025-01-21/..", known_at="2025-02")
    a.record("Stargate", "planned_investment", value="$500 billion", valid="2025-01-21/..",
             known_at="2025-02")
    a.record("Abilene campus", "part_of", object="Stargate", valid="2025-03-10~/..",
             known_at="2025-04")
    a.record("Abilene campus", "located_in", object="Texas", valid="2024/..", known_at="2025-04")

    def answer(day: str, known: str | None = None, *names: str) -> dict[str, tuple]:
        state = a.as_of(day, known, names or ["OpenAI"])
        return {f.claim.predicate + ("" if f.subject != "Abilene campus" else " (Abilene)"):
                (f.status, f.via, f.via_status) for f in state.facts}

    leads = {"leads": ("HOLDS", None, None)}
    stargate = {"part_of": ("HOLDS", None, None),
                "planned_investment": ("HOLDS", "Stargate", "HOLDS")}
    assert answer("2025-01-20") == leads
    assert answer("2025-02-01") == leads | stargate
    assert answer("2025-03-15") == leads | stargate | {
        "part_of (Abilene)": ("MAYBE", "Stargate", "HOLDS"),
        "located_in (Abilene)": ("HOLDS", "Abilene campus", "MAYBE")}
    assert answer("2025-06-01") == leads | stargate | {
        "part_of (Abilene)": ("HOLDS", "Stargate", "HOLDS"),
        "located_in (Abilene)": ("HOLDS", "Abilene campus", "HOLDS")}
    assert answer("2025-06-01", "2025-03-01") == leads | stargate
    assert answer("2025-06-01", None, "OpenAI", "Stargate") == {
        "part_of": ("HOLDS", None, None)}
    assert answer("2025-06-01", None, "Stargate") == {
        "part_of": ("HOLDS", None, None), "planned_investment": ("HOLDS", None, None),
        "part_of (Abilene)": ("HOLDS", None, None),
        "located_in (Abilene)": ("HOLDS", "Abilene campus", "HOLDS")}
