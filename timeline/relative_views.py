"""Relative dates in words, for answers (``Archive.history``, the app): "end: 1 day after the
start of “Parliament voted: no confidence” (vote)" (timeline.relative)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from timeline import relative
from timeline.readmodel import relative as relative_rows

if TYPE_CHECKING:
    from timeline.app import Archive


def relative_form(archive: Archive, claim_id: str) -> dict[str, Any] | None:
    """A claim's relative valid time as Hindsight JSON writes it, or None."""
    found = relative_rows.form_of(archive.readmodel.db, claim_id)
    return found[1].as_json() if found else None


def relative_words(archive: Archive, claim_id: str) -> str | None:
    """A claim's relative valid time in words, each anchor by its sentence and id; None for a
    claim whose dates are not relative."""
    found = relative_rows.form_of(archive.readmodel.db, claim_id)
    if found is None:
        return None

    def anchor_text(anchor_id: str) -> str:
        row = archive.readmodel.claim(anchor_id)
        if row is None:
            return f"claim {anchor_id}"
        return f"“{archive.statement(row)}” ({anchor_id})"

    return relative.words(found[1], anchor_text)
