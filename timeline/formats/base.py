"""What every interchange format shares: which claims an export holds, how a file is written
without ever leaving half of it behind, and how an EDTF date reads as year, month and day."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline import dates
from timeline.app import KNOWN_NOW, Archive, FactView
from timeline.dates import POS_INF
from timeline.errors import InvalidInput
from timeline.readmodel import ClaimRow
from timeline.state import Fact


@dataclass(frozen=True)
class Selection:
    """The ``--as-of`` and ``--entity`` filters of an export.

    With ``as_of``, the facts of the state on that day (HOLDS, MAYBE or CONTESTED, by
    everything known now); otherwise every claim, in valid-time order. With ``entity`` (a name
    or an alias), only claims whose subject or object it is.
    """

    as_of: str | None = None
    entity: str | None = None

    @property
    def filtered(self) -> bool:
        return self.as_of is not None or self.entity is not None

    def facts(self, archive: Archive, *, withdrawn: bool = False) -> list[FactView]:
        """The selected claims, ready to show. Withdrawn (retracted or superseded) claims are
        left out unless ``withdrawn``; they are never part of a state."""
        if self.as_of is not None:
            try:
                state = archive.as_of(self.as_of, None, [self.entity] if self.entity else ())
            except InvalidInput as exc:
                raise InvalidInput(exc.message, "as_of" if exc.field == "date" else exc.field
                                   ) from None
            return list(state.facts)
        rm = archive.readmodel
        if self.entity is not None:
            rows = rm.claims_about(rm.merged_ids(archive.entity(self.entity)["id"]))
        else:
            rows = rm.all_claims()
        return [_view(archive, row) for row in rows if withdrawn or row.withdrawn_day == POS_INF]


def _view(archive: Archive, row: ClaimRow) -> FactView:
    # A claim outside any state: no status, the rank in force now.
    rank = archive.readmodel.rank_on(row, KNOWN_NOW)
    return archive.view(Fact(row, "", dates.Status.NOT, rank, row.end_lo, row.end_hi))


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Have ``write`` fill a temporary file beside ``path``, then rename it into place: a
    failed or interrupted export leaves any earlier file as it was and no partial one."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(b"")  # fails early, and plainly, in a folder that is not there
        write(tmp)
        tmp.replace(path)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: Path, data: Any) -> None:
    """JSON as Hindsight writes it: UTF-8, indented, non-ASCII text as it is."""
    write_atomically(path, lambda tmp: tmp.write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))


# --- dates --------------------------------------------------------------------------------


def exact(text: str) -> dates.DateRange:
    """The days an EDTF date names, without the widening ``~``, ``?`` and ``%`` bring (they
    qualify the whole date wherever they stand); its flags still say it was qualified."""
    qualified = dates.parse_date(text)
    bare = "".join(text.split()).translate({ord(c): None for c in "?~%"})
    try:
        plain = dates.parse_date(bare)
    except dates.DateError:  # a form whose qualifiers cannot simply be dropped
        return qualified
    return dates.DateRange(text, plain.lo, plain.hi, plain.precision, qualified.approximate,
                           qualified.uncertain)


_ISO = re.compile(r"Y?(-?\d+)-(\d\d)-(\d\d)")


def day_parts(day: int, precision: str) -> list[int]:
    """A day as [year, month, day] cut to a precision: a month or a season keeps the month,
    a year or anything coarser the year alone. Years are numbered as EDTF numbers them."""
    found = _ISO.fullmatch(dates.day_to_iso(day))
    assert found is not None, day
    parts = [int(p) for p in found.groups()]
    return parts[:{"day": 3, "month": 2, "season": 2}.get(precision, 1)]


def interval_sides(valid: str) -> tuple[str, str]:
    """A valid time's start and end as written: ``('2019-07', '..')``, ``('', '2024')``; a
    single date is both. Empty is unknown, ``..`` open."""
    text = dates.parse_span(valid).text
    if "/" in text:
        start, _, end = text.partition("/")
        return start.strip(), end.strip()
    if text.startswith(".."):
        return "..", text[2:].strip()
    if text.endswith(".."):
        return text[:-2].strip(), ".."
    return text, text
