"""The calendars a date may be written in, and their arithmetic: day numbers either way.

A day number counts days from 1970-01-01 of the proleptic Gregorian calendar (the Gregorian
calendar extended backwards; years numbered astronomically, year 0 is 1 BCE). Every date the
engine stores and compares is a day number; a calendar only says how a date's text names
days. Two calendars are known:

- ``gregorian`` (the default): the proleptic Gregorian calendar, computed here exactly for any
  int year (Howard Hinnant's algorithms);
- ``julian``: the Julian calendar, every fourth year a leap year, also numbered astronomically
  (so Julian ``-0043-03-15`` is 15 March 44 BCE); its arithmetic is ``convertdate``'s.

:func:`calendar_named` turns a name into a :class:`Calendar`; :mod:`timeline.dates` parses an
EDTF date in either (``parse_span(text, "julian")``). docs/time-model.md#calendars has the
worked examples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from convertdate import julian as _julian

#: The calendars a date may be written in; the first is the default.
CALENDARS: tuple[str, ...] = ("gregorian", "julian")
GREGORIAN = "gregorian"
JULIAN = "julian"
CalendarName = Literal["gregorian", "julian"]


class DateError(ValueError):
    """A date or span that cannot be used; the message is one line and quotes the input."""


# ---------------------------------------------------------------------------------------------
# The proleptic Gregorian calendar


def is_leap(year: int) -> bool:
    """Whether ``year`` (astronomical) is a leap year of the Gregorian calendar."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """The days of ``month`` of ``year`` in the Gregorian calendar."""
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def day_number(year: int, month: int, day: int) -> int:
    """Proleptic Gregorian date -> day number (0 = 1970-01-01). Year 0 is 1 BCE."""
    if not 1 <= month <= 12 or not 1 <= day <= days_in_month(year, month):
        raise ValueError(f"no such date: year {year}, month {month}, day {day}")
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400  # year of era, 0..399
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1  # day of year from Mar 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy  # day of era, 0..146096
    return era * 146097 + doe - 719468


def day_parts(day: int) -> tuple[int, int, int]:
    """Day number -> (year, month, day), the inverse of :func:`day_number`: astronomical years
    (0 is 1 BCE, -43 is 44 BCE), exact for any int, sentinels included."""
    z = day + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if m <= 2 else 0), m, d


# ---------------------------------------------------------------------------------------------
# The Julian calendar (convertdate's arithmetic, on Julian Day Numbers)

#: The Julian Day (a float that ends in .5: days begin at midnight) of day number 0.
_JD_1970 = _julian.J1970


NEG_INF: int = -(2**31) + 1
"""Sentinel day: open or unknown start ("since forever")."""
POS_INF: int = 2**31 - 1
"""Sentinel day: open end ("still holds") or unknown end."""

#: The years a date may name: those whose days, widened by a qualifier, stay clear of the
#: sentinels. A year beyond is refused: clamped, it would read as an open or unknown end, and
#: it could not be exported.
MIN_YEAR: int = day_parts(NEG_INF)[0] + 2  # -5877639
MAX_YEAR: int = day_parts(POS_INF)[0] - 2  # 5881578
MIN_DAY, MAX_DAY = day_number(MIN_YEAR, 1, 1), day_number(MAX_YEAR + 1, 1, 1)


def clamp(lo: int, hi: int) -> tuple[int, int]:
    """Clamp a range into the sentinels, keeping it at least one day long."""
    return max(NEG_INF, min(lo, POS_INF - 1)), max(NEG_INF + 1, min(hi, POS_INF))


def day_to_iso(day: int) -> str:
    """Day number -> ISO/EDTF text: '2023-11-17', '-0044-03-15', 'Y12345-01-01'; sentinels '..'."""
    if day <= NEG_INF or day >= POS_INF:
        return ".."
    year, month, d = day_parts(day)
    if -9999 <= year <= 9999:
        sign = "-" if year < 0 else ""
        return f"{sign}{abs(year):04d}-{month:02d}-{d:02d}"
    return f"Y{year}-{month:02d}-{d:02d}"


def today_day() -> int:
    """Today (UTC) as a day number."""
    now = datetime.now(UTC).date()
    return day_number(now.year, now.month, now.day)


def today_iso() -> str:
    """Today (UTC) as ISO text: '2025-05-02'."""
    return day_to_iso(today_day())


def julian_day_number(year: int, month: int, day: int) -> int:
    """Julian calendar date -> day number (0 = 1970-01-01 Gregorian)."""
    try:
        return int(_julian.to_jd(year, month, day) - _JD_1970)
    except ValueError:
        raise ValueError(f"no such Julian date: year {year}, month {month}, day {day}") from None


def julian_day_parts(day: int) -> tuple[int, int, int]:
    """Day number -> (year, month, day) of the Julian calendar, astronomical years."""
    year, month, d = _julian.from_jd(day + _JD_1970)
    return int(year), int(month), int(d)


# ---------------------------------------------------------------------------------------------
# Calendars as values


def _julian_days_in_month(year: int, month: int) -> int:
    return int(_julian.month_length(year, month))


@dataclass(frozen=True, eq=False)  # one value per calendar: compared and hashed by identity
class Calendar:
    """One calendar: how a (year, month, day) it names maps to day numbers and back.

    ``day_number(year, month, day)`` raises ValueError when the calendar has no such day;
    ``day_parts(day)`` is its inverse; ``days_in_month(year, month)``. Plain functions held
    as fields, not methods: dates are parsed in bulk, and a call through them costs no more
    than calling the function itself."""

    name: str
    julian: bool
    day_number: Callable[[int, int, int], int]
    day_parts: Callable[[int], tuple[int, int, int]]
    days_in_month: Callable[[int, int], int]

    @property
    def title(self) -> str:
        """The calendar's name as a sentence writes it: "Julian", "Gregorian"."""
        return self.name.capitalize()


_BY_NAME = {
    GREGORIAN: Calendar(GREGORIAN, False, day_number, day_parts, days_in_month),
    JULIAN: Calendar(JULIAN, True, julian_day_number, julian_day_parts, _julian_days_in_month),
}


def calendar_named(name: str | Calendar | None) -> Calendar:
    """The calendar of this name (``None`` or ``""``: Gregorian); DateError for any other."""
    if isinstance(name, Calendar):
        return name
    found = _BY_NAME.get(name or GREGORIAN)
    if found is None:
        raise DateError(f"calendar {name!r} is not one of {', '.join(CALENDARS)}")
    return found


def check_calendar(name: str | None) -> str:
    """A calendar's name as it is stored: ``gregorian`` or ``julian`` (``None``: Gregorian);
    DateError for any other."""
    return calendar_named(name).name
