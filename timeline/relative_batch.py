"""Relative dates on the write side (timeline.relative): a relative valid time checked against
the archive and the batch, and a dependent claim that follows its anchor.

**Following.** A claim is never changed, and neither is its anchor: a claim dated relative to
another keeps the dates it was resolved to. When the anchor is superseded, each claim in force
that is dated relative to it is superseded too, from the same known day, by the same claim
dated relative to the replacement (its known_at the later of its own and the supersession's);
when the anchor is retracted, each is retracted, from the same known day. Both are recorded in
the same batch as the correction that caused them, with a reason that says so, and cascade down
a chain. An answer "as known on R" so resolves against the anchor in force on R.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from timeline import dates, relative
from timeline.asof.claims import ClaimRow
from timeline.claimfields import lookupable as _lookupable
from timeline.domain import ClaimRecorded
from timeline.errors import InvalidInput
from timeline.readmodel import relative as relative_rows

if TYPE_CHECKING:
    from timeline.batch import Batch

#: Anchors followed at most this deep when a staged claim's bounds are worked out.
_DEPTH = 1000


def checked(batch: Batch, value: Mapping[str, Any], field: str = "valid"
            ) -> tuple[str, relative.RelativeValid | None]:
    """A valid time given as ``{"start": S, "end": E}``: the EDTF ``valid`` to store and the
    relative form (None when no side is relative: then it is just an interval). Each anchor
    must be a recorded or staged claim (in force, for a new claim: ``refuse_withdrawn``);
    errors name the place
    (``valid.start.relative_to: no claim 'x'``). A resolved end wholly before the resolved
    start is refused, as in an EDTF interval."""
    form = relative.parse_valid(value, field)
    if not form.anchors():
        start, end = (str(s) for _, s in form.sides())
        return f"{start}/{end}", None
    anchors: dict[str, relative.Bounds] = {}
    for side, anchor in form.anchors():
        place = f"{field}.{side}.relative_to"
        if not _lookupable(anchor) or batch.known_claim(anchor) is None:
            raise InvalidInput(f"no claim {anchor!r}", place)
        anchors[anchor] = bounds_of(batch, anchor)
    span = form.span(anchors)
    if span.end_hi <= span.start_lo:
        raise InvalidInput(f"its end ({dates.day_to_iso(span.end_hi - 1)} at the latest) lies "
                           f"wholly before its start ({dates.day_to_iso(span.start_lo)} at the "
                           "earliest)", field)
    return form.placeholder(), form


def prepared(batch: Batch, valid: str | Mapping[str, Any]
             ) -> tuple[str, relative.RelativeValid | None]:
    """A claim's ``valid`` as given: EDTF text as it is, the object form ``checked``."""
    return (valid, None) if isinstance(valid, str) else checked(batch, valid)


def dumps(form: relative.RelativeValid | None) -> str | None:
    """The relative form as the event stores it (None: not relative)."""
    return form.dumps() if form is not None else None


def refuse_withdrawn(batch: Batch, form: relative.RelativeValid | None, field: str = "valid"
                     ) -> None:
    """A new claim is dated relative to claims in force only: one relative to a withdrawn
    claim would not follow its replacement."""
    for side, anchor in form.anchors() if form is not None else ():
        if batch.history(anchor).withdrawn:
            raise InvalidInput(f"claim {anchor!r} is retracted or superseded: date this claim "
                               "relative to the claim in force", f"{field}.{side}.relative_to")


def bounds_of(batch: Batch, claim_id: str, depth: int = 0) -> relative.Bounds:
    """A recorded or staged claim's four bounds, a relative claim's resolved."""
    claim = batch.known_claim(claim_id)
    if isinstance(claim, ClaimRow):
        return claim.start_lo, claim.start_hi, claim.end_lo, claim.end_hi
    assert claim is not None
    if claim.valid_relative is None or depth > _DEPTH:
        span = dates.stored(dates.parse_span, claim.valid)
    else:
        form = relative.loads(claim.valid_relative)
        span = form.span({a: bounds_of(batch, a, depth + 1) for _, a in form.anchors()})
    return span.start_lo, span.start_hi, span.end_lo, span.end_hi


def form_of(batch: Batch, claim: ClaimRecorded | ClaimRow
            ) -> tuple[str, relative.RelativeValid] | None:
    """A claim's stored ``valid`` and relative form, if it has one."""
    if isinstance(claim, ClaimRecorded):
        if claim.valid_relative is None:
            return None
        return claim.valid, relative.loads(claim.valid_relative)
    return relative_rows.form_of(batch.readmodel.db, claim.id)


def staged(batch: Batch, claim_id: str, form: relative.RelativeValid | None) -> None:
    """Remember a relative claim the batch has staged under each of its anchors (until the
    batch is flushed: the read model then holds it)."""
    for anchor in dict.fromkeys(a for _, a in form.anchors()) if form is not None else ():
        batch._dependents.setdefault(anchor, []).append(claim_id)


def dependents(batch: Batch, anchor_id: str) -> list[str]:
    """Claims dated relative to ``anchor_id``: recorded, then staged by this batch."""
    found = relative_rows.dependents(batch.readmodel.db, anchor_id)
    return found + [c for c in batch._dependents.get(anchor_id, ()) if c not in found]


def follow(batch: Batch, anchor_id: str, by: str | None, known_at: str) -> None:
    """After ``anchor_id`` was superseded by ``by`` (or retracted, ``by`` None) from
    ``known_at``: supersede (or retract) each claim in force dated relative to it — at once,
    or, during an import's corrections (``follow_later``), once the file's own are staged."""
    if batch.follow_later is not None:
        batch.follow_later.append((anchor_id, by, known_at))
        return
    for claim_id in dependents(batch, anchor_id):
        if batch.history(claim_id).withdrawn:
            continue
        if by is None:
            batch.retract(claim_id, known_at, f"the claim its dates are relative to "
                                              f"('{anchor_id}') was retracted")
            continue
        claim = batch.known_claim(claim_id)
        assert claim is not None
        found = form_of(batch, claim)
        assert found is not None
        moved = {name: ({**side.as_json(), "relative_to": by}
                        if isinstance(side, relative.Relative) and side.relative_to == anchor_id
                        else side.as_json() if isinstance(side, relative.Relative) else side)
                 for name, side in found[1].sides()}
        fields = batch._claim_fields(claim)
        later = max((claim.known_at, known_at), key=dates.known_day)
        fields.update(valid=moved, known_at=later, note=claim.note)
        new_id = batch.record(**fields)
        batch.supersede(claim_id, by=new_id, known_at=known_at,
                        reason=f"the claim its dates are relative to ('{anchor_id}') was "
                               f"superseded by '{by}'")


def defer(batch: Batch) -> None:
    """From now on, an import's corrections: what follows from them waits for
    ``follow_deferred``. A file holds the whole record, what followed included (an export
    writes it): a dependent the file corrects itself, or that followed already, is in force
    no more when its anchor's corrections are followed."""
    if batch.follow_later is None:
        batch.follow_later = []


def follow_deferred(batch: Batch) -> None:
    """Follow, in order, the corrections an import staged since ``defer``."""
    waiting, batch.follow_later = batch.follow_later or [], None
    for anchor_id, by, known_at in waiting:
        follow(batch, anchor_id, by, known_at)
