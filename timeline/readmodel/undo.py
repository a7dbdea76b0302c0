"""The read model's handlers of the undo events (``timeline.undo``): a claim restored (its
withdrawal annulled), an alias removed, a source withdrawn, and the undo marker.
``register`` adds them — and the tag handlers (``readmodel.tags``) — to the projection.

A restoration annuls the claim's withdrawal, so the claim is back in every "as known on"
answer as if the retraction or supersession had never been recorded: its ``withdrawn_day`` is
open again (``POS_INF``) and its rectangle in ``claim_index`` spans every known day from its
own. A claim is withdrawn once at a time (``ClaimHistory``), so after a restoration no other
withdrawal is in force. The withdrawal and its restoration both stay in ``corrections``.
"""

from __future__ import annotations

from typing import Any

from timeline.dates import POS_INF
from timeline.domain import (
    ActUndone,
    AliasRemoved,
    ClaimRestored,
    SourceWithdrawn,
    normalise_name,
)
from timeline.readmodel import tags, unmerge


def _restored(readmodel: Any, event: ClaimRestored) -> None:
    claim_id = readmodel._claim_id(event)
    n, start_lo, end_hi, known = readmodel.db.execute(
        "SELECT n, start_lo, end_hi, known_day FROM claims WHERE id = ?", [claim_id]).fetchone()
    readmodel.db.execute("UPDATE claims SET withdrawn_day = ?, withdrawn_pos = 0 WHERE n = ?",
                         [POS_INF, n])
    readmodel.db.execute("DELETE FROM claim_index WHERE n = ?", [n])
    readmodel.db.execute("INSERT INTO claim_index VALUES (?, ?, ?, ?, ?)",
                         [n, start_lo, end_hi - 1, known, POS_INF])
    readmodel._correction(event, claim_id, "restored")


def _alias_removed(readmodel: Any, event: AliasRemoved) -> None:
    readmodel.db.execute("DELETE FROM names WHERE norm = ? AND is_alias = 1 AND entity_id = ?",
                         [normalise_name(event.alias),
                          readmodel.canonical(str(event.originator_id))])


def _source_withdrawn(readmodel: Any, event: SourceWithdrawn) -> None:
    """The source and its row of the full-text index dropped: unknown again (undo refuses
    while a claim cites it, a later version names it or a tag is on it)."""
    readmodel.db.execute("DELETE FROM sources WHERE id = ?", [event.source_id])
    key = readmodel.db.execute("SELECT key FROM search_targets WHERE kind = 'source' AND "
                               "target = ?", [event.source_id]).fetchone()
    if key is not None:
        readmodel.db.execute("DELETE FROM search WHERE rowid = ?", [-int(key[0])])


def _undone(readmodel: Any, event: ActUndone) -> None:
    """The marker changes no answer: its compensating events, written with it, do."""


def register(apply: Any) -> None:
    """Add the tag and undo events' handlers to the projection's ``apply``."""
    tags.register(apply)
    unmerge.register(apply)
    apply.register(ClaimRestored, _restored)
    apply.register(AliasRemoved, _alias_removed)
    apply.register(ActUndone, _undone)
    apply.register(SourceWithdrawn, _source_withdrawn)
