"""The search box (gui/search.py): Ctrl+F focuses it, typing searches the whole archive after a
pause, and a result takes you to its claim (the date and the selection), its source (the
passage highlighted) or its entity; archive text is escaped."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.search import DELAY_MS, hit_html, marked_html
from timeline.api import SearchHit, parse_day

DISMISSED = "c-43d9a67c5ec3b335"  # Sam Altman was dismissed from OpenAI (valid 2023-11-17)
SOURCE = "002_e4e0b306e2a42f4d.txt"


def _hits(window) -> list[SearchHit]:  # type: ignore[no-untyped-def]
    results = window.search.results
    return [results.item(k).data(Qt.ItemDataRole.UserRole) for k in range(results.count())]


def _item(window, kind: str, target: str | None = None):  # type: ignore[no-untyped-def]
    results = window.search.results
    return next(results.item(k) for k in range(results.count())
                if (hit := results.item(k).data(Qt.ItemDataRole.UserRole)) is not None
                and hit.kind == kind and target in (None, hit.id))


def test_ctrl_f_focuses_the_box_and_typing_shows_results(window, qtbot):
    window.activateWindow()
    qtbot.keyClick(window.state_panel.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    box = window.search.box
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    assert window.filter_action.shortcut().toString() == "Ctrl+Shift+F"  # the day's filter
    qtbot.keyClicks(box, "optim")  # the last word as a prefix, typed
    assert not window.search.results.isVisible()  # not at once: after a pause
    qtbot.waitUntil(window.search.results.isVisible, timeout=DELAY_MS * 8)
    hits = _hits(window)
    assert {h.kind for h in hits} >= {"claim", "entity", "source"}
    assert box.hasFocus()  # typing stays in the box
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not window.search.results.isVisible()


def test_a_claim_result_moves_the_date_and_selects_the_fact(window, qtbot):
    window.session.set_as_of(parse_day("2019-01-01"))
    window.search.search("Optimus dismissed")
    item = _item(window, "claim", DISMISSED)
    rect = window.search.results.visualItemRect(item)
    qtbot.mouseClick(window.search.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert window.session.as_of == parse_day("2023-11-17")
    assert window.time_controls.slider.value() == parse_day("2023-11-17")
    assert window.session.fact is not None and window.session.fact.claim.id == DISMISSED
    assert window.state_panel.tree.currentIndex().isValid()
    assert not window.search.results.isVisible()


def test_a_withdrawn_claim_selects_its_subject(window, qtbot):
    window.session.archive.retract(DISMISSED)
    window.session.reload()
    window.search.search("Optimus dismissed")
    hit = next(h for h in _hits(window) if h.id == DISMISSED)
    assert hit.withdrawn == "retracted" and "retracted" in hit_html(hit)
    window.search.activate(_item(window, "claim", DISMISSED))
    assert window.session.as_of == parse_day("2023-11-17")
    assert window.session.fact is None and window.session.entity == "Sam Altman"
    assert "retracted" in window.statusBar().currentMessage()


def test_enter_opens_a_source_at_the_passage_and_an_entity_is_selected(window, qtbot):
    box = window.search.box
    box.setFocus()
    window.search.search("growing apart")
    row = next(k for k, hit in enumerate(_hits(window)) if hit.kind == "source")
    assert window.search.results.currentRow() == 0
    for _ in range(row):
        qtbot.keyClick(box, Qt.Key.Key_Down)  # ↓ through the results, typing in the box
    assert window.search.results.currentRow() == row
    qtbot.keyClick(box, Qt.Key.Key_Return)
    shown = window.search.source_window
    assert shown is not None and shown.viewer.source["id"] == SOURCE
    assert [t.lower() for t in shown.viewer.highlighted_texts()] in (["growing"], ["apart"])
    shown.close()
    window.search.search("Optimus")
    window.search.activate(_item(window, "entity"))
    assert window.session.entity == "Sam Altman"


def test_text_is_escaped_and_a_search_with_no_word_says_so(window, qtbot):
    assert marked_html("<b>x</b> & y", ((3, 4),)) == "&lt;b&gt;<b>x</b>&lt;/b&gt; &amp; y"
    assert window.search.search('" * -') == []
    message = window.search.results.item(0)
    assert "Nothing to search for" in message.text() and not message.flags()
    assert window.search.search("zebraphone") == []
    assert "Nothing in the archive" in window.search.results.item(0).text()


def test_searching_runs_apart_and_a_newer_search_overtakes_an_older(window, qtbot):
    """On an archive file the words are found in a worker thread: typing never waits. A
    search typed on top of one running stops it, and only the newer one's results show."""
    search = window.search
    search.box.setText("altman")
    assert search.run() == []  # started, not done: the box stays free
    older = search._running
    assert older is not None
    search.box.setText("microsoft")
    search.run()
    assert older._stopped.is_set()
    hits = search.wait()
    assert hits and hits == _hits(window)
    assert all("microsoft" in (h.title + h.snippet).lower() for h in hits)
    qtbot.wait(50)  # the older worker's report, if any, arrives and is ignored
    assert _hits(window) == hits
