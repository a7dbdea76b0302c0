"""``hindsight search TEXT``: the claims, sources and entities whose words hold TEXT's, over
the whole archive (``Archive.search``, ``timeline.searching``).

    hindsight search Altman board [--limit N] [--format table|json]

The table shows each hit's kind, id, date (a claim's start), where the words were found and
the passage, the words found between [brackets]; every character that does not print is
written as ``\\uXXXX``. JSON gives each hit's fields (``SearchHit.to_json``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from timeline.api import Archive, InvalidInput, SearchHit, day_to_iso, printable


def bracketed(hit: SearchHit) -> str:
    """The hit's snippet with each match between [brackets], escaped for a terminal."""
    out, at = [], 0
    for start, end in hit.matches:
        out += [printable(hit.snippet[at:start]), "[", printable(hit.snippet[start:end]), "]"]
        at = end
    out.append(printable(hit.snippet[at:]))
    return "".join(out)


def _row(hit: SearchHit) -> tuple[str, str, str, str, str]:
    kind = f"{hit.kind} ({hit.withdrawn})" if hit.withdrawn else hit.kind
    date = day_to_iso(hit.day) if hit.day is not None else ""
    text = bracketed(hit)
    if hit.field not in ("statement", "title", "name"):  # found in the passage below
        text = f"{printable(hit.title)}\n  {text}"
    return kind, printable(hit.id), date, hit.field, text


def cmd_search(args: argparse.Namespace, archive: Archive) -> int:
    try:
        hits = archive.search(" ".join(args.text), args.limit)
    except InvalidInput as exc:
        field = {"text": "TEXT", "limit": "--limit"}.get(exc.field or "", "TEXT")
        raise InvalidInput(f"{field}: {exc.message}") from None
    if args.format == "json":
        data: Any = [hit.to_json() for hit in hits]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif hits:
        from timeline.cli_tables import table

        print(table([_row(hit) for hit in hits], ("KIND", "ID", "DATE", "FOUND IN", "TEXT"),
                    paragraphs=True))
    else:
        print(f"nothing found for {printable(' '.join(args.text))!r}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """The ``search`` subcommand (``timeline.cli.build_parser`` calls this)."""
    about = ("search the whole archive: claims (their sentences, quotes, notes, tags), sources "
             "(titles, texts) and entities (names, aliases); every word must be found, the "
             "last also as the start of a word; case and accents do not matter")
    p = sub.add_parser("search", parents=[common], help="search claims, quotes, sources and "
                       "names", description=about)
    p.set_defaults(handler=cmd_search)
    p.add_argument("text", metavar="TEXT", nargs="+", help="the words to find")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="at most N hits, the best first (default 50)")
    p.add_argument("--format", choices=("table", "json"), default="table")
