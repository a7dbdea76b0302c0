"""The command line's undo and redo (``timeline.undo``):

    hindsight undo [--dry-run]     undo the last thing you did (HINDSIGHT_AUTHOR, or your user)
    hindsight redo [--dry-run]     redo what you undid last

Each prints what it undid or redid: ``undid: retraction of c-… (recorded 2026-12-07 15:02 by
ana)``. Nothing to undo is an error (exit 3), and nothing is written.
"""

from __future__ import annotations

import argparse
from typing import Any

from timeline.api import Archive


def cmd_undo(args: argparse.Namespace, archive: Archive) -> int:
    act = archive.redo if args.command == "redo" else archive.undo
    print(act(dry_run=args.dry_run).message)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """The ``undo`` and ``redo`` subcommands (``timeline.cli.build_parser`` calls this)."""
    for name, about in (
            ("undo", "undo the last thing you did to the archive (a record, retraction, "
                     "supersession, rerank, alias, tag...), by recording its compensation: "
                     "nothing is deleted, and the history shows both"),
            ("redo", "redo what you undid last (when you have written nothing since)")):
        p = sub.add_parser(name, parents=[common], help=about.split(" (")[0].split(", by")[0],
                           description=about + ". You are HINDSIGHT_AUTHOR, else your "
                           "operating-system user (on PostgreSQL, your database role).")
        p.set_defaults(handler=cmd_undo)
        p.add_argument("--dry-run", action="store_true",
                       help="say what would be done, and write nothing")
