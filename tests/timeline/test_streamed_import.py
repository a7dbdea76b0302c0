"""Large files are imported as a stream (timeline.jsonstream) in bounded memory, written in
chunks into one transaction: the same answers, the same errors, and still all or nothing."""

from __future__ import annotations

import functools
import gc
import json
from pathlib import Path
from typing import Any

import pytest

from timeline import interchange, jsonstream, synthetic
from timeline.app import Archive
from timeline.errors import HindsightError
from timeline.interchange import ImportCancelled, export_document, import_file

BROKEN = Path(__file__).resolve().parent.parent / "reliability" / "broken"
BASE = BROKEN.parent / "base.json"
MANIFEST: dict[str, dict[str, str]] = json.loads((BROKEN / "MANIFEST.json").read_text())


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is streamed, through a window of a few bytes (refilled all the time)."""
    monkeypatch.setattr(interchange, "STREAM_FROM", 0)
    monkeypatch.setattr(jsonstream, "CHUNK", 7)


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _import(tmp_path: Path, name: str, doc: dict[str, Any], chunk: int | None = None
            ) -> dict[str, Any]:
    with Archive.open(tmp_path / f"{name}.sqlite") as archive:
        if chunk:
            original = archive.bulk_batch
            archive.bulk_batch = lambda: original(chunk)  # type: ignore[method-assign]
        report = import_file(archive, _write(tmp_path / f"{name}.json", doc))
        exported = export_document(archive)
        assert report.events == archive.store.max_position()
        assert report.claims == len(doc["claims"])
    return exported


def test_a_streamed_import_gives_the_same_archive_as_a_whole_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = synthetic.document(300, seed=3)
    whole = _import(tmp_path, "whole", doc)
    monkeypatch.setattr(interchange, "STREAM_FROM", 0)
    monkeypatch.setattr(jsonstream, "CHUNK", 13)
    assert _import(tmp_path, "streamed", doc, chunk=25) == whole


def test_claims_before_their_sources_are_set_aside_and_staged_in_order(
        tmp_path: Path, streamed: None) -> None:
    doc = synthetic.document(120, seed=4)
    backwards = {key: doc[key] for key in reversed(list(doc))}
    assert list(backwards)[-1] == "format"
    monkeypatch_free = _import(tmp_path, "backwards", backwards, chunk=10)
    assert monkeypatch_free == _import(tmp_path, "forwards", doc, chunk=10)


def test_a_bad_claim_after_many_chunks_were_written_leaves_nothing(
        tmp_path: Path, streamed: None) -> None:
    doc = synthetic.document(200, seed=5)
    doc["claims"][-1]["valid"] = "2023-02-30"
    with Archive.open(tmp_path / "a.sqlite") as archive:
        before = archive.store.max_position()
        original = archive.bulk_batch
        archive.bulk_batch = lambda: original(10)  # type: ignore[method-assign]
        last = len(doc["claims"]) - 1
        with pytest.raises(HindsightError, match=rf"^claims\[{last}\]\.valid: .*day 30"):
            import_file(archive, _write(tmp_path / "bad.json", doc))
        assert archive.store.max_position() == before
        assert archive.readmodel.counts()["claims"] == 0
    with Archive.open(tmp_path / "a.sqlite") as archive:  # and nothing on disk either
        assert archive.store.max_position() == before
        assert archive.readmodel.counts()["claims"] == 0


def test_a_cancelled_streamed_import_writes_nothing(tmp_path: Path, streamed: None) -> None:
    doc = synthetic.document(300, seed=6)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return len(seen) < 3

    with Archive.open(tmp_path / "a.sqlite") as archive:
        with pytest.raises(ImportCancelled):
            import_file(archive, _write(tmp_path / "doc.json", doc), progress)
        assert archive.store.max_position() == 0
    assert all(0 < done <= total for done, total in seen)
    assert seen[0][0] < seen[-1][0]  # progress counts the bytes read


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_a_broken_file_gives_the_same_error_streamed(
        name: str, tmp_path: Path, streamed: None) -> None:
    expected = MANIFEST[name]
    path = BROKEN / name
    with Archive.open(tmp_path / "a.sqlite") as archive:
        import_file(archive, BASE)
        before = archive.store.max_position()
        with pytest.raises(HindsightError) as caught:
            import_file(archive, path)
        assert archive.store.max_position() == before
    line = "hindsight: error: " + str(caught.value)
    assert "\n" not in line
    assert line.startswith("hindsight: error: " + expected["error"].replace("{file}", str(path)))
    assert expected["contains"] in line


def test_a_bulk_import_reads_the_read_model_unmapped_then_maps_it_again(tmp_path: Path) -> None:
    """Every page a bulk import touches would count as the process' memory through the map."""
    from timeline.readmodel import MMAP_SIZE

    seen: list[int] = []
    with Archive.open(tmp_path / "a.sqlite") as archive:
        def mapped() -> int:
            return int(archive.readmodel.db.execute("PRAGMA mmap_size").fetchone()[0])

        def progress(done: int, total: int) -> bool:
            seen.append(mapped())
            return True

        assert mapped() == MMAP_SIZE
        import_file(archive, _write(tmp_path / "doc.json", synthetic.document(200, seed=8)),
                    progress)
        assert mapped() == MMAP_SIZE
    assert seen and set(seen) == {0}


def test_a_claim_id_used_twice_is_caught_across_groups_and_chunks(
        tmp_path: Path, streamed: None) -> None:
    """Claim ids are looked up a group at a time; a repeat is still caught wherever it falls:
    in the same group, in a later group, after the first was written in an earlier chunk."""
    doc = synthetic.document(400, seed=8)
    first = doc["claims"][3]
    same = dict(first)
    changed = dict(first, note="a different claim under the same id", valid="1901")
    for at in (10, 150, 380):  # same group of 100; a later group; after chunks were written
        again = json.loads(json.dumps(doc))
        again["claims"].insert(at, same)
        with Archive.open(tmp_path / f"same-{at}.sqlite") as archive:
            archive.bulk_batch = functools.partial(  # type: ignore[method-assign]
                archive.bulk_batch, 50)
            report = import_file(archive, _write(tmp_path / f"same-{at}.json", again))
            assert report.claims == len(doc["claims"])  # the repeat adds nothing
            assert archive.readmodel.counts()["claims"] == len(doc["claims"])
        again["claims"][at] = changed
        with Archive.open(tmp_path / f"changed-{at}.sqlite") as archive:
            archive.bulk_batch = functools.partial(  # type: ignore[method-assign]
                archive.bulk_batch, 50)
            with pytest.raises(HindsightError, match=rf"^claims\[{at}\]: claim id "
                                                     f"'{first['id']}' is already used"):
                import_file(archive, _write(tmp_path / f"changed-{at}.json", again))
            assert archive.store.max_position() == 0


def _gc_seen_by_imports(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the cyclic collector was on each time an import wrote a chunk."""
    import timeline.app

    seen: list[bool] = []
    original = timeline.app.Batch.commit

    def commit(self: timeline.app.Batch) -> int:
        seen.append(gc.isenabled())
        return original(self)

    monkeypatch.setattr(timeline.app.Batch, "commit", commit)
    return seen


def test_the_garbage_collector_is_paused_during_a_bulk_import_and_resumed_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _gc_seen_by_imports(monkeypatch)
    path = tmp_path / "doc.json"
    synthetic.write(path, 300, seed=5)
    with Archive.open(tmp_path / "a.sqlite") as archive:
        archive.bulk_batch = functools.partial(  # type: ignore[method-assign]
            archive.bulk_batch, 50)
        assert gc.isenabled()
        import_file(archive, path)
        assert gc.isenabled()
        assert len(seen) > 3 and not any(seen)
        # A failed import resumes it too.
        doc = json.loads(path.read_text())
        doc["claims"][-1]["valid"] = "1999-99"
        _write(path, doc)
        with pytest.raises(HindsightError):
            import_file(archive, path)
        assert gc.isenabled()
        # A caller that had it off keeps it off.
        gc.disable()
        try:
            with archive.bulk_batch():
                pass
            assert not gc.isenabled()
        finally:
            gc.enable()


def test_a_bulk_import_collects_cyclic_garbage_itself_every_so_many_events(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.readmodel.schema

    collected: list[int] = []
    monkeypatch.setattr(timeline.readmodel.schema, "COLLECT_EVERY", 100)
    monkeypatch.setattr(timeline.readmodel.schema.gc, "collect",
                        lambda *a: collected.append(1) or 0)
    path = tmp_path / "doc.json"
    synthetic.write(path, 450, seed=6)
    with Archive.open(tmp_path / "a.sqlite") as archive:
        archive.bulk_batch = functools.partial(  # type: ignore[method-assign]
            archive.bulk_batch, 50)
        report = import_file(archive, path)
    # Once for each 100 events written, give or take the chunk that crosses the mark.
    assert report.events // 100 - 1 <= len(collected) <= report.events // 100


def test_a_rebuild_of_the_read_model_pauses_the_collector_and_collects_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.readmodel.schema

    path = tmp_path / "doc.json"
    synthetic.write(path, 400, seed=7)
    with Archive.open(tmp_path / "a.sqlite") as archive:
        import_file(archive, path)
        before = archive.as_of(2000, None, []).to_json()
        seen: list[bool] = []
        collected: list[int] = []
        original = timeline.readmodel.ReadModel.apply_all

        def apply_all(self: timeline.readmodel.ReadModel, page: Any) -> None:
            seen.append(gc.isenabled())
            original(self, page)

        monkeypatch.setattr(timeline.readmodel.ReadModel, "apply_all", apply_all)
        monkeypatch.setattr(timeline.readmodel.schema, "COLLECT_EVERY", 100)
        monkeypatch.setattr(timeline.readmodel.schema.gc, "collect",
                            lambda *a: collected.append(1) or 0)
        archive.readmodel.reset()
        applied = archive.readmodel.catch_up(archive.store, batch=50)
        assert gc.isenabled()
        assert len(seen) > 3 and not any(seen)
        assert applied // 100 - 1 <= len(collected) <= applied // 100
        archive.refresh()
        assert archive.as_of(2000, None, []).to_json() == before
        # A short catch-up (one page) leaves the collector alone.
        seen.clear()
        archive.readmodel.reset()
        archive.readmodel.catch_up(archive.store, batch=10_000)
        assert seen and all(seen)
