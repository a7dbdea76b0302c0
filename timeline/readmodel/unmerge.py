"""The read model's handler of ``MergeUndone`` (the undoing of a merge, ``timeline.undo``):
the absorbed entity is itself again. The event carries what the merge took — the entities
that were merged into it before, its names, the claims whose recorded subject or object was
one of them, the kind the kept entity had — so applying it needs nothing but the read model
(the same in a catch-up and in a rebuild). ``readmodel.undo.register`` adds it.

A claim's slot and answer follow its object back; whether it shares a fact with another
claim (``shared``) is computed again for every claim about either entity.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from timeline.domain import MergeUndone, normalise_name
from timeline.readmodel import search

#: ``shared`` as ``SHARE_NEW`` and ``SHARE_MERGED`` leave it: 1 when the claim is an account
#: tied to another, tied to, or gives the same fact as another claim; 2 when one is tied to it.
_RESHARE = """
UPDATE claims SET shared = (CASE WHEN tie IS NOT NULL OR EXISTS (
        SELECT 1 FROM claims x INDEXED BY claims_slot WHERE x.subject_id = claims.subject_id
        AND x.predicate = claims.predicate AND x.slot_object = claims.slot_object
        AND x.answer = claims.answer AND x.n != claims.n)
    OR EXISTS (SELECT 1 FROM claims t WHERE t.tie = claims.id) THEN 1 ELSE 0 END)
    | (CASE WHEN EXISTS (SELECT 1 FROM claims t WHERE t.tie = claims.id) THEN 2 ELSE 0 END)
WHERE subject_id IN (:a, :b) OR object_id IN (:a, :b)
"""


def _in(ids: Sequence[str]) -> str:
    return ", ".join("?" * len(ids))


def _unmerged(readmodel: Any, event: MergeUndone) -> None:
    db = readmodel.db
    absorbed, into = str(event.originator_id), str(event.into)
    db.execute("UPDATE entities SET merged_into = NULL WHERE id = ?", [absorbed])
    others = [e for e in event.entities if e != absorbed]
    if others:
        db.execute(f"UPDATE entities SET merged_into = ? WHERE id IN ({_in(others)})",
                   [absorbed, *others])
    db.execute("UPDATE entities SET kind = ? WHERE id = ?", [event.into_kind, into])
    own = db.execute("SELECT name FROM entities WHERE id = ?", [absorbed]).fetchone()
    own_norm = normalise_name(own[0]) if own else None
    for name in event.names:
        norm = normalise_name(name)
        db.execute("UPDATE names SET entity_id = ?, is_alias = ? WHERE norm = ? AND "
                   "entity_id = ?", [absorbed, int(norm != own_norm), norm, into])
    for k in range(0, len(event.subjects), 500):
        part = list(event.subjects[k:k + 500])
        db.execute(f"UPDATE claims SET subject_id = ? WHERE subject_id = ? AND id IN "
                   f"({_in(part)})", [absorbed, into, *part])
    for k in range(0, len(event.objects), 500):
        part = list(event.objects[k:k + 500])
        db.execute("UPDATE claims SET object_id = :a, slot_object = CASE WHEN value IS NOT "
                   "NULL THEN :a ELSE '' END, answer = CASE WHEN value IS NOT NULL THEN value "
                   f"ELSE 'entity:' || :a END WHERE object_id = :b AND id IN "
                   f"({', '.join(f':c{j}' for j in range(len(part)))})",
                   {"a": absorbed, "b": into, **{f"c{j}": c for j, c in enumerate(part)}})
    db.execute(_RESHARE, {"a": absorbed, "b": into})
    for entity in (absorbed, into, *others):
        search.index_entity(readmodel, entity)
    search.index_claims(readmodel, "c.subject_id IN (?, ?) OR c.object_id IN (?, ?)",
                        [absorbed, into, absorbed, into])


def register(apply: Any) -> None:
    """Add the handler of ``MergeUndone`` to the projection's ``apply``."""
    apply.register(MergeUndone, _unmerged)
