"""Run `hindsight bench` at several sizes and write docs/benchmarks.md and its plot.

    python benchmarks/run.py                      # N = 10k, 100k
    python benchmarks/run.py 10000 100000 1000000 # the full table (1M takes a while)
    python benchmarks/run.py 100000 --postgres postgresql://USER@HOST/DB
                                                  # and each size on PostgreSQL too
    python benchmarks/run.py --results FILE       # the doc from earlier runs' JSON lines

Each size runs in its own process so that peak memory is that size's own. With ``--postgres``
each size is measured a second time as a team archive, in a new schema of that database
(``bench_<N>``, created and dropped by the bench). The plot's axis runs to 10M events.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
PLOT = ROOT / "docs" / "benchmarks.png"
GOALS = {"import_ratio_vs_raw_sqlite": "≥ 0.5", "as_of_entity_p99_ms": "≤ 0.5",
         "as_of_known_p99_ms": "≤ 0.5", "as_of_recorded_p99_ms": "≤ 0.5",
         "slider_p99_ms": "≤ 16", "open_s": "≤ 2",
         "peak_rss_mb": "≤ 1024", "bytes_per_event": "≤ 600", "speedup_vs_replay": "≥ 1000"}


def measure(events: int, postgres: str | None = None) -> dict:
    command = [sys.executable, "-m", "timeline", "bench", "--events", str(events),
               "--format", "json"]
    if postgres:
        command += ["--archive", f"{postgres.partition('?')[0]}?schema=bench_{events}"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["store"] = "PostgreSQL" if postgres else "SQLite"
    return result


def plot(results: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = [r for r in results if r.get("store") != "PostgreSQL"]
    n = [r["events"] for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.loglog(n, [r["as_of_entity_p50_ms"] for r in results], "o-", label="as-of p50")
    left.loglog(n, [r["as_of_entity_p99_ms"] for r in results], "o-", label="as-of p99")
    left.loglog(n, [r["naive_replay_ms"] for r in results], "s--", label="naive replay")
    slider = [(k, r["slider_p99_ms"]) for k, r in zip(n, results, strict=True)
              if r["slider_p99_ms"] is not None]
    if slider:
        left.loglog(*zip(*slider, strict=True), "^-", label="desktop slider move p99")
    left.axhline(1, color="grey", linestyle=":", label="goal: as-of p99 ≤ 1 ms")
    left.axhline(16, color="grey", linestyle="-.", label="goal: slider p99 ≤ 16 ms")
    left.set(xlabel="events in the archive", ylabel="ms per question (or move)",
             title="One entity as of a date")
    left.legend(fontsize="small")
    right.loglog(n, [r["import_s"] for r in results], "o-", label="hindsight import")
    right.loglog(n, [r["events"] / r["storage_floor_events_per_s"] for r in results], "d:",
                 label="storage floor: its own rows, nothing checked")
    right.loglog(n, [r["events"] / r["raw_sqlite_rows_per_s"] for r in results], "s--",
                 label="raw sqlite3 executemany (one table)")
    right.set(xlabel="events in the archive", ylabel="seconds", title="Import")
    right.legend()
    for axis in (left, right):  # up to a national archive's size
        axis.set_xlim(5_000, 15_000_000)
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)


def main(sizes: list[int], postgres: str | None = None) -> int:
    results = []
    for events in sizes:
        for store in (None, postgres) if postgres else (None,):
            started = time.time()
            results.append(measure(events, store))
            print(f"N={events} ({results[-1]['store']}): {time.time() - started:.0f} s "
                  f"{json.dumps(results[-1])}", flush=True)
    return write(results, sizes, postgres)


def write(results: list[dict], sizes: list[int], postgres: str | None) -> int:
    """The plot and docs/benchmarks.md from the runs' results (one JSON object each, with
    its ``store``), in order of size."""
    from timeline.bench import table

    results = sorted(results, key=lambda r: (r["events"], r["store"] != "SQLite"))
    plot(results)
    sizes_arg = " ".join(str(s) for s in sizes) + (" --postgres URL" if postgres else "")
    goals = "\n".join(f"| `{k}` | {v} |" for k, v in GOALS.items())
    DOC.write_text(f"""# Benchmarks

Measured by `hindsight bench` on a synthetic archive (timeline/synthetic.py: thousands of
entities, relationship and literal claims, exact and fuzzy dates, open and unknown ends,
retractions, supersessions, reranks, aliases, known times spread over years), built through the
real import path. Machine: {platform.machine()}, {platform.python_implementation()}
{platform.python_version()}, 2 cores. Reproduce with:

    python benchmarks/run.py {sizes_arg}

{table(results)}

![query and import cost against N](benchmarks.png)

Goals (at N = 1,000,000, on SQLite; on PostgreSQL the as-of p99 within 5 × SQLite's):

| measure | goal |
|---|---|
{goals}

What each measure is: see the docstring of `timeline/bench.py`. `slider_p99_ms` is measured by
the desktop app in a subprocess (`python -m gui.bench --archive ARCHIVE --json`, 200 moves,
offscreen; on an archive of more than 5,000 claims the app follows one entity, the busiest — see
[gui.md](gui.md)). `storage_floor_events_per_s` is the rate at which the archive's own rows —
the log, its hash chain, every read-model table, index and the R*Tree, exactly as the import
wrote them — go into empty databases of the same layout with `executemany`, nothing parsed or
checked: no import into this layout can be faster, so `storage_floor_ratio_vs_raw_sqlite` is
the best `import_ratio_vs_raw_sqlite` it allows. `prewarm_s` is the time from opening until the
read model has been read through in the background (`ReadModel._prewarm`), so that the OS holds
its pages: the as-of questions are asked after it — this machine pages out file pages left
unread for a minute, and the import was minutes earlier (see performance.md). What was changed
for speed, and where the time still goes: [performance.md](performance.md).
""", encoding="utf-8")
    print(f"wrote {DOC} and {PLOT}")
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--results"]:  # results of earlier runs, a JSON object a line
        runs = [json.loads(line) for line in Path(arguments[1]).read_text().splitlines()
                if line.strip()]
        sys.exit(write(runs, sorted({int(float(f"{r['events']:.1g}")) for r in runs}),
                       "URL" if any(r["store"] == "PostgreSQL" for r in runs) else None))
    url = None
    if "--postgres" in arguments:
        at = arguments.index("--postgres")
        url = arguments[at + 1]
        del arguments[at:at + 2]
    sys.exit(main([int(a) for a in arguments] or [10_000, 100_000], url))
