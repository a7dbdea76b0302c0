"""Promise 5: an export imported into a fresh archive gives the same answers.

On the curated seed archive and on a synthetic one: export to Hindsight JSON, import into an
empty archive, and ask both 100 random questions "as of V, as known on R" (R sometimes "now").
The second export must also equal the first: nothing is lost or added on the way.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from timeline import dates, paths, synthetic
from timeline.app import Archive
from timeline.interchange import export_document, export_file, import_document, import_file, parse

QUESTIONS = 100


def _seed(archive: Archive) -> None:
    seed = paths.seed_archive()
    if not seed.exists():
        pytest.skip(f"the seed archive is missing ({seed}); it is curated under seeds/")
    import_file(archive, seed)


def _synthetic(archive: Archive) -> None:
    import_document(archive, parse(synthetic.document(3000, seed=11)))


def _questions(archive: Archive, rng: random.Random) -> list[tuple[int, int | None]]:
    span = archive.span()
    assert span is not None
    first, last = span
    today = (date.today() - date(1970, 1, 1)).days
    out: list[tuple[int, int | None]] = []
    for _ in range(QUESTIONS):
        v = rng.randint(first, last)
        r = None if rng.random() < 0.2 else rng.randint(min(v, first), max(last, today))
        out.append((v, r))
    return out


@pytest.mark.parametrize("fill", [pytest.param(_seed, id="seed archive"),
                                  pytest.param(_synthetic, id="synthetic archive")])
def test_an_export_imported_into_a_fresh_archive_answers_the_same(
        tmp_path: Path, fill: Any) -> None:
    exported = tmp_path / "export.json"
    with Archive.open(tmp_path / "original.sqlite") as original:
        fill(original)
        export_file(original, exported)
        with Archive.open(tmp_path / "copy.sqlite") as copy:
            import_file(copy, exported)
            rng = random.Random(1848)
            statuses: Counter[str] = Counter()
            for v, r in _questions(original, rng):
                facts = original.as_of(v, r).to_json()["facts"]
                assert copy.as_of(v, r).to_json()["facts"] == facts, (
                    dates.day_to_iso(v), r and dates.day_to_iso(r))
                statuses.update(f["status"] for f in facts)
            print(f"\n{QUESTIONS} questions, facts compared by status: {dict(statuses)}")
            assert copy.entities() == original.entities()
            assert copy.sources() == original.sources()
            assert export_document(copy) == export_document(original)
    assert "HOLDS" in statuses  # the questions were not all about empty days
