"""EDTF dates and intervals in words (timeline.datewords.edtf_words)."""

from __future__ import annotations

import pytest

from timeline.api import DateError, edtf_words


@pytest.mark.parametrize(("text", "words"), [
    ("2023-11-17", "17 November 2023"),
    ("2023-11", "November 2023"),
    ("2023", "2023"),
    ("2023-10~", "about October 2023"),
    ("2023?", "perhaps 2023"),
    ("2023%", "perhaps about 2023"),
    ("2004-06~-11", "about 11 June 2004"),
    ("?2004", "perhaps 2004"),
    ("2019-21", "spring 2019"),
    ("2019-22", "summer 2019"),
    ("2019-23", "autumn 2019"),
    ("2019-24", "winter 2019"),
    ("2019-22~", "about summer 2019"),
    ("2019-30", "southern summer 2019"),
    ("2019-33", "the first quarter of 2019"),
    ("2019-41", "the second half of 2019"),
    ("-0043-03-15", "15 March 44 BCE"),
    ("-0043", "44 BCE"),
    ("0000", "1 BCE"),
    ("201X", "the 2010s"),
    ("19XX", "the 1900s"),
    ("2019-XX", "2019"),
    ("2019-11-XX", "November 2019"),
    ("Y12345", "12345"),
    ("Y-12345", "12346 BCE"),
    ("2023-11-17T10:00:00Z", "17 November 2023"),
], ids=str)
def test_one_date(text: str, words: str) -> None:
    assert edtf_words(text) == words


@pytest.mark.parametrize(("text", "words"), [
    ("2023-11-17/2023-11-22", "17–22 November 2023"),
    ("2023-10-17/2023-11-22", "17 October – 22 November 2023"),
    ("2023-11-17/2024-01-02", "17 November 2023 – 2 January 2024"),
    ("2023-11-17/2023-11-17", "17 November 2023"),
    ("2018-06/2018-08", "June–August 2018"),
    ("2018-06/2019-08", "June 2018 – August 2019"),
    ("2019/2021", "2019–2021"),
    ("-0100/-0043", "101–44 BCE"),
    ("-0043/0014", "44 BCE – 14"),
    ("2023-11~/2024-02?", "about November 2023 – perhaps February 2024"),
    ("2019/2021-05", "2019 – May 2021"),
    ("2019-07/..", "from July 2019"),
    ("2019-07..", "from July 2019"),
    ("../2019", "until 2019"),
    ("..2019", "until 2019"),
    ("2019/", "from 2019 (end unknown)"),
    ("/2019", "until 2019 (start unknown)"),
    ("../..", "always"),
    ("", "unknown"),
    ("   ", "unknown"),
], ids=str)
def test_interval(text: str, words: str) -> None:
    assert edtf_words(text) == words


@pytest.mark.parametrize("text", ["2023-02-30", "November 2023", "2023/2019", "/", "Y17E7"])
def test_not_a_date_is_a_date_error(text: str) -> None:
    with pytest.raises(DateError, match="20|/|Nov|Y17"):
        edtf_words(text)
