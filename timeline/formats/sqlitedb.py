"""SQLite: the archive as a standalone database for SQL and Datasette (docs/formats.md).

Built with sqlite-utils: plain tables with foreign keys (so Datasette links a claim to its
entities and a citation to its source), and full-text search over statements, notes, quotes
and source texts. A snapshot for reading; the archive itself stays the record.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from timeline import dates
from timeline.api import Archive, FactView, Selection, author_text
from timeline.formats.base import write_atomically

#: Bump when the tables below change meaning.
FORMAT = "hindsight-sqlite/1"

_TABLES: dict[str, tuple[dict[str, type], dict[str, Any]]] = {
    "about": ({"key": str, "value": str}, {"pk": "key"}),
    "predicates": ({"name": str, "label": str, "single": int, "single_side": str},
                   {"pk": "name"}),
    "entities": ({"id": str, "name": str, "kind": str, "description": str, "aliases": str},
                 {"pk": "id"}),
    "sources": ({"id": str, "title": str, "published": str, "url": str, "text": str,
                 "type": str, "authors": str, "container": str, "publisher": str,
                 "accessed": str, "archive": str, "archive_location": str, "locator": str,
                 "language": str, "note": str, "pages": str, "version_of": str,
                 "calendar": str},
                {"pk": "id"}),
    "claims": ({"id": str, "subject": str, "subject_id": str, "predicate": str, "object": str,
                "object_id": str, "value": str, "valid": str, "start_lo": str,
                "start_hi": str, "end_lo": str, "end_hi": str, "certainty": float,
                "rank": str, "known_at": str, "withdrawn_at": str, "status": str,
                "statement": str, "sources": str, "note": str, "recorded_at": str,
                "calendar": str},
               {"pk": "id", "foreign_keys": [("subject_id", "entities"),
                                             ("object_id", "entities"),
                                             ("predicate", "predicates")]}),
    "citations": ({"claim_id": str, "position": int, "source_id": str, "quote": str},
                  {"pk": ("claim_id", "position"),
                   "foreign_keys": [("claim_id", "claims"), ("source_id", "sources")]}),
    "corrections": ({"claim_id": str, "kind": str, "known_at": str, "rank": str,
                     "by_claim": str, "reason": str, "recorded_at": str},
                    {"foreign_keys": [("claim_id", "claims")]}),
}

_SEARCH = {"claims": ["statement", "note"], "citations": ["quote"], "sources": ["title", "text"]}


def _iso(day: int) -> str | None:
    text = dates.day_to_iso(day)
    return None if text == ".." else text


def _claim(view: FactView, corrections: list[dict[str, Any]]) -> dict[str, Any]:
    c = view.claim
    withdrawn = [fix["known_at"] for fix in corrections if fix["kind"] != "reranked"]
    return {
        "id": c.id, "subject": view.subject, "subject_id": c.subject_id,
        "predicate": c.predicate, "object": view.object, "object_id": c.object_id,
        "value": c.value, "valid": c.valid, "start_lo": _iso(c.start_lo),
        "start_hi": _iso(c.start_hi), "end_lo": _iso(c.end_lo), "end_hi": _iso(c.end_hi),
        "certainty": c.certainty, "rank": view.fact.rank, "known_at": c.known_at,
        "withdrawn_at": withdrawn[0] if withdrawn else None, "status": view.status or None,
        "statement": view.statement, "sources": view.sources, "note": c.note,
        "recorded_at": c.recorded_at, "calendar": c.calendar,
    }


def _source(source: dict[str, Any]) -> dict[str, Any]:
    """A source's row: its authors as "Family, Given; Literal", its pages as JSON."""
    row = {k: v for k, v in source.items() if k != "published_day"}
    row["authors"] = "; ".join(author_text(a) for a in source["authors"])
    row["pages"] = json.dumps(source["pages"]) if source["pages"] else ""
    return row


def _rows(archive: Archive, selection: Selection) -> dict[str, list[dict[str, Any]]]:
    rm = archive.readmodel
    views = selection.facts(archive, withdrawn=True)
    claims, citations, corrections = [], [], []
    for view in views:
        fixes = rm.corrections(view.claim.id)
        claims.append(_claim(view, fixes))
        citations += [{"claim_id": view.claim.id, "position": k, "source_id": cite["source"],
                       "quote": cite["quote"]} for k, cite in enumerate(view.sources)]
        corrections += [{"claim_id": view.claim.id, **fix} for fix in fixes]
    about = {"format": FORMAT, "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
             "as_of": selection.as_of, "entity": selection.entity}
    return {
        "about": [{"key": k, "value": v} for k, v in about.items() if v is not None],
        "predicates": [{"name": n, "label": label, "single": int(bool(single)),
                        "single_side": single}
                       for n, (label, single) in sorted(archive.predicates.items())],
        "entities": [{k: e[k] for k in ("id", "name", "kind", "description", "aliases")}
                     for e in archive.entities()],
        "sources": [_source(s) for s in archive.sources()],
        "claims": claims,
        "citations": citations,
        "corrections": corrections,
    }


def fill(db: sqlite_utils.Database, archive: Archive, selection: Selection) -> int:
    """Create the tables in an empty database; returns the number of claims."""
    rows = _rows(archive, selection)
    for name, (columns, options) in _TABLES.items():
        db.table(name).create(columns, **options)
        db.table(name).insert_all(rows[name])
    for name, searched in _SEARCH.items():
        db.table(name).enable_fts(searched)
    db.table("claims").create_index(["subject_id"])
    db.table("claims").create_index(["object_id"])
    db.table("citations").create_index(["source_id"])
    return len(rows["claims"])


def export_sqlite(archive: Archive, path: Path, selection: Selection) -> int:
    count = 0

    def write(tmp: Path) -> None:
        nonlocal count
        db = sqlite_utils.Database(tmp)
        try:
            with db.conn:
                count = fill(db, archive, selection)
        finally:
            db.close()

    write_atomically(path, write, archive)
    return count
