"""Counted nouns (``timeline.words.counted``) and the sentences that use them."""

from __future__ import annotations

import pytest

from timeline.interchange import ImportReport
from timeline.words import counted


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 facts"), (1, "1 fact"), (2, "2 facts"), (-1, "-1 facts"), (1000, "1000 facts")])
def test_counted_is_singular_only_for_one(count: int, expected: str) -> None:
    assert counted(count, "fact") == expected


def test_counted_takes_an_irregular_plural() -> None:
    assert (counted(1, "entity", "entities"), counted(3, "entity", "entities")) == (
        "1 entity", "3 entities")


def test_an_import_report_counts_each_noun_in_its_own_number() -> None:
    assert ImportReport(1, 0, 1, 2).summary() == "1 new event (0 claims, 1 source, 2 entities)"
    assert ImportReport(5, 1, 0, 1).summary() == "5 new events (1 claim, 0 sources, 1 entity)"
