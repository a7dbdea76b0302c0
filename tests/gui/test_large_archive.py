"""Issue 6, the desktop part: a large archive is shown one entity (the focus) at a time; the
event list is fetched by page and the density strip comes from counts per day.

The archive is synthetic (``timeline.synthetic``: 40 entities, about 900 claims) and the
session's threshold is lowered so that it counts as large.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt

from gui.models import EventModel
from tests.gui.support import moments
from timeline import dates
from timeline.api import Archive, moment_keys
from timeline.interchange import import_document, parse
from timeline.synthetic import document

FOCUS_ABOVE = 100  # claims: the synthetic archive is "large" for these tests


@pytest.fixture(scope="module")
def large_archive_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.sqlite"
    with Archive.open(path) as archive:
        import_document(archive, parse(document(900, seed=5, entities=40)))
    return path


@pytest.fixture
def large(large_archive_file: Path) -> Iterator[Archive]:
    found = Archive.open(large_archive_file)
    yield found
    with contextlib.suppress(Exception):
        found.close()


def _window(qtbot, archive: Archive, path: Path, settings, focus_above: int = FOCUS_ABOVE):  # type: ignore[no-untyped-def]
    from gui.main_window import MainWindow
    from gui.session import Session

    window = MainWindow(Session(archive, path, focus_above=focus_above), settings)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.session.wait_for_overview()
    return window


@pytest.fixture
def focused(qtbot, large, large_archive_file, settings):  # type: ignore[no-untyped-def]
    window = _window(qtbot, large, large_archive_file, settings)
    yield window
    window.close()


def _claims_about(archive: Archive) -> Counter[str]:
    """Brute force: how many claims are about each entity (as subject, as object)."""
    counts: Counter[str] = Counter()
    for claim in archive.timeline():
        counts[archive.names[claim.subject_id]] += 1
        if claim.object_id:
            counts[archive.names[claim.object_id]] += 1
    return counts


def _expected_neighbours(window, day: int) -> set[str]:  # type: ignore[no-untyped-def]
    focus = window.session.entity
    state = window.session.archive.as_of(day, None, [focus])
    return {name for f in state.facts if f.object for name in (f.subject, f.object)
            if f.subject != f.object} - {focus}


def test_a_large_archive_opens_on_its_busiest_entity_and_says_so(focused, large):
    session = focused.session
    assert session.focused
    counts = _claims_about(large)
    assert counts[session.entity] == max(counts.values())
    panel = focused.state_panel
    assert panel.focus_edit.isVisible() and not panel.entity_box.isVisible()
    assert panel.focus_edit.text() == session.entity
    note = panel.focus_note.text()
    assert session.entity in note and "one entity at a time" in note
    assert focused.graph_caption.isVisible()
    assert focused.graph_caption.text().startswith(session.entity)
    assert not focused.clear_entity_action.isEnabled()
    session.select_entity(None)  # Esc: a large archive always keeps a focus
    assert session.entity is not None


def test_a_small_archive_shows_the_whole_world_as_before(window):
    assert not window.session.focused
    assert window.session.entity is None
    assert window.state_panel.entity_box.isVisible()
    assert not window.state_panel.focus_edit.isVisible()
    assert not window.graph_caption.isVisible()


@pytest.mark.parametrize("iso", ["1870-03-01", "1932-07-15", "1999-12-31"])
def test_a_slider_move_shows_the_focus_facts_and_its_neighbours_on_that_day(focused, iso):
    day = dates.parse_day(iso)
    focused.time_controls.slider.setValue(day)
    session = focused.session
    expected = session.archive.as_of(day, None, [session.entity])
    # The focus' own facts first, then what others say of it; each in the engine's order.
    own = [f.claim.id for f in expected.facts if f.subject == session.entity]
    others = [f.claim.id for f in expected.facts if f.subject != session.entity]
    assert [f.claim.id for f in focused.state_panel.model.facts()] == own + others
    assert own and focused.state_panel.model.group_names()[0] == session.entity
    neighbours = _expected_neighbours(focused, day)
    assert focused.graph.visible_nodes() == neighbours | {session.entity}
    for pair in focused.graph.visible_edges():
        assert session.entity in pair
    assert f"the {len(neighbours)} entit" in focused.graph_caption.text() or not neighbours


def test_a_neighbour_keeps_its_place_while_it_is_shown(focused):
    slider = focused.time_controls.slider
    start = dates.parse_day("1930-01-01")
    slider.setValue(start)
    before = {n: focused.graph.node_positions()[n] for n in focused.graph.visible_nodes()}
    for step in range(1, 40):
        slider.setValue(start + step * 30)
        now = focused.graph.node_positions()
        for name in focused.graph.visible_nodes() & before.keys():
            assert now[name] == before[name], name
        before = {n: now[n] for n in focused.graph.visible_nodes()}
        assert len(set(before.values())) == len(before)  # no two shown nodes on one place


def test_typing_a_name_in_the_focus_box_moves_the_focus(focused, qtbot):
    session = focused.session
    other = next(n for n in sorted(session.archive.names.values()) if n != session.entity)
    edit = focused.state_panel.focus_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, other)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert session.entity == other
    assert focused.graph.focus == other
    ids = session.archive.entity_ids(other)
    assert session.state.facts
    for fact in session.state.facts:
        assert fact.claim.subject_id in ids or fact.claim.object_id in ids
    assert other in focused.event_list.title.text()
    assert other in focused.state_panel.focus_note.text()
    # An alias finds its entity; an unknown name says so and changes nothing.
    alias = next(e for e in session.archive.entities() if e["aliases"])
    edit.selectAll()
    qtbot.keyClicks(edit, alias["aliases"][0])
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert session.entity == alias["name"]
    edit.selectAll()
    qtbot.keyClicks(edit, "Nobody 99999")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert session.entity == alias["name"]
    assert "unknown entity" in focused.state_panel.hint.text()


def test_clicking_a_neighbour_node_moves_the_focus_there(focused, qtbot):
    focused.time_controls.slider.setValue(dates.parse_day("1932-07-15"))
    graph = focused.graph
    graph.fit()
    neighbour = sorted(graph.visible_nodes() - {focused.session.entity})[0]
    point = graph.mapFromScene(graph.nodes[neighbour].pos())
    qtbot.mouseClick(graph.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point))
    assert focused.session.entity == neighbour
    assert graph.focus == neighbour
    assert neighbour in graph.visible_nodes()


def test_the_event_list_is_the_focus_events_fetched_by_page(focused, large, monkeypatch):
    model = focused.event_list.model
    ids = large.entity_ids(focused.session.entity)
    brute = moments(c for c in large.timeline() if c.subject_id in ids or c.object_id in ids)
    assert model.rowCount() == len(brute)
    for row in (0, len(brute) // 2, len(brute) - 1):
        assert (model.key(row).day, model.claim(row).id) == (brute[row][0], brute[row][2].id)


def test_the_event_list_fetches_claims_only_for_the_pages_shown(qtbot, large,
                                                                large_archive_file, settings,
                                                                monkeypatch):
    monkeypatch.setattr(EventModel, "PAGE", 50)
    # Whole archive (not focused): about 1,300 moments, 27 pages of 50.
    window = _window(qtbot, large, large_archive_file, settings, focus_above=10**6)
    model = window.event_list.model
    brute = moments(large.timeline())
    assert model.rowCount() == len(brute)
    pages = (len(brute) + 49) // 50
    qtbot.waitUntil(lambda: bool(model.loaded_pages()))  # the table painted its rows
    shown = model.loaded_pages()
    assert 0 < len(shown) < pages // 2  # only what the view showed
    fetched = model.pages_fetched
    far = next(p for p in range(pages) if p not in shown)
    row = far * 50 + 7
    assert (model.key(row).day, model.claim(row).id) == (brute[row][0], brute[row][2].id)
    assert model.pages_fetched == fetched + 1
    assert far in model.loaded_pages()
    model.claim(row + 1)  # same page: no query
    assert model.pages_fetched == fetched + 1
    window.close()


def test_the_density_strip_counts_every_moment_from_sql_aggregates(focused, large):
    strip = focused.time_controls.strip
    assert focused.session.moment_counts() == sorted(
        Counter(day for day, _, _ in moments(large.timeline())).items())
    brute = [0] * len(strip.histogram())
    for day, _, _ in moments(large.timeline()):
        column = int(strip.x_for_day(day)) // 4
        if 0 <= column < len(brute):
            brute[column] += 1
    assert strip.histogram() == brute
    # The focus' own moments, drawn over the archive's.
    ids = sorted(large.entity_ids(focused.session.entity))
    focus_days = [k.day for k in moment_keys(large, ids)]
    assert sorted(strip._focus or []) == sorted(focus_days)


def test_previous_and_next_go_through_the_focus_events(focused, large):
    ids = sorted(large.entity_ids(focused.session.entity))
    days = sorted({k.day for k in moment_keys(large, ids)})
    session = focused.session
    session.set_as_of(days[3])
    focused.time_controls.next_action.trigger()
    assert session.as_of == days[4]
    focused.time_controls.previous_action.trigger()
    focused.time_controls.previous_action.trigger()
    assert session.as_of == days[2]


class _Rows:
    """A list model whose rows are a Python list, and a mirror of it kept by its signals
    alone (what a view holds)."""

    def __init__(self, items: list[int]) -> None:
        from PySide6.QtCore import QAbstractListModel

        class Model(QAbstractListModel):
            def rowCount(model, parent: QModelIndex = _NO_INDEX) -> int:  # noqa: N802, N805
                return 0 if parent.isValid() else len(self.items)

            def data(model, index: QModelIndex, role: int = 0) -> int:  # noqa: N805
                return self.items[index.row()]

        self.items = items
        self.mirror = list(items)
        self.model = Model()
        self.model.rowsAboutToBeRemoved.connect(self._on_removing)
        self.model.rowsInserted.connect(self._on_inserted)

    def _on_removing(self, parent: object, first: int, last: int) -> None:
        del self.mirror[first:last + 1]

    def _on_inserted(self, parent: object, first: int, last: int) -> None:
        self.mirror[first:first] = self.items[first:last + 1]


_NO_INDEX = QModelIndex()


def test_rows_are_replaced_in_runs_and_end_as_the_new_list(qtbot):
    import random

    from gui.models import sync_rows

    rng = random.Random(11)
    for _ in range(200):
        old = rng.sample(range(60), rng.randint(0, 30))
        kept = [x for x in old if rng.random() < 0.4]
        added = rng.sample(range(60, 120), rng.randint(0, 20))
        # New rows anywhere; the kept ones in their old order.
        new = sorted(kept + added, key=lambda x: kept.index(x) if x in kept
                     else rng.random() * len(kept))
        rows = _Rows(list(old))
        assert sync_rows(rows.model, _NO_INDEX, rows.items, new, lambda x: x)
        assert rows.items == new
        assert rows.mirror == new


def test_compare_two_dates_is_about_the_focus(focused, large):
    dialog = focused.open_diff_dialog()
    assert dialog.wait()
    focus = focused.session.entity
    expected = large.diff(dialog.from_field.text(), dialog.to_field.text(), None, [focus])
    assert dialog.diff is not None
    assert {f.claim.id for f in dialog.diff.began} == {f.claim.id for f in expected.began}
    assert {f.claim.id for f in dialog.diff.ended} == {f.claim.id for f in expected.ended}
    assert focus in dialog.known_label.text()
    dialog.close()


def test_opening_a_small_archive_after_a_large_one_shows_it_whole_and_back(
        qtbot, large, large_archive_file, archive_path, settings):
    window = _window(qtbot, large, large_archive_file, settings, focus_above=500)
    assert window.session.focused
    assert window.open_archive_path(archive_path)
    session = window.session
    assert not session.focused and session.entity is None
    assert window.state_panel.entity_box.isVisible()
    assert not window.state_panel.focus_edit.isVisible()
    assert window.graph.focus is None and not window.graph_caption.isVisible()
    assert window.event_list.model.rowCount() == len(moments(session.archive.timeline()))
    assert window.clear_entity_action.isEnabled() is False
    assert window.open_archive_path(large_archive_file)
    assert session.wait_for_overview()
    assert session.focused and session.entity is not None
    assert window.graph.focus == session.entity
    assert window.state_panel.focus_edit.isVisible()
    assert session.entity in window.graph_caption.text()
    window.close()
