"""User-facing errors.

Every mistake a user can make (a bad date, an unknown entity, a broken import file) raises a
``HindsightError`` whose message is one line naming what and where. The command line prints
that line and exits non-zero; it never shows a traceback for them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A quoted value longer than this is shortened in messages (a 5 MB "date" stays one line).
_QUOTED_MAX = 80
_QUOTED = re.compile(rf"'([^'\n]{{{_QUOTED_MAX + 1},}})'")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LINE_MAX = 1000


def _shorten(match: re.Match[str]) -> str:
    value = match[1]
    return f"'{value[:_QUOTED_MAX - 20]}…' ({len(value):,} characters)"


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its class name when it has none): what a
    one-line error quotes of a library's failure."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def one_line(message: str) -> str:
    """A message safe to print as one line: long quoted values shortened, control characters
    and unpaired surrogates escaped."""
    message = _QUOTED.sub(_shorten, message)
    message = _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode(), message)
    if len(message) > _LINE_MAX:
        message = message[:_LINE_MAX - 1] + "…"
    return message.encode("utf-8", "backslashreplace").decode("utf-8")


def printable(text: str) -> str:
    """Text fit for a terminal or a label, whole: each character that does not print (a
    control character, an invisible one, a line separator) written ``\\uXXXX``."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


class HindsightError(Exception):
    """A user's mistake or a refused operation, explained in one line."""

    exit_code = 1

    def __str__(self) -> str:
        return one_line(super().__str__())


class NotFound(HindsightError):
    """An entity, claim or source that the archive does not hold."""

    exit_code = 3


class Conflict(HindsightError):
    """A write that lost a race with another writer, or contradicts what is stored."""

    exit_code = 4


class InvalidInput(HindsightError):
    """Input that does not validate: dates, import files, quotes, arguments.

    ``field`` names the field at fault, so that each caller can say where in its own terms:
    ``claims[41].valid: …`` in an import file, ``--valid: …`` on the command line.
    """

    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def at(self, place: str) -> InvalidInput:
        """The same error, located: ``place`` is prefixed to the field."""
        where = f"{place}.{self.field}" if self.field else place
        return InvalidInput(f"{where}: {self.message}")


def close_listed(candidates: Sequence[tuple[str, str, str]], last: str) -> str:
    """Close names (``ReadModel.near_names``: name, kind, its entity's name) as messages list
    them: ``'Mira' (person), 'Myra' (place, alias of 'Myra Ivanova') or …`` (``last`` joins
    the last two)."""
    shown = [f"'{near}' ({kind}{'' if near == entity else f', alias of {entity!r}'})"
             for near, kind, entity in candidates]
    return ", ".join(shown[:-1]) + f" {last} " + shown[-1] if len(shown) > 1 else shown[0]


class NearNames(InvalidInput):
    """A name the archive does not hold, close to names it does (``timeline.closeness.near_name``):
    a new entity is not made of it until that is confirmed (``record --new-entity``).
    ``candidates``: each close name as ``(name, kind, the entity's name)``."""

    def __init__(self, name: str, candidates: list[tuple[str, str, str]],
                 field: str | None = None, confirm: str = "") -> None:
        listed = close_listed(candidates, "or")
        super().__init__(f'"{name}" is not in the archive; did you mean {listed}?'
                         + (f" {confirm}" if confirm else ""), field)
        self.name, self.candidates = name, candidates

    def confirm_with(self, how: str) -> NearNames:
        """The same refusal, saying how to confirm the new entity (``how``)."""
        return NearNames(self.name, self.candidates, self.field, how)


class ArchiveError(HindsightError):
    """An archive that cannot be opened: missing, corrupt, or of an unknown version."""

    exit_code = 5
