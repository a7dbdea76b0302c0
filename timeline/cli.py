"""The ``hindsight`` command line. Every command takes ``--archive``; a user's mistake is
one line on stderr and a non-zero exit, never a traceback.

Read commands print a table for people (``--format table``) or JSON, the contract for other
programs (``--format json``). Write commands print only what a script needs (a new claim's id).
A user's mistake is one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from timeline import __version__, cli_relative
from timeline.api import Archive, HindsightError, InvalidInput, NearNames, NearNew
from timeline.bootstrap import open_archive
from timeline.cli_diff import diff_text
from timeline.cli_export import add_export_arguments, cmd_export
from timeline.cli_recorded import add_argument as add_recorded_argument
from timeline.cli_recorded import early_correction, recorded, recorded_as_of, say
from timeline.cli_sources import add_arguments as add_source_arguments
from timeline.cli_sources import cmd_source
from timeline.cli_tables import by_author, describe_state, facts_table, history_table, table
from timeline.domain import ENTITY_KINDS, RANKS
from timeline.errors import close_listed, printable
from timeline.sourcenames import fact_sources, source_names
from timeline.store import STORAGE_ERRORS, is_transient, redact

Handler = Callable[[argparse.Namespace, Archive], int]


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# --- read commands ----------------------------------------------------------------------------


def cmd_as_of(args: argparse.Namespace, archive: Archive) -> int:
    archive = recorded(args, archive)
    state = archive.as_of(args.date, args.known_as_of, args.entity or (), args.tag or ())
    if args.format == "json":
        _print_json(state.to_json())
    else:
        print(describe_state(state))
        if state.facts:
            names = source_names(archive, (s for f in state.facts for s in fact_sources(f)))
            print(facts_table(state.facts, names))
    return 0


def cmd_history(args: argparse.Namespace, archive: Archive) -> int:
    archive = recorded(args, archive)
    items = archive.history(args.name)
    if args.format == "json":
        _print_json({"entity": archive.entity(args.name),
                     "recorded_as_of": recorded_as_of(archive), "claims": items})
    else:
        if recorded_as_of(archive):
            print(f"As recorded on {recorded_as_of(archive)}:")
        print(history_table(items))
    return 0


def cmd_diff(args: argparse.Namespace, archive: Archive) -> int:
    archive = recorded(args, archive)
    diff = archive.diff(args.date1, args.date2, args.known_as_of, args.entity or ())
    if args.format == "json":
        _print_json(diff.to_json())
        return 0
    print(diff_text(diff, table))
    return 0


def cmd_entities(args: argparse.Namespace, archive: Archive) -> int:
    entities = archive.entities()
    if args.format == "json":
        _print_json(entities)
    else:
        print(table([(e["kind"], e["name"], ", ".join(e["aliases"])) for e in entities],
                     ("KIND", "NAME", "ALIASES")))
    return 0


def run_team_setup(args: argparse.Namespace) -> int:
    from timeline import team

    writers = team.role_names(args.writers, "--writers")
    readers = team.role_names(args.readers, "--readers")
    for line in team.setup(args.url, writers, readers).lines():
        print(line)
    return 0


def run_bench(args: argparse.Namespace) -> int:
    from timeline import bench

    if args.events < 10:
        raise InvalidInput("--events: give at least 10 events")
    result = bench.run(args.events, Path(args.dir) if args.dir else None,
                       slider=not args.no_slider, archive=getattr(args, "archive", None))
    if args.format == "json":
        print(json.dumps(result))
    else:
        print(bench.table([result]))
    return 0


def cmd_watch(args: argparse.Namespace, archive: Archive) -> int:
    """Print events as other processes write them, by following the notification log."""
    import math
    import time

    if not (math.isfinite(args.interval) and 0 < args.interval <= 3600):
        raise InvalidInput(f"'{args.interval:g}' is not a number of seconds between 0 and "
                           "3600", "interval")
    if args.limit is not None and args.limit < 1:
        raise InvalidInput(f"'{args.limit}' is not a number of events (1 or more)", "limit")
    position = 0 if args.from_start else archive.store.max_position()
    shown = failures = 0
    while args.limit is None or shown < args.limit:
        try:
            page = archive.store.notifications(position, 500)
            failures = 0
        except Exception as exc:
            failures += 1  # a moment of another writer is waited out; a lasting fault is not
            if not is_transient(exc) or failures > 20:
                raise
            time.sleep(args.interval)
            continue
        for note in page:
            event = note.event
            fields = event.model_dump(mode="json", exclude={"originator_version"})
            line = {"position": note.position, "event": type(event).__name__,
                    "stream": fields.pop("originator_id"), **fields,
                    "recorded_by": note.recorded_by}
            if args.format == "json":
                print(json.dumps(line, ensure_ascii=False), flush=True)
            else:
                detail = ", ".join(f"{k}={v}" for k, v in fields.items()
                                   if k not in ("timestamp", "schema_version", "citations"))
                by = by_author(note.recorded_by) or "-"
                print(f"{note.position:>8}  {line['timestamp'][:19]}  {by:<12} "
                      f"{line['event']:<18} {detail}", flush=True)
            shown += 1
            if args.limit is not None and shown >= args.limit:
                break
        if page:
            position = page[-1].position
        else:
            time.sleep(args.interval)
    return 0


def cmd_rebuild(args: argparse.Namespace, archive: Archive) -> int:
    # Opened without catching up (``catch_up=False``): the read model may be damaged, and
    # the events alone are needed.
    events = archive.rebuild()
    aside = archive.readmodel.moved_aside
    if aside is not None:
        print(f"note: the damaged read model was moved to {aside}", file=sys.stderr)
    print(f"rebuilt the read model from {events} events", file=sys.stderr)
    return 0


def cmd_verify(args: argparse.Namespace, archive: Archive) -> int:
    from timeline.errors import ArchiveError
    from timeline.integrity import Anchor, verify

    report = verify(archive, [Anchor.parse(a) for a in args.anchor or ()])
    if not report.ok:
        for problem in report.problems:
            print(f"hindsight: error: {problem}", file=sys.stderr)
        mend = "".join(f"; {hint}" for hint in report.hints)
        print(f"hindsight: error: the archive is not intact ({len(report.problems)} "
              f"problems){mend}", file=sys.stderr)
        return ArchiveError.exit_code
    print(report.summary())
    if report.head:
        print(f"chain head: {report.head} (note it down: `verify --anchor {report.head}` "
              "proves these events unchanged later)")
    return 0


# --- write commands ---------------------------------------------------------------------------


def _citations(args: argparse.Namespace) -> list[tuple[str, str]]:
    sources, quotes = args.source or [], args.quote or []
    if len(sources) != len(quotes):
        raise InvalidInput("give each --source with its --quote")
    return list(zip(sources, quotes, strict=True))


_POSITIONAL = {"date": "DATE", "date1": "DATE1", "date2": "DATE2", "subject": "SUBJECT",
               "predicate": "PREDICATE", "name": "NAME", "aliases": "ALIAS", "alias": "ALIAS",
               "other": "OTHER", "id": "ID", "claim_id": "CLAIM_ID", "target": "ID",
               "labels": "TAG", "text": "TEXT"}

#: Arguments that are paths: any name the system allows (they are never looked up or stored).
_PATH_ARGUMENTS = frozenset({"archive", "file", "dir"})


def _check_text_arguments(args: argparse.Namespace) -> None:
    """Names, ids, dates and texts given on the command line must be valid Unicode: bytes that
    are not UTF-8 arrive as halves of surrogate pairs, which no name can hold nor be looked up
    by (the names rule itself is ``timeline.domain.clean_name``)."""
    for dest, value in vars(args).items():
        if dest in _PATH_ARGUMENTS:
            continue
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, str):
                try:
                    item.encode()
                except UnicodeEncodeError:
                    raise InvalidInput(f"{item!r} is not valid UTF-8 text", dest) from None


def _cli_field(exc: InvalidInput) -> InvalidInput:
    """Name the field as the user typed it: ``--valid: …`` or ``DATE: …``."""
    if not exc.field:
        return exc
    name = exc.field.split(".")[-1]
    where = cli_relative.option_of(exc.field) or _POSITIONAL.get(name) or \
        "--" + name.replace("_", "-")
    return InvalidInput(f"{where}: {exc.message}")


def cmd_record(args: argparse.Namespace, archive: Archive) -> int:
    staged: list[Any] = []

    def stage(batch: Any) -> str:
        staged.append(batch)
        return batch.record(
            args.subject, args.predicate, valid=cli_relative.valid_of(args), value=args.value,
            object=args.object, sources=_citations(args), known_at=args.known_at,
            certainty=args.certainty, rank=args.rank, note=args.note or "", kind=args.kind,
            new_entity=args.new_entity, account_of=args.account_of, calendar=args.calendar)

    # Written as Archive.record is: tried again when another writer got in first.
    try:
        claim_id = archive._idempotent(stage)
    except NearNames as exc:
        raise exc.confirm_with("Give --new-entity to create it.") from None
    # Only once the claim is stored: a failed commit created nothing. Each with its kind:
    # --kind is every new entity's, the object's too (docs/time-model.md).
    for name in staged[-1].created:
        near = [n for n in archive.suggest(name) if n != name]
        hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
        print(f"note: created entity '{name}' ({archive.entity(name)['kind']}){hint}",
              file=sys.stderr)
    print(claim_id)
    return 0


def cmd_retract(args: argparse.Namespace, archive: Archive) -> int:
    note = early_correction(archive, args.claim_id, args.known_at)
    archive.retract(args.claim_id, args.known_at, args.reason or "")
    say(note)
    return 0


def cmd_supersede(args: argparse.Namespace, archive: Archive) -> int:
    replacement: dict[str, Any] = {
        k: getattr(args, k) for k in ("subject", "predicate", "value", "object", "valid",
                                       "certainty", "calendar") if getattr(args, k) is not None}
    if args.source:
        replacement["sources"] = _citations(args)
    note = early_correction(archive, args.claim_id, args.known_at)
    new_id = archive.supersede(args.claim_id, known_at=args.known_at, reason=args.reason or "",
                               **replacement)
    print(new_id)
    say(note)
    return 0


def cmd_rerank(args: argparse.Namespace, archive: Archive) -> int:
    archive.rerank(args.claim_id, args.rank, args.known_at, args.reason or "")
    return 0


def cmd_alias(args: argparse.Namespace, archive: Archive) -> int:
    archive.alias(args.name, args.alias)
    return 0


def cmd_merge(args: argparse.Namespace, archive: Archive) -> int:
    kinds = archive.merge(args.name, args.other)
    if kinds:
        print(f"note: {kinds}", file=sys.stderr)
    return 0


def cmd_predicate(args: argparse.Namespace, archive: Archive) -> int:
    archive.define_predicate(args.name, args.label or "", args.single)
    return 0


def cmd_import(args: argparse.Namespace, archive: Archive) -> int:
    from timeline.formats import import_path

    report = import_path(archive, Path(args.file), args.format)
    print(f"imported {printable(args.file)}: {report.summary()}", file=sys.stderr)
    for near in report.near:  # said, never refused: a file imports as it always did
        print(near_note(near, args.archive), file=sys.stderr)
    return 0


def near_note(near: NearNew, archive: str | None = None) -> str:
    """The line ``import`` prints for a new entity close to names the archive held, with
    the command that merges it into the closest one's entity (which keeps its name; the new
    name becomes its alias), run on the same ``archive``. Names are user input: every
    character that does not print is written ``\\uXXXX`` — and then no command is given, as
    it could not be typed — and the command's words are quoted for a POSIX shell."""
    line = (f"note: new entity '{near.name}' ({near.kind}) is close to "
            f"{close_listed(near.close, 'and')}")
    kept = near.close[0][2]
    words = ["hindsight", *(["--archive", redact(archive)] if archive else []), "merge",
             *(["--"] if kept.startswith("-") or near.name.startswith("-") else []),
             kept, near.name]
    command = " ".join(shlex.quote(word) for word in words)
    if command.isprintable():
        return printable(f"{line}; if they are one, run: {command}")
    return printable(f"{line}; if they are one, merge them (hindsight merge)")


# --- the parser -------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """Argument errors in one line, like every other error (subcommands inherit this)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"hindsight: error: {message} (see '{self.prog} --help')\n")



def build_parser(plugins: Sequence[Plugin] = ()) -> argparse.ArgumentParser:
    archive_help = "archive file (default: your data folder, seeded on first use)"
    # On subcommands the option must not reset a value given before the subcommand.
    common = _Parser(add_help=False)
    common.add_argument("--archive", metavar="PATH", default=argparse.SUPPRESS,
                        help=archive_help)
    parser = _Parser(
        prog="hindsight",
        description="Replay history to a point in time: what held as of a date, as known on "
                    "another.")
    parser.add_argument("--archive", metavar="PATH", help=archive_help)
    parser.add_argument("--version", action="version", version=f"hindsight {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("table", "json"), default="table")

    def filters(p: argparse.ArgumentParser) -> None:
        p.add_argument("--entity", action="append", metavar="NAME",
                       help="only facts about this entity and its parts (part_of); twice: the "
                            "relationship of two")
        p.add_argument("--known-as-of", metavar="DATE",
                       help="as the record stood on this date (default: everything known now)")
        add_recorded_argument(p)

    p = command("as-of", cmd_as_of, "the state of the world on a date")
    p.add_argument("date", metavar="DATE",
                   help="EDTF or plain date; a month or year means its last day")
    filters(p)
    p.add_argument("--tag", action="append", metavar="TAG",
                   help="only facts with this tag (on their claim or a source); repeat: any")
    output(p)

    p = command("history", cmd_history, "every claim about an entity, in valid-time order")
    p.add_argument("name", metavar="NAME")
    add_recorded_argument(p)
    output(p)

    p = command("diff", cmd_diff, "what began, ended or changed between two dates, and "
                                  "every change on the days between")
    p.add_argument("date1", metavar="DATE1")
    p.add_argument("date2", metavar="DATE2")
    filters(p)
    output(p)

    p = command("entities", cmd_entities, "list entities with their aliases")
    output(p)

    def claim_fields(p: argparse.ArgumentParser, required: bool) -> None:
        p.add_argument("--value", help="a literal value; with --object, the relationship's "
                                       "quality (e.g. 'close allies')")
        p.add_argument("--object", metavar="ENTITY", help="another entity (a relationship)")
        p.add_argument("--valid", required=required, metavar="EDTF",
                       help="when it held, e.g. 2019-07/.. or 2018-06/2018-08")
        p.add_argument("--calendar", metavar="CALENDAR",
                       help="the calendar --valid is written in: gregorian (the default) or "
                            "julian")
        p.add_argument("--source", action="append", metavar="ID")
        p.add_argument("--quote", action="append", metavar="TEXT",
                       help="verbatim text of the --source before it")
        p.add_argument("--known-at", metavar="DATE",
                       help="when it could have been known (default: today)")
        p.add_argument("--certainty", type=float)

    p = command("record", cmd_record, "record a claim; prints its id")
    p.epilog = cli_relative.EPILOG
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("subject", metavar="SUBJECT")
    p.add_argument("predicate", metavar="PREDICATE")
    claim_fields(p, required=False)
    cli_relative.add_arguments(p)
    p.add_argument("--rank", choices=RANKS, default="normal")
    p.add_argument("--note")
    p.add_argument("--kind", choices=ENTITY_KINDS,
                   help="the kind of an entity this claim creates (default: other)")
    p.add_argument("--new-entity", action="store_true",
                   help="create SUBJECT or --object as a new entity even when its name is "
                        "close to one the archive holds")
    p.add_argument("--account-of", metavar="CLAIM_ID",
                   help="another account of the fact that claim gives, worded differently")

    p = command("retract", cmd_retract, "withdraw a claim (it stays in the record)")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    p.add_argument("--known-at", metavar="DATE")
    p.add_argument("--reason")

    p = command("supersede", cmd_supersede,
                "replace a claim by a corrected one; prints the new claim's id")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    p.add_argument("--subject")
    p.add_argument("--predicate")
    claim_fields(p, required=False)
    p.add_argument("--reason")

    p = command("rerank", cmd_rerank, "set a claim's rank")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    p.add_argument("rank", choices=RANKS)
    p.add_argument("--known-at", metavar="DATE")
    p.add_argument("--reason")

    p = command("alias", cmd_alias, "give an entity another name")
    p.add_argument("name", metavar="NAME")
    p.add_argument("alias", metavar="ALIAS")

    p = command("merge", cmd_merge, "merge OTHER into NAME (they were one entity)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("other", metavar="OTHER")

    p = command("predicate", cmd_predicate, "declare a predicate's label and cardinality")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--label")
    p.add_argument("--single", nargs="?", const="subject", default=False,
                   choices=("subject", "object", "both"),
                   help="single-valued: one answer at a time per subject (the default), per "
                        "object (an office: one holder at a time) or both; disagreeing "
                        "claims are CONTESTED")

    p = command("source", cmd_source, "add, list or show sources (a text, a Markdown, HTML "
                "or PDF file; CSL metadata; versions)")
    add_source_arguments(p)

    from timeline.formats import IMPORT_FORMATS

    p = command("import", cmd_import,
                "import a Hindsight JSON or CSV file (all or nothing; see docs/formats.md)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=IMPORT_FORMATS,
                   help="the file's format (default: .csv is CSV, anything else JSON)")

    p = command("export", cmd_export, "export the archive (see docs/formats.md)")
    add_export_arguments(p)

    p = command("rebuild", cmd_rebuild, "recompute the read model from the events")
    p.set_defaults(catch_up=False)

    p = command("watch", cmd_watch,
                "print each new event as it is written (by this or any other process)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="json: one object a line")
    p.add_argument("--from-start", action="store_true", help="first print every stored event")
    p.add_argument("--interval", type=float, default=0.2, metavar="SECONDS",
                   help="how often to look for new events (default 0.2)")
    p.add_argument("--limit", type=int, metavar="N", help="stop after N events")

    p = command("verify", cmd_verify, "prove the archive intact: event log, read model, quotes")
    p.add_argument("--anchor", action="append", metavar="POSITION:DIGEST",
                   help="a chain head noted down earlier (as verify prints it)")

    p = sub.add_parser(
        "team-setup", help="make a team archive on PostgreSQL, its roles and their grants",
        description="Make (or bring up to date) a team archive on PostgreSQL as its owner: the "
                    "schema, the event store's tables, the group roles SCHEMA_writers and "
                    "SCHEMA_readers, the members not yet there, and the grants (writers add "
                    "events, readers read, nobody but the owner edits or deletes). Safe to run "
                    "again, to add members. See docs/team-archive.md.")
    p.add_argument("url", metavar="URL",
                   help="postgresql://OWNER@HOST[:PORT]/DATABASE?schema=NAME (as the owner)")
    p.add_argument("--writers", metavar="ROLE[,ROLE…]",
                   help="roles that record and correct (made LOGIN roles if missing)")
    p.add_argument("--readers", metavar="ROLE[,ROLE…]",
                   help="roles that only read (made LOGIN roles if missing)")
    p.set_defaults(run=run_team_setup)

    p = sub.add_parser("bench", help="measure speed on a synthetic archive of N events",
                       description="Build a synthetic archive of N events through the real "
                                   "import path and measure it (see docs/benchmarks.md).")
    p.add_argument("--events", type=int, default=10_000, metavar="N")
    p.add_argument("--dir", metavar="DIR", help="where to build it (default: a temp folder)")
    p.add_argument("--no-slider", action="store_true",
                   help="skip the desktop slider measurement")
    p.add_argument("--archive", metavar="URL", default=argparse.SUPPRESS,
                   help="build it on PostgreSQL instead, in the new schema the URL names "
                        "(postgresql://USER@HOST[:PORT]/DATABASE?schema=NAME; created, then "
                        "dropped)")
    p.add_argument("--format", choices=("table", "json"), default="json")
    p.set_defaults(run=run_bench)
    from timeline.cli_cite import register as cite
    from timeline.cli_report import register as report
    from timeline.cli_search import register as search
    from timeline.cli_tags import register as tags
    from timeline.cli_undo import register as undo

    for register in (report, search, tags, undo, cite, *plugins):
        register(sub, common)
    return parser


#: A plugin adds subcommands: ``register(subparsers, common_parent_parser)``. Each command sets
#: ``handler`` (called with the open archive) or ``run`` (called with the arguments alone,
#: when it opens the archive itself, as the desktop app does).
Plugin = Callable[[Any, argparse.ArgumentParser], None]


def installed_plugins() -> list[Plugin]:
    """Commands other packages add (the desktop app adds ``gui``), found by entry point so
    that the engine never imports them."""
    from importlib.metadata import entry_points

    found = []
    for point in entry_points(group="hindsight.commands"):
        try:
            found.append(point.load())
        except ImportError:
            continue  # an optional part that is not installed: its command is not offered
    return found


def main(argv: Sequence[str] | None = None, plugins: Sequence[Plugin] | None = None) -> int:
    parser = build_parser(installed_plugins() if plugins is None else plugins)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--self-test"]:
        # The self-test checks the desktop app too, so a plugin provides it as a command.
        argv[0] = "self-test"
    args = parser.parse_args(cli_relative.joined_offsets(argv))
    if getattr(args, "run", None):
        try:
            return int(args.run(args))
        except HindsightError as exc:
            print(f"hindsight: error: {exc}", file=sys.stderr)
            return exc.exit_code
        except BrokenPipeError:
            return 0
        except STORAGE_ERRORS as exc:
            return _storage_failure(args, exc)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    if getattr(args, "certainty", 0) is None and args.command == "record":
        args.certainty = 1.0
    try:
        _check_text_arguments(args)
        catch_up = getattr(args, "catch_up", True) and not getattr(args, "salvage", False)
        with open_archive(args.archive, create=_creates(args), catch_up=catch_up) as archive:
            return int(args.handler(args, archive))
    except InvalidInput as exc:
        print(f"hindsight: error: {_cli_field(exc)}", file=sys.stderr)
        return exc.exit_code
    except HindsightError as exc:
        print(f"hindsight: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("hindsight: interrupted; nothing was written by the unfinished command",
              file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except STORAGE_ERRORS as exc:
        return _storage_failure(args, exc)


#: The commands that may create a missing archive: those that can succeed on an empty one.
#: Every other command (the read commands, and corrections, which need a claim) refuses a
#: path where there is no archive — ``no archive at PATH`` — and never creates one.
_CREATING = frozenset({"record", "import", "predicate"})


def _creates(args: argparse.Namespace) -> bool:
    return args.command in _CREATING or (args.command == "source" and args.action == "add")


def _storage_failure(args: argparse.Namespace, exc: BaseException) -> int:
    """The last resort for an error of the storage (the operating system, SQLite, the event
    store's library) that no more specific message caught: one line naming the archive and
    the command, never a traceback. Exit code 5, as for an archive that cannot be used."""
    from timeline.errors import ArchiveError, first_line
    from timeline.paths import default_archive
    from timeline.store import redact

    where = redact(str(args.archive)) if getattr(args, "archive", None) else \
        f"{default_archive()}"
    error = ArchiveError(f"{where}: {args.command or 'hindsight'} failed: "
                         f"{first_line(exc)}")
    print(f"hindsight: error: {error}", file=sys.stderr)
    return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
