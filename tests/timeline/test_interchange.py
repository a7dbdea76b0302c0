"""Hindsight JSON (docs/format.md): import, export, errors by place, idempotency."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import timeline.app
from timeline import dates
from timeline.app import Archive
from timeline.errors import HindsightError, InvalidInput
from timeline.interchange import (
    SCHEMA_PATH,
    ImportCancelled,
    export_document,
    export_file,
    import_file,
    json_schema,
    read_file,
)

S1_TEXT = "On July 22, 2019, Microsoft announced it would invest $1 billion in OpenAI."
S1_QUOTE = "Microsoft announced it would invest $1 billion in OpenAI"
S2_TEXT = (
    "Mr. Altman's departure follows a deliberative review process by the board, which "
    "concluded that he was not consistently candid in his communications with the board. "
    "Microsoft CEO Satya Nadella said Microsoft remained committed to its partnership with "
    "OpenAI."
)
S2_QUOTE = "Microsoft remained committed to its partnership with OpenAI"

#: Imported first into every archive the broken documents are tried on.
BASE: dict[str, Any] = {
    "format": "hindsight/1",
    "sources": [{"id": "s1", "title": "Microsoft invests in OpenAI", "published": "2019-07-22",
                 "text": S1_TEXT}],
    "entities": [{"name": "Sam Altman", "kind": "person", "aliases": ["Optimus"]},
                 {"name": "Microsoft", "kind": "organization"}],
    "claims": [{"id": "base-1", "subject": "Microsoft", "predicate": "invested_in",
                "object": "OpenAI", "valid": "2019-07-22/..",
                "sources": [{"source": "s1", "quote": S1_QUOTE}]}],
}

#: A good document (on top of BASE) using every section; each broken document breaks one thing.
GOOD: dict[str, Any] = {
    "format": "hindsight/1",
    "predicates": [{"name": "ceo_of", "label": "was chief executive of", "single": True}],
    "sources": [{"id": "s2", "title": "OpenAI announces leadership transition",
                 "published": "2023-11-17", "text": S2_TEXT}],
    "entities": [{"name": "OpenAI", "kind": "organization", "aliases": ["OpenAI Inc."]},
                 {"name": "Satya Nadella", "kind": "person", "aliases": []}],
    "claims": [
        {"id": "g-ceo", "subject": "Sam Altman", "predicate": "ceo_of", "object": "OpenAI",
         "valid": "2019-03/2023-11-17", "certainty": 0.9, "known_at": "2019-03-08"},
        {"id": "g-backed", "subject": "Satya Nadella", "predicate": "backed",
         "object": "Sam Altman", "valid": "2023-11-17/..",
         "sources": [{"source": "s2", "quote": S2_QUOTE}]},
        {"id": "g-joined", "subject": "Sam Altman", "predicate": "joined",
         "object": "Microsoft", "valid": "2023-11-20/..", "known_at": "2023-11-20"},
        {"id": "g-board", "subject": "OpenAI", "predicate": "board",
         "value": "Bret Taylor, Larry Summers, Adam D'Angelo", "valid": "2023-11-22/..",
         "known_at": "2023-11-22"},
        {"id": "g-board2", "subject": "OpenAI", "predicate": "board",
         "value": "Bret Taylor (chair), Larry Summers, Adam D'Angelo",
         "valid": "2023-11-22/..", "known_at": "2023-11-29"},
    ],
    "supersessions": [{"claim": "g-board", "by": "g-board2", "known_at": "2023-11-29",
                       "reason": "the chair was named"}],
    "retractions": [{"claim": "g-joined", "known_at": "2023-11-22",
                     "reason": "he returned to OpenAI"}],
    "reranks": [{"claim": "g-ceo", "rank": "preferred", "known_at": "2024-01-01"}],
}

RECORDS_IN_GOOD = sum(len(v) for v in GOOD.values() if isinstance(v, list))
QUERY_DAYS = ("2019-12-31", "2023-11-21", "2023-11-30", "today")


def write(path: Path, doc: Any) -> Path:
    text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def answers(archive: Archive) -> list[Any]:
    out = [archive.as_of(day).to_json() for day in QUERY_DAYS]
    out += [archive.as_of("2023-11-30", known).to_json() for known in ("2023-11-21", "2024")]
    return out


@pytest.fixture
def base(tmp_path: Path) -> Iterator[Archive]:
    archive = Archive.in_memory()
    import_file(archive, write(tmp_path / "base.json", BASE))
    yield archive
    archive.close()


# --- importing ----------------------------------------------------------------------------


def test_a_good_document_imports_on_top_of_the_base(base: Archive, tmp_path: Path) -> None:
    before = base.statistics()
    report = import_file(base, write(tmp_path / "good.json", GOOD))
    after = base.statistics()
    assert report.events == after["events"] - before["events"] > 0
    assert (report.claims, report.sources) == (5, 1)
    assert after["claims"] == before["claims"] + 5
    facts = {f["id"]: f for f in base.as_of("2023-11-30").to_json()["facts"]}
    assert "g-joined" not in facts  # retracted
    assert "g-board" not in facts and facts["g-board2"]["status"] == "HOLDS"  # superseded
    assert facts["g-backed"]["sources"] == [{"source": "s2", "quote": S2_QUOTE}]
    assert facts["g-backed"]["known_at"] == "2023-11-17"  # its source's publication
    then = {f["id"] for f in base.as_of("2023-11-21", "2023-11-21").to_json()["facts"]}
    assert "g-joined" in then
    assert base.entity("OpenAI Inc.")["name"] == "OpenAI"
    assert base.entity("Optimus")["kind"] == "person"


def test_known_at_defaults_to_the_first_cited_sources_publication(base: Archive,
                                                                  tmp_path: Path) -> None:
    doc = {"format": "hindsight/1", "sources": GOOD["sources"], "claims": [
        {"id": "from-file", "subject": "A", "predicate": "p", "value": "1", "valid": "2020",
         "sources": [{"source": "s2", "quote": "candid"}, {"source": "s1", "quote": "invest"}]},
        {"id": "from-archive", "subject": "A", "predicate": "p", "value": "2", "valid": "2020",
         "sources": [{"source": "s1", "quote": "invest"}]},
        {"id": "by-hand", "subject": "A", "predicate": "p", "value": "3", "valid": "2020"},
    ]}
    days = {datetime.now(UTC).date().isoformat()}
    import_file(base, write(tmp_path / "doc.json", doc))
    days.add(datetime.now(UTC).date().isoformat())
    assert base.claim("from-file").known_at == "2023-11-17"
    assert base.claim("from-archive").known_at == "2019-07-22"
    assert base.claim("by-hand").known_at in days


def test_ids_derive_from_content_when_absent(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    doc = {"format": "hindsight/1", "sources": BASE["sources"], "claims": [
        {"subject": "Microsoft", "predicate": "invested_in", "object": "OpenAI",
         "valid": "2019-07-22/..", "sources": [{"source": "s1", "quote": S1_QUOTE}]},
        {"subject": "Microsoft", "predicate": "invested_in", "object": "OpenAI",
         "valid": "2023-01/..", "value": "$10 billion"},
    ]}
    path = write(tmp_path / "doc.json", doc)
    with Archive.in_memory() as one, Archive.open(tmp_path / "two.sqlite") as two:
        import_file(one, path)
        # Another day: claims without known_at keep their ids (and are not added again).
        monkeypatch.setattr(timeline.app, "today", lambda: "2031-05-05")
        import_file(two, path)
        assert two.statistics()["claims"] == 2
        ids = [c.id for c in one.timeline()]
        assert [c.id for c in two.timeline()] == ids
        assert all(i.startswith("c-") and len(i) == 18 for i in ids)
        events = one.statistics()["events"]
        assert import_file(one, path).events == 0
        assert one.statistics()["events"] == events


def test_unknown_fields_are_ignored(base: Archive, tmp_path: Path) -> None:
    plain = copy.deepcopy(GOOD)
    plain["claims"].append({"subject": "OpenAI", "predicate": "founded", "value": "yes",
                            "valid": "2015-12-11", "known_at": "2015-12-11"})
    extended = copy.deepcopy(plain)
    extended["generator"] = {"name": "another tool", "version": 7}
    extended["sources"][0]["language"] = "en"
    extended["entities"][0]["wikidata"] = "Q21708200"
    extended["claims"][1]["sources"][0]["page"] = 3
    extended["claims"][-1]["confidence_note"] = "from the press release"
    extended["retractions"][0]["by_whom"] = "AB"
    with Archive.in_memory() as other:
        import_file(other, write(tmp_path / "base.json", BASE))
        import_file(other, write(tmp_path / "plain.json", plain))
        import_file(base, write(tmp_path / "extended.json", extended))
        assert answers(base) == answers(other)
        assert base.statistics() == other.statistics()


def test_a_source_file_is_read_relative_to_the_document(base: Archive, tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "board.txt").write_text(S2_TEXT, encoding="utf-8")
    doc = copy.deepcopy(GOOD)
    del doc["sources"][0]["text"]
    doc["sources"][0]["file"] = "texts/board.txt"
    import_file(base, write(tmp_path / "doc.json", doc))
    assert base.source("s2")["text"] == S2_TEXT


# --- idempotency --------------------------------------------------------------------------


def _derived_ids_doc() -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    for claim in doc["claims"]:
        del claim["id"]
    for section in ("supersessions", "retractions", "reranks"):
        del doc[section]
    return doc


@pytest.mark.parametrize("doc", [
    pytest.param(GOOD, id="every section"),
    pytest.param(_derived_ids_doc(), id="derived ids"),
    pytest.param({k: v for k, v in GOOD.items() if k != "reranks"}, id="without reranks"),
])
def test_importing_the_same_document_twice_writes_nothing_the_second_time(
        base: Archive, tmp_path: Path, doc: dict[str, Any]) -> None:
    path = write(tmp_path / "doc.json", doc)
    first = import_file(base, path)
    assert first.events > 0
    events, before = base.statistics()["events"], answers(base)
    second = import_file(base, path)
    assert second.events == 0
    assert base.statistics()["events"] == events
    assert answers(base) == before


# --- round trip ---------------------------------------------------------------------------


def build_rich(archive: Archive) -> dict[str, str]:
    """An archive with retractions, a supersession, reranks, aliases and a merge."""
    with archive.batch() as batch:
        for name, kind in (("Sam Altman", "person"), ("OpenAI", "organization"),
                           ("Microsoft", "organization"), ("Satya Nadella", "person")):
            batch.entity(name, kind)
    archive.define_predicate("ceo_of", "was chief executive of", single=True)
    archive.define_predicate("valuation", single=True)
    archive.define_predicate("headquartered_in", single=True)
    archive.define_predicate("headcount", single=True)
    archive.define_predicate("title", single=True)
    archive.define_predicate("relationship_with", "{subject} and {object} were {value}",
                             single=True)
    archive.add_source("s1", "Microsoft invests in OpenAI", "2019-07-22", S1_TEXT)
    archive.add_source("s2", "OpenAI announces leadership transition", "2023-11-17", S2_TEXT)
    r = archive.record
    ids = {
        "invested": r("Microsoft", "invested_in", object="OpenAI", valid="2019-07-22/..",
                      sources=[("s1", S1_QUOTE)], known_at="2019-07-22", certainty=0.95),
        "ceo1": r("Sam Altman", "ceo_of", object="OpenAI", valid="2019-03/2023-11-17",
                  known_at="2019-03-08"),
        "interim": r("Mira Murati", "ceo_of", object="OpenAI", valid="2023-11-17/2023-11-19",
                     known_at="2023-11-17", sources=[("s2", "Mr. Altman's departure")]),
        "ceo2": r("Sam Altman", "ceo_of", object="OpenAI", valid="2023-11-22/..",
                  known_at="2023-11-22"),
        "rel": r("Satya Nadella", "relationship_with", object="Sam Altman",
                 value="close allies", valid="2023-11~/..", known_at="2023-11-20",
                 certainty=0.7),
        "joined": r("Sam Altman", "joined", object="Microsoft", valid="2023-11-20/..",
                    known_at="2023-11-20"),
        "rumour": r("OpenAI", "board", value="dissolved", valid="2023-11-19",
                    known_at="2023-11-25"),
        "val80": r("OpenAI", "valuation", value="$80 billion", valid="2023-11/2024-01",
                   known_at="2023-12-01"),
        "val86": r("OpenAI", "valuation", value="$86 billion", valid="2023-11/2024-01",
                   known_at="2023-12-05"),
        "val90": r("OpenAI", "valuation", value="$90 billion", valid="2024-02~/2024-09",
                   known_at="2024-02-16"),
        "hq1": r("OpenAI Global LLC", "headquartered_in", value="Pioneer Building",
                 valid="2019/..", known_at="2019-01-01"),
        "hq2": r("OpenAI Global LLC", "headquartered_in", value="Mission Bay",
                 valid="2023-09~/..", known_at="2023-09-01"),
        "staff": r("OpenAI", "headcount", value="770", valid="2023/2025",
                   known_at="2023-11-21"),
        "staff_about": r("OpenAI", "headcount", value="about 800", valid="2023~/2025",
                         known_at="2023-12-01"),
        "chair": r("Sam Altman", "title", value="co-chair", valid="2015-12/..",
                   known_at="2015-12-11"),
        "ceo_title": r("Sam Altman", "title", value="chief executive", valid="2015-12/..",
                       known_at="2016"),
        "lives": r("Sam Altman", "lives_in", value="Russian Hill", valid="2005/..",
                   known_at="2010"),
        "stake": r("Microsoft", "stake_in", object="OpenAI", value="49%",
                   valid="2019-07-22/..", known_at="2023-01-23"),
        "unknown_end": r("Microsoft", "partner_of", object="OpenAI", valid="2016-11/",
                         known_at="2016-11-15"),
        "open_start": r("Microsoft", "cloud_of", object="OpenAI", valid="../2019",
                        known_at="2018"),
    }
    archive.retract(ids["joined"], "2023-11-22", "he returned to OpenAI")
    archive.retract(ids["rumour"], "2023-11-24", "withdrawn before it was known")
    archive.rerank(ids["val86"], "preferred", "2024-01-15", "the filing says 86")
    archive.rerank(ids["chair"], "preferred", "2018-06-01")
    archive.rerank(ids["lives"], "deprecated", "2020-01-01")
    ids["val100"] = archive.supersede(ids["val90"], known_at="2024-03-01", reason="misread",
                                      value="$100 billion")
    ids["stake2"] = archive.supersede(ids["stake"], known_at="2023-06-01",
                                      value="49% of the profits")
    archive.alias("Sam Altman", "Optimus")
    archive.alias("Microsoft", "MSFT")
    archive.merge("OpenAI", "OpenAI Global LLC")
    return ids


def random_query(rng: random.Random) -> tuple[str, str | None]:
    lo, hi = dates.day_number(2015, 1, 1), dates.day_number(2026, 12, 31)
    v = dates.day_to_iso(rng.randint(lo, hi))
    r = None if rng.random() < 0.25 else dates.day_to_iso(rng.randint(lo, hi))
    return v, r


def test_export_then_import_gives_identical_answers(tmp_path: Path) -> None:
    with Archive.in_memory() as original, Archive.open(tmp_path / "copy.sqlite") as copied:
        ids = build_rich(original)
        export_file(original, tmp_path / "export.json")
        report = import_file(copied, tmp_path / "export.json")
        assert report.claims == len(ids)
        rng = random.Random(20231117)
        seen: set[str] = set()
        for _ in range(50):
            v, r = random_query(rng)
            facts = original.as_of(v, r).to_json()["facts"]
            assert copied.as_of(v, r).to_json()["facts"] == facts, (v, r)
            seen.update(f["status"] for f in facts)
        assert seen == {"HOLDS", "MAYBE", "CONTESTED"}  # the sample is not trivial
        for v, r, names in (("2023-11-21", "2023-11-21", ["Optimus"]),
                            ("2023-12-15", "2023-12-31", ["OpenAI Global LLC"]),
                            ("2024-01-10", None, ["OpenAI"]),
                            ("2023-11-30", None, ["Satya Nadella", "Optimus"])):
            assert (copied.as_of(v, r, names).to_json()
                    == original.as_of(v, r, names).to_json()), (v, r, names)
        assert copied.entities() == original.entities()


def test_an_export_imports_twice_without_new_events(tmp_path: Path) -> None:
    with Archive.in_memory() as original, Archive.open(tmp_path / "copy.sqlite") as copied:
        build_rich(original)
        path = tmp_path / "export.json"
        export_file(original, path)
        import_file(copied, path)
        events = copied.statistics()["events"]
        assert import_file(copied, path).events == 0
        assert copied.statistics()["events"] == events
        # And back into the archive it came from: nothing new either.
        events = original.statistics()["events"]
        import_file(original, path)
        assert original.statistics()["events"] == events


def test_export_writes_the_documented_sections(tmp_path: Path) -> None:
    with Archive.in_memory() as archive:
        ids = build_rich(archive)
        doc = export_document(archive)
    assert doc["format"] == "hindsight/1"
    assert {s["id"]: s["text"] for s in doc["sources"]} == {"s1": S1_TEXT, "s2": S2_TEXT}
    openai = next(e for e in doc["entities"] if e["name"] == "OpenAI")
    assert openai["kind"] == "organization"
    assert "OpenAI Global LLC" in openai["aliases"]  # merged: now a name of OpenAI
    assert "OpenAI Global LLC" not in {e["name"] for e in doc["entities"]}
    claims = {c["id"]: c for c in doc["claims"]}
    assert set(claims) == set(ids.values())
    assert claims[ids["hq1"]]["subject"] == "OpenAI"
    assert claims[ids["rel"]]["object"] == "Sam Altman"
    assert claims[ids["rel"]]["value"] == "close allies"
    assert (claims[ids["stake2"]]["object"], claims[ids["stake2"]]["value"]) == (
        "OpenAI", "49% of the profits")  # a superseded relationship keeps its object
    assert claims[ids["invested"]]["sources"] == [{"source": "s1", "quote": S1_QUOTE}]
    assert {(x["claim"], x["known_at"]) for x in doc["retractions"]} == {
        (ids["joined"], "2023-11-22"), (ids["rumour"], "2023-11-24")}
    assert {(x["claim"], x["by"]) for x in doc["supersessions"]} == {
        (ids["val90"], ids["val100"]), (ids["stake"], ids["stake2"])}
    assert {(x["claim"], x["rank"]) for x in doc["reranks"]} == {
        (ids["val86"], "preferred"), (ids["chair"], "preferred"), (ids["lives"], "deprecated")}
    assert {p["name"]: p["single"] for p in doc["predicates"]}["ceo_of"] is True


# --- broken documents ---------------------------------------------------------------------

DROP = object()


def edit(path: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    """A change to GOOD: ``edit("claims.2.valid", "2023-13")``; DROP removes the key."""
    *parents, last = path.split(".")

    def change(doc: dict[str, Any]) -> Any:
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        key: Any = int(last) if last.isdigit() else last
        if value is DROP:
            del node[key]
        elif key == "+":
            node.append(value)
        else:
            node[key] = value
        return doc
    return change


def replace(document: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda _: document


def both(*changes: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    def change(doc: dict[str, Any]) -> Any:
        for one in changes:
            doc = one(doc)
        return doc
    return change


BROKEN = [
    # (what is wrong, the change to GOOD, the place the message starts with)
    ("wrong format tag", edit("format", "hindsight/2"), "format: "),
    ("format of another tool", edit("format", "geojson"), "format: "),
    ("missing format", edit("format", DROP), "format: "),
    ("top-level list", replace([GOOD]), "{file}: "),
    ("top-level string", replace("hindsight/1"), "{file}: "),
    ("claims not a list", edit("claims", {"g-ceo": GOOD["claims"][0]}), "claims: "),
    ("claim not an object", edit("claims.2", "Sam Altman joined Microsoft"), "claims[2]: "),
    ("claim missing subject", edit("claims.2.subject", DROP), "claims[2].subject: "),
    ("claim missing predicate", edit("claims.2.predicate", DROP), "claims[2].predicate: "),
    ("claim missing valid", edit("claims.2.valid", DROP), "claims[2].valid: "),
    ("valid as a number", edit("claims.2.valid", 2023), "claims[2].valid: "),
    ("certainty as a string", edit("claims.2.certainty", "0.9"), "claims[2].certainty: "),
    ("sources as a string", edit("claims.2.sources", "s2"), "claims[2].sources: "),
    ("citation as a string", edit("claims.1.sources", ["s2"]), "claims[1].sources[0]: "),
    ("invalid EDTF", edit("claims.2.valid", "2023-13"),
     "claims[2].valid: '2023-13' is not a valid EDTF date"),
    ("impossible date", edit("claims.2.valid", "2023-02-30"), "claims[2].valid: "),
    ("end before start", edit("claims.2.valid", "2023-11-20/2019"), "claims[2].valid: "),
    ("bad known_at", edit("claims.2.known_at", "yesterday"), "claims[2].known_at: "),
    ("unknown source in citation", edit("claims.1.sources.0.source", "s9"),
     "claims[1].sources[0].source: "),
    ("quote not verbatim", edit("claims.1.sources.0.quote", "Microsoft remained loyal"),
     "claims[1].sources[0].quote: "),
    ("empty quote", edit("claims.1.sources.0.quote", ""), "claims[1].sources[0].quote: "),
    ("certainty above 1", edit("claims.2.certainty", 1.5), "claims[2].certainty: "),
    ("negative certainty", edit("claims.2.certainty", -0.1), "claims[2].certainty: "),
    ("unknown rank", edit("claims.2.rank", "top"), "claims[2].rank: "),
    ("neither value nor object", edit("claims.2.object", DROP), "claims[2]"),
    ("empty value", edit("claims.3.value", ""), "claims[3].value: "),
    ("empty subject", edit("claims.2.subject", ""), "claims[2].subject: "),
    ("blank object", edit("claims.2.object", "  "), "claims[2].object: "),
    ("empty predicate", edit("claims.2.predicate", ""), "claims[2].predicate: "),
    ("empty claim id", edit("claims.2.id", ""), "claims[2].id: "),
    ("claim id with a control character", edit("claims.2.id", "0\x1f"), "claims[2].id: "),
    ("claim id with surrounding spaces", edit("claims.2.id", " g3 "), "claims[2].id: "),
    ("claim id of another claim in the archive", edit("claims.2.id", "base-1"), "claims[2]"),
    ("two claims with one id", edit("claims.3.id", "g-joined"), "claims[3]"),
    ("unknown entity kind", edit("entities.1.kind", "robot"), "entities[1].kind: "),
    ("entity without a name", edit("entities.1.name", DROP), "entities[1].name: "),
    ("aliases as a string", edit("entities.0.aliases", "OpenAI Inc."), "entities[0].aliases"),
    ("alias naming another entity", edit("entities.0.aliases", ["Optimus"]), "entities[0]"),
    ("duplicate alias", edit("entities.1.aliases", ["OpenAI Inc."]), "entities[1]"),
    ("bad predicate name", edit("predicates.0.name", "9lives"), "predicates[0].name: "),
    ("single as a string", edit("predicates.0.single", "yes"), "predicates[0].single: "),
    ("source without text or file", edit("sources.0.text", DROP), "sources[0].text: "),
    ("source file missing", both(edit("sources.0.text", DROP),
                                 edit("sources.0.file", "missing.txt")), "sources[0].file: "),
    ("source id taken with another text", edit("sources.0.id", "s1"), "sources[0]"),
    ("source without a title", edit("sources.0.title", DROP), "sources[0].title: "),
    ("bad publication date", edit("sources.0.published", "2023-11-31"),
     "sources[0].published: "),
    ("retraction of an unknown claim", edit("retractions.0.claim", "g-nope"),
     "retractions[0]"),
    ("retraction without known_at", edit("retractions.0.known_at", DROP),
     "retractions[0].known_at: "),
    ("retracted twice", edit("retractions.+", {"claim": "g-joined", "known_at": "2023-12"}),
     "retractions[1]"),
    ("supersession by an unknown claim", edit("supersessions.0.by", "g-nope"),
     "supersessions[0]"),
    ("superseded by itself", edit("supersessions.0.by", "g-board"), "supersessions[0]"),
    ("rerank to an unknown rank", edit("reranks.0.rank", "best"), "reranks[0].rank: "),
    ("rerank of an unknown claim", edit("reranks.0.claim", "g-nope"), "reranks[0]"),
]


def test_the_broken_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= 30
    assert len({name for name, _, _ in BROKEN}) == len(BROKEN)


@pytest.mark.parametrize(("change", "place"),
                         [pytest.param(c, p, id=name) for name, c, p in BROKEN])
def test_a_broken_document_is_refused_by_place_and_writes_nothing(
        base: Archive, tmp_path: Path, change: Callable[[dict[str, Any]], Any],
        place: str) -> None:
    path = write(tmp_path / "broken.json", change(copy.deepcopy(GOOD)))
    events, before = base.statistics(), answers(base)

    with pytest.raises(HindsightError) as caught:
        import_file(base, path)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(place.format(file=path)), message
    assert base.statistics() == events
    assert answers(base) == before
    # Nothing half-done either: the good document still imports whole afterwards.
    import_file(base, write(tmp_path / "good.json", GOOD))
    assert {"g-ceo", "g-board2"} <= {c.id for c in base.timeline()}


# --- file-level errors --------------------------------------------------------------------


@pytest.mark.parametrize(("content", "expected"), [
    pytest.param(b"\xff\xfe{\x00}\x00", "not UTF-8 text (byte 0xff at offset 0)", id="UTF-16"),
    pytest.param('{"format": "hindsight/1", "title": "caf\xe9"}'.encode("latin-1"),
                 "not UTF-8 text (byte 0xe9 at offset 39)", id="Latin-1"),
    pytest.param(b'{"format": "hindsight/1",\n "claims": [}\n',
                 "not valid JSON: line 2, column 13", id="not JSON"),
    pytest.param(b'{"format": "hindsight/1", "claims": [{"subject": "Sam',
                 "not valid JSON: line 1, column 50", id="truncated"),
    pytest.param(b"", "not valid JSON: line 1, column 1", id="empty"),
    pytest.param(None, "cannot read", id="missing"),
])
def test_read_file_reports_file_level_errors_with_the_path(
        tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "doc.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidInput) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {expected}"), message
    assert "\n" not in message


def test_read_file_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
    doc, base_dir = read_file(path)
    assert len(doc.claims) == len(GOOD["claims"])
    assert base_dir == tmp_path


# --- progress and cancelling --------------------------------------------------------------


def test_progress_reaches_the_total(base: Archive, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    import_file(base, write(tmp_path / "good.json", GOOD),
                progress=lambda done, total: calls.append((done, total)) is None)
    assert calls and calls[-1] == (RECORDS_IN_GOOD, RECORDS_IN_GOOD)
    assert all(done <= total for done, total in calls)


@pytest.mark.parametrize("claims", [0, 120])
def test_cancelling_through_progress_writes_nothing(base: Archive, tmp_path: Path,
                                                    claims: int) -> None:
    doc = copy.deepcopy(GOOD)
    doc["claims"] += [{"id": f"bulk-{k}", "subject": "OpenAI", "predicate": "staff",
                       "value": str(k), "valid": "2023", "known_at": "2024"}
                      for k in range(claims)]
    events, before = base.statistics(), answers(base)
    calls: list[int] = []

    def cancel(done: int, total: int) -> bool:
        calls.append(done)
        return False

    with pytest.raises(ImportCancelled):
        import_file(base, write(tmp_path / "doc.json", doc), progress=cancel)
    assert len(calls) == 1
    assert base.statistics() == events
    assert answers(base) == before


# --- the documentation ---------------------------------------------------------------------

FORMAT_DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"


def test_the_example_in_the_format_documentation_imports_as_described(tmp_path: Path) -> None:
    blocks = FORMAT_DOC.read_text(encoding="utf-8").split("```json\n")
    example = json.loads(blocks[-1].split("```")[0])
    assert list(Draft202012Validator(json_schema()).iter_errors(example)) == []
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "board-2023.txt").write_text(S2_TEXT, encoding="utf-8")
    with Archive.in_memory() as archive:
        import_file(archive, write(tmp_path / "example.json", example))

        def values(known: str | None) -> dict[str, str]:
            facts = archive.as_of("2023-12-15", known, ["OpenAI"]).to_json()["facts"]
            return {f["value"]: f["status"] for f in facts if f["predicate"] == "valuation"}

        assert values(None) == {"$86 billion": "HOLDS"}
        assert values("2023-12-10") == {"$80 billion": "CONTESTED", "$86 billion": "CONTESTED"}
        then = archive.as_of("2023-12-15", "2023-11-21", ["Sam Altman", "Microsoft"])
        assert [f["predicate"] for f in then.to_json()["facts"]] == ["joined"]
        assert archive.claim("ms-invests-2019").known_at == "2019-07-22"
        assert archive.entity("Optimus")["name"] == "Sam Altman"


# --- the JSON Schema ----------------------------------------------------------------------


def test_the_shipped_schema_is_generated_from_the_models() -> None:
    assert SCHEMA_PATH.name == "hindsight-1.schema.json"
    assert SCHEMA_PATH.parent.name == "schema"
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json_schema(), (
        "run `make schema`")


def test_the_schema_accepts_a_good_document_and_an_export(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for doc in (BASE, GOOD, _derived_ids_doc()):
        assert list(validator.iter_errors(doc)) == []
    with Archive.in_memory() as archive:
        build_rich(archive)
        assert list(validator.iter_errors(export_document(archive))) == []


@pytest.mark.parametrize("change", [
    edit("claims.0.certainty", "high"),
    edit("claims.0.valid", 2019),
    edit("claims.0.sources", "s1"),
    edit("format", "hindsight/2"),
    edit("format", DROP),
    edit("entities.0.kind", "robot"),
    edit("reranks.0.rank", "best"),
    edit("claims.0.subject", DROP),
])
def test_the_schema_refuses_a_document_of_the_wrong_shape(
        change: Callable[[dict[str, Any]], Any]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert not Draft202012Validator(schema).is_valid(change(copy.deepcopy(GOOD)))
