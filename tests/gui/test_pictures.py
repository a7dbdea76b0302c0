"""Issue 19, item 2: pictures of the views — the graph and the timeline as SVG (valid, words
as text), PNG (the size asked for) and PDF (vector) — from Python and from
``hindsight export --to svg|png|pdf``."""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import xml.etree.ElementTree as ET
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QImage

from gui.pictures import export_view, picture, render_graph, render_timeline, to_bytes
from timeline.api import Archive, InvalidInput, NotFound, cli_main, import_file, seed_archive

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: bytes) -> list[str]:
    """Every word drawn, from an SVG that parses."""
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.sqlite"
    with Archive.open(path) as archive:
        import_file(archive, seed_archive())
    return path


def test_the_graph_as_svg_parses_and_keeps_its_words_as_text(archive):
    svg = render_graph(archive, as_of="2024-06-01")
    words = texts(svg)
    assert {"Microsoft", "OpenAI", "Mustafa Suleyman"} <= set(words)
    assert any("works for" in w for w in words)  # an edge's line
    assert "Relationships as of 1 June 2024" in words  # the heading names the day
    assert b"<image" not in svg  # nothing drawn as a bitmap
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 1200 800"


def test_the_timeline_as_svg_has_a_bar_per_fact_and_the_day(archive):
    state = archive.as_of("2024-06-01")
    svg = render_timeline(archive, as_of="2024-06-01", size=(1600, 900))
    words = texts(svg)
    assert "1 June 2024" in words  # the day's mark
    assert "Timeline as of 1 June 2024" in words
    drawn = [f.statement for f in state.facts if any(f.statement in w for w in words)]
    assert len(drawn) == len(state.facts)  # tall enough: every fact labelled whole
    assert {"2020", "2024"} <= set(words)  # the year axis


def test_png_has_the_size_asked_for(archive):
    for render, size in ((render_graph, (640, 480)), (render_timeline, (900, 300))):
        image = QImage.fromData(render(archive, as_of="2024-06-01", fmt="png", size=size))
        assert (image.width(), image.height()) == size
        assert image.pixelColor(2, 2).name() == "#ffffff"  # on white


def test_pdf_is_a_vector_page(archive):
    pdf = render_graph(archive, as_of="2024-06-01", fmt="pdf")
    assert pdf.startswith(b"%PDF")
    assert b"/Subtype /Image" not in pdf and b"/FontFile" in pdf  # lines and embedded text
    assert render_timeline(archive, as_of="2024-06-01", fmt="pdf").startswith(b"%PDF")


def test_entities_and_the_known_day_narrow_the_picture(archive):
    words = texts(render_graph(archive, as_of="2024-06-01", entities=["Optimus"]))
    assert "Sam Altman" in words  # the alias' entity, drawn selected
    assert "Mustafa Suleyman" not in words  # not related to Altman
    assert any("about Sam Altman" in w for w in words)
    early = texts(render_timeline(archive, as_of="2024-06-01", known_as_of="2019-01-01"))
    assert any("as known on 1 January 2019" in w for w in early)
    assert "known on 1 January 2019" in early  # its mark


def test_bad_arguments_are_refused_by_name(archive):
    with pytest.raises(InvalidInput) as bad:
        render_graph(archive, as_of="2024-13-45")
    assert bad.value.field == "as_of"
    with pytest.raises(InvalidInput) as bad:
        render_graph(archive, as_of="2024", fmt="gif")
    assert bad.value.field == "to"
    with pytest.raises(InvalidInput) as bad:
        render_timeline(archive, as_of="2024", size=(10, 10))
    assert bad.value.field == "size"
    with pytest.raises(NotFound):
        render_graph(archive, as_of="2024", entities=["Nobody At All"])


def test_hostile_names_are_escaped_in_the_svg():
    archive = Archive.in_memory()
    hostile = "<script>alert('x')</script>"
    archive.record(hostile, "rival_of", object="Smith & Sons </text>", valid="2020/..")
    for render in (render_graph, render_timeline):
        svg = render(archive, as_of="2021")
        words = texts(svg)  # it still parses
        assert any(hostile in w for w in words)
        assert b"<script>" not in svg
        assert any("Smith & Sons </text>" in w for w in words)
    archive.close()


def test_an_empty_day_says_so(archive):
    assert "No relationship between entities on this day" in texts(
        render_graph(archive, as_of="1900"))
    assert "No fact holds on this day" in texts(render_timeline(archive, as_of="1900"))


# --- the command line ---------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            code = cli_main(list(argv))
        except SystemExit as exc:  # argparse's own refusals
            code = int(exc.code or 0)
    return code, err.getvalue()


def test_the_renderer_is_the_entry_point_the_engine_loads():
    found = [p for p in entry_points(group="hindsight.renderers") if p.name == "view"]
    assert [p.load() for p in found] == [export_view]


def test_export_svg_of_the_seed_graph(seed_file, tmp_path):
    out = tmp_path / "graph.svg"
    code, err = run("--archive", str(seed_file), "export", "--to", "svg", str(out),
                    "--view", "graph", "--as-of", "2023-11")
    assert code == 0, err
    words = texts(out.read_bytes())
    assert {"Sam Altman", "Microsoft", "OpenAI"} <= set(words)
    assert "Relationships as of 30 November 2023" in words
    assert str(out) in err
    timeline = tmp_path / "timeline.png"
    code, err = run("--archive", str(seed_file), "export", "--to", "png", str(timeline),
                    "--view", "timeline", "--as-of", "2023-11-20", "--size", "800x300")
    assert code == 0, err
    assert QImage(str(timeline)).size().toTuple() == (800, 300)


def test_bad_view_size_or_target_writes_nothing(seed_file, tmp_path):
    out = tmp_path / "out.svg"
    base = ("--archive", str(seed_file), "export", "--to", "svg", str(out), "--as-of", "2023")
    code, err = run(*base, "--view", "pie")
    assert code == 2 and "--view" in err and "Traceback" not in err
    code, err = run(*base, "--size", "100x100")
    assert code == 2 and "--size: 100x100" in err
    code, err = run(*base, "--size", "wide")
    assert code == 2 and "--size" in err
    code, err = run("--archive", str(seed_file), "export", "--to", "svg", str(out))
    assert code == 2 and "--as-of" in err
    assert not out.exists()
    before = seed_file.read_bytes()
    code, err = run("--archive", str(seed_file), "export", "--to", "pdf", str(seed_file),
                    "--as-of", "2023")
    assert code == 2 and "archive's own file" in err
    assert seed_file.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == []  # no partial file left either


def test_export_view_checks_its_arguments(archive, tmp_path):
    out = tmp_path / "x.png"

    def args(**given: object) -> argparse.Namespace:
        return argparse.Namespace(**{"to": "png", "file": str(out), "view": "graph",
                                     "size": None, "as_of": "2024", "known_as_of": None,
                                     "entity": None, **given})

    for wrong, field in (({"view": "pie"}, "view"), ({"size": (20, 20)}, "size"),
                         ({"size": "1200*800"}, "size"), ({"to": "gif"}, "to"),
                         ({"as_of": None}, "as_of")):
        with pytest.raises(InvalidInput) as bad:
            export_view(archive, args(**wrong))
        assert bad.value.field == field
    assert not out.exists()
    assert export_view(archive, args(entity=["Microsoft"], size=(700, 500))) > 0
    assert QImage(str(out)).size().toTuple() == (700, 500)


def test_a_tall_layout_is_turned_wide():
    from gui.layout import turn_wide

    tall = {"a": (0.0, -300.0), "b": (10.0, 0.0), "c": (0.0, 300.0)}
    wide = turn_wide(tall)
    xs, ys = [p[0] for p in wide.values()], [p[1] for p in wide.values()]
    assert max(xs) - min(xs) > 500 > max(ys) - min(ys)
    assert turn_wide({"a": (1.0, 2.0)}) == {"a": (1.0, 2.0)}


# --- a small graph as a figure ------------------------------------------------------------------


def _crosses(line: QLineF, box: QRectF) -> bool:
    """Whether ``line`` runs through ``box`` (sampled every pixel or so)."""
    steps = max(2, int(line.length()))
    return any(box.contains(line.pointAt(k / steps)) for k in range(steps + 1))


def test_a_pair_is_spread_and_its_label_clears_the_nodes_and_its_line(seed_file):
    with Archive.open(seed_file) as archive:
        draw = picture(archive, "graph", as_of="2023-11-20", known_as_of=None,
                       entities=["Microsoft", "OpenAI"])
        try:
            for size in ((1200, 800), (600, 320)):  # an export's, the report figure's
                to_bytes(draw, "png", size)  # laid out and framed as drawn
                nodes, labels = draw.boxes()
                assert len(nodes) == 2 and len(labels) == 1
                label, line = labels[0]
                assert not any(label.intersects(node) for node in nodes), (size, label, nodes)
                assert not _crosses(line, label.adjusted(2, 2, -2, -2))
                left, right = sorted(nodes, key=QRectF.left)
                assert right.left() - left.right() > label.width()  # it fits between them
        finally:
            draw.close()


def test_the_report_figure_of_a_pair_leaves_no_empty_band(seed_file):
    from PySide6.QtCore import QByteArray
    from PySide6.QtSvg import QSvgRenderer

    from gui.report_pdf import _figure_rects, graph_svg, report_document
    from timeline.api import REPORT_FIGURE_SIZE, build_report, report_to_html

    with Archive.open(seed_file) as archive:
        svg = graph_svg(archive, "2023-11-20", None, ["Microsoft", "OpenAI"],
                        REPORT_FIGURE_SIZE)
        whole = graph_svg(archive, "2023-11-20", None, [], REPORT_FIGURE_SIZE)
        report = build_report(archive, "2023-11-20", None, ["Microsoft", "OpenAI"])
    w, h = REPORT_FIGURE_SIZE
    box = QSvgRenderer(QByteArray(svg)).viewBoxF()
    assert box.width() == w and box.height() < h * 0.75  # a wide graph: a shorter figure
    assert QSvgRenderer(QByteArray(whole)).viewBoxF().height() <= h
    doc = report_document(report_to_html(report, None, for_print=True), svg)
    [rect] = _figure_rects(doc)
    assert rect.width() == w and abs(rect.height() - box.height()) < 1  # its place fits it


def test_a_tag_narrows_both_pictures_to_the_tagged_facts(seed_file, tmp_path):
    copy = tmp_path / "tagged.sqlite"
    shutil.copyfile(seed_file, copy)
    with Archive.open(copy) as archive:
        invested = next(f for f in archive.as_of("2023-11-20", entities=["Microsoft"]).facts
                        if f.object == "OpenAI" and "invested" in f.statement)
        archive.tag("claim", invested.claim.id, "money")
    out, bars = tmp_path / "graph.svg", tmp_path / "timeline.svg"
    code, err = run("--archive", str(copy), "export", "--to", "svg", str(out), "--as-of",
                    "2023-11-20", "--tag", "Money")
    assert code == 0, err
    assert "exported 1 relationships" in err
    words = set(texts(out.read_bytes()))
    assert {"Microsoft", "OpenAI"} <= words and "Sam Altman" not in words
    code, err = run("--archive", str(copy), "export", "--to", "svg", str(bars), "--view",
                    "timeline", "--as-of", "2023-11-20", "--tag", "money")
    assert code == 0, err
    assert "exported 1 facts" in err
    assert any(invested.statement in w for w in texts(bars.read_bytes()))
    code, err = run("--archive", str(copy), "export", "--to", "svg", str(out), "--as-of",
                    "2023-11-20", "--tag", " ")
    assert code == 2 and "a tag cannot be empty" in err
