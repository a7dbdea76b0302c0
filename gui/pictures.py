"""Pictures of the two views — the relationship graph and the timeline — as SVG, PNG or PDF,
drawn offscreen from the engine's state: no window is shown, none is needed.

    render_graph(archive, as_of="2023-11-20", fmt="svg")             # bytes
    render_timeline(archive, as_of="2023-11", fmt="png", size=(1600, 400))

The graph is the app's own scene (``gui.graph_view``, ``gui.graph_items``: the same layout,
words and line styles), built for the state and framed as "Fit" frames it; the timeline is
the density strip over the facts' bars (``gui.timeline_picture``). Each picture has a
heading naming the day, the "as known on" day and the entities, and a legend.

SVG is written by ``QSvgGenerator`` (words stay text: ``<text>`` elements, escaped), PDF by
``QPdfWriter`` (vector, one page the picture's size), PNG from a ``QImage`` (antialiased, on
white). ``hindsight export --to svg|png|pdf FILE --view graph|timeline --as-of DATE`` reaches
:func:`export_view` through the ``hindsight.renderers`` entry point (the engine never imports
Qt). Printing (``gui.view_export``) draws the same pictures on the printer's page.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLineF,
    QMarginsF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
)
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem

from gui import formatting
from gui.picture_parts import MARGIN, heading, light_palette, no_picture
from timeline.api import (
    PICTURE_MAX_SIDE,
    PICTURE_MIN_SIZE,
    Archive,
    InvalidInput,
    State,
    __version__,
    counted,
    picture_size,
    query_day,
    tag_keys,
    write_atomically,
)

FORMATS = ("svg", "png", "pdf")
VIEWS = ("graph", "timeline")
DEFAULT_SIZES = {"graph": (1200, 800), "timeline": (1600, 400)}
MIN_SIZE, MAX_SIDE = PICTURE_MIN_SIZE, PICTURE_MAX_SIDE  # the engine's rule (--size)
_MAX_FIT = 1.25  # as the graph view: a picture of a lone pair is not blown up
# On paper there is no tooltip: names and relationship lines are elided only beyond these.
_NAME_WIDTH, _LINE_WIDTH, _LINES = 320.0, 380.0, 12


class Picture(Protocol):
    """A view drawn into a rectangle (logical pixels at the screen's resolution)."""

    title: str
    count: int  # what it shows: relationships, facts

    def paint(self, painter: QPainter, rect: QRectF) -> None: ...


def ensure_qt() -> QApplication:
    """The QApplication the pictures need (made on Qt's offscreen platform when there is
    none yet: the command line draws without a display)."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from gui.app import ensure_app

        ensure_app()
        app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def check_size(size: Sequence[int] | str, field: str = "size") -> tuple[int, int]:
    """A picture's size, ``(w, h)`` or ``"WxH"``, within bounds; InvalidInput if not."""
    return picture_size(size, field)


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(f"'{fmt}' is not a picture format ({', '.join(FORMATS)})", "to")
    return fmt


# --- the two views ------------------------------------------------------------------------------


def _names(archive: Archive, entities: Sequence[str]) -> list[str]:
    """The canonical names of ``entities`` (names or aliases; NotFound suggests others)."""
    return list(dict.fromkeys(str(archive.entity(n)["name"]) for n in entities))


def _describe(state: State, names: Sequence[str], count: str) -> list[str]:
    known = ("as known on " + formatting.human_date(state.known_as_of)
             if state.known_as_of is not None else "as known now (everything recorded)")
    if state.recorded_as_of is not None:
        known += f" · as recorded on {formatting.moment_words(state.recorded_as_of)}"
    about = f"about {', '.join(names)}" if names else "the whole archive"
    return [f"{known} · {about} · {count}"]


class GraphPicture:
    """The relationship graph on a day: the app's scene (``GraphView``) on a session of its
    own, never shown. ``selected``: the entity drawn selected, as in the window."""

    def __init__(self, archive: Archive, as_of: int, known: int | None,
                 entities: Sequence[str] = (), selected: str | None = None,
                 tags: Sequence[str] = ()) -> None:
        from gui.graph_view import GraphView
        from gui.session import Session

        ensure_qt()
        names = _names(archive, entities)
        self.session = Session(archive, None)
        self.session.set_dates(as_of, known)
        if tags:
            self.session.set_tags(tags)
        emphasis = selected or (names[0] if len(names) == 1 else None)
        if emphasis:
            self.session.select_entity(emphasis)
        self.view = GraphView(self.session)
        self.view.follow_action.setChecked(False)  # no reframing timer: a picture is framed
        state = archive.as_of(as_of, known, names, tags) if names else self.session.state
        if names:
            self.view.show_state(state)
        for node in self.view.nodes.values():
            node.setCacheMode(QGraphicsItem.CacheMode.NoCache)  # drawn as shapes and text
        self.count = sum(len(facts) for facts in self.view.visible_edges().values())
        self.view.lay_out_shown(_NAME_WIDTH, _LINE_WIDTH, _LINES)
        self.title = f"Relationships as of {formatting.human_date(as_of)}"
        self.lines = _describe(state, names,
                               counted(self.count, "relationship"))

    def _framing(self, area: QRectF) -> tuple[float, QRectF]:
        """The zoom and the part of the scene (laid out for it) that fill ``area``."""
        zoom, frame = 1.0, QRectF()
        for _ in range(3):  # larger words make a larger frame: again when they changed
            frame = self.view.frame_at(zoom).adjusted(-12, -12, 12, 12)
            zoom = min(_MAX_FIT, area.width() / frame.width(), area.height() / frame.height())
        return zoom, frame

    def _area(self, painter: QPainter, rect: QRectF) -> QRectF:
        body = heading(painter, rect, self.title, self.lines, boxes=False)
        return body.adjusted(MARGIN, 0, -MARGIN, -MARGIN)

    def fitted_height(self, size: tuple[int, int]) -> int:
        """The height that holds the picture at ``size`` without an empty band: a graph
        wider than tall, framed at the width, needs less than ``size``'s height."""
        w, h = size
        image = QImage(1, 1, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            with light_palette():
                area = self._area(painter, QRectF(0, 0, w, h))
        finally:
            painter.end()
        if not self.view.visible_nodes():
            return h
        zoom, frame = self._framing(area)
        return min(h, max(round(area.top() + frame.height() * zoom + MARGIN), MIN_SIZE[1]))

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        area = self._area(painter, rect)
        if not self.view.visible_nodes():
            no_picture(painter, area, "No relationship between entities on this day")
            return
        zoom, frame = self._framing(area)
        target = QRectF(0, 0, frame.width() * zoom, frame.height() * zoom)
        target.moveCenter(area.center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        # Every line first, then the labels and the nodes over them: no line crosses a
        # label's words (the window draws each edge's label over its own line only).
        edges = [e for e in self.view.edges.values() if e.isVisible()]
        nodes = [n for n in self.view.nodes.values() if n.isVisible()]
        try:
            for part in ("line", "label"):
                for edge in edges:
                    edge.part = part
                for node in nodes:
                    node.setVisible(part == "label")
                self.view.scene().render(painter, target, frame)
        finally:
            for edge in edges:
                edge.part = "all"
            for node in nodes:
                node.setVisible(True)
        painter.restore()

    def boxes(self) -> tuple[list[QRectF], list[tuple[QRectF, QLineF]]]:
        """Where the picture last drawn put things (scene coordinates): the nodes' boxes,
        and each label's box with its edge's line."""
        nodes = [n.box() for n in self.view.nodes.values() if n.isVisible()]
        labels = [(e.mapRectToScene(e.label_rect()), QLineF(*e.ends()))
                  for e in self.view.edges.values() if e.isVisible()]
        return nodes, labels

    def close(self) -> None:
        self.view.deleteLater()
        self.session.deleteLater()


class TimelineView:
    """The timeline on a day: the density strip over the facts' bars, with a heading."""

    def __init__(self, archive: Archive, as_of: int, known: int | None,
                 entities: Sequence[str] = (), tags: Sequence[str] = ()) -> None:
        from gui.timeline_picture import TimelinePicture

        ensure_qt()
        names = _names(archive, entities)
        state = archive.as_of(as_of, known, names, tags)
        ids = sorted({i for n in names for i in archive.entity_ids(n)}) if names else None
        self.picture = TimelinePicture(archive, state, ids)
        self.count = len(state.facts)
        self.title = f"Timeline as of {formatting.human_date(as_of)}"
        self.lines = _describe(state, names, counted(self.count, "fact")
                               + " on the day; above them, where history is busy")

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        self.picture.paint(painter, heading(painter, rect, self.title, self.lines, boxes=True))

    def close(self) -> None:
        pass


def picture(archive: Archive, view: str, *, as_of: str | int, known_as_of: str | int | None,
            entities: Sequence[str] = (), selected: str | None = None,
            tags: Sequence[str] = ()) -> GraphPicture | TimelineView:
    """The picture of ``view`` ("graph" or "timeline") of the facts with one of ``tags``
    (all when none); InvalidInput for another view."""
    day = query_day(as_of, "as_of")
    known = query_day(known_as_of, "known_as_of") if known_as_of is not None else None
    tag_keys(tags)  # a blank tag is refused, not taken for no filter
    if view == "graph":
        return GraphPicture(archive, day, known, entities, selected, tags)
    if view == "timeline":
        return TimelineView(archive, day, known, entities, tags)
    raise InvalidInput(f"'{view}' is not a view: {' or '.join(VIEWS)}", "view")


# --- devices ------------------------------------------------------------------------------------


def dpi() -> int:
    """The screen's logical resolution: the items measure their words by it, so every device
    a picture is drawn on is given it too."""
    screen = QGuiApplication.primaryScreen()
    return round(screen.logicalDotsPerInch()) if screen is not None else 96


def paint_page(device: QPaintDevice, rect: QRectF, draw: Picture) -> None:
    """Draw ``draw`` on white into ``rect`` of ``device`` (a page, an image, a printer)."""
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(rect, QColor("white"))
        with light_palette():
            draw.paint(painter, rect)
    finally:
        painter.end()


def to_bytes(draw: Picture, fmt: str, size: tuple[int, int]) -> bytes:
    """The picture in ``fmt`` (svg, png, pdf) at ``size`` pixels."""
    w, h = size
    resolution = dpi()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    rect = QRectF(0, 0, w, h)
    if fmt == "png":
        image = QImage(w, h, QImage.Format.Format_ARGB32)
        image.setDotsPerMeterX(round(resolution / 0.0254))
        image.setDotsPerMeterY(round(resolution / 0.0254))
        image.fill(QColor("white"))
        paint_page(image, rect, draw)
        image.save(buffer, "PNG")  # type: ignore[call-overload]
    elif fmt == "svg":
        svg = QSvgGenerator()
        svg.setOutputDevice(buffer)
        svg.setSize(QSize(w, h))
        svg.setViewBox(QRect(0, 0, w, h))
        svg.setResolution(resolution)
        svg.setTitle(draw.title)
        svg.setDescription(f"Hindsight {__version__}")
        paint_page(svg, rect, draw)
    else:
        pdf = QPdfWriter(buffer)
        pdf.setResolution(resolution)
        pdf.setTitle(draw.title)
        pdf.setCreator(f"Hindsight {__version__}")
        pdf.setPageSize(QPageSize(QSizeF(w * 72 / resolution, h * 72 / resolution),
                                  QPageSize.Unit.Point, "",
                                  QPageSize.SizeMatchPolicy.ExactMatch))
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0))
        paint_page(pdf, _page_rect(pdf), draw)
    buffer.close()
    return bytes(data.data())


def _page_rect(device: QPagedPaintDevice) -> QRectF:
    return QRectF(0, 0, device.width(), device.height())


def _render(archive: Archive, view: str, as_of: str, known_as_of: str | None,
            entities: Sequence[str], fmt: str, size: Sequence[int] | str,
            fit_height: bool = False, tags: Sequence[str] = ()) -> bytes:
    fmt = _check_format(fmt)
    checked = check_size(size)
    draw = picture(archive, view, as_of=as_of, known_as_of=known_as_of, entities=entities,
                   tags=tags)
    try:
        if fit_height and isinstance(draw, GraphPicture):
            checked = (checked[0], draw.fitted_height(checked))
        return to_bytes(draw, fmt, checked)
    finally:
        draw.close()


def render_graph(archive: Archive, *, as_of: str, known_as_of: str | None = None,
                 entities: Sequence[str] = (), fmt: str = "svg",
                 size: tuple[int, int] = (1200, 800), fit_height: bool = False,
                 tags: Sequence[str] = ()) -> bytes:
    """The relationship graph on ``as_of`` (as known on ``known_as_of``): every
    relationship holding that day, or with ``entities`` only theirs (as ``as-of --entity``
    finds them; one entity is drawn selected), in ``fmt`` at ``size`` pixels.
    ``fit_height``: at most ``size``'s height, less when a wide graph leaves an empty band
    (a report's figure). ``tags``: only the facts with one of them (``as-of --tag``)."""
    return _render(archive, "graph", as_of, known_as_of, entities, fmt, size, fit_height, tags)


def render_timeline(archive: Archive, *, as_of: str, known_as_of: str | None = None,
                    entities: Sequence[str] = (), fmt: str = "svg",
                    size: tuple[int, int] = (1600, 400), tags: Sequence[str] = ()) -> bytes:
    """The timeline on ``as_of``: where history is busy (the density strip) over a bar for
    each fact of the state across its valid time (with one of ``tags``, when given), in
    ``fmt`` at ``size`` pixels."""
    return _render(archive, "timeline", as_of, known_as_of, entities, fmt, size, tags=tags)


# --- the command line ---------------------------------------------------------------------------


def _entities(value: object) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]  # type: ignore[attr-defined]


def export_view(archive: Archive, args: argparse.Namespace) -> int:
    """``hindsight export --to svg|png|pdf FILE --view graph|timeline --as-of DATE
    [--known-as-of DATE] [--entity NAME]... [--size WxH]``: write the picture (``-``:
    standard output); how many relationships or facts it shows. Every argument is checked
    before anything is drawn, and nothing is written when one is wrong."""
    fmt = _check_format(str(args.to))
    view = getattr(args, "view", None) or "graph"
    if view not in VIEWS:
        raise InvalidInput(f"'{view}' is not a view: {' or '.join(VIEWS)}", "view")
    size = check_size(getattr(args, "size", None) or DEFAULT_SIZES[view])
    as_of = getattr(args, "as_of", None)
    if not as_of:
        raise InvalidInput("a picture shows one day: give --as-of DATE", "as_of")
    target = str(args.file)
    draw = picture(archive, view, as_of=as_of, known_as_of=getattr(args, "known_as_of", None),
                   entities=_entities(getattr(args, "entity", None)),
                   tags=_entities(getattr(args, "tag", None)))
    try:
        data = to_bytes(draw, fmt, size)
    finally:
        draw.close()
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_picture(Path(target), data, archive)
    return draw.count


def write_picture(path: Path, data: bytes, archive: Archive | None) -> None:
    """Write a picture whole or not at all, never over the archive's own files."""
    write_atomically(path, lambda tmp: tmp.write_bytes(data), archive)

