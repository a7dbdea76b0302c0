"""The read model: kept incrementally from a checkpoint, equal to a rebuild, queried by index."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from timeline import synthetic
from timeline.app import Archive
from timeline.dates import NEG_INF, POS_INF, day_number
from timeline.interchange import parse, stage
from timeline.readmodel import MMAP_SIZE, READMODEL_VERSION, ReadModel, readmodel_path

FIRST, LAST = day_number(1850, 1, 1), day_number(2030, 12, 31)


def answers(archive: Archive, pairs: list[tuple[int, int | None]],
            entity: str | None = None) -> list[dict]:
    entities = [entity] if entity else []
    return [archive.as_of(v, r, entities).to_json() for v, r in pairs]


def random_pairs(n: int, seed: int = 7) -> list[tuple[int, int | None]]:
    rng = random.Random(seed)
    return [(rng.randint(FIRST, LAST), rng.choice([None, rng.randint(FIRST, LAST + 7000)]))
            for _ in range(n)]


def import_in_small_batches(archive: Archive, doc: dict, size: int) -> None:
    """Write a document as many separate commits, so the read model catches up many times."""
    parts = ["predicates", "sources", "entities", "claims", "supersessions", "retractions",
             "reranks"]
    for part in parts:
        records = doc[part]
        for k in range(0, len(records), size):
            piece = {"format": "hindsight/1", part: records[k:k + size]}
            batch = archive.batch()
            stage(batch, parse(piece))
            batch.commit()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rm") / "archive.sqlite"
    with Archive.open(path) as archive:
        import_in_small_batches(archive, synthetic.document(1500, seed=11, entities=60), 97)
    return path


def test_rebuild_and_incremental_give_identical_answers_for_many_pairs(built):
    pairs = random_pairs(150)
    with Archive.open(built) as archive:
        name = archive.entities()[3]["name"]
        incremental = answers(archive, pairs)
        incremental_entity = answers(archive, pairs, name)
        assert sum(len(a["facts"]) for a in incremental) > 1000  # the pairs see real states
        assert any(f["status"] == "CONTESTED" for a in incremental for f in a["facts"])
        assert any(a["known_as_of"] and a["facts"] for a in incremental)
        events = archive.rebuild()
        assert events == archive.store.max_position()
        assert answers(archive, pairs) == incremental
        assert answers(archive, pairs, name) == incremental_entity


def test_a_lost_read_model_is_rebuilt_from_the_events_with_the_same_answers(built, tmp_path):
    pairs = random_pairs(60, seed=3)
    with Archive.open(built) as archive:
        expected = answers(archive, pairs)
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(built.read_bytes())
    assert not readmodel_path(copy).exists()
    with Archive.open(copy) as archive:
        assert archive.readmodel.position == archive.store.max_position()
        assert answers(archive, pairs) == expected


def test_reopening_replays_nothing(built, monkeypatch):
    applied: list[object] = []
    original = ReadModel.apply_all

    def counting(self, notifications):
        applied.extend(notifications)
        return original(self, notifications)

    monkeypatch.setattr(ReadModel, "apply_all", counting)
    with Archive.open(built) as archive:
        assert archive.readmodel.position == archive.store.max_position() > 1500
        assert archive.as_of("1900-01-01").facts
    assert applied == []


def test_another_process_s_events_are_caught_up_from_the_checkpoint(tmp_path):
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as reader, Archive.open(path) as writer:
        first = writer.record("Ministry", "located_in", value="Vienna", valid="1850/..",
                              known_at="1900")
        # The read model lives beside the archive: the writer's catch-up serves the reader.
        assert reader.refresh() == 0
        assert [f.claim.id for f in reader.as_of("1900").facts] == [first]
        # Events appended by a writer that has not caught up (e.g. it was killed) are applied
        # by the next reader, exactly once, from the checkpoint.
        batch = writer.batch()
        second = batch.record("Ministry", "led_by", object="Metternich", valid="1821/1848",
                              known_at="1900")
        writer.store.append(batch.events)
        assert reader.readmodel.claim(second) is None
        assert reader.refresh() == len(batch.events) == 3  # predicate, entity, claim
        assert reader.readmodel.claim(second) is not None
        assert reader.refresh() == writer.refresh() == 0


def test_a_reader_s_cached_names_follow_another_process_s_merge_without_a_refresh(tmp_path):
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as reader, Archive.open(path) as writer:
        first = writer.record("Ministry", "located_in", value="Vienna", valid="1850/..",
                              known_at="1900")
        second = writer.record("Department", "led_by", object="Metternich", valid="1821/1848",
                               known_at="1900")
        assert [f.claim.id for f in reader.as_of("1830", None, ["Ministry"]).facts] == []
        assert reader.entity("Ministry")["aliases"] == []
        # The writer's catch-up commits to the shared read model: the reader's caches of
        # names and merged ids are stale, and are dropped at its next question.
        writer.merge("Ministry", "Department")
        assert [f.claim.id for f in reader.as_of("1830", None, ["Ministry"]).facts] == [second]
        assert reader.entity("Department")["name"] == "Ministry"
        assert reader.entity("Ministry")["aliases"] == ["Department"]
        assert [(f.subject, f.claim.id) for f in reader.as_of("1860").facts] == [
            ("Ministry", first)]


def test_a_read_model_of_another_archive_is_rebuilt(tmp_path):
    big, small = tmp_path / "big.sqlite", tmp_path / "small.sqlite"
    with Archive.open(big) as archive:
        for k in range(5):
            archive.record(f"Person {k}", "member_of", object="Council", valid="1900/..",
                           known_at="1901")
    with Archive.open(small) as archive:
        archive.record("Only", "member_of", object="Club", valid="1900/..", known_at="1901")
    readmodel_path(small).write_bytes(readmodel_path(big).read_bytes())
    with Archive.open(small) as archive:
        assert [f.subject for f in archive.as_of("1950").facts] == ["Only"]


def test_an_older_read_model_layout_is_rebuilt(tmp_path):
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        archive.record("Ministry", "located_in", value="Vienna", valid="1850/..",
                       known_at="1900")
    with ReadModel(readmodel_path(path)) as stale_check:
        stale_check.db.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
        stale_check.db.conn.commit()
    with Archive.open(path) as archive:
        assert archive.readmodel._meta("version") == str(READMODEL_VERSION)
        assert [f.subject for f in archive.as_of("1950").facts] == ["Ministry"]


def test_a_read_model_whose_tables_lack_this_layout_s_columns_is_rebuilt(tmp_path):
    """A read model of an older layout is rebuilt before this layout's indexes are made: one
    of them may name a column its old tables lack (sources.version_of, new in version 8)."""
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        archive.add_source("s1", "A report", "1900", "The ministry sat in Vienna.")
        archive.record("Ministry", "located_in", value="Vienna", valid="1850/..",
                       known_at="1900", sources=[("s1", "sat in Vienna")])
    with sqlite3.connect(readmodel_path(path)) as old:
        old.execute("DROP TABLE sources")
        old.execute("CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT, published TEXT, "
                    "published_day INTEGER, url TEXT, text TEXT)")
        old.execute("UPDATE meta SET value = '6' WHERE key = 'version'")
    with Archive.open(path) as archive:
        assert archive.readmodel._meta("version") == str(READMODEL_VERSION)
        assert [f.subject for f in archive.as_of("1950").facts] == ["Ministry"]
        assert archive.source("s1")["title"] == "A report"


def test_an_as_of_query_is_a_stabbing_query_on_the_interval_index(built):
    with Archive.open(built) as archive:
        rm = archive.readmodel
        plan = " ".join(str(row[-1]) for row in rm.db.execute(
            "EXPLAIN QUERY PLAN SELECT c.id FROM claim_index i JOIN claims c ON c.n = i.n "
            "WHERE i.v_lo <= 1 AND i.v_hi >= 1 AND i.k_lo <= 1 AND i.k_hi >= 1"))
        # All four bounds are R*Tree constraints: v_lo <=, v_hi >=, k_lo <=, k_hi >=.
        assert "SCAN i VIRTUAL TABLE INDEX 2:B0D1B2D3" in plan


def query_plans(archive: Archive, ask) -> dict[str, str]:
    """Each statement ``ask`` runs on the read model (parameters bound), with its plan."""
    statements: list[str] = []
    conn = archive.readmodel.db.conn
    conn.set_trace_callback(statements.append)
    try:
        ask()
    finally:
        conn.set_trace_callback(None)
    return {sql: " | ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
            for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))}


def test_an_entity_as_of_query_reads_the_b_tree_indexes_not_the_r_tree(built):
    with Archive.open(built) as archive:
        # An entity whose state needs inertia (an open claim of a single-valued predicate).
        rm = archive.readmodel
        subject, day, known_day = rm.db.execute(
            "SELECT c.subject_id, c.start_hi, c.known_day FROM claims c JOIN predicates p "
            "ON p.name = c.predicate AND p.single = 'subject' WHERE c.end_hi = ? "
            "AND c.withdrawn_day = ? ORDER BY c.n LIMIT 1", [POS_INF, POS_INF]).fetchone()
        name = archive.names[subject]
        for known in (None, max(known_day, day) + 400):
            plans = query_plans(archive, lambda r=known: archive.as_of(day + 200, r, [name]))
            joined = " || ".join(plan for sql, plan in plans.items() if "claims" in sql)
            # The claims of the entity as subject, then as object, from the indexes alone: each
            # bound is a column of them, and so is all that inertia's probe reads of a claim.
            assert "SEARCH c USING COVERING INDEX claims_slot (subject_id=?)" in joined
            assert ("SEARCH c USING COVERING INDEX claims_object (object_id=? AND start_lo<?)"
                    in joined)
            # Inertia's successors, in the same statement: per open claim, a probe of
            # claims_slot that reads the index only — once per half (not copied into the
            # filter); the table is read by rowid for the claims kept, and for the rare
            # successor that only maybe started by the day.
            probe = ("SEARCH x USING COVERING INDEX claims_slot (subject_id=? AND predicate=? "
                     "AND slot_object=? AND start_lo>? AND start_lo<?)")
            stab = next(plan for sql, plan in plans.items() if "claims_object" in plan)
            assert stab.count(probe) == 2
            assert "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)" in stab
            # Beside the stab: whole slots and facts where an answer needs them (a fact with
            # several accounts, a slot the entity view sees only in part), by index too.
            assert all(any(index in plan for index in (
                "claims_slot (subject_id=?", "(rowid=?)", "claims_tie (tie=?)",
                "claims_object (object_id=?", "sqlite_autoindex_claims_1"))
                for sql, plan in plans.items() if "claims" in sql)
            assert "VIRTUAL TABLE" not in joined  # no probe of the R*Tree per claim
            assert "SCAN c " not in joined + " "  # no claims table scan
            assert "TEMP B-TREE" not in joined  # no sort


def test_successors_asked_in_chunks_give_the_same_answers(built, monkeypatch):
    from timeline.asof import sql as readmodel

    pairs = random_pairs(20, seed=5)
    with Archive.open(built) as archive:
        whole = answers(archive, pairs)
        monkeypatch.setattr(readmodel, "_SUCCESSOR_CHUNK", 3)
        assert answers(archive, pairs) == whole
        assert any(f["ended_by"] for a in whole for f in a["facts"])


def test_claims_ended_by_inertia_are_dropped_in_sql_with_the_same_facts(built):
    from timeline.asof import query, sql
    from timeline.asof.facts import selected, settle_facts
    from timeline.asof.rules import KNOWN_NOW, edge_dates, selects

    def settle(rows, successors, day, known):
        """The entity's facts from these rows, decided as an answer decides them."""
        context = query._Context(rm.conn, day, known, archive._singles())
        return settle_facts(context.lives(rows, successors, frozenset(ids)), day,
                            archive._singles().of, context.root_of, edge_dates,
                            selected([frozenset(ids)], selects))

    def world_successors(rows, day, known):
        """Successors looked up apart, as the whole world's query does."""
        opens = [row for row in rows if row.end_hi == POS_INF and row.predicate in singles]
        return sql.successors_of(rm.conn, opens, day, known)

    with Archive.open(built) as archive:
        rm, singles, dropped, cut = archive.readmodel, archive._singles().subject, 0, 0
        assert singles
        rng = random.Random(3)
        for entity in archive.entities()[:12]:
            ids = list(archive.entity_ids(entity["name"]))
            # Days inside fuzzy starts too: there a claim's successor may only maybe have
            # started, and the claim it ends must stay (MAYBE).
            fuzzy = [rng.randint(row.start_lo, row.start_hi) for row in rm.claims_about(ids)
                     if FIRST < row.start_lo < row.start_hi < LAST]
            for v, r in random_pairs(25, seed=len(ids)) + [(v, None) for v in fuzzy]:
                known = KNOWN_NOW if r is None else r
                every = sql.stab_entities(rm.conn, v, known, ids)[0]
                kept, successors = sql.stab_entities(rm.conn, v, known, ids, singles)
                assert set(kept) <= set(every)
                assert [row for row in every if row in kept] == kept  # same order
                dropped += len(every) - len(kept)
                # The successors found with the rows are those of ``successors``.
                opens = [row for row in kept if row.end_hi == POS_INF
                         and row.predicate in singles]
                found = sql.successors(rm.conn, [(x.subject_id, x.predicate, x.slot_object,
                                                  x.start_lo, x.answer) for x in opens],
                                       v, known)
                pairs_found = zip(opens, found, strict=True)
                assert successors == {x.n: s for x, s in pairs_found if s is not None}
                cut += len(successors)
                assert settle(kept, successors, v, known) == settle(
                    every, world_successors(every, v, known), v, known)
        assert dropped > 50
        assert cut > 0


def test_an_answer_s_views_are_ordinary_fact_views(built):
    from timeline.app import FactView

    with Archive.open(built) as archive:
        name = archive.entities()[3]["name"]
        views = archive.as_of(LAST, None, [name]).facts
        assert views
        for view in views:  # built without FactView(...): the same objects all the same
            again = FactView(view.fact, view.subject, view.object, view.statement)
            assert type(view) is FactView and view == again and hash(view) == hash(again)
            assert view.claim is view.fact.claim and view.status == view.fact.status


def test_a_file_read_model_is_read_through_a_memory_map(built):
    with Archive.open(built) as archive:
        assert archive.readmodel.db.execute("PRAGMA mmap_size").fetchone()[0] == MMAP_SIZE


def test_opening_an_archive_reads_its_read_model_through_in_the_background(built):
    with Archive.open(built) as archive:
        assert archive.readmodel.prewarmed.wait(30)
        # The whole file (it may have grown since, by the catch-up on opening).
        assert 0 < archive.readmodel.prewarm_read <= readmodel_path(built).stat().st_size
        assert archive.readmodel.prewarm_read >= 64 * 1024


def test_the_read_ahead_stops_at_its_limit(built, monkeypatch):
    import timeline.readmodel.projection

    monkeypatch.setattr(timeline.readmodel.projection, "PREWARM_BYTES", 1)
    with Archive.open(built) as archive:
        assert archive.readmodel.prewarmed.wait(30)
        assert archive.readmodel.prewarm_read == 1 << 20  # one buffer, then it stops
        assert readmodel_path(built).stat().st_size > 1 << 20


def test_an_in_memory_read_model_has_nothing_to_read_ahead():
    model = ReadModel(None)
    assert model.prewarmed.is_set() and model.prewarm_read == 0


def test_an_archive_holding_a_year_now_out_of_range_still_rebuilds(tmp_path: Path) -> None:
    """Older versions accepted years beyond the range (clamped into an open end); new input is
    refused, but an archive that holds one must still open and rebuild."""
    from uuid import uuid4

    from timeline.domain import ClaimRecorded, claim_stream
    from timeline.errors import InvalidInput

    with Archive.open(tmp_path / "a.sqlite") as archive:
        archive.record("Earth", "formed", value="yes", valid="2000")
        with pytest.raises(InvalidInput, match="year out of range"):
            archive.record("Earth", "cools", value="yes", valid="Y-6000000")
        subject = archive.readmodel.resolve("Earth")
        old = ClaimRecorded(originator_id=claim_stream("old"), originator_version=1,
                            claim_id="old", subject=subject or uuid4(), predicate="cools",
                            value="yes", valid="Y-6000000", known_at="Y17E7")
        archive.store.append([old])
        archive.refresh()
        assert archive.rebuild() >= 2
        row = archive.claim("old")
        assert row.start_lo > NEG_INF and row.end_hi < POS_INF  # the first year there is
        assert "old" in [f.claim.id for f in archive.as_of(row.start_lo).facts]


def test_claims_whose_streams_share_a_key_are_told_apart(tmp_path, monkeypatch):
    """``claim_streams`` finds a correction's claim by its stream's first 8 bytes; should two
    streams share them, the claim corrected is still the one whose stream the event is on,
    as a write and as a rebuild from the log."""
    from timeline.readmodel import projection, streams

    monkeypatch.setattr(streams, "stream_key", lambda stream: 7)
    monkeypatch.setattr(projection, "stream_key", lambda stream: 7)
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        kept = archive.record("Ada", "title", value="chair", valid="2020/..")
        dropped = archive.record("Ada", "status", value="active", valid="2020/..")
        archive.record("Bo", "title", value="clerk", valid="2021/..")
        archive.retract(dropped, reason="wrong")
        archive.rerank(kept, "preferred")
        assert archive.readmodel.db.execute("SELECT count(DISTINCT key), count(*) FROM "
                                            "claim_streams").fetchone() == (1, 3)

        def state() -> list[tuple[str, str, str]]:
            return sorted((f.subject, f.fact.claim.predicate, f.fact.rank)
                          for f in archive.as_of("2022-01-01").facts)

        assert state() == [("Ada", "title", "preferred"), ("Bo", "title", "normal")]
        before = state()
    readmodel_path(path).unlink()
    with Archive.open(path) as archive:
        assert state() == before
