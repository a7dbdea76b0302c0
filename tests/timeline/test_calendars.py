"""Issue 16, item 3: dates written in the Julian calendar (docs/time-model.md#calendars).

The days are checked against ``convertdate`` (the library the engine's Julian arithmetic comes
from, used here directly as the oracle, date by date); the Gregorian path must not change.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from convertdate import julian
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import dates
from timeline.app import Archive
from timeline.calendars import calendar_named, julian_day_number, julian_day_parts
from timeline.datewords import edtf_words, gregorian_words
from timeline.domain import derive_claim_id
from timeline.errors import InvalidInput
from timeline.interchange import export_document, import_file

ROOT = Path(__file__).resolve().parents[2]


def jday(year: int, month: int, day: int) -> int:
    """The oracle: a Julian date's day number, by convertdate's Julian Day."""
    return int(julian.to_jd(year, month, day) - julian.J1970)


def edtf(year: int, month: int | None = None, day: int | None = None) -> str:
    text = f"{'-' if year < 0 else ''}{abs(year):04d}"
    if month is not None:
        text += f"-{month:02d}"
    if day is not None:
        text += f"-{day:02d}"
    return text


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


years = st.integers(min_value=-9999, max_value=9999)
months = st.integers(min_value=1, max_value=12)


@st.composite
def julian_days(draw: st.DrawFn) -> tuple[int, int, int]:
    year, month = draw(years), draw(months)
    return year, month, draw(st.integers(1, julian.month_length(year, month)))


# --- the days a Julian date names -----------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(julian_days())
def test_a_julian_day_is_the_day_convertdate_gives(ymd: tuple[int, int, int]) -> None:
    span = dates.parse_span(edtf(*ymd), "julian")
    assert (span.start_lo, span.start_hi, span.end_lo, span.end_hi) == (
        jday(*ymd), jday(*ymd), jday(*ymd) + 1, jday(*ymd) + 1)
    assert span.calendar == "julian"
    assert julian_day_parts(julian_day_number(*ymd)) == ymd


@settings(max_examples=200, deadline=None)
@given(years, months)
def test_a_julian_month_runs_from_its_first_to_its_last_julian_day(year: int, month: int) -> None:
    found = dates.parse_date(edtf(year, month), "julian")
    assert (found.lo, found.hi) == (jday(year, month, 1), jday(*next_month(year, month), 1))
    assert found.first_parts == (year, month)  # named as written, in its calendar
    approx = dates.parse_date(edtf(year, month) + "~", "julian")  # a Julian month each side
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    assert (approx.lo, approx.hi) == (
        jday(*before, 1), jday(*next_month(*next_month(year, month)), 1))


@settings(max_examples=200, deadline=None)
@given(years)
def test_a_julian_year_and_an_approximate_one(year: int) -> None:
    found = dates.parse_date(edtf(year), "julian")
    assert (found.lo, found.hi) == (jday(year, 1, 1), jday(year + 1, 1, 1))
    approx = dates.parse_date(edtf(year) + "?", "julian")
    assert (approx.lo, approx.hi) == (jday(year - 1, 1, 1), jday(year + 2, 1, 1))


@settings(max_examples=200, deadline=None)
@given(julian_days(), julian_days())
def test_an_interval_has_both_ends_in_the_julian_calendar(a: tuple[int, int, int],
                                                          b: tuple[int, int, int]) -> None:
    a, b = sorted([a, b])
    span = dates.parse_span(f"{edtf(*a)}/{edtf(*b)}", "julian")
    assert (span.start_lo, span.end_hi) == (jday(*a), jday(*b) + 1)
    open_end = dates.parse_span(f"{edtf(*a)}/..", "julian")
    assert (open_end.start_lo, open_end.end_lo) == (jday(*a), dates.POS_INF)


@pytest.mark.parametrize(("text", "first", "stop"), [
    ("1700-02-29~", (1700, 2, 22), (1700, 3, 8)),  # a day: a week either side
    ("1700-24", (1700, 12, 1), (1701, 3, 1)),  # winter 1700, into 1701
    ("170X", (1700, 1, 1), (1710, 1, 1)),  # unspecified digits
    ("1700-XX", (1700, 1, 1), (1701, 1, 1)),
    ("-0043-03-15", (-43, 3, 15), (-43, 3, 16)),  # the Ides of March, 44 BCE
    ("-004X", (-49, 1, 1), (-39, 1, 1)),
])
def test_every_form_of_date_is_bounded_in_the_julian_calendar(text: str, first: tuple[int, ...],
                                                               stop: tuple[int, ...]) -> None:
    found = dates.parse_date(text, "julian")
    assert (found.lo, found.hi) == (jday(*first), jday(*stop))


def test_the_worked_examples_of_the_time_model() -> None:
    leap = dates.parse_span("1700-02-29", "julian")
    assert dates.day_to_iso(leap.start_lo) == "1700-03-11"
    month = dates.parse_span("1700-02", "julian")
    assert [dates.day_to_iso(d) for d in (month.start_lo, month.end_hi - 1)] == [
        "1700-02-11", "1700-03-11"]  # ten days apart until the Julian leap day, then 11
    caesar = dates.parse_span("-0043-03-15", "julian")
    assert dates.day_to_iso(caesar.start_lo) == "-0043-03-13"
    assert dates.status(leap, dates.parse_day("1700-03-11")) == dates.Status.HOLDS
    assert dates.status(leap, dates.parse_day("1700-03-10")) == dates.Status.NOT


def test_gregorian_dates_read_as_before() -> None:
    for text in ("2023-11-17", "2019-07~/..", "201X", "-0043-03-15", "2018-22", "Y-300000"):
        old = dates.parse_span(text)
        assert dates.parse_span(text, "gregorian") == old
        assert old.calendar == "gregorian"
        assert dates.parse_span(text, "julian") != old  # the calendars differ on each


# --- what is refused --------------------------------------------------------------------------


def test_29_february_1700_is_a_julian_day_and_not_a_gregorian_one() -> None:
    with pytest.raises(dates.DateError) as refused:
        dates.parse_span("1700-02-29")
    assert "day 29 is out of range for 1700-02 in the Gregorian calendar" in str(refused.value)
    assert "give the calendar as julian" in str(refused.value)
    with pytest.raises(dates.DateError, match="out of range for 1700-02 in the Julian calendar"):
        dates.parse_span("1700-02-30", "julian")
    with pytest.raises(dates.DateError, match=r"for 1701-02 in the Julian calendar"):
        dates.parse_span("1701-02-29/..", "julian")
    with pytest.raises(dates.DateError, match="day 30 is out of range for 1700-02$"):
        dates.parse_span("1700-02-30")


def test_only_two_calendars_are_known() -> None:
    with pytest.raises(dates.DateError, match="calendar 'mayan' is not one of gregorian, julian"):
        dates.parse_span("1700", "mayan")
    assert calendar_named(None).name == calendar_named("").name == "gregorian"


def test_a_julian_year_beyond_the_days_is_refused_not_clamped() -> None:
    assert dates.parse_span(f"Y{dates.MAX_YEAR}").end_hi < dates.POS_INF
    with pytest.raises(dates.DateError, match="year out of range"):
        dates.parse_span(f"Y{dates.MAX_YEAR}", "julian")  # Julian years run later


# --- in words -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "words", "gregorian"), [
    ("1700-02-29", "29 February 1700 (Julian)", "11 March 1700 (Gregorian)"),
    ("1700-02", "February 1700 (Julian)", "11 February – 11 March 1700 (Gregorian)"),
    ("1700-02-29/..", "from 29 February 1700 (Julian)", "from 11 March 1700 (Gregorian)"),
    ("1699-12-25~", "about 25 December 1699 (Julian)", "about 4 January 1700 (Gregorian)"),
    ("-0043-03-15", "15 March 44 BCE (Julian)", "13 March 44 BCE (Gregorian)"),
])
def test_a_julian_date_reads_as_written_with_its_calendar_named(text: str, words: str,
                                                                gregorian: str) -> None:
    assert edtf_words(text, "julian") == words
    assert gregorian_words(text, "julian") == gregorian
    assert "Julian" not in edtf_words(text.replace("-02-29", "-02-28"))


# --- claims and sources -----------------------------------------------------------------------


def test_a_julian_claim_is_found_on_its_gregorian_day() -> None:
    archive = Archive.in_memory()
    claim = archive.record("Peter the Great", "visited", object="London", valid="1700-02-29",
                           calendar="julian", known_at="2025")
    assert [f.claim.id for f in archive.as_of("1700-03-11").facts] == [claim]
    assert not archive.as_of("1700-03-10").facts
    row = archive.claim(claim)
    assert (row.valid, row.calendar) == ("1700-02-29", "julian")
    assert archive.as_of("1700-03-11").facts[0].to_json()["calendar"] == "julian"
    with pytest.raises(InvalidInput, match="in the Gregorian calendar"):
        archive.record("Peter the Great", "visited", object="Deptford", valid="1700-02-29")
    with pytest.raises(InvalidInput, match="calendar 'mayan'"):
        archive.record("Peter the Great", "visited", object="Deptford", valid="1700",
                       calendar="mayan")
    archive.close()


def test_the_calendar_is_part_of_a_claims_identity() -> None:
    archive = Archive.in_memory()
    fields = {"object": "London", "valid": "1700-03", "known_at": "2025"}
    gregorian = archive.record("Peter the Great", "visited", **fields)
    assert archive.record("Peter the Great", "visited", **fields, calendar="julian") != gregorian
    # A Gregorian claim's id is derived as before calendars existed.
    row = archive.claim(gregorian)
    content = json.dumps([row.subject_id, "visited", row.object_id, None, "1700-03", "2025", []],
                         ensure_ascii=False, separators=(",", ":"))
    assert gregorian == "c-" + hashlib.sha256(content.encode()).hexdigest()[:16]
    assert derive_claim_id(row.subject_id, "visited", row.object_id, None, "1700-03", "2025",
                           ()) == gregorian
    archive.close()


def test_a_julian_source_dates_its_claims_by_its_gregorian_day() -> None:
    archive = Archive.in_memory()
    archive.add_source("diary", "A diary", "1700-02", "He came to London.", calendar="julian")
    assert archive.source("diary")["calendar"] == "julian"
    assert dates.day_to_iso(archive.source("diary")["published_day"]) == "1700-03-11"
    claim = archive.record("Peter the Great", "visited", object="London", valid="1700-02",
                           calendar="julian", sources=[("diary", "He came to London.")])
    assert archive.claim(claim).known_at == "1700-03-11"  # Julian 29 February, surely known
    with pytest.raises(InvalidInput, match="in the Gregorian calendar"):
        archive.add_source("other", "Another", "1700-02-29", "Text.")
    archive.close()


def test_a_supersession_keeps_the_calendar_unless_it_is_changed() -> None:
    archive = Archive.in_memory()
    old = archive.record("Peter the Great", "visited", object="London", valid="1700-02-29",
                         calendar="julian", known_at="2025")
    new = archive.supersede(old, valid="1700-02-28", known_at="2025-02")
    assert (archive.claim(new).valid, archive.claim(new).calendar) == ("1700-02-28", "julian")
    assert dates.day_to_iso(archive.claim(new).start_lo) == "1700-03-10"
    newer = archive.supersede(new, valid="1700-03-11", calendar="gregorian", known_at="2025-03")
    assert archive.claim(newer).calendar == "gregorian"
    assert archive.claim(newer).start_lo == archive.claim(old).start_lo  # the same day
    archive.close()


# --- Hindsight JSON ---------------------------------------------------------------------------

DOC = {
    "format": "hindsight/1",
    "sources": [{"id": "diary", "title": "A diary", "published": "1700-02-29",
                 "calendar": "julian", "text": "He came to London."}],
    "claims": [{"subject": "Peter", "predicate": "visited", "object": "London",
                "valid": "1700-02-29", "calendar": "julian",
                "sources": [{"source": "diary", "quote": "He came to London."}]},
               {"subject": "Peter", "predicate": "born", "value": "Moscow",
                "valid": "1672-05-30", "known_at": "2025"}],
}


def test_json_carries_the_calendar_both_ways(tmp_path: Path) -> None:
    archive = Archive.in_memory()
    (tmp_path / "in.json").write_text(json.dumps(DOC), encoding="utf-8")
    import_file(archive, tmp_path / "in.json")
    exported = export_document(archive)
    assert exported["sources"][0]["calendar"] == "julian"
    julian_claim, born = sorted(exported["claims"], key=lambda c: c["predicate"], reverse=True)
    assert (julian_claim["valid"], julian_claim["calendar"]) == ("1700-02-29", "julian")
    assert julian_claim["known_at"] == "1700-03-11"
    assert "calendar" not in born  # a Gregorian claim is written as before
    again = Archive.in_memory()
    (tmp_path / "out.json").write_text(json.dumps(exported), encoding="utf-8")
    import_file(again, tmp_path / "out.json")
    assert export_document(again) == exported
    assert import_file(archive, tmp_path / "in.json").events == 0  # the same claims again
    assert import_file(archive, tmp_path / "out.json").events == 0
    assert again.as_of("1700-03-11").facts[0].claim.calendar == "julian"
    archive.close()
    again.close()


def test_a_file_without_calendars_exports_without_them(tmp_path: Path) -> None:
    archive = Archive.in_memory()
    import_file(archive, ROOT / "tests" / "acceptance" / "crisis.json")
    text = json.dumps(export_document(archive))
    assert '"calendar"' not in text
    archive.close()


@pytest.mark.parametrize(("change", "error"), [
    ({"calendar": "mayan"}, "claims[0].calendar: input should be 'gregorian' or 'julian'"),
    ({"calendar": "gregorian"}, "claims[0].valid: '1700-02-29' is not a valid EDTF date: day 29 "
                                "is out of range for 1700-02 in the Gregorian calendar"),
    ({"valid": "1700-02-30"}, "claims[0].valid: '1700-02-30' is not a valid EDTF date: day 30 "
                              "is out of range for 1700-02 in the Julian calendar"),
])
def test_a_bad_calendar_or_date_is_named_and_nothing_is_written(tmp_path: Path,
                                                                change: dict[str, str],
                                                                error: str) -> None:
    doc = json.loads(json.dumps(DOC))
    doc["claims"][0].update(change)
    (tmp_path / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    archive = Archive.in_memory()
    before = archive.statistics()["events"]
    with pytest.raises(InvalidInput) as refused:
        import_file(archive, tmp_path / "bad.json")
    assert error in str(refused.value)
    assert archive.statistics()["events"] == before
    archive.close()


# --- the command line, end to end --------------------------------------------------------------


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "COLUMNS": "160",
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "timeline", "--archive",
                           str(tmp_path / "a.sqlite"), *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)


def test_the_command_line_records_a_julian_date_and_finds_it_on_its_gregorian_day(
        tmp_path: Path) -> None:
    refused = _cli(tmp_path, "record", "Peter the Great", "visited", "--object", "London",
                   "--valid", "1700-02-29", "--known-at", "2025")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "--valid: '1700-02-29' is not a valid EDTF date" in refused.stderr
    assert "Gregorian calendar" in refused.stderr
    done = _cli(tmp_path, "record", "Peter the Great", "visited", "--object", "London",
                "--valid", "1700-02-29", "--calendar", "julian", "--known-at", "2025")
    assert done.returncode == 0, done.stderr
    found = json.loads(_cli(tmp_path, "as-of", "1700-03-11", "--format", "json").stdout)
    assert [(f["valid"], f["calendar"]) for f in found["facts"]] == [("1700-02-29", "julian")]
    assert json.loads(_cli(tmp_path, "as-of", "1700-03-10", "--format", "json").stdout)[
        "facts"] == []
    table = _cli(tmp_path, "as-of", "1700-03-11").stdout
    assert "1700-02-29 (Julian)" in table
    bad = _cli(tmp_path, "record", "Peter the Great", "visited", "--object", "Deptford",
               "--valid", "1700", "--calendar", "mayan")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "--calendar: calendar 'mayan' is not one of gregorian, julian" in bad.stderr
    source = _cli(tmp_path, "source", "add", "diary", "--title", "A diary", "--published",
                  "1700-02-29", "--calendar", "julian", "--text", "He came to London.")
    assert source.returncode == 0, source.stderr
    shown = json.loads(_cli(tmp_path, "source", "show", "diary").stdout)
    assert (shown["published"], shown["calendar"]) == ("1700-02-29", "julian")
    assert "1700-02-29 (Julian)" in _cli(tmp_path, "source", "list").stdout


# --- the other exports ----------------------------------------------------------------------


def _julian_archive(tmp_path: Path) -> Archive:
    archive = Archive.in_memory()
    (tmp_path / "in.json").write_text(json.dumps(DOC), encoding="utf-8")
    import_file(archive, tmp_path / "in.json")
    return archive


def test_csv_writes_a_calendar_column_only_when_a_claim_needs_it(tmp_path: Path) -> None:
    from timeline.formats import export_path, import_path
    from timeline.views import Selection

    archive = _julian_archive(tmp_path)
    export_path(archive, "csv", tmp_path / "all.csv")
    header, *rows = (tmp_path / "all.csv").read_text(encoding="utf-8").splitlines()
    assert header.endswith(",calendar")
    assert sorted(row.rsplit(",", 1)[1] for row in rows) == ["gregorian", "julian"]
    again = Archive.in_memory()
    again.add_source("diary", "A diary", "1700-02-29", "He came to London.", calendar="julian")
    import_path(again, tmp_path / "all.csv")
    assert [(f.claim.valid, f.claim.calendar) for f in again.as_of("1700-03-11").facts] == [
        ("1700-02-29", "julian")]
    export_path(archive, "csv", tmp_path / "born.csv", Selection(as_of="1672-05-30"))
    assert "calendar" not in (tmp_path / "born.csv").read_text(encoding="utf-8")
    archive.close()
    again.close()


def test_timelinejs_places_a_julian_date_on_its_gregorian_day(tmp_path: Path) -> None:
    from timeline.formats.csljson import items as csl_items
    from timeline.formats.timelinejs import document
    from timeline.views import Selection

    archive = _julian_archive(tmp_path)
    events = {e["text"]["headline"]: e for e in document(archive, Selection())["events"]}
    visit = events["Peter visited London"]
    assert visit["start_date"] == {"year": "1700", "month": "3", "day": "11"}
    assert visit["display_date"] == "29 February 1700 (Julian)"
    assert "A diary, 29 February 1700 (Julian)" in visit["text"]["text"]
    item = next(i for i in csl_items(archive, Selection()) if i["id"] == "diary")
    assert item["issued"] == {"date-parts": [[1700, 2, 29]]}  # cited as written
    archive.close()


def test_the_report_and_the_site_name_the_calendar(tmp_path: Path) -> None:
    from timeline.formats import export_path
    from timeline.report import build_report
    from timeline.report_render import to_markdown

    archive = _julian_archive(tmp_path)
    text = to_markdown(build_report(archive, "1700-03-11"))
    assert "29 February 1700 (Julian)" in text
    export_path(archive, "site", tmp_path / "site")
    assert "29 February 1700 (Julian)" in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*") if p.is_file()
        and p.suffix in (".html", ".js", ".json"))
    archive.close()


def _documented_rows() -> list[tuple[str, str, str]]:
    """The table of docs/time-model.md#calendars: (Julian date, Gregorian lo, hi)."""
    text = (ROOT / "docs" / "time-model.md").read_text(encoding="utf-8")
    section = text.split("### Calendars", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)`[^|]*\| \[([-\d]+), ([-\d]+)\)", section, re.M)
    return [(a, b, c) for a, b, c in rows]


def test_the_documented_table_is_what_the_engine_computes() -> None:
    rows = _documented_rows()
    assert len(rows) >= 10
    for text, lo, hi in rows:
        found = dates.parse_date(text, "julian")
        assert (dates.day_to_iso(found.lo), dates.day_to_iso(found.hi)) == (lo, hi), text
        if found.precision == "day" and not found.qualified:  # and what convertdate says
            year, month, day = (int(p) for p in re.fullmatch(
                r"(-?\d{4})-(\d\d)-(\d\d)", text).groups())  # type: ignore[union-attr]
            assert found.lo == jday(year, month, day)


def _both_paths(text: str) -> list[object]:
    """``parse_span(text, "julian")`` by the fast path and by the general one (edtf)."""
    caches = (dates.parse_span, dates.parse_date, dates._side_bounds, dates._fast_bounds)
    found: list[object] = []
    for fast in (True, False):
        for cache in caches:
            cache.cache_clear()
        dates._FAST = fast
        try:
            found.append(dates.parse_span(text, "julian"))
        except dates.DateError as exc:
            found.append(str(exc))
        finally:
            dates._FAST = True
    for cache in caches:
        cache.cache_clear()
    return found


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 9999), months, st.integers(1, 31), st.sampled_from(["", "~", "?", "%"]),
       st.sampled_from(["", "/..", "/"]))
def test_the_fast_path_and_the_general_one_agree_on_julian_dates(
        year: int, month: int, day: int, qualifier: str, end: str) -> None:
    fast, general = _both_paths(edtf(year, month, day) + qualifier + end)
    assert fast == general


def test_a_gregorian_event_is_stored_as_before_calendars_existed() -> None:
    """The calendar is stored only when it is Julian: an older Hindsight reads the events of
    Gregorian claims and sources, and their bytes are what they were."""
    from timeline.domain import ClaimRecorded, SourceRegistered

    archive = Archive.in_memory()
    archive.add_source("old", "Diary", "1700-02-29", "The council met.", calendar="julian")
    archive.add_source("new", "Paper", "1900-01-01", "The council met.")
    archive.record("Council", "met", value="yes", valid="1700-02-29", calendar="julian",
                   known_at="1701")
    archive.record("Council", "met", value="no", valid="1800-02-28", known_at="1801")
    rows = [(row.topic, json.loads(row.state)) for row in archive.store.stored_rows(0)]
    claims = [s for t, s in rows if t.endswith(ClaimRecorded.__name__)]
    sources = [s for t, s in rows if t.endswith(SourceRegistered.__name__)]
    assert [s.get("calendar") for s in claims] == ["julian", None]
    assert [s.get("calendar") for s in sources] == ["julian", None]


def test_a_set_of_julian_dates_is_read_in_the_julian_calendar() -> None:
    """Every member of a set is a date of the claim's calendar: the Julian 29 February 1700
    is one of them, and its words name the calendar."""
    from timeline.dates import DateError, day_number, parse_span
    from timeline.datewords import edtf_words

    span = parse_span("[1700-02-29,1700-03-01]", "julian")
    assert (span.start_lo, span.end_hi) == (day_number(1700, 3, 11), day_number(1700, 3, 13))
    with pytest.raises(DateError, match="day 29 is out of range for 1700-02"):
        parse_span("[1700-02-29,1700-03-01]")
    assert edtf_words("[1700-02-29,1700-03-01]", "julian") == \
        "29 February 1700 or 1 March 1700 (Julian)"
    end = parse_span("1699/[..1700-02-29]", "julian")
    assert end.end_hi == day_number(1700, 3, 12)
