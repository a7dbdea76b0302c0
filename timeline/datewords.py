"""Days in words, as people read them: "30 November 2023", "15 Mar 44 BCE", "44 BCE".

The engine counts days (:mod:`timeline.dates`); the desktop app shows them in words, and so will
exports meant for readers. Years are astronomical in the engine (year 0 is 1 BCE, -43 is
44 BCE), so years up to 0 read as BCE. Pure functions.
"""

from __future__ import annotations

from timeline.dates import NEG_INF, POS_INF, day_parts

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
