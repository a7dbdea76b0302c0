"""The write side: the archive's commands, each validated by a ``Batch`` and then appended.

``Commands`` gives the archive its one-event commands (record, retract, supersede, rerank,
alias, merge, add a source, define a predicate, tag and untag), each a batch of its own
(``timeline.batch``), retried when another writer got in first and the write means the same
whatever it wrote; and ``bulk_batch`` for an import of any size.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from timeline.batch import Batch
from timeline.claimfields import today
from timeline.errors import Conflict
from timeline.readmodel import ReadModel, collector_paused
from timeline.readmodel.projection import ReadModelBehind
from timeline.store import ConcurrentWrite, EventStore, StoreBusy
from timeline.tagging import stage_tag, stage_untag

if TYPE_CHECKING:
    from timeline.app import Archive

__all__ = ["WRITE_ATTEMPTS", "WRITE_PAUSE", "Batch", "Commands", "today"]


#: How often an idempotent write is re-validated and retried after losing a race.
WRITE_ATTEMPTS = 8
#: The pause (seconds) before the first retry of an idempotent write; it doubles each time.
WRITE_PAUSE = 0.02

T = TypeVar("T")


class Commands:
    """The archive's commands. Mixed into ``Archive``, which provides the store, the read
    model and ``refresh``."""

    store: EventStore
    readmodel: ReadModel

    def refresh(self) -> int:  # pragma: no cover - Archive's
        raise NotImplementedError

    def entity(self, name: str) -> dict[str, Any]:  # pragma: no cover - Archive's
        raise NotImplementedError

    def batch(self) -> Batch:
        return Batch(cast("Archive", self))

    @contextmanager
    def bulk_batch(self, chunk: int = 5000) -> Iterator[Batch]:
        """A batch for writes of any size (an import): on an SQLite or PostgreSQL archive what
        is staged is written every ``chunk`` events into one open transaction, so memory stays
        flat however large the file; leaving the block commits it all, and an exception writes
        nothing. Other writers wait for the end of the block. The in-memory store stages
        everything and appends it in one transaction at the end."""
        readmodel = self.readmodel
        try:
            with self.store.bulk() as bulk, collector_paused():
                if not bulk:
                    batch = self.batch()
                    yield batch
                    batch.commit()
                    return
                self.refresh()  # what others committed before the lock was ours
                readmodel.begin_bulk()
                batch = Batch(cast("Archive", self), chunk=chunk)
                yield batch
                batch.flush()
        except BaseException:
            readmodel.end_bulk(commit=False)
            raise
        readmodel.end_bulk(commit=True)
        self.refresh()

    def _idempotent(self, stage: Callable[[Batch], T]) -> T:
        """Write what ``stage`` validates; when another writer got in first (say, creating the
        same entity) or held the archive (SQLite's "database is locked"), wait a moment
        (doubling, with jitter), validate again against what it wrote and retry, up to
        ``WRITE_ATTEMPTS`` times. Only for writes that mean the same whatever was written
        meanwhile: recording a claim, adding a source.

        When the write was stored but the read model could not apply it (a full disk), the
        error says both: what was written, and that the read model catches up later."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            batch = self.batch()
            result = stage(batch)
            try:
                batch.commit()
            except (ConcurrentWrite, StoreBusy):
                if attempt == WRITE_ATTEMPTS:
                    raise
                time.sleep(WRITE_PAUSE * 2 ** (attempt - 1) * (0.5 + random.random()))
                self.refresh()
                continue
            except ReadModelBehind as exc:
                what = f"claim '{result}'" if isinstance(result, str) else "the write"
                raise ReadModelBehind(exc.where, exc.reason, (
                    f"{what} was stored in the archive, but its read model ({exc.where}) could "
                    f"not be updated ({exc.reason}); it catches up from the archive on the "
                    "next open")) from None
            return result
        raise AssertionError("unreachable")

    def _correction(self, claim_id: str, stage: Callable[[Batch], T]) -> T:
        """A correction is decided on the claim as this client saw it: when another writer
        corrected the claim meanwhile, the store refuses it (optimistic concurrency on the
        claim's stream version) and nothing is written."""
        batch = self.batch()
        result = stage(batch)
        try:
            batch.commit()
        except ConcurrentWrite:
            raise Conflict(f"claim '{claim_id}' was corrected by another writer at the same "
                           "time; nothing was written — look at it again before retrying"
                           ) from None
        return result

    def record(self, subject: str, predicate: str, *, valid: str | Mapping[str, Any],
               value: str | None = None, object: str | None = None,
               sources: Sequence[tuple[str, str]] = (),
               known_at: str | None = None, certainty: float = 1.0, rank: str = "normal",
               note: str = "", kind: str | None = None, new_entity: bool | None = None,
               account_of: str | None = None, calendar: str | None = None) -> str:
        """Record a claim (``Batch.record``: ``kind`` of a new entity; ``new_entity=False``
        refuses a new name close to names the archive holds, ``True`` confirms it;
        ``account_of`` ties it to a claim it is another account of; ``calendar`` is the
        calendar ``valid`` is written in, ``gregorian`` or ``julian``)."""
        return self._idempotent(lambda batch: batch.record(
            subject, predicate, valid=valid, value=value, object=object, sources=sources,
            known_at=known_at, certainty=certainty, rank=rank, note=note, kind=kind,
            new_entity=new_entity, account_of=account_of, calendar=calendar))

    def retract(self, claim_id: str, known_at: str | None = None, reason: str = "") -> None:
        self._correction(claim_id, lambda batch: batch.retract(claim_id, known_at, reason))

    def supersede(self, claim_id: str, *, known_at: str | None = None, reason: str = "",
                  **replacement: Any) -> str:
        return self._correction(claim_id, lambda batch: batch.supersede(
            claim_id, known_at=known_at, reason=reason, **replacement))

    def rerank(self, claim_id: str, rank: str, known_at: str | None = None,
               reason: str = "") -> None:
        self._correction(claim_id, lambda batch: batch.rerank(claim_id, rank, known_at, reason))

    def alias(self, name: str, alias: str) -> None:
        with self.batch() as batch:
            batch.alias(self.entity(name)["name"], alias)

    def merge(self, name: str, other: str) -> str:
        """Merge ``other`` into ``name``; returns what became of their kinds, when they
        differed (the more specific is kept), else ""."""
        with self.batch() as batch:
            return batch.merge(name, other)

    def add_source(self, source_id: str, title: str, published: str, text: str,
                   url: str = "", *, pages: Sequence[int] = (), version_of: str = "",
                   meta: Mapping[str, Any] | None = None, calendar: str | None = None) -> bool:
        """Register a source (``Batch.source``): ``pages`` where each page starts in the
        text, ``version_of`` the source it is a later version of, ``meta`` its CSL metadata
        (``timeline.sourcemeta.METADATA_FIELDS``), ``calendar`` the calendar ``published`` is
        written in. False when it is there already."""
        return self._idempotent(lambda batch: batch.source(
            source_id, title, published, text, url, pages=pages, version_of=version_of,
            meta=meta, calendar=calendar))

    def tag(self, kind: str, target_id: str, tag: str) -> bool:
        """Put ``tag`` on a claim (``kind`` "claim") or a source ("source"); False, and nothing
        written, when it has that tag already (``timeline.tagging``). NotFound for an unknown
        claim or source, InvalidInput for a tag that is not one (``domain.clean_tag``)."""
        return self._idempotent(lambda batch: stage_tag(batch, kind, target_id, tag))

    def cite(self, claim_id: str, source: str, quote: str) -> bool:
        """Add a citation (``quote``, verbatim in ``source``) to a recorded claim; False, and
        nothing written, when the claim cites it already (``timeline.citing``)."""
        return self._idempotent(lambda batch: batch.cite(claim_id, source, quote))

    def untag(self, kind: str, target_id: str, tag: str) -> None:
        """Take ``tag`` off a claim or a source; NotFound when it does not have it."""
        self._idempotent(lambda batch: stage_untag(batch, kind, target_id, tag))

    def define_predicate(self, name: str, label: str = "", single: bool | str = False) -> None:
        """Define or redefine a predicate. ``single``: False (multi-valued), True or
        "subject" (one answer per subject), "object" (one holder per object: an office) or
        "both"."""
        with self.batch() as batch:
            batch.predicate(name, label, single, redefine=True)


