"""The command line's further citation of a recorded claim (``timeline.citing``):

    hindsight cite CLAIM_ID --source SOURCE_ID --quote "verbatim text of the source"
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from timeline.api import Archive, InvalidInput

_PLACES = {"claim": "CLAIM_ID", "source": "--source", "quote": "--quote"}


def cmd_cite(args: argparse.Namespace, archive: Archive) -> int:
    """Add the citation; a note, and nothing written, when the claim cites it already."""
    try:
        added = archive.cite(args.claim, args.source, args.quote)
    except InvalidInput as exc:
        if not exc.field:
            raise
        raise InvalidInput(f"{_PLACES.get(exc.field, exc.field)}: {exc.message}") from None
    if not added:
        print(f"note: claim '{args.claim}' already cites this passage of '{args.source}'; "
              "nothing written", file=sys.stderr)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """The ``cite`` subcommand (``timeline.cli.build_parser`` calls this)."""
    about = ("add a citation to a recorded claim: a further passage, verbatim in its source, "
             "the claim rests on (the claim itself is not changed)")
    p = sub.add_parser("cite", parents=[common], help="add a citation to a claim",
                       description=about)
    p.set_defaults(handler=cmd_cite)
    p.add_argument("claim", metavar="CLAIM_ID")
    p.add_argument("--source", required=True, metavar="SOURCE_ID")
    p.add_argument("--quote", required=True, help="text that appears verbatim in the source")
