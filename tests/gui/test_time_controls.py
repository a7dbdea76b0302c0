"""Issue 4, points 1 and 2: the time slider, its density strip, the date fields, replay,
previous/next events and keyboard shortcuts; the "as known on" control."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from gui import formatting
from tests.gui.support import moments
from timeline import dates


def _ids(state):  # type: ignore[no-untyped-def]
    return {(f.claim.id, f.status) for f in state.facts}


def test_slider_spans_the_archive_with_some_room_either_side(window, archive):
    lo, hi = archive.span()
    slider = window.time_controls.slider
    assert slider.minimum() < lo <= hi < slider.maximum()
    assert slider.maximum() - slider.minimum() < (hi - lo) * 1.2


def test_slider_move_updates_the_state_panel_and_graph_like_the_engine(window, archive,
                                                                       qtbot):
    slider = window.time_controls.slider
    for text in ("2018-12-31", "2023-11-20", "2024-07-05", "2025-05-15"):
        day = dates.parse_day(text)
        slider.setValue(day)
        expected = archive.as_of(day)
        assert window.session.as_of == day
        shown = window.state_panel.model.facts()
        assert {(f.claim.id, f.status) for f in shown} == _ids(expected)
        related = {tuple(sorted((f.subject, f.object))) for f in expected.facts
                   if f.object and f.object != f.subject}
        assert set(window.graph.visible_edges()) == related
        assert window.time_controls.as_of_title.text() == formatting.human_date(day)


def test_density_strip_counts_the_archive_moments_and_a_click_goes_there(window, archive,
                                                                          qtbot):
    strip = window.time_controls.strip
    found = moments(archive.timeline())
    # The strip is given counts per day by SQL; a column must hold what counting every
    # moment of every claim under it gives.
    brute = [0] * len(strip.histogram())
    for day, _, _ in found:
        column = int(strip.x_for_day(day)) // 4
        if 0 <= column < len(brute):
            brute[column] += 1
    assert strip.histogram() == brute
    assert sum(brute) == len(found)
    target = dates.parse_day("2023-11-17")
    x = round(strip.x_for_day(target))
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(x, 10))
    per_pixel = (strip.slider.maximum() - strip.slider.minimum()) / strip.slider.width()
    assert abs(window.session.as_of - target) <= per_pixel * 2 + 1


def test_date_field_takes_edtf_and_plain_dates_and_shows_errors_beside_it(window, qtbot):
    field = window.time_controls.date_field
    for text, expected in (("2023-11", "2023-11-30"), ("2019-07-22", "2019-07-22"),
                           ("2024~", "2024-12-31"), ("2018-22", "2018-08-31")):
        field.edit.setFocus()
        field.edit.selectAll()
        qtbot.keyClicks(field.edit, text)
        qtbot.keyClick(field.edit, Qt.Key.Key_Return)
        assert window.session.as_of == dates.parse_day(expected), text
        assert window.time_controls.slider.value() == window.session.as_of
    before = window.session.as_of
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "2023-13")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert window.session.as_of == before
    assert field.error_label.isVisible()
    assert "2023-13" in field.error_label.text()


def test_previous_and_next_event_buttons_and_keys_step_through_themoments(window,
                                                                            archive, qtbot):
    controls = window.time_controls
    days = sorted({day for day, _, _ in moments(archive.timeline())})
    window.session.set_as_of(days[3])
    controls.next_action.trigger()
    assert window.session.as_of == days[4]
    controls.previous_action.trigger()
    controls.previous_action.trigger()
    assert window.session.as_of == days[2]
    slider = controls.slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_End)
    assert window.session.as_of == days[-1]
    qtbot.keyClick(slider, Qt.Key.Key_Home)
    assert window.session.as_of == days[0]
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert window.session.as_of == days[0] + 1
    qtbot.keyClick(slider, Qt.Key.Key_Left)
    qtbot.keyClick(slider, Qt.Key.Key_Left)
    assert window.session.as_of == days[0] - 1
    qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    assert window.session.as_of == days[0] - 1 + slider.pageStep()


def test_play_replays_history_and_pause_stops_it(window, qtbot):
    controls = window.time_controls
    controls.speed.setCurrentIndex(controls.speed.count() - 1)  # a year a second
    start = dates.parse_day("2019-01-01")
    window.session.set_as_of(start)
    controls.play_action.trigger()
    assert controls.is_playing()
    qtbot.waitUntil(lambda: window.session.as_of > start + 30, timeout=3000)
    controls.play_action.trigger()
    assert not controls.is_playing()
    stopped = window.session.as_of
    qtbot.wait(150)
    assert window.session.as_of == stopped


def test_as_known_on_shows_the_record_of_that_day_and_both_dates_are_plain(window, archive,
                                                                           qtbot):
    controls = window.time_controls
    window.session.set_as_of(dates.parse_day("2024-07-06"))
    assert controls.known_title.text() == "now"
    field = controls.known_field
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, "2024-07-05")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    known = dates.parse_day("2024-07-05")
    assert window.session.known_as_of == known
    assert controls.known_title.text() == "5 July 2024"
    assert controls.as_of_title.text() == "6 July 2024"
    assert controls.known_slider.value() == known
    shown = {(f.claim.id, f.status) for f in window.state_panel.model.facts()}
    assert shown == _ids(archive.as_of(window.session.as_of, known))
    # The retracted board seat was believed on 5 July 2024, and is gone by now.
    assert "apple-board-observer" in {f.claim.id for f in window.state_panel.model.facts()}
    controls.now_button.click()
    assert window.session.known_as_of is None
    assert controls.known_slider.value() == controls.known_slider.maximum()
    assert "apple-board-observer" not in {f.claim.id for f in window.state_panel.model.facts()}
    controls.known_slider.setValue(known)
    assert window.session.known_as_of == known
