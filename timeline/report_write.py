"""Writing a report to a file: Markdown, HTML or PDF, chosen by the file's suffix.

The engine never imports Qt: the relationship graph (an SVG) and the PDF are drawn by
the desktop app's renderers (``timeline.renderers``: ``graph_svg`` and ``report_pdf``). Without them
a Markdown or HTML report says that its figure is left out, and a PDF is refused.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from timeline import renderers
from timeline.errors import InvalidInput
from timeline.report import Report
from timeline.report_render import FIGURE_SIZE, to_html, to_markdown

if TYPE_CHECKING:
    from timeline.app import Archive

#: A report's formats, by the suffix of its file.
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def report_format(path: Path) -> str:
    """``md``, ``html`` or ``pdf``, by the file's suffix; InvalidInput (``to``) for another."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInput(f"{path}: a report is written as .md, .html or .pdf, not "
                           f"'{path.suffix or 'no suffix'}'", "to")
    return fmt


def figure(archive: Archive, report: Report) -> tuple[bytes | None, str]:
    """The relationship graph of the report's day as SVG, or None and why not."""
    draw = renderers.renderer("graph_svg")
    if draw is None:
        return None, ("The relationship graph is not included: drawing it needs the desktop "
                      "app (PySide6), which is not installed.")
    w, h = FIGURE_SIZE
    svg = draw(archive, as_of=report.as_of, known_as_of=report.known_as_of,
               entities=list(report.entities), size=(w, h), tags=list(report.tags))
    return bytes(svg), ""


def write_report(archive: Archive, report: Report, path: Path, *,
                 with_figure: bool = True) -> list[Path]:
    """Write ``report`` to ``path`` (.md, .html or .pdf), atomically, never over the
    archive's own files (``formats.base.write_atomically``); a Markdown report's figure goes
    beside it (``NAME-graph.svg``). The files written, the report first."""
    from timeline.formats.base import archive_files, check_target, write_atomically

    fmt = report_format(path)
    check_target(path, archive_files(archive))  # before any drawing
    pdf = renderers.renderer("report_pdf") if fmt == "pdf" else None
    if fmt == "pdf" and pdf is None:
        raise InvalidInput(f"{path}: writing a PDF needs the desktop app (PySide6), which is "
                           "not installed; write .html or .md instead", "to")
    svg, why = figure(archive, report) if with_figure else (None, "")
    if why:
        report = dataclasses.replace(report, remarks=(*report.remarks, why))
    if pdf is not None:
        page, title = to_html(report, None, for_print=svg is not None), report.title
        draw = pdf
        write_atomically(path, lambda tmp: draw(page, tmp, svg, title=title), archive)
        return [path]
    if fmt == "html":
        text = to_html(report, svg.decode("utf-8") if svg is not None else None)
        write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), archive)
        return [path]
    written = [path]
    name = None
    if svg is not None:
        beside = path.with_name(f"{path.stem}-graph.svg")
        write_atomically(beside, lambda tmp: tmp.write_bytes(svg), archive)
        written.append(beside)
        name = beside.name
    text = to_markdown(report, name)
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), archive)
    return written
