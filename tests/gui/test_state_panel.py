"""Issue 4, point 3: the state panel — facts grouped by entity, status badges that match the
engine and read in light and dark palettes, filters by entity, text and alias."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from gui.badges import BadgeDelegate, colours
from gui.models import FACT_ROLE, StateModel
from timeline import dates
from timeline.api import DISPUTED, STATUSES


def _rows(model: StateModel) -> list[tuple[str, str, str]]:
    """(group, status badge text, statement) for every fact row, as the view shows them."""
    out = []
    for g in range(model.rowCount()):
        group = model.index(g, StateModel.FACT)
        name = model.index(g, 0).data(Qt.ItemDataRole.UserRole + 3)
        for r in range(model.rowCount(model.index(g, 0))):
            status = model.index(r, StateModel.STATUS, model.index(g, 0)).data()
            statement = model.index(r, StateModel.FACT, model.index(g, 0)).data()
            out.append((name, status, statement))
        assert name in group.data()
    return out


def test_facts_are_grouped_by_entity_with_the_engines_status(window, archive):
    day = dates.parse_day("2025-05-15")
    window.session.set_as_of(day)
    rows = _rows(window.state_panel.model)
    expected = archive.as_of(day).facts
    assert sorted(rows) == sorted((f.subject, f.status, f.statement) for f in expected)
    # The demo archive's facts hold, may hold or are contested; none of its facts has two
    # accounts that disagree on when (DISPUTED: tests/gui/test_accounts.py).
    assert {status for _, status, _ in rows} == set(STATUSES) - {DISPUTED}
    groups = [name for name, _, _ in rows]
    assert groups == sorted(groups, key=str.casefold)


def test_the_status_column_is_painted_as_a_badge(window):
    delegate = window.state_panel.tree.itemDelegateForColumn(StateModel.STATUS)
    assert isinstance(delegate, BadgeDelegate)


@pytest.mark.parametrize("dark", [False, True])
def test_badges_differ_by_colour_and_their_words_stay_readable(dark):
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020" if dark else "#f0f0f0"))
    fills = set()
    for status in STATUSES:
        c = colours(status, palette)
        fills.add(c.fill.name())
        assert _contrast(c.fill, c.text) >= 4.5, status  # WCAG AA for normal text
    assert len(fills) == len(STATUSES)


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_filter_matches_sentences(window):
    window.session.set_as_of(dates.parse_day("2025-05-15"))
    window.state_panel.filter_edit.setText("ohio")
    rows = _rows(window.state_panel.model)
    assert rows and all("ohio" in statement.casefold() for _, _, statement in rows)
    window.state_panel.filter_edit.setText("")
    assert len(_rows(window.state_panel.model)) == len(window.session.state.facts)


def test_an_alias_in_the_filter_shows_every_fact_about_its_entity(window, archive):
    day = dates.parse_day("2023-11-20")
    window.session.set_as_of(day)
    panel = window.state_panel
    panel.filter_edit.setText("Optimus")
    about = {f.claim.id for f in archive.as_of(day, entities=["Sam Altman"]).facts}
    shown = {f.claim.id for f in panel.model.facts()}
    assert shown == about and shown
    assert "Sam Altman" in panel.hint.text()
    assert not panel.hint.isHidden()


def test_entity_box_narrows_to_one_entity_and_follows_the_selection(window, archive):
    day = dates.parse_day("2025-05-15")
    window.session.set_as_of(day)
    panel = window.state_panel
    panel.entity_box.setCurrentText("Microsoft")
    panel.entity_box.activated.emit(panel.entity_box.currentIndex())
    assert window.session.entity == "Microsoft"
    about = {f.claim.id for f in archive.as_of(day, entities=["Microsoft"]).facts}
    assert {f.claim.id for f in panel.model.facts()} == about
    window.session.select_entity("Optimus")
    assert panel.entity_box.currentText() == "Sam Altman"
    window.session.select_entity(None)
    assert panel.entity_box.currentIndex() == 0


def test_slider_moves_update_rows_in_place_and_keep_collapsed_groups(window, qtbot):
    panel = window.state_panel
    model = panel.model
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    window.session.set_as_of(dates.parse_day("2025-05-15"))
    group = model.index_of_group("Microsoft")
    panel.tree.collapse(group)
    for text in ("2024-01-01", "2025-02-01", "2025-05-20", "2019-08-01", "2025-05-15"):
        window.session.set_as_of(dates.parse_day(text))
    assert not resets
    assert not panel.tree.isExpanded(model.index_of_group("Microsoft"))
    assert panel.tree.isExpanded(model.index_of_group("OpenAI"))


def test_selecting_a_fact_selects_it_for_the_whole_window(window, qtbot):
    window.session.set_as_of(dates.parse_day("2025-05-15"))
    model = window.state_panel.model
    first = model.facts()[0]
    index = model.index_of_claim(first.claim.id)
    window.state_panel.tree.setCurrentIndex(index)
    assert window.session.fact is not None
    assert window.session.fact.claim.id == first.claim.id
    assert index.data(FACT_ROLE).claim.id == first.claim.id
    assert window.citations.statement.text() == first.statement


def test_nothing_holds_before_the_archive_begins_and_the_panel_says_so(window, archive):
    lo, _ = archive.span()
    window.session.set_as_of(lo - 400)
    assert not window.state_panel.model.facts()
    assert window.state_panel.stack.currentWidget() is window.state_panel.empty
    assert "Nothing holds" in window.state_panel.empty.text()
