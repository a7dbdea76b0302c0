"""TimelineJS 3: claims as the slides of a web timeline (docs/formats.md).

One event a claim: its start and end as year, month and day cut to the EDTF date's own
precision, the EDTF text as the date shown (so "about", "uncertain" and seasons are not lost),
the statement as headline, the sources quoted in the text, and the subject as the group (one
row of the timeline per entity).

TimelineJS puts every text it shows into the page as HTML (headlines, texts, groups, the date
shown), so each is escaped here, ``&`` first: an entity name such as ``&lt;img …&gt;`` or
``<script>`` is shown as the text it is and never becomes an element. The claim id
(``unique_id``) is an identifier TimelineJS does not show.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from timeline import dates
from timeline.api import Archive, FactView, Selection
from timeline.formats.base import write_json


def _date(parts: tuple[int, ...]) -> dict[str, str]:
    return dict(zip(("year", "month", "day"), map(str, parts), strict=False))


def _dates(valid: str) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """Start and end dates. A single date has no end; an open or unknown end has none; an
    interval without a start is placed at its end, the one date it gives."""
    start, end = (dates.DateRange.parse(side).exact() if side not in ("", "..") else None
                  for side in dates.interval_sides(valid))
    if start is None:
        return (_date(end.first_parts), None) if end is not None else (None, None)
    if end is None or end.text == start.text:
        return _date(start.first_parts), None
    return _date(start.first_parts), _date(end.last_parts)


def _text(view: FactView, sources: dict[str, dict[str, Any]]) -> str:
    claim = view.claim
    facts = [f"valid {claim.valid}", f"certainty {claim.certainty:g}",
             f"known {claim.known_at}"]
    if view.status:
        facts.insert(0, view.status)
    html = f"<p>{escape(' · '.join(facts))}</p>"
    for cite in view.sources:  # every account's
        source = sources[cite["source"]]
        html += (f"<p><cite>{escape(source['title'])}, {escape(source['published'])}</cite>: "
                 f"“{escape(cite['quote'])}”</p>")
    return html


def document(archive: Archive, selection: Selection) -> dict[str, Any]:
    """A TimelineJS 3 JSON document of the selected claims."""
    sources = {s["id"]: s for s in archive.sources()}
    events = []
    for view in selection.facts(archive):
        start, end = _dates(view.claim.valid)
        if start is None:  # ../..: always held, no date to place it at
            continue
        event: dict[str, Any] = {
            "start_date": start,
            "display_date": escape(view.claim.valid),
            "text": {"headline": escape(view.statement), "text": _text(view, sources)},
            "group": escape(view.subject),
            "unique_id": view.claim.id,
        }
        if end is not None:
            event["end_date"] = end
        events.append(event)
    about = [f"about {selection.entity}"] if selection.entity else []
    about += [f"as of {selection.as_of}"] if selection.as_of else []
    summary = " ".join([f"{len(events)} claims", *about])
    return {"title": {"text": {"headline": "Hindsight",
                               "text": f"<p>{escape(summary)}, with their sources</p>"}},
            "events": events}


def export_timelinejs(archive: Archive, path: Path, selection: Selection) -> int:
    doc = document(archive, selection)
    write_json(path, doc, archive)
    return len(doc["events"])
