"""Which events a question "as recorded at position P" can see past: the read model's
``structure`` position (``docs/time-model.md#recorded-time``).

The read model answers "as recorded at P" itself when every event after P that it has applied
changed it only in ways a filter on log positions undoes: a claim recorded after P (its
``position``), a withdrawal recorded after P (``withdrawn_pos``), a rerank recorded after P
(``ranks.position``), an entity created after P (``entities.position``). Any other change —
a merge, an alias, a predicate redefined, a claim restored, a tag, a citation added, a claim
withdrawn a second time earlier than before — leaves rows that no filter can turn back into
those of P. ``note`` records the position of the last such event in ``meta`` (``structure``);
at a P before it, only a cut of the log (``readmodel.cut``) gives the answer.

Only what an as-of answer reads counts: sources (registered or withdrawn) are in no as-of
answer, so they never move the structure position; undoing an act writes its compensating
events, which count each by its own kind (the ``ActUndone`` marker changes nothing).
"""

from __future__ import annotations

from typing import Any

from timeline import dates
from timeline.dates import POS_INF
from timeline.domain import (
    ActUndone,
    ClaimRecorded,
    ClaimReranked,
    ClaimRetracted,
    ClaimSuperseded,
    DomainEvent,
    EntityCreated,
    PredicateDefined,
    SourceRegistered,
    SourceWithdrawn,
    normalise_name,
    single_side,
)
from timeline.readmodel.streams import claim_of

#: Events whose every change a position filter undoes, whatever the read model holds.
ALWAYS_EXACT = (ClaimRecorded, ClaimReranked, ActUndone, SourceRegistered, SourceWithdrawn)


def _known_day(text: str) -> int:
    """A known time as the projection reads it (``projection._known_day``)."""
    try:
        return dates.known_day(text)
    except dates.DateError:  # a year out of range, stored by an older version
        return dates.stored(dates.known_day, text)


def exact(db: Any, event: DomainEvent) -> bool:
    """Whether applying ``event`` to the read model (as it is, before) changes it only in
    ways a filter on log positions undoes."""
    if isinstance(event, ALWAYS_EXACT):
        return True
    if isinstance(event, ClaimRetracted | ClaimSuperseded):
        row = claim_of(db, event.originator_id, "c.withdrawn_day")
        if row is None:
            return False
        withdrawn = row[1]
        # A first withdrawal: ``withdrawn_pos`` undoes it (one known before the claim takes it
        # out of the interval index, but a question as recorded earlier finds it through
        # ``claims_unindexed``). A later one that withdraws it earlier than the first changes
        # the first's day; one no earlier than the first changes nothing.
        return withdrawn == POS_INF or _known_day(event.known_at) >= withdrawn
    if isinstance(event, EntityCreated):
        return db.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM entities WHERE id = ?) AND NOT EXISTS "
            "(SELECT 1 FROM names WHERE norm = ?)",
            [str(event.originator_id), normalise_name(event.name)]).fetchone()[0] == 1
    if isinstance(event, PredicateDefined):
        row = db.execute("SELECT label, single FROM predicates WHERE name = ?",
                         [event.name]).fetchone()
        return row is None or tuple(row) == (event.label, single_side(event.single))
    return False


def note(readmodel: Any, event: DomainEvent, position: int) -> None:
    """Before ``event`` (at ``position``) is applied: move the structure position to it when
    a position filter cannot undo it."""
    if not exact(readmodel.db, event):
        readmodel.db.execute("INSERT OR REPLACE INTO meta VALUES ('structure', ?)",
                             [str(position)])


def position(db: Any) -> int:
    """The structure position (0: every event applied is undone by a position filter)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'structure'").fetchone()
    return int(row[0]) if row else 0
