"""The read model's sources: one row per source (table ``sources``), kept from the
``SourceRegistered`` events (``register`` adds the handler to the projection) and read by
``SourceLookups``.

A row holds the source's text, its CSL metadata (``timeline.sourcemeta``; the authors as a
JSON list), where each of its pages starts (``pages``, a JSON list) and, for a later version
of a source, the id of its first version (``version_of``). A source is read back as a dict:
the fields of the event (``source_id`` as ``id``), plus ``published_day``.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from timeline import dates
from timeline.domain import SourceRegistered

#: The columns of the table, in order (``published_day``: the day the source made things
#: known, ``dates.known_day`` of ``published`` in its ``calendar``).
COLUMNS = ("id", "title", "published", "published_day", "url", "text", "type", "authors",
           "container", "publisher", "accessed", "archive", "archive_location", "locator",
           "language", "note", "pages", "version_of", "calendar")
_JSON = frozenset({"authors", "pages"})
_SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM sources"


def _published_day(text: str, calendar: str) -> int:
    try:
        return dates.known_day(text, calendar)
    except dates.DateError:  # a year out of range, stored by an older version
        return dates.stored(lambda t: dates.known_day(t, calendar), text)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _registered(readmodel: Any, event: SourceRegistered) -> None:
    row = {"id": event.source_id, "published_day": _published_day(event.published, event.calendar),
           "authors": _compact([a.model_dump(exclude_defaults=True) for a in event.authors]),
           "pages": _compact(list(event.pages))}
    values = [row[c] if c in row else getattr(event, c) for c in COLUMNS]
    readmodel.db.execute(
        f"INSERT OR REPLACE INTO sources VALUES ({', '.join('?' * len(COLUMNS))})", values)


def register(apply: Any) -> None:
    """Add the source event's handler to the projection's ``apply`` (a
    singledispatchmethod)."""
    apply.register(SourceRegistered, _registered)


def _source(row: tuple[Any, ...]) -> dict[str, Any]:
    found = dict(zip(COLUMNS, row, strict=True))
    for name in _JSON:
        found[name] = json.loads(found[name]) if found[name] else []
    for name, value in found.items():
        if value is None:  # a column an older row leaves empty
            found[name] = ""
    return found


class SourceLookups:
    """Sources by id, and the versions of one (mixed into ``Lookups``)."""

    db: sqlite_utils.Database

    def source(self, source_id: str) -> dict[str, Any] | None:
        row = self.db.execute(f"{_SELECT} WHERE id = ?", [source_id]).fetchone()
        return _source(row) if row is not None else None

    def sources(self) -> list[dict[str, Any]]:
        return [_source(row) for row in self.db.execute(f"{_SELECT} ORDER BY id")]

    def source_versions(self, source_id: str) -> list[dict[str, Any]]:
        """Every version of the source ``source_id`` is one of — its first version and the
        later ones — in order of publication (then of id); [] for an unknown source."""
        found = self.source(source_id)
        if found is None:
            return []
        root = found["version_of"] or found["id"]
        rows = self.db.execute(f"{_SELECT} WHERE id = ? OR version_of = ? "
                               "ORDER BY published_day, id != ?, id", [root, root, root])
        return [_source(row) for row in rows]
