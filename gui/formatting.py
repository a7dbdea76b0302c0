"""How days and facts read on screen. Pure functions: no Qt, no domain rules.

The engine speaks in day numbers and ISO/EDTF text (``timeline.dates``) and puts days in
words (``timeline.datewords``: "30 November 2023", "44 BCE"); this module gives those the
names the GUI modules call them by.
"""

from __future__ import annotations

from timeline.api import day_number, day_parts, day_to_iso, human_date, today_day, year_text

#: Days in words, as the engine writes them: '30 November 2023', '44 BCE'.
__all__ = ["first_of_year", "human_date", "iso", "predicate_phrase", "today", "year_of",
           "year_text"]

iso = day_to_iso
"""Day number -> ISO/EDTF text: '2023-11-17', '-0043-03-15'; '..' for the sentinels."""

today = today_day
"""Today (UTC) as a day number."""


def year_of(day: int) -> int:
    """The astronomical year of a day; 0 beyond four-digit years (-9999..9999) and for the
    sentinels, so that the density strip's year axis never steps through millions of years."""
    year = day_parts(day)[0]
    return year if -9999 <= year <= 9999 else 0


def first_of_year(year: int) -> int:
    return day_number(year, 1, 1)


def predicate_phrase(name: str, label: str) -> str:
    """A short phrase for a relationship edge: the label, unless it is a sentence template."""
    if label and "{" not in label:
        return label
    return name.replace("_", " ")
