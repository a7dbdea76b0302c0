"""Tags in the window (gui/tags.py): tag a claim through its dialog, filter the state panel and
the graph by the tag, see the tags in the fact's details, tag a source, untag."""

from __future__ import annotations

from timeline.api import parse_day

OUSTED = "c-5221613b05ba7765"  # Mustafa Suleyman leads Inflection AI
SOURCE = "002_e4e0b306e2a42f4d.txt"


def _on_the_day(window) -> None:  # type: ignore[no-untyped-def]
    window.session.set_as_of(parse_day("2023-11-20"))
    window.session.select_claim(OUSTED)
    assert window.session.fact is not None and window.session.fact.claim.id == OUSTED


def _tag_through_the_dialog(window, qtbot, text: str, *, remove: bool = False):  # type: ignore
    dialog = window.tagging.open_claim_dialog(remove=remove)
    assert dialog is not None and dialog.isVisible()
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, text)
    dialog.ok_button.click()
    return dialog


def test_tag_a_claim_and_filter_the_state_panel_and_the_graph(window, qtbot):
    tagging = window.tagging
    assert not tagging.filter.isVisible()  # no tag in the archive yet
    assert tagging.tag_action in window.state_panel.fact_actions
    _on_the_day(window)
    everything = {f.claim.id for f in window.state_panel.model.facts()}
    nodes_before = window.graph.visible_nodes()

    _tag_through_the_dialog(window, qtbot, "  Board crisis ")
    assert window.session.archive.tags("claim", OUSTED) == [
        {"kind": "claim", "id": OUSTED, "tag": "Board crisis"}]
    assert "Tagged claim" in window.statusBar().currentMessage()
    assert "Tags: Board crisis" in window.citations.notes.text()
    assert tagging.filter.isVisible()
    assert [tagging.filter.combo.itemText(k) for k in range(tagging.filter.combo.count())] == [
        "Any tag", "Board crisis"]

    tagging.filter.combo.setCurrentIndex(1)
    assert window.session.tags == ("Board crisis",)
    shown = window.state_panel.model.facts()
    assert [f.claim.id for f in shown] == [OUSTED]
    assert all(f.tags == ("Board crisis",) for f in shown)
    assert window.graph.visible_nodes() < nodes_before
    assert window.graph.visible_nodes() == {"Mustafa Suleyman", "Inflection AI"}

    tagging.filter.choose(None)
    assert {f.claim.id for f in window.state_panel.model.facts()} == everything


def test_the_dialog_refuses_what_is_not_a_tag_and_stays_open(window, qtbot):
    _on_the_day(window)
    for text, says in (("   ", "A tag cannot be empty"),
                       ("x" * 65, "A tag is 65 characters long (at most 64)")):
        dialog = _tag_through_the_dialog(window, qtbot, text)
        assert dialog.isVisible() and dialog.error.isVisible()
        assert dialog.error.text() == says
        dialog.reject()
    _tag_through_the_dialog(window, qtbot, "crisis")
    again = _tag_through_the_dialog(window, qtbot, "CRISIS")
    assert again.isVisible() and "already has the tag 'CRISIS'" in again.error.text()
    again.reject()
    assert len(window.session.archive.tags()) == 1


def test_untag_and_a_source_s_tag(window, qtbot):
    _on_the_day(window)
    _tag_through_the_dialog(window, qtbot, "crisis")
    window.tagging.filter.choose("crisis")
    dialog = _tag_through_the_dialog(window, qtbot, "crisis", remove=True)
    assert not dialog.isVisible()
    assert window.session.archive.tags() == []
    assert window.session.tags == ()  # the tag is gone: so is the filter
    assert not window.tagging.filter.isVisible()

    dialog = window.tagging.open_source_dialog(SOURCE)
    qtbot.keyClicks(dialog.edit, "QbitAI")
    dialog.ok_button.click()
    window.tagging.filter.choose("QbitAI")
    shown = window.state_panel.model.facts()
    assert shown and all(f.tags == ("QbitAI",) for f in shown)
    assert all(SOURCE in {c["source"] for c in f.sources} for f in shown)
