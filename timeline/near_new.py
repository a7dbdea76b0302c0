"""An import's new entities whose names are close to names the archive already held.

``record`` refuses a new name close to a name the archive holds until it is confirmed
(``NearNames``; ``--new-entity``). An import never refuses one — a file written before must
import as it always did — but it says so: each such new entity, with the names it is close
to, is in the import's report (``ImportReport.near``), so that the historian can merge what
was one entity all along.

The rule is the one ``record`` asks, in its one place: ``timeline.closeness`` (``near_name``
decides, ``ranked`` orders). Only the names it is asked about are read differently: for a few
new entities, ``ReadModel.near_names`` searches the names table for each, as ``record`` does;
for more, a search each would read the whole table each time (a thousand new entities
against a hundred thousand names: minutes), so the names held are read once and indexed
(``HeldNames``). A new name is compared with the names and aliases of the entities the archive
held before the import, not with the file's other new names: those are the file's own
vocabulary, and a file that holds both "Mira" and "Mira Murati" as two entities says so on
purpose (an export of an archive where both were confirmed does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from timeline.closeness import NEAR_READ, name_tokens, pieces, ranked, typo_limit
from timeline.domain import entity_stream, normalise_name
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
    if len(ids) < INDEX_FROM:  # a few: asked one by one, as record asks
        def close_to(name: str) -> list[tuple[str, str, str]]:
            return readmodel.near_names(name, NEAR_LIMIT, before=before)
    else:
        held = HeldNames(readmodel.db.execute(
            "SELECT n.norm, n.name, e.id, e.kind, e.name FROM names n JOIN entities e "
            "ON e.id = n.entity_id WHERE e.position <= ?", [before]))

        def close_to(name: str) -> list[tuple[str, str, str]]:
            key = normalise_name(name)
            return ranked(key, held.candidates(key), NEAR_LIMIT)
    notes = []
    for name, entity_id in zip(created, ids, strict=True):
        if entity_id not in found:
            continue
        close = close_to(name)
        if close:
            notes.append(NearNew(name, found[entity_id][0], tuple(close)))
    return tuple(notes)


#: From this many new entities on, the names held are read once and indexed (``HeldNames``)
#: instead of searched once a new name: each search reads the whole names table.
INDEX_FROM = 20
#: How many close names a note lists, as ``record``'s question does.
NEAR_LIMIT = 5
#: A name ``TYPOS`` edits from another keeps one of its ``TYPOS + 1`` pieces unchanged.
TYPOS = 2


class HeldNames:
    """The names an archive held, read once and indexed for ``near_name``'s two ways of being
    close to a new name: by word, and by piece. A name at most ``TYPOS`` edits from another
    keeps one of its ``TYPOS + 1`` pieces unchanged, moved by ``TYPOS`` places at most; so
    each name is indexed by its pieces (with its length and where each is), and a new name
    looks its own text up at those places. What it finds is a superset; ``ranked`` decides,
    as it does for ``ReadModel.near_names`` (of the names sharing a word, too, the
    ``NEAR_READ`` nearest in length)."""

    def __init__(self, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        self.rows = list(rows)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.by_piece: dict[tuple[int, int, str], list[int]] = defaultdict(list)
        for k, (norm, *_) in enumerate(self.rows):
            for word in name_tokens(norm):
                self.by_word[word].append(k)
            if typo_limit(len(norm)):
                for i, (a, b) in enumerate(pieces(len(norm), TYPOS)):
                    self.by_piece[(len(norm), i, norm[a:b])].append(k)

    def candidates(self, key: str) -> list[tuple[str, str, str, str, str]]:
        sharing = {k for word in name_tokens(key) for k in self.by_word.get(word, ())}
        if len(sharing) > NEAR_READ:
            sharing = set(sorted(sharing, key=lambda k: abs(len(self.rows[k][0]) - len(key)))
                          [:NEAR_READ])
        found = set(sharing)
        for length in range(len(key) - TYPOS, len(key) + TYPOS + 1):
            if not typo_limit(min(length, len(key))):
                continue
            for i, (a, b) in enumerate(pieces(length, TYPOS)):
                for at in range(max(0, a - TYPOS), min(len(key) - (b - a), a + TYPOS) + 1):
                    found.update(self.by_piece.get((length, i, key[at:at + b - a]), ()))
        return [self.rows[k] for k in found]
