"""EDTF level-2 sets of dates as day ranges: "one of a set" (``[...]``) reads, "all of a set"
(``{...}``) is refused.

``[2023-11-19,2023-11-20]`` is one of those days: "the 19th or the 20th". A member may be a
date, a run of consecutive dates ``1667..1670`` (one of 1667, 1668, 1669 or 1670), or open on
one side: ``..2023-06`` is June 2023 or any time before, ``1760..`` 1760 or any time after.
The set stands for the smallest range holding every member, ``[lo, hi)``: its earliest
member's first day (:data:`~timeline.dates.NEG_INF` when a member is open before) to the day
after its latest member's last (:data:`~timeline.dates.POS_INF` when one is open after).
Qualified members are widened as single dates are, and every member is in the claim's
calendar (a Julian set is a set of Julian dates). docs/time-model.md gives the four bounds
a set makes as a valid time or as either end of an interval, with worked examples.

``{1667,1668}`` ("all of these dates") is valid EDTF but no valid time: a claim holds over one
date or one interval, and a set of separate dates is several. It is refused with the advice to
record a claim for each date.

A set is written without blanks (the oracle of the tests, ``edtf-validate``, refuses most of
them) and never carries a qualifier of its own (``[1667,1668]~`` is not EDTF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from timeline import dates
from timeline.calendars import Calendar
from timeline.dates import _GREGORIAN, NEG_INF, POS_INF, DateError, Span


@dataclass(frozen=True)
class Member:
    """One member of a set: a date (``first is last``), a run ``first..last``, or a run open
    before (``first`` None: ``..last``) or after (``last`` None: ``first..``)."""

    text: str
    first: dates.DateRange | None
    last: dates.DateRange | None


@dataclass(frozen=True)
class OneOf:
    """An EDTF "one of a set" date: its members, and the days ``[lo, hi)`` that hold them all
    (widened where a member is qualified; a sentinel where a member is open)."""

    text: str
    members: tuple[Member, ...]
    lo: int
    hi: int

    @property
    def earliest(self) -> dates.DateRange | None:
        """The member date that starts the set (unwidened), None if a member is open before."""
        firsts = [m.first for m in self.members]
        if any(first is None for first in firsts):
            return None
        return min((f for f in firsts if f is not None), key=lambda f: (f.lo, f.hi)).exact()

    @property
    def latest(self) -> dates.DateRange | None:
        """The member date that ends the set (unwidened), None if a member is open after."""
        lasts = [m.last for m in self.members]
        if any(last is None for last in lasts):
            return None
        return max((f for f in lasts if f is not None), key=lambda f: (f.hi, f.lo)).exact()


def is_set(text: str) -> bool:
    """True if ``text`` is written as a set of dates (``[...]`` or ``{...}``), valid or not."""
    return text.strip()[:1] in ("[", "{") and bool(text.strip())


@lru_cache(maxsize=4096)
def parse_one_of(text: str, quote: str | None = None, cal: Calendar = _GREGORIAN) -> OneOf:
    """A "one of a set" date, its members written in ``cal`` -> its members and days; raises
    :class:`DateError` saying why not.

    ``quote`` is the whole input for error messages when ``text`` is one end of an interval.
    """
    t = text.strip()
    quote = t if quote is None else quote
    checked = dates._syntax(_stand_ins(t), cal)
    kind = dates._edtf_kind(checked) if t and not any(c.isspace() for c in t) else None
    if t.startswith("{") and kind == "MultipleDates":
        raise dates._unsupported(
            quote, "{...} means all of these dates, and a valid time is one date or one "
                   "interval: record a claim for each date, or write [...] for one of them")
    if kind != "OneOfASet":
        why = dates._explain_bad_day(quote, cal) or (
            "a set is written without blanks" if any(c.isspace() for c in t) else "")
        raise dates._not_valid(quote, why)
    members = tuple(_member(m, quote, cal) for m in t[1:-1].split(","))
    lo = min(m.first.lo if m.first is not None else NEG_INF for m in members)
    hi = max(m.last.hi if m.last is not None else POS_INF for m in members)
    return OneOf(t, members, lo, hi)


# A member that is a year with its month unspecified (1985-XX): edtf crashes on it inside a set.
_YEAR_XX = re.compile(r"(?<=[\[{,])(-?[0-9X]{4})-XX(?=[,\]}])", re.ASCII)


def _stand_ins(text: str) -> str:
    """The set with each ``YYYY-XX`` member as ``YYYY-01``, a month as edtf can check it (the
    member itself is checked alone when it is read)."""
    return _YEAR_XX.sub(r"\1-01", text)


def _member(text: str, quote: str, cal: Calendar) -> Member:
    """One member of a set already validated by edtf as a whole."""
    if ".." not in text:
        date = dates.date_within(text, quote, cal)
        return Member(text, date, date)
    before, _, after = text.partition("..")
    first = dates.date_within(before, quote, cal) if before else None
    last = dates.date_within(after, quote, cal) if after else None
    if first is not None and last is not None and last.hi <= first.lo:
        raise DateError(f"{quote!r} is not a valid set of dates: {text} ends before it starts")
    return Member(text, first, last)


# --- a set as a valid time, or as one end of it (``dates.parse_span``) -------------------------


def set_span(t: str, start_lo: int, start_hi: int, end_lo: int, end_hi: int,
             calendar: str) -> Span:
    """The span of a valid time with a set at an end: it began by the end's last possible day
    and ended after the start's first, and a bound an open member makes is the sentinel itself
    (``[1760..]`` has no latest start, ``[..2023-06]`` no earliest end)."""
    start_hi, end_lo = min(start_hi, end_hi - 1), max(end_lo, start_lo + 1)
    start_hi = POS_INF if start_hi >= POS_INF - 1 else start_hi
    end_lo = NEG_INF if end_lo <= NEG_INF + 1 else end_lo
    return Span(t, start_lo, start_hi, end_lo, end_hi, calendar)


def set_side(whole: str, side: str, cal: Calendar) -> tuple[int, int]:
    """The days ``[lo, hi)`` of a set of dates, the whole valid time or one end of it."""
    one_of = parse_one_of(side, whole, cal)
    return one_of.lo, one_of.hi


def sides_with_a_set(t: str, lower: str, upper: str, cal: Calendar
                     ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The padded bounds of an interval with a set at one end or both, each end checked alone
    (EDTF has no sets in intervals: edtf cannot check the whole)."""
    bounds: list[tuple[int, int] | None] = []
    for side in (lower, upper):
        if side in dates._NO_DATE:
            bounds.append(None)
        elif side.startswith(("[", "{")):
            bounds.append(set_side(t, side, cal))
        else:
            dates._validate_single(side, t, cal)
            bounds.append(dates._side(t, side, cal))
    return bounds[0], bounds[1]
