"""Issue 4, point 5: the event list, in time order and synced with the slider both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.models import EventModel
from timeline import dates
from timeline.app import Archive


def test_events_are_listed_in_time_order(window):
    model = window.event_list.model
    found = [model.key(r).day for r in range(model.rowCount())]
    assert found == sorted(found)
    assert model.rowCount() > len(window.session.timeline())  # begins and some ends


def test_the_slider_selects_the_latest_event_on_or_before_its_day(window):
    day = dates.parse_day("2023-11-20")
    window.session.set_as_of(day)
    table = window.event_list.table
    row = table.currentIndex().row()
    model = window.event_list.model
    assert model.key(row).day <= day
    assert row == model.rowCount() - 1 or model.key(row + 1).day > day
    later = model.index(row + 1, EventModel.EVENT)
    assert later.data(Qt.ItemDataRole.ForegroundRole) is not None  # still to come: greyed


def test_clicking_an_event_moves_the_slider_there_and_shows_its_sources(window, qtbot):
    table = window.event_list.table
    model = window.event_list.model
    row = next(r for r in range(model.rowCount())
               if model.claim(r).predicate == "works_for")
    table.scrollTo(model.index(row, 0))
    rect = table.visualRect(model.index(row, EventModel.EVENT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    day = model.key(row).day
    assert window.session.as_of == day
    assert window.time_controls.slider.value() == day
    assert window.session.fact is not None
    assert window.session.fact.claim.id == model.claim(row).id
    assert window.citations.citations.count() == 1


def test_a_withdrawn_claim_is_marked_in_the_list(window):
    model = window.event_list.model
    row = next(r for r in range(model.rowCount())
               if model.claim(r).id == "apple-board-observer")
    text = model.index(row, EventModel.EVENT).data()
    assert "withdrawn" in text
    assert model.index(row, EventModel.EVENT).data(Qt.ItemDataRole.FontRole).strikeOut()


# --- issue 15, item 10: an "ends" row sorts by the day it shows -------------------------------

# Ends on the day a later claim begins and the day before it; an end of month precision; an
# unknown end ("2019/"), which shows no day and so has no "ends" row.
_ENDS_STORY = (
    ("Ada", "ceo_of", "Acme", "2020-01-01/2023-11-17"),
    ("Ben", "ceo_of", "Acme", "2023-11-18/.."),
    ("Cy", "advises", "Acme", "2023-11-17/.."),
    ("Dee", "chairs", "Acme", "2021-03/2023-10"),
    ("Eve", "joins", "Acme", "2023-10-01/.."),
    ("Fay", "joins", "Acme", "2023-10-02/.."),
    ("Gus", "audits", "Acme", "2019/"),
)


@pytest.fixture
def ends_list(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    from gui.event_list import EventList
    from gui.session import Session

    path = tmp_path / "ends.sqlite"
    archive = Archive.open(path)
    ids = {subject: archive.record(subject, predicate, object=obj, valid=valid,
                                   known_at="2024-01-01")
           for subject, predicate, obj, valid in _ENDS_STORY}
    widget = EventList(Session(archive, path))
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget, ids
    widget.close()
    archive.close()


def _shown(model: EventModel) -> list[tuple[str, str]]:
    return [(model.index(r, EventModel.WHEN).data(), model.index(r, EventModel.EVENT).data())
            for r in range(model.rowCount())]


def test_an_ends_row_sorts_by_the_day_it_shows(ends_list) -> None:  # type: ignore[no-untyped-def]
    widget, ids = ends_list
    model = widget.model
    rows = _shown(model)
    shown_days = [dates.parse_date(when).lo for when, _ in rows]
    assert shown_days == sorted(shown_days), rows
    # Every row's own day (where the slider goes) is the day it shows.
    assert [model.key(r).day for r in range(model.rowCount())] == shown_days
    events = [event for _, event in rows]

    def at(text: str) -> int:
        return next(k for k, event in enumerate(events) if event.startswith(text))

    # Ada's end (17 November) before Ben's start (18 November); on the 17th, Cy's start first.
    assert at("Cy advises") < at("ends: Ada ceo of") < at("Ben ceo of")
    assert rows[at("ends: Ada ceo of")][0] == "2023-11-17"
    # Dee's end "2023-10" shows October's first day: after Eve's start then, before Fay's.
    assert at("Eve joins") < at("ends: Dee chairs") < at("Fay joins")
    # An unknown end shows no day: no "ends" row, and no row shows an empty day.
    assert not any(event.startswith("ends: Gus") for event in events)
    assert all(when for when, _ in rows)


def test_clicking_an_ends_row_goes_to_the_day_it_shows(  # type: ignore[no-untyped-def]
        ends_list, qtbot) -> None:
    widget, ids = ends_list
    model, table = widget.model, widget.table
    row = next(r for r in range(model.rowCount())
               if model.index(r, EventModel.EVENT).data().startswith("ends: Ada"))
    table.scrollTo(model.index(row, 0))
    rect = table.visualRect(model.index(row, EventModel.EVENT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    day = dates.parse_day("2023-11-17")
    assert widget.session.as_of == day
    assert table.currentIndex().row() == row
    # The slider on that day selects this row again: the latest event on or before it.
    widget.session.set_as_of(day - 1)
    widget.session.set_as_of(day)
    assert table.currentIndex().row() == row
    assert model.index(row + 1, EventModel.EVENT).data(Qt.ItemDataRole.ForegroundRole) \
        is not None  # Ben's start, the next day, is still to come
