"""``--recorded-as-of``: the read commands (``as-of``, ``history``, ``diff``, ``export``) on
the archive as it stood at a moment (``Archive.as_recorded``, docs/time-model.md#recorded-time),
and the note a correction known before the claim it corrects gets.
"""

from __future__ import annotations

import argparse
import sys

from timeline.api import Archive, NotFound
from timeline.recorded import correction_note

HELP = ("as the archive itself stood then: only the claims, corrections, aliases and merges "
        "recorded by this date (the end of the day, UTC) or date and time (ISO 8601, e.g. "
        "2025-03-01T14:30Z); with --known-as-of both apply (default: everything recorded)")


def add_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--recorded-as-of", metavar="DATE|DATETIME", help=HELP)


def recorded(args: argparse.Namespace, archive: Archive) -> Archive:
    """The archive the command reads: as recorded on ``--recorded-as-of`` when given."""
    when = getattr(args, "recorded_as_of", None)
    return archive.as_recorded(when) if when else archive


def recorded_as_of(archive: Archive) -> str | None:
    """The moment an archive read by ``recorded`` stands at (None: everything recorded)."""
    return getattr(archive, "recorded_as_of", None)


def early_correction(archive: Archive, claim_id: str, known_at: str | None) -> str | None:
    """The one line to say (on stderr, once the correction is made) when a correction is known
    before the claim it corrects: what it does to "as known on" answers. None otherwise, and
    for a claim the archive does not hold (the correction itself says so)."""
    try:
        claim = archive.claim(claim_id)
    except NotFound:
        return None
    note = correction_note(claim.known_at, claim.known_day, known_at)
    return f"note: {note}" if note else None


def say(note: str | None) -> None:
    if note:
        print(note, file=sys.stderr)
