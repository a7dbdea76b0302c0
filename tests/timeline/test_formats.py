"""Interchange formats besides Hindsight JSON (docs/formats.md): CSV import and export,
TimelineJS, CSL-JSON and SQLite exports, round trips on the seed archive, and the CLI."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from jsonschema import Draft202012Validator

from timeline import dates
from timeline.app import Archive
from timeline.errors import InvalidInput
from timeline.formats import Selection, csljson, export_path, import_path, timelinejs
from timeline.formats.csvfile import COLUMNS, import_csv
from timeline.interchange import export_document, import_document, import_file, parse

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "archive.json"

S1_TEXT = "On July 22, 2019, Microsoft announced it would invest $1 billion in OpenAI."
S1_QUOTE = "Microsoft announced it would invest $1 billion in OpenAI"
S2_TEXT = (
    "Mr. Altman's departure follows a deliberative review process by the board.\n"
    "Microsoft CEO Satya Nadella said Microsoft remained\ncommitted to its partnership.")
S2_QUOTE = "Microsoft remained\ncommitted to its partnership"  # spans a line break

#: The archive every CSV is imported into: CSV carries no source texts.
BASE: dict[str, Any] = {
    "format": "hindsight/1",
    "predicates": [{"name": "ceo_of", "label": "was chief executive of", "single": True}],
    "sources": [
        {"id": "s1", "title": "Microsoft invests in OpenAI", "published": "2019-07-22",
         "text": S1_TEXT},
        {"id": "s2", "title": "OpenAI announces leadership transition",
         "published": "2023-11-17", "text": S2_TEXT},
    ],
    "entities": [{"name": "Sam Altman", "kind": "person", "aliases": ["Optimus"]},
                 {"name": "Microsoft", "kind": "organization"}],
}

HEADER = "id,subject,predicate,object,value,valid,known_at,certainty,rank,note,source,quote"


def good_csv() -> str:
    rows = [
        ["\ufeffID", "Subject", "predicate", "object", "value", "valid", "known_at",
         "certainty", "rank", "note", "source", "quote", "source_2", "quote_2"],
        ["g-invested", "Microsoft", "invested_in", "OpenAI", "$1 billion", "2019-07-22/..",
         "", "0.9", "", "", "s1", S1_QUOTE, "", ""],
        ["g-backed", "Satya Nadella", "backed", "Optimus", "", "2023-11-17/..", "", "",
         "preferred", "said so", "s2", S2_QUOTE, "s1", "invest"],
        ["g-ceo", "Sam Altman", "ceo_of", "OpenAI", "", "2019-03/2023-11-17",
         "2019-03-08", "1", "", "", "", "", "", ""],
        ["", "", "", "", "", "", "", "", "", "", "", "", "", ""],  # a blank row is skipped
        ["", "OpenAI", "headcount", "", " about 770 ", "2023-11", "2023-11-21", "", "", "",
         "", "", "", ""],
    ]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def random_day(rng: random.Random, first: str = "2017-01-01", last: str = "2026-06-30") -> str:
    return dates.day_to_iso(rng.randint(dates.parse_day(first), dates.parse_day(last)))


def same_answers(one: Archive, other: Archive, pairs: int = 60, seed: int = 8) -> set[str]:
    """Asks both archives the same random questions "as of V, as known on R" (R mostly in
    2025, when the seed's sources were published; sometimes now); the statuses seen."""
    rng = random.Random(seed)
    seen: set[str] = set()
    answered = 0
    for _ in range(pairs):
        v = random_day(rng)
        r = None if rng.random() < 0.2 else random_day(rng, "2025-02-01", "2025-06-30")
        facts = one.as_of(v, r).to_json()["facts"]
        assert other.as_of(v, r).to_json()["facts"] == facts, (v, r)
        seen.update(f["status"] for f in facts)
        answered += bool(facts)
    assert answered >= pairs // 2  # the sample is not trivial
    return seen


@pytest.fixture
def base() -> Iterator[Archive]:
    with Archive.in_memory() as archive:
        import_document(archive, parse(BASE))
        yield archive


@pytest.fixture(scope="module")
def seed() -> Iterator[Archive]:
    with Archive.in_memory() as archive:
        import_file(archive, SEED)
        yield archive


def skeleton(archive: Archive) -> dict[str, Any]:
    """The archive without its claims: what CSV cannot carry."""
    doc = export_document(archive)
    for section in ("claims", "supersessions", "retractions", "reranks"):
        doc[section] = []
    return doc


# --- CSV import -----------------------------------------------------------------------------


def test_a_csv_file_imports_as_claims(base: Archive, tmp_path: Path) -> None:
    report = import_csv(base, write(tmp_path / "claims.csv", good_csv()))
    assert report.claims == 4
    assert {"Satya Nadella", "OpenAI"} <= {e["name"] for e in base.entities()}
    backed = base.claim("g-backed")
    assert backed.sources == [{"source": "s2", "quote": S2_QUOTE},
                              {"source": "s1", "quote": "invest"}]
    assert backed.known_at == "2023-11-17"  # its first source's publication
    assert backed.object_id == base.entity("Sam Altman")["id"]  # through the alias
    assert (backed.rank, backed.note) == ("preferred", "said so")
    assert base.claim("g-invested").certainty == 0.9
    assert base.claim("g-ceo").known_at == "2019-03-08"
    headcount = next(c for c in base.timeline() if c.predicate == "headcount")
    assert headcount.value == " about 770 "  # free text is kept as written
    assert base.predicates["headcount"] == ("", "")  # undeclared: multi-valued
    facts = {f["id"]: f["status"] for f in base.as_of("2023-11-17").to_json()["facts"]}
    assert (facts["g-ceo"], facts["g-backed"], facts["g-invested"]) == ("HOLDS",) * 3


def test_importing_the_same_csv_twice_adds_nothing(base: Archive, tmp_path: Path) -> None:
    path = write(tmp_path / "claims.csv", good_csv())
    assert import_csv(base, path).events > 0
    events = base.statistics()["events"]
    assert import_csv(base, path).events == 0  # also the row without an id
    assert base.statistics()["events"] == events


def test_import_path_chooses_the_format_by_extension(base: Archive, tmp_path: Path) -> None:
    text = good_csv()
    assert import_path(base, write(tmp_path / "claims.CSV", text)).claims == 4
    with Archive.in_memory() as other:
        import_document(other, parse(BASE))
        assert import_path(other, write(tmp_path / "claims.txt", text), "csv").claims == 4
        with pytest.raises(InvalidInput, match="not valid JSON"):
            import_path(other, tmp_path / "claims.txt")


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


OK_ROW = f"ok-1,Microsoft,invested_in,OpenAI,,2019-07-22/..,,,,,s1,{S1_QUOTE}"

BROKEN: list[tuple[str, str | bytes, str]] = [
    ("bad date in line 3",
     csv_text(OK_ROW, "x,Microsoft,owns,OpenAI,,2023-13,2024,,,,,"),
     "line 3, column valid: '2023-13' is not a valid EDTF date"),
    ("unknown column",
     csv_text(OK_ROW, header=HEADER.replace("valid", "vaild")),
     "line 1: unknown column 'vaild' — did you mean 'valid'?"),
    ("missing required column",
     csv_text("x,Microsoft,owns,OpenAI,,2024,,,,,",
              header=HEADER.replace(",valid", "")),
     "line 1: no 'valid' column; it is required"),
    ("certainty not a number",
     csv_text("x,Microsoft,owns,OpenAI,,2024,2024,high,,,,"),
     "line 2, column certainty: 'high' is not a number from 0 to 1"),
    ("certainty above 1",
     csv_text("x,Microsoft,owns,OpenAI,,2024,2024,1.5,,,,"),
     "line 2, column certainty: '1.5' is not a number from 0 to 1"),
    ("unknown rank",
     csv_text("x,Microsoft,owns,OpenAI,,2024,2024,,top,,,"),
     "line 2, column rank: input should be 'preferred', 'normal' or 'deprecated'"),
    ("unknown source",
     csv_text(OK_ROW, OK_ROW.replace("ok-1", "x").replace(",s1,", ",nope,")),
     "line 3, column source: unknown source 'nope'"),
    ("quote not verbatim",
     csv_text("x,Microsoft,owns,OpenAI,,2024,,,,,s1,Microsoft bought OpenAI"),
     "line 2, column quote: quote 'Microsoft bought OpenAI' is not verbatim in source 's1'"),
    ("second quote not verbatim",
     csv_text("x,Microsoft,owns,OpenAI,,2024,,,,,s1,invest,s2,bought",
              header=HEADER + ",source_2,quote_2"),
     "line 2, column quote_2: quote 'bought' is not verbatim in source 's2'"),
    ("source without quote",
     csv_text("x,Microsoft,owns,OpenAI,,2024,,,,,s1,"),
     "line 2, column quote: is empty"),
    ("empty subject",
     csv_text(OK_ROW, "x, ,owns,OpenAI,,2024,2024,,,,,"),
     "line 3, column subject: is empty"),
    ("neither object nor value",
     csv_text("x,Microsoft,owns,,,2024,2024,,,,,"),
     "line 2, column value: a claim needs a value or an object"),
    ("bad known_at",
     csv_text("x,Microsoft,owns,OpenAI,,2024,someday,,,,,"),
     "line 2, column known_at: 'someday' is not a valid EDTF date"),
    ("bad predicate name",
     csv_text("x,Microsoft,owns a lot,OpenAI,,2024,2024,,,,,"),
     "line 2, column predicate: 'owns a lot' is not a predicate name"),
    ("not UTF-8",
     csv_text(OK_ROW, "x,Müller,owns,OpenAI,,2024,2024,,,,,").encode("latin-1"),
     "line 3: not UTF-8 text (byte 0xfc)"),
    ("no header",
     csv_text("y,Microsoft,owns,OpenAI,,2024,2024,,,,,", header=OK_ROW),
     "line 1: no header row; the first line names the columns: id, subject"),
    ("empty file", "", "line 1: the file is empty"),
    ("too many fields",
     csv_text(OK_ROW, "x,Microsoft,owns,OpenAI,,2024,2024,,,,,,extra"),
     "line 3: 13 fields, but the header (line 1) names 12 columns"),
    ("too few fields",
     csv_text("x,Microsoft,owns,OpenAI,,2024"),
     "line 2: 6 fields, but the header (line 1) names 12 columns"),
    ("duplicate column",
     csv_text(OK_ROW + ",2024", header=HEADER + ",valid"),
     "line 1: column 'valid' appears twice"),
    ("a source column without its quote column",
     csv_text(OK_ROW + ",s2", header=HEADER + ",source_2"),
     "line 1: column 'source_2' has no 'quote_2' column beside it"),
    ("unclosed quotation mark",
     csv_text(OK_ROW, 'x,Microsoft,owns,OpenAI,"2024,2024,,,,,'),
     "line 3: not valid CSV (unexpected end of data)"),
    ("line numbers count the lines of a multi-line row",
     csv_text(f'a,Satya Nadella,said,,yes,2023-11-17,,,,,s2,"{S2_QUOTE}"',
              "x,Microsoft,owns,OpenAI,,2023-02-30,2024,,,,,"),
     "line 4, column valid: '2023-02-30' is not a valid EDTF date: day 30 is out of range"),
]


@pytest.mark.parametrize(("content", "message"), [pytest.param(c, m, id=i) for i, c, m in BROKEN])
def test_a_broken_csv_is_refused_by_place_and_writes_nothing(
        base: Archive, tmp_path: Path, content: str | bytes, message: str) -> None:
    before = base.statistics()
    with pytest.raises(InvalidInput) as refused:
        import_csv(base, write(tmp_path / "broken.csv", content))
    assert str(refused.value).startswith(message), str(refused.value)
    assert "\n" not in str(refused.value)
    assert base.statistics() == before


def test_the_header_lists_the_documented_columns() -> None:
    assert COLUMNS == ("id", "subject", "predicate", "object", "value", "valid", "known_at",
                       "certainty", "rank", "note", "source", "quote")
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    assert all(f"`{column}`" in doc for column in COLUMNS)


# --- CSV export and round trips on the seed archive ---------------------------------------------


def test_csv_export_writes_one_row_a_claim_with_numbered_citation_pairs(
        seed: Archive, tmp_path: Path) -> None:
    assert export_path(seed, "csv", tmp_path / "seed.csv") == "137 claims"
    with (tmp_path / "seed.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == seed.statistics()["claims"]
    most = max(len(seed.claim(r["id"]).sources) for r in rows)
    assert list(rows[0])[-2:] == [f"source_{most}", f"quote_{most}"]
    row = next(r for r in rows if r["id"] == "seed-msft-invests-1b-2019")
    assert (row["subject"], row["object"], row["value"], row["valid"]) == (
        "Microsoft", "OpenAI", "$1 billion", "2019-22")
    assert row["quote"] == ("A year after that encounter, Microsoft invested $1 billion in "
                            "OpenAI.")


def test_csv_round_trip_of_the_seed_archive_gives_the_same_answers(
        seed: Archive, tmp_path: Path) -> None:
    export_path(seed, "csv", tmp_path / "seed.csv")
    with Archive.in_memory() as copied:
        import_document(copied, parse(skeleton(seed)))
        report = import_path(copied, tmp_path / "seed.csv")
        assert report.claims == seed.statistics()["claims"]
        assert report.entities == 0  # the skeleton had them all
        assert copied.statistics()["claims"] == seed.statistics()["claims"]
        assert {"HOLDS", "MAYBE"} <= same_answers(seed, copied)
        for v, names in (("2025-03-31", ["Optimus"]), ("2024-06-30", ["Microsoft"]),
                         ("2025-05-02", ["Satya Nadella", "Sam Altman"])):
            assert (copied.as_of(v, None, names).to_json()
                    == seed.as_of(v, None, names).to_json()), (v, names)
        assert import_path(copied, tmp_path / "seed.csv").events == 0


def test_json_round_trip_of_the_seed_archive_gives_the_same_answers(
        seed: Archive, tmp_path: Path) -> None:
    export_path(seed, "json", tmp_path / "seed.json")
    with Archive.in_memory() as copied:
        import_path(copied, tmp_path / "seed.json")
        assert copied.statistics() == seed.statistics()
        assert {"HOLDS", "MAYBE"} <= same_answers(seed, copied, seed=9)
        assert copied.entities() == seed.entities()


def corrected(archive: Archive) -> None:
    """The base archive with claims retracted, superseded and reranked."""
    r = archive.record
    joined = r("Sam Altman", "joined", object="Microsoft", valid="2023-11-20/..",
               known_at="2023-11-20")
    archive.retract(joined, "2023-11-22", "he returned to OpenAI")
    r("Sam Altman", "ceo_of", object="OpenAI", valid="2019-03/2023-11-17",
      known_at="2019-03-08")
    r("Mira Murati", "ceo_of", object="OpenAI", valid="2023-11-17/2023-11-19",
      known_at="2023-11-17", sources=[("s2", "Mr. Altman's departure")])
    val80 = r("OpenAI", "valuation", value="$80 billion", valid="2023-11/2024-01",
              known_at="2023-12-01")
    r("OpenAI", "valuation", value="$86 billion", valid="2023-11/2024-01",
      known_at="2023-12-05")
    archive.define_predicate("valuation", single=True)
    archive.rerank(val80, "preferred", "2024-01-15")
    stake = r("Microsoft", "stake_in", object="OpenAI", value="49%", valid="2019-07-22/..",
              known_at="2023-01-23", sources=[("s1", S1_QUOTE)])
    archive.supersede(stake, known_at="2023-06-01", value="49% of the profits")


def test_csv_round_trip_keeps_the_answers_as_known_now_despite_corrections(
        base: Archive, tmp_path: Path) -> None:
    corrected(base)
    export_path(base, "csv", tmp_path / "claims.csv")
    with open(tmp_path / "claims.csv", encoding="utf-8") as f:
        assert len(list(csv.reader(f))) - 1 == base.statistics()["claims"] - 2  # live only
    with Archive.in_memory() as copied:
        import_document(copied, parse(skeleton(base)))
        import_csv(copied, tmp_path / "claims.csv")
        rng = random.Random(3)
        for _ in range(50):
            v = random_day(rng)
            assert copied.as_of(v).to_json() == base.as_of(v).to_json(), v


def test_filters_select_the_state_on_a_day_and_claims_about_an_entity(
        seed: Archive, tmp_path: Path) -> None:
    export_path(seed, "csv", tmp_path / "altman.csv", Selection(entity="Optimus"))
    altman = seed.entity("Sam Altman")["id"]
    with open(tmp_path / "altman.csv", encoding="utf-8") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    assert ids and all(altman in (seed.claim(i).subject_id, seed.claim(i).object_id)
                       for i in ids)
    state = seed.as_of("2025-03-01", None, ["Optimus"]).facts
    written = export_path(seed, "csv", tmp_path / "then.csv", Selection("2025-03-01", "Optimus"))
    assert written == f"{len(state)} claims"
    with open(tmp_path / "then.csv", encoding="utf-8") as f:
        assert [row["id"] for row in csv.DictReader(f)] == [fact.claim.id for fact in state]


# --- TimelineJS -------------------------------------------------------------------------------

_TL_NUMBER = {"type": ["string", "integer"], "pattern": "^-?[0-9]+$"}


def _tl_part(lo: int, hi: int) -> dict[str, Any]:
    """A number from lo to hi, or the same as a string."""
    return {"type": ["string", "integer"], "minimum": lo, "maximum": hi,
            "pattern": f"^({'|'.join(map(str, range(lo, hi + 1)))})$"}


#: TimelineJS 3's documented JSON format (timeline.knightlab.com/docs/json-format.html).
TIMELINEJS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "date": {
            "type": "object", "required": ["year"], "additionalProperties": False,
            "properties": {"year": _TL_NUMBER, "month": _tl_part(1, 12), "day": _tl_part(1, 31),
                           "hour": _tl_part(0, 23), "minute": _tl_part(0, 59),
                           "second": _tl_part(0, 59), "millisecond": _tl_part(0, 999),
                           "display_date": {"type": "string"}, "format": {"type": "string"}},
            "dependentRequired": {"day": ["month"]},
        },
        "text": {"type": "object", "additionalProperties": False,
                 "properties": {"headline": {"type": "string"}, "text": {"type": "string"}}},
        "slide": {
            "type": "object", "additionalProperties": False,
            "properties": {"start_date": {"$ref": "#/$defs/date"},
                           "end_date": {"$ref": "#/$defs/date"},
                           "text": {"$ref": "#/$defs/text"}, "media": {"type": "object"},
                           "group": {"type": "string"}, "display_date": {"type": "string"},
                           "background": {"type": "object"}, "autolink": {"type": "boolean"},
                           "unique_id": {"type": "string"}},
        },
        "event": {"allOf": [{"$ref": "#/$defs/slide"}, {
            "required": ["start_date", "text", "unique_id"],
            "properties": {"text": {"required": ["headline"]}}}]},
    },
    "type": "object", "required": ["events"], "additionalProperties": False,
    "properties": {
        "title": {"$ref": "#/$defs/slide"},
        "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
        "eras": {"type": "array"},
        "scale": {"enum": ["human", "cosmological"]},
    },
}


def exported_valid(archive: Archive, fmt: str, path: Path, schema: dict[str, Any],
                   written: str) -> Any:
    """Export, check what the export says it wrote, and validate the file against a schema."""
    assert export_path(archive, fmt, path) == written
    data = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert errors == [], errors[0].message
    return data


def _as_date(parts: dict[str, str]) -> tuple[int, ...]:
    return tuple(int(parts[k]) for k in ("year", "month", "day") if k in parts)


def test_timelinejs_export_follows_the_documented_format(seed: Archive, tmp_path: Path) -> None:
    doc = exported_valid(seed, "timelinejs", tmp_path / "tl.json", TIMELINEJS_SCHEMA,
                         "136 events")
    ids = [e["unique_id"] for e in doc["events"]]
    # Every claim but the one valid ../.. (always: no date to place it at), the Ohio
    # campuses' part_of (docs/seed-archive.md, "Parts").
    assert len(ids) == len(set(ids)) == seed.statistics()["claims"] - 1
    assert "seed-ohio-campuses-part-of-microsoft" not in ids
    for event in doc["events"]:
        if "end_date" in event:
            assert _as_date(event["end_date"]) >= _as_date(event["start_date"])
    events = {e["unique_id"]: e for e in doc["events"]}
    invested = events["seed-msft-invests-1b-2019"]
    assert invested["start_date"]["year"] == "2019"
    assert "group" not in invested  # 34 subjects: no groups (more than eight)
    assert invested["display_date"] == "summer 2019"  # 2019-22, as the archive has it
    assert invested["text"]["headline"] == "Microsoft invested $1 billion in OpenAI"
    assert "<cite>[Optimus and Nadella, growing apart]" in invested["text"]["text"]
    assert "A year after that encounter" in invested["text"]["text"]
    assert "end_date" not in events["seed-msft-servers-for-gpt45"]
    assert events["seed-msft-servers-for-gpt45"]["start_date"] == {
        "year": "2025", "month": "2", "day": "20"}


@pytest.mark.parametrize("event", [
    {"start_date": {"month": "7"}, "text": {"headline": "h"}, "unique_id": "a"},
    {"start_date": {"year": "2019", "month": "13"}, "text": {"headline": "h"}, "unique_id": "a"},
    {"start_date": {"year": "2019", "day": "2"}, "text": {"headline": "h"}, "unique_id": "a"},
    {"start_date": {"year": "2019"}, "text": {"text": "no headline"}, "unique_id": "a"},
    {"start_date": {"year": "2019"}, "text": {"headline": "h"}, "unique_id": "a", "x": 1},
])
def test_the_timelinejs_schema_would_catch_a_bad_event(event: dict[str, Any]) -> None:
    assert not Draft202012Validator(TIMELINEJS_SCHEMA).is_valid({"events": [event]})


@pytest.mark.parametrize(("valid", "start", "end"), [
    ("2019-07-22/..", {"year": "2019", "month": "7", "day": "22"}, None),
    ("2019-07", {"year": "2019", "month": "7"}, None),
    ("2024", {"year": "2024"}, None),
    ("2025-02-20~", {"year": "2025", "month": "2", "day": "20"}, None),
    ("2023-11~/..", {"year": "2023", "month": "11"}, None),
    ("2016-11/", {"year": "2016", "month": "11"}, None),
    ("2018-06/2018-08", {"year": "2018", "month": "6"}, {"year": "2018", "month": "8"}),
    ("2024-12-21/2024-12-31", {"year": "2024", "month": "12", "day": "21"},
     {"year": "2024", "month": "12", "day": "31"}),
    ("2024-05~/2025", {"year": "2024", "month": "5"}, {"year": "2025"}),
    ("2019-22", {"year": "2019", "month": "6"}, None),  # a season starts its first month
    ("201X/2023", {"year": "2010"}, {"year": "2023"}),
    ("/2025-04", {"year": "2025", "month": "4"}, None),  # unknown start: placed at the end
    ("../2019", {"year": "2019"}, None),
    ("-0043-03-15", {"year": "-43", "month": "3", "day": "15"}, None),
    ("../..", None, None),
])
def test_timelinejs_dates_keep_the_precision_of_the_edtf_date(
        valid: str, start: dict[str, str] | None, end: dict[str, str] | None) -> None:
    assert timelinejs._dates(valid) == (start, end)


def test_timelinejs_filters_by_day_and_entity(seed: Archive) -> None:
    doc = timelinejs.document(seed, Selection("2025-03-31", "Optimus"))
    state = seed.as_of("2025-03-31", None, ["Optimus"])
    assert [e["unique_id"] for e in doc["events"]] == [f.claim.id for f in state.facts]
    assert {e["text"]["text"].split(" ")[0].removeprefix("<p>") for e in doc["events"]} <= {
        "HOLDS", "MAYBE", "CONTESTED", "DISPUTED"}
    assert "about Optimus as of 2025-03-31" in doc["title"]["text"]["text"]


# --- CSL-JSON ---------------------------------------------------------------------------------

_DATE_PARTS = {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}}

#: The shape CSL-JSON requires of an item (citation-style-language/schema, csl-data.json).
CSL_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object", "required": ["id", "type"],
        "properties": {
            "id": {"type": ["string", "number"]},
            "type": {"enum": ["article", "article-journal", "article-magazine",
                              "article-newspaper", "book", "document", "webpage", "report"]},
            "title": {"type": "string"},
            "URL": {"type": "string"},
            "note": {"type": "string"},
            "issued": {
                "type": "object", "required": ["date-parts"],
                "properties": {
                    "date-parts": {"type": "array", "minItems": 1, "maxItems": 2,
                                   "items": _DATE_PARTS},
                    "circa": {"type": ["string", "number", "boolean"]},
                },
            },
        },
    },
}


def test_csl_json_export_lists_the_sources_as_bibliography_items(
        seed: Archive, tmp_path: Path) -> None:
    found = exported_valid(seed, "csl-json", tmp_path / "sources.json", CSL_SCHEMA,
                           "3 sources")
    items = {i["id"]: i for i in found}
    assert set(items) == {s["id"] for s in seed.sources()}
    translated = items["002_e4e0b306e2a42f4d.txt"]
    assert translated["title"].startswith("[Optimus and Nadella, growing apart]")
    assert translated["issued"] == {"date-parts": [[2025, 5, 2]]}
    assert translated["note"] == "Hindsight source 002_e4e0b306e2a42f4d.txt"
    assert items["000_e0dfffa43aa9817f.txt"]["issued"] == {"date-parts": [[2025, 2, 20]],
                                                          "circa": True}
    assert items["001_f40d3ba9dc3644ac.txt"]["issued"] == {"date-parts": [[2025, 3]]}


@pytest.mark.parametrize(("published", "issued"), [
    ("2025-05-02", {"date-parts": [[2025, 5, 2]]}),
    ("2025-02-20~", {"date-parts": [[2025, 2, 20]], "circa": True}),
    ("2025-03", {"date-parts": [[2025, 3]]}),
    ("2024?", {"date-parts": [[2024]], "circa": True}),
    ("2019-22", {"date-parts": [[2019, 6], [2019, 8]]}),
    ("201X", {"date-parts": [[2010], [2019]]}),
    ("-0043-03-15", {"date-parts": [[-44, 3, 15]]}),
])
def test_csl_dates_have_as_many_parts_as_the_edtf_date(published: str,
                                                       issued: dict[str, Any]) -> None:
    assert csljson.issued(published) == issued


def test_csl_json_with_a_filter_lists_only_the_cited_sources(base: Archive) -> None:
    base.record("Microsoft", "invested_in", object="OpenAI", valid="2019-07-22/..",
                sources=[("s1", S1_QUOTE)])
    base.add_source("s3", "A web page", "2024", "Some text.", url="https://example.org/a")
    assert [i["id"] for i in csljson.items(base, Selection(entity="Microsoft"))] == ["s1"]
    web = csljson.items(base, Selection())[-1]
    assert (web["type"], web["URL"]) == ("webpage", "https://example.org/a")


# --- SQLite -----------------------------------------------------------------------------------


def test_sqlite_export_is_a_searchable_copy_of_the_read_model(
        seed: Archive, tmp_path: Path) -> None:
    assert export_path(seed, "sqlite", tmp_path / "seed.db") == "137 claims"
    db = sqlite_utils.Database(tmp_path / "seed.db")
    counts = seed.statistics()
    assert db["claims"].count == counts["claims"]
    assert db["sources"].count == counts["sources"]
    assert db["entities"].count == len(seed.entities())
    assert db["citations"].count == sum(len(seed.claim(i).sources)
                                        for i in seed.readmodel.claim_ids())
    assert {fk.other_table for fk in db["claims"].foreign_keys} == {"entities", "predicates"}
    assert {fk.other_table for fk in db["citations"].foreign_keys} == {"claims", "sources"}
    stairwell = list(db["citations"].search("stairwell"))
    assert stairwell and all("stairwell" in c["quote"] for c in stairwell)
    assert any(c["quote"].startswith("In the summer of 2018, at an annual conference in Idaho")
               for c in stairwell)
    assert len(list(db["citations"].search("Optimus"))) > 5
    assert list(db["sources"].search("Idaho"))[0]["id"] == "002_e4e0b306e2a42f4d.txt"
    invested = db["claims"].get("seed-msft-invests-1b-2019")
    assert (invested["start_lo"], invested["start_hi"]) == ("2019-06-01", "2019-08-31")
    assert invested["statement"] == "Microsoft invested $1 billion in OpenAI"
    assert json.loads(invested["sources"])[0]["source"] == "002_e4e0b306e2a42f4d.txt"
    # The query docs/formats.md shows for Datasette's SQL box.
    rows = db.execute(
        "SELECT claims.id FROM claims JOIN claims_fts ON claims.rowid = claims_fts.rowid "
        "WHERE claims_fts MATCH ? ORDER BY claims.start_lo", ["invested"]).fetchall()
    assert ("seed-msft-invests-1b-2019",) in rows
    assert dict(db.execute("SELECT key, value FROM about").fetchall())["format"] == (
        "hindsight-sqlite/1")
    db.close()


def test_sqlite_export_keeps_withdrawn_claims_and_corrections(base: Archive,
                                                             tmp_path: Path) -> None:
    corrected(base)
    export_path(base, "sqlite", tmp_path / "fixed.db")
    db = sqlite_utils.Database(tmp_path / "fixed.db")
    assert db["claims"].count == base.statistics()["claims"]
    withdrawn = {r["withdrawn_at"] for r in db["claims"].rows if r["withdrawn_at"]}
    assert withdrawn == {"2023-11-22", "2023-06-01"}
    kinds = sorted(r["kind"] for r in db["corrections"].rows)
    assert kinds == ["reranked", "retracted", "superseded"]
    db.close()
    export_path(base, "sqlite", tmp_path / "now.db", Selection("2023-12-10"))
    with sqlite3.connect(tmp_path / "now.db") as con:
        statuses = dict(con.execute("SELECT value, status FROM claims WHERE value LIKE '$%'"))
    assert statuses == {"$80 billion": "HOLDS"}  # preferred over $86 billion


# --- writing files ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "timelinejs", "csl-json", "sqlite"])
def test_a_failed_export_leaves_the_earlier_file_and_no_partial_one(
        base: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    target = write(tmp_path / "out", "the earlier export")

    def broken(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Path, "replace", broken)
    with pytest.raises(RuntimeError):
        export_path(base, fmt, target)
    assert target.read_text() == "the earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_unknown_formats_and_filters_on_json_are_refused(base: Archive, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"'xml' is not a supported export format "
                                           r"\(json, csv, timelinejs, csl-json, sqlite, site\)"):
        export_path(base, "xml", tmp_path / "out.xml")
    with pytest.raises(InvalidInput, match="whole archive"):
        export_path(base, "json", tmp_path / "out.json", Selection(entity="Microsoft"))
    with pytest.raises(InvalidInput, match="not a format Hindsight imports"):
        import_path(base, tmp_path / "x.csv", "xlsx")
    assert list(tmp_path.iterdir()) == []


# --- the command line -------------------------------------------------------------------------


def hindsight(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HINDSIGHT_SEEDS"}
    env.update(XDG_DATA_HOME=str(cwd / "xdg"), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "timeline", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed archive imported, then exported in every format, by the command line."""
    root = tmp_path_factory.mktemp("cli")
    done = hindsight(root, "--archive", "seed.sqlite", "import", str(SEED))
    assert done.returncode == 0, done.stderr
    for fmt, name in (("json", "seed.json"), ("csv", "seed.csv"), ("timelinejs", "tl.json"),
                      ("csl-json", "csl.json"), ("sqlite", "seed.db")):
        done = hindsight(root, "--archive", "seed.sqlite", "export", "--to", fmt, name)
        assert done.returncode == 0, done.stderr
        assert done.stderr.startswith("exported ") and done.stdout == ""
    return root


def test_cli_exports_every_format(exported: Path, seed: Archive) -> None:
    claims = seed.statistics()["claims"]
    assert len(json.loads((exported / "seed.json").read_text())["claims"]) == claims
    assert len(json.loads((exported / "tl.json").read_text())["events"]) == claims - 1  # ../..
    assert len(json.loads((exported / "csl.json").read_text())) == 3
    with sqlite3.connect(exported / "seed.db") as con:
        assert con.execute("SELECT count(*) FROM claims").fetchone() == (claims,)
    with open(exported / "seed.csv", encoding="utf-8") as f:
        assert sum(1 for _ in csv.DictReader(f)) == claims


def test_cli_filters_an_export(exported: Path) -> None:
    done = hindsight(exported, "--archive", "seed.sqlite", "export", "--to", "timelinejs",
                     "altman.json", "--entity", "Optimus", "--as-of", "2025-03-31",
                     "--group-by", "subject")
    assert done.returncode == 0, done.stderr
    groups = {e["group"] for e in json.loads((exported / "altman.json").read_text())["events"]}
    assert "Sam Altman" in groups


def test_cli_imports_a_csv_into_an_archive_holding_its_sources(
        exported: Path, count_events: Callable[[Path], int]) -> None:
    doc = json.loads((exported / "seed.json").read_text(encoding="utf-8"))
    write(exported / "skeleton.json", json.dumps({**doc, "claims": []}))
    assert hindsight(exported, "--archive", "copy.sqlite", "import", "skeleton.json"
                     ).returncode == 0
    done = hindsight(exported, "--archive", "copy.sqlite", "import", "seed.csv")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("imported seed.csv: ")
    assert f"({len(doc['claims'])} claims, 0 sources, 0 entities)" in done.stderr
    assert count_events(exported / "copy.sqlite") == count_events(exported / "seed.sqlite")


def test_cli_refuses_a_broken_csv_in_one_line_and_writes_nothing(
        exported: Path, count_events: Callable[[Path], int]) -> None:
    with open(exported / "seed.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if "\n" not in "".join(r.values())][:4]
    rows[1]["valid"] = "2025-13"  # line 3: the header and one row come before it
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    write(exported / "broken.csv", out.getvalue())
    events = count_events(exported / "seed.sqlite")
    done = hindsight(exported, "--archive", "seed.sqlite", "import", "broken.csv")
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr == ("hindsight: error: line 3, column valid: '2025-13' is not a "
                           "valid EDTF date\n")
    assert count_events(exported / "seed.sqlite") == events


def test_cli_refuses_an_unknown_export_format(exported: Path) -> None:
    done = hindsight(exported, "--archive", "seed.sqlite", "export", "--to", "xml", "x.xml")
    assert done.returncode != 0
    assert done.stderr == ("hindsight: error: --to: 'xml' is not a supported export format "
                           "(json, csv, timelinejs, csl-json, sqlite, site, svg, png, pdf)\n")
    assert not (exported / "x.xml").exists()


def test_a_long_csv_is_written_as_it_goes_and_still_all_or_nothing(tmp_path: Path) -> None:
    """A CSV import stages into a bulk batch (written every few rows into one open
    transaction), so a large file is not held in memory; a bad row near the end still leaves
    nothing written, on disk too."""
    rows = [HEADER] + [f"bulk-{k},Sam Altman,staff,,{k},2023,2024,,,,," for k in range(60)]
    good, bad = "\n".join(rows) + "\n", "\n".join(rows[:58] + [rows[58].replace("2023",
                                                                              "2023-02-30")])
    for name, content, claims in (("bad", bad, 0), ("good", good, 60)):
        path = tmp_path / f"{name}.sqlite"
        with Archive.open(path) as archive:
            import_document(archive, parse(BASE))
            before = archive.store.max_position()
            writes: list[int] = []
            original = archive.store.append

            def counted(events: Any, original: Any = original, writes: list[int] = writes
                        ) -> Any:
                writes.append(len(events))
                return original(events)

            archive.store.append = counted  # type: ignore[method-assign]
            archive.bulk_batch = functools.partial(  # type: ignore[method-assign]
                archive.bulk_batch, 10)
            if claims:
                assert import_csv(archive, write(tmp_path / "good.csv", content)).claims == 60
                assert len(writes) >= 6 and max(writes) <= 11  # written as it went
            else:
                with pytest.raises(InvalidInput, match=r"^line 59, column valid: .*day 30"):
                    import_csv(archive, write(tmp_path / "bad.csv", content))
                assert len(writes) >= 5  # most rows were written before the bad one was read
        with Archive.open(path) as archive:
            assert archive.store.max_position() == before + claims + (1 if claims else 0)
            assert archive.readmodel.counts()["claims"] == claims
