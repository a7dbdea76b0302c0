"""Sets of dates, EDTF level 2 (issue 16, item 4): "one of a set" as a valid time and at
either end of an interval; "all of a set" refused (docs/time-model.md, "One of a set")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import dates, edtf_sets
from timeline.app import Archive
from timeline.dates import (
    DateError,
    Status,
    day_to_iso,
    known_day,
    parse_date,
    parse_day,
    parse_span,
    status,
)
from timeline.datewords import edtf_words
from timeline.formats.timelinejs import _dates as timelinejs_dates
from timeline.interchange import export_file, import_file

# (valid, start_lo, start_hi, end_lo, end_hi); ".." is a sentinel (open).
SPANS = [
    ("[2023-11-19,2023-11-20]", "2023-11-19", "2023-11-20", "2023-11-20", "2023-11-21"),
    ("[..2023-06]", "..", "2023-06-30", "..", "2023-07-01"),
    ("[1760..]", "1760-01-01", "..", "1760-01-02", ".."),
    ("[1667..1670]", "1667-01-01", "1670-12-31", "1667-01-02", "1671-01-01"),
    ("[1667,1668,1670..1672]", "1667-01-01", "1672-12-31", "1667-01-02", "1673-01-01"),
    ("[1668,1667]", "1667-01-01", "1668-12-31", "1667-01-02", "1669-01-01"),
    ("[2023-11~,2024]", "2023-10-01", "2024-12-31", "2023-10-02", "2025-01-01"),
    ("[1985-XX,1986]", "1985-01-01", "1986-12-31", "1985-01-02", "1987-01-01"),
    ("[-0044..-0043]", "-0044-01-01", "-0043-12-31", "-0044-01-02", "-0042-01-01"),
    ("[..1760-12-03,1762]", "..", "1762-12-31", "..", "1763-01-01"),
    # a set at an end: neither end reaches past the other's last possible day
    ("2021/[..2023-06]", "2021-01-01", "2021-12-31", "2021-01-02", "2023-07-01"),
    ("2021-03-05/[..2023-06]", "2021-03-05", "2021-03-05", "2021-03-06", "2023-07-01"),
    ("[1760..]/1800-05-05", "1760-01-01", "1800-05-05", "1800-05-06", "1800-05-06"),
    ("[..2023-06]/2021", "..", "2021-12-31", "2021-01-02", "2022-01-01"),
    ("[2019,2020]/[2022,2023]", "2019-01-01", "2020-12-31", "2022-01-02", "2024-01-01"),
    ("[2019,2020]/..", "2019-01-01", "2020-12-31", "..", ".."),
    ("../[2019,2020]", "..", "..", "2019-01-02", "2021-01-01"),
    ("/[..2023-06]", "..", "2023-06-30", "..", "2023-07-01"),
    ("[1760..]/", "1760-01-01", "..", "1760-01-02", ".."),
    ("[2019,2020]..", "2019-01-01", "2020-12-31", "..", ".."),
]


@pytest.mark.parametrize(("valid", "start_lo", "start_hi", "end_lo", "end_hi"), SPANS,
                         ids=[s[0] for s in SPANS])
def test_the_four_bounds_of_a_set(valid: str, start_lo: str, start_hi: str, end_lo: str,
                                  end_hi: str) -> None:
    span = parse_span(valid)
    assert tuple(map(day_to_iso, (span.start_lo, span.start_hi, span.end_lo, span.end_hi))) == (
        start_lo, start_hi, end_lo, end_hi)


# The worked examples of docs/time-model.md, "One of a set": (valid, day, status).
STATUSES = [
    ("[2023-11-19,2023-11-20]", "2023-11-18", Status.NOT),
    ("[2023-11-19,2023-11-20]", "2023-11-19", Status.MAYBE),
    ("[2023-11-19,2023-11-20]", "2023-11-20", Status.MAYBE),
    ("[2023-11-19,2023-11-20]", "2023-11-21", Status.NOT),
    ("[..2023-06]", "1900-01-01", Status.MAYBE),
    ("[..2023-06]", "2023-06-30", Status.MAYBE),
    ("[..2023-06]", "2023-07-01", Status.NOT),
    ("[1760..]", "1759-12-31", Status.NOT),
    ("[1760..]", "1760-01-01", Status.MAYBE),
    ("[1760..]", "2025-01-01", Status.MAYBE),
    ("[1667..1670]", "1666-12-31", Status.NOT),
    ("[1667..1670]", "1669-06-01", Status.MAYBE),
    ("[1667..1670]", "1671-01-01", Status.NOT),
    ("2021/[..2023-06]", "2020-12-31", Status.NOT),
    ("2021/[..2023-06]", "2021-01-01", Status.MAYBE),
    ("2021/[..2023-06]", "2023-06-30", Status.MAYBE),
    ("2021/[..2023-06]", "2023-07-01", Status.NOT),
    ("2021-03-05/[..2023-06]", "2021-03-04", Status.NOT),
    ("2021-03-05/[..2023-06]", "2021-03-05", Status.HOLDS),  # it held on its first day
    ("2021-03-05/[..2023-06]", "2021-03-06", Status.MAYBE),
    ("2021-03-05/[..2023-06]", "2023-06-30", Status.MAYBE),
    ("2021-03-05/[..2023-06]", "2023-07-01", Status.NOT),
    ("[1760..]/1800-05-05", "1800-05-04", Status.MAYBE),
    ("[1760..]/1800-05-05", "1800-05-05", Status.HOLDS),  # it held on its last day
    ("[1760..]/1800-05-05", "1800-05-06", Status.NOT),
    ("[2019,2020]/..", "2020-06-01", Status.MAYBE),
    ("[2019,2020]/..", "2020-12-31", Status.HOLDS),
    ("[2019,2020]/..", "2030-01-01", Status.HOLDS),
]


@pytest.mark.parametrize(("valid", "day", "expected"), STATUSES, ids=str)
def test_status_on_a_day(valid: str, day: str, expected: Status) -> None:
    assert status(parse_span(valid), parse_day(day)) == expected


REFUSED = [
    ("{1667,1668}", "'{1667,1668}' is valid EDTF but not supported here: {...} means all of "
                    "these dates"),
    ("2021/{2022,2023}", "'2021/{2022,2023}' is valid EDTF but not supported here: {...}"),
    ("[1667, 1668]", "'[1667, 1668]' is not a valid EDTF date: a set is written without blanks"),
    ("[1667..1665]", "'[1667..1665]' is not a valid set of dates: 1667..1665 ends before it "
                     "starts"),
    ("[2023-02-29,2024]", "'[2023-02-29,2024]' is not a valid EDTF date: day 29 is out of "
                          "range for 2023-02"),
    ("2024/[..2023-06]", "'2024/[..2023-06]' ends before it starts"),
    ("[1667,1668]~", "'[1667,1668]~' is not a valid EDTF date"),
    ("[]", "'[]' is not a valid EDTF date"),
    ("[..]", "'[..]' is not a valid EDTF date"),
    ("[1667]", "'[1667]' is not a valid EDTF date"),
    ("[1667,..1668]", "'[1667,..1668]' is not a valid EDTF date"),
    ("[2001-21,2002]", "'[2001-21,2002]' is not a valid EDTF date"),
    ("[XXXX-XX,1986]", "'[XXXX-XX,1986]' has no bounds"),
    ("[Y-300000,1668]", "'[Y-300000,1668]' is not a valid EDTF date"),
    ("2021/[2022,2023", "'2021/[2022,2023' is not a valid EDTF date"),
    ("2021-02-29/[..2023]", "'2021-02-29/[..2023]' is not a valid EDTF date: day 29"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_what_is_refused_and_why(text: str, message: str) -> None:
    with pytest.raises(DateError) as info:
        parse_span(text)
    assert str(info.value).startswith(message)
    with pytest.raises(DateError):
        edtf_words(text)


@pytest.mark.parametrize("read", [parse_date, parse_day, known_day], ids=lambda f: f.__name__)
def test_a_set_is_only_ever_a_valid_time(read: Any) -> None:
    """A known time, a publication date or the day asked about is one date."""
    with pytest.raises(DateError, match="a set of dates .* can only be the valid time of a "
                                        "claim"):
        read("[2023-11-19,2023-11-20]")
    with pytest.raises(DateError, match="all of them"):
        read("{2023-11-19,2023-11-20}")


_closed = st.sampled_from(["1667", "1668-03", "1668-03-04", "-0043-03-15", "1985-XX", "201X",
                           "2023-11~", "1700-02-28", "1666..1667", "1701-01..1702-12"])


@st.composite
def _members(draw: st.DrawFn) -> list[str]:
    """A set's members: dates and runs, perhaps led by one open before (EDTF has it first)
    and ended by one open after (last); never one closed date alone (``[1667]`` is not EDTF).
    """
    closed = draw(st.lists(_closed, max_size=4))
    before = draw(st.sampled_from(["", "..1650", "..1700-02"]))
    after = draw(st.sampled_from(["", "1800..", "1760-12.."]))
    members = [m for m in (before, *closed, after) if m]
    return members if len(members) > 1 or (members and ".." in members[0]) else ["1667", "1668"]


def _alone(member: str) -> dates.Span:
    """A member read on its own: a date, or a run or open member as the interval it spans."""
    before, dots, after = member.partition("..")
    if not dots:
        return parse_span(member)
    return parse_span(f"{before or '..'}/{after or '..'}")


def bounds(span: dates.Span) -> tuple[int, int, int, int]:
    return span.start_lo, span.start_hi, span.end_lo, span.end_hi


@settings(max_examples=150, deadline=None)
@given(_members(), st.randoms())
def test_a_set_spans_its_members_in_any_order(members: list[str], random: Any) -> None:
    """Its days run from the first day any member may be to the last: the hull of the members,
    each read as the date or interval it is on its own; the order the closed members are
    written in is nothing to it."""
    alone = [_alone(m) for m in members]
    span = parse_span(f"[{','.join(members)}]")
    assert (span.start_lo, span.end_hi) == (min(a.start_lo for a in alone),
                                            max(a.end_hi for a in alone))
    first = 1 if members[0].startswith("..") else 0
    last = len(members) - (1 if members[-1].endswith("..") else 0)
    middle = members[first:last]
    random.shuffle(middle)
    shuffled = [*members[:first], *middle, *members[last:]]
    assert bounds(parse_span(f"[{','.join(shuffled)}]")) == bounds(span)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([s[0] for s in SPANS] + ["2023-11-17/[2023-12,2024-01]",
                                                "[2023-11-17,2023-11-18]/2023-11-30",
                                                "2023-11~/[..2024]", "2019-XX/[2020,2021]"]))
def test_the_fast_path_reads_the_plain_end_beside_a_set_as_the_general_path(valid: str) -> None:
    """An interval with a set at an end reads its plain end through the fast path when it can;
    with it off, the same bounds."""
    fast = bounds(parse_span(valid))
    caches = (dates.parse_span, dates.parse_date, dates._side_bounds, dates._fast_bounds,
              edtf_sets.parse_one_of)
    for cache in caches:
        cache.cache_clear()
    dates._FAST = False
    try:
        assert bounds(parse_span(valid)) == fast
    finally:
        dates._FAST = True
        for cache in caches:
            cache.cache_clear()


WORDS = [
    ("[2023-11-19,2023-11-20]", "19 or 20 November 2023"),
    ("[2023-11-19,2023-11-20,2023-11-22]", "19, 20 or 22 November 2023"),
    ("[2023-06,2023-07]", "June or July 2023"),
    ("[2023-12,2024-01]", "December 2023 or January 2024"),
    ("[..2023-06]", "on or before June 2023"),
    ("[1760..]", "1760 or later"),
    ("[-0043..]", "44 BCE or later"),
    ("[1667..1670]", "some time in 1667–1670"),
    ("[1667,1668,1670..1672]", "1667, 1668 or some time in 1670–1672"),
    ("[2023-11~,2024]", "about November 2023 or 2024"),
    ("[..1760-12-03,1762]", "on or before 3 December 1760 or 1762"),
    ("2021/[..2023-06]", "from 2021, left some time before July 2023"),
    ("2021-03-05/[..2023-06-04]", "from 5 March 2021, left some time before 5 June 2023"),
    ("2021/[..2023]", "from 2021, left some time before 2024"),
    ("[1760,1761]/1800", "from 1760 or 1761 until 1800"),
    ("[1760..]/1800-05-05", "from 1760 or later until 5 May 1800"),
    ("[..2023-06]/2021", "began on or before June 2023, until 2021"),
    ("[1760..]/", "from 1760 or later (end unknown)"),
    ("[2019,2020]/..", "from 2019 or 2020"),
    ("../[2019,2020]", "until 2019 or 2020"),
    ("/[..2023-06]", "until some time before July 2023 (start unknown)"),
]


@pytest.mark.parametrize(("valid", "words"), WORDS, ids=[w[0] for w in WORDS])
def test_in_words(valid: str, words: str) -> None:
    assert edtf_words(valid) == words


def test_timelinejs_places_a_set_from_its_first_member_to_its_last() -> None:
    assert timelinejs_dates("[2023-11-19,2023-11-20]") == (
        {"year": "2023", "month": "11", "day": "19"}, {"year": "2023", "month": "11", "day": "20"})
    assert timelinejs_dates("[..2023-06]") == ({"year": "2023", "month": "6"}, None)
    assert timelinejs_dates("[1760..]") == ({"year": "1760"}, None)
    assert timelinejs_dates("2021/[..2023-06]") == ({"year": "2021"},
                                                    {"year": "2023", "month": "6"})


# --- through the CLI and a Hindsight JSON file -------------------------------------------------


def hindsight(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_DATA_HOME=str(archive.parent / "xdg"), COLUMNS="160",
               PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "timeline", "--archive", str(archive), *args],
                          capture_output=True, text=True, env=env)


def test_record_and_ask_with_a_set_of_dates(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    done = hindsight(path, "record", "Sam Altman", "met", "--object", "Satya Nadella",
                     "--valid", "[2023-11-19,2023-11-20]", "--known-at", "2024")
    assert done.returncode == 0, done.stderr
    asked = hindsight(path, "as-of", "2023-11-20")
    assert "MAYBE   [2023-11-19,2023-11-20]" in asked.stdout
    assert "Sam Altman met Satya Nadella" in hindsight(path, "as-of", "2023-11-19").stdout
    assert "Sam Altman" not in hindsight(path, "as-of", "2023-11-21").stdout
    for args, message in [
        (("--valid", "{2023-11-19,2023-11-20}"), "--valid: '{2023-11-19,2023-11-20}' is valid "
                                                 "EDTF but not supported here: {...} means"),
        (("--valid", "2023", "--known-at", "[2024,2025]"), "--known-at: '[2024,2025]' is valid "
                                                          "EDTF but not supported here"),
    ]:
        refused = hindsight(path, "record", "Sam Altman", "met", "--object", "Satya Nadella",
                            *args)
        assert refused.returncode == 2
        assert message in refused.stderr
        assert "Traceback" not in refused.stderr
    assert len([line for line in hindsight(path, "history", "Sam Altman").stdout.splitlines()
                if " c-" in line]) == 1


def _file(path: Path, claims: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"format": "hindsight/1", "claims": claims}), encoding="utf-8")
    return path


CLAIMS = [
    {"subject": "Ada Lovelace", "predicate": "born_in", "value": "London",
     "valid": "[1815-12-10,1815-12-11]", "known_at": "2024"},
    {"subject": "Ada Lovelace", "predicate": "lived_in", "value": "London",
     "valid": "[1820..]/[..1852]", "known_at": "2024"},
    {"subject": "Mira Murati", "predicate": "works_at", "value": "OpenAI",
     "valid": "2021/[..2023-06]", "known_at": "2024"},
]


def test_a_json_file_with_sets_imports_and_exports_them_unchanged(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "one.sqlite") as one:
        import_file(one, _file(tmp_path / "in.json", CLAIMS))
        export_file(one, tmp_path / "out.json")
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sorted(c["valid"] for c in exported["claims"]) == sorted(c["valid"] for c in CLAIMS)
    with Archive.open(tmp_path / "two.sqlite") as two:
        import_file(two, tmp_path / "out.json")
        state = two.as_of(parse_day("1830-06-01"))
        assert {(f.statement, f.status) for f in state.facts} == {
            ("Ada Lovelace lived in: London", "MAYBE")}


def test_a_bad_set_in_a_json_file_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    bad = [*CLAIMS, {**CLAIMS[1], "valid": "[1860..]/[..1852]"}]
    done = hindsight(path, "import", str(_file(tmp_path / "bad.json", bad)))
    assert done.returncode == 2
    assert "claims[3].valid: '[1860..]/[..1852]' ends before it starts" in done.stderr
    assert "Ada" not in hindsight(path, "entities").stdout


def test_moments_and_the_archives_span_with_sets(tmp_path: Path) -> None:
    """A set begins on its first possible day; an end "on or before" a date has no day it
    ends on, so no end moment; a set open after (``[1760..]``) does not stretch the archive's
    span to the end of time."""
    from timeline.api import BEGINS, ENDS, moment_keys

    with Archive.open(tmp_path / "a.sqlite") as archive:
        made = {valid: archive.record("Ada Lovelace", "met", object=other, valid=valid,
                                      known_at="2024", new_entity=True)
                for valid, other in (("2021/[..2023-06]", "Charles Babbage"),
                                     ("2021/[2023-06,2023-07]", "Mary Somerville"),
                                     ("[1760..]", "Michael Faraday"),
                                     ("[..1700-06]", "Charles Dickens"))}
        number = {c.id: c.n for c in archive.readmodel.all_claims()}
        moments = {(day_to_iso(k.day), k.kind, k.n) for k in moment_keys(archive)}
        assert moments == {
            ("2021-01-01", BEGINS, number[made["2021/[..2023-06]"]]),
            ("2021-01-01", BEGINS, number[made["2021/[2023-06,2023-07]"]]),
            ("2023-06-01", ENDS, number[made["2021/[2023-06,2023-07]"]]),
            ("1760-01-01", BEGINS, number[made["[1760..]"]]),
        }
        assert tuple(map(day_to_iso, archive.span())) == ("1760-01-01", "2023-07-31")
