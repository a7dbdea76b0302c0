"""The command line's tags (``timeline.tagging``): ``tag`` and ``untag`` a claim or a source,
and ``tags`` to list them. ``as-of --tag`` is ``timeline.cli``'s.

    hindsight tag CLAIM_ID TAG [TAG ...]          hindsight tag --source SOURCE_ID TAG
    hindsight untag CLAIM_ID TAG [TAG ...]        hindsight untag --source SOURCE_ID TAG
    hindsight tags [TAG] [--claim ID | --source ID] [--format json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from timeline.api import Archive, Batch, InvalidInput
from timeline.tagging import stage_tag, stage_untag

#: How the fields of a tag's errors are named on the command line.
_PLACES = {"tag": "TAG", "labels": "TAG", "claim": "ID", "source": "ID", "target": "ID"}


def _located(exc: InvalidInput, places: dict[str, str]) -> InvalidInput:
    if not exc.field:
        return exc
    return InvalidInput(f"{places.get(exc.field, '--' + exc.field)}: {exc.message}")


def _kind(args: argparse.Namespace) -> str:
    return "source" if args.source else "claim"


def cmd_tag(args: argparse.Namespace, archive: Archive) -> int:
    """Put each TAG on the claim (or ``--source``), in one write: all or nothing."""
    kind = _kind(args)
    added: list[bool] = []

    def stage(batch: Batch) -> None:
        added[:] = [stage_tag(batch, kind, args.target, tag) for tag in args.labels]

    try:
        archive._idempotent(stage)
    except InvalidInput as exc:
        raise _located(exc, _PLACES) from None
    for tag, new in zip(args.labels, added, strict=True):
        if not new:
            print(f"note: {kind} '{args.target}' already has the tag '{tag.strip()}'; "
                  "nothing written for it", file=sys.stderr)
    return 0


def cmd_untag(args: argparse.Namespace, archive: Archive) -> int:
    """Take each TAG off the claim (or ``--source``), in one write: all or nothing."""
    kind = _kind(args)

    def stage(batch: Batch) -> None:
        for tag in args.labels:
            stage_untag(batch, kind, args.target, tag)

    try:
        archive._idempotent(stage)
    except InvalidInput as exc:
        raise _located(exc, _PLACES) from None
    return 0


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_tags(args: argparse.Namespace, archive: Archive) -> int:
    """Every tag with how many claims and sources have it; a claim's or a source's tags
    (``--claim``, ``--source``); or what has one tag (TAG)."""
    from timeline.cli_tables import table

    places = {"claim": "--claim", "source": "--source", "tag": "TAG"}
    try:
        if args.claim is not None or args.source is not None:
            kind = "claim" if args.claim is not None else "source"
            target = args.claim if args.claim is not None else args.source
            tags = [t["tag"] for t in archive.tags(kind, target)]
            if args.format == "json":
                _print_json({kind: target, "tags": tags})
            else:
                print("\n".join(tags) if tags else f"{kind} '{target}' has no tag")
            return 0
        if args.tag is not None:
            return _tagged(args, archive)
    except InvalidInput as exc:
        raise _located(exc, places) from None
    counts = archive.all_tags()
    if args.format == "json":
        _print_json(counts)
    elif counts:
        print(table([(c["tag"], str(c["claims"]), str(c["sources"])) for c in counts],
                    ("TAG", "CLAIMS", "SOURCES")))
    else:
        print("no tags (put one on with: hindsight tag CLAIM_ID TAG)")
    return 0


def _tagged(args: argparse.Namespace, archive: Archive) -> int:
    """The claims (each with its sentence) and the sources that have the tag TAG."""
    from timeline.domain import tag_key
    from timeline.tagging import tag_keys

    key = next(iter(tag_keys([args.tag])))
    rows = [t for t in archive.tags() if tag_key(t["tag"]) == key]
    found = []
    for row in rows:
        if row["kind"] == "claim":
            text = archive.statement(archive.claim(row["id"]))
        else:
            text = str(archive.source(row["id"])["title"])
        found.append({"kind": row["kind"], "id": row["id"], "tag": row["tag"], "text": text})
    if args.format == "json":
        _print_json(found)
    elif found:
        from timeline.cli_tables import table

        print(table([(f["kind"], f["id"], f["text"]) for f in found], ("KIND", "ID", "TEXT"),
                    wrap=(2,)))
    else:
        print(f"nothing has the tag '{args.tag.strip()}'")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """The ``tag``, ``untag`` and ``tags`` subcommands (``timeline.cli.build_parser`` calls
    this)."""
    for name, handler, about in (
            ("tag", cmd_tag, "put tags on a claim (or a source, with --source)"),
            ("untag", cmd_untag, "take tags off a claim (or a source, with --source)")):
        p = sub.add_parser(name, parents=[common], help=about, description=about + "; all "
                           "the tags or none. A tag is a short label (at most 64 characters), "
                           "compared without regard to case or spacing.")
        p.set_defaults(handler=handler)
        p.add_argument("target", metavar="ID", help="a claim id (a source id with --source)")
        p.add_argument("labels", metavar="TAG", nargs="+")
        p.add_argument("--source", action="store_true", help="ID is a source's id")

    about = ("list tags: every tag with how many claims and sources have it; with TAG, what "
             "has it; with --claim or --source, the tags of one")
    p = sub.add_parser("tags", parents=[common], help="list tags", description=about)
    p.set_defaults(handler=cmd_tags)
    p.add_argument("tag", metavar="TAG", nargs="?", help="list what has this tag")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--claim", metavar="ID", help="the tags of this claim")
    which.add_argument("--source", metavar="ID", help="the tags of this source")
    p.add_argument("--format", choices=("table", "json"), default="table")
