"""Hindsight's public engine API: what the desktop app, the command line, the exporters and
your own scripts use. Nothing outside ``timeline`` needs any other module of it (a contract in
pyproject.toml keeps ``gui`` to this one).

    from timeline.api import open_archive

    with open_archive("my-archive.sqlite") as archive:
        state = archive.as_of("2023-11", entities=["Microsoft", "OpenAI"])
        for fact in state.facts:
            print(fact.status, fact.statement)

See docs/api.md for a longer walk through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline import __version__
from timeline.app import Archive, query_day
from timeline.asof.claims import ClaimRow
from timeline.asof.rules import CONTESTED, DISPUTED, KNOWN_NOW, Account, Dispute, Fact
from timeline.bootstrap import open_archive, open_default
from timeline.calendars import CALENDARS
from timeline.chain import local_author, set_author
from timeline.commands import Batch, today
from timeline.dates import (
    NEG_INF,
    POS_INF,
    DateError,
    DateRange,
    Span,
    Status,
    day_number,
    day_parts,
    day_to_iso,
    parse_date,
    parse_day,
    parse_span,
    today_day,
)
from timeline.datewords import edtf_words, gregorian_tip, human_date, valid_text, year_text
from timeline.domain import RANKS, TAG_MAX, clean_tag, tag_key
from timeline.errors import (
    ArchiveError,
    Conflict,
    HindsightError,
    InvalidInput,
    NearNames,
    NotFound,
    printable,
)
from timeline.integrity import Report, verify
from timeline.interchange import ImportCancelled, ImportReport, import_file
from timeline.near_new import NearNew
from timeline.parts import PART_OF, via_text
from timeline.passages import complete_names, dates_in, entities_in
from timeline.paths import data_dir, default_archive, seed_archive
from timeline.readmodel.overview import (
    BEGINS,
    ENDS,
    MomentKey,
    busiest_entities,
    claim_count,
    claims_by_n,
    connect,
    entity_names,
    latest_known_day,
    moment_counts,
    moment_keys,
    neighbours,
    readmodel_file,
    relationship_pairs,
)
from timeline.recorded import correction_note, instant_text, recorded_instant
from timeline.relative import with_sides as relative_valid
from timeline.renderers import MAX_SIDE as PICTURE_MAX_SIDE
from timeline.renderers import MIN_SIZE as PICTURE_MIN_SIZE
from timeline.renderers import picture_size
from timeline.report import build_report
from timeline.report_cite import DEFAULT_STYLE as REPORT_STYLE
from timeline.report_cite import style_names as report_styles
from timeline.report_render import FIGURE_SIZE as REPORT_FIGURE_SIZE
from timeline.report_render import FIGURE_URL as REPORT_FIGURE_URL
from timeline.report_render import to_html as report_to_html
from timeline.report_render import to_markdown as report_to_markdown
from timeline.report_write import report_format, write_report
from timeline.searching import SearchApart, SearchHit, SearchInterrupted
from timeline.sourcefiles import (
    SOURCE_FILE_SUFFIXES,
    SourceText,
    page_at,
    page_label,
    quote_page,
    read_source_file,
)
from timeline.sourcemeta import SOURCE_TYPES, author_text, csl_type, parse_author, type_words
from timeline.sourcenames import short_source_names
from timeline.store import ConcurrentWrite, is_postgres, redact
from timeline.tagging import tag_keys
from timeline.transitions import MAX_DAYS as MAX_TRANSITION_DAYS
from timeline.undo import NothingToUndo, UndoResult
from timeline.views import (
    Diff,
    FactView,
    Selection,
    State,
    Transition,
    accounts_of,
    dispute_text,
    edge_value,
    fact_valid,
    is_template,
    is_withdrawn,
    render_statement,
)
from timeline.views import label_of as predicate_label
from timeline.words import counted

if TYPE_CHECKING:
    from timeline.formats import EXPORT_FORMATS, IMPORT_FORMATS, export_path, import_path
    from timeline.formats.base import write_atomically

#: A claim as the engine returns it (its fields: ``timeline.asof.claims.ClaimRow``).
Claim = ClaimRow

#: The statuses a fact of a state can have, strongest first (DISPUTED: its accounts disagree
#: on when; CONTESTED: facts disagree on what).
STATUSES: tuple[str, ...] = (Status.HOLDS.value, Status.MAYBE.value, DISPUTED, CONTESTED)

#: The interchange formats live beside the API and use it; they are loaded on first use.
_FORMATS = ("EXPORT_FORMATS", "IMPORT_FORMATS", "export_path", "import_path")


def __getattr__(name: str) -> Any:
    if name in _FORMATS:
        from timeline import formats

        return getattr(formats, name)
    if name == "write_atomically":  # how every export writes a file (also gui.pictures')
        from timeline.formats.base import write_atomically

        return write_atomically
    raise AttributeError(f"module 'timeline.api' has no attribute '{name}'")


def cli_main(argv: Sequence[str] | None = None) -> int:
    """The ``hindsight`` command line, run in this process: its exit status (``argv``: the
    arguments after the program's name; those of this process when None)."""
    from timeline.cli import main

    return main(argv)


def use_data_dir(folder: Path | str) -> None:
    """Keep this process's data folder (the default archive, the first copy of the seeds) in
    ``folder``, on every platform: for self-tests and scripts that must not touch the user's
    own archive."""
    from timeline import paths

    target = Path(folder)
    paths.data_dir = lambda: target  # type: ignore[assignment]


__all__ = [
    "BEGINS", "CONTESTED", "ENDS", "EXPORT_FORMATS", "IMPORT_FORMATS", "KNOWN_NOW",
    "MAX_TRANSITION_DAYS", "NEG_INF", "POS_INF", "RANKS", "STATUSES", "Archive", "ArchiveError",
    "Batch", "Claim", "ClaimRow", "ConcurrentWrite", "Conflict", "DateError", "DateRange", "Diff",
    "Fact", "FactView", "HindsightError", "ImportCancelled", "ImportReport", "InvalidInput",
    "MomentKey", "NearNames", "NotFound", "Report", "Selection", "Span", "State", "Status",
    "Transition", "__version__", "busiest_entities", "claim_count", "claims_by_n", "cli_main",
    "connect", "data_dir", "day_number", "day_parts", "day_to_iso", "default_archive", "edge_value",
    "entity_names", "export_path", "human_date", "import_file", "import_path", "is_postgres",
    "is_template", "is_withdrawn", "latest_known_day", "moment_counts", "moment_keys",
    "neighbours", "open_archive", "open_default", "parse_date", "parse_day", "parse_span",
    "predicate_label", "printable", "query_day", "readmodel_file", "redact", "relationship_pairs",
    "render_statement", "seed_archive", "today", "today_day", "use_data_dir", "verify",
    "year_text",
    "PART_OF", "via_text",
    "DISPUTED", "Account", "Dispute", "accounts_of", "dispute_text", "fact_valid",
    "short_source_names",
    "PICTURE_MAX_SIDE", "PICTURE_MIN_SIZE", "picture_size",
    "write_atomically",
    "edtf_words", "CALENDARS", "gregorian_tip", "valid_text",
    "TAG_MAX", "clean_tag", "tag_key", "tag_keys",
    "NothingToUndo", "UndoResult", "local_author", "set_author",
    "REPORT_FIGURE_SIZE", "REPORT_FIGURE_URL", "REPORT_STYLE", "build_report",
    "report_format", "report_styles", "report_to_html", "report_to_markdown", "write_report",
    "SearchApart", "SearchHit", "SearchInterrupted",
    "SOURCE_FILE_SUFFIXES", "SOURCE_TYPES", "SourceText", "author_text", "csl_type",
    "page_at", "page_label", "parse_author", "quote_page", "read_source_file", "type_words",
    "complete_names", "dates_in", "entities_in",
    "relative_valid",
    "correction_note", "instant_text", "recorded_instant",
    "NearNew",
    "counted",
]
