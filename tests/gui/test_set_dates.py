"""Issue 16, item 4: claims dated by a set of dates ("the 19th or the 20th", "on or before June
2023") show in the state panel with the engine's status and their dates in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.models import StateModel
from timeline import dates
from timeline.app import Archive

CLAIMS = [  # (subject, valid, the words the tooltip gives, a day it may hold)
    ("Ada Lovelace", "[2023-11-19,2023-11-20]", "19 or 20 November 2023", "2023-11-19"),
    ("Charles Babbage", "2021/[..2023-06]", "from 2021, left some time before July 2023",
     "2022-05-01"),
    ("Mary Somerville", "[1760..]", "1760 or later", "2022-05-01"),
]


@pytest.fixture
def archive_path(archive_path: Path) -> Path:
    """The demo archive, with a claim for each set of dates above."""
    with Archive.open(archive_path) as archive:
        for subject, valid, _, _ in CLAIMS:
            archive.record(subject, "met", object="OpenAI", valid=valid, known_at="2024",
                           new_entity=True)
    return archive_path


def _row(model: StateModel, subject: str) -> tuple[str, str, str]:
    """(status, valid, tooltip) of the subject's one fact, as the panel shows them."""
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        if group.data(Qt.ItemDataRole.UserRole + 3) != subject:
            continue
        cells = [model.index(0, column, group) for column in
                 (StateModel.STATUS, StateModel.VALID, StateModel.FACT)]
        return (cells[0].data(), cells[1].data(),
                cells[2].data(Qt.ItemDataRole.ToolTipRole))
    raise AssertionError(f"{subject} is not in the panel")


def test_set_dates_show_with_the_engines_status_and_in_words(window, archive):
    model = window.state_panel.model
    for subject, valid, words, on in CLAIMS:
        day = dates.parse_day(on)
        window.session.set_as_of(day)
        expected = {f.subject: f.status for f in archive.as_of(day).facts}
        status, shown, tip = _row(model, subject)
        assert (status, shown) == (expected[subject], valid)
        assert f"Valid: {valid} ({words})" in tip
        # One of several days, or an end somewhere before: it may hold, but not surely.
        assert status == "MAYBE"
    window.session.set_as_of(dates.parse_day("2023-11-21"))
    assert "Ada Lovelace" not in {f.subject for f in model.facts()}
    # Left some time before July 2023: not in the panel from July on.
    window.session.set_as_of(dates.parse_day("2023-07-01"))
    assert "Charles Babbage" not in {f.subject for f in model.facts()}
    window.session.set_as_of(dates.parse_day("2023-06-30"))
    assert _row(model, "Charles Babbage")[0] == "MAYBE"
