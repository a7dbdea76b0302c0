"""Opening an archive by location: the one place that decides store backend and paths.

With no location, the user's default archive is used; on first use it is created with the
curated seed archive loaded, built under a temporary name and renamed into place so that an
interrupted first run never leaves a half-seeded archive behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from timeline import paths
from timeline.app import Archive
from timeline.errors import ArchiveError
from timeline.interchange import import_file
from timeline.readmodel import readmodel_path


def open_archive(location: str | Path | None = None, *, create: bool = True,
                 catch_up: bool = True) -> Archive:
    """Open an archive by path or URL, or the user's default archive (seeded on first use,
    whatever the command). Without ``create`` a missing archive is refused, not created."""
    if location is None:
        return open_default(catch_up=catch_up)
    return Archive.open(location, create=create, catch_up=catch_up)


def open_default(*, catch_up: bool = True) -> Archive:
    target = paths.default_archive()
    try:
        missing = not target.exists()
    except OSError as exc:
        raise _no_data_folder(target, exc) from None
    if missing:
        create_seeded(target)
    return Archive.open(target, catch_up=catch_up)


def _no_data_folder(target: Path, exc: OSError) -> ArchiveError:
    where = "XDG_DATA_HOME" if os.environ.get("XDG_DATA_HOME") else "your data folder"
    blocked = next((p for p in reversed(target.parents) if p.is_file()), None)
    why = f"{blocked} is a file, not a folder" if blocked else (exc.strerror or str(exc))
    return ArchiveError(f"{target}: the default archive cannot be kept there ({why}; "
                        f"{where} is {paths.data_dir().parent}); give --archive PATH or set "
                        "XDG_DATA_HOME to a folder")


def create_seeded(target: Path) -> None:
    seed = paths.seed_archive()
    if not seed.exists():
        raise ArchiveError(f"the seed archive is missing ({seed}); reinstall Hindsight")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _no_data_folder(target, exc) from None
    building = target.with_name(f"{target.name}.{os.getpid()}.new")
    for leftover in (building, readmodel_path(building)):
        leftover.unlink(missing_ok=True)
    with Archive.open(building) as archive:
        import_file(archive, seed)
    readmodel_path(building).replace(readmodel_path(target))
    building.replace(target)
