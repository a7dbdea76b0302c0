"""A read model of a prefix of the log: the archive exactly as it stood after its event at a
given position (``docs/time-model.md#recorded-time``).

It is built by the projection itself (``ReadModel.apply_all``), from the same events in the
same order, so everything the read model knows — merges, aliases, reranks, ties, predicate
changes, undone acts — is as it was at that point, by one rule in one place. It lives in
memory and can be moved forward to a later position without starting over.
"""

from __future__ import annotations

from timeline.readmodel.projection import ReadModel
from timeline.store import EventStore

#: Events applied in one transaction.
PAGE = 5000


class CutReadModel(ReadModel):
    """A read model in memory that holds the log's events up to ``last`` and no further."""

    def __init__(self, store: EventStore, last: int, earlier: ReadModel | None = None
                 ) -> None:
        """The cut at ``last``; from a copy of ``earlier`` (a cut at an earlier position, or
        the archive's own read model when it has applied exactly the events up to ``last``)
        when given, so that only the events between are applied — ``earlier`` is not
        changed. A copy takes a fraction of a second where applying the events again takes
        minutes on a large archive."""
        super().__init__(None)
        self._store = store
        if earlier is not None and earlier.position <= last:
            earlier.db.conn.backup(self.db.conn)
        self.advance(last)

    def advance(self, last: int) -> None:
        """Apply the events after the current position up to and including ``last``."""
        conn = self.db.conn
        while self.position < last:
            page = [n for n in self._store.notifications(self.position,
                                                         min(PAGE, last - self.position))
                    if n.position <= last]
            if not page:
                break
            conn.execute("BEGIN IMMEDIATE")
            try:
                self.apply_all(page)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def catch_up(self, store: EventStore, batch: int = 5000) -> int:
        """A cut never follows the log past its position: nothing to apply."""
        return 0
