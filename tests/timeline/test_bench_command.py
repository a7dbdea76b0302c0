"""`hindsight bench` at a small N: a smoke run (the real figures are in docs/benchmarks.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

KEYS = ["events", "import_s", "import_events_per_s", "raw_sqlite_rows_per_s",
        "import_ratio_vs_raw_sqlite", "storage_floor_events_per_s",
        "storage_floor_ratio_vs_raw_sqlite", "open_s", "prewarm_s", "as_of_entity_p50_ms",
        "as_of_entity_p99_ms", "as_of_known_p99_ms", "as_of_recorded_p99_ms", "naive_replay_ms",
        "speedup_vs_replay", "slider_p99_ms", "bytes_per_event", "peak_rss_mb"]


def test_bench_prints_one_json_object_with_every_measure(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "bench", "--events", "400", "--dir", str(tmp_path),
         "--format", "json"],
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result) == KEYS
    assert 380 <= result["events"] <= 460
    for key in KEYS:
        assert result[key] is not None and result[key] > 0, key
    assert result["as_of_entity_p50_ms"] <= result["as_of_entity_p99_ms"]
    assert result["open_s"] <= result["prewarm_s"]
    assert result["naive_replay_ms"] > result["as_of_entity_p50_ms"]
    # No import can beat writing its own rows with nothing checked.
    assert result["import_events_per_s"] < result["storage_floor_events_per_s"]
    assert result["slider_p99_ms"] < 1000  # measured by the desktop app, offscreen


def test_bench_refuses_a_silly_size():
    done = subprocess.run([sys.executable, "-m", "timeline", "bench", "--events", "3"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert done.stderr.startswith("hindsight: error: --events")


def test_bench_reports_the_bytes_an_event_takes_on_disk(tmp_path):
    """Archive and read model as stored, over the events: a plausible size for a claim."""
    from timeline import bench

    result = bench.run(300, tmp_path, queries=20, slider=False)
    stored = sum(f.stat().st_size for f in tmp_path.glob("bench-300.sqlite*"))
    assert result["bytes_per_event"] == round(stored / result["events"])
    assert 200 < result["bytes_per_event"] < 20_000


def _bench_on(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", "bench", "--events", "400", "--archive", url,
         "--format", "json", *extra],
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))


def _schema_exists(server: str, schema: str) -> bool:
    import psycopg

    with psycopg.connect(server, autocommit=True) as con:
        return con.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                           [schema]).fetchone() is not None


def test_bench_on_postgresql_gives_the_same_measures_and_drops_its_schema(postgres_server):
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    done = _bench_on(f"{postgres_server}?schema={schema}")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result) == KEYS
    assert 380 <= result["events"] <= 460
    # The storage floor copies an archive's SQLite files: a PostgreSQL archive has none.
    floor = {"storage_floor_events_per_s", "storage_floor_ratio_vs_raw_sqlite"}
    for key in set(KEYS) - floor:
        assert result[key] is not None and result[key] > 0, key
    assert all(result[key] is None for key in floor)
    assert result["naive_replay_ms"] > result["as_of_entity_p50_ms"]
    assert not _schema_exists(postgres_server, schema)


def test_bench_never_writes_into_an_existing_schema(postgres_server):
    """A schema that exists may be a team's archive: refused, and left as it was."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
        con.execute(f"CREATE TABLE {schema}.kept (x int)")
    try:
        done = _bench_on(f"{postgres_server}?schema={schema}", "--no-slider")
        assert done.returncode == 2
        assert f"schema '{schema}' already exists" in done.stderr
        assert "Traceback" not in done.stderr
        with psycopg.connect(postgres_server, autocommit=True) as con:
            assert con.execute(f"SELECT count(*) FROM {schema}.kept").fetchone() == (0,)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


def test_bench_archive_must_be_a_postgresql_url_with_a_schema(postgres_server):
    for url, said in (("/tmp/elsewhere.sqlite", "is not a PostgreSQL address"),
                      (postgres_server, "name a new schema")):
        done = _bench_on(url, "--no-slider")
        assert done.returncode == 2, done.stderr
        assert said in done.stderr and "Traceback" not in done.stderr
