"""The order an import stages its records in, whatever their order in the file: supersessions
chain by chain, and claims after the claims their dates are relative to. Also the relative
valid time as Hindsight JSON writes it (``{"start": S, "end": E}``, docs/format.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from timeline import relative
from timeline.errors import InvalidInput
from timeline.readmodel import relative as relative_rows

if TYPE_CHECKING:
    from timeline.interchange import ClaimRecord, SupersessionRecord
    from timeline.readmodel import ReadModel

_EDGE_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["relative_to"],
    "description": "A date relative to another claim's start or end.",
    "properties": {
        "relative_to": {"type": "string", "description": "Id of the anchor claim (in this file "
                                                          "or the archive)."},
        "edge": {"enum": ["start", "end"], "default": "start",
                 "description": "Which edge of the anchor: its start or its end."},
        "offset": {"type": "string", "default": "P0D",
                   "description": "ISO 8601 duration, signed: 'P1D', '-P1M', 'P2W', 'P1Y2M3D' "
                                  "(no time part)."},
        "approximate": {"type": "boolean", "default": False,
                        "description": "Widened as '~' widens a date of the offset's finest "
                                       "unit (a day or a week by 7 days, a month by a month, "
                                       "a year by a year)."},
    }}
_SIDE_SCHEMA = {"anyOf": [
    {"type": "string", "description": "An EDTF date, '..' (open) or '' (unknown)."},
    _EDGE_SCHEMA]}



def _text_or_object(value: Any) -> str | dict[str, Any]:
    """A claim's ``valid``: EDTF text, or the object form (checked when it is staged)."""
    if isinstance(value, str | dict):
        return value
    raise PydanticCustomError("string_type", "Input should be a valid string (EDTF), or an "
                                             "object with a start and an end")


#: A claim's ``valid``: EDTF text, or an object whose sides are each an EDTF date, ``..``,
#: ``""`` or relative to a claim.
ValidField = Annotated[Any, PlainValidator(_text_or_object), WithJsonSchema({"anyOf": [
    {"type": "string", "description": "EDTF date or interval."},
    {"type": "object", "additionalProperties": False,
     "description": "A valid time by its two sides; either may be relative to another claim.",
     "properties": {"start": _SIDE_SCHEMA, "end": _SIDE_SCHEMA}}]})]


def exported_valid(rm: ReadModel, claim_id: str, valid: str) -> str | dict[str, Any]:
    """A claim's ``valid`` as an export writes it: a relative claim's as its object form."""
    found = relative_rows.form_of(rm.db, claim_id)
    return found[1].as_json() if found is not None else valid


def _anchors(record: ClaimRecord) -> list[tuple[str, str]]:
    """(side, anchor id) of a claim record's relative sides; none when its ``valid`` is text
    or does not check (its staging then says why)."""
    if isinstance(record.valid, str):
        return []
    try:
        return relative.parse_valid(record.valid).anchors()
    except InvalidInput:
        return []


def anchor_order(records: Iterable[tuple[int, ClaimRecord]]
                 ) -> Iterator[tuple[int, ClaimRecord]]:
    """Claims in an order that stages each anchor before the claims dated relative to it.

    Claims without a relative date go at once; those with one are held (only they are kept
    in memory) and staged after the rest, each after the held claims it is anchored on. A
    cycle is refused at its first claim: ``claims[4].valid.start.relative_to: cycle a → b →
    a``; nothing is written."""
    held: list[tuple[int, ClaimRecord]] = []
    for k, record in records:
        if _anchors(record):
            held.append((k, record))
        else:
            yield k, record
    by_id = {record.id: at for at, (_, record) in enumerate(held) if record.id is not None}
    state = [0] * len(held)  # 0 not yet, 1 on the path, 2 staged
    for first in range(len(held)):
        yield from _visit(first, held, by_id, state)


def _visit(first: int, held: list[tuple[int, ClaimRecord]], by_id: dict[str, int],
           state: list[int]) -> Iterator[tuple[int, ClaimRecord]]:
    """Depth first from ``held[first]``, without recursion: its held anchors, then itself."""
    path: list[tuple[int, str]] = []  # (held index, the side by which it was reached)
    stack: list[tuple[int, str, bool]] = [(first, "", False)]
    while stack:
        at, side, done = stack.pop()
        if done:
            state[at] = 2
            path.pop()
            yield held[at]
            continue
        if state[at] == 2:
            continue
        if state[at] == 1:
            _refuse_cycle(at, held, path)
        state[at] = 1
        path.append((at, side))
        stack.append((at, side, True))
        for anchor_side, anchor in reversed(_anchors(held[at][1])):
            if anchor in by_id and state[by_id[anchor]] != 2:
                stack.append((by_id[anchor], anchor_side, False))


def _refuse_cycle(at: int, held: list[tuple[int, ClaimRecord]],
                  path: list[tuple[int, str]]) -> None:
    indexes = [i for i, _ in path]
    loop = [i for i, _ in path[indexes.index(at):]]
    ids = [str(held[i][1].id) for i in loop] + [str(held[at][1].id)]
    k, record = held[loop[0]]
    side = next(s for s, a in _anchors(record) if a == held[loop[1]][1].id) \
        if len(loop) > 1 else _anchors(record)[0][0]
    raise InvalidInput(f"cycle {' → '.join(ids)}",
                       f"valid.{side}.relative_to").at(f"claims[{k}]")
def chain_order(records: Iterable[tuple[int, SupersessionRecord]]
                 ) -> list[tuple[int, SupersessionRecord]]:
    """Supersessions in the order their chains were made: ``A by B`` before ``B by C``,
    whatever their order in the file (an export lists them claim by claim). A replacement
    must be in force when it replaces (``Batch.supersede``), and in that order it is. Otherwise
    the file's order is kept; of a cycle (``A by B``, ``B by A``) one is refused."""
    items = list(records)
    replacing: dict[str, list[int]] = {}  # claim id -> supersessions made in its favour
    for at, (_, record) in enumerate(items):
        replacing.setdefault(record.by, []).append(at)
    ordered: list[tuple[int, SupersessionRecord]] = []
    done = [False] * len(items)
    opened = [False] * len(items)
    for first in range(len(items)):
        stack = [first]
        while stack:  # depth first, without recursion: a chain may be very long
            at = stack[-1]
            if done[at]:
                stack.pop()
                continue
            if not opened[at]:
                opened[at] = True
                before = [b for b in replacing.get(items[at][1].claim, ()) if not opened[b]]
                stack.extend(reversed(before))
                continue
            stack.pop()
            done[at] = True
            ordered.append(items[at])
    return ordered


