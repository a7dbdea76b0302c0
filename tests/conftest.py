"""Fixtures shared by the engine's tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest


def _stored_events(archive: Path) -> int:
    """How many events an SQLite archive holds, read straight from the store's table."""
    con = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM stored_events").fetchone()[0])
    finally:
        con.close()


@pytest.fixture(scope="session")
def count_events() -> Callable[[Path], int]:
    """``count_events(path)``: the number of events stored in the archive at ``path``."""
    return _stored_events
