"""Days as plain integers on the proleptic Gregorian calendar, and the errors and statuses
every date module shares.

Day 0 is 1970-01-01; years are astronomical (0 is 1 BCE, -43 is 44 BCE) and exact for any int.
:mod:`timeline.dates` reads EDTF into these days and re-exports everything here;
:mod:`timeline.edtf_sets` reads EDTF sets of dates.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

NEG_INF: int = -(2**31) + 1
"""Sentinel day: open or unknown start ("since forever")."""
POS_INF: int = 2**31 - 1
"""Sentinel day: open end ("still holds") or unknown end."""

class DateError(ValueError):
    """A date or span that cannot be used; the message is one line and quotes the input."""


class Status(StrEnum):
    """Whether a claim holds on a given day (a str: Status.HOLDS == "HOLDS")."""

    HOLDS = "HOLDS"
    MAYBE = "MAYBE"
    NOT = "NOT"


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic (Howard Hinnant's algorithms; exact for any int year)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
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


def month_start(year: int, month: int) -> int:
    """Day number of the first of ``month``, which may run past 12 or below 1."""
    return day_number(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def shift(day: int, unit: str, n: int) -> int:
    """Move ``day`` by n days, or n months/years when it is the first of a month/year."""
    if unit == "days":
        return day + n
    year, month, _ = day_parts(day)
    return month_start(year, month + (n if unit == "months" else 12 * n))


def clamp(lo: int, hi: int) -> tuple[int, int]:
    """Clamp a range into the sentinels, keeping it at least one day long."""
    return max(NEG_INF, min(lo, POS_INF - 1)), max(NEG_INF + 1, min(hi, POS_INF))


#: The years a date may name: those whose days, widened by a qualifier, stay clear of the
#: sentinels. A year beyond is refused: clamped, it would read as an open or unknown end, and
#: it could not be exported.
MIN_YEAR: int = day_parts(NEG_INF)[0] + 2  # -5877639
MAX_YEAR: int = day_parts(POS_INF)[0] - 2  # 5881578
