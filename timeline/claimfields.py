"""The fields of a write, checked as a batch (``timeline.batch``) stores them: names and ids
that can be looked up, dates, a claim's valid time in its calendar, known times and ranks.

Each raises ``InvalidInput`` naming the field (``valid: '2023-13' is not a valid EDTF date``).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from timeline import dates
from timeline.calendars import GREGORIAN, check_calendar
from timeline.dates import DateError
from timeline.domain import RANKS
from timeline.errors import InvalidInput


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def lookupable(text: object) -> bool:
    """Whether a name or id can be looked up as it is given: not blank, and valid Unicode
    (the read model cannot be asked about half a surrogate pair)."""
    if not isinstance(text, str) or not text.strip():
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def calendar_field(calendar: str | None, field_name: str = "calendar") -> str:
    """A calendar's name as it is stored (``gregorian`` when not given), checked."""
    try:
        return check_calendar(calendar)
    except DateError as exc:
        raise InvalidInput(str(exc), field_name) from None


def date_field(text: str, field_name: str, calendar: str = GREGORIAN) -> dates.DateRange:
    try:
        return dates.parse_date(text, calendar)
    except DateError as exc:
        raise InvalidInput(str(exc), field_name) from None


def valid_field(text: str, calendar: str = GREGORIAN) -> str:
    """A claim's valid time as it is stored and hashed into a derived claim id, validated in
    its calendar: without surrounding blanks, and an interval as ``A/B`` with its sides
    stripped (``A..`` is ``A/..``, ``..B`` is ``../B``), so that two spellings of one valid
    time are one claim. A text already in this form is kept as it is (ids derived before the
    rule stay)."""
    try:
        # A Gregorian text alone: the cheapest key to remember it by (imports are bulk).
        return _normal_valid(text, *([calendar] if calendar != GREGORIAN else []))
    except DateError as exc:
        raise InvalidInput(str(exc), "valid") from None


@functools.lru_cache(maxsize=1 << 15)
def _normal_valid(text: str, calendar: str = GREGORIAN) -> str:
    span = dates.parse_span(text, calendar)
    t = span.text
    if t == text and len(t.split()) == 1 and ("/" in t or ".." not in t):
        return t  # already normal: no blanks, and no ``A..`` or ``..B`` to rewrite
    lower, upper = dates.interval_sides(t, calendar)
    if lower == upper == span.text:  # a single date
        return span.text
    return f"{lower}/{upper}"


def known_at_field(known_at: str | None) -> str:
    """A write's known time: as given, or today (the moment it is recorded); validated."""
    known_at = (known_at or today()).strip()
    date_field(known_at, "known_at")
    return known_at


def published_known_at(published: str, calendar: str) -> str:
    """The known time a claim takes from its source's publication date: the date itself, or,
    for a date of the Julian calendar, the Gregorian day it was surely known by (the last day
    of its range), since a claim's known time is Gregorian."""
    if calendar == GREGORIAN:
        return published
    return dates.day_to_iso(dates.known_day(published, calendar))


def rank_field(rank: str) -> str:
    if rank not in RANKS:
        raise InvalidInput(f"rank '{rank}' is not one of {', '.join(RANKS)}", "rank")
    return rank
