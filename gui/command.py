"""The ``hindsight gui`` command, added to the command line through the plugin seam
(``hindsight.commands`` entry point; see ``timeline.cli.Plugin``).

Qt is imported only when the command runs, so ``hindsight --help`` and the other commands
stay fast and work without a display.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "gui", parents=[common], help="open the desktop app",
        description="Open the desktop app: a time slider over the archive, the state on that "
                    "day, the relationship graph, events and sources.")
    p.add_argument("--as-of", metavar="DATE", help="start on this date (default: the last day "
                   "of the archive)")
    p.add_argument("--known-as-of", metavar="DATE",
                   help="start with the record as it stood on this date (default: now)")
    p.add_argument("--recorded-as-of", metavar="DATE|DATETIME",
                   help="start with the archive as it stood then: a date (its end, UTC) or a "
                        "date and time (ISO 8601); default: everything recorded")
    p.add_argument("--entity", metavar="NAME", help="start with this entity selected (a name "
                   "or an alias)")
    p.add_argument("--tag", metavar="TAG",
                   help="start with the tag filter on this tag (only the facts with it)")
    p.add_argument("--search", metavar="TEXT",
                   help="start with the search box open on this text and its results")
    p.add_argument("--screenshot", metavar="PNG",
                   help="render the window at that state to a PNG and exit")
    p.add_argument("--size", metavar="WxH", default="1440x900",
                   help="window size for --screenshot (default 1440x900; at least 1280x800)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gui.app import run as run_app

    return run_app(args)
