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

from typing import TYPE_CHECKING, Any

from timeline import __version__
from timeline.app import Archive, query_day
from timeline.asof.claims import ClaimRow
from timeline.asof.rules import CONTESTED, KNOWN_NOW, Fact
from timeline.bootstrap import open_archive, open_default
from timeline.commands import Batch, today
from timeline.dates import (
    NEG_INF,
    POS_INF,
    DateError,
    DateRange,
    Span,
    Status,
    day_number,
    day_to_iso,
    parse_date,
    parse_day,
    parse_span,
)
from timeline.domain import RANKS
from timeline.errors import ArchiveError, Conflict, HindsightError, InvalidInput, NotFound
from timeline.integrity import Report, verify
from timeline.interchange import ImportCancelled, ImportReport, import_file
from timeline.paths import data_dir, default_archive
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
from timeline.store import ConcurrentWrite, is_postgres, redact
from timeline.views import Diff, FactView, Selection, State, render_statement

if TYPE_CHECKING:
    from timeline.formats import EXPORT_FORMATS, IMPORT_FORMATS, export_path, import_path

#: A claim as the engine returns it (its fields: ``timeline.asof.claims.ClaimRow``).
Claim = ClaimRow

#: The statuses a fact of a state can have, strongest first.
STATUSES: tuple[str, ...] = (Status.HOLDS.value, Status.MAYBE.value, CONTESTED)

#: The interchange formats live beside the API and use it; they are loaded on first use.
_FORMATS = ("EXPORT_FORMATS", "IMPORT_FORMATS", "export_path", "import_path")


def __getattr__(name: str) -> Any:
    if name in _FORMATS:
        from timeline import formats

        return getattr(formats, name)
    raise AttributeError(f"module 'timeline.api' has no attribute '{name}'")


__all__ = [
    "BEGINS", "CONTESTED", "ENDS", "EXPORT_FORMATS", "IMPORT_FORMATS", "KNOWN_NOW", "NEG_INF",
    "POS_INF", "RANKS", "STATUSES", "Archive", "ArchiveError", "Batch", "Claim", "ClaimRow",
    "ConcurrentWrite", "Conflict", "DateError", "DateRange", "Diff", "Fact", "FactView",
    "HindsightError", "ImportCancelled", "ImportReport", "InvalidInput", "MomentKey", "NotFound",
    "Report", "Selection", "Span", "State", "Status", "__version__", "busiest_entities",
    "claim_count", "claims_by_n", "connect", "data_dir", "day_number", "day_to_iso",
    "default_archive", "entity_names", "export_path", "import_file", "import_path",
    "is_postgres", "latest_known_day", "moment_counts", "moment_keys", "neighbours",
    "open_archive", "open_default", "parse_date", "parse_day", "parse_span", "query_day",
    "readmodel_file", "redact", "relationship_pairs", "render_statement", "today", "verify",
]
