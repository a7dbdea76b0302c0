"""CSL-JSON: the sources as bibliography items, for Zotero and citation processors
(docs/formats.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from timeline import dates
from timeline.api import Archive, Selection
from timeline.formats.base import write_json


def _csl_parts(parts: tuple[int, ...]) -> list[int]:
    out = list(parts)
    if out[0] <= 0:  # CSL has no year 0: its -44 is 44 BC, which EDTF writes -0043
        out[0] -= 1
    return out


def issued(published: str, calendar: str = "gregorian") -> dict[str, Any]:
    """An EDTF date as a CSL date: as many parts as its precision; a season or a decade as
    the range of months or years it covers; ``circa`` when approximate or uncertain. A date
    of the Julian calendar keeps its parts as written (a bibliography cites it so)."""
    date = dates.DateRange.parse(published, calendar).exact()
    first, last = _csl_parts(date.first_parts), _csl_parts(date.last_parts)
    out: dict[str, Any] = {"date-parts": [first] if first == last else [first, last]}
    if date.qualified:
        out["circa"] = True
    return out


def _name(author: dict[str, Any]) -> dict[str, str]:
    if author.get("literal"):
        return {"literal": author["literal"]}
    return {k: author[k] for k in ("family", "given") if author.get(k)}


#: A source's fields that CSL-JSON carries as they are: (source field, CSL variable).
_AS_IS = (("container", "container-title"), ("publisher", "publisher"), ("url", "URL"),
          ("archive", "archive"), ("archive_location", "archive_location"),
          ("locator", "page"), ("language", "language"))


def item(source: dict[str, Any]) -> dict[str, Any]:
    """A source as a CSL item: its type (when the source has none: "webpage" with a URL,
    else CSL's generic "document"), title, authors, container, publisher, dates, URL,
    archive and place in it, pages, language and a note naming it in the archive."""
    kind = source.get("type") or ("webpage" if source.get("url") else "document")
    out: dict[str, Any] = {"id": source["id"], "type": kind, "title": source["title"]}
    if source.get("authors"):
        out["author"] = [_name(a) for a in source["authors"]]
    out["issued"] = issued(source["published"], source.get("calendar", "gregorian"))
    for field, variable in _AS_IS:
        if source.get(field):
            out[variable] = source[field]
    if source.get("accessed"):
        out["accessed"] = issued(source["accessed"])
    note = f"Hindsight source {source['id']}"
    if source.get("version_of"):
        note += f", a later version of {source['version_of']}"
    out["note"] = note + (f". {source['note']}" if source.get("note") else "")
    return out


def items(archive: Archive, selection: Selection) -> list[dict[str, Any]]:
    """Every source; with a filter, the sources the selected claims cite."""
    sources = archive.sources()
    if selection.filtered:
        cited = {c["source"] for v in selection.facts(archive) for c in v.sources}
        sources = [s for s in sources if s["id"] in cited]
    return [item(s) for s in sources]


def export_csljson(archive: Archive, path: Path, selection: Selection) -> int:
    found = items(archive, selection)
    write_json(path, found, archive)
    return len(found)
