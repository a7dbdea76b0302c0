"""Issue 18, items 2 and 3, in the engine: the entities a passage names (names and aliases,
by the names rule, whole words, the longest first), the dates it gives (as EDTF), names
completed from what is typed; and a further citation of a recorded claim (``Archive.cite``,
``hindsight cite``, Hindsight JSON's ``citations``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline import cli
from timeline.api import (
    Archive,
    InvalidInput,
    NotFound,
    complete_names,
    dates_in,
    entities_in,
    verify,
)
from timeline.interchange import HindsightFile, export_document, import_document, json_schema

NAMES = [("Sam Altman", "Sam Altman"), ("Optimus", "Sam Altman"), ("Altman", "Sam Altman"),
         ("Sam", "Sam Smith"), ("OpenAI", "OpenAI"), ("José Núñez", "José Núñez"),
         ("O’Brien", "O’Brien"), ("Microsoft", "Microsoft"), ("Open", "Open Source")]


# --- entities in a passage ----------------------------------------------------------------------


def test_entities_by_name_and_alias_with_their_place() -> None:
    text = "The board of OpenAI fired SAM  ALTMAN; “Optimus” left."
    found = entities_in(text, NAMES)
    assert found == [("OpenAI", "OpenAI", 13), ("Sam Altman", "SAM  ALTMAN", 26),
                     ("Sam Altman", "Optimus", 40)]
    for _, matched, at in found:
        assert text[at:at + len(matched)] == matched  # the source's own text


def test_names_are_matched_by_the_names_rule_and_without_accents() -> None:
    text = "Jose Nunez met O'Brien and ｏｐｅｎａｉ at Microsoft’s office."
    assert [e[:2] for e in entities_in(text, NAMES)] == [
        ("José Núñez", "Jose Nunez"), ("O’Brien", "O'Brien"), ("OpenAI", "ｏｐｅｎａｉ"),
        ("Microsoft", "Microsoft")]
    decomposed = "Jose\u0301 Nu\u0301n\u0303ez"  # combining marks kept with their letters
    assert entities_in(decomposed, NAMES) == [("José Núñez", decomposed, 0)]


def test_whole_words_only_and_the_longest_name_first() -> None:
    assert entities_in("Samantha and Microsofts opened OpenAIs", NAMES) == []
    assert [e[:2] for e in entities_in("Sam Altman, then Sam.", NAMES)] == [
        ("Sam Altman", "Sam Altman"), ("Sam Smith", "Sam")]  # never overlapping
    assert entities_in("", NAMES) == [] and entities_in("Sam", []) == []


# --- dates in a passage -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("on 17 November 2023 the board", [("2023-11-17", "17 November 2023")]),
    ("November 17, 2023", [("2023-11-17", "November 17, 2023")]),
    ("the 3rd of Sept. 2019", [("2019-09-03", "3rd of Sept. 2019")]),
    ("2023-11-17 and 2023-11", [("2023-11-17", "2023-11-17"), ("2023-11", "2023-11")]),
    ("in November 2023", [("2023-11", "November 2023")]),
    ("back in 2023.", [("2023", "2023")]),
    ("spring 2019", [("2019-21", "spring 2019")]),
    ("in early 2024 and late 2024", [("2024-37", "early 2024"), ("2024-39", "late 2024")]),
    ("Q3 2024", [("2024-35", "Q3 2024")]),
    ("the first half of 2024", [("2024-40", "the first half of 2024")]),
    ("the 1990s", [("199X", "the 1990s")]),
    ("last Friday, 3,000 people; $2023 and 12023", []),
    ("31 February 2023", []),  # no such day, nor its month taken for it
])
def test_dates_in_a_passage(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates_in(text) == expected


# --- completion ---------------------------------------------------------------------------------


def test_completion_over_names_and_aliases() -> None:
    assert complete_names("optim", NAMES) == [("Optimus", "Sam Altman")]
    assert complete_names("  SAM ", NAMES)[:2] == [("Sam", "Sam Smith"),
                                                  ("Sam Altman", "Sam Altman")]
    assert complete_names("alt", NAMES) == [("Altman", "Sam Altman"), ("Sam Altman", "Sam Altman")]
    assert complete_names("o'b", NAMES) == [("O’Brien", "O’Brien")]
    assert complete_names("nunez", NAMES) == [("José Núñez", "José Núñez")]  # a later word
    assert complete_names("", NAMES) == [] and complete_names("zz", NAMES) == []
    assert len(complete_names("o", NAMES, limit=2)) == 2


# --- a further citation -------------------------------------------------------------------------


def _archive() -> tuple[Archive, str]:
    archive = Archive.in_memory()
    archive.add_source("s1", "Notes", "2023-11-17", "Sam Altman was fired by the board.")
    archive.add_source("s2", "Later", "2023-11-22", "Altman returned as chief executive.")
    claim_id = archive.record("Sam Altman", "fired_by", object="OpenAI", valid="2023-11-17",
                              sources=[("s1", "Sam Altman was fired")])
    return archive, claim_id


def test_a_citation_added_to_a_claim() -> None:
    archive, claim_id = _archive()
    before = archive.claim(claim_id)
    assert archive.cite(claim_id, "s2", "Altman returned") is True
    after = archive.claim(claim_id)
    assert after.sources == [{"source": "s1", "quote": "Sam Altman was fired"},
                             {"source": "s2", "quote": "Altman returned"}]
    assert (after.id, after.known_at, after.valid) == (before.id, before.known_at, before.valid)
    events = archive.statistics()["events"]
    assert archive.cite(claim_id, "s2", "Altman returned") is False  # cited already
    assert archive.statistics()["events"] == events
    assert [h.id for h in archive.search("chief") if h.kind == "claim"] == []  # not quoted
    assert claim_id in [h.id for h in archive.search("returned") if h.kind == "claim"]
    fact = archive.as_of("2023-11-17").facts[0]
    assert len(fact.claim.sources) == 2
    assert verify(archive).ok


def test_a_replacement_keeps_the_citations_added_since() -> None:
    """Superseding a claim carries every citation it has, added ones too, unless the
    replacement is given its own."""
    archive, claim_id = _archive()
    archive.cite(claim_id, "s2", "Altman returned")
    kept = archive.supersede(claim_id, known_at="2023-12-01", valid="2023-11-17/2023-11-22")
    assert archive.claim(kept).sources == [{"source": "s1", "quote": "Sam Altman was fired"},
                                           {"source": "s2", "quote": "Altman returned"}]
    own = archive.supersede(kept, known_at="2023-12-02", sources=[("s2", "Altman returned")])
    assert archive.claim(own).sources == [{"source": "s2", "quote": "Altman returned"}]
    assert verify(archive).ok


@pytest.mark.parametrize(("claim", "source", "quote", "field"), [
    ("", "s2", "Altman", "claim"),
    (None, "s2", "Altman returned as chief executive!", "quote"),
    (None, "nope", "Altman", "source"),
    (None, "s2", "   ", "quote"),
])
def test_a_bad_citation_is_refused_and_nothing_written(claim, source, quote, field) -> None:  # type: ignore
    archive, claim_id = _archive()
    events = archive.statistics()["events"]
    with pytest.raises(InvalidInput) as refused:
        archive.cite(claim_id if claim is None else claim, source, quote)
    assert refused.value.field == field
    with pytest.raises(NotFound, match="unknown claim id 'c-nope'"):
        archive.cite("c-nope", "s2", "Altman")
    archive.retract(claim_id, "2023-12-01", "wrong")
    with pytest.raises(InvalidInput, match="withdrawn"):
        archive.cite(claim_id, "s2", "Altman")
    assert archive.statistics()["events"] == events + 1  # the retraction only


def test_added_citations_in_hindsight_json() -> None:
    archive, claim_id = _archive()
    archive.cite(claim_id, "s2", "Altman returned")
    doc = export_document(archive)
    assert doc["claims"][0]["sources"] == [{"source": "s1", "quote": "Sam Altman was fired"}]
    assert doc["citations"] == [{"claim": claim_id, "source": "s2",
                                 "quote": "Altman returned"}]
    assert "citations" in json_schema()["properties"]
    other = Archive.in_memory()
    import_document(other, HindsightFile.model_validate(doc))
    assert other.claim(claim_id).sources == archive.claim(claim_id).sources
    events = other.statistics()["events"]
    import_document(other, HindsightFile.model_validate(doc))  # again: nothing new
    import_document(archive, HindsightFile.model_validate(doc))  # into itself: the same
    assert other.statistics()["events"] == events
    assert export_document(other)["citations"] == doc["citations"]
    bad = dict(doc, citations=[{"claim": claim_id, "source": "s2", "quote": "not there"}])
    third = Archive.in_memory()
    with pytest.raises(InvalidInput, match=r"citations\[0\]\.quote: quote 'not there'"):
        import_document(third, HindsightFile.model_validate(bad))
    assert third.statistics()["events"] == 0


def test_the_cite_command(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        archive.add_source("s1", "Notes", "2023-11-17", "Sam Altman was fired by the board.")
        archive.add_source("s2", "Later", "2023-11-22", "Altman returned as chief executive.")
        claim_id = archive.record("Sam Altman", "fired_by", object="OpenAI",
                                  valid="2023-11-17", sources=[("s1", "Sam Altman was fired")])
    run = ["--archive", str(path), "cite", claim_id, "--source", "s2"]
    assert cli.main([*run, "--quote", "Altman returned"]) == 0
    assert cli.main([*run, "--quote", "Altman returned"]) == 0
    assert "already cites" in capsys.readouterr().err
    assert cli.main([*run, "--quote", "Altman left"]) == 2
    err = capsys.readouterr().err
    assert "--quote: quote 'Altman left' is not verbatim in source 's2'" in err
    assert "Traceback" not in err
    assert cli.main(["--archive", str(path), "cite", "c-nope", "--source", "s2",
                     "--quote", "Altman"]) != 0
    assert "unknown claim id 'c-nope'" in capsys.readouterr().err
    with Archive.open(path) as archive:
        assert len(archive.claim(claim_id).sources) == 2
    assert json.loads(json.dumps(export_document(Archive.in_memory())))["citations"] == []
