"""Tests for timeline.dates: EDTF dates -> day ranges, spans and HOLDS/MAYBE/NOT."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from timeline import dates, datewords
from timeline.dates import (
    NEG_INF,
    POS_INF,
    DateError,
    DateRange,
    Span,
    Status,
    day_number,
    day_parts,
    day_to_iso,
    interval_sides,
    known_day,
    parse_date,
    parse_day,
    parse_span,
    status,
    status_of,
    strip_qualifiers,
    today_day,
    today_iso,
)

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def iso(day: int) -> str:
    return day_to_iso(day)


def bounds(span: Span) -> tuple[str, str, str, str]:
    return iso(span.start_lo), iso(span.start_hi), iso(span.end_lo), iso(span.end_hi)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def d(text: str) -> int:
    """'2023-11-17' / '-0044-03-15' -> day number, via day_number (checked against datetime)."""
    sign = -1 if text.startswith("-") else 1
    year, month, day = text.lstrip("-").split("-")
    return day_number(sign * int(year), int(month), int(day))


# ---------------------------------------------------------------------------------------------
# Spans: (text, start_lo, start_hi, end_lo, end_hi); '..' is a sentinel (NEG_INF / POS_INF).
# A single date X is X/X: start in [lo, hi - 1], end in [lo + 1, hi] (end exclusive).

SPAN_CASES = [
    # plain dates
    ("2023-11-17", "2023-11-17", "2023-11-17", "2023-11-18", "2023-11-18"),
    ("2023-11", "2023-11-01", "2023-11-30", "2023-11-02", "2023-12-01"),
    ("2023", "2023-01-01", "2023-12-31", "2023-01-02", "2024-01-01"),
    ("2024-02", "2024-02-01", "2024-02-29", "2024-02-02", "2024-03-01"),
    ("  2023-11  ", "2023-11-01", "2023-11-30", "2023-11-02", "2023-12-01"),
    # seasons (northern, meteorological); winter runs into the next year
    ("2023-21", "2023-03-01", "2023-05-31", "2023-03-02", "2023-06-01"),
    ("2023-22", "2023-06-01", "2023-08-31", "2023-06-02", "2023-09-01"),
    ("2023-23", "2023-09-01", "2023-11-30", "2023-09-02", "2023-12-01"),
    ("2023-24", "2023-12-01", "2024-02-29", "2023-12-02", "2024-03-01"),
    ("2023-24~", "2023-11-01", "2024-03-31", "2023-11-02", "2024-04-01"),
    # level-2 seasons, quarters, quadrimesters, semesters
    ("2001-25", "2001-03-01", "2001-05-31", "2001-03-02", "2001-06-01"),
    ("2001-30", "2001-12-01", "2002-02-28", "2001-12-02", "2002-03-01"),
    ("2001-36", "2001-10-01", "2001-12-31", "2001-10-02", "2002-01-01"),
    ("2001-38", "2001-05-01", "2001-08-31", "2001-05-02", "2001-09-01"),
    ("2001-41", "2001-07-01", "2001-12-31", "2001-07-02", "2002-01-01"),
    # approximate / uncertain / both: one unit each side (a day: a week)
    ("2023-11-17~", "2023-11-10", "2023-11-24", "2023-11-11", "2023-11-25"),
    ("2023-11-17?", "2023-11-10", "2023-11-24", "2023-11-11", "2023-11-25"),
    ("2023-01-03~", "2022-12-27", "2023-01-10", "2022-12-28", "2023-01-11"),
    ("2023-11~", "2023-10-01", "2023-12-31", "2023-10-02", "2024-01-01"),
    ("2023-01~", "2022-12-01", "2023-02-28", "2022-12-02", "2023-03-01"),
    ("2004-06%", "2004-05-01", "2004-07-31", "2004-05-02", "2004-08-01"),
    ("2004-06-11%", "2004-06-04", "2004-06-18", "2004-06-05", "2004-06-19"),
    ("2024~", "2023-01-01", "2025-12-31", "2023-01-02", "2026-01-01"),
    ("1984?", "1983-01-01", "1985-12-31", "1983-01-02", "1986-01-01"),
    ("?2004-06-~11", "2004-06-04", "2004-06-18", "2004-06-05", "2004-06-19"),
    ("9999-12-31~", "9999-12-24", "Y10000-01-07", "9999-12-25", "Y10000-01-08"),
    # unspecified digits
    ("201X", "2010-01-01", "2019-12-31", "2010-01-02", "2020-01-01"),
    ("19XX", "1900-01-01", "1999-12-31", "1900-01-02", "2000-01-01"),
    ("201X~", "2009-01-01", "2020-12-31", "2009-01-02", "2021-01-01"),
    ("1985-04-XX", "1985-04-01", "1985-04-30", "1985-04-02", "1985-05-01"),
    ("1985-XX", "1985-01-01", "1985-12-31", "1985-01-02", "1986-01-01"),
    ("1985-XX-XX", "1985-01-01", "1985-12-31", "1985-01-02", "1986-01-01"),
    ("-01XX", "-0199-01-01", "-0100-12-31", "-0199-01-02", "-0099-01-01"),
    ("1950S2", "1900-01-01", "1999-12-31", "1900-01-02", "2000-01-01"),
    # BCE: astronomical years, 0000 = 1 BCE (a leap year)
    ("-0044-03-15", "-0044-03-15", "-0044-03-15", "-0044-03-16", "-0044-03-16"),
    ("0000-02-29", "0000-02-29", "0000-02-29", "0000-03-01", "0000-03-01"),
    ("-0004-02-29", "-0004-02-29", "-0004-02-29", "-0004-03-01", "-0004-03-01"),
    ("0000", "0000-01-01", "0000-12-31", "0000-01-02", "0001-01-01"),
    ("-0100/-0044", "-0100-01-01", "-0100-12-31", "-0044-01-02", "-0043-01-01"),
    ("-0044-03-15/0014-08-19", "-0044-03-15", "-0044-03-15", "0014-08-20", "0014-08-20"),
    ("-0001-12-31/0001-01-01", "-0001-12-31", "-0001-12-31", "0001-01-02", "0001-01-02"),
    # long years (in range)
    ("Y-17000", "Y-17000-01-01", "Y-17000-12-31", "Y-17000-01-02", "Y-16999-01-01"),
    ("Y12345", "Y12345-01-01", "Y12345-12-31", "Y12345-01-02", "Y12346-01-01"),
    # date-times are just their day (as written, offset ignored)
    ("2023-11-17T10:00:00Z", "2023-11-17", "2023-11-17", "2023-11-18", "2023-11-18"),
    ("2023-11-17T23:30:00-05:00", "2023-11-17", "2023-11-17", "2023-11-18", "2023-11-18"),
    # intervals
    ("2023-11-17/2023-11-20", "2023-11-17", "2023-11-17", "2023-11-21", "2023-11-21"),
    ("2023-11-17 / 2023-11-20", "2023-11-17", "2023-11-17", "2023-11-21", "2023-11-21"),
    ("2018-06/2018-08", "2018-06-01", "2018-06-30", "2018-08-02", "2018-09-01"),
    ("2025-05-21/2025-05-31", "2025-05-21", "2025-05-21", "2025-06-01", "2025-06-01"),
    ("2019/2019", "2019-01-01", "2019-12-31", "2019-01-02", "2020-01-01"),
    ("2019-05/2019-05-01", "2019-05-01", "2019-05-31", "2019-05-02", "2019-05-02"),
    ("2024~/2025?", "2023-01-01", "2025-12-31", "2024-01-02", "2027-01-01"),
    ("2001-21~/2002-22", "2001-02-01", "2001-06-30", "2002-06-02", "2002-09-01"),
    ("2004-06~-11/2005", "2004-06-04", "2004-06-18", "2005-01-02", "2006-01-01"),
    ("201X/2020", "2010-01-01", "2019-12-31", "2020-01-02", "2021-01-01"),
    ("1985-04-XX/1985-05", "1985-04-01", "1985-04-30", "1985-05-02", "1985-06-01"),
    ("1985-XX/1990-04-XX", "1985-01-01", "1985-12-31", "1990-04-02", "1990-05-01"),
    ("201X~/..", "2009-01-01", "2020-12-31", "..", ".."),
    ("../19XX", "..", "..", "1900-01-02", "2000-01-01"),
    # open ends: '..' = since forever / still holds
    ("2023-11/..", "2023-11-01", "2023-11-30", "..", ".."),
    ("1985/..", "1985-01-01", "1985-12-31", "..", ".."),
    ("2019..", "2019-01-01", "2019-12-31", "..", ".."),
    ("../2019", "..", "..", "2019-01-02", "2020-01-01"),
    ("..2019", "..", "..", "2019-01-02", "2020-01-01"),
    ("..2019-03-05", "..", "..", "2019-03-06", "2019-03-06"),
    ("../..", "..", "..", "..", ".."),
    # unknown ends (empty): held on its first day at least / began by the end at the latest
    ("2019/", "2019-01-01", "2019-12-31", "2019-01-02", ".."),
    ("2023-11-17/", "2023-11-17", "2023-11-17", "2023-11-18", ".."),
    ("/2019", "..", "2019-12-31", "2019-01-02", "2020-01-01"),
    ("/1985-04-12", "..", "1985-04-12", "1985-04-13", "1985-04-13"),
]


@pytest.mark.parametrize(
    ("text", "start_lo", "start_hi", "end_lo", "end_hi"),
    SPAN_CASES,
    ids=[case[0].strip() or "blank" for case in SPAN_CASES],
)
def test_parse_span(text: str, start_lo: str, start_hi: str, end_lo: str, end_hi: str) -> None:
    span = parse_span(text)
    assert bounds(span) == (start_lo, start_hi, end_lo, end_hi)
    assert span.text == text.strip()
    assert (span.end_lo >= POS_INF) == (end_lo == "..")


def test_span_sentinels_are_the_exact_ints() -> None:
    assert parse_span("2019/..").end_lo == POS_INF
    assert parse_span("2019/..").end_hi == POS_INF
    assert parse_span("2019/").end_hi == POS_INF
    assert parse_span("../2019").start_lo == NEG_INF
    assert parse_span("/2019").start_lo == NEG_INF
    assert parse_span("../..") == Span("../..", NEG_INF, NEG_INF, POS_INF, POS_INF)


def test_long_years_are_exact_and_beyond_the_sentinels_refused() -> None:
    # 170 million years is far outside the ~5.88 million years the sentinels allow: refused,
    # not clamped into an open or unknown end (tests/reliability/test_hardening_output.py).
    for text in ("Y-170000002", "Y170000002", "Y17E7", "Y-17E7", "Y10000000", "Y-6000000",
                 "Y1E999999999", "Y5000000S1"):  # absurdly long: no huge numbers built
        with pytest.raises(DateError, match="year out of range"):
            parse_date(text)
        with pytest.raises(DateError, match="year out of range"):
            parse_span(text)
    # the first and last years there are
    assert parse_date(f"Y{dates.MIN_YEAR}").lo > NEG_INF + 366
    assert parse_date(f"Y{dates.MAX_YEAR}").hi < POS_INF - 366
    # within range they are exact: 100000 years are 250 Gregorian cycles of 146097 days
    assert parse_date("Y-100000").lo == d("0000-01-01") - 250 * 146097
    assert parse_date("Y100000").hi == d("0001-01-01") + 250 * 146097


# ---------------------------------------------------------------------------------------------
# Single dates: precision and qualifier flags

DATE_CASES = [
    ("2023-11-17", "day", False, False),
    ("2023-11", "month", False, False),
    ("2023", "year", False, False),
    ("2023-21", "season", False, False),
    ("2001-24~", "season", True, False),
    ("201X", "decade", False, False),
    ("19XX", "century", False, False),
    ("1XXX", "millennium", False, False),
    ("1985-04-XX", "month", False, False),
    ("1985-XX-XX", "year", False, False),
    ("2023-11~", "month", True, False),
    ("2023?", "year", False, True),
    ("2023-11-17%", "day", True, True),
    ("2004?-06-~11", "day", True, True),
    ("2023-11-17T10:00:00Z", "day", False, False),
    ("Y-17000", "year", False, False),
    ("1950S2", "century", False, False),
    ("Y1710000S3", "millennia", False, False),
]


@pytest.mark.parametrize(
    ("text", "precision", "approximate", "uncertain"),
    DATE_CASES,
    ids=[case[0] for case in DATE_CASES],
)
def test_parse_date_precision_and_flags(
    text: str, precision: str, approximate: bool, uncertain: bool
) -> None:
    got = parse_date(text)
    assert (got.precision, got.approximate, got.uncertain) == (precision, approximate, uncertain)
    assert got.lo < got.hi


def test_parse_date_bounds() -> None:
    assert parse_date("2023-11~") == DateRange(
        "2023-11~", d("2023-10-01"), d("2024-01-01"), "month", True, False
    )
    assert parse_date("-0044-03-15") == DateRange(
        "-0044-03-15", d("-0044-03-15"), d("-0044-03-16"), "day", False, False
    )
    # a qualified season alone (edtf only takes it inside an interval)
    assert (parse_date("2001-21?").lo, parse_date("2001-21?").hi) == (
        d("2001-02-01"),
        d("2001-07-01"),
    )


# ---------------------------------------------------------------------------------------------
# Errors: (text, fragment of the message)

INVALID_CASES = [
    ("", "empty date"),
    ("   ", "empty date"),
    ("banana", "'banana' is not a valid EDTF date"),
    ("2023-13", "'2023-13' is not a valid EDTF date"),
    ("2023-00", "is not a valid EDTF date"),
    ("2023-1", "is not a valid EDTF date"),
    ("23-11-01", "is not a valid EDTF date"),
    ("2023-11-17T10:00", "is not a valid EDTF date"),
    ("-0000", "is not a valid EDTF date"),
    ("2004-06-11?~", "is not a valid EDTF date"),
    ("2019..2020", "is not a valid EDTF date"),
    ("Y170000002/2020", "is not a valid EDTF date"),  # edtf: no long years in intervals
    ("2023-02-30", "'2023-02-30' is not a valid EDTF date: day 30 is out of range for 2023-02"),
    ("2023-02-29", "'2023-02-29' is not a valid EDTF date: day 29 is out of range for 2023-02"),
    ("1900-02-29", "day 29 is out of range for 1900-02"),
    ("-0001-02-29", "day 29 is out of range for -0001-02"),
    ("2023-11-31", "day 31 is out of range for 2023-11"),
    ("2023-02-29/2023-03", "'2023-02-29/2023-03' is not a valid EDTF date: day 29"),
    ("2023-04-31/2023-05", "day 31 is out of range for 2023-04"),
    ("2020/2019", "'2020/2019' ends before it starts"),
    ("2023-11-17/2023-11-01", "'2023-11-17/2023-11-01' ends before it starts"),
    ("-0044/-0100", "ends before it starts"),
    ("..", "'..' has no bounds"),
    ("/", "'/' has no bounds"),
    ("XXXX", "'XXXX' has no bounds"),
    ("XXXX-XX", "has no bounds"),
    ("1X85", "not supported here: unspecified digits"),
    ("1985-XX-05", "not supported here: unspecified digits"),
    ("2004-06-1X", "not supported here: unspecified digits"),
    ("2004-1X", "is not a valid EDTF date"),  # level-2 EDTF, but edtf itself crashes on it
    ("{1667,1668}", "not supported here: {...} means all of these dates"),
    ("[1667,1668", "is not a valid EDTF date"),
    ("2001-21^x", "not supported here: qualified seasons"),
    ("2023S2-11", "not supported here: significant digits"),
    ("2019-XX/banana", "'2019-XX/banana' is not a valid EDTF date"),
    ("201X/2019-02-29", "day 29 is out of range for 2019-02"),
    ("2019-XX/1X85", "'2019-XX/1X85' is valid EDTF but not supported here: unspecified"),
    ("2020-XX/2019", "ends before it starts"),
    ("2023-11-17\n2023", "is not a valid EDTF date"),
]


@pytest.mark.parametrize(
    ("text", "fragment"),
    INVALID_CASES,
    ids=[repr(case[0]) for case in INVALID_CASES],
)
def test_invalid(text: str, fragment: str) -> None:
    with pytest.raises(DateError) as info:
        parse_span(text)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    if text.strip():
        assert repr(text.strip()) in message


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


@pytest.mark.parametrize("text", ["2019/2020", "../2019", "..2019", "2019/", "2019.."])
def test_parse_date_refuses_intervals(text: str) -> None:
    with pytest.raises(DateError, match="is an interval; give one date"):
        parse_date(text)


def test_edtf_noise_stays_off_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    # edtf print()s "trying to ..." when it crashes on input like these
    for text in ("2004-1X", "2004-0X-01"):
        with pytest.raises(DateError):
            parse_span(text)
    for text in ("../", "/.."):  # level 1 EDTF: an open and an unknown end
        parse_span(text)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("text", "bounds"), [
    ("/..", (NEG_INF, POS_INF - 1, POS_INF, POS_INF)),  # began some time, still holds
    ("../", (NEG_INF, NEG_INF, NEG_INF + 1, POS_INF)),  # held since forever, ended some time
])
def test_an_open_and_an_unknown_end_may_hold_on_any_day(text: str, bounds: tuple[int, ...]
                                                         ) -> None:
    """EDTF level 1 writes an open end as ``..`` and an unknown one as nothing: ``/..`` and
    ``../`` are intervals with no date, which may have held on any day (never surely)."""
    span = parse_span(text)
    assert (span.start_lo, span.start_hi, span.end_lo, span.end_hi) == bounds
    for day in ("-5000", "1066-10-14", "2023-11-17", "9999-12-31"):
        assert status(span, parse_day(day)) == Status.MAYBE
    assert interval_sides(text) == tuple(text.split("/"))


# ---------------------------------------------------------------------------------------------
# Status: (span, day, expected)

STATUS_CASES = [
    ("2023-11-17/2023-11-20", "2023-11-16", Status.NOT),
    ("2023-11-17/2023-11-20", "2023-11-17", Status.HOLDS),
    ("2023-11-17/2023-11-20", "2023-11-20", Status.HOLDS),
    ("2023-11-17/2023-11-20", "2023-11-21", Status.NOT),
    ("2023-11-17", "2023-11-16", Status.NOT),
    ("2023-11-17", "2023-11-17", Status.HOLDS),
    ("2023-11-17", "2023-11-18", Status.NOT),
    ("2018-06/2018-08", "2018-05-31", Status.NOT),
    ("2018-06/2018-08", "2018-06-01", Status.MAYBE),
    ("2018-06/2018-08", "2018-06-29", Status.MAYBE),
    ("2018-06/2018-08", "2018-06-30", Status.HOLDS),
    ("2018-06/2018-08", "2018-08-01", Status.HOLDS),
    ("2018-06/2018-08", "2018-08-02", Status.MAYBE),
    ("2018-06/2018-08", "2018-08-31", Status.MAYBE),
    ("2018-06/2018-08", "2018-09-01", Status.NOT),
    ("2025-04", "2025-03-31", Status.NOT),
    ("2025-04", "2025-04-01", Status.MAYBE),
    ("2025-04", "2025-04-30", Status.MAYBE),
    ("2025-04", "2025-05-01", Status.NOT),
    ("2023-11-17~", "2023-11-09", Status.NOT),
    ("2023-11-17~", "2023-11-10", Status.MAYBE),
    ("2023-11-17~", "2023-11-17", Status.MAYBE),
    ("2023-11-17~", "2023-11-24", Status.MAYBE),
    ("2023-11-17~", "2023-11-25", Status.NOT),
    ("2020~/2026~", "2018-12-31", Status.NOT),
    ("2020~/2026~", "2019-01-01", Status.MAYBE),
    ("2020~/2026~", "2021-12-30", Status.MAYBE),
    ("2020~/2026~", "2021-12-31", Status.HOLDS),
    ("2020~/2026~", "2025-01-01", Status.HOLDS),
    ("2020~/2026~", "2025-01-02", Status.MAYBE),
    ("2020~/2026~", "2027-12-31", Status.MAYBE),
    ("2020~/2026~", "2028-01-01", Status.NOT),
    ("2020/..", "2019-12-31", Status.NOT),
    ("2020/..", "2020-01-01", Status.MAYBE),
    ("2020/..", "2020-12-31", Status.HOLDS),
    ("2020/..", "3000-01-01", Status.HOLDS),
    ("../2019", "-5000-01-01", Status.HOLDS),
    ("../2019", "2019-01-01", Status.HOLDS),
    ("../2019", "2019-01-02", Status.MAYBE),
    ("../2019", "2020-01-01", Status.NOT),
    ("2019-03-05/", "2019-03-04", Status.NOT),
    ("2019-03-05/", "2019-03-05", Status.HOLDS),
    ("2019-03-05/", "2019-03-06", Status.MAYBE),
    ("2019-03-05/", "2100-01-01", Status.MAYBE),
    ("2019/", "2019-01-01", Status.MAYBE),
    ("/2019-03-05", "1000-01-01", Status.MAYBE),
    ("/2019-03-05", "2019-03-05", Status.HOLDS),
    ("/2019-03-05", "2019-03-06", Status.NOT),
    ("-0100/-0044", "-0101-12-31", Status.NOT),
    ("-0100/-0044", "-0100-12-31", Status.HOLDS),
    ("-0100/-0044", "-0044-01-01", Status.HOLDS),
    ("-0100/-0044", "-0044-01-02", Status.MAYBE),
    ("-0100/-0044", "-0043-01-01", Status.NOT),
    ("../..", "-9999-01-01", Status.HOLDS),
    ("../..", "9999-12-31", Status.HOLDS),
]


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    STATUS_CASES,
    ids=[f"{text} @ {day}" for text, day, _ in STATUS_CASES],
)
def test_status(text: str, day: str, expected: Status) -> None:
    span = parse_span(text)
    assert status(span, d(day)) is expected
    assert status_of(span.start_lo, span.start_hi, span.end_lo, span.end_hi, d(day)) is expected


def test_status_is_a_string() -> None:
    assert Status.HOLDS == "HOLDS"
    assert Status("MAYBE") is Status.MAYBE
    assert status_of(0, 5, 10, 20, 4) == "MAYBE"


# ---------------------------------------------------------------------------------------------
# Query days and known_at

PARSE_DAY_CASES = [
    ("2023-11-17", "2023-11-17"),
    ("2023-11", "2023-11-30"),
    ("2024-02", "2024-02-29"),
    ("2018", "2018-12-31"),
    ("2023-11~", "2023-11-30"),  # no fuzz padding for query dates
    ("2023-11-17?", "2023-11-17"),
    ("2001-24", "2002-02-28"),
    ("201X", "2019-12-31"),
    ("1985-04-XX", "1985-04-30"),
    ("-0044", "-0044-12-31"),
    ("2023-11-17T23:59:59Z", "2023-11-17"),
    (" 2023-11 ", "2023-11-30"),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_DAY_CASES, ids=[c[0] for c in PARSE_DAY_CASES])
def test_parse_day(text: str, expected: str) -> None:
    assert iso(parse_day(text)) == expected


def test_parse_day_today_is_utc() -> None:
    before = dt.datetime.now(dt.UTC).date()
    got = parse_day("today")
    after = dt.datetime.now(dt.UTC).date()
    assert got in {day.toordinal() - EPOCH_ORDINAL for day in (before, after)}
    assert parse_day(" Today ") in {got, got + 1}


@pytest.mark.parametrize("text", ["2019/2020", "..2019", "2019/..", "/2019", "2019/"])
def test_parse_day_refuses_intervals(text: str) -> None:
    with pytest.raises(DateError, match="is an interval; give one date"):
        parse_day(text)


@pytest.mark.parametrize("text", ["", "banana", "2023-02-29", "XXXX"])
def test_parse_day_refuses_bad_dates(text: str) -> None:
    with pytest.raises(DateError):
        parse_day(text)


KNOWN_DAY_CASES = [
    ("2023-11-17", "2023-11-17"),
    ("2023-11-17?", "2023-11-24"),  # padded: surely known by the end of the fuzz
    ("2023-11", "2023-11-30"),
    ("2023-11~", "2023-12-31"),
    ("2024", "2024-12-31"),
    ("2024~", "2025-12-31"),
    ("2023-11-17T08:00:00+01:00", "2023-11-17"),
]


@pytest.mark.parametrize(("text", "expected"), KNOWN_DAY_CASES, ids=[c[0] for c in KNOWN_DAY_CASES])
def test_known_day(text: str, expected: str) -> None:
    assert iso(known_day(text)) == expected


def test_known_day_refuses_intervals() -> None:
    with pytest.raises(DateError, match="interval"):
        known_day("2019/2020")


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic


@pytest.mark.parametrize(
    ("ymd", "expected"),
    [
        ((1970, 1, 1), 0),
        ((1969, 12, 31), -1),
        ((2000, 3, 1), 11017),
        ((1, 1, 1), -719162),
        ((0, 1, 1), -719528),  # year 0 (1 BCE) is a leap year: 366 days before 0001-01-01
        ((0, 3, 1), -719468),
    ],
    ids=lambda value: str(value),
)
def test_day_number_known_values(ymd: tuple[int, int, int], expected: int) -> None:
    assert day_number(*ymd) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (0, "1970-01-01"),
        (19678, "2023-11-17"),
        (-719528, "0000-01-01"),
        (-719529, "-0001-12-31"),
        (NEG_INF, ".."),
        (POS_INF, ".."),
    ],
    ids=lambda value: str(value),
)
def test_day_to_iso_known_values(day: int, expected: str) -> None:
    assert day_to_iso(day) == expected


def test_day_to_iso_long_years() -> None:
    assert day_to_iso(day_number(12345, 1, 1)) == "Y12345-01-01"
    assert day_to_iso(day_number(-10000, 12, 31)) == "Y-10000-12-31"
    assert day_to_iso(day_number(-9999, 1, 1)) == "-9999-01-01"


@pytest.mark.parametrize("ymd", [(2023, 2, 29), (2023, 13, 1), (2023, 0, 1), (2023, 4, 31)])
def test_day_number_rejects_impossible_dates(ymd: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError):
        day_number(*ymd)


@st.composite
def civil_dates(
    draw: st.DrawFn, min_year: int = -5000, max_year: int = 5000
) -> tuple[int, int, int]:
    year = draw(st.integers(min_year, max_year))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, days_in_month(year, month)))
    return year, month, day


def next_date(year: int, month: int, day: int) -> tuple[int, int, int]:
    if day < days_in_month(year, month):
        return year, month, day + 1
    if month < 12:
        return year, month + 1, 1
    return year + 1, 1, 1


@given(civil_dates())
def test_day_number_round_trips_and_counts_days(ymd: tuple[int, int, int]) -> None:
    year, month, day = ymd
    number = day_number(year, month, day)
    sign = "-" if year < 0 else ""
    assert day_to_iso(number) == f"{sign}{abs(year):04d}-{month:02d}-{day:02d}"
    assert day_number(*next_date(year, month, day)) == number + 1
    # the Gregorian calendar repeats every 400 years = 146097 days (checks BCE independently)
    assert day_number(year - 400, month, day) == number - 146097


@given(civil_dates(1, 9999))
def test_day_number_matches_datetime(ymd: tuple[int, int, int]) -> None:
    assert day_number(*ymd) == dt.date(*ymd).toordinal() - EPOCH_ORDINAL


# ---------------------------------------------------------------------------------------------
# Properties of random valid dates and spans


@st.composite
def edtf_dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(-9999, 9999))
    y = f"{'-' if year < 0 else ''}{abs(year):04d}"
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, days_in_month(year, month)))
    text = draw(
        st.sampled_from(
            [
                y,
                f"{y}-{month:02d}",
                f"{y}-{month:02d}-{day:02d}",
                f"{y}-{draw(st.integers(21, 24))}",
                f"{y}-{month:02d}-XX",
                f"{y}-XX",
                y[:-1] + "X",
                y[:-2] + "XX",
            ]
        )
    )
    return text + draw(st.sampled_from(["", "", "~", "?", "%"]))


@settings(deadline=None)  # the first dates meet edtf's parser cold; CI machines are shared
@given(edtf_dates())
def test_date_properties(text: str) -> None:
    got = parse_date(text)
    assert got.lo < got.hi
    query = parse_day(text)
    assert got.lo <= query < got.hi
    assert known_day(text) == got.hi - 1 >= query


@given(
    st.one_of(
        edtf_dates(),
        st.tuples(edtf_dates(), edtf_dates()).map("/".join),
        edtf_dates().map(lambda text: text + "/.."),
        edtf_dates().map(lambda text: "../" + text),
        edtf_dates().map(lambda text: text + "/"),
        edtf_dates().map(lambda text: "/" + text),
    ),
    st.integers(-4_000_000, 3_000_000),
)
def test_span_properties(text: str, day: int) -> None:
    try:
        span = parse_span(text)
    except DateError as error:
        # the only way a span of valid dates can fail
        assert "ends before it starts" in str(error)
        start, end = text.split("/")
        assert parse_date(end).hi <= parse_date(start).lo
        return
    assert span.start_lo <= span.start_hi
    assert span.end_lo <= span.end_hi
    assert span.start_lo < span.end_hi
    got = status(span, day)
    if got is not Status.NOT:
        assert span.start_lo <= day < span.end_hi
    if span.start_hi <= day < span.end_lo:
        assert got is Status.HOLDS


# --- the fast path agrees with edtf ------------------------------------------------------------

_simple_dates = st.builds(
    lambda y, m, d, precision, q: (
        f"{y:04d}" + (f"-{m:02d}" if precision > 0 else "")
        + (f"-{d:02d}" if precision > 1 else "") + q),
    st.integers(0, 9999), st.integers(1, 12), st.integers(1, 28), st.integers(0, 2),
    st.sampled_from(["", "~", "?", "%"]))


@settings(max_examples=300, deadline=None)
@given(a=_simple_dates, b=st.one_of(st.none(), st.just(".."), st.just(""), _simple_dates),
       open_start=st.sampled_from(["", "..", None]))
def test_the_fast_path_accepts_only_what_edtf_accepts(a, b, open_start):
    import contextlib
    import io

    import edtf

    from timeline.dates import _simple_kind

    text = a if b is None else f"{a}/{b}"
    if open_start is not None:
        text = f"{open_start}/{a}"
    kind = _simple_kind(text)
    assert kind is not None
    with contextlib.redirect_stdout(io.StringIO()):
        parsed = edtf.parse_edtf(text)
    assert ("Interval" in type(parsed).__name__) == ("Interval" in kind)


def _general(parse: Any, text: str) -> Any:
    """``parse(text)`` by the general path only (the fast path off, no remembered results)."""
    caches = (dates.parse_span, dates.parse_date, dates._side_bounds, dates._fast_bounds)
    for cache in caches:
        cache.cache_clear()
    dates._FAST = False
    try:
        return _outcome(parse, text)
    finally:
        dates._FAST = True
        for cache in caches:
            cache.cache_clear()


def _exact(text: str) -> DateRange:
    return DateRange.parse(text).exact()


def _outcome(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except DateError as error:
        return str(error)


@st.composite
def common_dates(draw: st.DrawFn) -> str:
    """The commonest forms, a few with no such day (2023-02-30) or not quite common."""
    year = draw(st.sampled_from([f"{y:04d}" for y in (0, 1, 1600, 1900, 1999, 2000, 2024,
                                                      9999)] + ["-0044", "Y12345"]))
    month = draw(st.sampled_from(["01", "02", "04", "12", "13", "00", "21"]))
    day = draw(st.sampled_from(["01", "28", "29", "30", "31", "32", "00", "XX"]))
    text = draw(st.sampled_from([year, f"{year}-{month}", f"{year}-{month}-{day}"]))
    return text + draw(st.sampled_from(["", "", "~", "?", "%", "^"]))


@settings(max_examples=400)
@given(st.one_of(
    common_dates(),
    st.tuples(common_dates(), common_dates()).map("/".join),
    st.tuples(common_dates(), common_dates()).map(" / ".join),
    common_dates().map(lambda text: text + "/.."),
    common_dates().map(lambda text: text + ".."),
    common_dates().map(lambda text: "../" + text),
    common_dates().map(lambda text: "/" + text),
    common_dates().map(lambda text: text + "/"),
))
def test_the_fast_path_reads_dates_exactly_as_the_general_path(text: str) -> None:
    for parse in (parse_span, parse_date, known_day, _exact):
        assert _outcome(parse, text) == _general(parse, text), (parse.__name__, text)


# ---------------------------------------------------------------------------------------------
# One date as a value: DateRange.parse, exact(), its parts


# (text, exact first day, exact last day, precision, approximate, uncertain,
#  first_parts, last_parts)
VALUE_CASES = [
    ("2023-11-30", "2023-11-30", "2023-11-30", "day", False, False, (2023, 11, 30), (2023, 11, 30)),
    ("2023-11", "2023-11-01", "2023-11-30", "month", False, False, (2023, 11), (2023, 11)),
    ("2023", "2023-01-01", "2023-12-31", "year", False, False, (2023,), (2023,)),
    ("2023-11~", "2023-11-01", "2023-11-30", "month", True, False, (2023, 11), (2023, 11)),
    ("2023?", "2023-01-01", "2023-12-31", "year", False, True, (2023,), (2023,)),
    ("2023-11-17%", "2023-11-17", "2023-11-17", "day", True, True, (2023, 11, 17),
     (2023, 11, 17)),
    # qualifiers anywhere, and the blanks edtf lets through, qualify the whole date
    ("2004-06~-11", "2004-06-11", "2004-06-11", "day", True, False, (2004, 6, 11), (2004, 6, 11)),
    ("?2004", "2004-01-01", "2004-12-31", "year", False, True, (2004,), (2004,)),
    ("2023-11-17 ~", "2023-11-17", "2023-11-17", "day", True, False, (2023, 11, 17),
     (2023, 11, 17)),
    # BCE: astronomical years, so -0043 is 44 BCE and 0000 is 1 BCE
    ("-0043-03-15", "-0043-03-15", "-0043-03-15", "day", False, False, (-43, 3, 15),
     (-43, 3, 15)),
    ("-0043-03-15~", "-0043-03-15", "-0043-03-15", "day", True, False, (-43, 3, 15),
     (-43, 3, 15)),
    ("0000", "0000-01-01", "0000-12-31", "year", False, False, (0,), (0,)),
    ("-0044~", "-0044-01-01", "-0044-12-31", "year", True, False, (-44,), (-44,)),
    # seasons: the months they cover; a winter runs into the next year
    ("2023-22", "2023-06-01", "2023-08-31", "season", False, False, (2023, 6), (2023, 8)),
    ("2023-24", "2023-12-01", "2024-02-29", "season", False, False, (2023, 12), (2024, 2)),
    ("2001-21~", "2001-03-01", "2001-05-31", "season", True, False, (2001, 3), (2001, 5)),
    ("2001-41?", "2001-07-01", "2001-12-31", "season", False, True, (2001, 7), (2001, 12)),
    # coarser than a year: the years they cover
    ("201X", "2010-01-01", "2019-12-31", "decade", False, False, (2010,), (2019,)),
    ("19XX~", "1900-01-01", "1999-12-31", "century", True, False, (1900,), (1999,)),
    ("1985-04-XX", "1985-04-01", "1985-04-30", "month", False, False, (1985, 4), (1985, 4)),
    ("Y-12345", "Y-12345-01-01", "Y-12345-12-31", "year", False, False, (-12345,), (-12345,)),
    ("2023-11-17T10:00:00Z", "2023-11-17", "2023-11-17", "day", False, False, (2023, 11, 17),
     (2023, 11, 17)),
]


@pytest.mark.parametrize(
    ("text", "first", "last", "precision", "approximate", "uncertain", "first_parts",
     "last_parts"),
    VALUE_CASES,
    ids=[case[0] for case in VALUE_CASES],
)
def test_date_value(text: str, first: str, last: str, precision: str, approximate: bool,
                    uncertain: bool, first_parts: tuple[int, ...], last_parts: tuple[int, ...]
                    ) -> None:
    date = DateRange.parse(text)
    assert date == parse_date(text)
    assert (date.text, date.precision, date.approximate, date.uncertain) == (
        text.strip(), precision, approximate, uncertain)
    assert date.qualified == (approximate or uncertain)
    plain = date.exact()
    assert (iso(plain.lo), iso(plain.hi - 1)) == (first, last)
    assert (plain.text, plain.precision, plain.approximate, plain.uncertain) == (
        date.text, precision, approximate, uncertain)
    assert (plain.first_parts, plain.last_parts) == (first_parts, last_parts)
    if date.qualified:  # the widening is one unit of the precision on each side
        assert date.lo < plain.lo and plain.hi < date.hi
    else:
        assert plain is date


def test_exact_is_the_unqualified_date() -> None:
    for text in ("2023-11~", "2004-06~-11", "?2004", "2001-21~", "19XX%", "-0043-03-15?"):
        plain, bare = DateRange.parse(text).exact(), parse_date(strip_qualifiers(text))
        assert (plain.lo, plain.hi, plain.precision) == (bare.lo, bare.hi, bare.precision)


def test_parts_of_the_padded_bounds() -> None:
    date = DateRange.parse("2023-11-30~")  # a week each side
    assert (date.first_parts, date.last_parts) == ((2023, 11, 23), (2023, 12, 7))


@pytest.mark.parametrize("text", ["", "  ", "banana", "2023-02-30", "2023-13", "XXXX",
                                  "2019/2020", "..2019", "{2019,2020}", "2023S0"])
def test_date_value_refuses_what_parse_date_refuses(text: str) -> None:
    with pytest.raises(DateError) as by_value:
        DateRange.parse(text)
    with pytest.raises(DateError) as by_function:
        parse_date(text)
    assert str(by_value.value) == str(by_function.value)


# ---------------------------------------------------------------------------------------------
# Helpers: day_parts, interval_sides, strip_qualifiers, today


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (0, (1970, 1, 1)),
        (-1, (1969, 12, 31)),
        (19691, (2023, 11, 30)),
        (-719162, (1, 1, 1)),
        (-719163, (0, 12, 31)),  # 1 BCE
        (-719528, (0, 1, 1)),
        (-719529, (-1, 12, 31)),  # 2 BCE
        (-735160, (-43, 3, 15)),  # the Ides of March, 44 BCE
        (day_number(12345, 6, 7), (12345, 6, 7)),
        (day_number(-12344, 2, 29), (-12344, 2, 29)),  # a leap year BCE
    ],
    ids=str,
)
def test_day_parts_known_values(day: int, expected: tuple[int, int, int]) -> None:
    assert day_parts(day) == expected


@settings(max_examples=500)
@given(st.one_of(st.integers(NEG_INF, POS_INF), st.integers(-(10**6), 10**6)))
@example(NEG_INF)
@example(POS_INF)
@example(-719529)  # 31 December 2 BCE
@example(-719528)  # 1 January 1 BCE
def test_day_parts_round_trips_through_day_number(day: int) -> None:
    year, month, dom = day_parts(day)
    assert day_number(year, month, dom) == day  # raises if the parts are no real date


@given(civil_dates(-3_000_000, 3_000_000))
def test_day_number_round_trips_through_day_parts(ymd: tuple[int, int, int]) -> None:
    assert day_parts(day_number(*ymd)) == ymd


@pytest.mark.parametrize(
    ("valid", "expected"),
    [
        ("2019-07/..", ("2019-07", "..")),
        ("2019-07..", ("2019-07", "..")),
        ("../2019", ("..", "2019")),
        ("..2019", ("..", "2019")),
        ("/2024", ("", "2024")),
        ("2019/", ("2019", "")),
        ("../..", ("..", "..")),
        (" 2018-06 / 2018-08~ ", ("2018-06", "2018-08~")),
        ("2018-22/2019-24?", ("2018-22", "2019-24?")),
        ("-0043-03-15/-0043-03-17", ("-0043-03-15", "-0043-03-17")),
        ("2019-XX/2020", ("2019-XX", "2020")),
        ("2023-11-17", ("2023-11-17", "2023-11-17")),
        (" 2023-24~ ", ("2023-24~", "2023-24~")),
        ("-0044", ("-0044", "-0044")),
    ],
    ids=lambda value: repr(value),
)
def test_interval_sides(valid: str, expected: tuple[str, str]) -> None:
    assert interval_sides(valid) == expected


@pytest.mark.parametrize(("valid", "fragment"), [
    ("", "empty date"), ("/", "has no bounds"), ("..", "has no bounds"),
    ("2020/2019", "ends before it starts"), ("2019/banana", "not a valid EDTF date"),
])
def test_interval_sides_refuses_what_parse_span_refuses(valid: str, fragment: str) -> None:
    with pytest.raises(DateError, match=fragment):
        interval_sides(valid)


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-11", "2023-11"),
    ("2023-11~", "2023-11"),
    ("?2004", "2004"),
    ("2004-06~-11", "2004-06-11"),
    ("2023-11-17 %", "2023-11-17"),
    ("-0043?", "-0043"),
    ("2001-21~", "2001-21"),
    ("201X?", "201X"),
])
def test_strip_qualifiers(text: str, expected: str) -> None:
    assert strip_qualifiers(text) == expected


def test_today_is_utc() -> None:
    before = dt.datetime.now(dt.UTC).date()
    day, text = today_day(), today_iso()
    after = dt.datetime.now(dt.UTC).date()
    assert day in {d.toordinal() - EPOCH_ORDINAL for d in (before, after)}
    assert text in {before.isoformat(), after.isoformat()}
    assert parse_day("today") in {day, day + 1}


# ---------------------------------------------------------------------------------------------
# Days in words (timeline.datewords)


@pytest.mark.parametrize(("day", "long", "short"), [
    (d("2023-11-30"), "30 November 2023", "30 Nov 2023"),
    (d("2024-02-29"), "29 February 2024", "29 Feb 2024"),
    (d("0001-01-01"), "1 January 1", "1 Jan 1"),
    (d("0000-12-31"), "31 December 1 BCE", "31 Dec 1 BCE"),
    (d("-0043-03-15"), "15 March 44 BCE", "15 Mar 44 BCE"),
    (day_number(12345, 5, 2), "2 May 12345", "2 May 12345"),
    (day_number(-170000, 9, 1), "1 September 170001 BCE", "1 Sep 170001 BCE"),
    (NEG_INF, "..", ".."),
    (POS_INF, "..", ".."),
], ids=str)
def test_human_date(day: int, long: str, short: str) -> None:
    assert datewords.human_date(day) == long
    assert datewords.human_date(day, short=True) == short


@pytest.mark.parametrize(("year", "expected"), [
    (2023, "2023"), (1, "1"), (0, "1 BCE"), (-1, "2 BCE"), (-43, "44 BCE"), (-12344, "12345 BCE"),
])
def test_year_text(year: int, expected: str) -> None:
    assert datewords.year_text(year) == expected


def test_month_text() -> None:
    assert [datewords.month_text(m, short=True) for m in (1, 5, 9, 12)] == [
        "Jan", "May", "Sep", "Dec"]
    assert datewords.month_text(11) == "November"
