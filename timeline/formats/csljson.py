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


def issued(published: str) -> dict[str, Any]:
    """An EDTF date as a CSL date: as many parts as its precision; a season or a decade as
    the range of months or years it covers; ``circa`` when approximate or uncertain."""
    date = dates.DateRange.parse(published).exact()
    first, last = _csl_parts(date.first_parts), _csl_parts(date.last_parts)
    out: dict[str, Any] = {"date-parts": [first] if first == last else [first, last]}
    if date.qualified:
        out["circa"] = True
    return out


def item(source: dict[str, Any]) -> dict[str, Any]:
    # The archive does not record a source's genre: "document" is CSL's generic type.
    out: dict[str, Any] = {
        "id": source["id"],
        "type": "webpage" if source["url"] else "document",
        "title": source["title"],
        "issued": issued(source["published"]),
        "note": f"Hindsight source {source['id']}",
    }
    if source["url"]:
        out["URL"] = source["url"]
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
