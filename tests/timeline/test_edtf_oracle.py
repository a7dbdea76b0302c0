"""The date parser against an independent EDTF validator (issue 16, item 4).

``edtf-validate``'s ``is_valid`` is the oracle: on generated dates of EDTF levels 0 and 1
(dates, date-times, seasons, qualifiers, unspecified digits, long and negative years, intervals
with open and unknown ends) and on level 2's sets of dates, ``parse_span`` accepts exactly
what ``is_valid`` accepts, but for the deliberate differences below. Each difference is named
by a rule that recognises it from how the text was written, goes one stated way (we refuse
where the oracle accepts, or the reverse), and is listed with its reason in
docs/time-model.md; ``test_each_difference_is_real`` pins one example of each, so that a
difference that stops being one (a new oracle, a changed parser) is noticed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable

import pytest
from edtf_validate.valid_edtf import is_valid
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.dates import MAX_YEAR, MIN_YEAR, DateError, DateRange, parse_span


def accepts(text: str) -> bool:
    try:
        parse_span(text)
    except DateError:
        return False
    return True


def oracle(text: str) -> bool:
    """``is_valid`` answers None for some intervals (``-1984/-1985``): a refusal."""
    return bool(is_valid(text))


# --- the deliberate differences ---------------------------------------------------------------

_YMD = re.compile(r"(?<![\dXY])(-?\d{4})-(\d{2})-(\d{2})")
_LONG = re.compile(r"Y(-?)(\d+)")
_RUN = re.compile(r"(?:^|[\[,])([^,\[\]]+)\.\.([^,\[\]]+)(?=[,\]])")


def _month_length(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else (
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _no_such_day(text: str) -> bool:
    """A day its month does not have: the oracle does not check leap years (``2001-02-29``),
    nor the days of a qualified date (``2000-04-31?``)."""
    return any(1 <= int(month) <= 12 and int(day) > _month_length(int(year), int(month))
               for year, month, day in _YMD.findall(text))


def _year_out_of_range(text: str) -> bool:
    """A long year beyond the days the engine counts (docs/time-model.md, Long years)."""
    return any(not MIN_YEAR <= int(sign + digits) <= MAX_YEAR
               for sign, digits in _LONG.findall(text))


def _dates_in(text: str) -> list[str]:
    """The dates of an interval or a set as written: '[1667,1668..1670]' -> 1667, 1668, 1670."""
    return [d for d in re.split(r"[/,\[\]{}]|\.\.", text) if d]


def _qualified_unspecified(text: str) -> bool:
    """A qualifier on a date with unspecified digits (``201X~``, ``2004-XX?``): the engine
    widens it as any qualified date; the oracle refuses the combination."""
    return any("X" in date and date[-1] in "?~%" for date in _dates_in(text))


def _unspecified_before_specified(text: str) -> bool:
    """Unspecified digits before specified ones (``1985-XX-05``, level 2): the engine refuses
    a date whose unknown part is not its end (docs/time-model.md, Unspecified digits)."""
    return any(re.search(r"X[-X]*\d", date) for date in _dates_in(text))


def _unspecified_with_an_open_end(text: str) -> bool:
    """Unspecified digits in an interval with an open or unknown end (``201X/..``): the
    engine reads it as any interval; the oracle refuses it (and accepts ``201X/2020``)."""
    lower, slash, upper = text.partition("/")
    return bool(slash) and "X" in text and "[" not in text and (
        lower in ("", "..") or upper in ("", ".."))


def _qualified_season_in_a_set(text: str) -> bool:
    """A qualified season in a set (``[2001-21?,2002]``): the engine refuses seasons in sets,
    as edtf does; the oracle refuses ``[2001-21,2002]`` but accepts it qualified."""
    return text.startswith(("[", "{")) and any(
        re.fullmatch(r"-?\d{4}-(?:2[1-9]|3\d|4[01])[?~%]", date) for date in _dates_in(text))


def _months_within_a_year_before_one(text: str) -> bool:
    """An interval within one year before year 1 with a month or a day at an end
    (``-0044-01/-0044-03``): the oracle orders its ends backwards, refusing it in order and
    accepting it reversed (``-0044-03/-0044-01``); the engine orders days as they fall."""
    found = re.fullmatch(r"(-\d{4})(-[\dX]{2})?\S*/(-\d{4})(-[\dX]{2})?\S*", text)
    return found is not None and found[1] == found[3] and bool(found[2] or found[4])


def _alone_beside_unspecified(text: str) -> bool:
    """A long year or a time of day at one end of an interval with unspecified digits
    (``Y-10000/201X``, ``1985-04-12T10:00:00/201X``): edtf cannot check such an interval
    whole, so the engine checks each end alone, as it always has (archives may hold them);
    the oracle refuses long years and times of day in intervals."""
    return "/" in text and "X" in text and ("Y" in text or "T" in text)


def _open_before_year_one(text: str) -> bool:
    """An open or unknown start before an end in 1 BCE or earlier (``../-0043``): the oracle
    refuses it, though it accepts the same end after a start (``-0044/-0043``)."""
    found = re.fullmatch(r"(?:\.\.)?/(-?\d{4})\S*", text)
    return found is not None and int(found[1]) <= 0


def _season_after_a_start_before_year_one(text: str) -> bool:
    """An interval that starts before year 1 and ends in a season (``-0001/0000-21``): the
    oracle refuses it, though it accepts the same end after a later start (``0001/0002-21``)
    and that season alone (``0000-21``)."""
    return re.fullmatch(r"-\d{4}\S*/-?\d{4}-(?:2[1-9]|3\d|4[01])\S*", text) is not None


def _exact(side: str) -> DateRange:
    return DateRange.parse(side).exact()


def _overlapping_end(text: str) -> bool:
    """An interval whose end begins before its start but does not end before it
    (``2004-06/2004``): the engine accepts it (it may hold June to December 2004, never
    surely); the oracle refuses any end that begins before the start."""
    lower, _, upper = text.partition("/")
    if not lower or not upper or ".." in (lower, upper) or "[" in text:
        return False
    try:
        return _exact(upper).lo < _exact(lower).lo and accepts(text)
    except DateError:
        return False


def _backward_run(text: str) -> bool:
    """A run in a set whose last date ends before its first begins (``[1667..1665]``)."""
    for first, last in _RUN.findall(text):
        try:
            if _exact(last).hi <= _exact(first).lo:
                return True
        except DateError:
            continue
    return False


def _set_at_an_end(text: str) -> bool:
    """A set of dates at an end of an interval (``2021/[..2023-06]``): an extension."""
    return "/" in text and "[" in text


def _all_of_a_set(text: str) -> bool:
    """``{...}``, all of a set: several dates are not one valid time."""
    return text.startswith("{")


#: (name, recognises it, what parse_span says, what the oracle says)
DIFFERENCES: list[tuple[str, Callable[[str], bool], bool, bool]] = [
    ("no such day", _no_such_day, False, True),
    ("year out of range", _year_out_of_range, False, True),
    ("all of a set", _all_of_a_set, False, True),
    ("backward run in a set", _backward_run, False, True),
    ("qualified unspecified digits", _qualified_unspecified, True, False),
    ("end overlapping the start", _overlapping_end, True, False),
    ("unspecified before specified digits", _unspecified_before_specified, False, True),
    ("open start before year 1", _open_before_year_one, True, False),
    ("a season after a start before year 1", _season_after_a_start_before_year_one, True,
     False),
    ("months within a year before 1, in order", _months_within_a_year_before_one, True,
     False),
    ("months within a year before 1, reversed", _months_within_a_year_before_one, False,
     True),
    ("unspecified digits with an open end", _unspecified_with_an_open_end, True, False),
    ("qualified season in a set", _qualified_season_in_a_set, False, True),
    ("long year or time beside unspecified digits", _alone_beside_unspecified, True, False),
    ("a set at an end of an interval", _set_at_an_end, True, False),
]

#: One example of each difference: the parser and the oracle do disagree on it.
EXAMPLES = {
    "no such day": "2001-02-29",
    "year out of range": "Y170000002",  # the EDTF specification's own example
    "all of a set": "{1667,1668}",
    "backward run in a set": "[1667..1665]",
    "qualified unspecified digits": "201X~",
    "end overlapping the start": "2004-06/2004",
    "a set at an end of an interval": "2021/[..2023-06]",
    "unspecified before specified digits": "1985-XX-05",
    "open start before year 1": "../-0043-03-15",
    "a season after a start before year 1": "-0001/0000-21",
    "months within a year before 1, in order": "-0044-01/-0044-03",
    "months within a year before 1, reversed": "-0044-03/-0044-01",
    "unspecified digits with an open end": "201X/..",
    "qualified season in a set": "[2001-21?,2002]",
    "long year or time beside unspecified digits": "Y-10000/201X",
}


@pytest.mark.parametrize(("name", "recognise", "ours", "theirs"), DIFFERENCES,
                         ids=[d[0] for d in DIFFERENCES])
def test_each_difference_is_real(name: str, recognise: Callable[[str], bool], ours: bool,
                                 theirs: bool) -> None:
    text = EXAMPLES[name]
    assert recognise(text)
    assert (accepts(text), oracle(text)) == (ours, theirs)


def check(text: str) -> None:
    ours, theirs = accepts(text), oracle(text)
    if ours == theirs:
        return
    named = [(name, o, t) for name, recognise, o, t in DIFFERENCES if recognise(text)]
    assert named, f"{text!r}: parse_span {'accepts' if ours else 'refuses'} it, is_valid " \
                  f"{'accepts' if theirs else 'refuses'} it, and no difference says why"
    assert any((o, t) == (ours, theirs) for _, o, t in named), (text, named)


# --- generated dates --------------------------------------------------------------------------

_years = st.one_of(st.integers(0, 9999).map(lambda y: f"{y:04d}"),
                   st.integers(1, 9999).map(lambda y: f"-{y:04d}"),
                   st.sampled_from(["1600", "1700", "1900", "2000", "2001", "2004", "-0004"]))
_months = st.one_of(st.integers(1, 12).map(lambda m: f"{m:02d}"),
                    st.sampled_from(["00", "13", "XX", "02", "21", "22", "23", "24"]))
_days = st.one_of(st.integers(1, 31).map(lambda d: f"{d:02d}"),
                  st.sampled_from(["00", "32", "29", "30", "XX"]))
_qualifiers = st.sampled_from(["", "", "", "?", "~", "%"])


@st.composite
def plain_dates(draw: st.DrawFn) -> str:
    """A year, a month (or season) or a day, perhaps with unspecified digits: no qualifier."""
    year = draw(_years)
    shape = draw(st.sampled_from(["year", "month", "day", "day", "unspecified"]))
    if shape == "unspecified":
        return year[:4 - draw(st.integers(1, 3))].ljust(4, "X") if year[0] != "-" else year
    if shape == "year":
        return year
    month = draw(_months)
    return f"{year}-{month}" if shape == "month" else f"{year}-{month}-{draw(_days)}"


@st.composite
def level1_dates(draw: st.DrawFn) -> str:
    """Levels 0 and 1: a date, qualified or not, a date-time, or a long year."""
    kind = draw(st.sampled_from(["date"] * 6 + ["time", "long"]))
    if kind == "long":
        digits = draw(st.integers(10000, 10**9))
        return f"Y{draw(st.sampled_from(['', '-']))}{digits}"
    if kind == "time":
        year = draw(st.integers(1000, 2999))
        zone = draw(st.sampled_from(["", "Z", "+04:00", "-04", "+15:00"]))
        hour = draw(st.sampled_from(["00", "23", "25"]))
        return f"{year}-04-12T{hour}:20:30{zone}"
    return draw(plain_dates()) + draw(_qualifiers)


_ends = st.one_of(level1_dates(), st.sampled_from(["..", ""]))


@st.composite
def intervals(draw: st.DrawFn) -> str:
    return f"{draw(_ends)}/{draw(_ends)}"


@st.composite
def members(draw: st.DrawFn) -> str:
    """A member of a set: a date, a run of dates, or a date open before or after."""
    kind = draw(st.sampled_from(["date", "date", "run", "before", "after"]))
    date = draw(plain_dates())
    if kind == "date":
        return date + draw(_qualifiers)
    if kind == "before":
        return f"..{date}"
    if kind == "after":
        return f"{date}.."
    return f"{date}..{draw(plain_dates())}"


@st.composite
def sets(draw: st.DrawFn) -> str:
    inner = ",".join(draw(st.lists(members(), min_size=1, max_size=3)))
    return f"{{{inner}}}" if draw(st.integers(0, 7)) == 0 else f"[{inner}]"


# The same examples on every run, so that a quirk of the validator not yet named fails here,
# not in a later CI run by chance; set derandomize=False to explore anew (each new quirk found
# so is named in DIFFERENCES, with its example).
@settings(max_examples=400, deadline=None, derandomize=True)
@given(level1_dates())
def test_single_dates_agree_with_the_oracle(text: str) -> None:
    check(text)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(intervals())
def test_intervals_agree_with_the_oracle(text: str) -> None:
    check(text)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(sets())
def test_sets_of_dates_agree_with_the_oracle(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(sets(), _ends.filter(lambda end: end not in ("", "..")), st.booleans())
def test_a_set_at_an_end_is_accepted_where_both_ends_are(one_of: str, date: str,
                                                          first: bool) -> None:
    """The extension: a set at an end is accepted exactly when the set and the other end are
    each accepted alone and the end does not lie wholly before the start."""
    text = f"{one_of}/{date}" if first else f"{date}/{one_of}"
    alone = accepts(one_of) and accepts(date)
    if not alone:
        assert not accepts(text)
        return
    a, b = (parse_span(one_of), parse_span(date))[:: 1 if first else -1]
    assert accepts(text) == (b.end_hi > a.start_lo)


@pytest.mark.parametrize("text", [
    "1985-04-12", "1985-04", "1985", "1985-04-12T23:20:30", "1985-04-12T23:20:30Z",
    "1985-04-12T23:20:30-04", "1985-04-12T23:20:30+04:30", "1964/2008", "2004-06/2006-08",
    "2004-02-01/2005-02-08", "2004-02-01/2005-02", "2004-02-01/2005", "2005/2006-02",
    "Y17000", "Y-17000", "2001-21", "2001-22", "2001-23", "2001-24", "1984?",
    "2004-06~", "2004-06-11%", "201X", "20XX", "2004-XX", "1985-04-XX", "1985-XX-XX",
    "1985-04-12/..", "1985-04/..", "1985/..", "../1985-04-12", "../1985-04", "../1985",
    "1985-04-12/", "1985-04/", "1985/", "/1985-04-12", "/1985-04", "/1985", "-1985",
    "1984?/2004-06~", "1984~/2004~", "1984-06?/2004-08?", "1984-06-02?/2004-08-08~",
    "1984-06-02?/", "1984-06-02?/..", "../..",
    "[1667,1668,1670..1672]", "[..1760-12-03]", "[1760-12..]", "[1760-01,1760-02,1760-12..]",
    "[1667,1760-12]", "[..1984]",
])
def test_the_specifications_examples_of_levels_0_and_1_and_of_sets(text: str) -> None:
    """Every example the EDTF specification gives for levels 0 and 1, and for "one of a set":
    accepted, as the oracle accepts them."""
    assert oracle(text)
    assert accepts(text)
