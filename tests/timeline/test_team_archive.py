"""A team's shared archive on PostgreSQL, used through the command line by several roles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest


def hindsight(url: str, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(cache))
    return subprocess.run([sys.executable, "-m", "timeline", "--archive", url, *args],
                          capture_output=True, text=True, env=env, timeout=120)


def events(url: str) -> int:
    schema = url.split("schema=")[1]
    with psycopg.connect(url.split("?")[0]) as con:
        return int(con.execute(f"SELECT count(*) FROM {schema}.hindsight_events").fetchone()[0])


@pytest.fixture
def roles(postgres_url: str):
    """A writer and a reader role on the test schema (trust authentication locally)."""
    schema = postgres_url.split("schema=")[1]
    suffix = uuid.uuid4().hex[:8]
    writer, reader = f"hs_writer_{suffix}", f"hs_reader_{suffix}"
    admin = postgres_url.split("?")[0]
    with psycopg.connect(admin, autocommit=True) as con:
        for role in (writer, reader):
            con.execute(f"CREATE ROLE {role} LOGIN")
            con.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        con.execute(f"GRANT CREATE ON SCHEMA {schema} TO {writer}")
    yield {"writer": writer, "reader": reader, "schema": schema}
    with psycopg.connect(admin, autocommit=True) as con:
        for role in (writer, reader):
            con.execute(f"DROP OWNED BY {role} CASCADE")
            con.execute(f"DROP ROLE {role}")


def as_role(url: str, role: str) -> str:
    return url.replace("postgres@", f"{role}@", 1)


def test_every_command_works_on_a_postgresql_archive(postgres_url, tmp_path):
    cache = tmp_path / "cache"
    claim = hindsight(postgres_url, cache, "record", "Microsoft", "invested_in", "--object",
                      "OpenAI", "--valid", "2019-07/..", "--known-at", "2019-07-22")
    assert claim.returncode == 0, claim.stderr
    hindsight(postgres_url, cache, "alias", "Microsoft", "MSFT")
    answer = hindsight(postgres_url, cache, "as-of", "2020", "--entity", "MSFT", "--format",
                       "json")
    facts = json.loads(answer.stdout)["facts"]
    assert [f["id"] for f in facts] == [claim.stdout.strip()]
    assert hindsight(postgres_url, cache, "retract", claim.stdout.strip(),
                     "--known-at", "2021").returncode == 0
    assert json.loads(hindsight(postgres_url, cache, "as-of", "2020", "--format",
                                "json").stdout)["facts"] == []
    history = json.loads(hindsight(postgres_url, cache, "history", "Microsoft", "--format",
                                   "json").stdout)
    assert history["claims"][0]["corrections"][0]["kind"] == "retracted"
    # Another machine (another cache) builds its own read model from the shared log.
    elsewhere = hindsight(postgres_url, tmp_path / "other-cache", "as-of", "2020",
                          "--known-as-of", "2020-06-01", "--format", "json")
    assert [f["id"] for f in json.loads(elsewhere.stdout)["facts"]] == [claim.stdout.strip()]


def test_a_read_only_role_reads_but_cannot_record(postgres_url, roles, tmp_path):
    writer_url = as_role(postgres_url, roles["writer"])
    made = hindsight(writer_url, tmp_path / "w", "record", "Microsoft", "invested_in",
                     "--object", "OpenAI", "--valid", "2019", "--known-at", "2020")
    assert made.returncode == 0, made.stderr
    with psycopg.connect(postgres_url.split("?")[0], autocommit=True) as con:
        con.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {roles['schema']} "
                    f"TO {roles['reader']}")
    reader_url = as_role(postgres_url, roles["reader"])
    before = events(postgres_url)
    read = hindsight(reader_url, tmp_path / "r", "as-of", "2019-12-31", "--format", "json")
    assert read.returncode == 0, read.stderr
    assert [f["id"] for f in json.loads(read.stdout)["facts"]] == [made.stdout.strip()]
    refused = hindsight(reader_url, tmp_path / "r", "record", "Apple", "partner_of",
                        "--object", "OpenAI", "--valid", "2024", "--known-at", "2025")
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()]
    assert "permission denied" in refused.stderr and "nothing was written" in refused.stderr
    assert roles["reader"] in refused.stderr
    assert events(postgres_url) == before


def test_a_wrong_server_is_one_clear_line(tmp_path):
    done = hindsight("postgresql://nobody:secret@127.0.0.1:1/none", tmp_path, "as-of", "2020")
    assert done.returncode != 0
    assert done.stderr.startswith("hindsight: error: postgresql://nobody:***@127.0.0.1:1/none")
    assert "secret" not in done.stderr and "Traceback" not in done.stderr


def test_a_large_import_into_a_team_archive_completes(postgres_url, tmp_path):
    """An import of 20,000 claims is one transaction (once of one large insert, which waited
    for ever in the library's pipeline, the server waiting for the rest of the statement).
    Run in a process with a time limit, so a hang fails here instead of hanging the suite."""
    from timeline import synthetic

    doc = tmp_path / "big.json"
    synthetic.write(doc, 20_000, seed=5)
    done = hindsight(postgres_url, tmp_path / "cache", "import", str(doc))
    assert done.returncode == 0, done.stderr
    assert events(postgres_url) > 20_000
    checked = hindsight(postgres_url, tmp_path / "cache", "verify")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_write_sent_statement_by_statement_keeps_the_chain_and_its_author(
        postgres_url, roles, tmp_path, monkeypatch):
    """Every write past the pipeline's size takes the statement-by-statement path: the events,
    their chain links and the author row are the pipeline's, and a reader is still refused
    in one line."""
    from timeline import synthetic, team, team_imports
    from timeline.app import Archive
    from timeline.integrity import verify
    from timeline.interchange import import_file

    monkeypatch.setattr(team, "PIPELINE_EVENTS", 0)
    monkeypatch.setattr(team_imports, "INSERT_CHUNK", 7)  # an import's events in several inserts
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    writer_url = as_role(postgres_url, roles["writer"])
    assert hindsight(postgres_url, tmp_path / "setup", "team-setup", postgres_url,
                     "--writers", roles["writer"], "--readers",
                     roles["reader"]).returncode == 0
    with Archive.open(writer_url) as archive:
        first = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019/..",
                               known_at="2019")
        archive.retract(first, "2021", "a test")
        doc = tmp_path / "small.json"
        synthetic.write(doc, 40, seed=2)
        report = import_file(archive, doc)
        assert report.events > 3 * 7  # several chunks, chained on from one another
        assert verify(archive).ok
        assert [c["recorded_by"] for c in archive.corrections(first)][0].endswith(
            f"({roles['writer']})")
    with Archive.open(as_role(postgres_url, roles["reader"])) as archive, \
            pytest.raises(Exception, match=f"role {roles['reader']} may only read"):
        archive.record("Microsoft", "invested_in", object="OpenAI", valid="2020",
                       known_at="2020")


def test_a_refusal_that_surfaces_as_an_aborted_pipeline_is_said_plainly(
        postgres_url, roles, tmp_path, monkeypatch):
    """In the library's pipeline a reader's refused write may surface as the next statement,
    aborted, which the library passes on as its own OperationalError("pipeline aborted"):
    for a reader it is the refusal, said plainly; for a writer it stays what it is."""
    from eventsourcing.persistence import OperationalError
    from eventsourcing.postgres import PostgresApplicationRecorder

    from timeline.app import Archive

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert hindsight(postgres_url, tmp_path / "setup", "team-setup", postgres_url,
                     "--writers", roles["writer"], "--readers",
                     roles["reader"]).returncode == 0

    def aborted(self, stored_events, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("pipeline aborted")

    monkeypatch.setattr(PostgresApplicationRecorder, "insert_events", aborted)
    with Archive.open(as_role(postgres_url, roles["reader"])) as archive, \
            pytest.raises(Exception, match=f"role {roles['reader']} may only read"):
        archive.record("Microsoft", "invested_in", object="OpenAI", valid="2020",
                       known_at="2020")
    with Archive.open(as_role(postgres_url, roles["writer"])) as archive, \
            pytest.raises(Exception, match="pipeline aborted"):
        archive.record("Microsoft", "invested_in", object="OpenAI", valid="2020",
                       known_at="2020")


def test_an_import_is_written_chunk_by_chunk_into_one_transaction(
        postgres_url, tmp_path, monkeypatch):
    """An import writes each chunk as it is staged (memory stays flat however large the
    file), into one transaction: the archive it gives is the one an SQLite import gives, the
    chain verifies, and a bad claim after many chunks leaves nothing, in the archive or in
    the read model."""
    from timeline import synthetic
    from timeline.app import Archive
    from timeline.errors import HindsightError
    from timeline.integrity import verify
    from timeline.interchange import export_document, import_file
    from timeline.team import TeamRecorder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    doc = tmp_path / "doc.json"
    synthetic.write(doc, 200, seed=5)
    sizes: list[int] = []
    insert_in = TeamRecorder.insert_in

    def counted(self, curs, stored_events):  # type: ignore[no-untyped-def]
        sizes.append(len(stored_events))
        return insert_in(self, curs, stored_events)

    monkeypatch.setattr(TeamRecorder, "insert_in", counted)
    bad = json.loads(doc.read_text())
    bad["claims"][-1]["valid"] = "2023-02-30"
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with Archive.open(postgres_url) as archive:
        original = archive.bulk_batch
        archive.bulk_batch = lambda: original(10)  # type: ignore[method-assign]
        with pytest.raises(HindsightError, match=r"\.valid: .*day 30"):
            import_file(archive, tmp_path / "bad.json")
        assert len(sizes) > 10  # written as it went, then rolled back
        assert archive.store.max_position() == 0
        assert archive.readmodel.counts()["claims"] == 0
        sizes.clear()
        report = import_file(archive, doc)
        assert len(sizes) > 10 and max(sizes) < 30
        # Not max_position(): the failed import's positions are not used again (a
        # sequence is not rolled back), so the log has a gap there.
        assert report.events == sum(sizes)
        assert verify(archive).ok
        on_postgres = export_document(archive)
    assert events(postgres_url) == report.events
    with Archive.open(tmp_path / "a.sqlite") as archive:
        import_file(archive, doc)
        assert export_document(archive) == on_postgres


def test_a_reader_s_import_is_refused_in_one_line(postgres_url, roles, tmp_path):
    from timeline import synthetic

    assert hindsight(postgres_url, tmp_path / "setup", "team-setup", postgres_url,
                     "--writers", roles["writer"], "--readers",
                     roles["reader"]).returncode == 0
    doc = tmp_path / "doc.json"
    synthetic.write(doc, 20, seed=1)
    refused = hindsight(as_role(postgres_url, roles["reader"]), tmp_path / "r", "import",
                        str(doc))
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()]
    assert f"role {roles['reader']} may only read" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert events(postgres_url) == 0


def test_an_import_outlasts_the_sessions_idle_timeout_between_its_chunks(
        postgres_url, tmp_path, monkeypatch):
    """Between two chunks the import's transaction waits while the next one is staged: the
    library's sessions end a transaction idle for 5 s (here 1 s), which a busy machine can
    take; the import's own transaction allows longer (team_imports.IMPORT_IDLE_S)."""
    import time

    from timeline import synthetic
    from timeline.app import Archive
    from timeline.interchange import import_file
    from timeline.team import TeamRecorder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT", "1")
    insert_in = TeamRecorder.insert_in
    paused: list[bool] = []

    def slow(self, curs, stored_events):  # type: ignore[no-untyped-def]
        ids = insert_in(self, curs, stored_events)
        if not paused:  # staging the next chunk takes a while
            paused.append(True)
            time.sleep(2)
        return ids

    monkeypatch.setattr(TeamRecorder, "insert_in", slow)
    doc = tmp_path / "doc.json"
    synthetic.write(doc, 40, seed=3)
    with Archive.open(postgres_url) as archive:
        original = archive.bulk_batch
        archive.bulk_batch = lambda: original(10)  # type: ignore[method-assign]
        report = import_file(archive, doc)
    assert paused and events(postgres_url) == report.events
