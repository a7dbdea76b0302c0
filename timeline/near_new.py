"""An import's new entities whose names are close to names the archive already held.

``record`` refuses a new name close to a name the archive holds until it is confirmed
(``NearNames``; ``--new-entity``). An import never refuses one — a file written before must
import as it always did — but it says so: each such new entity, with the names it is close
to, is in the import's report (``ImportReport.near``), so that the historian can merge what
was one entity all along.

The rule is the one ``record`` asks, in its one place: ``ReadModel.near_names``
(``timeline.closeness.near_name``). A new name is compared with the names and aliases of the
entities the archive held before the import, not with the file's other new names: those are
the file's own vocabulary, and a file that holds both "Mira" and "Mira Murati" as two
entities says so on purpose (an export of an archive where both were confirmed does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from timeline.domain import entity_stream
from timeline.readmodel import ReadModel


@dataclass(frozen=True)
class NearNew:
    """A new entity of an import, close to names the archive held before it."""

    #: The new entity's name, as stored, and its kind.
    name: str
    kind: str
    #: The names it is close to, closest first: each as (the name, its entity's kind, its
    #: entity's name — the name itself unless it is an alias).
    close: tuple[tuple[str, str, str], ...]


def near_new(readmodel: ReadModel, created: Sequence[str]) -> tuple[NearNew, ...]:
    """Those of the entities an import created (``Batch.created``, once written) whose names
    are close to names of entities the archive held before: in the order they were created.

    Which entities were held before is told by their position: an import holds the archive
    from its first event to its last, so every entity created before its first new entity was
    there before it, and none after. An archive that held no entity then has nothing to
    compare with, and costs nothing."""
    if not created:
        return ()
    ids = [str(entity_stream(name)) for name in created]
    found: dict[str, tuple[str, int]] = {}
    for k in range(0, len(ids), 500):
        part = ids[k:k + 500]
        found.update((entity_id, (kind, position)) for entity_id, kind, position in
                     readmodel.db.execute(
                         "SELECT id, kind, position FROM entities WHERE id IN "
                         f"({', '.join('?' * len(part))})", part))
    if not found:
        return ()
    before = min(position for _, position in found.values()) - 1
    if readmodel.db.execute("SELECT 1 FROM entities WHERE position <= ? LIMIT 1",
                            [before]).fetchone() is None:
        return ()
    notes = []
    for name, entity_id in zip(created, ids, strict=True):
        if entity_id not in found:
            continue
        close = readmodel.near_names(name, before=before)
        if close:
            notes.append(NearNew(name, found[entity_id][0], tuple(close)))
    return tuple(notes)
