"""User-facing errors.

Every mistake a user can make (a bad date, an unknown entity, a broken import file) raises a
``HindsightError`` whose message is one line naming what and where. The command line prints
that line and exits non-zero; it never shows a traceback for them.
"""

from __future__ import annotations


class HindsightError(Exception):
    """A user's mistake or a refused operation, explained in one line."""

    exit_code = 1


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


class ArchiveError(HindsightError):
    """An archive that cannot be opened: missing, corrupt, or of an unknown version."""

    exit_code = 5
