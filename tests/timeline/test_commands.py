"""The write side decides corrections on the claim's own stream, not on the read model."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.app import Archive
from timeline.dates import POS_INF
from timeline.domain import ClaimHistory, ClaimReranked, ClaimRetracted, claim_stream
from timeline.errors import Conflict, NotFound
from timeline.readmodel import ReadModel
from timeline.store import EventStore

TEXT = "Microsoft invested $1 billion in OpenAI."


def _archive(path: Path) -> Archive:
    archive = Archive.open(path)
    archive.add_source("s", "A source", "2019-07-22", TEXT)
    archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019-07-22/..",
                   sources=[("s", "invested $1 billion")])
    return archive


def _claim_id(archive: Archive) -> str:
    return archive.timeline()[0].id


def test_a_claim_s_history_folds_its_stream(tmp_path: Path) -> None:
    with _archive(tmp_path / "a.sqlite") as archive:
        claim_id = _claim_id(archive)
        archive.rerank(claim_id, "preferred", known_at="2020")
        history = ClaimHistory.fold(archive.store.stream(claim_stream(claim_id)))
        assert history.recorded and not history.withdrawn and history.version == 2
        assert history.has(ClaimReranked, rank="preferred", known_at="2020")
        assert not history.has(ClaimReranked, rank="deprecated")
        archive.retract(claim_id, known_at="2021")
        history = ClaimHistory.fold(archive.store.stream(claim_stream(claim_id)))
        assert history.withdrawn and history.version == 3
        assert history.has(ClaimRetracted, known_at="2021")


def test_already_retracted_is_decided_by_the_stream_even_when_the_read_model_is_stale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.sqlite"
    # The second client keeps a read model of its own, which never catches up after this.
    with _archive(path) as first, Archive(EventStore(str(path)),
                                          ReadModel(tmp_path / "own.index")) as second:
        claim_id = _claim_id(first)
        assert second.claim(claim_id).withdrawn_day == POS_INF
        monkeypatch.setattr(second.readmodel, "catch_up", lambda *a, **k: 0)
        first.retract(claim_id, known_at="2024")
        assert second.readmodel.claim(claim_id).withdrawn_day == POS_INF
        with pytest.raises(Conflict, match="already retracted or superseded"):
            second.retract(claim_id, known_at="2025")
        with pytest.raises(Conflict, match="already retracted or superseded"):
            second.supersede(claim_id, value="other", known_at="2025")
    with Archive.open(path) as again:
        assert [c["kind"] for c in again.corrections(claim_id)] == ["retracted"]


def test_a_claim_retracted_twice_in_one_batch_is_refused_and_nothing_is_written(
        tmp_path: Path) -> None:
    with _archive(tmp_path / "a.sqlite") as archive:
        claim_id = _claim_id(archive)
        before = archive.store.max_position()
        with pytest.raises(Conflict, match="already retracted"), archive.batch() as batch:
            batch.retract(claim_id, known_at="2024")
            batch.retract(claim_id, known_at="2025")
        assert archive.store.max_position() == before


def test_correcting_an_unknown_claim_is_not_found(tmp_path: Path) -> None:
    with _archive(tmp_path / "a.sqlite") as archive:
        for correct in (lambda: archive.retract("nope"), lambda: archive.rerank("nope", "normal")):
            with pytest.raises(NotFound, match="unknown claim id 'nope'"):
                correct()


def test_a_bulk_batch_reads_a_stream_through_its_open_transaction(tmp_path: Path) -> None:
    with _archive(tmp_path / "a.sqlite") as archive:
        claim_id = _claim_id(archive)
        with archive.bulk_batch(chunk=1) as batch:
            batch.rerank(claim_id, "preferred", known_at="2020")
            batch.flush()  # written into the open transaction, forgotten by the batch
            stream = archive.store.stream(claim_stream(claim_id))
            assert [type(e).__name__ for e in stream] == ["ClaimRecorded", "ClaimReranked"]
            assert batch.history(claim_id).has(ClaimReranked, rank="preferred")
            batch.retract(claim_id, known_at="2021")
            batch.flush()
            with pytest.raises(Conflict, match="already retracted"):
                batch.retract(claim_id, known_at="2022")
        assert [c["kind"] for c in archive.corrections(claim_id)] == ["reranked", "retracted"]
