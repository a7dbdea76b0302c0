"""The command line's sources: ``source add``, ``source list`` and ``source show``.

    hindsight source add ID --title T --published DATE (--file PATH | --text TEXT)
        [--type TYPE] [--author "Family, Given"]... [--container T] [--publisher P] [--url U]
        [--accessed DATE] [--archive-name A] [--archive-location L] [--locator L] [--language L]
        [--note N] [--version-of ID]
    hindsight source list
    hindsight source show ID [--known-as-of DATE]

A file's text is read by the rules of ``timeline.files`` and extracted by
``timeline.sourcefiles`` (text, Markdown, HTML, a PDF's text layer with its pages); the
metadata is checked by ``timeline.sourcemeta``. A later version of a source
(``--version-of``) gets the id ``BASE@N`` when none is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from timeline.api import Archive, InvalidInput, NotFound
from timeline.sourcefiles import SourceText, read_source_file
from timeline.sourcemeta import METADATA_FIELDS, SOURCE_TYPES, parse_author

#: The options of ``source add`` that are metadata, by the field they fill.
#: (``--archive`` is every command's archive file: the source's is ``--archive-name``.)
_META_OPTIONS = ("type", "container", "publisher", "accessed", "archive_name",
                 "archive_location", "locator", "language", "note")


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _where(field: str) -> str:
    """How the command line names a field of a source: ``--archive-location``, ``ID``."""
    head = field.split(".")[0].split("[")[0]
    if head == "id":
        return "ID"
    return "--" + {"authors": "author", "archive": "archive-name"}.get(head, head).replace(
        "_", "-")


def _located(exc: InvalidInput) -> InvalidInput:
    return InvalidInput(f"{_where(exc.field)}: {exc.message}") if exc.field else exc


def version_id(archive: Archive, base: str) -> str:
    """The id a new version of ``base`` gets when none is given: ``FIRST@N``, N the number
    of its versions so far plus one (the first version is 1), the next free one."""
    try:
        versions = archive.source_versions(base)
    except NotFound:
        raise InvalidInput(f"--version-of: no source '{base}' to be a version of") from None
    root = versions[0]["version_of"] or versions[0]["id"]
    n = len(versions) + 1
    taken = {v["id"] for v in versions}
    while f"{root}@{n}" in taken or archive.readmodel.source(f"{root}@{n}") is not None:
        n += 1
    return f"{root}@{n}"


def _text(args: argparse.Namespace) -> SourceText:
    if args.file is not None and args.text is not None:
        raise InvalidInput("give the text with --file or --text, not both")
    if args.text is not None:
        return SourceText(args.text)
    # A regular file of at most files.MAX_FILE_BYTES, read without blocking on a FIFO; a PDF,
    # HTML or Markdown file's text extracted (timeline.sourcefiles).
    return read_source_file(args.file, "file")


def cmd_add(args: argparse.Namespace, archive: Archive) -> int:
    if not (args.title and args.published and (args.file or args.text is not None)
            and (args.id or args.version_of)):
        raise InvalidInput("source add needs ID --title T --published DATE and --file PATH "
                           "or --text TEXT")
    found = _text(args)
    source_id = args.id or version_id(archive, args.version_of)
    meta: dict[str, Any] = {name.removesuffix("_name"): getattr(args, name) or ""
                            for name in _META_OPTIONS}
    try:
        meta["authors"] = [parse_author(a, f"authors[{k}]")
                           for k, a in enumerate(args.author or ())]
        with archive.batch() as batch:
            if batch.source(source_id, args.title, args.published, found.text,
                            args.url or "", pages=found.pages,
                            version_of=args.version_of or "", meta=meta,
                            calendar=args.calendar):
                # Validated and about to be written: the last moment to think again.
                what = f"'{args.file}'" if args.file else "--text"
                print(f"hindsight: warning: the text of {what} ({len(found.text):,} "
                      "characters) becomes part of the archive's permanent record and can "
                      "never be removed", file=sys.stderr)
    except InvalidInput as exc:
        raise _located(exc) from None
    print(source_id)
    return 0


def shown(source: dict[str, Any], versions: list[dict[str, Any]]) -> dict[str, Any]:
    """A source as ``source show`` prints it: its fields (empty metadata left out) and,
    when it has several versions, each version's id and publication date. The calendar of
    the publication date is shown when it is not the Gregorian."""
    out = {k: v for k, v in source.items()
           if k != "published_day" and (v or k in ("id", "title", "published", "url", "text"))
           and (k, v) != ("calendar", "gregorian")}
    if len(versions) > 1:
        out["versions"] = [{"id": v["id"], "published": v["published"]} for v in versions]
    return out


def cmd_show(args: argparse.Namespace, archive: Archive) -> int:
    if not args.id:
        raise InvalidInput("source show needs a source ID")
    source = archive.source(args.id)
    versions = archive.source_versions(args.id)
    if args.known_as_of is not None:
        in_force = archive.source_as_known(args.id, args.known_as_of)
        if in_force is None:
            raise NotFound(f"source '{args.id}' was not yet published as known on "
                           f"{args.known_as_of} (first published {versions[0]['published']})")
        source = in_force
    _print_json(shown(source, versions))
    return 0


def cmd_source(args: argparse.Namespace, archive: Archive) -> int:
    if args.action == "add":
        return cmd_add(args, archive)
    if args.action == "show":
        return cmd_show(args, archive)
    for s in archive.sources():
        later = f"\t(version of {s['version_of']})" if s["version_of"] else ""
        calendar = " (Julian)" if s["calendar"] == "julian" else ""
        print(f"{s['id']}\t{s['published']}{calendar}\t{s['title']}{later}")
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``source``."""
    p.add_argument("action", choices=("add", "list", "show"))
    p.add_argument("id", nargs="?", metavar="ID")
    p.add_argument("--title")
    p.add_argument("--published", metavar="DATE", help="EDTF date of publication")
    p.add_argument("--calendar", metavar="CALENDAR",
                   help="the calendar --published is written in: gregorian (the default) or "
                        "julian")
    p.add_argument("--file", metavar="PATH",
                   help="the text: a .txt, .md or .html file, or a PDF with a text layer")
    p.add_argument("--text", help="the text itself (instead of --file)")
    p.add_argument("--type", metavar="TYPE",
                   help="what it is: " + ", ".join(f"{w} ({n})" for n, w in
                                                   SOURCE_TYPES.items()))
    p.add_argument("--author", action="append", metavar='"FAMILY, GIVEN"',
                   help="an author, in order (repeat); without a comma, a name as it is "
                        "(an organisation)")
    p.add_argument("--container", metavar="TITLE",
                   help="the newspaper, journal, book or site it appeared in")
    p.add_argument("--publisher")
    p.add_argument("--url", help="its web address (http or https)")
    p.add_argument("--accessed", metavar="DATE", help="EDTF date it was read online")
    p.add_argument("--archive-name", dest="archive_name", metavar="NAME",
                   help="the archive that holds it (a record office, a library)")
    p.add_argument("--archive-location", dest="archive_location", metavar="PLACE",
                   help="box, folder or shelfmark in that archive")
    p.add_argument("--locator", metavar="PAGES", help="its pages in the container")
    p.add_argument("--language", metavar="TAG", help="a language tag: en, fr, de-CH")
    p.add_argument("--note")
    p.add_argument("--version-of", dest="version_of", metavar="ID",
                   help="a later version of that source (ID: BASE@N when not given)")
    p.add_argument("--known-as-of", dest="known_as_of", metavar="DATE",
                   help="show: the version in force as known on DATE")
    assert {n.removesuffix("_name") for n in _META_OPTIONS} | {"authors"} == set(
        METADATA_FIELDS)
