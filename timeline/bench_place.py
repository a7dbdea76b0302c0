"""Where `hindsight bench` builds its archive: a file in a folder, or a new PostgreSQL schema.

A bench writes a synthetic archive of its own and never touches an archive of the user's. On
PostgreSQL it creates the schema the URL names, refuses one that already exists (it could be a
team's archive), and drops it afterwards; the read model goes in the bench's folder, as the
same code would put it in the user's cache (``XDG_CACHE_HOME`` points there for the run).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from timeline.errors import ArchiveError, InvalidInput
from timeline.readmodel import readmodel_path
from timeline.store import is_postgres, redact


class Place:
    """An archive location for the bench, and what it occupies on disk."""

    def __init__(self, work: Path, events: int, url: str | None = None) -> None:
        self.work, self.url = work, url
        self.file = work / f"bench-{events}.sqlite"
        self.schema = _schema(url) if url else None

    @property
    def location(self) -> str:
        return self.url if self.url else str(self.file)

    @property
    def on_postgres(self) -> bool:
        return self.url is not None

    def readmodel(self) -> Path:
        """The read model's file (on PostgreSQL: the one the archive's URL names in the
        cache folder of the run)."""
        if self.url is None:
            return readmodel_path(self.file)
        from timeline import paths

        return paths.remote_readmodel(redact(self.url))

    @contextlib.contextmanager
    def made(self) -> Iterator[Place]:
        """The place, empty, for the length of the run; removed afterwards (the schema
        dropped, the cache folder of the run restored)."""
        for leftover in self.work.glob(self.file.name + "*"):
            leftover.unlink()
        if self.url is None:
            yield self
            return
        with _connection(self.url) as con:
            exists = con.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                                 [self.schema]).fetchone()
            if exists:
                raise InvalidInput(f"--archive: schema '{self.schema}' already exists; the "
                                   "bench builds its own archive in a new schema (and drops "
                                   "it afterwards), so name one that does not exist yet")
            con.execute(f'CREATE SCHEMA "{self.schema}"')
        before = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(self.work / "cache")
        try:
            model = self.readmodel()
            for leftover in model.parent.glob(model.name + "*"):
                leftover.unlink()
            yield self
        finally:
            if before is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = before
            with _connection(self.url) as con:
                con.execute(f'DROP SCHEMA "{self.schema}" CASCADE')

    def bytes_on_disk(self) -> int:
        """The archive and its read model as stored: the files (with any write-ahead log), or
        the schema's tables with their indexes and TOAST, and the read model's file."""
        # Beside an archive file its read model's files are named after it.
        model = self.readmodel() if self.url else self.file
        total = sum(f.stat().st_size for f in model.parent.glob(model.name + "*")
                    if f.is_file())
        if self.url is not None:
            with _connection(self.url) as con:
                row = con.execute(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = %s AND c.relkind IN ('r', 'm')", [self.schema]).fetchone()
            total += int(row[0]) if row else 0
        return total


def _schema(url: str) -> str:
    if not is_postgres(url):
        raise InvalidInput(f"--archive: '{redact(url)}' is not a PostgreSQL address "
                           "(postgresql://USER@HOST[:PORT]/DATABASE?schema=NAME)")
    from timeline.store import _postgres_env
    from timeline.team import _schema_of

    if not _postgres_env(url)["POSTGRES_SCHEMA"]:
        raise InvalidInput("--archive: name a new schema for the bench's archive "
                           "(?schema=NAME): the bench creates it and drops it afterwards")
    return _schema_of(url)


@contextlib.contextmanager
def _connection(url: str) -> Iterator[Any]:
    import psycopg

    from timeline.team import _connect

    con = _connect(url)
    try:
        yield con
    except psycopg.Error as exc:
        raise ArchiveError(f"{redact(url)}: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
