"""Interchange formats besides Hindsight JSON (docs/formats.md).

Each format is a sibling module behind one interface: an importer ``(archive, path) ->
ImportReport`` and an exporter ``(archive, path, selection) -> count``. Imports validate with
the same staging as Hindsight JSON (``timeline.interchange``) and are all or nothing; exports
are written to a temporary file (the site: a temporary folder) and renamed into place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from timeline.api import Archive, InvalidInput, Selection
from timeline.formats.base import write_json
from timeline.formats.csljson import export_csljson
from timeline.formats.csvfile import export_csv, import_csv
from timeline.formats.site import export_site
from timeline.formats.sqlitedb import export_sqlite
from timeline.formats.timelinejs import GROUP_BY, export_timelinejs
from timeline.interchange import ImportReport, export_document, import_file

Exporter = Callable[[Archive, Path, Selection], int]


def _export_json(archive: Archive, path: Path, selection: Selection) -> int:
    if selection.filtered:
        raise InvalidInput("Hindsight JSON holds the whole archive; --as-of, --entity and "
                           "--tag go with the other formats", "to")
    doc = export_document(archive)
    recorded = getattr(archive, "recorded_as_of", None)  # the archive as recorded then
    if recorded:
        doc["recorded_as_of"] = recorded
    write_json(path, doc, archive)
    return len(doc["claims"])


#: Export formats: the writer and what the count it returns counts.
EXPORTERS: dict[str, tuple[Exporter, str]] = {
    "json": (_export_json, "claims"),
    "csv": (export_csv, "claims"),
    "timelinejs": (export_timelinejs, "events"),
    "csl-json": (export_csljson, "sources"),
    "sqlite": (export_sqlite, "claims"),
    "site": (export_site, "claims"),
}
EXPORT_FORMATS = tuple(EXPORTERS)
#: The formats written as a folder, not a file (never to standard output).
FOLDER_FORMATS = ("site",)
IMPORT_FORMATS = ("json", "csv")


def export_path(archive: Archive, fmt: str, path: Path, selection: Selection | None = None,
                *, group_by: str | None = None) -> str:
    """Export to ``path`` in format ``fmt``; says what was written (``"126 claims"``).
    ``group_by`` (TimelineJS only): the rows of the timeline, one of ``GROUP_BY``; None
    chooses (``timelinejs.document``)."""
    if fmt not in EXPORTERS:
        raise InvalidInput(f"'{fmt}' is not a supported export format "
                           f"({', '.join(EXPORT_FORMATS)})", "to")
    write, noun = EXPORTERS[fmt]
    if group_by is not None:
        if fmt != "timelinejs":
            raise InvalidInput(f"goes with --to timelinejs, not {fmt}", "group_by")
        write = functools.partial(export_timelinejs, group_by=group_by)
    return f"{write(archive, path, selection or Selection())} {noun}"


def import_format(path: Path, fmt: str | None = None) -> str:
    """The format of a file to import: as given, else ``.csv`` is CSV and the rest JSON."""
    if fmt is None:
        return "csv" if path.suffix.lower() == ".csv" else "json"
    if fmt not in IMPORT_FORMATS:
        raise InvalidInput(f"'{fmt}' is not a format Hindsight imports "
                           f"({', '.join(IMPORT_FORMATS)})", "format")
    return fmt


def import_path(archive: Archive, path: Path, fmt: str | None = None) -> ImportReport:
    """Import a file, all or nothing, in its format (see :func:`import_format`)."""
    if import_format(path, fmt) == "csv":
        return import_csv(archive, path)
    return import_file(archive, path)


__all__ = ["EXPORT_FORMATS", "FOLDER_FORMATS", "GROUP_BY", "IMPORT_FORMATS", "Selection",
           "export_path", "import_format", "import_path"]
