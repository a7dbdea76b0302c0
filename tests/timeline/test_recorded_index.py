"""Recorded time from the index (docs/time-model.md#recorded-time): an as-of question "as
recorded at position P" is answered from the archive's own read model, filtered by log
position, whenever nothing applied after P is beyond such a filter; the answers must be the
cut's (the log's prefix replayed) at every such position, and the cut must be asked wherever
they could differ.
"""

from __future__ import annotations

import contextlib
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.timeline.test_recorded import START, Clock, _random_step
from timeline import domain
from timeline.api import Archive, InvalidInput, NotFound
from timeline.asof import sql
from timeline.readmodel import structure
from timeline.recorded import RecordedArchive, cut_at

PEOPLE = ["Ana", "Bo", "Cy", "Di"]
DAYS = ["2019", "2020-06", "2021-03-14", "2022~"]
#: Events no position filter undoes, whatever came before (``readmodel.structure``: the
#: others are so only in some cases): a position before one of them must go to the cut.
ALWAYS_STRUCTURAL = (domain.EntitiesMerged, domain.MergeUndone, domain.AliasAdded,
                     domain.AliasRemoved, domain.ClaimRestored, domain.Tagged,
                     domain.Untagged, domain.CitationAdded)


class _Plain(random.Random):
    """``_random_step``'s dice without its merges, aliases, predicate changes and undos:
    claims, withdrawals and reranks alone, all undone by a position filter."""

    def random(self) -> float:
        return super().random() * 0.78


def _write(archive: Archive, clock: Clock, seed: int, steps: int = 40, *,
           plain: bool = False) -> None:
    """The random archive of ``test_recorded``'s differential test, with now and then a tag
    and a citation added (both beyond a position filter) and late first claims about "Rome"
    (an entity created late); ``plain``: claims, withdrawals and reranks only."""
    rng = _Plain(seed) if plain else random.Random(seed)
    extra = random.Random(seed + 1000)
    archive.add_source("src", "A source", "2020", "Ana was in Rome. Bo too.")
    claims = [archive.record(name, "born_in", object="Oslo", valid="1990", known_at="2020",
                             new_entity=True) for name in PEOPLE]
    for step in range(steps):
        roll = extra.random()
        if roll < 0.04 and not plain:
            archive.tag("claim", rng.choice(claims), f"t{step % 3}")
        elif roll < 0.08 and not plain:
            archive.cite(rng.choice(claims), "src", rng.choice(["Ana was in Rome", "Bo too"]))
        elif roll < 0.14:
            _account(archive, extra, claims)
        elif roll < 0.18:
            whole, part = extra.sample(PEOPLE, 2)
            claims.append(archive.record(part, "part_of", object=whole,
                                         valid=f"{extra.choice(DAYS)}/..", known_at="2020"))
        else:
            _random_step(archive, rng, PEOPLE, DAYS, claims, step)
        clock.tick()


def _account(archive: Archive, rng: random.Random, claims: list[str]) -> None:
    """Another account of a claim (``account_of``), with dates of its own."""
    claim = archive.claim(rng.choice(claims))
    names = archive.names
    with contextlib.suppress(InvalidInput):
        claims.append(archive.record(
            names[claim.subject_id], claim.predicate,
            object=names[claim.object_id] if claim.object_id else None, value=claim.value,
            valid=f"{rng.choice(DAYS)}/..", known_at=rng.choice(["2020", "2022-05"]),
            account_of=claim.id))


def _questions() -> Iterator[tuple[str, str | None, list[str]]]:
    for day in ("1990-06-01", "2019-12-31", "2021-06-01", "2023-01-01"):
        for known in (None, "2020-12-31", "2023-06-01"):
            yield day, known, []
            for name in [*PEOPLE, "Oslo", "Rome"]:
                yield day, known, [name]
            yield day, known, ["Ana", "Bo"]
            yield day, known, ["Cy", "Rome"]


def _answer(reader: Archive, day: str, known: str | None, names: list[str]) -> Any:
    try:
        state = reader.as_of(day, known, names)
    except NotFound as exc:
        return ("unknown", str(exc))
    # Every field of every fact, but two hints the read model keeps for speed that a later
    # event may set on an earlier claim (``shared``, ``reranked``): they change no answer.
    facts = [_HINTS.sub("", repr(f.fact)) for f in state.facts]
    return ("state", state.to_json(), facts)


_HINTS = re.compile(r"\b(shared|reranked)=\d+, ")


def _readers(archive: Archive, position: int) -> tuple[RecordedArchive, RecordedArchive]:
    """The archive as recorded at ``position`` twice: as it comes (indexed when it can be),
    and with its cut made, so that it answers from the cut."""
    moment = START
    indexed = RecordedArchive(archive, position, moment)
    cut = RecordedArchive(archive, position, moment)
    cut.readmodel = cut_at(archive, position)
    return indexed, cut


def _differences(archive: Archive, *, forced: bool = False) -> Iterator[tuple[int, Any]]:
    """Where an indexed answer differs from the cut's, at every position of the log where the
    index answers (at every position at all when ``forced``)."""
    for position in range(1, archive.store.max_position() + 1):
        indexed, cut = _readers(archive, position)
        if not indexed.indexed():
            if not forced:
                continue
            indexed.indexed = lambda: True  # type: ignore[method-assign]
        for question in _questions():
            mine, theirs = _answer(indexed, *question), _answer(cut, *question)
            if mine != theirs:
                yield position, (question, mine, theirs)


@contextlib.contextmanager
def _random_archive(folder: Path, seed: int, *, plain: bool = False) -> Iterator[Archive]:
    """A random archive (``_write``), each step recorded an hour after the one before."""
    monkeypatch = pytest.MonkeyPatch()
    found = Clock()

    class Frozen(domain.datetime):  # type: ignore[name-defined,misc]
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return found.now if tz is None else found.now.astimezone(tz)

    monkeypatch.setattr(domain, "datetime", Frozen)
    archive = Archive.open(folder / "random.sqlite")
    try:
        _write(archive, found, seed, plain=plain)
        yield archive
    finally:
        archive.close()
        monkeypatch.undo()


@pytest.fixture(scope="module", params=[3, 16, 29])
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Archive]:
    with _random_archive(tmp_path_factory.mktemp("recorded"), request.param) as archive:
        yield archive


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Archive]]:
    """Random archives of claims, withdrawals and reranks alone: the index answers at
    nearly every position."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(_random_archive(tmp_path_factory.mktemp("plain"), seed,
                                                   plain=True)) for seed in (5, 8)]


def test_the_index_answers_as_the_cut_does_wherever_it_answers(written: Archive) -> None:
    assert list(_differences(written)) == []


def test_without_merges_aliases_or_tags_the_index_answers_nearly_everywhere(
        plain: list[Archive]) -> None:
    for archive in plain:
        end = archive.store.max_position()
        indexed = [p for p in range(1, end + 1)
                   if RecordedArchive(archive, p, START).indexed()]
        assert len(indexed) > end // 2
        assert list(_differences(archive)) == []


def test_the_cut_answers_before_every_event_no_filter_undoes(written: Archive) -> None:
    events = list(written.store.all_notifications())
    last = max((n.position for n in events if isinstance(n.event, ALWAYS_STRUCTURAL)),
               default=0)
    assert last > 0  # the generator wrote some
    assert structure.position(written.readmodel.db) >= last
    indexed = [p for p in range(1, written.store.max_position() + 1)
               if RecordedArchive(written, p, START).indexed()]
    assert indexed and min(indexed) >= last
    assert all(p in indexed for p in range(min(indexed), written.store.max_position() + 1))


def test_the_cut_is_needed_where_it_is_asked(written: Archive) -> None:
    """Forced through the index at the positions where the cut is asked, some answers
    differ: the structure position is not set by events a filter undoes alone."""
    assert any(True for _ in _differences(written, forced=True))


def test_the_index_answers_the_latest_moment_without_a_cut(written: Archive) -> None:
    then = written.as_recorded("2100-01-01")
    assert then.indexed()
    for question in _questions():
        mine, theirs = _answer(then, *question), _answer(written, *question)
        if mine[0] == "state":
            mine[1]["recorded_as_of"] = None
        assert mine == theirs
    assert then._cut is None  # as-of questions made no cut


#: Each position rule broken in turn: the differential test must see it.
BROKEN = {
    "claims recorded later count": ("believed", ".position <= ", ".position > -1 AND 1 <= "),
    "withdrawals recorded later count": (
        "believed", ".withdrawn_pos > ", ".withdrawn_pos > -1 AND 0 > "),
    "reranks recorded later count": (
        "_last_rerank", "AND g.position <= ", "AND g.position > -1 AND 0 <= "),
}


@pytest.mark.parametrize("broken", list(BROKEN))
def test_a_broken_position_rule_is_caught(plain: list[Archive],
                                          monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    name, old, new = BROKEN[broken]
    original = getattr(sql, name)

    def mutant(*args: str) -> str:
        text = original(*args)
        return text.replace(old, new, 1) if old in text else text

    monkeypatch.setattr(sql, name, mutant)
    sql._recorded_statements.cache_clear()
    sql._entities_sql.cache_clear()
    sql._successors_sql.cache_clear()
    try:
        found = next((d for archive in plain for d in _differences(archive)), None)
    finally:
        monkeypatch.undo()
        sql._recorded_statements.cache_clear()
        sql._entities_sql.cache_clear()
        sql._successors_sql.cache_clear()
    assert found is not None, f"{broken!r} went unnoticed"
