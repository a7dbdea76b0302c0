"""The red-team table: bad inputs, faults and attacks, each run through the real command line
against a copy of a small archive.

Every row asserts the same four things: the exit code, exactly one line on stderr that says
what went wrong and where (matching the row's pattern), no traceback, and the archive unchanged
(its events, its hash chain's head and its answers on a grid of days). Rows are grouped by the
class of fault they belong to (docs/reliability.md, "Hardening"); each class also has deeper
tests of its own.

In a row, ``{dir}`` stands for the row's scratch folder (its ``files`` are written there first,
and ``setup`` may add more, such as a FIFO) and ``{archive}`` for the archive's path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    code: int
    message: str  # a regex the one stderr line must match (searched, not anchored)
    files: dict[str, str | bytes] = field(default_factory=dict)
    setup: Callable[[Path], Any] | None = None
    #: False for rows whose command may print a warning line before its error (none so far).
    one_line: bool = True


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


CASES: list[Case] = [
    # --- the harness itself: ordinary mistakes, as already handled -------------------------
    Case("unknown-entity", ("as-of", "2000", "--entity", "Nobody At All"), 3,
         r"unknown entity 'Nobody At All'"),
    Case("malformed-date", ("as-of", "2000-13"), 2, r"'2000-13' is not a valid EDTF date"),
]


def _expand(value: str, folder: Path, archive: Path) -> str:
    return value.replace("{dir}", str(folder)).replace("{archive}", str(archive))


def test_the_table_is_large_and_its_ids_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_bad_input_is_refused_in_one_line_and_writes_nothing(
        case: Case, tmp_path: Path, small_archive: Path, copy_archive: Callable[..., Path],
        answers: Callable[[Path], dict[str, Any]], cli: Callable[..., Any]) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    archive = copy_archive(small_archive, tmp_path / "archive.sqlite")
    for name, content in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if case.setup is not None:
        case.setup(folder)
    before = answers(archive)

    done = cli(archive, *(_expand(a, folder, archive) for a in case.args), timeout=120)

    assert "Traceback" not in done.err, done.err
    assert done.code == case.code, (done.code, done.err)
    lines = done.err_lines
    if case.one_line:
        assert len(lines) == 1, done.err
    assert lines and re.search(case.message, lines[-1]), done.err
    assert lines[-1].startswith("hindsight: error: "), done.err
    assert answers(archive) == before
