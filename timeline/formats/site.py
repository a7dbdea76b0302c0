"""A self-contained web timeline: a folder that works offline, from ``file://`` and from any
static host (docs/formats.md, "Site").

``index.html`` shows the claims as bars over the years, a date slider, and the facts in force
on the chosen date with their accounts, disputes, quotes and sources; ``sources.html`` is the
bibliography, each source with the quotes the facts take from it. ``site.js`` and
``site.css`` (``site_assets/``) are the page's own small script and style: no third-party
library, nothing fetched from elsewhere, and a Content-Security-Policy that allows nothing
but the folder's own files.

The states are computed here, by the engine, on each "moment" — the days on which the state
may change (``Archive.change_days``), at most :data:`MAX_MOMENTS` of them — and embedded in the
page as JSON (``<script type="application/json">``: no fetch, which ``file://`` refuses); the
slider shows the state of the last moment at or before the chosen day. Every text is escaped:
HTML with ``html.escape``; the embedded JSON with ``<``, ``>`` and ``&`` as ``\\u003c``…, so
that no text (a quote holding ``</script>``) can end the element; the script puts texts into
the page as text (``textContent``), never as HTML.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from timeline.api import (
    NEG_INF,
    POS_INF,
    Archive,
    FactView,
    Selection,
    accounts_of,
    dispute_text,
    fact_valid,
    human_date,
    query_day,
    short_source_names,
    via_text,
)
from timeline.datewords import words_or_text as _words
from timeline.formats.base import write_folder_atomically
from timeline.formats.csljson import items as csl_items

ASSETS = Path(__file__).with_name("site_assets")
#: The files copied as they are; the two pages are written from templates.
STATIC_FILES = ("site.js", "site.css")
PAGES = ("index.html", "sources.html")

#: At most this many states are computed and embedded; with more days on which the state may
#: change, this many of them, evenly spread (the page says so).
MAX_MOMENTS = 2000

_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")


def anchor(source_id: str) -> str:
    """The id of a source's entry in sources.html: ``source-`` and the source id when it is
    made of letters, digits, ``_``, ``.`` and ``-``, else a digest of it (any id stays a
    valid, unique fragment)."""
    if _SAFE_ID.fullmatch(source_id):
        return f"source-{source_id}"
    return f"source-x{hashlib.sha256(source_id.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


def script_json(data: Any) -> str:
    """JSON to embed in a ``<script>`` element: ``<``, ``>`` and ``&`` written as escapes,
    so no string in it can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@dataclass
class _Site:
    """What the pages show, gathered from the archive."""

    archive: Archive
    selection: Selection
    sources: list[dict[str, Any]] = field(default_factory=list)
    source_index: dict[str, int] = field(default_factory=dict)
    facts: list[dict[str, Any]] = field(default_factory=list)
    fact_index: dict[str, int] = field(default_factory=dict)
    quoted: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def cite(self, citations: list[dict[str, str]], statement: str) -> list[list[Any]]:
        out = []
        for c in citations:
            k = self.source_index.get(c["source"])
            if k is None:
                continue
            out.append([k, c["quote"]])
            pairs = self.quoted.setdefault(c["source"], [])
            if (c["quote"], statement) not in pairs:
                pairs.append((c["quote"], statement))
        return out

    def fact(self, view: FactView, names: dict[str, str]) -> int:
        """The index of a fact's details (shared by every moment that shows them alike)."""
        fact = view.fact
        accounts = accounts_of(fact)
        details = {
            "id": view.claim.id, "statement": view.statement,
            "valid": _words(fact_valid(fact), view.claim.calendar), "edtf": fact_valid(fact),
            "certainty": view.claim.certainty, "via": via_text(view),
            "disputed": dispute_text(fact, names, _words),
            "contested": list(fact.contested_with),
            "quotes": self.cite(view.sources, view.statement),
            "accounts": [[_words(a.claim.valid, a.claim.calendar), a.status, a.claim.certainty,
                          self.cite(a.claim.sources, view.statement)]
                         for a in accounts] if len(accounts) > 1 else [],
        }
        key = json.dumps(details, sort_keys=True)
        found = self.fact_index.get(key)
        if found is None:
            found = self.fact_index[key] = len(self.facts)
            self.facts.append(details)
        return found


def _bounds(claims: list[FactView]) -> tuple[int, int] | None:
    found = [d for v in claims for d in (v.claim.start_lo, v.claim.start_hi, v.claim.end_lo,
                                         v.claim.end_hi) if NEG_INF < d < POS_INF]
    return (min(found), max(found)) if found else None


def _spread(days: list[int], most: int) -> list[int]:
    """At most ``most`` of ``days``, evenly spread, the first and the last kept."""
    if len(days) <= most:
        return days
    step = (len(days) - 1) / (most - 1)
    return sorted({days[round(k * step)] for k in range(most)})


def _bar(view: FactView, lo: int, hi: int) -> list[Any]:
    """A claim on the strip: [start_lo, start_hi, end_lo, end_hi, statement, id], open
    sides cut at the range shown (a set of dates may leave any bound open: ``[1760..]`` has
    no latest start)."""
    c = view.claim
    return [*(min(max(day, lo), hi) for day in (c.start_lo, c.start_hi, c.end_lo, c.end_hi)),
            view.statement, c.id]


def _reference(item: dict[str, Any], published: tuple[str, str]) -> str:
    """A source's bibliography entry (its CSL item) as one plain line: its authors, when
    it names them (else the title comes first), title, container, publisher and date:
    "Smith, Jane. Title. The Times. About 20 February 2025." """
    when = _words(*published)  # the date and its calendar
    names = [a.get("literal") or ", ".join(a[k] for k in ("family", "given") if a.get(k))
             for a in item.get("author", [])]
    parts = [" and ".join(names)] if names else []
    parts += [item[k] for k in ("title", "container-title", "publisher") if item.get(k)]
    parts.append(f"{when[:1].upper()}{when[1:]}")
    return " ".join(f"{p.rstrip('.')}." for p in parts)


def _title(selection: Selection) -> str:
    about = [selection.entity] if selection.entity else []
    if selection.tags:
        about.append("tagged " + " or ".join(f"‘{t}’" for t in selection.tags))
    return "Hindsight: " + ", ".join(about) if about else "Hindsight"


def gather(archive: Archive, selection: Selection) -> dict[str, Any]:
    """The data the page embeds: claims (bars), facts, moments, sources."""
    entities = [selection.entity] if selection.entity else []
    scope = Selection(None, selection.entity, selection.tags)
    claims = scope.facts(archive)
    site = _Site(archive, selection)
    published = {s["id"]: (s["published"], s["calendar"]) for s in archive.sources()}
    bib = sorted(csl_items(archive, scope), key=lambda i: (i["title"].casefold(), i["id"]))
    names = short_source_names({i["id"]: i["title"] for i in bib})
    for k, item in enumerate(bib):
        site.source_index[item["id"]] = k
        site.sources.append({"id": item["id"], "anchor": anchor(item["id"]),
                             "name": names[item["id"]], "title": item["title"],
                             "reference": _reference(item, published[item["id"]]),
                             "url": item.get("URL", "")})
    span = _bounds(claims)
    opening = query_day(selection.as_of, "as_of") if selection.as_of is not None else None
    lo, hi = span if span is not None else ((opening,) * 2 if opening is not None else (0, 0))
    if opening is not None:
        lo, hi = min(lo, opening), max(hi, opening)
    days = [lo - 1, *archive.change_days(lo - 1, hi, None, entities)]
    every = len(days)
    days = _spread(days, MAX_MOMENTS)
    moments: list[list[Any]] = []
    last: list[list[Any]] | None = None
    for day in days:
        state = archive.as_of(day, None, entities, selection.tags)
        shown = [[site.fact(v, names), v.status] for v in state.facts]
        if shown != last:
            moments.append([day, shown])
            last = shown
    return {
        "title": _title(selection),
        "range": [lo - 1, hi], "open": opening if opening is not None else moments[-1][0],
        "moments": moments, "days": every, "computed": len(days),
        "facts": site.facts, "sources": site.sources,
        "bars": [_bar(v, lo - 1, hi) for v in claims],
        "quoted": {k: [list(p) for p in v] for k, v in site.quoted.items()},
        "claims": len(claims),
    }


def _about(data: dict[str, Any]) -> str:
    lo, hi = data["range"]
    text = (f"{data['claims']:,} claims, {human_date(lo + 1)} to {human_date(hi)}: the facts "
            f"in force on each date, as known now, with their accounts, quotes and sources.")
    if data["computed"] < data["days"]:
        text += (f" The state may change on {data['days']:,} days; it is shown on "
                 f"{data['computed']:,} of them, evenly spread.")
    return text


def _sources_page(data: dict[str, Any]) -> str:
    entries = []
    for source in data["sources"]:
        quotes = "".join(
            f"<li><blockquote>“{escape(q)}”</blockquote><p class=\"for\">for: "
            f"{escape(s)}</p></li>" for q, s in data["quoted"].get(source["id"], []))
        url = (f' <a href="{escape(source["url"])}" rel="noreferrer noopener">'
               f'{escape(source["url"])}</a>' if source["url"] else "")
        entries.append(
            f'<li id="{escape(source["anchor"])}" class="source">'
            f'<p class="reference">{escape(source["reference"])}{url}</p>'
            f'<p class="id">Hindsight source <code>{escape(source["id"])}</code> '
            f"(“{escape(source['name'])}”)</p>"
            + (f'<ul class="quotes">{quotes}</ul>' if quotes else "") + "</li>")
    listed = "\n".join(entries) or "<li>No source is cited.</li>"
    return f'<ol class="bibliography">\n{listed}\n</ol>'


def _render(template: str, **values: str) -> str:
    return Template((ASSETS / template).read_text(encoding="utf-8")).substitute(values)


def write_site(folder: Path, data: dict[str, Any]) -> None:
    """The pages and their files, into ``folder`` (which exists and is empty)."""
    title = escape(data["title"])
    about = escape(_about(data))
    page = {k: v for k, v in data.items() if k != "quoted"}  # for sources.html only
    (folder / "index.html").write_text(
        _render("index.html", title=title, about=about, data=script_json(page)),
        encoding="utf-8")
    (folder / "sources.html").write_text(
        _render("sources.html", title=title, about=about, bibliography=_sources_page(data)),
        encoding="utf-8")
    for name in STATIC_FILES:
        shutil.copyfile(ASSETS / name, folder / name)


def export_site(archive: Archive, path: Path, selection: Selection) -> int:
    """Write the web timeline into the folder ``path`` (new, or empty): written into a
    temporary folder beside it, then renamed into place. The number of claims it shows."""
    data = gather(archive, selection)
    write_folder_atomically(path, lambda folder: write_site(folder, data), archive)
    return int(data["claims"])
