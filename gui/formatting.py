"""How days and facts read on screen. Pure functions: no Qt, no domain rules.

The engine speaks in day numbers and ISO/EDTF text; people read "30 November 2023". Years are
astronomical in the engine (year 0 is 1 BCE), so years up to 0 are shown as BCE.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from timeline import dates

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ISO = re.compile(r"^(-?)(\d{4,})-(\d{2})-(\d{2})$")


def iso(day: int) -> str:
    return dates.day_to_iso(day)


def _parts(day: int) -> tuple[int, int, int] | None:
    match = _ISO.match(dates.day_to_iso(day))
    if not match:
        return None
    sign, year, month, dom = match.groups()
    return (-int(year) if sign else int(year)), int(month), int(dom)


def year_text(year: int) -> str:
    """An astronomical year as people write it: 2023, 44 BCE (year -43)."""
    return f"{1 - year} BCE" if year <= 0 else str(year)


def human_date(day: int, *, short: bool = False) -> str:
    """'30 November 2023' ('30 Nov 2023' when short); '15 March 44 BCE'; the ISO text when
    it cannot be split."""
    parts = _parts(day)
    if parts is None:
        return dates.day_to_iso(day)
    year, month, dom = parts
    name = _MONTHS[month - 1]
    return f"{dom} {name[:3] if short else name} {year_text(year)}"


def short_date(day: int) -> str:
    """'30 Nov 2023'."""
    return human_date(day, short=True)


def year_of(day: int) -> int:
    parts = _parts(day)
    return parts[0] if parts else 0


def first_of_year(year: int) -> int:
    return dates.day_number(year, 1, 1)


def today() -> int:
    now = datetime.now(UTC).date()
    return dates.day_number(now.year, now.month, now.day)


def predicate_phrase(name: str, label: str) -> str:
    """A short phrase for a relationship edge: the label, unless it is a sentence template."""
    if label and "{" not in label:
        return label
    return name.replace("_", " ")
