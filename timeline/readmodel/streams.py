"""Which claim an event's stream belongs to.

Every event about a claim is on the claim's own stream, ``domain.claim_stream(claim_id)``: a
name-based UUID, which cannot be turned back into the claim's id. The read model keeps, for
each claim, the stream's first 8 bytes as an integer beside the claim's number
(``claim_streams``): two integers a claim, where the stream and the claim's id as text took
about four times the space. Two streams may share a key (about one chance in 2^64 for a
pair), so the claim found is the one whose own stream is the event's.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from timeline.domain import claim_stream


def stream_key(stream: UUID) -> int:
    """The stream's first 8 bytes, as a signed 64-bit integer (SQLite's INTEGER)."""
    return int.from_bytes(stream.bytes[:8], "big", signed=True)


def claim_of(db: Any, stream: UUID, columns: str = "") -> tuple[Any, ...] | None:
    """The claim whose stream is ``stream``: its id, then ``columns`` (of ``claims c``, comma
    separated); None when the read model holds no such claim."""
    more = f", {columns}" if columns else ""
    for row in db.execute(f"SELECT c.id{more} FROM claim_streams s JOIN claims c ON c.n = s.n "
                          "WHERE s.key = ?", [stream_key(stream)]).fetchall():
        if claim_stream(row[0]) == stream:
            return tuple(row)
    return None


def claim_id_of(db: Any, stream: UUID) -> str:
    """The id of the claim whose stream is ``stream``, which the read model holds."""
    found = claim_of(db, stream)
    if found is None:
        raise LookupError(f"the read model holds no claim on stream {stream}")
    return str(found[0])
