"""Recorded time: when the archive itself took in each event (docs/time-model.md#recorded-time).

"As recorded on T" is the archive exactly as it stood after the last event whose timestamp
(the event's own, UTC, set when it was written) is at or before T: a cut of the log at that
event's position P. An as-of question is answered from the archive's own read model, filtered
by log position (``facts_as_of(..., recorded=P)``), when nothing the read model applied after
P is beyond such a filter (``readmodel.structure``). Anything else — an as-of question at a P
before the structure position, history, diff's transitions, an export — comes from a read
model of that prefix of the log, projected by the same code as the archive's own
(``readmodel.cut``), built the first time it is needed, so every rule — merges, aliases,
reranks, corrections, undone acts — applies as it did then.

A DATE means the end of that day, UTC (everything recorded on it); a DATETIME (ISO 8601, with
or without ``Z`` or an offset; without one it is UTC) is exact.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

from timeline import dates
from timeline.app import Archive, unknown_entity
from timeline.errors import InvalidInput, NotFound
from timeline.readmodel import ReadModel, structure
from timeline.readmodel.cut import CutReadModel
from timeline.views import State

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_STAMP = re.compile(rb'"timestamp":"([^"\\]+)"')
#: The timestamp as the library writes it: UTC to the second, microseconds unless zero.
_UTC_STAMP = re.compile(rb'"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{6}))?Z"')
_HAS_TIME = re.compile(r"\d[T ]\d")
_END_OF_DAY = time(23, 59, 59, 999999)


def _micros(moment: datetime) -> int:
    """A moment as microseconds since 1970-01-01 UTC."""
    delta = moment.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def recorded_instant(text: str | datetime, field: str = "recorded_as_of") -> datetime:
    """A ``--recorded-as-of`` value as a moment in UTC: a date means the last microsecond of
    that day (any single EDTF date or ``today``: the last day it covers); a date and time
    (ISO 8601) is that moment, UTC when it gives no offset. InvalidInput names ``field``."""
    if isinstance(text, datetime):
        return text.replace(tzinfo=UTC) if text.tzinfo is None else text.astimezone(UTC)
    text = text.strip()
    if _HAS_TIME.search(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(f"'{text}' is not a date and time (ISO 8601, e.g. "
                               "2025-03-01T14:30:00Z)", field) from None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    try:
        day = dates.parse_day(text)
    except dates.DateError as exc:
        raise InvalidInput(f"{exc} (give a date, or a date and time such as "
                           "2025-03-01T14:30:00Z)", field) from None
    first, last = date(1, 1, 1).toordinal(), date(9999, 12, 31).toordinal()
    ordinal = day + date(1970, 1, 1).toordinal()
    if not first <= ordinal <= last:
        raise InvalidInput(f"'{text}' is not a day of the years 1 to 9999, when events are "
                           "recorded", field)
    return datetime.combine(date.fromordinal(ordinal), _END_OF_DAY, tzinfo=UTC)


def instant_text(moment: datetime) -> str:
    """A recorded moment as JSON gives it: ISO 8601 in UTC with a ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _stamp_in(state: bytes) -> datetime | None:
    """The timestamp written in (the first bytes of) a stored state, if it is there."""
    found = _STAMP.search(state)
    return datetime.fromisoformat(found[1].decode()) if found else None


def _whole_stamp(store: Any, position: int) -> datetime:
    """The timestamp of the event at ``position``, from its whole stored state."""
    row = store.stored_rows(position - 1, only=True)[0]
    return _stamp_in(bytes(row.state)) or store.decode(row).timestamp


class RecordedTimes:
    """Each event's position and timestamp, read once from the log and extended as it grows
    (the first bytes of each stored state are read, not decoded; a state whose first bytes do
    not hold the timestamp is read whole, and decoded if need be)."""

    def __init__(self) -> None:
        self.positions = array("q")
        self.stamps = array("q")  # microseconds, UTC
        self._ordered = True  # the timestamps never go down along the log

    def extend(self, store: Any) -> None:
        after = self.positions[-1] if self.positions else 0
        seconds: dict[bytes, int] = {}
        while True:
            rows = store.stamp_rows(after, 20_000)
            if not rows:
                return
            for position, head in rows:
                utc = _UTC_STAMP.match(head, 1)
                if utc is not None:  # most: the second's microseconds, read once a second
                    second = seconds.get(utc[1])
                    if second is None:
                        second = seconds[utc[1]] = _micros(datetime.fromisoformat(
                            utc[1].decode() + "+00:00"))
                    stamp = second + (int(utc[2]) if utc[2] else 0)
                else:
                    stamp = _micros(_stamp_in(head) or _whole_stamp(store, position))
                if self.stamps and stamp < self.stamps[-1]:
                    self._ordered = False
                self.positions.append(position)
                self.stamps.append(stamp)
            after = rows[-1][0]

    def position_at(self, moment: datetime) -> int:
        """The position of the last event recorded at or before ``moment`` (0: none)."""
        bound = _micros(moment)
        if self._ordered:
            k = bisect.bisect_right(self.stamps, bound)
            return self.positions[k - 1] if k else 0
        return next((p for p, s in zip(reversed(self.positions), reversed(self.stamps),
                                       strict=True) if s <= bound), 0)

    def after(self, position: int) -> int:
        """How many events the log holds after ``position``."""
        return len(self.positions) - bisect.bisect_right(self.positions, position)


def recorded_times(archive: Archive) -> RecordedTimes:
    """The archive's events' positions and timestamps, read once and kept with it, extended
    to the log's end."""
    times: RecordedTimes | None = getattr(archive, "_recorded_times", None)
    if times is None:
        times = RecordedTimes()
        archive._recorded_times = times  # type: ignore[attr-defined]
    times.extend(archive.store)
    return times


#: Cuts kept per archive (the last asked for), each an in-memory read model; fewer when
#: together they hold more than CUT_EVENTS_KEPT events (the last one is always kept).
CUTS_KEPT = 3
CUT_EVENTS_KEPT = 300_000


def as_recorded(archive: Archive, when: str | datetime) -> RecordedArchive:
    """The archive as it stood at ``when`` (``recorded_instant``): a read-only archive of the
    log's prefix. Its cut is made only when a question needs one (``RecordedArchive``)."""
    moment = recorded_instant(when)
    times = recorded_times(archive)
    position = times.position_at(moment)
    found = RecordedArchive(archive, position, moment)
    found.later = times.after(position)
    return found


def cut_at(archive: Archive, position: int) -> CutReadModel:
    """The read model of the archive's log up to ``position``. The last few cuts are kept,
    and a new one starts from a copy of the latest kept before it; a cut is never changed
    once made, so an answer asked of one stays the answer of its moment."""
    kept: OrderedDict[int, CutReadModel] | None = getattr(archive, "_recorded_cuts", None)
    if kept is None:
        kept = OrderedDict()
        archive._recorded_cuts = kept  # type: ignore[attr-defined]
    cut = kept.get(position)
    if cut is None:
        # Nothing recorded since: a copy of the archive's own read model. Else moved forward
        # from the latest cut kept before it, when there is one.
        earlier = max((p for p in kept if p < position), default=None)
        start: ReadModel | None = kept[earlier] if earlier is not None else None
        if archive.readmodel.position == position and not isinstance(archive, RecordedArchive):
            start = archive.readmodel
        cut = kept[position] = CutReadModel(archive.store, position, start)
    kept.move_to_end(position)
    while len(kept) > CUTS_KEPT or (len(kept) > 1 and sum(kept) > CUT_EVENTS_KEPT):
        kept.popitem(last=False)  # freed once no answer holds it
    return cut


class RecordedArchive(Archive):
    """An archive as recorded at ``moment`` (log position ``position``): it writes nothing
    and never catches up. Its states say the moment (``State.recorded_as_of``).

    ``as_of`` asks the archive's own read model with the position when it can answer
    exactly (``indexed``); everything else reads ``readmodel``, the cut of the log at the
    position, made the first time it is read."""

    def __init__(self, archive: Archive, position: int, moment: datetime) -> None:
        self._cut: CutReadModel | None = None
        #: The archive this is a cut of (its files are this one's, for an export's checks).
        self.recorded_of: Archive = archive
        self.position = position
        super().__init__(archive.store, None, catch_up=False)  # type: ignore[arg-type]
        self.moment = moment
        #: How many events the archive holds that were recorded after the cut (hidden here).
        self.later = 0

    @property  # type: ignore[override]
    def readmodel(self) -> ReadModel:
        """The cut of the log at ``position`` (made now when not yet)."""
        if self._cut is None:
            self._cut = cut_at(self.recorded_of, self.position)
        return self._cut

    @readmodel.setter
    def readmodel(self, value: ReadModel) -> None:
        self._cut = value  # type: ignore[assignment]  # None from __init__: made when read

    @property
    def cut(self) -> CutReadModel:
        self.readmodel  # noqa: B018 - made when not yet
        assert self._cut is not None
        return self._cut

    def indexed(self) -> bool:
        """Whether the archive's own read model answers an as-of question as recorded at
        ``position`` exactly: it has applied the log up to it, and nothing it applied since
        is beyond a filter on positions (``readmodel.structure``)."""
        own = self.recorded_of.readmodel
        return own.position >= self.position and \
            structure.position(own.db) <= self.position

    @property
    def recorded_as_of(self) -> str:
        return instant_text(self.moment)

    def refresh(self) -> int:
        return 0

    def as_recorded(self, recorded_as_of: str | datetime) -> Archive:
        """The archive this is a cut of, as recorded on another moment."""
        return self.recorded_of.as_recorded(recorded_as_of)

    def close(self) -> None:
        """Nothing: the store is the archive's, and the cut is closed with the archive."""

    def as_of(self, day: str | int, known_as_of: str | int | None = None,
              entities: Sequence[str] = (), tags: Sequence[str] = ()) -> State:
        if self._cut is None and self.indexed():
            own = self.recorded_of
            own._current()
            for name in entities:  # unknown then: as the cut would say
                try:
                    ids = own._lookup(name)[1]
                except NotFound:
                    raise self._unknown(name) from None
                if self._created_after(ids):
                    raise self._unknown(name)
            state = own._as_of(day, known_as_of, entities, tags, recorded=self.position)
        else:
            state = super().as_of(day, known_as_of, entities, tags)
        return replace(state, recorded_as_of=self.recorded_as_of)

    def _created_after(self, ids: Sequence[str]) -> bool:
        marks = ", ".join("?" * len(ids))
        row = self.recorded_of.readmodel.db.execute(
            f"SELECT max(position) FROM entities WHERE id IN ({marks})", list(ids)).fetchone()
        return row[0] is None or row[0] > self.position

    def _unknown(self, name: str) -> NotFound:
        """``Archive._lookup``'s error for a name unknown at ``position``: its suggestions
        are the names known then (every name is its entity's, or an alias added before the
        structure position, so the entity's position says)."""
        names = [n for (n,) in self.recorded_of.readmodel.db.execute(
            "SELECT n.name FROM names n JOIN entities e ON e.id = n.entity_id "
            "WHERE e.position <= ?", [self.position])]
        return unknown_entity(name, names)

    def statistics(self) -> dict[str, int]:
        counts = self.readmodel.counts()
        counts["events"] = self.position
        return counts

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise InvalidInput("the archive as recorded earlier only answers questions; write to "
                           "the archive itself", "recorded_as_of")

    batch = bulk_batch = _idempotent = _refuse  # type: ignore[assignment]


def correction_note(claim_known_at: str, claim_known_day: int,
                    correction_known_at: str | None, see: str = "--recorded-as-of"
                    ) -> str | None:
    """What a correction known before the claim it corrects does, in one sentence — it takes
    the claim out of every "as known on" answer, even those of the days the claim was
    believed; ``see`` names where to see what the archive said before — or None when the
    correction is not known before the claim (or its known time is not a date)."""
    if not correction_known_at:
        return None
    try:
        day = dates.known_day(correction_known_at)
    except dates.DateError:
        return None
    if day >= claim_known_day:
        return None
    return (f"this correction is known from {correction_known_at}, before the claim it "
            f"corrects (known {claim_known_at}): the claim is now in no 'as known on' answer, "
            "not even of the days it was believed; to see what the archive said before this "
            f"correction, use {see}")


__all__ = ["RecordedArchive", "RecordedTimes", "as_recorded", "correction_note",
           "instant_text", "recorded_instant", "recorded_times"]
