"""The relationship graph: entities as nodes, relationships as labelled edges.

The scene is built once per archive (one node per entity named in any claim, one edge item
per pair of entities ever related), laid out once (``gui.layout``), and then only updated:
as the slider moves, edges change their labels or hide, nodes show or hide, nothing moves.
Wheel zooms (under the mouse), dragging the background pans, a click on a node selects that
entity in every panel, a click on an edge label selects that relationship.

The camera follows the entities shown: once the slider comes to rest the view is reframed on
them (never while a drag is in progress, so nothing moves under the user's eyes). Zooming or
panning by hand stops following; "Fit Graph" frames the entities again and resumes it.

A large archive is shown one entity at a time (``Session.focused``): the scene then holds the
focus and every entity it was ever related to, and draws the focus in the centre with the
neighbours related to it on the day around it (``gui.layout.ring_slots``). A neighbour keeps
its place for as long as it is shown; one that appears takes the free place nearest the
focus, so that the picture stays compact. A click on a neighbour moves the focus there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QWidget

from gui import formatting
from gui.graph_items import EdgeFact, EdgeItem, NodeItem
from gui.layout import Point, force_layout, ring_slots, separate, spread_for_labels, turn_wide
from gui.session import Session
from timeline.api import (
    CONTESTED,
    DISPUTED,
    PART_OF,
    NotFound,
    State,
    Status,
    edge_value,
    neighbours,
    predicate_label,
    relationship_pairs,
)

_MIN_ZOOM, _MAX_ZOOM = 0.15, 6.0
_MAX_FIT = 1.25  # framing never enlarges beyond this: a lone pair is not blown up
_READABLE_ZOOM, _MAX_TEXT_SCALE = 0.95, 1.4  # see _apply_text_scale
_FOLLOW_DELAY_MS, _FOLLOW_MAX_WAIT_MS = 350, 1500
# Where a label may go: (fraction along its edge, label-widths aside), best first.
_LABEL_PLACES = tuple((along, aside) for aside in (0.0, 1.0, -1.0)
                      for along in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78))
# Around a focus every edge is a spoke from the centre, where spokes crowd: its label is
# tried first near the neighbour's end (fractions from the focus; mirrored when the focus is
# the edge's second node).
_SPOKE_PLACES = tuple((along, aside) for along in (0.68, 0.55, 0.8, 0.42)
                      for aside in (0.0, 1.0, -1.0))
# In a picture a label goes beside its line (which then never runs through its words), on
# it only where there is no room beside (drawn opaque there: the line stops at its box).
_PICTURE_PLACES = tuple((along, aside) for aside in (1.0, -1.0, 0.0, 1.6, -1.6, 2.4, -2.4)
                        for along in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78))
#: A picture of this many entities or fewer is stretched until each label fits between its
#: two nodes (``gui.layout.spread_for_labels``).
SMALL_PICTURE = 4
#: Above this many shown edges labels keep their default place (see _place_labels).
LABEL_SEARCH_BUDGET = 150
_CELL = 160.0  # px: the grid that finds a label's neighbours


class GraphView(QGraphicsView):
    #: A node was clicked: its entity's name.
    node_clicked = Signal(str)
    #: What the graph shows, in words, for the panel's title ("" for the whole archive).
    caption_changed = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Dragging pans; scroll bars would only take room from the picture.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(320, 240)
        self.setToolTip("")
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self.positions: dict[str, tuple[float, float]] = {}
        self._canonical: dict[str, str] = {}  # entity id -> node name
        self.focus: str | None = None  # the focus whose neighbourhood the scene holds
        self._shown_nodes: set[str] = set()
        self._shown_edges: set[tuple[str, str]] = set()
        self._rank: dict[str, int] = {}  # node -> its order (neighbours: most related first)
        self._slots: Sequence[Point] = ()  # places around the focus, best first
        self._slot_of: dict[str, int] = {}  # shown neighbour -> its place
        self.caption = ""
        self._press: QPointF | None = None
        self._text_scale = 1.0
        self._picture = False  # drawn as a picture (gui.pictures): see lay_out_shown
        self._compact: dict[str, Point] = {}  # a picture's layout before _spread_small
        self._follow_timer = QTimer(self)
        self._follow_timer.setSingleShot(True)
        self._follow_timer.setInterval(_FOLLOW_DELAY_MS)
        self._follow_timer.timeout.connect(self._on_follow_due)
        self._follow_clock = QElapsedTimer()

        self.zoom_in_action = QAction("Zoom In", self)
        self.zoom_in_action.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.zoom_in_action.triggered.connect(lambda: self.zoom(1.25))
        self.zoom_out_action = QAction("Zoom Out", self)
        self.zoom_out_action.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.zoom_out_action.triggered.connect(lambda: self.zoom(1 / 1.25))
        self.fit_action = QAction("Fit Graph", self)
        self.fit_action.setShortcut(QKeySequence("Ctrl+0"))
        self.fit_action.setStatusTip("Zoom the graph to show every entity")
        self.fit_action.triggered.connect(self.fit)
        self.follow_action = QAction("Follow Shown Entities", self)
        self.follow_action.setCheckable(True)
        self.follow_action.setChecked(True)
        self.follow_action.setStatusTip("Reframe the graph on the entities shown whenever the "
                                        "slider comes to rest (zooming or panning stops it)")
        self.follow_action.toggled.connect(self._on_follow_toggled)

        session.archive_changed.connect(self._on_archive_changed)
        session.state_changed.connect(self._on_state_changed)
        session.entity_selected.connect(self._on_entity_selected)
        self.node_clicked.connect(self._on_node_clicked)
        self._on_archive_changed()

    # --- building ---------------------------------------------------------------------------

    def _node_name(self, entity_id: str) -> str:
        name = self._canonical.get(entity_id)
        if name is None:
            archive = self.session.archive
            canonical = archive.canonical(entity_id)
            name = archive.names.get(canonical, canonical)
            self._canonical[entity_id] = name
        return name

    def _on_archive_changed(self) -> None:
        """(Re)build the scene for the archive; nodes already placed keep their places."""
        self._canonical = {}
        if self.session.focused:
            self._build_focus(self.session.entity)
        else:
            self._build_whole()
        self._on_state_changed(self.session.state)
        self._on_entity_selected(self.session.entity)
        self.fit()

    def _build_whole(self) -> None:
        """Every entity of every relationship, laid out once (a small archive)."""
        archive = self.session.archive
        self.focus = None
        kinds: dict[str, tuple[str, list[str]]] = {
            e["name"]: (e["kind"], e["aliases"]) for e in archive.entities()}
        # Only entities that take part in a relationship are nodes: the others have nothing
        # to draw between them, and the state panel lists their facts.
        names: list[str] = []
        pairs: list[tuple[str, str]] = []
        for subject_id, object_id in relationship_pairs(archive):
            subject = self._node_name(subject_id)
            obj = self._node_name(object_id)
            if obj != subject:
                names += [subject, obj]
                pairs.append((subject, obj))
        names = list(dict.fromkeys(names))
        self._populate(names, kinds)
        keep = {n: p for n, p in self.positions.items() if n in self.nodes}
        # Boxes as large as zoomed-out words make them, so that nodes stay apart then too.
        grow = (1 + _MAX_TEXT_SCALE) / 2
        sizes = {n: (node.box().width() * grow, node.box().height() * grow)
                 for n, node in self.nodes.items()}
        self.positions = separate(force_layout(names, pairs, pinned=keep), sizes, pinned=keep)
        for name, node in self.nodes.items():
            node.setPos(QPointF(*self.positions[name]))
        self._add_edges(pairs)
        self._set_scene_rect(self._all_nodes_rect())
        self._set_caption("")

    def _build_focus(self, focus: str | None) -> None:
        """The focus and every entity it was ever related to (a large archive); the
        neighbours are placed when they are shown (``_place_neighbours``)."""
        archive = self.session.archive
        self.focus = focus
        self._slot_of = {}
        if focus is None:
            self._populate([], {})
            self._slots = ()
            return
        ids = self.session.scope_ids() or []
        others: dict[str, str] = {}  # name -> entity id
        for entity_id, _ in neighbours(archive, ids):
            name = self._node_name(entity_id)
            if name != focus:
                others.setdefault(name, entity_id)
        kinds: dict[str, tuple[str, list[str]]] = {}
        for name, entity_id in [(focus, ids[0] if ids else ""), *others.items()]:
            try:
                entity = archive.entity_by_id(entity_id)
                kinds[name] = (entity["kind"], entity["aliases"])
            except NotFound:  # pragma: no cover - an id the read model no longer has
                kinds[name] = ("other", [])
        self._populate([focus, *others], kinds)
        self.nodes[focus].setPos(QPointF(0, 0))
        self._add_edges([(focus, name) for name in others])
        self._slots = ring_slots(-(-len(others) // 64) * 64)  # rounded up: cached
        rect = self._all_nodes_rect()
        for x, y in self._slots:
            rect = rect.united(QRectF(x - 100, y - 30, 200, 60))
        self._set_scene_rect(rect)

    def _populate(self, names: list[str], kinds: dict[str, tuple[str, list[str]]]) -> None:
        """A fresh scene with a hidden node for each name."""
        scene = self.scene()
        scene.clear()
        self.nodes, self.edges = {}, {}
        self._shown_nodes, self._shown_edges = set(), set()
        self._rank = {name: k for k, name in enumerate(names)}
        self._text_scale = 1.0  # new items start at their own size
        for name in names:
            kind, aliases = kinds.get(name, ("other", []))
            tip = f"{name} ({kind})"
            if aliases:
                tip += f"\nAlso known as: {', '.join(aliases)}"
            action = "Click to focus on this entity" if self.session.focused else \
                "Click to select this entity everywhere"
            node = NodeItem(name, kind, formatting.tooltip(f"{tip}\n{action}"))
            node.setVisible(False)
            scene.addItem(node)
            self.nodes[name] = node

    def _add_edges(self, pairs: list[tuple[str, str]]) -> None:
        scene = self.scene()
        for a, b in dict.fromkeys(tuple(sorted(p)) for p in pairs):
            edge = EdgeItem(self.nodes[a], self.nodes[b])
            scene.addItem(edge)
            self.edges[(a, b)] = edge

    def _set_scene_rect(self, rect: QRectF) -> None:
        self.scene().setSceneRect(rect.adjusted(-rect.width() * 0.5 - 200,
                                                -rect.height() * 0.5 - 200,
                                                rect.width() * 0.5 + 200,
                                                rect.height() * 0.5 + 200))

    def _set_caption(self, text: str) -> None:
        if text != self.caption:
            self.caption = text
            self.caption_changed.emit(text)

    def _all_nodes_rect(self) -> QRectF:
        rect = QRectF()
        for node in self.nodes.values():
            rect = rect.united(node.box())
        return rect if not rect.isNull() else QRectF(-100, -100, 200, 200)

    # --- updating ---------------------------------------------------------------------------

    def _on_state_changed(self, state: State) -> None:
        predicates = self.session.archive.predicates
        active: set[str] = set()
        on_edge: dict[tuple[str, str], list[EdgeFact]] = defaultdict(list)
        for fact in state.facts:
            claim = fact.claim
            subject = self._node_name(claim.subject_id)
            active.add(subject)
            if not claim.object_id:
                continue
            obj = self._node_name(claim.object_id)
            active.add(obj)
            if obj == subject:
                continue
            pair = (subject, obj) if subject <= obj else (obj, subject)
            if pair not in self.edges:
                # Around a focus, a fact about one of its parts (``via``) that relates the
                # part to an entity outside the scene: the state panel lists it.
                continue
            text = formatting.predicate_phrase(claim.predicate,
                                               predicate_label(claim.predicate, predicates))
            if fact.status == Status.MAYBE:
                text += " (maybe)"
            elif fact.status == CONTESTED:
                text += " (contested)"
            elif fact.status == DISPUTED:
                text += " (disputed)"
            if fact.fact.handover_with:
                text += " ⇄"  # changing hands on the day
            # The graph shows who relates to whom; a value is drawn only where the engine
            # says it is the relationship's state ("relationship with: close allies"). Every
            # sentence is whole in the tooltip and the state panel.
            value = edge_value(claim, predicates)
            if value:
                text += f": {value}"
            on_edge[pair].append(EdgeFact(claim.id, pair[0] == subject, text, fact.status,
                                          fact.statement, claim.predicate == PART_OF))
        # A node is shown when one of its relationships is (or when it is the selection).
        linked = {n for pair in on_edge for n in pair}
        if self.focus is not None:
            self._place_neighbours(linked)
        # Only what was shown or is to be shown can change (a neighbourhood has hundreds of
        # entities that are not related to the focus on the day).
        wanted = linked | {self.session.entity} if self.session.entity else linked
        for name in (self._shown_nodes | wanted) & self.nodes.keys():
            node = self.nodes[name]
            shown = name in wanted
            if node.isVisible() != shown:
                node.setVisible(shown)
        self._shown_nodes = wanted
        changed: list[tuple[str, str]] = []
        for pair in (self._shown_edges | on_edge.keys()) & self.edges.keys():
            if self.edges[pair].set_facts(on_edge.get(pair, ())):
                changed.append(pair)
        self._shown_edges = set(on_edge)
        if changed:
            # Around a focus the labels that did not change stay put (only new ones look for
            # room): cheaper on a long jump, calmer during a drag. A small archive's picture
            # is placed whole, the same for the same state.
            self._place_labels(set(changed) if self.focus is not None else None)
        if self.focus is not None:
            n = len(linked - {self.focus})
            self._set_caption(
                f"{self.focus} and the {n} entit{'ies' if n != 1 else 'y'} related to it on "
                "this day (click one to focus on it)" if n else
                f"{self.focus}: no relationship on this day")
        self._schedule_follow()

    def _place_neighbours(self, linked: set[str]) -> None:
        """Neighbours no longer shown give up their places; newly shown ones (most related
        first) take the best free places. Neighbours still shown do not move."""
        for name in [n for n in self._slot_of if n not in linked]:
            del self._slot_of[name]
        new = sorted((n for n in linked if n != self.focus and n not in self._slot_of),
                     key=self._rank.__getitem__)
        if not new:
            return
        taken = set(self._slot_of.values())
        free = (k for k in range(len(self._slots)) if k not in taken)
        for name in new:  # most related first
            slot = next(free)
            self._slot_of[name] = slot
            self.nodes[name].setPos(QPointF(*self._slots[slot]))

    def _place_labels(self, only: set[tuple[str, str]] | None = None) -> None:
        """Put each shown label at the first place along or beside its edge where it covers
        no node and no label placed before it, else where it covers least (edges in a fixed
        order, so that the same state always gets the same picture). With ``only``, just
        those edges' labels move; the others stay where they are, in the way."""
        Box = tuple[float, float, float, float]
        grid: dict[tuple[int, int], list[Box]] = defaultdict(list)

        def cells(box: Box) -> list[tuple[int, int]]:
            x0, x1 = int(box[0] // _CELL), int(box[2] // _CELL)
            y0, y1 = int(box[1] // _CELL), int(box[3] // _CELL)
            return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]

        def add(box: Box) -> None:
            for cell in cells(box):
                grid[cell].append(box)

        def overlap(box: Box, enough: float) -> float:
            """The area of ``box`` that is covered, counted up to ``enough`` (a place
            already known to be better stops the count)."""
            left, top, right, bottom = box
            seen: set[int] = set()
            total = 0.0
            for x in range(int(left // _CELL), int(right // _CELL) + 1):
                for y in range(int(top // _CELL), int(bottom // _CELL) + 1):
                    for other in grid.get((x, y), ()):
                        w = min(right, other[2]) - max(left, other[0])
                        if w <= 0:
                            continue
                        h = min(bottom, other[3]) - max(top, other[1])
                        if h <= 0 or id(other) in seen:
                            continue
                        seen.add(id(other))
                        total += w * h
                        if total >= enough:
                            return total
            return total

        pad = 6.0 if self._picture else 0.0  # on paper labels keep clear of the nodes
        for name in self._shown_nodes & self.nodes.keys():
            add(self.nodes[name].box().adjusted(-pad, -pad, pad, pad).getCoords())
        shown = sorted(p for p in self._shown_edges if p in self.edges)
        if only is not None:
            for pair in shown:
                if pair not in only:
                    add(self.edges[pair].label_rect().getCoords())
            shown = [p for p in shown if p in only]
        if self._picture:  # the largest labels first: they find room hardest
            shown.sort(key=lambda p: -self.edges[p].label_rect().width()
                       * self.edges[p].label_rect().height())
        if len(shown) > LABEL_SEARCH_BUDGET:
            # A crowded graph (a large archive): finding clear places costs far more than a
            # frame and crowded labels cannot all be clear anyway; keep the slider live.
            for pair in shown:
                self.edges[pair].set_label_place(*_LABEL_PLACES[0])
            return
        mirrored = tuple((1 - along, -aside) for along, aside in _SPOKE_PLACES)
        whole = _PICTURE_PLACES if self._picture else _LABEL_PLACES
        for pair in shown:
            edge = self.edges[pair]
            places = whole if self.focus is None else \
                _SPOKE_PLACES if pair[0] == self.focus else mirrored
            best, best_box, least = places[0], edge.label_box_at(*places[0]), float("inf")
            for place in places:
                box = edge.label_box_at(*place)
                covered = overlap(box, least)
                if covered < least:
                    best, best_box, least = place, box, covered
                    if covered == 0:
                        break
            edge.set_label_place(*best)
            add(best_box)

    def _on_entity_selected(self, name: str | None) -> None:
        moved = self.session.focused and name != self.focus
        if moved:
            self._build_focus(name)  # the focus moved: its neighbourhood is another scene
        for node_name, node in self.nodes.items():
            node.set_selected_entity(node_name == name)
        for (a, b), edge in self.edges.items():
            # Around a focus every edge is the focus': none stands out.
            edge.set_emphasised(name in (a, b) and self.focus is None)
        self._on_state_changed(self.session.state)  # the selection is always shown
        if moved:
            self.fit()
        elif name in self.nodes and self.nodes[name].isVisible():
            self.ensureVisible(self.nodes[name], 60, 60)

    def _on_node_clicked(self, name: str) -> None:
        if self.session.focused:
            if name != self.session.entity:
                self.session.select_entity(name)  # move the focus there
            return
        self.session.select_entity(None if name == self.session.entity else name)

    # --- answers for the other panels and tests ---------------------------------------------

    def visible_nodes(self) -> set[str]:
        return {n for n, node in self.nodes.items() if node.isVisible()}

    def visible_edges(self) -> dict[tuple[str, str], tuple[EdgeFact, ...]]:
        return {p: e.facts for p, e in self.edges.items() if e.isVisible()}

    def node_positions(self) -> dict[str, tuple[float, float]]:
        return {n: (node.pos().x(), node.pos().y()) for n, node in self.nodes.items()}

    # --- pictures (gui.pictures draws this view's scene offscreen) ----------------------------

    def show_state(self, state: State) -> None:
        """Show ``state``'s relationships (a selection other than the session's)."""
        self._on_state_changed(state)

    def lay_out_shown(self, name_width: float, line_width: float, lines: int) -> None:
        """For a picture of one day: names and lines elided only beyond these widths, up to
        ``lines`` lines an edge, and
        (the whole archive) the entities shown laid out anew, compactly, widest across. The
        window keeps every entity's place instead, so that nothing moves with the slider,
        and leaves room for those not shown on the day.

        From now on the view draws a picture: labels go beside their lines, opaque, and a
        few entities are spread until each label fits between its nodes (``_spread_small``;
        again whenever the words grow)."""
        self._picture = True
        for node in self.nodes.values():
            node.set_text_scale(self._text_scale, name_width)
        if self.focus is None:
            shown = sorted(self._shown_nodes & self.nodes.keys())
            # A pair with many lines pulls less: its label needs the room.
            pairs = [p for p in sorted(self._shown_edges & self.edges.keys())
                     for _ in range(max(1, min(len(self.edges[p].facts), 4)))]
            sizes = {n: (self.nodes[n].box().width(), self.nodes[n].box().height())
                     for n in shown}
            at = separate(turn_wide(force_layout(shown, pairs, ideal=240.0)), sizes)
            self._compact = at
            for name in shown:
                self.nodes[name].setPos(QPointF(*at[name]))
        for edge in self.edges.values():
            edge.max_lines = lines
            edge.opaque = True
            edge.set_text_scale(self._text_scale, line_width)  # clipped to the nodes again
        self._spread_small()
        self._place_labels()

    def _spread_small(self) -> None:
        """A picture of a few entities (the whole archive's layout, up to ``SMALL_PICTURE``
        of them): stretch it until each label fits between its nodes, beside its line (from
        the compact layout each time: words that shrank need less room)."""
        if not self._picture or self.focus is not None:
            return
        shown = sorted(self._shown_nodes & self.nodes.keys() & self._compact.keys())
        if not 2 <= len(shown) <= SMALL_PICTURE:
            return
        pairs = sorted(self._shown_edges & self.edges.keys())
        sizes = {n: (self.nodes[n].box().width(), self.nodes[n].box().height()) for n in shown}
        labels = {p: (self.edges[p].label_rect().width(), self.edges[p].label_rect().height())
                  for p in pairs}
        at = spread_for_labels({n: self._compact[n] for n in shown}, sizes, labels)
        for name in shown:
            self.nodes[name].setPos(QPointF(*at[name]))
        for pair in pairs:
            self.edges[pair].set_text_scale(self._text_scale)  # its line clipped again

    def frame_at(self, zoom: float) -> QRectF:
        """What ``fit`` would frame at ``zoom``: words sized as they would be on screen,
        labels placed again."""
        self.resetTransform()
        self.scale(zoom, zoom)
        self._apply_text_scale()
        return self._frame()

    # --- zoom and pan -----------------------------------------------------------------------

    def zoom(self, factor: float) -> None:
        """Zoom by ``factor`` (the user's own framing: following stops)."""
        current = self.transform().m11()
        factor = max(_MIN_ZOOM / current, min(_MAX_ZOOM / current, factor))
        self.scale(factor, factor)
        self._apply_text_scale()
        self.follow_action.setChecked(False)

    def _apply_text_scale(self) -> bool:
        """Zoomed out, words are drawn larger in the scene so that they stay readable on
        screen (up to a limit: beyond it they would cover each other). True if changed."""
        wanted = min(_MAX_TEXT_SCALE, max(1.0, _READABLE_ZOOM / self.transform().m11()))
        if abs(wanted - self._text_scale) < 0.03:
            return False
        self._text_scale = wanted
        for node in self.nodes.values():
            node.set_text_scale(wanted)
        for edge in self.edges.values():
            edge.set_text_scale(wanted)
        self._spread_small()  # a picture's larger labels need more room
        self._place_labels()
        return True

    def _frame(self) -> QRectF:
        """What to show: the entities on screen with their labels, or every node."""
        rect = QRectF()
        for node in self.nodes.values():
            if node.isVisible():
                rect = rect.united(node.box())
        for edge in self.edges.values():
            if edge.isVisible():
                rect = rect.united(edge.mapRectToScene(edge.label_rect()))
        return rect if not rect.isNull() else self._all_nodes_rect()

    def fit(self) -> None:
        """Frame the entities shown (and follow them from now on)."""
        self._follow_timer.stop()
        for _ in range(2):  # larger words make a larger frame: once more when they changed
            rect = self._frame().adjusted(-24, -24, 24, 24)
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            if self.transform().m11() > _MAX_FIT:
                self.resetTransform()
                self.scale(_MAX_FIT, _MAX_FIT)
                self.centerOn(rect.center())
            if not self._apply_text_scale():
                break
        if not self.follow_action.isChecked():
            self.follow_action.setChecked(True)

    def _schedule_follow(self) -> None:
        """Reframe once the slider rests (or every so often while it keeps moving)."""
        if not self.follow_action.isChecked():
            return
        if not self._follow_timer.isActive():
            self._follow_clock.start()
            self._follow_timer.start()
        elif self._follow_clock.elapsed() < _FOLLOW_MAX_WAIT_MS:
            self._follow_timer.start()

    def _on_follow_due(self) -> None:
        if self.follow_action.isChecked():
            self.fit()

    def _on_follow_toggled(self, on: bool) -> None:
        if on:
            self._schedule_follow()
        else:
            self._follow_timer.stop()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom(1.15 ** steps)
            event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.follow_action.isChecked():
            self.fit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._press is not None and (event.position() - self._press).manhattanLength() > 4:
            self.follow_action.setChecked(False)  # the user panned: keep their framing
        self._press = None
        super().mouseReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            scene_pos = self.mapToScene(event.position().toPoint())
            for item in self.items(event.position().toPoint()):
                if isinstance(item, NodeItem):
                    self.node_clicked.emit(item.name)
                    event.accept()
                    return
                if isinstance(item, EdgeItem):
                    claim_id = item.claim_at(scene_pos)
                    if claim_id:
                        self.session.select_claim(claim_id)
                        event.accept()
                        return
            self._press = event.position()
        super().mousePressEvent(event)
