"""Issue 4, point 4: the relationship graph — edges appear, change and vanish with the
slider, nodes keep their places, zoom and pan, a click on a node selects the entity."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent

from timeline import dates


def _go(window, text: str) -> None:  # type: ignore[no-untyped-def]
    window.session.set_as_of(dates.parse_day(text))


def test_edges_appear_and_vanish_as_the_slider_moves(window):
    pair = ("Microsoft", "Mustafa Suleyman")
    _go(window, "2023-12-31")
    assert pair not in window.graph.visible_edges()
    _go(window, "2024-06-01")
    facts = window.graph.visible_edges()[pair]
    assert [f.text for f in facts] == ["works for"]
    assert facts[0].status == "HOLDS" and not facts[0].forward  # Suleyman → Microsoft
    assert window.graph.nodes["Mustafa Suleyman"].isVisible()


def test_edge_labels_change_with_the_relationship(window):
    pair = ("Microsoft", "OpenAI")
    _go(window, "2024-06-01")
    before = {f.text for f in window.graph.visible_edges()[pair]}
    assert "relationship with: close partners" in before
    _go(window, "2025-05-15")
    after = {f.text for f in window.graph.visible_edges()[pair]}
    assert "relationship with: close partners" not in after
    assert {"relationship with (contested): increasingly tense",
            "relationship with (contested): close cooperation"} <= after


def test_nodes_keep_their_places_from_frame_to_frame(window):
    positions = window.graph.node_positions()
    for text in ("2018-12-31", "2023-11-20", "2024-07-05", "2025-05-15", "2019-08-01"):
        _go(window, text)
        assert window.graph.node_positions() == positions


def test_only_entities_with_a_relationship_shown_are_drawn(window, archive):
    _go(window, "2018-12-31")
    shown = window.graph.visible_nodes()
    related = {n for f in archive.as_of(window.session.as_of).facts if f.object
               for n in (f.subject, f.object)}
    assert shown == related
    assert "Stargate" in window.graph.nodes and "Stargate" not in shown  # not until 2025


def test_clicking_a_node_selects_the_entity_everywhere(window, qtbot):
    _go(window, "2025-05-15")
    graph = window.graph
    graph.fit()
    node = graph.nodes["Microsoft"]
    point = graph.mapFromScene(node.pos())
    qtbot.mouseClick(graph.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.session.entity == "Microsoft"
    assert node.selected_entity
    assert window.state_panel.entity_box.currentText() == "Microsoft"
    assert all("Microsoft" in (f.subject, f.object) for f in window.state_panel.model.facts())
    assert window.event_list.model._involved
    qtbot.mouseClick(graph.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.session.entity is None


def test_clicking_an_edge_label_selects_that_relationship(window, qtbot):
    _go(window, "2024-06-01")
    graph = window.graph
    graph.fit()
    edge = graph.edges[("Microsoft", "Mustafa Suleyman")]
    centre = edge.mapRectToScene(edge.label_rect()).center()
    qtbot.mouseClick(graph.viewport(), Qt.MouseButton.LeftButton,
                     pos=graph.mapFromScene(centre))
    assert window.session.fact is not None
    assert window.session.fact.statement == "Mustafa Suleyman works for Microsoft"


def test_wheel_zooms_and_fit_frames_the_entities_again(window, qtbot):
    graph = window.graph
    graph.fit()
    scale = graph.transform().m11()
    centre = QPointF(graph.viewport().rect().center())
    event = QWheelEvent(centre, graph.viewport().mapToGlobal(centre), QPoint(0, 0),
                        QPoint(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    graph.wheelEvent(event)
    assert graph.transform().m11() > scale * 1.2
    assert not graph.follow_action.isChecked()  # the user's own framing is kept
    graph.zoom_out_action.trigger()
    graph.fit_action.trigger()
    assert graph.follow_action.isChecked()
    assert abs(graph.transform().m11() - scale) < 1e-6


def test_dragging_the_background_pans(window, qtbot):
    graph = window.graph
    graph.zoom(3.0)
    before = graph.mapToScene(graph.viewport().rect().center())
    start = QPoint(5, 5)
    qtbot.mousePress(graph.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(graph.viewport(), start + QPoint(60, 40))
    qtbot.mouseRelease(graph.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(60, 40))
    after = graph.mapToScene(graph.viewport().rect().center())
    assert (before - after).manhattanLength() > 10
