"""The checks of a batch's simple fields (dates, ranks, ids as given): each a rule of its own,
used by ``timeline.batch`` and the modules that stage into a batch."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from timeline import dates
from timeline.dates import DateError
from timeline.domain import RANKS
from timeline.errors import InvalidInput


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def _lookupable(text: object) -> bool:
    """Whether a name or id can be looked up as it is given: not blank, and valid Unicode
    (the read model cannot be asked about half a surrogate pair)."""
    if not isinstance(text, str) or not text.strip():
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _date_field(text: str, field_name: str) -> dates.DateRange:
    try:
        return dates.parse_date(text)
    except DateError as exc:
        raise InvalidInput(str(exc), field_name) from None


def _valid_field(text: str) -> str:
    """A claim's valid time as it is stored and hashed into a derived claim id, validated:
    without surrounding blanks, and an interval as ``A/B`` with its sides stripped (``A..`` is
    ``A/..``, ``..B`` is ``../B``), so that two spellings of one valid time are one claim.
    A text already in this form is kept as it is (ids derived before the rule stay)."""
    try:
        return _normal_valid(text)
    except DateError as exc:
        raise InvalidInput(str(exc), "valid") from None


@functools.lru_cache(maxsize=1 << 15)
def _normal_valid(text: str) -> str:
    span = dates.parse_span(text)
    t = span.text
    if t == text and len(t.split()) == 1 and ("/" in t or ".." not in t):
        return t  # already normal: no blanks, and no ``A..`` or ``..B`` to rewrite
    lower, upper = dates.interval_sides(t)
    if lower == upper == span.text:  # a single date
        return span.text
    return f"{lower}/{upper}"


def _known_at(known_at: str | None) -> str:
    """A write's known time: as given, or today (the moment it is recorded); validated."""
    known_at = (known_at or today()).strip()
    _date_field(known_at, "known_at")
    return known_at


def _rank(rank: str) -> str:
    if rank not in RANKS:
        raise InvalidInput(f"rank '{rank}' is not one of {', '.join(RANKS)}", "rank")
    return rank
