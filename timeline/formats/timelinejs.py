"""TimelineJS 3: claims as the slides of a web timeline (docs/formats.md).

One event a claim: its start and end as year, month and day cut to the EDTF date's own
precision, the EDTF date in words as the date shown (so "about", "perhaps" and seasons are not
lost: "summer 2019", "about October 2023"), the statement as headline, the sources quoted in
the text, and optionally a group (one row of the timeline per subject, or per predicate).

Groups are optional because TimelineJS gives each group a row of its own and grows its time
navigation to fit them all: with the whole seed archive (34 subjects) the navigation is pushed
below an 880-pixel page. By default a timeline of more than :data:`MAX_GROUPS` subjects has no
groups (TimelineJS then stacks the events in a few rows), a smaller one a row per subject.

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
from timeline.api import Archive, FactView, InvalidInput, Selection
from timeline.calendars import calendar_named
from timeline.datewords import words_or_text as edtf_words
from timeline.edtf_sets import is_set, parse_one_of
from timeline.formats.base import write_json

#: What the rows of the timeline are: none, one per subject, one per predicate.
GROUP_BY = ("none", "subject", "predicate")
#: With more subjects than this, the default is no groups: each group is a row of
#: TimelineJS's time navigation, and more would push it off the page.
MAX_GROUPS = 8


def _date(parts: tuple[int, ...]) -> dict[str, str]:
    return dict(zip(("year", "month", "day"), map(str, parts), strict=False))


def _side_date(side: str, calendar: str, *, last: bool) -> dates.DateRange | None:
    """One end as written, unwidened; a set of dates (one of them) gives its earliest member
    at the start and its latest at the end, none where a member is open."""
    if side in ("", ".."):
        return None
    if is_set(side):
        one_of = parse_one_of(side, None, calendar_named(calendar))
        return one_of.latest if last else one_of.earliest
    return dates.DateRange.parse(side, calendar).exact()


def _dates(valid: str, calendar: str = "gregorian"
           ) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """Start and end dates. A single date has no end; an open or unknown end has none; an
    interval without a start is placed at its end, the one date it gives. TimelineJS dates
    are Gregorian: a Julian date is placed at the Gregorian days it names."""
    lower, upper = dates.interval_sides(valid, calendar)
    start, end = _side_date(lower, calendar, last=False), _side_date(upper, calendar, last=True)
    if calendar != "gregorian":  # its first and last days, in Gregorian parts
        first = None if start is None else dates.day_parts(start.lo)
        final = None if end is None else dates.day_parts(end.hi - 1)
        if first is None:
            return (_date(final), None) if final is not None else (None, None)
        return _date(first), (_date(final) if final is not None and final != first else None)
    if start is None:
        return (_date(end.first_parts), None) if end is not None else (None, None)
    if end is None or end.text == start.text:
        return _date(start.first_parts), None
    return _date(start.first_parts), _date(end.last_parts)


def _text(view: FactView, sources: dict[str, dict[str, Any]]) -> str:
    claim = view.claim
    facts = [f"valid {edtf_words(claim.valid, claim.calendar)}",
             f"certainty {claim.certainty:g}",
             f"known {edtf_words(claim.known_at)}"]
    if view.status:
        facts.insert(0, view.status)
    html = f"<p>{escape(' · '.join(facts))}</p>"
    for cite in view.sources:  # every account's
        source = sources[cite["source"]]
        published = edtf_words(source["published"], source.get("calendar", "gregorian"))
        html += (f"<p><cite>{escape(source['title'])}, {escape(published)}</cite>: "
                 f"“{escape(cite['quote'])}”</p>")
    return html


def _group(view: FactView, group_by: str) -> str:
    if group_by == "subject":
        return view.subject
    return view.claim.predicate.replace("_", " ")


def group_by_for(views: list[FactView], group_by: str | None) -> str:
    """The grouping asked for (one of :data:`GROUP_BY`), or when None: ``subject`` for at
    most :data:`MAX_GROUPS` subjects, else ``none``."""
    if group_by is None:
        return "subject" if len({v.subject for v in views}) <= MAX_GROUPS else "none"
    if group_by not in GROUP_BY:
        raise InvalidInput(f"'{group_by}' is not a grouping ({', '.join(GROUP_BY)})",
                           "group_by")
    return group_by


def document(archive: Archive, selection: Selection, group_by: str | None = None
             ) -> dict[str, Any]:
    """A TimelineJS 3 JSON document of the selected claims, grouped by ``group_by`` (one of
    :data:`GROUP_BY`; None: by subject for at most :data:`MAX_GROUPS` subjects, else not)."""
    sources = {s["id"]: s for s in archive.sources()}
    events = []
    views = [v for v in selection.facts(archive)
             if _dates(v.claim.valid, v.claim.calendar)[0] is not None]
    grouping = group_by_for(views, group_by)
    for view in views:  # without ../..: always held, no date to place it at
        start, end = _dates(view.claim.valid, view.claim.calendar)
        event: dict[str, Any] = {
            "start_date": start,
            "display_date": escape(edtf_words(view.claim.valid, view.claim.calendar)),
            "text": {"headline": escape(view.statement), "text": _text(view, sources)},
            "unique_id": view.claim.id,
        }
        if grouping != "none":
            event["group"] = escape(_group(view, grouping))
        if end is not None:
            event["end_date"] = end
        events.append(event)
    about = [f"about {selection.entity}"] if selection.entity else []
    about += [f"as of {selection.as_of}"] if selection.as_of else []
    summary = " ".join([f"{len(events)} claims", *about])
    return {"title": {"text": {"headline": "Hindsight",
                               "text": f"<p>{escape(summary)}, with their sources</p>"}},
            "events": events}


def export_timelinejs(archive: Archive, path: Path, selection: Selection,
                      group_by: str | None = None) -> int:
    doc = document(archive, selection, group_by)
    write_json(path, doc, archive)
    return len(doc["events"])
