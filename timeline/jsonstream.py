"""Reading a large JSON document a piece at a time, in bounded memory.

A Hindsight file of a million claims is hundreds of megabytes; ``json.loads`` would hold it
whole, several times over as Python objects. ``members`` walks the top-level object instead:
each member's value is decoded by the standard library's own decoder (``raw_decode``, in C),
except the arrays the caller asks to stream, which come one element at a time. Only the
element being read, and the chunk of text around it, are in memory.

Errors are the ones ``json.loads`` gives, with the line and column in the whole file, and a
byte that is not UTF-8 is named with its offset in the file. Objects are built by
``KeyCheck``, as they are for a file read whole, so a key repeated in an object is caught (and
refused by the caller, at its place) the same way in both.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from timeline.errors import InvalidInput

#: Bytes read from the file at a time.
CHUNK = 1 << 20

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


class Repeated(dict[str, Any]):
    """An object that named a key more than once (``key``, the first repeated): the standard
    decoder would keep the last value silently."""

    __slots__ = ("key",)
    key: str


class KeyCheck:
    """The ``object_pairs_hook`` both readers decode with (the file read whole, and this
    module's stream): it builds each object as ``json`` does, but one that repeats a key is
    a ``Repeated`` and ``found`` is set, for the caller to name the place
    (``timeline.interchange``). Costs a call per object, no walk unless one is found."""

    def __init__(self) -> None:
        self.found = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) == len(pairs):
            return made
        self.found = True
        repeated = Repeated(made)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                repeated.key = key
                break
            seen.add(key)
        return repeated


class Stream:
    """A streamed array: iterate it for its elements (``index`` counts them)."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self.index = -1
        self._elements = self._read()

    def __iter__(self) -> Iterator[Any]:
        return self._elements  # one pass: the file is read once

    def _read(self) -> Iterator[Any]:
        r = self._reader
        r.skip_space()
        if r.peek() == "]":
            r.pos += 1
            return
        while True:
            self.index += 1
            yield r.value()
            r.skip_space()
            if r.peek() == ",":
                r.pos += 1
                continue
            if r.peek() == "]":
                r.pos += 1
                return
            raise r.error("Expecting ',' delimiter")


class Reader:
    """A window of decoded text over the file, refilled as decoding reaches its end."""

    def __init__(self, path: Path, handle: BinaryIO, chunk: int | None = None) -> None:
        self.path = path
        self._file = handle
        self._chunk = chunk or CHUNK
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self._lines_before = 0  # newlines in the text already dropped from the window
        self._column_base = 0  # characters since the last dropped newline, if none in buf
        self.bytes_read = 0
        self.eof = False
        #: A \uD800-\uDFFF escape was seen: decoded strings may hold half a surrogate pair.
        self.escaped_surrogates = False
        #: ``keys.found``: a value read since the caller last reset it repeats a key.
        self.keys = KeyCheck()
        self._json = json.JSONDecoder(object_pairs_hook=self.keys)

    # --- the window -----------------------------------------------------------------------

    def _fill(self) -> bool:
        """Drop what has been read, append the next chunk; False at the end of the file."""
        if self.eof:
            return False
        done = self.buf[:self.pos]
        newlines = done.count("\n")
        if newlines:
            self._lines_before += newlines
            self._column_base = len(done) - done.rfind("\n") - 1
        else:
            self._column_base += len(done)
        self.buf, self.pos = self.buf[self.pos:], 0
        # At least double what is left: a value longer than a chunk is re-read O(log n) times.
        data = self._file.read(max(self._chunk, len(self.buf)))
        pending = len(self._decoder.getstate()[0])
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            # exc.object is what the decoder held over from the last chunk, then this one.
            raise InvalidInput(f"{self.path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                               f"at offset {self.bytes_read - pending + exc.start})") from None
        self.bytes_read += len(data)
        self.eof = not data
        if not self.escaped_surrogates:
            self.escaped_surrogates = bool(_ESCAPED_SURROGATE.search(self.buf[-6:] + text))
        self.buf += text
        return bool(data) or bool(text)

    def peek(self) -> str:
        while self.pos >= len(self.buf):
            if not self._fill():
                return ""
        return self.buf[self.pos]

    def skip_space(self) -> None:
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self._fill():
                return

    def where(self, pos: int) -> tuple[int, int]:
        """Line and column (from 1) of a position in the window, in the whole file."""
        before = self.buf.count("\n", 0, pos)
        if before:
            return self._lines_before + before + 1, pos - self.buf.rfind("\n", 0, pos)
        return self._lines_before + 1, self._column_base + pos + 1

    def rest_decodes(self) -> None:
        """Read the rest of the file only to check it is UTF-8: as for a file read whole, a
        byte that is not UTF-8 is the error to report, wherever it is."""
        while not self.eof:
            self.pos = len(self.buf)  # the window is dropped as it is read
            self._fill()

    def error(self, message: str, pos: int | None = None) -> InvalidInput:
        line, column = self.where(self.pos if pos is None else pos)
        self.rest_decodes()
        return InvalidInput(f"{self.path}: not valid JSON: line {line}, column {column}: "
                            f"{message}")

    # --- values -----------------------------------------------------------------------------

    def value(self) -> Any:
        """Decode the value at the cursor, reading more of the file while it is cut off."""
        self.skip_space()
        while True:
            try:
                found, end = self._json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._fill():
                    continue
                raise self.error(exc.msg, exc.pos) from None
            except RecursionError:
                raise InvalidInput(f"{self.path}: not a Hindsight file: arrays or objects "
                                   "nested too deeply") from None
            except ValueError:  # an integer of more than 4300 digits
                long = re.compile(r"\d{4301,}").search(self.buf, self.pos)
                line, column = self.where(long.start() if long else self.pos)
                self.rest_decodes()
                raise InvalidInput(f"{self.path}: not a Hindsight file: line {line}, column "
                                   f"{column}: a number too long to read") from None
            # A number at the very end of the window may go on in the next chunk.
            if end == len(self.buf) and isinstance(found, int | float) and self._fill():
                continue
            self.pos = end
            return found

    def expect(self, char: str, message: str) -> None:
        self.skip_space()
        if self.peek() != char:
            raise self.error(message)
        self.pos += 1


def members(r: Reader, streamed: frozenset[str]) -> Iterator[tuple[str, Any]]:
    """The members of the document's top-level object, in file order: ``(key, value)``, where
    the value of a key in ``streamed`` that holds an array is a ``Stream`` of its elements,
    to be read before asking for the next member. A top level that is not an object raises
    ``NotAnObject`` with the value read."""
    r.skip_space()
    if not r.peek():
        raise r.error("Expecting value")
    if r.peek() != "{":
        found = r.value()
        r.rest_decodes()
        raise NotAnObject(found)
    r.pos += 1
    r.skip_space()
    if r.peek() == "}":
        r.pos += 1
    else:
        while True:
            r.skip_space()
            if r.peek() != '"':
                raise r.error("Expecting property name enclosed in double quotes")
            key = r.value()
            r.expect(":", "Expecting ':' delimiter")
            r.skip_space()
            if key in streamed and r.peek() == "[":
                r.pos += 1
                stream = Stream(r)
                yield key, stream
                for _ in stream:  # whatever the caller left unread
                    pass
            else:
                yield key, r.value()
            r.skip_space()
            if r.peek() == ",":
                r.pos += 1
                continue
            r.expect("}", "Expecting ',' delimiter")
            break
    r.skip_space()
    if r.peek():
        raise r.error("Extra data")


class NotAnObject(Exception):  # noqa: N818 - a signal to the caller, not an error
    """The document's top level is not an object (it holds ``value``)."""

    def __init__(self, value: Any) -> None:
        super().__init__("not an object")
        self.value = value
