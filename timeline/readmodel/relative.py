"""Relative dates in the read model (timeline.relative): their bounds, resolved against the
anchor's stored bounds when the claim is projected, and their form, kept for history and
export.

A claim is immutable and so is its anchor: the bounds resolved once stay right. Following an
anchor that is superseded is the write side's (``timeline.relative_batch``): the dependent is
superseded in turn by a claim relative to the replacement, from the same known day, so that an
answer "as known on R" resolves against the anchor in force on R.

Tables (schema.py): ``relatives`` (a relative claim's stored ``valid`` and its form as JSON)
and ``relative_anchors`` (which claims each anchor dates).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from timeline import dates, relative
from timeline.dates import Span
from timeline.domain import ClaimRecorded


def resolve(db: Any, run: Sequence[tuple[int, ClaimRecorded, Any]], k: int
            ) -> tuple[str, Span]:
    """The valid time shown (``relative.shown_valid``) and the four bounds of the relative
    claim ``run[k]``, each anchor's bounds read from the table or, for an anchor earlier in
    the same run (not in the table yet), worked out from its event."""
    event = run[k][1]
    assert event.valid_relative is not None
    form = relative.loads(event.valid_relative)
    anchors: dict[str, relative.Bounds] = {}
    for _, anchor in form.anchors():
        row = db.execute("SELECT start_lo, start_hi, end_lo, end_hi FROM claims WHERE id = ?",
                         [anchor]).fetchone()
        if row is not None:
            anchors[anchor] = tuple(row)
            continue
        earlier = next((j for j in range(k - 1, -1, -1) if run[j][1].claim_id == anchor), None)
        if earlier is not None:
            found = run[earlier][1]
            span = dates.stored(dates.parse_span, found.valid) \
                if found.valid_relative is None else resolve(db, run, earlier)[1]
            anchors[anchor] = (span.start_lo, span.start_hi, span.end_lo, span.end_hi)
    span = form.span(anchors)
    return relative.shown_valid(form, span), span


def store(db: Any, run: Sequence[tuple[int, ClaimRecorded, Any]]) -> None:
    """Keep the relative claims of a run of new claims: their event's ``valid``, their form,
    and which claims each anchor dates."""
    rows = [(e.claim_id, e.valid, e.valid_relative) for _, e, _ in run
            if e.valid_relative is not None]
    if not rows:
        return
    conn = db.conn
    conn.executemany("INSERT OR REPLACE INTO relatives VALUES (?, ?, ?)", rows)
    conn.executemany("INSERT OR IGNORE INTO relative_anchors VALUES (?, ?)", [
        (anchor, claim_id) for claim_id, _, form in rows
        for _, anchor in relative.loads(form).anchors()])


def form_of(db: Any, claim_id: str) -> tuple[str, relative.RelativeValid] | None:
    """A relative claim's ``valid`` as its event stores it and its form; None for others."""
    row = db.execute("SELECT valid, form FROM relatives WHERE claim_id = ?",
                     [claim_id]).fetchone()
    return (row[0], relative.loads(row[1])) if row else None


def dependents(db: Any, anchor_id: str) -> list[str]:
    """The claims dated relative to ``anchor_id``, in the order they were recorded."""
    return [row[0] for row in db.execute(
        "SELECT a.claim_id FROM relative_anchors a JOIN claims c ON c.id = a.claim_id "
        "WHERE a.anchor_id = ? ORDER BY c.n", [anchor_id]).fetchall()]
