"""timeline/overview.py: counts, keys, pages and neighbourhoods by SQL agree with a brute-force
pass over every claim (``Archive.timeline()``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gui.support import moments
from timeline.app import Archive
from timeline.dates import NEG_INF, POS_INF
from timeline.interchange import import_document, parse
from timeline.readmodel import ClaimRow, overview
from timeline.synthetic import document


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    path = tmp_path_factory.mktemp("overview") / "synthetic.sqlite"
    with Archive.open(path) as found:
        import_document(found, parse(document(700, seed=9, entities=30)))
        yield found


def _moments(rows: list[ClaimRow]) -> list[tuple[int, int, int]]:
    """One moment per fact and day (the accounts of one slot and answer on one day are one,
    the first recorded's); an end on the day shown, for a known end."""
    return [(day, kind, row.n) for day, kind, row in moments(rows)]


def _about(archive: Archive, ids: set[str]) -> list[ClaimRow]:
    return [c for c in archive.timeline() if c.subject_id in ids or c.object_id in ids]


def test_moment_counts_are_every_claims_beginnings_and_ends_per_day(archive: Archive) -> None:
    brute = Counter(day for day, _, _ in _moments(archive.timeline()))
    assert overview.moment_counts(archive) == sorted(brute.items())


def test_moment_keys_of_the_archive_and_of_one_entity(archive: Archive) -> None:
    assert [tuple(k) for k in overview.moment_keys(archive)] == _moments(archive.timeline())
    name = archive.entities()[3]["name"]
    ids = archive.entity_ids(name)
    keys = overview.moment_keys(archive, sorted(ids))
    assert [tuple(k) for k in keys] == _moments(_about(archive, ids))
    assert overview.moment_counts(archive, sorted(ids)) == sorted(
        Counter(k.day for k in keys).items())


def test_claims_by_number_are_the_claims(archive: Archive) -> None:
    rows = archive.timeline()
    page = overview.claims_by_n(archive, [r.n for r in rows[100:150]])
    assert page == {r.n: r for r in rows[100:150]}


def test_the_busiest_entities_have_the_most_claims_about_them(archive: Archive) -> None:
    counts: Counter[str] = Counter()
    for claim in archive.timeline():
        counts[claim.subject_id] += 1
        if claim.object_id:
            counts[claim.object_id] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    assert overview.busiest_entities(archive, 5) == ranked[:5]


def test_neighbours_are_everyone_ever_related_either_way(archive: Archive) -> None:
    name = archive.entities()[0]["name"]
    ids = archive.entity_ids(name)
    brute: Counter[str] = Counter()
    for claim in _about(archive, ids):
        if claim.object_id is None:
            continue
        other = claim.object_id if claim.subject_id in ids else claim.subject_id
        if other not in ids:
            brute[other] += 1
    found = overview.neighbours(archive, sorted(ids))
    assert dict(found) == dict(brute)
    assert [k for _, k in found] == sorted(brute.values(), reverse=True)


def test_latest_known_day_and_names(archive: Archive) -> None:
    rows = archive.timeline()
    days = [d for r in rows for d in (r.known_day, r.withdrawn_day) if NEG_INF < d < POS_INF]
    assert overview.latest_known_day(archive) == max(days)
    assert overview.entity_names(archive) == [e["name"] for e in archive.entities()]
    assert overview.claim_count(archive) == len(rows)
    assert overview.relationship_pairs(archive) == [
        (r.subject_id, r.object_id) for r in rows if r.object_id]


def test_a_worker_reads_on_its_own_connection(archive: Archive) -> None:
    path = overview.readmodel_file(archive)
    assert isinstance(path, Path)
    conn = overview.connect(path)
    try:
        assert overview.moment_counts(conn) == overview.moment_counts(archive)
    finally:
        conn.close()
