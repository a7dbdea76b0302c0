"""`hindsight bench`: how fast is an archive of N events, against the obvious alternatives.

One run builds a synthetic archive through the real import path and measures, in order:
import speed against plain sqlite3 inserting rows of the same shape (the physical anchor),
opening time with the read model built (and the time until its pages were read ahead), as-of
latency per entity (known now, known on a random day, and as recorded at a random moment), one
question answered by replaying
the event stream the way a plain event-sourced application would, the desktop slider (in a
subprocess, so the engine stays free of Qt), and peak memory.
"""

from __future__ import annotations

import bisect
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from timeline import synthetic
from timeline.app import Archive
from timeline.bench_place import Place
from timeline.dates import day_number
from timeline.domain import ClaimRecorded, ClaimRetracted, ClaimSuperseded, EntitiesMerged
from timeline.interchange import import_file

FIRST, LAST = day_number(1850, 1, 1), day_number(2020, 12, 31)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _raw_sqlite_rows_per_s(rows: int, directory: Path) -> float:
    """Rows of the stored-event shape (uuid key, version, topic, JSON state), encoded in Python
    and inserted with executemany in batches, in one transaction: the physical limit."""
    path = directory / "raw.sqlite"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
    started = time.perf_counter()
    with con:
        for k in range(0, rows, 10_000):
            batch = []
            for j in range(k, min(rows, k + 10_000)):
                state = {"claim_id": f"syn-{j}", "subject": str(uuid.uuid4()),
                         "predicate": "member_of", "valid": "1900-05/1910", "known_at": "1950",
                         "citations": [{"source": "src-0001", "quote": "Entry 1-2: item 2."}],
                         "certainty": 1.0, "rank": "normal", "schema_version": 1}
                batch.append((uuid.uuid4().hex, 1, "timeline.domain:ClaimRecorded",
                              json.dumps(state).encode()))
            con.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", batch)
    elapsed = time.perf_counter() - started
    con.close()
    path.unlink()
    return rows / elapsed


def _storage_floor(archive_path: Path, directory: Path) -> float:
    """Events per second at which this archive's own rows — the log, its hash chain and every
    read-model table and index, exactly as the import wrote them — go into empty databases
    of the same layout with executemany, in one transaction per file, nothing checked or
    computed: the ceiling for any import into this layout (the raw anchor is one table with
    one index)."""
    from timeline.readmodel import readmodel_path
    from timeline.store import BULK_CACHE_KIB

    events, elapsed = 0, 0.0
    for source_path in (archive_path, readmodel_path(archive_path)):
        target_path = directory / ("floor-" + source_path.name)
        for leftover in directory.glob(target_path.name + "*"):
            leftover.unlink()
        source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
        target.execute("PRAGMA journal_mode=WAL")
        target.execute("PRAGMA synchronous=NORMAL")
        target.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        listed = source.execute("PRAGMA table_list").fetchall()
        shadow = {row[1] for row in listed if row[2] == "shadow"}
        # In the order the import wrote them; a table without row ids in key order (the
        # cheapest order for its B-tree: the ceiling stays a ceiling).
        order = {row[1]: "" if row[4] else " ORDER BY rowid" for row in listed}
        schema = source.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index'").fetchall()
        for _, name, sql in schema:
            if name not in shadow:
                target.execute(sql)
        if source_path == archive_path:
            events = source.execute("SELECT count(*) FROM stored_events").fetchone()[0]
        target.execute("BEGIN")
        for kind, name, _ in schema:
            if kind != "table" or name in shadow:
                continue
            rows = source.execute(f"SELECT * FROM \"{name}\"{order[name]}")
            while chunk := rows.fetchmany(10_000):
                marks = ", ".join("?" * len(chunk[0]))
                started = time.perf_counter()
                target.executemany(f"INSERT INTO \"{name}\" VALUES ({marks})", chunk)
                elapsed += time.perf_counter() - started
        started = time.perf_counter()
        target.commit()
        elapsed += time.perf_counter() - started
        source.close()
        target.close()
        for leftover in directory.glob(target_path.name + "*"):
            leftover.unlink()
    return events / elapsed


def _naive_answer(archive: Archive, entity_id: str, day: int) -> int:
    """Answer "which claims about this entity may hold on day" by replaying every event.

    Each event is read and decoded as a plain event-sourced application would; the fold keeps
    only what the question needs of each claim (its entities and valid time), interned, so
    that a million claims fit in memory."""
    claims: dict[Any, tuple[str, str, str]] = {}
    withdrawn: set[Any] = set()
    merged: dict[str, str] = {}
    for note in archive.store.all_notifications():
        event = note.event
        if isinstance(event, ClaimRecorded):
            claims[event.originator_id] = (sys.intern(str(event.subject)),
                                           sys.intern(str(event.object)), event.valid)
        elif isinstance(event, ClaimRetracted | ClaimSuperseded):
            withdrawn.add(event.originator_id)
        elif isinstance(event, EntitiesMerged):
            merged[str(event.originator_id)] = str(event.into)
    from timeline.dates import parse_span, status_of

    count = 0
    for stream, (subject, obj, valid) in claims.items():
        if stream in withdrawn:
            continue
        if entity_id in (merged.get(subject, subject), merged.get(obj, obj)):
            s = parse_span(valid)
            count += status_of(s.start_lo, s.start_hi, s.end_lo, s.end_hi, day).value != "NOT"
    return count


def _recorded_timings(archive: Archive, rng: random.Random, ids: list[str],
                      by_id: dict[str, str], queries: int) -> list[float]:
    """Milliseconds per question about the sampled entities on a random day, as recorded at
    a random moment between the first claim's event and the log's end — but no earlier than
    the last event a position filter cannot undo (``readmodel.structure``; in the synthetic
    archive, the aliases written with the entities, before every claim), so that each is
    answered from the read model, as the ``RuntimeError`` below checks."""
    from timeline.readmodel import structure
    from timeline.recorded import recorded_times

    times = recorded_times(archive)  # kept with the archive, for ``as_recorded`` too
    db = archive.readmodel.db
    first = max(db.execute("SELECT coalesce(min(position), 0) FROM claims").fetchone()[0],
                structure.position(db))
    low = times.stamps[max(0, bisect.bisect_left(times.positions, first))]
    high = times.stamps[-1]
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    timings = []
    for _ in range(queries):
        name, day = by_id[rng.choice(ids)], rng.randint(FIRST, LAST)
        moment = epoch + timedelta(microseconds=rng.randint(low, high))
        t = time.perf_counter()
        reader = archive.as_recorded(moment)
        reader.as_of(day, None, [name])
        timings.append((time.perf_counter() - t) * 1000)
        if getattr(reader, "_cut", None) is not None:
            raise RuntimeError(f"as recorded on {moment}: answered from a cut, not the index")
    return timings


def _slider(location: str) -> float | None:
    """p99 of slider move -> updated views, measured by the desktop app in a subprocess."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    try:
        done = subprocess.run([sys.executable, "-m", "gui.bench", "--archive",
                               location, "--json", "--moves", "200"],
                              capture_output=True, text=True, env=env, timeout=900)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        return float(json.loads(done.stdout.strip().splitlines()[-1])["p99_ms"])
    except (ValueError, KeyError, IndexError):
        return None


def run(events: int, directory: Path | None = None, *, seed: int = 1, queries: int = 1000,
        slider: bool = True, archive: str | None = None) -> dict[str, Any]:
    """Build and measure an archive of about ``events`` events: in ``directory`` (a temporary
    folder by default), or, with ``archive``, in the new PostgreSQL schema that URL names."""
    own = directory is None
    work = Path(tempfile.mkdtemp(prefix="hindsight-bench-")) if directory is None else directory
    work.mkdir(parents=True, exist_ok=True)
    place = Place(work, events, archive)
    try:
        with place.made():
            result = _measure(place, events, seed=seed, queries=queries, slider=slider)
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
    return {key: result[key] for key in KEYS}


#: The measures, in the order they are printed.
KEYS = ["events", "import_s", "import_events_per_s", "raw_sqlite_rows_per_s",
        "import_ratio_vs_raw_sqlite", "storage_floor_events_per_s",
        "storage_floor_ratio_vs_raw_sqlite", "open_s", "prewarm_s", "as_of_entity_p50_ms",
        "as_of_entity_p99_ms", "as_of_known_p99_ms", "as_of_recorded_p99_ms", "naive_replay_ms",
        "speedup_vs_replay",
        "slider_p99_ms", "bytes_per_event", "peak_rss_mb"]


def _measure(place: Place, events: int, *, seed: int, queries: int, slider: bool
             ) -> dict[str, Any]:
    work, location = place.work, place.location
    # Claims are ~97% of the events; the rest are entities, sources, predicates, corrections.
    doc_path = work / f"bench-{events}.json"
    synthetic.write(doc_path, max(10, int(events * 0.965)), seed=seed)

    result: dict[str, Any] = {}
    with Archive.open(location) as archive:
        started = time.perf_counter()
        report = import_file(archive, doc_path)
        result["import_s"] = round(time.perf_counter() - started, 3)
        result["events"] = archive.store.max_position()
    result["import_events_per_s"] = round(report.events / result["import_s"])
    raw = _raw_sqlite_rows_per_s(report.events, work)
    result["raw_sqlite_rows_per_s"] = round(raw)
    result["import_ratio_vs_raw_sqlite"] = round(result["import_events_per_s"] / raw, 3)
    # The floor copies the archive's own SQLite files; a PostgreSQL archive has none.
    floor = None if place.on_postgres else _storage_floor(place.file, work)
    result["storage_floor_events_per_s"] = None if floor is None else round(floor)
    result["storage_floor_ratio_vs_raw_sqlite"] = None if floor is None else round(floor / raw,
                                                                                   3)

    started = time.perf_counter()
    archive = Archive.open(location)
    archive.as_of(FIRST)
    result["open_s"] = round(time.perf_counter() - started, 3)
    # Opening starts reading the read model through in the background, so that the OS holds
    # its pages (ReadModel._prewarm); the questions are asked once it has: they measure an
    # open archive, not a disk. The import was minutes ago, and this machine's kernel pages
    # out file pages left unread for a minute (docs/performance.md).
    archive.readmodel.prewarmed.wait()
    result["prewarm_s"] = round(time.perf_counter() - started, 3)

    rng = random.Random(seed)
    names = sorted(archive.names.values())
    ids = [archive.entity(n)["id"] for n in rng.sample(names, min(len(names), 200))]
    by_id = {i: archive.names[i] for i in ids}
    timings, known_timings = [], []
    for _ in range(queries):
        name, day = by_id[rng.choice(ids)], rng.randint(FIRST, LAST)
        t = time.perf_counter()
        archive.as_of(day, None, [name])
        timings.append((time.perf_counter() - t) * 1000)
        known = rng.randint(FIRST, LAST + 3650)
        t = time.perf_counter()
        archive.as_of(day, known, [name])
        known_timings.append((time.perf_counter() - t) * 1000)
    result["as_of_entity_p50_ms"] = round(statistics.median(timings), 3)
    result["as_of_entity_p99_ms"] = round(_percentile(timings, 0.99), 3)
    result["as_of_known_p99_ms"] = round(_percentile(known_timings, 0.99), 3)
    result["as_of_recorded_p99_ms"] = round(_percentile(
        _recorded_timings(archive, rng, ids, by_id, queries), 0.99), 3)

    entity, day = ids[0], rng.randint(FIRST, LAST)
    t = time.perf_counter()
    naive = _naive_answer(archive, entity, day)
    result["naive_replay_ms"] = round((time.perf_counter() - t) * 1000, 1)
    indexed = archive.as_of(day, None, [by_id[entity]])
    # The naive replay knows no inertia or ranks: it may count more, never fewer.
    if naive < len(indexed.facts):
        raise RuntimeError(f"replay found {naive} claims, the index {len(indexed.facts)}")
    result["speedup_vs_replay"] = round(result["naive_replay_ms"] /
                                        max(result["as_of_entity_p50_ms"], 1e-3))
    archive.close()
    result["slider_p99_ms"] = _slider(location) if slider else None
    result["bytes_per_event"] = round(place.bytes_on_disk() / max(result["events"], 1))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def table(results: list[dict[str, Any]]) -> str:
    """A Markdown table: one column per run (named by its store, when a run says which)."""
    keys = [key for key in results[0] if key != "store"]
    lines = ["| measure | " + " | ".join(
        f"N = {r['events']:,}" + (f" ({r['store']})" if "store" in r else "")
        for r in results) + " |", "|---|" + "---|" * len(results)]
    for key in keys[1:]:
        cells = [("—" if r[key] is None else f"{r[key]:,}" if isinstance(r[key], int)
                  else f"{r[key]}") for r in results]
        lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)
