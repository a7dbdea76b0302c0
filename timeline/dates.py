"""Uncertain historical dates as ranges of whole days: EDTF in, day numbers out.

Every date is a half-open range ``[lo, hi)`` of day numbers (proleptic Gregorian, day 0 =
1970-01-01, years before 1 allowed; EDTF numbers years astronomically, so 44 BCE is ``-0043``).
``edtf`` only validates the syntax; the bounds come from this module's own table (``_FUZZ``),
because edtf's fuzzy bounds are far too wide. A claim's valid time is a :class:`Span` of four
bounds; an open end (``..``) and an unknown end are the sentinels :data:`NEG_INF` and
:data:`POS_INF`, and a year beyond :data:`MIN_YEAR`..:data:`MAX_YEAR` is refused, never clamped.
A date may be written in the Julian calendar (``parse_span(text, "julian")``): its bounds are
found in that calendar (``timeline.calendars``), then given as day numbers like any other.
docs/time-model.md states every rule with worked examples.

One date is a :class:`DateRange` value (``DateRange.parse("2023-11~")``). Modules that need a
day's year, month and day, an interval's sides as written or today use :func:`day_parts`,
:func:`interval_sides`, :func:`strip_qualifiers` and :func:`today_day` rather than taking EDTF
text apart themselves; :mod:`timeline.datewords` puts days in words. Sets of dates ("one
of", ``[1667,1668]``) are read by :mod:`timeline.edtf_sets`, through :func:`parse_span`.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple, TypeVar

# The sentinels, the year limits and the day arithmetic are the calendars' (re-exported here,
# where the rest of the engine finds them).
from timeline.calendars import GREGORIAN, Calendar, calendar_named
from timeline.calendars import MAX_DAY as _MAX_DAY
from timeline.calendars import MAX_YEAR as MAX_YEAR
from timeline.calendars import MIN_DAY as _MIN_DAY
from timeline.calendars import MIN_YEAR as MIN_YEAR
from timeline.calendars import NEG_INF as NEG_INF
from timeline.calendars import POS_INF as POS_INF
from timeline.calendars import DateError as DateError
from timeline.calendars import clamp as _clamp
from timeline.calendars import day_number as day_number
from timeline.calendars import day_parts as day_parts
from timeline.calendars import day_to_iso as day_to_iso
from timeline.calendars import today_day as today_day
from timeline.calendars import today_iso as today_iso

# How far an approximate (~), uncertain (?) or both (%) date is widened, on BOTH sides, keyed
# by the date's precision. One unit of the precision itself ("about November 2023" may be late
# October or early December, not another year), except a day, which gets a week. The three
# qualifiers widen alike and never stack. Coarser-than-year precisions (201X~, 19XX~) still
# widen by one year only: the unspecified digits already make them wide.
_FUZZ: dict[str, tuple[str, int]] = {
    "day": ("days", 7), "month": ("months", 1), "season": ("months", 1), "year": ("years", 1),
    "decade": ("years", 1), "century": ("years", 1), "millennium": ("years", 1),
    "millennia": ("years", 1),
}  # fmt: skip

# EDTF "seasons" (level 1: 21-24; level 2: 25-41) as (first month, number of months).
# Northern meteorological seasons; a winter/last part runs into the next year.
_SEASONS: dict[int, tuple[int, int]] = {
    21: (3, 3), 22: (6, 3), 23: (9, 3), 24: (12, 3),  # spring, summer, autumn, winter
    25: (3, 3), 26: (6, 3), 27: (9, 3), 28: (12, 3),  # the same, northern hemisphere
    29: (9, 3), 30: (12, 3), 31: (3, 3), 32: (6, 3),  # southern spring..winter
    33: (1, 3), 34: (4, 3), 35: (7, 3), 36: (10, 3),  # quarters
    37: (1, 4), 38: (5, 4), 39: (9, 4),  # quadrimesters
    40: (1, 6), 41: (7, 6),  # semesters
}  # fmt: skip

# Number of unspecified / insignificant trailing year digits -> precision name.
_YEAR_PRECISION = {0: "year", 1: "decade", 2: "century", 3: "millennium"}

# Long years beyond this many digits are out of range anyway; don't build huge ints for them.
_MAX_YEAR_DIGITS = 12

_QUALIFIERS = "?~%"
_UNQUALIFY = {ord(c): None for c in _QUALIFIERS}
_DATE_RE = re.compile(
    r"(?P<sign>-?)(?P<year>[0-9X]{4})(?:S(?P<sig>\d+))?"
    r"(?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2}))?)?"
    r"(?:T(?P<time>.+))?",
    re.ASCII,
)
_LONG_YEAR_RE = re.compile(
    r"Y(?P<sign>-?)(?P<digits>\d+)(?:E(?P<exp>\d+))?(?:S(?P<sig>\d+))?", re.ASCII
)
_SEASON_RE = re.compile(r"-?\d{4}-(2[1-9]|3\d|4[01])", re.ASCII)
# Year-month-day anywhere in a string, to explain why edtf rejected e.g. 2023-02-30.
_YMD_RE = re.compile(r"(?<![\dX])(-?\d{4})-(\d{2})-(\d{2})(?!\d)", re.ASCII)


class Status(StrEnum):
    """Whether a claim holds on a given day (a str: Status.HOLDS == "HOLDS")."""

    HOLDS = "HOLDS"
    MAYBE = "MAYBE"
    NOT = "NOT"


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic (timeline.calendars: day numbers from either calendar)

_GREGORIAN = calendar_named(GREGORIAN)
# The cached parsers are called with a Gregorian date's text alone: a one-argument call is
# remembered by the text itself, the cheapest key (dates are parsed in bulk on an import).
_NO_ARGS: tuple[Calendar, ...] = ()


def _extra(cal: Calendar) -> tuple[Calendar, ...]:
    """The arguments after the text that name ``cal``: none for the Gregorian."""
    return _NO_ARGS if cal is _GREGORIAN else (cal,)


def _month_start(year: int, month: int, cal: Calendar = _GREGORIAN) -> int:
    """Day number of the first of ``month`` in ``cal``; ``month`` may run past 12 or below 1."""
    return cal.day_number(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _shift(day: int, unit: str, n: int, cal: Calendar) -> int:
    """Move ``day`` by n days, or n months/years of ``cal`` when it is the first of a month or
    year there."""
    if unit == "days":
        return day + n
    year, month, _ = cal.day_parts(day)
    return _month_start(year, month + (n if unit == "months" else 12 * n), cal)




# ---------------------------------------------------------------------------------------------
# Parsing one EDTF date


@dataclass(frozen=True)
class DateRange:
    """One EDTF date as a value: the days ``[lo, hi)`` it covers, after fuzz padding.

    Made by :meth:`parse` (the same as :func:`parse_date`): ``text`` is the date as written,
    stripped of surrounding blanks, in ``calendar`` (``timeline.calendars``); the days are
    day numbers whatever the calendar.
    """

    text: str
    lo: int
    hi: int
    precision: str  # day | month | season | year | decade | century | millennium | millennia
    approximate: bool  # ~ or %
    uncertain: bool  # ? or %
    calendar: str = GREGORIAN

    @classmethod
    def parse(cls, text: str, calendar: str = GREGORIAN) -> DateRange:
        """One EDTF date (not an interval); raises :class:`DateError` saying why not."""
        return parse_date(text, *_extra(calendar_named(calendar)))

    @property
    def qualified(self) -> bool:
        """True if ``~``, ``?`` or ``%`` widened the date."""
        return self.approximate or self.uncertain

    def exact(self) -> DateRange:
        """The days the date names without the widening its qualifiers bring (they qualify
        the whole date wherever they stand); its flags still say it was qualified."""
        if not self.qualified:
            return self
        cal = calendar_named(self.calendar)
        raw = _fast_raw(self.text, cal) or _parse_raw(self.text, self.text, cal)
        lo, hi = _clamp(raw.lo, raw.hi)
        return replace(self, lo=lo, hi=hi)

    @property
    def first_parts(self) -> tuple[int, ...]:
        """The first day as its precision names it, in the date's calendar: (year, month, day)
        for a day, (year, month) for a month or a season, (year,) for a year or coarser."""
        return calendar_named(self.calendar).day_parts(self.lo)[
            :_PARTS_NAMED.get(self.precision, 1)]

    @property
    def last_parts(self) -> tuple[int, ...]:
        """The last day (``hi - 1``) as its precision names it (see :attr:`first_parts`)."""
        return calendar_named(self.calendar).day_parts(self.hi - 1)[
            :_PARTS_NAMED.get(self.precision, 1)]


# How many of (year, month, day) a precision names; coarser than a month names the year alone.
_PARTS_NAMED = {"day": 3, "month": 2, "season": 2}


class _Raw(NamedTuple):
    """A date's exact range before fuzz padding and clamping."""

    lo: int
    hi: int
    precision: str
    approximate: bool
    uncertain: bool


def _not_valid(text: str, why: str = "") -> DateError:
    return DateError(f"{text!r} is not a valid EDTF date" + (f": {why}" if why else ""))


def _unsupported(text: str, why: str) -> DateError:
    return DateError(f"{text!r} is valid EDTF but not supported here: {why}")


def _no_bounds(text: str, why: str = "") -> DateError:
    return DateError(f"{text!r} has no bounds" + (f": {why}" if why else ""))


def _is_interval(text: str) -> bool:
    return "/" in text or text.startswith("..") or text.endswith("..")


# The forms nearly every claim uses: a year, month or day (year 0000-9999), optionally
# qualified, alone or as an interval with another such date or an open or unknown end. edtf's
# pyparsing grammar is slow enough to make imports crawl (docs/performance.md); these are
# validated here instead, and a property test checks edtf accepts everything this accepts.
_SIMPLE_DATE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?[?~%]?"
_SIMPLE_RE = re.compile(
    rf"(?:{_SIMPLE_DATE}(?:/(?:{_SIMPLE_DATE}|\.\.)?)?)|(?:(?:\.\.)?/{_SIMPLE_DATE})",
    re.ASCII)


def _simple_kind(text: str) -> str | None:
    """What edtf would call a simple form, without edtf; None when not a simple form."""
    if not _SIMPLE_RE.fullmatch(text):
        return None
    if _explain_bad_day(text):
        return "invalid"
    if "/" not in text:
        return "Date"
    return "Interval" if text.isascii() and not re.search(r"[?~%.]", text) else "Level1Interval"


@lru_cache(maxsize=4096)
def _edtf_kind(text: str) -> str | None:
    """Validate ``text`` with edtf: the class name of what it parsed, or None if invalid."""
    simple = _simple_kind(text)
    if simple is not None:
        return None if simple == "invalid" else simple
    import edtf  # its grammar takes a while to build: only for the forms the fast path leaves

    try:
        # edtf print()s to stdout when one of its classes fails to build; keep stdout clean.
        with contextlib.redirect_stdout(io.StringIO()):
            parsed = edtf.parse_edtf(text)
    except Exception:  # not only EDTFParseException: also TypeError/AttributeError at times
        return None
    return None if parsed is None else type(parsed).__name__


def _explain_bad_day(text: str, cal: Calendar = _GREGORIAN) -> str:
    """Why edtf rejected a date like 2023-02-30, if that is the reason; else ''."""
    for year, month, day in _YMD_RE.findall(text):
        if 1 <= int(month) <= 12 and cal.days_in_month(int(year), int(month)) < int(day) <= 31:
            hint = " in the Julian calendar" if cal.julian else ""
            if not cal.julian and (int(month), int(day), int(year) % 4) == (2, 29, 0):
                hint = " in the Gregorian calendar (it is a day of the Julian calendar: give " \
                       "the calendar as julian)"
            return f"day {int(day)} is out of range for {year}-{month}{hint}"
    return ""


def _syntax(text: str, cal: Calendar) -> str:
    """The text edtf checks the syntax of: a Julian 29 February (which edtf, Gregorian, may
    refuse) is checked as the 28th; its day is checked in the Julian calendar afterwards."""
    if not cal.julian or "-02-29" not in text:
        return text
    return _YMD_RE.sub(lambda m: f"{m[1]}-02-28" if (m[2], m[3]) == ("02", "29") and
                       cal.days_in_month(int(m[1]), 2) == 29 else m[0], text)


def _validate_single(text: str, quote: str, cal: Calendar = _GREGORIAN) -> None:
    """edtf-validate one date (not an interval); reject the forms we cannot bound.

    ``quote`` is the whole input, for error messages.
    """
    text = _syntax(text, cal)
    kind = _edtf_kind(text)
    # edtf accepts a qualified season (2001-21~) as an interval end but not on its own;
    # we accept it on its own too, since its bounds are well defined.
    if kind is None and text[-1] in _QUALIFIERS and _SEASON_RE.fullmatch(text[:-1]):
        kind = _edtf_kind(text[:-1])
    if kind is None:
        raise _not_valid(quote, _explain_bad_day(quote, cal))
    if kind == "OneOfASet":
        raise _unsupported(quote, "a set of dates ([...], one of them) can only be the "
                                  "valid time of a claim")
    if kind == "MultipleDates":
        raise _unsupported(quote, "a set of dates ({...}, all of them) is not one date")
    if "^" in text:  # edtf silently drops a season qualifier such as 2001-21^Southern
        raise _unsupported(quote, "qualified seasons")


def _year_block(sign: str, digits: str, unknown: int) -> tuple[int, int]:
    """Years [first, last + 1) of a year whose last ``unknown`` digits are unknown."""
    size = 10**unknown
    prefix = int(digits[: len(digits) - unknown] or "0")
    if sign:
        return -((prefix + 1) * size - 1), -(prefix * size) + 1
    return prefix * size, (prefix + 1) * size


def _years(first: int, stop: int, cal: Calendar = _GREGORIAN) -> tuple[int, int]:
    """Day range of whole years [first, stop) of ``cal``."""
    return cal.day_number(first, 1, 1), cal.day_number(stop, 1, 1)


def _parse_long_year(quote: str, m: re.Match[str], cal: Calendar) -> tuple[int, int, str]:
    sign, digits, exp, sig = m["sign"], m["digits"], m["exp"], m["sig"]
    if exp is not None:
        if len(digits) + int(exp) > _MAX_YEAR_DIGITS:
            digits = "1" + "0" * _MAX_YEAR_DIGITS
        else:
            digits = str(int(digits) * 10 ** int(exp))
    digits = digits.lstrip("0") or "0"
    if len(digits) > _MAX_YEAR_DIGITS:  # far outside the day range: refused below
        digits = "1" + "0" * _MAX_YEAR_DIGITS
    unknown = _insignificant(quote, digits, sig)
    first, stop = _year_block(sign, digits, unknown)
    if first < MIN_YEAR or stop > MAX_YEAR + 1 or (cal.julian and not (
            _MIN_DAY <= _years(first, stop, cal)[0] <= _years(first, stop, cal)[1] <= _MAX_DAY)):
        which = " of the Gregorian calendar" if cal.julian else ""
        raise _unsupported(quote, f"year out of range (years run from Y{MIN_YEAR} to "
                                  f"Y{MAX_YEAR}{which})")
    return *_years(first, stop, cal), _precision(unknown)


def _insignificant(quote: str, digits: str, sig: str | None) -> int:
    """Number of trailing year digits made unknown by significant digits (1950S2 -> 2)."""
    if sig is None:
        return 0
    if int(sig) == 0:
        raise _unsupported(quote, "zero significant digits")
    return max(0, len(digits) - int(sig))


def _precision(unknown_digits: int) -> str:
    return _YEAR_PRECISION.get(unknown_digits, "millennia")


def strip_qualifiers(text: str) -> str:
    """An EDTF date without its qualifiers ``?``, ``~`` and ``%`` (and without the blanks edtf
    lets through between tokens): '2004-06~-11' -> '2004-06-11', '2023-11-17 ~' -> '2023-11-17'.
    """
    return "".join(text.split()).translate(_UNQUALIFY)


def _parse_raw(text: str, quote: str, cal: Calendar = _GREGORIAN) -> _Raw:
    """The exact (unpadded) range of one date already validated by edtf.

    ``quote`` is the whole input, for error messages (``text`` may be one end of an interval).
    """
    # Qualifiers may sit on any component (2004-06~-11, ?2004); they apply to the whole date.
    bare = strip_qualifiers(text)
    if long := _LONG_YEAR_RE.fullmatch(bare):
        lo, hi, precision = _parse_long_year(quote, long, cal)
    elif m := _DATE_RE.fullmatch(bare):
        lo, hi, precision = _parse_four_digit_year(quote, m, cal)
    else:
        raise _unsupported(quote, "this form of date")
    return _Raw(lo, hi, precision, "~" in text or "%" in text, "?" in text or "%" in text)


def _parse_four_digit_year(quote: str, m: re.Match[str], cal: Calendar
                           ) -> tuple[int, int, str]:
    """The exact days and precision of a date matched by ``_DATE_RE``."""
    sign, year_s, month_s, day_s = m["sign"], m["year"], m["month"], m["day"]
    _check_unspecified(quote, year_s, month_s, day_s)
    unknown = year_s.count("X")
    if m["sig"] is not None:
        if month_s is not None:
            raise _unsupported(quote, "significant digits (S) on a year with month or day")
        unknown = _insignificant(quote, year_s, m["sig"])
    if unknown:
        return *_years(*_year_block(sign, year_s, unknown), cal), _precision(unknown)
    year = int(sign + year_s)
    if month_s is None or month_s == "XX":
        return *_years(year, year + 1, cal), "year"
    return _parse_in_year(quote, m, year, cal)


def _check_unspecified(quote: str, year_s: str, month_s: str | None, day_s: str | None) -> None:
    """Unspecified digits (X): only trailing year digits, and whole months or days."""
    fields = [year_s] + [f for f in (month_s, day_s) if f is not None]
    written = "".join(fields)
    if "X" not in written:
        return
    if not re.fullmatch(r"\d*X*", written) or any("X" in f and f != "XX" for f in fields[1:]):
        raise _unsupported(quote, "unspecified digits (X) must end the date and cover whole "
                                  "months/days")
    if year_s == "XXXX":
        raise _no_bounds(quote, "the year is unspecified (XXXX)")


def _parse_in_year(quote: str, m: re.Match[str], year: int, cal: Calendar
                   ) -> tuple[int, int, str]:
    """The exact days and precision of a season, month or day of ``year`` (its month is given
    and is not XX)."""
    month_s, day_s = m["month"], m["day"]
    month = int(month_s)
    if month in _SEASONS and day_s is None:
        first, length = _SEASONS[month]
        return _month_start(year, first, cal), _month_start(year, first + length, cal), \
            "season"
    if not 1 <= month <= 12:
        raise _not_valid(quote, f"month {month_s} is out of range")
    if day_s is None or day_s == "XX":
        return _month_start(year, month, cal), _month_start(year, month + 1, cal), "month"
    day = int(day_s)
    if not 1 <= day <= cal.days_in_month(year, month):
        written = f"{m['sign']}{m['year']}-{month_s}"
        raise _not_valid(quote, _explain_bad_day(f"{written}-{day_s}", cal)
                         or f"day {day} is out of range for {written}")
    lo = cal.day_number(year, month, day)  # a date-time (T...) is just its day
    return lo, lo + 1, "day"


#: The commonest forms of all, read without the general machinery: YYYY, YYYY-MM or
#: YYYY-MM-DD, optionally with one qualifier. Dates of an import are mostly distinct, so the
#: cache below rarely helps the first time; this path is several times cheaper. A property
#: test checks it gives exactly what the general path gives.
_FAST_RE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?([?~%]?)",
                      re.ASCII)
_FAST = True  # tests turn it off to compare with the general path


def _fast_raw(text: str, cal: Calendar = _GREGORIAN) -> _Raw | None:
    """The exact range of a date in one of the commonest forms, or None: not one of them, or
    no such day (the general path then says why)."""
    m = _FAST_RE.fullmatch(text) if _FAST else None
    if m is None:
        return None
    year_s, month_s, day_s, qualifier = m.groups()
    approximate, uncertain = qualifier in ("~", "%"), qualifier in ("?", "%")
    year = int(year_s)
    if month_s is None:
        return _Raw(*_years(year, year + 1, cal), "year", approximate, uncertain)
    month = int(month_s)
    if day_s is None:
        return _Raw(_month_start(year, month, cal), _month_start(year, month + 1, cal), "month",
                    approximate, uncertain)
    day = int(day_s)
    if day > cal.days_in_month(year, month):
        return None
    lo = cal.day_number(year, month, day)
    return _Raw(lo, lo + 1, "day", approximate, uncertain)


def _single(text: str) -> str:
    """Strip ``text`` and check it is one date, not empty and not an interval."""
    t = text.strip()
    if not t:
        raise DateError("empty date")
    if _is_interval(t):
        raise DateError(f"{t!r} is an interval; give one date")
    return t


def _pad(text: str, raw: _Raw, cal: Calendar = _GREGORIAN) -> DateRange:
    lo, hi = raw.lo, raw.hi
    if raw.approximate or raw.uncertain:
        unit, n = _FUZZ[raw.precision]
        lo, hi = _shift(lo, unit, -n, cal), _shift(hi, unit, n, cal)
    lo, hi = _clamp(lo, hi)
    return DateRange(text, lo, hi, raw.precision, raw.approximate, raw.uncertain, cal.name)


#: Parsed dates are remembered: an import parses each date twice (to validate the claim, then to
#: index it) and real archives repeat dates a lot. Results are immutable; errors are not cached.
_CACHE = 1 << 15


@lru_cache(maxsize=_CACHE)
def parse_date(text: str, calendar: str | Calendar = GREGORIAN) -> DateRange:
    """One EDTF date (not an interval), written in ``calendar`` (``gregorian`` or ``julian``)
    -> the days it covers, widened if ~, ? or %."""
    cal = _GREGORIAN if calendar == GREGORIAN else calendar_named(calendar)
    t = _single(text)
    raw = _fast_raw(t, cal)
    if raw is None:
        _validate_single(t, t, cal)
        raw = _parse_raw(t, t, cal)
    return _pad(t, raw, cal)


def date_within(text: str, quote: str, cal: Calendar = _GREGORIAN) -> DateRange:
    """One date that is part of a larger text already validated by edtf as a whole (a member
    of a set): its days, widened if ~, ? or %. Errors quote ``quote``, the whole text."""
    return _pad(text, _fast_raw(text, cal) or _parse_raw(text, quote, cal), cal)


def parse_day(text: str) -> int:
    """A query date ("as of"): 'today' (UTC) or one EDTF date -> the LAST day it covers.

    No fuzz padding: 'as of 2023-11~' is 2023-11-30, 'as of 2018' is 2018-12-31.
    """
    t = text.strip()
    if t.lower() == "today":
        return today_day()
    t = _single(t)
    _validate_single(t, t)
    raw = _parse_raw(t, t)
    return _clamp(raw.lo, raw.hi)[1] - 1


def known_day(text: str, calendar: str = GREGORIAN) -> int:
    """A claim's known_at (EDTF date) -> the last day of its padded range ("surely known by")."""
    return parse_date(text, *_extra(calendar_named(calendar))).hi - 1


# ---------------------------------------------------------------------------------------------
# Spans


@dataclass(frozen=True)
class Span:
    """A claim's valid time as four bounds: HOLDS on day V if ``start_hi <= V < end_lo``,
    MAYBE if ``start_lo <= V < end_hi`` otherwise, NOT outside (see the module docstring)."""

    text: str
    start_lo: int  # earliest possible first day it held
    start_hi: int  # latest possible first day it held
    end_lo: int  # earliest possible first day it no longer held (exclusive end)
    end_hi: int  # latest possible first day it no longer held
    calendar: str = GREGORIAN  # the calendar ``text`` is written in


def _side(whole: str, side: str, cal: Calendar) -> tuple[int, int]:
    """The padded bounds of one end of an interval already validated by edtf as a whole."""
    bounds = _side_bounds(side, *_extra(cal))
    if bounds is None:
        _parse_raw(side, whole, cal)  # raises the error again, quoting the whole interval
        raise AssertionError(f"{side!r} parsed the second time")
    return bounds


@lru_cache(maxsize=_CACHE)
def _side_bounds(side: str, cal: Calendar = _GREGORIAN) -> tuple[int, int] | None:
    """Interval ends repeat far more than whole intervals do: remember their bounds."""
    fast = _fast_bounds(side, *_extra(cal))
    if fast is not None:
        return fast
    try:
        padded = _pad(side, _parse_raw(side, side, cal), cal)
    except DateError:
        return None
    return padded.lo, padded.hi


@lru_cache(maxsize=_CACHE)
def _fast_bounds(side: str, cal: Calendar = _GREGORIAN) -> tuple[int, int] | None:
    """The padded bounds of an interval end in one of the commonest forms (``_fast_raw``)."""
    raw = _fast_raw(side, cal)
    if raw is None:
        return None
    padded = _pad(side, raw, cal)
    return padded.lo, padded.hi


_T = TypeVar("_T")


def stored(parse: Callable[[str], _T], text: str) -> _T:
    """``parse`` of a date already in the archive. Older versions accepted years beyond the
    range and clamped them into an open end; such a year now reads as the first or last year
    there is, so an archive that holds one still opens and rebuilds (new input is refused)."""
    try:
        return parse(text)
    except DateError:
        clamped = _LONG_YEAR_RE.sub(lambda m: f"Y{MIN_YEAR}" if m["sign"] else f"Y{MAX_YEAR}",
                                    text)
        if clamped == text:
            raise
        return parse(clamped)


@lru_cache(maxsize=_CACHE)
def parse_span(text: str, calendar: str | Calendar = GREGORIAN) -> Span:
    """A date or an interval, written in ``calendar`` (both ends) -> Span of day numbers.

    ``A/B`` covers A's first day to B's last; a single date X means ``X/X``. ``A/..`` still
    holds, ``../B`` (also written ``..B``) held since forever, ``A/`` and ``/B`` have an unknown
    end or start. ``A..`` is accepted as ``A/..``. ``../..`` means "always"; ``/..`` began at an
    unknown time and still holds, ``../`` held since forever and ended at an unknown time (both
    MAYBE on every day); ``/``, ``..`` and nothing have no bounds and are errors. A set of dates
    "one of" (``[1667,1668]``, ``[..2023-06]``) may be the date or, as an extension of EDTF,
    either end; then neither end reaches past the other's last possible day
    (:mod:`timeline.edtf_sets`).
    """
    cal = _GREGORIAN if calendar == GREGORIAN else calendar_named(calendar)
    t = text.strip()
    if not _is_interval(t):
        if t.startswith(("[", "{")):
            from timeline.edtf_sets import set_side, set_span

            lo, hi = set_side(t, t, cal)
            return set_span(t, lo, hi - 1, lo + 1, hi, cal.name)
        d = parse_date(t, *_extra(cal))  # an empty text too: "empty date"
        return Span(t, d.lo, d.hi - 1, d.lo + 1, d.hi, cal.name)
    full, lower, upper = _slashed(t)
    a, b = _interval_bounds(t, full, lower, upper, cal)
    if a is not None:
        start_lo, start_hi = a[0], a[1] - 1
    elif lower == "" and b is not None:  # unknown start: it began by B's last day at the latest
        start_lo, start_hi = NEG_INF, b[1] - 1
    elif lower == "":  # unknown start, open end (/..): it may have begun at any time
        start_lo, start_hi = NEG_INF, POS_INF - 1
    else:  # open start (..)
        start_lo = start_hi = NEG_INF
    if b is not None:
        end_lo, end_hi = b[0] + 1, b[1]
    elif upper == "" and a is not None:  # unknown end: it held on A's first day at least
        end_lo, end_hi = a[0] + 1, POS_INF
    elif upper == "":  # open start, unknown end (../): it may have ended at any time
        end_lo, end_hi = NEG_INF + 1, POS_INF
    else:  # open end (..): still holds
        end_lo = end_hi = POS_INF
    if "[" in t:
        from timeline.edtf_sets import set_span

        return set_span(t, start_lo, start_hi, end_lo, end_hi, cal.name)
    return Span(t, start_lo, start_hi, end_lo, end_hi, cal.name)


def _slashed(t: str) -> tuple[str, str, str]:
    """An interval as ``lower/upper`` (``..B`` -> ``../B``, ``A..`` -> ``A/..``), with its two
    sides as written, stripped; no checks."""
    full = t
    if t.startswith("..") and not t.startswith("../"):
        full = "../" + t[2:]
    elif t.endswith("..") and not t.endswith("/.."):
        full = t[:-2] + "/.."
    lower, _, upper = full.partition("/")
    return full, lower.strip(), upper.strip()


_NO_DATE = ("", "..")  # an interval side that is unknown or open


def _interval_bounds(t: str, full: str, lower: str, upper: str, cal: Calendar
                     ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The padded bounds of an interval's sides, None for an open or unknown one; checked."""
    if lower in _NO_DATE and upper in _NO_DATE:
        if ".." in (lower, upper) and "/" in t:
            return None, None  # always (../..), or an open and an unknown end (/.., ../)
        raise _no_bounds(t)
    a = None if lower in _NO_DATE else _fast_bounds(lower, *_extra(cal))
    b = None if upper in _NO_DATE else _fast_bounds(upper, *_extra(cal))
    if lower.startswith(("[", "{")) or upper.startswith(("[", "{")):
        from timeline.edtf_sets import sides_with_a_set

        a, b = sides_with_a_set(t, lower, upper, cal)
    elif (a is None and lower not in _NO_DATE) or (b is None and upper not in _NO_DATE) or (
            full != f"{lower}/{upper}"):
        # Not both ends in the commonest forms (those make a valid interval, as
        # ``_simple_kind`` says): the general path.
        _validate_interval(t, full, lower, upper, cal)
        a = None if lower in _NO_DATE else _side(t, lower, cal)
        b = None if upper in _NO_DATE else _side(t, upper, cal)
    if a is not None and b is not None and b[1] <= a[0]:
        raise DateError(f"{t!r} ends before it starts")
    return a, b


def _validate_interval(t: str, full: str, lower: str, upper: str, cal: Calendar) -> None:
    """edtf-validate an interval that is not in the commonest forms."""
    kind = _edtf_kind(_syntax(full, cal))
    if kind is None and "X" in full:
        # EDTF level 2 allows unspecified digits in intervals, but edtf crashes on 2019-XX
        # there and refuses them next to a qualifier or an open end: check each end alone.
        for side in (lower, upper):
            if side not in _NO_DATE:
                _validate_single(side, t, cal)
    elif kind not in ("Interval", "Level1Interval", "Level2Interval"):
        raise _not_valid(t, _explain_bad_day(t, cal))


def interval_sides(valid: str, calendar: str = GREGORIAN) -> tuple[str, str]:
    """A valid time's start and end as written: ``('2019-07', '..')``, ``('', '2024')``; a
    single date is both. Empty is unknown, ``..`` open. Raises :class:`DateError` if ``valid``
    is not a valid time in ``calendar``."""
    t = parse_span(valid, calendar).text
    if not _is_interval(t):
        return t, t
    _, lower, upper = _slashed(t)
    return lower, upper


# ---------------------------------------------------------------------------------------------
# Status


def status_of(start_lo: int, start_hi: int, end_lo: int, end_hi: int, day: int) -> Status:
    """HOLDS if start_hi <= day < end_lo; MAYBE if start_lo <= day < end_hi; else NOT."""
    if start_hi <= day < end_lo:
        return Status.HOLDS
    if start_lo <= day < end_hi:
        return Status.MAYBE
    return Status.NOT


def status(span: Span, day: int) -> Status:
    """Whether ``span`` holds on ``day`` (see :func:`status_of`)."""
    return status_of(span.start_lo, span.start_hi, span.end_lo, span.end_hi, day)
