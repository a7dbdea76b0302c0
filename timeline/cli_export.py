"""``hindsight export``: its options and what it runs (docs/formats.md).

Files (JSON, CSV, TimelineJS, CSL-JSON, SQLite) and the web timeline (``--to site``, a
folder) are written by ``timeline.formats``; pictures (``--to svg|png|pdf``) by the desktop
app's renderer ``view`` (``timeline.renderers``), so that the engine never imports Qt:
``render(archive, args) -> int``, the number of facts drawn, with
``args.to``, ``args.file`` (a file name; for ``-``, a temporary file copied to standard output
afterwards), ``args.view`` (``graph`` or ``timeline``), ``args.size`` (``(width, height)`` in
pixels, or None for the renderer's default), ``args.as_of``, ``args.known_as_of`` and
``args.entity``; it returns how many relationships (graph) or facts (timeline) it drew. The file is
checked first (``formats.base.check_target``); the renderer writes it atomically
(``formats.base.write_atomically``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timeline import renderers
from timeline.api import Archive, InvalidInput, printable
from timeline.cli_recorded import add_argument as add_recorded_argument
from timeline.cli_recorded import recorded

#: Pictures of a view, drawn by the desktop app's renderer.
PICTURE_FORMATS = ("svg", "png", "pdf")
VIEWS = ("graph", "timeline")


def picture_size(text: str) -> tuple[int, int]:
    """``--size WxH``: ``renderers.picture_size``, as argparse wants its errors."""
    try:
        return renderers.picture_size(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def add_export_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``hindsight export``."""
    from timeline.formats import EXPORT_FORMATS, GROUP_BY

    p.add_argument("--to", metavar="FORMAT",
                   help=", ".join((*EXPORT_FORMATS, *PICTURE_FORMATS)) + " (default: what "
                        f"FILE's suffix names: {', '.join(BY_SUFFIX)})")
    p.add_argument("file", metavar="FILE",
                   help="the file to write (replaced whole), or - for standard output; for "
                        "site, a new or empty folder")
    p.add_argument("--as-of", metavar="DATE",
                   help="only the facts of the state on DATE (not with json); for site, the "
                        "date the page opens on")
    p.add_argument("--entity", metavar="NAME", action="append",
                   help="only claims about NAME or one of its aliases (not with json); "
                        "pictures take it more than once")
    p.add_argument("--tag", metavar="TAG", action="append",
                   help="only the facts (or claims) with TAG, or one of its sources with it; "
                        "more than once: any of them (not with json)")
    p.add_argument("--group-by", choices=GROUP_BY,
                   help="with --to timelinejs: one row of the timeline per subject or per "
                        "predicate, or none (default: none when there are more than eight "
                        "subjects, else subject)")
    p.add_argument("--view", choices=VIEWS,
                   help="with --to svg, png or pdf: the picture of the relationship graph "
                        "(default) or of the timeline")
    p.add_argument("--size", type=picture_size, metavar="WxH",
                   help="with --to svg, png or pdf: the picture's size in pixels, e.g. 1400x880")
    p.add_argument("--known-as-of", metavar="DATE",
                   help="with --to svg, png or pdf: as the record stood on DATE (default: "
                        "everything known now)")
    add_recorded_argument(p)
    p.add_argument("--salvage", action="store_true",
                   help="with --to json: every event that can still be read, even when some "
                        "cannot; those are listed on stderr and the exit code is 6")


#: The format a file's suffix names when ``--to`` is not given (.json is Hindsight JSON:
#: TimelineJS and CSL-JSON, JSON too, are asked for by name).
BY_SUFFIX = {".json": "json", ".csv": "csv", ".sqlite": "sqlite", ".svg": "svg",
             ".png": "png", ".pdf": "pdf"}


def _format(args: argparse.Namespace) -> str:
    """``--to``, or the format FILE's suffix names."""
    if args.to is not None:
        return str(args.to)
    found = BY_SUFFIX.get(Path(args.file).suffix.lower()) if args.file != "-" else None
    if found is None:
        raise InvalidInput(f"the name '{printable(args.file)}' does not say which format to "
                           f"write: give one ({', '.join(BY_SUFFIX)} say it)", "to")
    return found


def _check_options(args: argparse.Namespace) -> None:
    from timeline.formats import EXPORT_FORMATS, FOLDER_FORMATS

    known = (*EXPORT_FORMATS, *PICTURE_FORMATS)
    if args.to not in known:
        raise InvalidInput(f"'{args.to}' is not a supported export format "
                           f"({', '.join(known)})", "to")
    if args.to not in PICTURE_FORMATS:
        for option in ("view", "size", "known_as_of"):
            if getattr(args, option) is not None:
                raise InvalidInput(f"goes with --to svg, png or pdf, not {args.to}", option)
    if args.to not in PICTURE_FORMATS and len(args.entity or ()) > 1:
        raise InvalidInput(f"--to {args.to} takes one entity, not {len(args.entity)}",
                           "entity")
    if args.group_by is not None and args.to != "timelinejs":
        raise InvalidInput(f"goes with --to timelinejs, not {args.to}", "group_by")
    if args.to in FOLDER_FORMATS and args.file == "-":
        raise InvalidInput(f"--to {args.to} writes a folder, not a stream: give a folder "
                           "name, not -")
    if args.to == "sqlite" and args.file == "-":
        raise InvalidInput("an SQLite database cannot be written to standard output (-); "
                           "give a file name")


def cmd_export(args: argparse.Namespace, archive: Archive) -> int:
    from timeline.formats import Selection, export_path

    args.to = _format(args)
    if args.salvage:
        return cmd_salvage(args, archive)
    _check_options(args)
    archive = recorded(args, archive)
    if args.to in PICTURE_FORMATS:
        return _export_picture(args, archive)
    selection = Selection(args.as_of, args.entity[0] if args.entity else None,
                          tuple(args.tag or ()))
    if args.file != "-":
        # Never over the archive's own files, a device, a pipe or a folder: the exporters
        # check the target against the open archive's files (formats.base.check_target).
        written = export_path(archive, args.to, Path(args.file), selection,
                              group_by=args.group_by)
        print(f"exported {written} to {args.file}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="hindsight-export-") as folder:
        done = Path(folder) / "export"
        written = export_path(archive, args.to, done, selection, group_by=args.group_by)
        _copy_to_stdout(done)
    print(f"exported {written} to standard output", file=sys.stderr)
    return 0


def _copy_to_stdout(path: Path) -> None:
    with path.open("rb") as exported:
        shutil.copyfileobj(exported, sys.stdout.buffer)
    sys.stdout.buffer.flush()


#: What a picture's count counts, by view.
_DRAWN = {"graph": "relationships", "timeline": "facts"}


def renderer() -> Callable[[Archive, argparse.Namespace], int]:
    """The desktop app's picture renderer; InvalidInput saying so when it is not there."""
    found = renderers.renderer("view")
    if found is None:
        raise InvalidInput("svg, png and pdf pictures need the desktop app's renderer, which "
                           "is not installed here (install Hindsight with its desktop app)", "to")
    return found


def _export_picture(args: argparse.Namespace, archive: Archive) -> int:
    from timeline.formats.base import archive_files, check_target

    render = renderer()
    options: dict[str, Any] = {**vars(args), "view": args.view or VIEWS[0]}
    if args.file != "-":
        check_target(Path(args.file), archive_files(archive))
        drawn = render(archive, argparse.Namespace(**options))
        print(f"exported {drawn} {_DRAWN[options['view']]} to {args.file}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="hindsight-export-") as folder:
        done = Path(folder) / f"export.{args.to}"
        drawn = render(archive, argparse.Namespace(**{**options, "file": str(done)}))
        _copy_to_stdout(done)
    print(f"exported {drawn} {_DRAWN[options['view']]} to standard output", file=sys.stderr)
    return 0


def cmd_salvage(args: argparse.Namespace, archive: Archive) -> int:
    """``export --to json --salvage FILE``: every event that can be read, as Hindsight JSON;
    each one that cannot on stderr (position and reason); exit 0 when none was lost, else
    ``integrity.SALVAGE_INCOMPLETE``. The archive was opened without its read model caught
    up, which an unreadable event would stop."""
    from timeline.formats import export_path
    from timeline.formats.base import archive_files, check_target
    from timeline.integrity import SALVAGE_INCOMPLETE, salvage

    if args.to != "json":
        raise InvalidInput(f"--salvage writes Hindsight JSON, not '{args.to}': give --to json")
    if args.as_of or args.entity or args.recorded_as_of:
        raise InvalidInput("--salvage writes every event that can be read: not with --as-of, "
                           "--entity or --recorded-as-of")
    if args.file == "-":
        raise InvalidInput("--salvage writes a file: give a file name, not -")
    target = Path(args.file)
    check_target(target, archive_files(archive))  # never over the archive's own files
    found = salvage(archive.store)
    with found.archive as salvaged:
        written = export_path(salvaged, "json", target)
    for line in found.lost:
        print(f"hindsight: warning: {line}", file=sys.stderr)
    if found.complete:
        print(f"salvaged all {found.events:,} events to {args.file} ({written})",
              file=sys.stderr)
        return 0
    print(f"hindsight: error: salvaged {found.salvaged:,} of {found.events:,} events to "
          f"{args.file} ({written}); {len(found.lost):,} could not be (listed above)",
          file=sys.stderr)
    return SALVAGE_INCOMPLETE
