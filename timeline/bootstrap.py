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


def open_archive(location: str | Path | None = None) -> Archive:
    if location is None:
        return open_default()
    return Archive.open(location)


def open_default() -> Archive:
    target = paths.default_archive()
    if not target.exists():
        create_seeded(target)
    return Archive.open(target)


def create_seeded(target: Path) -> None:
    seed = paths.seed_archive()
    if not seed.exists():
        raise ArchiveError(f"the seed archive is missing ({seed}); reinstall Hindsight")
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f"{target.name}.{os.getpid()}.new")
    for leftover in (building, readmodel_path(building)):
        leftover.unlink(missing_ok=True)
    with Archive.open(building) as archive:
        import_file(archive, seed)
    readmodel_path(building).replace(readmodel_path(target))
    building.replace(target)
