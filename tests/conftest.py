"""Fixtures shared by the engine's tests."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Where Python writes no bytecode (PYTHONDONTWRITEBYTECODE), each of the hundreds of
    command lines the tests run in a subprocess would compile the engine from source again:
    compile it once, before the workers start (a bytecode file whose source changed is
    never used)."""
    if sys.flags.dont_write_bytecode and not hasattr(config, "workerinput"):
        import compileall

        for package in ("timeline", "gui"):
            compileall.compile_dir(ROOT / package, quiet=2)


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


# --- PostgreSQL: the team archive's backend -----------------------------------------------------

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def _postgres_up() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"],
                          capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The local PostgreSQL server, started when it is down (never skipped)."""
    if not _postgres_up():
        versions = sorted(Path("/etc/postgresql").iterdir())
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1].name,
                        "main", "start"], check=True)
        for _ in range(50):
            if _postgres_up():
                break
            time.sleep(0.2)
    assert _postgres_up(), "PostgreSQL on 127.0.0.1:5432 did not start"
    return POSTGRES


@pytest.fixture
def postgres_url(postgres_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh schema in the test database, dropped afterwards; its read model in tmp_path."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    yield f"{postgres_server}?schema={schema}"
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def run(archive_path: Path, capsys: pytest.CaptureFixture[str]
        ) -> Callable[..., tuple[int, str, str]]:
    """``run(*argv)``: the command line on the archive of the test's ``archive_path``
    fixture, in this process; its exit code, standard output and standard error."""
    from timeline import cli

    def go(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(["--archive", str(archive_path), *argv], plugins=[])
        out, err = capsys.readouterr()
        return code, out, err
    return go
