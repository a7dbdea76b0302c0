"""The read model's citations added to recorded claims (``domain.CitationAdded``,
``timeline.citing``): each one is appended to its claim's citations (``claims.citations``,
what every view of the claim shows) and kept in the table ``added_citations``, from which
Hindsight JSON writes them apart from the claim as it was recorded."""

from __future__ import annotations

import json
from typing import Any

from timeline.domain import CitationAdded
from timeline.readmodel import search


def _added(readmodel: Any, event: CitationAdded) -> None:
    claim_id = readmodel._claim_id(event)
    row = readmodel.db.execute("SELECT citations FROM claims WHERE id = ?",
                               [claim_id]).fetchone()
    citations = json.loads(row[0] or "[]") if row else []
    citations.append({"source": event.source, "quote": event.quote})
    readmodel.db.execute("UPDATE claims SET citations = ? WHERE id = ?",
                         [json.dumps(citations, ensure_ascii=False, separators=(",", ":")),
                          claim_id])
    readmodel.db.execute("INSERT INTO added_citations VALUES (?, ?, ?, ?)",
                         [claim_id, event.source, event.quote, readmodel._position])
    search.index_claims(readmodel, "c.id = ?", [claim_id])  # its quotes are searched


def register(apply: Any) -> None:
    """Add the handler of ``CitationAdded`` to the projection's ``apply``."""
    apply.register(CitationAdded, _added)


def added_rows(readmodel: Any) -> list[tuple[str, str, str]]:
    """(claim id, source, quote) of every citation added, in the order they were added."""
    return [tuple(r) for r in readmodel.db.execute(
        "SELECT claim_id, source, quote FROM added_citations ORDER BY position, rowid")]


def recorded_citations(readmodel: Any, claim_id: str,
                       citations: list[dict[str, str]]) -> list[dict[str, str]]:
    """A claim's citations as it was recorded: ``citations`` (all of them, as the read model
    keeps them) without those added later."""
    out = list(citations)
    for source, quote in readmodel.db.execute(
            "SELECT source, quote FROM added_citations WHERE claim_id = ? "
            "ORDER BY position DESC", [claim_id]):
        for k in range(len(out) - 1, -1, -1):
            if out[k].get("source") == source and out[k].get("quote") == quote:
                del out[k]
                break
    return out
