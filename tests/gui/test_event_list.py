"""Issue 4, point 5: the event list, in time order and synced with the slider both ways."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.models import EventModel
from timeline import dates


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
