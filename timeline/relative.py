"""Relative dates: a claim's start or end given relative to another claim's start or end.

"A month before the ousting", "the day after the vote": a side of a claim's valid time may be
``{"relative_to": "<claim id>", "edge": "start" | "end", "offset": "-P1M", "approximate":
true}``. The rules (docs/time-model.md, "Relative dates"):

- The anchor's **edge** is a range of days [lo, hi): its start is the range of its first
  day (``[start_lo, start_hi + 1)``), its end the range of its last day
  (``[end_lo - 1, end_hi)``). An edge that is open or unknown gives an unknown side.
- The **offset** (ISO 8601: ``P1Y2M3D``, ``P2W``, ``-P1M``; no time part) moves both ends of
  the range, lo and hi: years and months first, in calendar arithmetic (31 March minus one
  month is 28 or 29 February), then weeks and days. A month or a year moves as a whole
  (November minus a month is October); a range is never left empty (at least one day).
- **approximate** widens the moved range on both sides (lo and hi) as ``~`` widens a date of
  the offset's finest unit: a day or a week by 7 days, a month by a month, a year by a year.

This module is pure (no storage): the write side checks the form with it, the read model
resolves it against the anchor's stored bounds, and views put it in words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from timeline import dates
from timeline.calendars import days_in_month
from timeline.dates import NEG_INF, POS_INF
from timeline.errors import InvalidInput

EDGES = ("start", "end")
SIDES = ("start", "end")

_OFFSET_RE = re.compile(
    r"(?P<sign>[-+]?)P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?",
    re.ASCII)
_MAX_PART = 100_000  # years, months, weeks or days in one offset: more is surely a mistake


@dataclass(frozen=True)
class Offset:
    """An ISO 8601 duration in whole days or more, with a sign."""

    text: str
    sign: int  # 1 or -1
    years: int
    months: int
    weeks: int
    days: int

    @property
    def unit(self) -> str:
        """The finest unit given: what ``approximate`` widens by (``_WIDEN``)."""
        if self.days or self.weeks:
            return "days"
        if self.months:
            return "months"
        if self.years:
            return "years"
        return "days"  # P0D

    def move(self, day: int) -> int:
        """``day`` moved by this offset: calendar months first, then days."""
        return add_days(add_months(day, self.sign * (12 * self.years + self.months)),
                        self.sign * (7 * self.weeks + self.days))


def parse_offset(text: Any, field: str = "offset") -> Offset:
    """An ISO 8601 duration of years, months, weeks and days, optionally signed."""
    if not isinstance(text, str):
        raise InvalidInput(f"an offset must be text such as 'P1M' or '-P1D', not "
                           f"{type(text).__name__}", field)
    t = text.strip()
    if "T" in t.upper() and t.upper().startswith(("P", "-P", "+P")):
        raise InvalidInput(f"offset {text!r} has a time part: give years, months, weeks or "
                           "days (e.g. 'P1D', '-P1M', 'P2W', 'P1Y2M3D')", field)
    m = _OFFSET_RE.fullmatch(t)
    if m is None or not any(m[k] for k in "ymwd"):
        raise InvalidInput(f"offset {text!r} is not an ISO 8601 duration such as 'P1M', "
                           "'-P1D', 'P2W' or 'P1Y2M3D'", field)
    parts = [int(m[k] or 0) for k in "ymwd"]
    if max(parts) > _MAX_PART:
        raise InvalidInput(f"offset {text!r} is too long (at most {_MAX_PART:,} of a unit)",
                           field)
    return Offset(t, -1 if m["sign"] == "-" else 1, *parts)


def add_months(day: int, months: int) -> int:
    """``day`` moved by whole calendar months; a day past the new month's end is its last."""
    if not months:
        return day
    year, month, d = dates.day_parts(day)
    total = year * 12 + (month - 1) + months
    year, month = total // 12, total % 12 + 1
    return dates.day_number(year, month, min(d, days_in_month(year, month)))


def add_days(day: int, days: int) -> int:
    return day + days


#: How ``approximate`` widens, by the offset's finest unit: as ``~`` widens a date of that
#: precision (``dates._FUZZ``: a day by a week, a month by a month, a year by a year).
_WIDEN: dict[str, Callable[[int, int], int]] = {
    "days": lambda day, n: day + 7 * n,
    "months": add_months,
    "years": lambda day, n: add_months(day, 12 * n),
}


@dataclass(frozen=True)
class Relative:
    """One side given relative to another claim's edge."""

    relative_to: str
    edge: str
    offset: Offset
    approximate: bool = False

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"relative_to": self.relative_to, "edge": self.edge,
                               "offset": self.offset.text}
        if self.approximate:
            out["approximate"] = True
        return out

    def resolve(self, anchor: Bounds) -> tuple[int, int] | None:
        """The days [lo, hi) this side may fall on, from the anchor's four bounds; None when
        the anchor's edge is open or unknown."""
        lo, hi = edge_range(anchor, self.edge) or (None, None)
        if lo is None or hi is None:
            return None
        first, stop = self.offset.move(lo), self.offset.move(hi)
        if self.approximate:
            widen = _WIDEN[self.offset.unit]
            first, stop = widen(first, -1), widen(stop, 1)
        first, stop = max(first, NEG_INF + 1), min(stop, POS_INF - 1)
        return first, max(stop, first + 1)


#: A claim's four bounds: (start_lo, start_hi, end_lo, end_hi).
Bounds = tuple[int, int, int, int]


def edge_range(anchor: Bounds, edge: str) -> tuple[int, int] | None:
    """An anchor's start or end as a range of days [lo, hi); None when open or unknown."""
    start_lo, start_hi, end_lo, end_hi = anchor
    if edge == "start":
        lo, hi = start_lo, start_hi + 1
    else:
        lo, hi = end_lo - 1, end_hi
    if lo <= NEG_INF or hi >= POS_INF or hi <= lo:
        return None
    return lo, hi


#: A side of a relative valid time: an EDTF date, ``..`` (open), ``""`` (unknown), or relative.
Side = str | Relative


@dataclass(frozen=True)
class RelativeValid:
    """A valid time with at least one side relative (``{"start": S, "end": E}``)."""

    start: Side
    end: Side

    def sides(self) -> tuple[tuple[str, Side], ...]:
        return (("start", self.start), ("end", self.end))

    def anchors(self) -> list[tuple[str, str]]:
        """(side, anchor claim id) of each relative side."""
        return [(name, s.relative_to) for name, s in self.sides() if isinstance(s, Relative)]

    def as_json(self) -> dict[str, Any]:
        return {name: s.as_json() if isinstance(s, Relative) else s for name, s in self.sides()}

    def dumps(self) -> str:
        """As the event stores it: compact JSON, keys in a fixed order."""
        return json.dumps(self.as_json(), ensure_ascii=False, separators=(",", ":"))

    def placeholder(self) -> str:
        """The EDTF ``valid`` an event stores beside the relative form: each relative side as
        ``..``; ``../..`` when that would leave no bounds."""
        lower, upper = (".." if isinstance(s, Relative) else s for _, s in self.sides())
        return _interval_or_always(lower, upper)

    def span(self, anchors: Mapping[str, Bounds]) -> dates.Span:
        """The four bounds, each relative side resolved against its anchor's bounds (a
        missing anchor leaves its side unknown)."""
        ranges: list[tuple[int, int] | str] = []
        for _, side in self.sides():
            if isinstance(side, Relative):
                bounds = anchors.get(side.relative_to)
                found = side.resolve(bounds) if bounds is not None else None
                ranges.append(found if found is not None else "")
            elif side in ("", ".."):
                ranges.append(side)
            else:
                found_date = dates.stored(dates.parse_date, side)
                ranges.append((found_date.lo, found_date.hi))
        return _four_bounds(self.placeholder(), ranges[0], ranges[1])


def _four_bounds(text: str, a: tuple[int, int] | str, b: tuple[int, int] | str) -> dates.Span:
    """The four bounds of a start ``a`` and an end ``b``, each a range [lo, hi), ``..`` or
    ``""``, by the rules of ``dates.parse_span``."""
    if isinstance(a, tuple):
        start_lo, start_hi = a[0], a[1] - 1
    elif a == "" and isinstance(b, tuple):
        start_lo, start_hi = NEG_INF, b[1] - 1
    elif a == "":  # nothing known of either side: it may have begun at any time
        start_lo, start_hi = NEG_INF, POS_INF - 1
    else:
        start_lo = start_hi = NEG_INF
    if isinstance(b, tuple):
        end_lo, end_hi = b[0] + 1, b[1]
    elif b == "" and isinstance(a, tuple):
        end_lo, end_hi = a[0] + 1, POS_INF
    elif b == "":
        end_lo, end_hi = NEG_INF + 1, POS_INF
    else:
        end_lo = end_hi = POS_INF
    return dates.Span(text, start_lo, start_hi, end_lo, end_hi)


def _side(value: Any, field: str) -> Side:
    if isinstance(value, str):
        text = value.strip()
        if text not in ("", ".."):
            try:
                dates.parse_date(text)
            except dates.DateError as exc:
                raise InvalidInput(str(exc), field) from None
        return text
    if not isinstance(value, Mapping):
        raise InvalidInput("give an EDTF date, '..' (open), '' (unknown) or "
                           '{"relative_to": ..., "edge": ..., "offset": ...}', field)
    unknown = sorted(set(value) - {"relative_to", "edge", "offset", "approximate"})
    if unknown:
        raise InvalidInput(f"unknown key {unknown[0]!r} (relative_to, edge, offset, "
                           "approximate)", field)
    anchor = value.get("relative_to")
    if not isinstance(anchor, str) or not anchor.strip():
        raise InvalidInput("give the id of the claim this date is relative to",
                           f"{field}.relative_to")
    edge = value.get("edge", "start")
    if edge not in EDGES:
        raise InvalidInput(f"edge must be 'start' or 'end', not {edge!r}", f"{field}.edge")
    approximate = value.get("approximate", False)
    if not isinstance(approximate, bool):
        raise InvalidInput("approximate must be true or false", f"{field}.approximate")
    offset = parse_offset(value.get("offset", "P0D"), f"{field}.offset")
    return Relative(anchor.strip(), edge, offset, approximate)


def parse_valid(value: Any, field: str = "valid") -> RelativeValid:
    """A valid time given as ``{"start": S, "end": E}``, checked (its anchors are not: the
    write side looks them up). Errors name the place: ``valid.start.offset: …``."""
    if not isinstance(value, Mapping):
        raise InvalidInput("give an EDTF text or {\"start\": ..., \"end\": ...}", field)
    unknown = sorted(set(value) - set(SIDES))
    if unknown:
        raise InvalidInput(f"unknown key {unknown[0]!r} (start, end)", field)
    start = _side(value.get("start", ""), f"{field}.start")
    end = _side(value.get("end", ""), f"{field}.end")
    return RelativeValid(start, end)


def loads(text: str) -> RelativeValid:
    """The relative form as an event stores it (``RelativeValid.dumps``)."""
    return parse_valid(json.loads(text))


_UNITS = (("years", "year"), ("months", "month"), ("weeks", "week"), ("days", "day"))


def offset_words(offset: Offset) -> str:
    """``-P1M`` -> "1 month before", ``P1Y2D`` -> "1 year and 2 days after", ``P0D`` -> "at"."""
    parts = [f"{n} {unit if n == 1 else plural}" for plural, unit in _UNITS
             if (n := getattr(offset, plural))]
    if not parts:
        return "at"
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{said} {'before' if offset.sign < 0 else 'after'}"


def side_words(side: Relative, anchor: str) -> str:
    """"about 1 month before the start of <anchor>": ``anchor`` is the anchor as shown (its
    sentence, or its id)."""
    about = "about " if side.approximate else ""
    return f"{about}{offset_words(side.offset)} the {side.edge} of {anchor}"


def words(form: RelativeValid, anchor_text: Callable[[str], str]) -> str:
    """A relative valid time in words, a side per clause: "start: 1 month before the end of
    <anchor>; end: 2024"."""
    out = []
    for name, side in form.sides():
        if isinstance(side, Relative):
            said = side_words(side, anchor_text(side.relative_to))
        else:
            said = {"": "unknown", "..": "open"}.get(side, side)
        out.append(f"{name}: {said}")
    return "; ".join(out)


def range_text(lo: int, hi: int) -> str | None:
    """The EDTF date whose days are exactly [lo, hi) — a day, a month or a year, plain or
    approximate (``~``) — or else the narrowest month, year, decade or century that holds
    them all; None when none is (a range beyond four-digit years)."""
    year, month, _ = dates.day_parts(lo)
    if not -9999 <= year <= 9999:
        return None
    candidates = [dates.day_to_iso(lo), dates.day_to_iso(lo)[:-3], dates.day_to_iso(lo)[:-6],
                  dates.day_to_iso(lo + 7) + "~", dates.day_to_iso(add_months(lo, 1))[:-3] + "~",
                  dates.day_to_iso(add_months(lo, 12))[:-6] + "~"]
    for text in candidates:
        try:
            found = dates.parse_date(text)
        except dates.DateError:
            continue
        if (found.lo, found.hi) == (lo, hi):
            return text
    iso = dates.day_to_iso(lo)
    for text in (iso[:-3], iso[:4 + (iso[0] == "-")], iso[:3 + (iso[0] == "-")] + "X",
                 iso[:2 + (iso[0] == "-")] + "XX"):
        try:
            found = dates.parse_date(text)
        except dates.DateError:
            continue
        if found.lo <= lo and hi <= found.hi:
            return text
    return None


def shown_valid(form: RelativeValid, span: dates.Span) -> str:
    """The EDTF valid time a relative claim shows, from its resolved bounds: each relative
    side as the date whose days it covers exactly, or else the narrowest that holds them
    (``range_text``); unknown (empty) when it resolved to nothing; ``../..`` when that leaves
    no valid time. Only shown: the claim's bounds are the resolved days themselves."""
    lower, upper = (s if not isinstance(s, Relative) else None for _, s in form.sides())
    if lower is None:
        lower = "" if span.start_lo <= NEG_INF else (
            range_text(span.start_lo, span.start_hi + 1) or "")
    if upper is None:
        upper = "" if span.end_hi >= POS_INF else (range_text(span.end_lo - 1, span.end_hi) or "")
    return _interval_or_always(lower, upper)


def _interval_or_always(lower: str, upper: str) -> str:
    """``lower/upper`` when it is a valid time, else ``../..`` (a text with no bounds)."""
    text = f"{lower}/{upper}"
    try:
        dates.parse_span(text)
    except dates.DateError:
        return "../.."
    return text


def with_sides(valid: str | None, start: dict[str, Any] | None, end: dict[str, Any] | None
               ) -> str | dict[str, Any]:
    """A valid time as the command line and the app give it: ``valid`` (EDTF) with its start
    or end replaced by a relative side (Hindsight JSON's object form); ``valid`` as it is when
    neither is given. A side of ``valid`` that a relative side replaces is ignored; without
    ``valid`` the other side is unknown. Raises InvalidInput (``valid``) for a bad ``valid``."""
    if start is None and end is None:
        return valid or ""
    sides: tuple[str, str] = ("", "")
    if valid:
        try:
            sides = dates.interval_sides(valid)
        except dates.DateError as exc:
            raise InvalidInput(str(exc), "valid") from None
    return {"start": start if start is not None else sides[0],
            "end": end if end is not None else sides[1]}
