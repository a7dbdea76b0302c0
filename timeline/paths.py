"""Where archives live, and the seed archive a new user starts with."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

ARCHIVE_NAME = "archive.sqlite"


def data_dir() -> Path:
    """The user's data folder (XDG_DATA_HOME is honoured on Linux)."""
    return Path(user_data_dir("hindsight", appauthor=False))


def default_archive() -> Path:
    return data_dir() / ARCHIVE_NAME


def seeds_dir() -> Path:
    """The curated seed archive: beside the package in a checkout, bundled in an installer."""
    override = os.environ.get("HINDSIGHT_SEEDS")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "seeds"
    return Path(__file__).resolve().parent.parent / "seeds"


def seed_archive() -> Path:
    return seeds_dir() / "archive.json"


def remote_readmodel(location: str) -> Path:
    """Where this machine keeps the read model of a shared (PostgreSQL) archive: in the user's
    cache folder, one file per archive (the URL without its password names it)."""
    key = hashlib.sha256(location.encode()).hexdigest()[:20]
    return Path(user_cache_dir("hindsight", appauthor=False)) / "readmodels" / f"{key}.index"


def local_readmodel(archive: Path) -> Path:
    """Where this machine keeps the read model of an archive file it may not write (a
    read-only file or folder): in the user's cache folder, one file per archive path. Whose
    log it follows is checked on open, like any read model's."""
    key = hashlib.sha256(os.fsencode(archive.absolute())).hexdigest()[:20]
    return Path(user_cache_dir("hindsight", appauthor=False)) / "readmodels" / f"{key}.index"
