"""The command line's relative dates (timeline.relative): ``record`` with a start or an end
given relative to another claim's start or end."""

from __future__ import annotations

import argparse
from typing import Any

from timeline.errors import InvalidInput
from timeline.relative import with_sides

EPILOG = """\
relative dates: a start or end may be given relative to another claim's start or end, e.g.
"the day after the vote":
  hindsight record PM in_office --value yes --valid 2019/ \\
      --end-relative-to VOTE_ID --end-edge start --end-offset P1D
The offset is an ISO 8601 duration, signed: P1D, -P1M, P2W, P1Y2M3D. --valid then gives the
other side (its relative side is ignored); without --valid, the other side is unknown. When
the other claim is superseded, this claim follows it (docs/time-model.md)."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--start-relative-to, --start-edge, --start-offset, --start-approximate; --end-* alike."""
    for side in ("start", "end"):
        group = p.add_argument_group(f"a relative {side}")
        group.add_argument(f"--{side}-relative-to", metavar="CLAIM_ID",
                           help=f"the {side} is relative to this claim's start or end")
        group.add_argument(f"--{side}-edge", choices=("start", "end"), default="start",
                           help="which edge of that claim (default: its start)")
        group.add_argument(f"--{side}-offset", metavar="DURATION", default="P0D",
                           help="ISO 8601 duration from that edge: P1D, -P1M, P2W, P1Y2M3D "
                                "(default: P0D, the same day)")
        group.add_argument(f"--{side}-approximate", action="store_true",
                           help="about: widened as '~' widens a date of the offset's unit")


def valid_of(args: argparse.Namespace) -> str | dict[str, Any]:
    """``--valid`` as given, or the object form when a side is relative."""
    sides = {}
    for side in ("start", "end"):
        anchor = getattr(args, f"{side}_relative_to")
        sides[side] = {"relative_to": anchor, "edge": getattr(args, f"{side}_edge"),
                       "offset": getattr(args, f"{side}_offset"),
                       "approximate": getattr(args, f"{side}_approximate")} if anchor else None
    if args.valid is None and sides["start"] is None and sides["end"] is None:
        raise InvalidInput("give when it held (--valid), or a relative start or end "
                           "(--start-relative-to, --end-relative-to)", "valid")
    return with_sides(args.valid, sides["start"], sides["end"])


_OFFSETS = ("--start-offset", "--end-offset")


def joined_offsets(argv: list[str]) -> list[str]:
    """``--start-offset -P1M`` as ``--start-offset=-P1M``: argparse would take a negative
    duration for an option of its own."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in _OFFSETS and arg.startswith("-P"):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def option_of(field: str) -> str | None:
    """The option a relative date's field was given by: ``valid.start.offset`` ->
    ``--start-offset``; None for other fields."""
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "valid" and parts[1] in ("start", "end"):
        return f"--{parts[1]}-{parts[2].replace('_', '-')}"
    return None
