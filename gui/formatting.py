"""How days and facts read on screen. Pure functions: no Qt, no domain rules.

The engine speaks in day numbers and ISO/EDTF text (``timeline.dates``) and puts days in
words (``timeline.datewords``: "30 November 2023", "44 BCE"); this module gives those the
names the GUI modules call them by.
"""

from __future__ import annotations

import html

from timeline.api import (
    DateError,
    day_number,
    day_parts,
    day_to_iso,
    edtf_words,
    human_date,
    is_template,
    parse_day,
    recorded_instant,
    today_day,
    year_text,
)

#: Days in words, as the engine writes them: '30 November 2023', '44 BCE'.
__all__ = ["first_of_year", "human_date", "iso", "moment_words", "predicate_phrase", "rich",
           "today", "tooltip", "valid_words", "year_of", "year_text"]

iso = day_to_iso
"""Day number -> ISO/EDTF text: '2023-11-17', '-0043-03-15'; '..' for the sentinels."""

today = today_day
"""Today (UTC) as a day number."""


def moment_words(recorded_as_of: str) -> str:
    """A recorded moment (ISO 8601, UTC) in words, to the minute: "2 March 2026, 09:00 UTC"."""
    moment = recorded_instant(recorded_as_of)
    return f"{human_date(parse_day(moment.date().isoformat()))}, {moment:%H:%M} UTC"


def year_of(day: int) -> int:
    """The astronomical year of a day; 0 beyond four-digit years (-9999..9999) and for the
    sentinels, so that the density strip's year axis never steps through millions of years."""
    year = day_parts(day)[0]
    return year if -9999 <= year <= 9999 else 0


def first_of_year(year: int) -> int:
    return day_number(year, 1, 1)


def predicate_phrase(name: str, label: str) -> str:
    """A short phrase for a relationship edge: the label, unless it is a sentence template
    (as the engine decides: ``is_template``; a label with other braces is plain text)."""
    if label and not is_template(label):
        return label
    return name.replace("_", " ")


# --- archive text in rich text ----------------------------------------------------------------
# Qt shows a QLabel's text, and any tooltip, as HTML whenever it merely looks like HTML (a tag
# on its first line, or "&lt;"), so a name such as "<img src=x>" or "&lt;b&gt;" would be drawn
# as markup. The rule: a widget that shows archive text alone is set to Qt.PlainText; where
# archive text is part of rich text (bold parts, tooltips) it goes through rich() here.


def rich(text: object) -> str:
    """Text from the archive (a name, a sentence, a quote, a note, a message quoting them) as
    rich text that shows exactly that text: ``&`` first, then ``<``, ``>`` and quotes escaped;
    its lines kept."""
    return html.escape(str(text)).replace("\n", "<br>")


def tooltip(text: str) -> str:
    """A tooltip of plain text (lines kept) that Qt cannot take for HTML: given as escaped
    rich text, always."""
    return f"<qt>{rich(text)}</qt>"


def valid_words(valid: str, calendar: str = "gregorian") -> str:
    """A valid time as written and in words: '2021/[..2023-06] (from 2021, left some time before
    July 2023)', '1700-02-29, 29 February 1700 (Julian)'; as written alone when the words say
    nothing more or it is not a valid time."""
    try:
        words = edtf_words(valid, calendar)
    except DateError:
        return valid
    if words == valid:
        return valid
    # A calendar named in the words closes them: no parentheses inside parentheses.
    return f"{valid} ({words})" if calendar == "gregorian" else f"{valid}, {words}"
