"""docs/api.md runs as written: its Python blocks, in order and in one namespace, print what
the indented blocks after them say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"

_BLOCK = re.compile(r"```python\n(.*?)```\n(?:\n((?:    [^\n]*\n)+))?", re.S)


def blocks(text: str) -> list[tuple[str, str | None]]:
    """Each Python block with the output shown after it (None when none is shown)."""
    found = []
    for code, shown in _BLOCK.findall(text):
        expected = "".join(line[4:] + "\n" for line in shown.splitlines()) if shown else None
        found.append((code, expected))
    return found


def test_the_api_page_has_examples_with_output() -> None:
    found = blocks(DOC.read_text(encoding="utf-8"))
    assert len(found) >= 6
    assert sum(expected is not None for _, expected in found) >= 6


def test_every_example_of_the_api_page_prints_what_the_page_says() -> None:
    namespace: dict[str, object] = {}
    for k, (code, expected) in enumerate(blocks(DOC.read_text(encoding="utf-8"))):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"docs/api.md block {k}", "exec"), namespace)
        if expected is not None:
            assert out.getvalue() == expected, f"block {k}"
    namespace["archive"].close()  # type: ignore[attr-defined]


def test_a_wrong_output_in_the_page_would_be_caught() -> None:
    doctored = "```python\nprint(1 + 1)\n```\n\n    3\n"
    (code, expected), = blocks(doctored)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {})
    assert out.getvalue() != expected
