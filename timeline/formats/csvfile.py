"""CSV: claims as a spreadsheet, one row a claim (docs/formats.md).

A row becomes the very ``ClaimRecord`` a Hindsight JSON claim is, and is staged by the same
code into one batch, so the rules and the all-or-nothing import are those of Hindsight JSON;
only the place an error is reported at differs: ``line 41, column valid: …``. Line numbers are
the file's physical lines (the header is line 1); a row that spans lines (a quote with a line
break) is reported at its first line.

A cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return) is exported with an apostrophe before it, and the import takes one leading apostrophe
off every cell (:func:`escape_cell`, :func:`unescape_cell`): an export always reads back as
it was, a BCE date such as ``-0044-03-15`` included.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from timeline.api import Archive, FactView, HindsightError, InvalidInput, Selection
from timeline.files import open_input
from timeline.formats.base import write_atomically
from timeline.interchange import (
    ClaimRecord,
    ImportReport,
    _explain,
    _place,
    stage_claim,
)

#: The columns, in the order an export writes them; extra citations follow as numbered pairs
#: ``source_2``, ``quote_2``, ``source_3``, …
COLUMNS = ("id", "subject", "predicate", "object", "value", "valid", "known_at", "certainty",
           "rank", "note", "source", "quote")
REQUIRED = ("subject", "predicate", "valid")
#: A column a file may have, and an export writes (last) only when a claim needs it: the
#: calendar ``valid`` is written in, ``gregorian`` when empty.
OPTIONAL = ("calendar",)
_CITATION = ("source", "quote")
_FIELDS = tuple(c for c in COLUMNS if c not in _CITATION) + OPTIONAL
_NUMBERED = re.compile(r"(source|quote)_([2-9]|[1-9][0-9]+)")
# Free text is kept exactly as written (a quote must match its source); other cells are trimmed.
_VERBATIM = {"value", "note", "quote"}

#: A spreadsheet runs a cell that starts with one of these as a formula (a tab or a carriage
#: return may hide one). Such a cell is written with an apostrophe before it, as is a cell that
#: starts with an apostrophe itself or holds nothing but blanks; the import takes one leading
#: apostrophe off every cell, so what comes back is exactly what was exported.
_FORMULA_START = frozenset("=+-@\t\r")
_ESCAPE = "'"

#: The longest cell the import reads (Python's csv module stops at 131,072 characters by
#: default): as long as the longest text the archive stores, which has no limit of its own,
#: so that every export reads back.
FIELD_LIMIT = 2**31 - 1
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))


def escape_cell(text: str) -> str:
    """A cell as the export writes it: never one a spreadsheet would run as a formula, and
    never one that would read back as blank (see :func:`unescape_cell`)."""
    if text and (text[0] in _FORMULA_START or text[0] == _ESCAPE or not text.strip()):
        return _ESCAPE + text
    return text


def unescape_cell(text: str) -> str:
    """A cell as it was before :func:`escape_cell`: one leading apostrophe taken off."""
    return text[1:] if text.startswith(_ESCAPE) else text


@dataclass(frozen=True)
class _Header:
    line: int
    columns: tuple[str, ...]  # the column of each field, by position
    citations: tuple[str, ...]  # suffixes of the source/quote pairs, in order: "", "_2", …


# --- reading ------------------------------------------------------------------------------


def _text(path: Path) -> str:
    with open_input(path) as handle:  # a regular file: never a FIFO or /dev/zero
        try:
            raw = handle.read()
        except OSError as exc:
            raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InvalidInput(
            f"line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as "
            "UTF-8 (\"CSV UTF-8\" in a spreadsheet)") from None


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the physical line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput(f"line {line}: not valid CSV ({exc})") from None
        if any(cell.strip() for cell in row):
            yield line, row
        line = reader.line_num + 1


def _is_column(name: str) -> bool:
    return name in COLUMNS or name in OPTIONAL or _NUMBERED.fullmatch(name) is not None


def _pair(name: str) -> str | None:
    """The suffix of the citation pair a column belongs to ("" or "_2", …), else None."""
    if name in _CITATION:
        return ""
    numbered = _NUMBERED.fullmatch(name)
    return "_" + numbered[2] if numbered else None


def _header(line: int, row: list[str]) -> _Header:
    names = [cell.strip().lower() for cell in row]
    if not any(map(_is_column, names)):
        raise InvalidInput(f"line {line}: no header row; the first line names the columns: "
                           f"{', '.join(COLUMNS)}")
    for k, name in enumerate(names):
        if not name:
            raise InvalidInput(f"line {line}: column {k + 1} has no name")
        if not _is_column(name):
            unused = [c for c in (*COLUMNS, "source_2", "quote_2") if c not in names]
            near = difflib.get_close_matches(name, unused, n=2)
            hint = f" — did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
            raise InvalidInput(f"line {line}: unknown column '{row[k].strip()}'{hint}")
        if names.count(name) > 1:
            raise InvalidInput(f"line {line}: column '{name}' appears twice")
    for name in REQUIRED:
        if name not in names:
            raise InvalidInput(f"line {line}: no '{name}' column; it is required")
    if "object" not in names and "value" not in names:
        raise InvalidInput(f"line {line}: no 'object' or 'value' column; a claim needs one")
    suffixes = sorted({s for s in map(_pair, names) if s is not None},
                      key=lambda s: int(s[1:] or 1))
    for suffix in suffixes:
        for mine, partner in (_CITATION, _CITATION[::-1]):
            if mine + suffix in names and partner + suffix not in names:
                raise InvalidInput(f"line {line}: column '{mine}{suffix}' has no "
                                   f"'{partner}{suffix}' column beside it")
    return _Header(line, tuple(names), tuple(suffixes))


def _column(field: str, citations: Sequence[str]) -> str:
    """The column an error in a claim's field comes from: ``sources[1].quote`` -> ``quote_3``
    when the row's second citation is its third pair."""
    found = re.fullmatch(r"sources\[(\d+)\]\.(source|quote)", field)
    return found[2] + citations[int(found[1])] if found else field


def _why(error: dict[str, Any]) -> str:
    if error["type"] == "missing":
        return "is empty"
    if error["loc"] == ("certainty",):  # the one number: not a number, or out of range
        return f"'{error['input']}' is not a number from 0 to 1"
    return _explain(error)


@dataclass(frozen=True)
class _Row:
    line: int
    record: ClaimRecord
    citations: tuple[str, ...]  # the pairs this row's citations come from

    def at(self, action: Callable[[], object]) -> None:
        """Run a staging step, reporting its errors at this row's line and column."""
        try:
            action()
        except InvalidInput as exc:
            where = f", column {_column(exc.field, self.citations)}" if exc.field else ""
            raise InvalidInput(f"line {self.line}{where}: {exc.message}") from None
        except HindsightError as exc:
            raise type(exc)(f"line {self.line}: {exc}") from None


def _rows(text: str) -> Iterator[_Row]:
    lines = _lines(text)
    first = next(lines, None)
    if first is None:
        raise InvalidInput("line 1: the file is empty; the first line names the columns: "
                           f"{', '.join(COLUMNS)}")
    header = _header(*first)
    for line, cells in lines:
        if len(cells) != len(header.columns):
            raise InvalidInput(f"line {line}: {len(cells)} fields, but the header (line "
                               f"{header.line}) names {len(header.columns)} columns")
        given = {name: unescape_cell(cell if name in _VERBATIM else cell.strip())
                 for name, cell in zip(header.columns, cells, strict=True) if cell.strip()}
        used = tuple(s for s in header.citations if any(c + s in given for c in _CITATION))
        fields: dict[str, Any] = {k: v for k, v in given.items() if k in _FIELDS}
        fields["sources"] = [{c: given[c + s] for c in _CITATION if c + s in given}
                             for s in used]
        try:
            record = ClaimRecord.model_validate(fields, strict=False)
        except ValidationError as exc:
            error = exc.errors()[0]
            column = _column(_place(error["loc"]), used)
            raise InvalidInput(f"line {line}, column {column}: {_why(dict(error))}") from None
        yield _Row(line, record, used)


def import_csv(archive: Archive, path: Path) -> ImportReport:
    """Import a CSV file of claims: all or nothing; importing it twice adds nothing. The
    sources it cites must be in the archive already."""
    with archive.bulk_batch() as batch:  # written as it goes: memory flat in the rows
        for row in _rows(_text(path)):
            row.at(partial(stage_claim, batch, row.record))
            batch.staged()
    return ImportReport.of(batch)


# --- writing ------------------------------------------------------------------------------


def _cells(view: FactView, pairs: int, calendar: bool) -> list[str]:
    claim = view.claim
    cells = [claim.id, view.subject, claim.predicate, view.object or "", claim.value or "",
             claim.valid, claim.known_at, str(claim.certainty), view.fact.rank, claim.note]
    for cite in claim.sources:
        cells += [cite["source"], cite["quote"]]
    return [escape_cell(c) for c in cells] + [""] * 2 * (pairs - len(claim.sources)) + (
        [claim.calendar] if calendar else [])


def export_csv(archive: Archive, path: Path, selection: Selection) -> int:
    """Write the claims live now (or those selected) in the columns import_csv reads."""
    views = selection.facts(archive)
    pairs = max([1, *(len(v.claim.sources) for v in views)])
    header = [*COLUMNS, *(f"{c}_{n}" for n in range(2, pairs + 1) for c in _CITATION)]
    calendar = any(v.claim.calendar != "gregorian" for v in views)
    header += ["calendar"] if calendar else []

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(_cells(v, pairs, calendar) for v in views)

    write_atomically(path, write, archive)
    return len(views)
