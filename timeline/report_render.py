"""A report (``timeline.report``) as Markdown or as one self-contained HTML file.

Every text of the archive (names, statements, quotes, titles) is escaped for its output:
``html.escape`` for HTML, a backslash before every character Markdown would read as
structure. The bibliography's emphasis (``report_cite.MARKS``) is turned into markup only
after its text was escaped. The HTML makes no request: its style is inline and the figure an
inline SVG, cleaned of anything that could run or fetch (``clean_svg``).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

from timeline.report import Change, Report, ReportFact, Section
from timeline.report_cite import MARKS, unmarked

#: Where the figure goes in the HTML given to Qt's printing (``for_print``): an image of
#: this address, which the PDF writer draws the SVG over, as vectors.
FIGURE_URL = "hindsight-figure:graph"
#: The figure's size on the page, in CSS pixels (its aspect ratio is kept).
FIGURE_SIZE = (600, 320)

# --- Markdown ----------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")
#: What Markdown reads as structure at the start of a line: a list item, a rule, a setext
#: underline, a numbered item ("1.", "1)"; the others are escaped wherever they are).
_MD_LEADING = re.compile(r"^([-+=:])|^(\d+)([.)])")


def _md_escape(text: str) -> str:
    out = _MD_INLINE.sub(r"\\\1", " ".join(text.split()))
    return _MD_LEADING.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", out)


def md(text: str) -> str:
    """Plain text as Markdown that shows it as it is, on one line."""
    return _md_escape(unmarked(text))


def _md_marked(text: str) -> str:
    """A bibliography entry in Markdown: escaped, then its emphasis as ``*``/``**``."""
    out = _md_escape(text)
    for name, (start, end) in MARKS.items():
        tag = {"italic": "*", "bold": "**"}.get(name, "")
        out = out.replace(start, tag).replace(end, tag)
    return out


def _md_refs(numbers: Iterable[int]) -> str:
    return "".join(f"[^{n}]" for n in numbers)


def _md_fact(fact: ReportFact) -> list[str]:
    via = f" ({md(fact.via)})" if fact.via else ""
    lines = [f"- **{fact.status}** {md(fact.statement)}{via}{_md_refs(fact.notes)}  ",
             f"  {md(fact.valid_words)} — {md(fact.status_words)}"]
    if len(fact.accounts) > 1:
        for a in fact.accounts:
            lines.append(f"  - account: {md(a.valid_words)} ({a.status}, certainty "
                         f"{a.certainty:g}){_md_refs(a.notes)}")
    if fact.disputed:
        lines.append(f"  - disputed: {md(fact.disputed)}")
    for other in fact.contested_with:
        lines.append(f"  - contested with: {md(other)}")
    return lines


def _md_section(section: Section) -> list[str]:
    lines = [f"### {md(section.entity)}", ""]
    if not section.facts:
        return [*lines, f"Nothing in the state has {md(section.entity)} as its subject.", ""]
    for fact in section.facts:
        lines += _md_fact(fact)
    return [*lines, ""]


def _md_change(c: Change) -> str:
    was = f"{c.from_status or '—'} → {c.to_status or '—'}"
    return f"| {md(c.day_words)} | {md(c.kind)} | {md(c.statement)} | {was} |"


def to_markdown(report: Report, figure_name: str | None = None) -> str:
    """The report in Markdown (footnotes as ``[^n]``); ``figure_name``: the file of the
    relationship graph, beside the Markdown file."""
    out = [f"# {md(report.title)}", "", f"*{md(report.question)}*", ""]
    out += [f"> {md(r)}" for r in report.remarks] + ([""] if report.remarks else [])
    if figure_name:
        out += [f"![The relationship graph]({_md_link(figure_name)})", "",
                f"*The relationship graph on {md(_day(report))}.*", ""]
    out += [f"## The state on {md(_day(report))}", ""]
    if not report.fact_count:
        out += ["Nothing held on the day, by what the archive records.", ""]
    for section in report.sections:
        out += _md_section(section)
    out += [f"## What changed, {md(report.period_words)}", ""]
    if report.changes_skipped:
        out += [md(report.changes_skipped), ""]
    elif not report.changes:
        out += ["Nothing began, ended or changed status in this period.", ""]
    else:
        out += ["| Day | Change | Fact | Status |", "|---|---|---|---|"]
        out += [_md_change(c) for c in report.changes] + [""]
    if report.notes:
        out += ["## Notes", ""]
        out += [f"[^{n.number}]: {md(n.name)} ({md(n.where)}): “{md(n.quote)}”"
                for n in report.notes] + [""]
    if report.bibliography:
        out += [f"## Bibliography ({md(report.style)})", ""]
        out += [_md_marked(e.text) + "  " for e in report.bibliography] + [""]
    out += ["---", "", md(report.made), ""]
    return "\n".join(out)


def _md_link(name: str) -> str:
    """A file name as a Markdown link target."""
    from urllib.parse import quote

    return quote(name)


def _day(report: Report) -> str:
    from timeline.datewords import human_date

    known = (f", as known on {human_date(report.known_as_of)}"
             if report.known_as_of is not None else "")
    return f"{human_date(report.as_of)}{known}"


# --- HTML --------------------------------------------------------------------------------------

_CSS = """
body { font-family: Georgia, 'DejaVu Serif', serif; color: #1d1d1f; max-width: 46em;
       margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #c8c8cc; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
p.question { font-style: italic; font-size: 1.1em; margin-top: 0; }
p.remark { background: #fff6d6; padding: 0.3em 0.6em; }
ul.facts { list-style-type: none; padding-left: 0; margin-left: 0; }
li.fact { margin-bottom: 0.6em; }
span.status { font-family: sans-serif; font-size: 0.75em; font-weight: bold;
              padding: 0 0.35em; border-radius: 3px; color: #ffffff; }
span.HOLDS { background: #2e7d32; } span.MAYBE { background: #b26a00; }
span.DISPUTED { background: #6a1b9a; } span.CONTESTED { background: #c62828; }
span.when { color: #4a4a4f; }
ul.accounts { margin: 0.2em 0; color: #4a4a4f; font-size: 0.92em; }
p.legend, p.made, ol.notes, p.entry { font-size: 0.9em; }
table.changes { border-collapse: collapse; font-size: 0.9em; width: 100%; }
table.changes th, table.changes td { border-bottom: 1px solid #dddde2; padding: 0.2em 0.4em;
                                     text-align: left; vertical-align: top; }
figure { margin: 1em 0; text-align: center; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; }
p.entry { padding-left: 2em; text-indent: -2em; margin: 0.3em 0; }
sup a { text-decoration: none; }
"""

_TAGS = {"italic": ("<i>", "</i>"), "bold": ("<b>", "</b>"),
         "smallcaps": ('<span style="font-variant: small-caps">', "</span>"),
         "superscript": ("<sup>", "</sup>"), "subscript": ("<sub>", "</sub>"),
         "underline": ("<u>", "</u>")}


def esc(text: str) -> str:
    """Plain text as HTML text or attribute value."""
    return html.escape(unmarked(text), quote=True)


def _html_marked(text: str) -> str:
    out = html.escape(text, quote=True)
    for name, (start, end) in MARKS.items():
        out = out.replace(start, _TAGS[name][0]).replace(end, _TAGS[name][1])
    return out


def _refs(numbers: Iterable[int]) -> str:
    links = ", ".join(f'<a href="#note-{n}">{n}</a>' for n in numbers)
    return f"<sup>{links}</sup>" if links else ""


def _html_fact(fact: ReportFact) -> str:
    via = f" <span class=\"when\">({esc(fact.via)})</span>" if fact.via else ""
    parts = [f'<li class="fact"><span class="status {esc(fact.status)}">'
             f"{esc(fact.status)}</span> {esc(fact.statement)}{via}{_refs(fact.notes)}<br>"
             f'<span class="when">{esc(fact.valid_words)} — {esc(fact.status_words)}</span>']
    more = []
    if len(fact.accounts) > 1:
        more += [f"<li>account: {esc(a.valid_words)} ({esc(a.status)}, certainty "
                 f"{a.certainty:g}){_refs(a.notes)}</li>" for a in fact.accounts]
    if fact.disputed:
        more.append(f"<li>disputed: {esc(fact.disputed)}</li>")
    more += [f"<li>contested with: {esc(other)}</li>" for other in fact.contested_with]
    if more:
        parts.append('<ul class="accounts">' + "".join(more) + "</ul>")
    return "".join(parts) + "</li>"


def _html_section(section: Section) -> str:
    head = f"<h3>{esc(section.entity)}</h3>\n"
    if not section.facts:
        return head + (f"<p>Nothing in the state has {esc(section.entity)} as its "
                       "subject.</p>\n")
    return head + '<ul class="facts">\n' + "\n".join(
        _html_fact(f) for f in section.facts) + "\n</ul>\n"


def _html_changes(report: Report) -> str:
    if report.changes_skipped:
        return f"<p>{esc(report.changes_skipped)}</p>\n"
    if not report.changes:
        return "<p>Nothing began, ended or changed status in this period.</p>\n"
    rows = "".join(
        f"<tr><td>{esc(c.day_words)}</td><td>{esc(c.kind)}</td><td>{esc(c.statement)}</td>"
        f"<td>{esc(c.from_status or '—')} → {esc(c.to_status or '—')}</td></tr>\n"
        for c in report.changes)
    return ('<table class="changes"><tr><th>Day</th><th>Change</th><th>Fact</th>'
            f"<th>Status</th></tr>\n{rows}</table>\n")


def _legend() -> str:
    from timeline.report import STATUS_WORDS

    return ('<p class="legend">' + "; ".join(
        f'<span class="status {s}">{s}</span> {esc(w)}' for s, w in STATUS_WORDS.items())
        + ".</p>\n")


def _figure(report: Report, figure_svg: str | None, for_print: bool) -> str:
    """The relationship graph, with its caption in the same paragraph (a page never ends
    between them)."""
    caption = (f"<br><i>The relationship graph on {esc(_day(report))}: every relationship "
               "of the state, drawn as in the app.</i>")
    if for_print:
        w, h = FIGURE_SIZE
        return (f'<p align="center"><img src="{FIGURE_URL}" width="{w}" height="{h}" '
                f'alt="The relationship graph">{caption}</p>\n')
    svg = clean_svg(figure_svg) if figure_svg else None
    if svg is None:
        return ""
    return (f"<figure>{svg}<figcaption>{caption.removeprefix('<br>')}</figcaption>"
            "</figure>\n")


def to_html(report: Report, figure_svg: str | None = None, *, for_print: bool = False) -> str:
    """The report as one self-contained HTML page: inline style, ``figure_svg`` (the
    relationship graph) inline. ``for_print``: for Qt's rich text (``QTextDocument``), with
    an image of :data:`FIGURE_URL` where the figure goes (the PDF writer draws it there)."""
    body = [f"<h1>{esc(report.title)}</h1>\n",
            f'<p class="question">{esc(report.question)}</p>\n']
    body += [f'<p class="remark">{esc(r)}</p>\n' for r in report.remarks]
    body.append(_figure(report, figure_svg, for_print))
    body.append(f"<h2>The state on {esc(_day(report))}</h2>\n")
    if report.fact_count:
        body.append(_legend())
    else:
        body.append("<p>Nothing held on the day, by what the archive records.</p>\n")
    body += [_html_section(s) for s in report.sections]
    body.append(f"<h2>What changed, {esc(report.period_words)}</h2>\n")
    body.append(_html_changes(report))
    if report.notes:
        body.append('<h2>Notes</h2>\n<ol class="notes">\n' + "".join(
            f'<li id="note-{n.number}">{esc(n.name)} ({esc(n.where)}): '
            f"“{esc(n.quote)}”</li>\n" for n in report.notes) + "</ol>\n")
    if report.bibliography:
        body.append(f"<h2>Bibliography</h2>\n<p class=\"legend\">The sources quoted, in the CSL "
                    f"style {esc(report.style)}.</p>\n")
        body += [f'<p class="entry">{_html_marked(e.text)}</p>\n' for e in report.bibliography]
    body.append(f'<hr>\n<p class="made">{esc(report.made)}</p>\n')
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(report.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "".join(body) + "</body>\n</html>\n")


# --- the figure --------------------------------------------------------------------------------

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_UNSAFE = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "image",
           "use", "a", "animate", "set", "style"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def clean_svg(svg: str) -> str | None:
    """An SVG document as an element to put inside HTML: parsed (None when it is not well
    formed) and written again, so every text is escaped, without anything that runs or
    fetches (scripts, links, images, event handlers, ``url(…)`` other than ``#id``)."""
    ET.register_namespace("", _SVG)
    ET.register_namespace("xlink", _XLINK)
    try:
        root = ET.fromstring(svg.encode("utf-8") if "encoding" in svg[:100] else svg)
    except ET.ParseError:
        return None
    if _local(root.tag) != "svg":
        return None
    _prune(root, lambda el: _local(el.tag) in _UNSAFE)
    for el in root.iter():
        for name in list(el.attrib):
            value = el.attrib[name]
            if (_local(name).lower().startswith("on") or "href" in name.lower()
                    or re.search(r"url\(\s*['\"]?(?!#)", value)):
                del el.attrib[name]
    return ET.tostring(root, encoding="unicode")


def _prune(parent: ET.Element, unsafe: Callable[[ET.Element], bool]) -> None:
    for child in list(parent):
        if unsafe(child):
            parent.remove(child)
        else:
            _prune(child, unsafe)
