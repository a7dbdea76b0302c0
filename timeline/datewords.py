"""Days in words, as people read them: "30 November 2023", "15 Mar 44 BCE", "44 BCE"; EDTF
dates and intervals in words: "about October 2023", "summer 2019", "17–22 November 2023".

The engine counts days (:mod:`timeline.dates`); the desktop app shows them in words, and so will
exports meant for readers. Years are astronomical in the engine (year 0 is 1 BCE, -43 is
44 BCE), so years up to 0 read as BCE. Pure functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from timeline.calendars import GREGORIAN, calendar_named
from timeline.dates import (
    NEG_INF,
    POS_INF,
    DateError,
    day_parts,
    interval_sides,
    parse_date,
    strip_qualifiers,
)
from timeline.edtf_sets import Member, is_set, parse_one_of

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
"""The months' English names, January first."""


def year_text(year: int) -> str:
    """An astronomical year as people write it: '2023'; '44 BCE' for year -43; '1 BCE' for 0."""
    return f"{1 - year} BCE" if year <= 0 else str(year)


def month_text(month: int, *, short: bool = False) -> str:
    """'November' ('Nov' when short) for month 11."""
    name = MONTHS[month - 1]
    return name[:3] if short else name


def human_date(day: int, *, short: bool = False) -> str:
    """'30 November 2023' ('30 Nov 2023' when short); '15 March 44 BCE'. The open-end
    sentinels (:data:`~timeline.dates.NEG_INF`, :data:`~timeline.dates.POS_INF`) read '..',
    as in EDTF."""
    if day <= NEG_INF or day >= POS_INF:
        return ".."
    year, month, dom = day_parts(day)
    return f"{dom} {month_text(month, short=short)} {year_text(year)}"


# ---------------------------------------------------------------------------------------------
# EDTF dates and intervals in words

#: EDTF seasons (21-41) in words; the months they cover are timeline.dates' (_SEASONS).
SEASONS: dict[int, str] = {
    21: "spring", 22: "summer", 23: "autumn", 24: "winter",
    25: "northern spring", 26: "northern summer", 27: "northern autumn", 28: "northern winter",
    29: "southern spring", 30: "southern summer", 31: "southern autumn", 32: "southern winter",
    33: "first quarter", 34: "second quarter", 35: "third quarter", 36: "fourth quarter",
    37: "first third", 38: "second third", 39: "last third",
    40: "first half", 41: "second half",
}  # fmt: skip

_OPEN, _UNKNOWN = "..", ""


class _Words(NamedTuple):
    """One date in words, with what an interval needs to write two of them compactly."""

    text: str  # the whole date in words: "17 November 2023", "about October 2023"
    precision: str
    year: int  # astronomical year of its first day
    month: int
    day: int
    qualified: bool


def _one_words(text: str, calendar: str = GREGORIAN) -> _Words:
    """One EDTF date (no interval) in words, as its calendar names it; ``text`` was validated
    by ``parse_span``."""
    exact = parse_date(strip_qualifiers(text), calendar)  # the days, unwidened; the qualifiers
    qualified = parse_date(text, calendar)  # below
    parts = calendar_named(calendar).day_parts
    year, month, day = parts(exact.lo)
    precision = exact.precision
    if precision == "day":
        words = f"{day} {month_text(month)} {year_text(year)}"
    elif precision == "month":
        words = f"{month_text(month)} {year_text(year)}"
    elif precision == "season":
        code = int(strip_qualifiers(text)[-2:])  # YYYY-SS: the season's code
        words = (f"the {SEASONS[code]} of {year_text(year)}" if code >= 33
                 else f"{SEASONS[code]} {year_text(year)}")
    elif precision == "year":
        words = year_text(year)
    else:
        words = _block_words(exact.lo, exact.hi, precision, parts)
    if qualified.approximate and qualified.uncertain:
        words = f"perhaps about {words}"
    elif qualified.approximate:
        words = f"about {words}"
    elif qualified.uncertain:
        words = f"perhaps {words}"
    return _Words(words, precision, year, month, day,
                  qualified.approximate or qualified.uncertain)


def _block_words(lo: int, hi: int, precision: str,
                 parts: Callable[[int], tuple[int, int, int]] = day_parts) -> str:
    """A decade, century or millennium (unspecified digits: 201X, 19XX): 'the 2010s'; BCE or
    several millennia as a range of years: '2019–2010 BCE'. ``parts``: the calendar's."""
    first, last = parts(lo)[0], parts(hi - 1)[0]
    if first > 0:
        return f"the {first}s" if precision in ("decade", "century") else (
            f"{year_text(first)}–{year_text(last)}")
    if last <= 0:
        return f"{1 - first}–{1 - last} BCE"
    return f"{year_text(first)}–{year_text(last)}"


def _pair_words(a: _Words, b: _Words) -> str:
    """Two dates of an interval, written compactly when neither is qualified."""
    plain = not a.qualified and not b.qualified and a.precision == b.precision
    if a.text == b.text:
        return a.text
    if plain and a.year == b.year and a.precision == "day":
        if a.month == b.month:
            return f"{a.day}–{b.text}" if a.day != b.day else a.text
        return f"{a.day} {month_text(a.month)} – {b.text}"
    if plain and a.year == b.year and a.precision == "month":
        return f"{month_text(a.month)}–{b.text}" if a.month != b.month else a.text
    if plain and a.precision == "year" and a.year != b.year:
        if b.year <= 0:  # both BCE: '101–44 BCE'
            return f"{1 - a.year}–{b.text}"
        return f"{a.text}–{b.text}" if a.year > 0 else f"{a.text} – {b.text}"
    return f"{a.text} – {b.text}"


# ---------------------------------------------------------------------------------------------
# Sets of dates ("one of"): [2023-11-19,2023-11-20], [..2023-06], [1760..]


def _either(words: list[str]) -> str:
    """'A', 'A or B', 'A, B or C'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _member_words(member: Member, calendar: str) -> str:
    if member.first is member.last:
        return _one_words(member.text, calendar).text
    before, _, after = member.text.partition("..")
    if not before:
        return f"on or before {_one_words(after, calendar).text}"
    if not after:
        return f"{_one_words(before, calendar).text} or later"
    return f"some time in {_pair_words(_one_words(before, calendar), _one_words(after, calendar))}"


def _set_words(text: str, calendar: str) -> str:
    """'19 or 20 November 2023', 'June or July 2023', 'some time in 1667–1670', 'on or before
    June 2023', '1760 or later', '1667, 1668 or some time in 1670–1672'."""
    members = parse_one_of(text, None, calendar_named(calendar)).members
    dated = [_one_words(m.text, calendar) for m in members if m.first is m.last]
    if len(dated) == len(members) > 1 and not any(w.qualified for w in dated) and len(
            {(w.precision, w.year) for w in dated}) == 1:
        if dated[0].precision == "day" and len({w.month for w in dated}) == 1:
            return f"{_either([str(w.day) for w in dated])} {month_text(dated[0].month)} " \
                   f"{year_text(dated[0].year)}"
        if dated[0].precision == "month":
            return f"{_either([month_text(w.month) for w in dated])} {year_text(dated[0].year)}"
    return _either([_member_words(m, calendar) for m in members])


def _some_time_before(text: str, calendar: str) -> str | None:
    """For an end written ``[..X]``: 'some time before July 2023', naming the day, month or
    year after X; None for any other set, or when X is not a plain day, month or year."""
    members = parse_one_of(text, None, calendar_named(calendar)).members
    if len(members) != 1 or members[0].first is not None or members[0].last is None:
        return None
    last = members[0].last
    if last.qualified or last.precision not in ("day", "month", "year"):
        return None
    year, month, day = calendar_named(calendar).day_parts(last.hi)
    after = {"day": f"{day} {month_text(month)} {year_text(year)}",
             "month": f"{month_text(month)} {year_text(year)}", "year": year_text(year)}
    return f"some time before {after[last.precision]}"


def _side_words(side: str, calendar: str) -> str:
    return _set_words(side, calendar) if is_set(side) else _one_words(side, calendar).text


def _interval_with_a_set(lower: str, upper: str, calendar: str) -> str:
    """An interval with a set at an end (an extension of EDTF): 'from 2021, left some time
    before July 2023', 'from 1760 or 1761 until 1800', 'until 2019 or 2020 (start unknown)'."""
    before = _some_time_before(upper, calendar) if is_set(upper) else None
    if lower in (_OPEN, _UNKNOWN):
        words = f"until {before or _side_words(upper, calendar)}"
        return words if lower == _OPEN else f"{words} (start unknown)"
    start = _side_words(lower, calendar)
    since = f"began {start}," if start.startswith("on or before") else f"from {start}"
    if upper in (_OPEN, _UNKNOWN):
        return since.rstrip(",") if upper == _OPEN else f"{since.rstrip(',')} (end unknown)"
    return f"{since.rstrip(',')}, left {before}" if before else (
        f"{since} until {_side_words(upper, calendar)}")


def edtf_words(text: str, calendar: str = GREGORIAN) -> str:
    """An EDTF date or interval (any the engine accepts) in words, as a reader would write it:

    '2023-11-17' -> '17 November 2023', '2023-10~' -> 'about October 2023', '2019-22' ->
    'summer 2019', '-0043-03-15' -> '15 March 44 BCE', '2023?' -> 'perhaps 2023', '2023-11-17/
    2023-11-22' -> '17–22 November 2023', '2019-07/..' -> 'from July 2019', '../2019' ->
    'until 2019', '2019/' -> 'from 2019 (end unknown)', '../..' -> 'always'; '' -> 'unknown'.
    Sets of dates: '[2023-11-19,2023-11-20]' -> '19 or 20 November 2023', '[..2023-06]' -> 'on
    or before June 2023', '[1760..]' -> '1760 or later', '2021/[..2023-06]' -> 'from 2021, left
    some time before July 2023'.

    A date of the Julian calendar (``calendar="julian"``) reads as written, with the calendar
    named: '1700-02-29' -> '29 February 1700 (Julian)' (:func:`gregorian_words` gives its
    Gregorian days).

    Raises :class:`~timeline.dates.DateError` (saying why) if ``text`` is not a date or
    interval the engine accepts.
    """
    words = _edtf_words(text, calendar)
    return words if calendar == GREGORIAN or not text.strip() else \
        f"{words} ({calendar_named(calendar).title})"


def _edtf_words(text: str, calendar: str) -> str:
    if not text.strip():
        return "unknown"
    lower, upper = interval_sides(text, calendar)  # validates; a single date is both sides

    def _words_of(side: str) -> _Words:
        return _one_words(side, calendar)

    if lower == upper and lower not in (_OPEN, _UNKNOWN):
        return _side_words(lower, calendar)
    if is_set(lower) or is_set(upper):
        return _interval_with_a_set(lower, upper, calendar)
    if lower == _OPEN and upper == _OPEN:
        return "always"
    if lower in (_OPEN, _UNKNOWN):
        until = f"until {_words_of(upper).text}"
        return until if lower == _OPEN else f"{until} (start unknown)"
    if upper in (_OPEN, _UNKNOWN):
        since = f"from {_words_of(lower).text}"
        return since if upper == _OPEN else f"{since} (end unknown)"
    return _pair_words(_words_of(lower), _words_of(upper))


def words_or_text(text: str, calendar: str = GREGORIAN) -> str:
    """:func:`edtf_words`, or the text as written when it is not a date the engine reads (an
    older archive's): for what is shown, never refused."""
    try:
        return edtf_words(text, calendar)
    except DateError:
        return text


def valid_text(valid: str, calendar: str = GREGORIAN) -> str:
    """A date as written, with its calendar named when it is not the Gregorian:
    '1700-02-29 (Julian)'; a Gregorian date as it is."""
    return valid if calendar == GREGORIAN else f"{valid} ({calendar_named(calendar).title})"


def gregorian_tip(valid: str, calendar: str = GREGORIAN) -> str:
    """What a date of another calendar is in the Gregorian: :func:`gregorian_words`; '' for a
    Gregorian date, or a date the engine does not read (an older archive's)."""
    if calendar == GREGORIAN:
        return ""
    try:
        return gregorian_words(valid, calendar)
    except DateError:
        return ""


def _days_words(lo: int, hi: int) -> str:
    """Days [lo, hi) in Gregorian words: '11 March 1700', '12–14 March 1700',
    '11 February – 11 March 1700', '30 December 1699 – 9 January 1700'."""
    first, last = day_parts(lo), day_parts(hi - 1)
    if hi - lo == 1:
        return human_date(lo)
    if first[0] != last[0]:
        return f"{human_date(lo)} – {human_date(hi - 1)}"
    if first[1] != last[1]:
        return f"{first[2]} {month_text(first[1])} – {human_date(hi - 1)}"
    return f"{first[2]}–{human_date(hi - 1)}"


def gregorian_words(text: str, calendar: str = GREGORIAN) -> str:
    """The days a date or interval of ``calendar`` names, in words of the Gregorian calendar
    and naming it: Julian '1700-02-29' -> '11 March 1700 (Gregorian)', '1700-02' -> '11
    February – 11 March 1700 (Gregorian)', '1700-02-29/..' -> 'from 11 March 1700
    (Gregorian)'. A qualified date reads 'about' the days it names unwidened. Raises
    :class:`~timeline.dates.DateError` as :func:`edtf_words` does."""
    lower, upper = interval_sides(text, calendar)

    def side(written: str) -> str:
        exact = parse_date(strip_qualifiers(written), calendar)
        qualified = parse_date(written, calendar)
        about = "about " if qualified.approximate or qualified.uncertain else ""
        return about + _days_words(exact.lo, exact.hi)

    if lower == upper:
        words = side(lower) if lower not in (_OPEN, _UNKNOWN) else "always"
    elif lower in (_OPEN, _UNKNOWN):
        words = f"until {side(upper)}" + ("" if lower == _OPEN else " (start unknown)")
    elif upper in (_OPEN, _UNKNOWN):
        words = f"from {side(lower)}" + ("" if upper == _OPEN else " (end unknown)")
    else:
        words = f"{side(lower)} – {side(upper)}"
    return f"{words} (Gregorian)"
