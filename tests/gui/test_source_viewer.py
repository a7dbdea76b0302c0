"""Issue 4, point 6: a fact's citations, and the source viewer with the quote highlighted
and scrolled into view, with title and publication date."""

from __future__ import annotations

from gui.source_viewer import SourceViewer
from timeline import dates

QUOTE = "Microsoft suspended the construction of three data center campuses in central Ohio"


def _select(window, predicate: str, value: str) -> None:  # type: ignore[no-untyped-def]
    fact = next(f for f in window.session.state.facts
                if f.claim.predicate == predicate and f.claim.value == value)
    window.session.select_fact(fact)


def test_selecting_a_fact_lists_its_sources_and_shows_the_quote(window, qtbot):
    window.session.set_as_of(dates.parse_day("2025-05-15"))
    _select(window, "ohio_data_centers", "construction suspended")
    panel = window.citations
    assert panel.citations.count() == 1
    assert "Optimus and Nadella, growing apart" in panel.citations.item(0).text()
    viewer = panel.viewer
    assert "Optimus and Nadella, growing apart" in viewer.title.text()
    assert "Published 2 May 2025" in viewer.meta.text()
    assert viewer.highlighted_texts() == [QUOTE]
    assert viewer.text.toPlainText() == window.session.archive.source(
        "002_e4e0b306e2a42f4d.txt")["text"]


def test_the_quote_is_scrolled_into_view(window, qtbot):
    window.session.set_as_of(dates.parse_day("2025-05-15"))
    window.resize(1280, 800)
    _select(window, "ohio_data_centers", "construction suspended")
    viewer = window.citations.viewer
    qtbot.wait(20)  # the viewer centres the quote again once the text is laid out
    cursor = viewer.text.textCursor()
    assert viewer.text.toPlainText()[cursor.position() - len(QUOTE):cursor.position()] == QUOTE
    rect = viewer.text.cursorRect()
    assert viewer.text.viewport().rect().contains(rect.center())


def test_a_quote_deep_in_a_long_source_scrolls_the_viewer(qtbot, archive):
    viewer = SourceViewer()
    qtbot.addWidget(viewer)
    viewer.resize(400, 200)
    viewer.show()
    source = archive.source("002_e4e0b306e2a42f4d.txt")
    quote = "Such situations were not uncommon throughout most of the six years they knew"
    viewer.show_source(source, quote)
    qtbot.wait(20)
    assert viewer.highlighted_texts() == [quote]
    assert viewer.text.verticalScrollBar().value() > 0
    assert viewer.text.viewport().rect().contains(viewer.text.cursorRect().center())


def test_every_occurrence_of_a_repeated_quote_is_highlighted(qtbot):
    viewer = SourceViewer()
    qtbot.addWidget(viewer)
    viewer.show_source({"id": "s", "title": "T", "published": "2024", "text": "ab ab ab"},
                       "ab")
    assert viewer.highlighted_texts() == ["ab", "ab", "ab"]
    assert "Published 2024" in viewer.meta.text()


def test_a_quote_after_windows_line_breaks_is_highlighted_exactly(qtbot):
    """A CR LF break is one position in the document: the highlight is not shifted by one
    per break before the quote (nor by one per character outside the BMP)."""
    viewer = SourceViewer()
    qtbot.addWidget(viewer)
    text = "First line.\r\nSecond 𝔊 line.\r\n\r\nThe board fired Altman.\r\nEnd."
    viewer.show_source({"id": "s", "title": "T", "published": "2024", "text": text},
                       "fired Altman")
    assert viewer.highlighted_texts() == ["fired Altman"]


def test_a_contested_fact_names_its_rival(window):
    window.session.set_as_of(dates.parse_day("2025-05-15"))
    _select(window, "relationship_with", "increasingly tense")
    notes = window.citations.notes.text()
    assert "Contested by" in notes and "close cooperation" in notes
    assert window.citations.badge.text() == "CONTESTED"


def test_the_selected_facts_badge_follows_the_slider(window):
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    _select(window, "works_for", None)
    panel = window.citations
    assert panel.badge.text() == "HOLDS"
    window.session.set_as_of(dates.parse_day("2023-06-01"))
    assert panel.badge.text() == "NOT SHOWN"
    assert "not part of the state on 1 June 2023" in panel.details.text()
    assert panel.viewer.highlighted_texts()  # the source stays on show
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    assert panel.badge.text() == "HOLDS"


def test_a_label_with_no_value_is_not_shown(window):
    """Issue 15, item 10: a note or a reason that is blank leaves no "Note:" and no colon."""
    archive = window.session.archive
    claim = archive.record("Ada Lovelace", "wrote_about", object="OpenAI", valid="2024-02/..",
                           known_at="2024-03-01", note="   ")
    archive.rerank(claim, "preferred", known_at="2024-03-02", reason="  ")
    window.session.reload()
    window.session.set_as_of(dates.parse_day("2024-06-01"))
    window.session.select_claim(claim)
    assert window.session.fact is not None and window.session.fact.claim.id == claim
    notes = window.citations.notes.text()
    assert "Reranked to preferred as known from 2024-03-02" in notes
    assert "Note" not in notes
    assert not any(line.rstrip().endswith(":") for line in notes.split("<br>")), notes
