"""gui.formatting: the names the GUI calls the engine's date helpers by."""

from __future__ import annotations

import pytest

from gui import formatting
from timeline import dates, datewords
from timeline.dates import NEG_INF, POS_INF, day_number


def test_the_names_are_the_engines() -> None:
    assert formatting.iso is dates.day_to_iso
    assert formatting.human_date is datewords.human_date
    assert formatting.year_text is datewords.year_text
    assert formatting.today is dates.today_day
    assert not hasattr(formatting, "short_date")


def test_dates_on_screen() -> None:
    day = day_number(2023, 11, 30)
    assert formatting.iso(day) == "2023-11-30"
    assert formatting.human_date(day) == "30 November 2023"
    assert formatting.human_date(day, short=True) == "30 Nov 2023"
    assert formatting.human_date(day_number(-43, 3, 15)) == "15 March 44 BCE"
    assert formatting.year_text(-43) == "44 BCE"
    assert formatting.first_of_year(2023) == day_number(2023, 1, 1)


@pytest.mark.parametrize(("day", "year"), [
    (day_number(2023, 11, 30), 2023),
    (day_number(0, 6, 1), 0),
    (day_number(-43, 3, 15), -43),
    (day_number(-9999, 1, 1), -9999),
    # beyond four-digit years, and the sentinels: 0, so the year axis stays short
    (day_number(12345, 1, 1), 0),
    (day_number(-10000, 12, 31), 0),
    (NEG_INF, 0),
    (POS_INF, 0),
], ids=str)
def test_year_of(day: int, year: int) -> None:
    assert formatting.year_of(day) == year


def test_predicate_phrase() -> None:
    assert formatting.predicate_phrase("works_for", "works for") == "works for"
    assert formatting.predicate_phrase("works_for", "{subject} works for {object}") == "works for"
    assert formatting.predicate_phrase("works_for", "") == "works for"
