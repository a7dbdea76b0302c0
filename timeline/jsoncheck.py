"""Checks of a Hindsight JSON document that JSON itself lets through, for both readers (the
file read whole and the stream, ``timeline.jsonstream``): a key given twice in one object,
and half a surrogate pair in a string or a key. Errors name the place (``claims[3]``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from timeline.errors import InvalidInput
from timeline.jsonstream import Repeated


def _place(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "file"


def _refuse_repeated_keys(data: Any, loc: tuple[int | str, ...], path: Path) -> None:
    """Name the first object (in file order) that gives a key twice: JSON would keep the last
    value silently, so which one was meant is ambiguous. The one rule for both readers: the
    file read whole and the stream (``timeline.jsonstream.KeyCheck`` marks such objects)."""
    stack: list[tuple[tuple[int | str, ...], Any]] = [(loc, data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, Repeated):
            raise _repeated_key(loc, value.key, path)
        if isinstance(value, dict):
            stack.extend(((*loc, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*loc, k), item) for k, item in reversed(list(enumerate(value))))


def _repeated_key(loc: tuple[int | str, ...], key: str, path: Path) -> InvalidInput:
    """``claims[3]: duplicate key "valid"; …`` (the file's path for the top-level object)."""
    shown = json.dumps(key, ensure_ascii=False)
    if len(key) > 60:  # a 5 MB key stays one short line
        shown = json.dumps(key[:50], ensure_ascii=False)[:-1] + f"…\" ({len(key):,} characters)"
    return InvalidInput(f"{_place(loc) if loc else path}: duplicate key {shown}; a key may "
                        "appear once in an object")


#: Only a \uD800-\uDFFF escape can put a surrogate in decoded JSON (UTF-8 cannot).
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _line_column(text: str, found: re.Match[str] | None) -> str:
    if found is None:
        return ""
    line = text.count("\n", 0, found.start()) + 1
    return f"line {line}, column {found.start() - text.rfind(chr(10), 0, found.start())}: "


def _refuse_unpaired_surrogates(data: Any, loc: tuple[int | str, ...] = ()) -> None:
    """Name the first string holding half a surrogate pair: it is not text and cannot be
    stored."""
    stack: list[tuple[tuple[int | str, ...], Any]] = [(loc, data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str) and _SURROGATE.search(value):
            bad = _SURROGATE.search(value)[0]  # type: ignore[index]
            raise InvalidInput(f"{_place(loc)}: '\\u{ord(bad):04x}' is half a surrogate pair, "
                               "not a character (not valid Unicode)")
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if _SURROGATE.search(key):
                    raise InvalidInput(f"{_place(loc)}: a field name is not valid Unicode")
                stack.append(((*loc, key), item))
        elif isinstance(value, list):
            stack.extend(((*loc, k), item) for k, item in reversed(list(enumerate(value))))
