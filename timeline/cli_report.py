"""``hindsight report``: a printable report of the state on a date (docs/reports.md), as
Markdown, HTML or PDF by the suffix of ``--to``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from timeline.api import Archive, build_report, counted, report_format, write_report
from timeline.report_cite import DEFAULT_STYLE


def cmd_report(args: argparse.Namespace, archive: Archive) -> int:
    target = Path(args.to)
    report_format(target)  # a wrong suffix is refused before any work
    report = build_report(archive, args.as_of, args.known_as_of, args.entity or (),
                          period=(args.from_, args.until), style=args.style, title=args.title,
                          tags=args.tag or ())
    written = write_report(archive, report, target, with_figure=not args.no_figure)
    counts = ", ".join(counted(n, word) for n, word in (
        (report.fact_count, "fact"), (len(report.notes), "note"),
        (len(report.bibliography), "source")))
    print(f"wrote the report ({counts}) to {', '.join(map(str, written))}", file=sys.stderr)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """The ``report`` subcommand (``timeline.cli.build_parser`` calls this)."""
    about = ("a printable report of the state on a date: the facts by entity, dates in words, "
             "accounts and disputes, the relationship graph, the changes over a period, "
             "footnoted quotations and a bibliography (see docs/reports.md)")
    p = sub.add_parser("report", parents=[common], help="a printable report (.md, .html, .pdf)",
                       description=about)
    p.set_defaults(handler=cmd_report)
    p.add_argument("--as-of", required=True, metavar="DATE",
                   help="the day of the state; a month or year means its last day")
    p.add_argument("--known-as-of", metavar="DATE",
                   help="as the record stood on this date (default: everything recorded)")
    p.add_argument("--entity", action="append", metavar="NAME",
                   help="only facts about this entity and its parts; twice: the relationship "
                        "of two")
    p.add_argument("--tag", action="append", metavar="TAG",
                   help="only the facts with TAG (on a claim, or on a source it cites); more "
                        "than once: any of them")
    p.add_argument("--from", dest="from_", metavar="DATE",
                   help="the changes listed start after this date (default: a year before "
                        "--until)")
    p.add_argument("--until", metavar="DATE",
                   help="the changes listed end on this date (default: --as-of)")
    p.add_argument("--style", default=DEFAULT_STYLE, metavar="CSL",
                   help=f"the bibliography's CSL style (default: {DEFAULT_STYLE}; e.g. apa, "
                        "modern-language-association)")
    p.add_argument("--title", help="the report's title (default: who, as of when)")
    p.add_argument("--no-figure", action="store_true",
                   help="leave out the relationship graph")
    p.add_argument("--to", required=True, metavar="FILE",
                   help="the file to write: .md, .html or .pdf (replaced whole)")
