"""Issue 15, item 7: the app marks the facts that come through a part of the entity shown —
an italic "via Stargate" under the sentence in the state panel, a dotted "part of" edge in the
graph — on a small archive (whole) and a large one (one entity at a time)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from gui.delegates import TextDelegate
from gui.models import FACT_ROLE, NOTE_ROLE, StateModel
from timeline.api import Archive, FactView, parse_day


@pytest.fixture
def archive(archive_path: Path) -> Iterator[Archive]:
    """The demo archive (OpenAI and SoftBank partners in Stargate), where Stargate is also a
    part of OpenAI from about January 2025: maybe a part in January, surely from March."""
    found = Archive.open(archive_path)
    found.record("Stargate", "part_of", object="OpenAI", valid="2025-01~/..",
                 known_at="2025-01-21")
    found.record("Stargate", "planned_investment", value="$500 billion in AI infrastructure",
                 valid="2025-01-21/..", known_at="2025-01-21")
    yield found
    with contextlib.suppress(Exception):
        found.close()


def _rows(model: StateModel) -> dict[tuple[str, str], QModelIndex]:
    """(subject, predicate) -> the index of the fact's sentence, for every fact row."""
    out = {}
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        for r in range(model.rowCount(parent)):
            index = model.index(r, StateModel.FACT, parent)
            fact: FactView = index.data(FACT_ROLE)
            out[(fact.subject, fact.claim.predicate)] = index
    return out


def _paint(delegate: TextDelegate, option: QStyleOptionViewItem, index: QModelIndex) -> QImage:
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image


def test_the_state_panel_marks_facts_that_come_through_a_part(window):
    session, panel = window.session, window.state_panel
    session.set_as_of(parse_day("2025-06-01"))
    session.select_entity("OpenAI")
    rows = _rows(panel.model)
    through = rows[("Stargate", "planned_investment")]
    assert through.data(NOTE_ROLE) == "via Stargate"
    assert rows[("SoftBank", "partner_in")].data(NOTE_ROLE) == "via Stargate"
    assert "Via Stargate: about a part of the entity shown" in through.data(
        Qt.ItemDataRole.ToolTipRole)
    own = rows[("Stargate", "part_of")]
    assert own.data(NOTE_ROLE) is None
    assert rows[("OpenAI", "partner_in")].data(NOTE_ROLE) is None

    # The note is drawn: a line under the sentence, in the sentence's own column.
    delegate = panel.tree.itemDelegateForColumn(StateModel.FACT)
    assert isinstance(delegate, TextDelegate)
    plain = TextDelegate(panel.tree, wrap=True)  # the same, without the note
    option = QStyleOptionViewItem()
    option.initFrom(panel.tree)
    line = option.fontMetrics.height()
    assert delegate.sizeHint(option, through).height() == \
        plain.sizeHint(option, through).height() + line
    assert delegate.sizeHint(option, own).height() == plain.sizeHint(option, own).height()
    option.rect = QRect(0, 0, 600, delegate.sizeHint(option, through).height())
    assert _paint(delegate, option, through) != _paint(plain, option, through)
    option.rect = QRect(0, 0, 600, delegate.sizeHint(option, own).height())
    assert _paint(delegate, option, own) == _paint(plain, option, own)


def test_a_maybe_part_says_maybe_and_the_whole_archive_says_nothing(window):
    session, panel = window.session, window.state_panel
    session.set_as_of(parse_day("2025-01-25"))
    session.select_entity("OpenAI")
    assert _rows(panel.model)[("Stargate", "planned_investment")].data(NOTE_ROLE) == \
        "maybe via Stargate"
    session.select_entity(None)
    rows = _rows(panel.model)
    assert ("Stargate", "planned_investment") in rows
    assert all(index.data(NOTE_ROLE) is None for index in rows.values())


def test_the_graph_draws_a_part_and_its_whole_dotted(window):
    window.session.set_as_of(parse_day("2025-06-01"))
    edges = window.graph.edges
    assert edges[("OpenAI", "Stargate")].isVisible()
    assert edges[("OpenAI", "Stargate")].is_part()
    assert not edges[("SoftBank", "Stargate")].is_part()


def test_one_entity_at_a_time_shows_its_parts_facts(qtbot, archive, archive_path, settings):
    """A large archive shows the focus' answer, parts included; facts that relate a part to
    entities outside the focus' neighbourhood are listed, not drawn."""
    from gui.main_window import MainWindow
    from gui.session import Session

    window = MainWindow(Session(archive, archive_path, focus_above=1), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.session.wait_for_overview()
    window.session.select_entity("OpenAI")
    window.session.set_as_of(parse_day("2025-06-01"))
    assert window.session.focused and window.graph.focus == "OpenAI"
    rows = _rows(window.state_panel.model)
    assert rows[("SoftBank", "partner_in")].data(NOTE_ROLE) == "via Stargate"
    assert "Stargate" in window.graph.visible_nodes()
    assert "SoftBank" not in window.graph.nodes  # not OpenAI's neighbour: not drawn
    assert window.graph.edges[("OpenAI", "Stargate")].is_part()
    window.close()
