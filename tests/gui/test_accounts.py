"""Issue 15 in the app: a fact is one row however many accounts tell of it; the row names their
sources, says who gives which date where they disagree (DISPUTED, a badge of its own) and marks
a change of hands; the sources panel lists every account; and another account is recorded
(and tied) from the app.

Each test builds a small archive in memory: Halden Robotics changing chief executive, told by
sources that disagree on the day."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog

from gui.account_field import NONE_TEXT
from gui.badges import colours
from gui.correction_dialogs import RecordClaimDialog
from gui.models import NOTE_ROLE, StateModel
from timeline import dates
from timeline.api import CONTESTED, DISPUTED, STATUSES, Archive, accounts_of

LEDGER = "Tomas Brell took over on Wednesday, 19 November"
POST = "Brell became chief executive on Thursday, 20 November"
SOURCES = (
    ("ledger", "Varga out at Halden; Brell steps in", "2031-11-20",
     f"{LEDGER}. Ines Varga left the same day."),
    ("post", "The four days that shook Halden", "2031-11-28", f"{POST}."),
    ("profile", "Halden Robotics: the quiet machine-makers", "2029-09-14",
     "Niamh O'Dell joined Halden's board this year. Ines Varga has run Halden since 2027."),
    ("courier", "What happened in Halden's boardroom", "2031-11-21",
     "O'Dell, a board member since 2029, voted against."),
)
TOMAS = "Tomas Brell leads Halden Robotics"
INES = "Ines Varga leads Halden Robotics"
NIAMH = "Niamh O'Dell sits on Halden Robotics"


def _halden(*, second_account: bool = True) -> tuple[Archive, dict[str, str]]:
    """Ines leads Halden until 19 November 2031, the day Tomas takes over (an office: one
    holder at a time) by the ledger — the 20th by the post (``second_account``); Niamh sits
    on the board by two sources that agree."""
    archive = Archive.in_memory()
    for source in SOURCES:
        archive.add_source(*source)
    archive.define_predicate("leads", "leads", "object")
    archive.define_predicate("sits_on", "sits on")
    ids = {
        "ines": archive.record("Ines Varga", "leads", object="Halden Robotics",
                               valid="2027/2031-11-19",
                               sources=[("profile", "Ines Varga has run Halden since 2027")]),
        "ledger": archive.record("Tomas Brell", "leads", object="Halden Robotics",
                                 valid="2031-11-19/..", sources=[("ledger", LEDGER)]),
        "profile": archive.record("Niamh O'Dell", "sits_on", object="Halden Robotics",
                                  valid="2029/..", sources=[
                                      ("profile", "Niamh O'Dell joined Halden's board")]),
        "courier": archive.record("Niamh O'Dell", "sits_on", object="Halden Robotics",
                                  valid="2029/..", sources=[
                                      ("courier", "O'Dell, a board member since 2029")]),
    }
    if second_account:
        ids["post"] = archive.record("Tomas Brell", "leads", object="Halden Robotics",
                                     valid="2031-11-20/..", sources=[("post", POST)])
    return archive, ids


@pytest.fixture
def open_window(qtbot, settings) -> Iterator[Callable[[Archive], Any]]:  # type: ignore
    """Opens the main window on an archive in memory. The windows are kept (and closed) until
    the test's teardown: a window nothing refers to would be deleted as the test returns,
    under the dialogs it still has to delete."""
    from gui.main_window import MainWindow
    from gui.session import Session

    windows = []

    def open_on(archive: Archive) -> MainWindow:
        window = MainWindow(Session(archive, None), settings)
        qtbot.addWidget(window)
        window.resize(1440, 900)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield open_on
    for window in windows:
        window.close()


@pytest.fixture
def halden(open_window) -> tuple[Any, dict[str, str]]:  # type: ignore[no-untyped-def]
    archive, ids = _halden()
    return open_window(archive), ids


def _go(window, day: str) -> None:  # type: ignore[no-untyped-def]
    window.session.set_as_of(dates.parse_day(day))


def _rows(window, statement: str) -> list[QModelIndex]:  # type: ignore[no-untyped-def]
    """The state panel's rows (Fact column) showing this sentence."""
    model = window.state_panel.model
    found = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            index = model.index(r, StateModel.FACT, group)
            if index.data() == statement:
                found.append(index)
    return found


def _row(window, statement: str) -> QModelIndex:  # type: ignore[no-untyped-def]
    rows = _rows(window, statement)
    assert len(rows) == 1, (statement, len(rows))
    return rows[0]


def _cell(index: QModelIndex, column: int) -> QModelIndex:
    return index.siblingAtColumn(column)


def _select(window, statement: str):  # type: ignore[no-untyped-def]
    fact = next(f for f in window.session.state.facts if f.statement == statement)
    window.session.select_fact(fact)
    return fact


def test_a_disputed_fact_shows_its_badge_and_who_gives_which_day(halden):
    window, _ = halden
    _go(window, "2031-11-19")
    row = _row(window, TOMAS)
    status = _cell(row, StateModel.STATUS)
    assert status.data() == DISPUTED
    post = window.session.source_name("post")
    note = row.data(NOTE_ROLE)
    assert f"began 19 Nov per Varga out at Halden; 20 Nov per {post}" in note
    assert DISPUTED in status.data(Qt.ItemDataRole.ToolTipRole)
    assert "20 Nov per" in status.data(Qt.ItemDataRole.ToolTipRole)
    # The badge is painted in its own colour, not CONTESTED's.
    tree = window.state_panel.tree
    tree.scrollTo(status)
    fill = colours(DISPUTED, tree.palette()).fill
    assert fill != colours(CONTESTED, tree.palette()).fill
    image = tree.viewport().grab(tree.visualRect(status)).toImage()
    painted = sum(image.pixelColor(x, y) == fill
                  for x in range(image.width()) for y in range(image.height()))
    assert painted > 50
    # The row is tall enough for its note's lines.
    assert tree.visualRect(row).height() > 2 * tree.fontMetrics().height()
    assert "disputed" in window.state_panel.summary.text()
    # A week later both accounts say he leads: it holds, and the note still says who said what.
    _go(window, "2031-11-25")
    row = _row(window, TOMAS)
    assert _cell(row, StateModel.STATUS).data() == "HOLDS"
    assert "20 Nov per" in row.data(NOTE_ROLE)


def test_a_fact_of_two_accounts_is_one_row_that_names_both_sources(halden):
    window, ids = halden
    _go(window, "2031-11-25")
    row = _row(window, NIAMH)  # one row, not one per claim
    names = [window.session.source_name(s) for s in ("profile", "courier")]
    assert names == ["Halden Robotics", "What happened in Halden's"]
    assert row.data(NOTE_ROLE) == f"per {names[0]}, {names[1]}"
    tip = row.data(Qt.ItemDataRole.ToolTipRole)
    assert "2 accounts" in tip and "2 sources" not in tip
    assert tip.count("2029/.. · HOLDS · certainty 1") == 2
    for name in names:
        assert name.replace("'", "&#x27;") in tip  # the tooltip's text is escaped


def test_the_sources_panel_lists_every_account_with_its_own_dates_and_quotes(halden):
    window, ids = halden
    _go(window, "2031-11-19")
    _select(window, TOMAS)
    panel = window.citations
    assert panel.badge.text() == DISPUTED
    assert panel.accounts_shown() == [ids["ledger"], ids["post"]]
    texts = [panel.citations.item(k).text() for k in range(panel.citations.count())]
    assert texts[0].startswith("valid 2031-11-19/.. · HOLDS · certainty 1")
    assert f"“{LEDGER}”" in texts[1]
    assert texts[2].startswith("valid 2031-11-20/.. · not on this day")
    assert f"“{POST}”" in texts[3]
    assert "2 accounts" in panel.citations_label.text()
    assert "Disputed:" in panel.notes.text() and "20 Nov per" in panel.notes.text()
    # The first citation is open in the viewer, not a heading.
    assert panel.citations.currentRow() == 1
    # The headings follow the day: on the 25th the post's account holds too.
    _go(window, "2031-11-25")
    assert panel.citations.item(2).text().startswith("valid 2031-11-20/.. · HOLDS")


def test_recording_another_account_from_the_fact_ties_it(qtbot, open_window):
    archive, ids = _halden(second_account=False)
    window = open_window(archive)
    _go(window, "2031-11-25")
    fact = _select(window, TOMAS)
    assert window.account_action in window.state_panel.fact_actions
    assert len(accounts_of(fact.fact)) == 1
    window.account_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, RecordClaimDialog)
    # Prefilled: the same fact, tied to it.
    assert dialog.account_of.claim_id() == ids["ledger"]
    assert (dialog.subject.currentText(), dialog.predicate.currentText(),
            dialog.object.currentText()) == ("Tomas Brell", "leads", "Halden Robotics")
    # The post words it otherwise: only the tie makes it an account of the same fact.
    dialog.subject.setEditText("Halden Robotics")
    dialog.predicate.setEditText("run_by")
    dialog.object.setEditText("Tomas Brell")
    dialog.valid.edit.clear()
    qtbot.keyClicks(dialog.valid.edit, "2031-11-20/..")
    dialog.source.setCurrentIndex(dialog.source.findData("post"))
    dialog.quote.setText(POST)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert archive.claim(dialog.result_id).tie == ids["ledger"]
    # One row for the fact, with both accounts; the new one selects the fact.
    row = _row(window, TOMAS)
    assert not _rows(window, "Halden Robotics run by Tomas Brell")
    facts = [f for f in window.session.state.facts if f.claim.id == ids["ledger"]]
    assert [a.claim.id for a in accounts_of(facts[0].fact)] == [ids["ledger"], dialog.result_id]
    assert window.session.fact is not None and window.session.fact.claim.id == ids["ledger"]
    names = [window.session.source_name(s) for s in ("ledger", "post")]
    assert all(name in row.data(NOTE_ROLE) for name in names)


def test_the_record_dialog_offers_the_facts_shown_to_be_an_account_of(qtbot, open_window):
    archive, ids = _halden(second_account=False)
    window = open_window(archive)
    _go(window, "2031-11-25")
    dialog = window.open_record_dialog()
    box = dialog.account_of
    assert box.currentText() == NONE_TEXT and box.claim_id() is None
    texts = [box.itemText(k) for k in range(box.count())]
    assert f"{TOMAS} · 2031-11-19/.." in texts
    # Choosing one fills what the claim says, when nothing is typed yet.
    box.showPopup()
    view = box.view()
    index = view.model().index(box.findData(ids["ledger"]), 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert box.currentIndex() == box.findData(ids["ledger"])
    assert dialog.predicate.currentText() == "leads"
    assert box.claim_id() == ids["ledger"]
    # A claim id the archive does not hold is refused next to the field.
    box.setEditText("c-no-such-claim")
    dialog.valid.edit.setText("2031-11-20/..")
    assert not dialog.ok_button.isEnabled()
    assert "no claim" in dialog._checked["account_of"].error.text()
    box.setCurrentIndex(box.findData(ids["ledger"]))
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert archive.claim(dialog.result_id).tie == ids["ledger"]


def test_a_new_predicate_can_be_single_per_object(qtbot, open_window):
    archive, _ = _halden(second_account=False)
    window = open_window(archive)
    dialog = window.open_record_dialog()
    dialog.predicate.setEditText("leads")
    assert not dialog.single.isEnabled()
    assert dialog.single.side() == "object"  # the archive's, shown
    dialog.subject.setEditText("Pell Okafor")
    dialog.predicate.setEditText("chairs")
    dialog.object.setEditText("Halden Robotics")
    dialog.valid.edit.setText("2031-11-17/..")
    assert dialog.single.isEnabled()
    dialog.single.setCurrentIndex(dialog.single.findData("object"))
    dialog.new_entity.setChecked(True)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert archive.predicates["chairs"] == ("", "object")


def test_a_handover_marks_both_facts_changing_and_is_not_contested(halden):
    window, _ = halden
    _go(window, "2031-11-18")
    assert "changing" not in (_row(window, INES).data(NOTE_ROLE) or "")
    _go(window, "2031-11-19")
    ines, tomas = _row(window, INES), _row(window, TOMAS)
    assert _cell(ines, StateModel.STATUS).data() == "HOLDS"  # a change, not a contest
    assert f"⇄ changing with: {TOMAS}" in ines.data(NOTE_ROLE)
    assert f"⇄ changing with: {INES}" in tomas.data(NOTE_ROLE)
    assert f"⇄ changing with: {TOMAS}" in ines.data(Qt.ItemDataRole.ToolTipRole)
    # The graph marks both relationships, the disputed one in its own style.
    edges = {f.statement: (edge, f) for edge in window.graph.edges.values() for f in edge.facts}
    edge, line = edges[TOMAS]
    assert line.status == DISPUTED and "(disputed)" in line.text and "⇄" in line.text
    assert edge.status() == DISPUTED
    assert "⇄" in edges[INES][1].text


def test_disputed_is_in_the_legends(halden):
    window, _ = halden
    assert DISPUTED in STATUSES
    assert "disputed" in window.legend.text()
    header = window.state_panel.model.headerData(StateModel.STATUS, Qt.Orientation.Horizontal,
                                                 Qt.ItemDataRole.ToolTipRole)
    assert "DISPUTED — its accounts disagree on when" in header
