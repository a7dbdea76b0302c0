"""Recorded time (docs/time-model.md#recorded-time): the archive exactly as it stood after the
last event recorded by a moment — claims, corrections, aliases, merges and reranks alike.

The events' own timestamps are set by the clock when they are made (``timeline.domain.now``);
these tests move that clock (``Clock``), so each step is recorded at a moment they know. No
timestamp is written into an event by hand.
"""

from __future__ import annotations

import contextlib
import json
import random
from array import array
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from timeline import domain
from timeline.api import POS_INF, Archive, InvalidInput, NotFound, NothingToUndo
from timeline.cli import main
from timeline.recorded import RecordedTimes, correction_note, instant_text, recorded_instant

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """A clock for the events' timestamps: it stands still until moved."""

    def __init__(self) -> None:
        self.now = START

    def tick(self, minutes: int = 60) -> datetime:
        """Move on, and return the moment just before the move (everything recorded so far
        was recorded at or before it)."""
        before = self.now
        self.now += timedelta(minutes=minutes)
        return before


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Frozen:  # type: ignore[override]
            return found.now if tz is None else found.now.astimezone(tz)  # type: ignore

    monkeypatch.setattr(domain, "datetime", Frozen)
    return found


# --- the moment asked for ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-01", "2025-03-01T23:59:59.999999Z"),
    ("2025-03", "2025-03-31T23:59:59.999999Z"),
    ("2025-03-01T14:30:00Z", "2025-03-01T14:30:00Z"),
    ("2025-03-01T14:30", "2025-03-01T14:30:00Z"),
    ("2025-03-01T16:30:00+02:00", "2025-03-01T14:30:00Z"),
    ("2025-03-01 14:30:05.25", "2025-03-01T14:30:05.250000Z"),
])
def test_a_date_is_the_end_of_its_day_and_a_datetime_is_exact_in_utc(text: str,
                                                                       expected: str) -> None:
    assert instant_text(recorded_instant(text)) == expected


@pytest.mark.parametrize(("text", "says"), [
    ("2025-13-01", "not a valid"),
    ("2025-03-01T25:00", "not a date and time"),
    ("yesterday-ish", "not a valid"),
    ("2019/2020", "one date"),
    ("-0043-03-15", "years 1 to 9999"),
])
def test_a_bad_moment_is_refused_naming_the_option(text: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        recorded_instant(text)
    assert caught.value.field == "recorded_as_of"
    assert says in str(caught.value)


def test_the_cut_is_the_last_event_at_or_before_the_moment_even_out_of_order() -> None:
    times = RecordedTimes()
    times.positions, times.stamps = array("q", [1, 2, 3, 4]), array("q", [10, 20, 20, 30])
    assert [times.position_at(_at(m)) for m in (9, 10, 19, 20, 29, 30, 99)] == \
        [0, 1, 1, 3, 3, 4, 4]
    # Another writer's clock behind:
    times.stamps, times._ordered = array("q", [10, 30, 20, 40]), False
    assert [times.position_at(_at(m)) for m in (9, 10, 25, 35, 40)] == [0, 1, 3, 3, 4]


def _at(micros: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


@pytest.mark.parametrize("heads", ["as read", "cut short"])
@pytest.mark.parametrize("where", ["file", "team"])
def test_the_log_s_times_are_its_events_own(where: str, heads: str, clock: Clock,
                                            tmp_path: Path, request: pytest.FixtureRequest,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The times read from the stored bytes (``stamp_rows``) are the decoded events'
    timestamps, on SQLite and PostgreSQL, with and without microseconds; a state whose first
    bytes do not hold its timestamp is read whole."""
    location = (str(tmp_path / "a.sqlite") if where == "file"
                else request.getfixturevalue("postgres_url"))
    with Archive.open(location) as archive:
        for k in range(5):
            clock.tick(7)
            if k % 2:
                clock.now = clock.now.replace(microsecond=123_456 * k)
            archive.record(f"P{k}", "status", value="ok", valid="2020")
        store = archive.store
        if heads == "cut short":
            read = store.stamp_rows
            monkeypatch.setattr(store, "stamp_rows", lambda after, limit: [
                (p, head[:12]) for p, head in read(after, limit)])
        times = RecordedTimes()
        times.extend(store)
        rows = store.stored_rows(0, 100)
        decoded = [store.decode(row).timestamp for row in rows]
    assert list(times.positions) == [row.id for row in rows] and len(rows) > 5
    assert [_at(m) for m in times.stamps] == decoded
    assert any(moment.microsecond for moment in decoded)
    assert any(not moment.microsecond for moment in decoded)


# --- the worked example of docs/time-model.md -------------------------------------------------

ARTICLE = "Halden named Varga chief executive some time in 2023."
REPORT = "Ana Varga became chief executive on 14 March 2023."


def _story(archive: Archive, clock: Clock) -> tuple[str, datetime, str]:
    """A 2025 article's vague date, corrected a step later by a 2023 report: the claim,
    the moment between the two, and the replacement."""
    archive.define_predicate("ceo", "", "subject")
    archive.add_source("article", "Tech article", "2025-02-10", ARTICLE)
    claim = archive.record("Halden", "ceo", object="Ana Varga", valid="2023/..",
                           sources=[("article", ARTICLE[:-1])])
    between = clock.tick()
    archive.add_source("report", "Annual report 2022", "2023-05-01", REPORT)
    new = archive.supersede(claim, known_at="2023-05-01", valid="2023-03-14/..",
                            sources=[("report", REPORT[:-1])], reason="the report gives the day")
    clock.tick()
    return claim, between, new


def _answer(archive: Archive, day: str, known: str | None = None) -> list[tuple[str, str]]:
    return [(f.claim.id, f.status) for f in archive.as_of(day, known).facts]


def test_what_the_archive_said_before_the_correction(clock: Clock) -> None:
    with Archive.in_memory() as archive:
        claim, between, new = _story(archive, clock)
        # As known on 1 March 2025 the claim is gone: the correction is known from 2023.
        assert _answer(archive, "2023-12-31", "2025-03-01") == [(new, "HOLDS")]
        assert _answer(archive, "2023-06-01", "2024-01-01") == [(new, "HOLDS")]
        then = archive.as_recorded(between)
        assert _answer(then, "2023-12-31", "2025-03-01") == [(claim, "HOLDS")]
        assert _answer(then, "2023-06-01", "2025-03-01") == [(claim, "MAYBE")]
        assert _answer(then, "2023-06-01", "2024-01-01") == []  # not yet published
        assert then.as_of("2023-06-01").recorded_as_of == instant_text(between)
        assert then.later == 3  # the report, the supersession and the replacement
        assert archive.as_recorded("2100").later == 0
        # Asked of a cut, another moment is the archive's own at that moment.
        assert then.as_recorded("2100").later == 0
        assert archive.as_of("2023-06-01").recorded_as_of is None
        # The day of the correction, as a date: everything recorded on it.
        assert _answer(archive.as_recorded(between.date().isoformat()),
                       "2023-12-31") == [(new, "HOLDS")]
        assert _answer(archive.as_recorded("2026-03-01"), "2023-12-31") == []
        # A later cut starts from a copy of an earlier one, which stays as it was.
        assert _answer(then, "2023-12-31", "2025-03-01") == [(claim, "HOLDS")]


def test_a_cut_with_nothing_recorded_since_is_a_copy_of_the_archive(
        clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As recorded after the last event, the cut starts from a copy of the archive's own
    read model (no event applied again); later writes do not reach it."""
    from timeline.readmodel import cut

    with Archive.open(tmp_path / "a.sqlite") as archive:
        claim, between, new = _story(archive, clock)
        applied: list[int] = []
        real = cut.CutReadModel.apply_all
        monkeypatch.setattr(cut.CutReadModel, "apply_all",
                            lambda self, page: (applied.append(len(page)), real(self, page)))
        now = archive.as_recorded(clock.now)
        assert applied == []  # copied, not replayed
        assert _answer(now, "2023-12-31", "2025-03-01") == _answer(archive, "2023-12-31",
                                                                   "2025-03-01")
        assert now.statistics()["claims"] == archive.statistics()["claims"]
        archive.retract(new, "2025-06-01", "written later")
        assert _answer(now, "2023-12-31") == [(new, "HOLDS")]  # the cut stays as it was
        assert _answer(archive, "2023-12-31") == []
        then = archive.as_recorded(between)
        assert _answer(then, "2023-12-31") == [(claim, "HOLDS")]
        assert applied == []  # an as-of question: the archive's own read model answers
        assert then.statistics()["claims"] == 1
        assert applied  # anything else: an earlier moment is replayed


def test_history_and_diff_as_recorded(clock: Clock) -> None:
    with Archive.in_memory() as archive:
        claim, between, new = _story(archive, clock)
        then = archive.as_recorded(between)
        assert [(c["id"], c["withdrawn"], c["corrections"]) for c in then.history("Halden")] \
            == [(claim, False, [])]
        now = archive.history("Halden")
        assert {c["id"] for c in now} == {claim, new}
        stamps = [c["recorded_at"] for c in now] + [now[0]["corrections"][0]["recorded_at"]
                                                   if now[0]["corrections"] else
                                                   now[1]["corrections"][0]["recorded_at"]]
        assert sorted(stamps) == [START.isoformat(), (START + timedelta(hours=1)).isoformat(),
                                  (START + timedelta(hours=1)).isoformat()]
        diff = then.diff("2022", "2024-06", "2025-03-01")
        assert [f.claim.id for f in diff.began] == [claim]
        assert diff.to_json()["recorded_as_of"] == instant_text(between)
        assert archive.diff("2022", "2024-06").to_json()["recorded_as_of"] is None


def test_merges_and_aliases_are_as_recorded(clock: Clock) -> None:
    with Archive.in_memory() as archive:
        archive.record("A. Varga", "lived_in", object="Oslo", valid="2020/..",
                       known_at="2021")
        archive.record("Ana Varga", "worked_for", object="Halden", valid="2021/..",
                       known_at="2021")
        apart = clock.tick()
        archive.merge("Ana Varga", "A. Varga")
        merged = clock.tick()
        archive.alias("Ana Varga", "Varga")
        clock.tick()

        assert len(archive.as_of("2022", entities=["Ana Varga"]).facts) == 2
        assert archive.entity("Varga")["name"] == "Ana Varga"
        before = archive.as_recorded(apart)
        # Before anyone knew A. Varga and Ana Varga were one person.
        assert len(before.as_of("2022", entities=["Ana Varga"]).facts) == 1
        assert before.entity("A. Varga")["name"] == "A. Varga"
        assert before.entity_ids("Ana Varga") != archive.entity_ids("Ana Varga")
        with pytest.raises(NotFound):
            before.entity("Varga")
        later = archive.as_recorded(merged)
        assert len(later.as_of("2022", entities=["A. Varga"]).facts) == 2
        with pytest.raises(NotFound):
            later.entity("Varga")


def test_an_archive_as_recorded_writes_nothing(clock: Clock) -> None:
    with Archive.in_memory() as archive:
        _, between, _ = _story(archive, clock)
        events = archive.store.max_position()
        with pytest.raises(InvalidInput, match="only answers"):
            archive.as_recorded(between).record("Halden", "ceo", object="Someone",
                                                valid="2024/..")
        assert archive.store.max_position() == events


def test_few_cuts_are_kept_and_fewer_when_large(clock: Clock,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import recorded

    with Archive.in_memory() as archive:
        moments = []
        for k in range(5):
            archive.record("Halden", "based_in", object=f"Town {k}", valid="2020/..",
                           known_at="2021")
            moments.append(clock.tick())
        for moment in moments:
            archive.as_recorded(moment).cut  # noqa: B018 - the cut, made
        kept = archive._recorded_cuts  # type: ignore[attr-defined]
        assert len(kept) == recorded.CUTS_KEPT and max(kept) == archive.store.max_position()
        monkeypatch.setattr(recorded, "CUT_EVENTS_KEPT", max(kept) + 1)
        first = archive.as_recorded(moments[0]).cut.position
        assert 0 < first < min(kept) + 1 and list(kept) == [first]  # the others: too many


# --- differential: an answer as recorded on T is the answer the archive gave at T -------------


def test_as_recorded_answers_are_the_answers_given_then(clock: Clock, tmp_path: Path) -> None:
    """A random archive written step by step — claims, corrections with known times before
    and after their claims', reranks, aliases, merges, predicate changes and undos — asked
    after every step; later, asked as recorded at each step, it must answer the same."""
    rng = random.Random(16)
    people = ["Ana", "Bo", "Cy", "Di"]
    days = ["2019", "2020-06", "2021-03-14", "2022~"]
    with Archive.open(tmp_path / "random.sqlite") as archive:  # a file: it records authors
        then: list[tuple[datetime, dict[str, Any]]] = []
        claims = [archive.record(name, "born_in", object="Oslo", valid="1990", known_at="2020",
                                 new_entity=True) for name in people]
        for step in range(40):
            _random_step(archive, rng, people, days, claims, step)
            then.append((clock.tick(), _snapshot(archive, people)))
        # In order (each cut copied from the one before) and shuffled (some built anew).
        for moment, answers in then + rng.sample(then, len(then)):
            assert _snapshot(archive.as_recorded(moment), people) == answers, moment
        assert _snapshot(archive.as_recorded(clock.now), people) == _snapshot(archive, people)


def _random_step(archive: Archive, rng: random.Random, people: list[str], days: list[str],
                 claims: list[str], step: int) -> None:
    roll = rng.random()
    live = [c for c in claims if archive.claim(c).withdrawn_day == POS_INF]
    if roll < 0.45 or not live:
        claims.append(archive.record(
            rng.choice(people), rng.choice(["ceo", "lives_in", "knows"]),
            object=rng.choice(people + ["Oslo", "Rome"]),
            valid=f"{rng.choice(days)}/..", known_at=rng.choice(["2020", "2022-05", "2024"]),
            new_entity=True))
    elif roll < 0.6:
        archive.retract(rng.choice(live), rng.choice(["2019", "2023", "2025"]))
    elif roll < 0.7:
        archive.supersede(rng.choice(live), known_at=rng.choice(["2019-06", "2024-02"]),
                          valid=f"{rng.choice(days)}/2024")
    elif roll < 0.78:
        archive.rerank(rng.choice(claims), rng.choice(["preferred", "deprecated", "normal"]),
                       rng.choice(["2021", "2023"]))
    elif roll < 0.84:
        archive.define_predicate("ceo", "", rng.choice(["subject", False]))
    elif roll < 0.9:
        keep, other = rng.sample(people, 2)
        if archive.entity(keep)["id"] != archive.entity(other)["id"]:
            archive.merge(keep, other)
    elif roll < 0.95:
        archive.alias(rng.choice(people), f"alias {step}")
    else:
        with contextlib.suppress(NothingToUndo):
            archive.undo()


def _snapshot(archive: Archive, people: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for day in ("2019-12-31", "2021-06-01", "2023-01-01"):
        for known in (None, "2020-12-31", "2023-06-01"):
            state = archive.as_of(day, known)
            out[f"{day} {known}"] = sorted((f.claim.id, f.status, f.statement)
                                           for f in state.facts)
    for name in people:
        entity = archive.entity(name)
        out[name] = (entity["name"], sorted(entity["aliases"]),
                     sorted((c["id"], c["withdrawn"], len(c["corrections"]))
                            for c in archive.history(name)))
    return out


# --- the command line -------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), plugins=[])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def story_file(tmp_path: Path, clock: Clock) -> tuple[Path, datetime]:
    path = tmp_path / "story.sqlite"
    with Archive.open(path) as archive:
        _, between, _ = _story(archive, clock)
    return path, between


def test_the_read_commands_take_recorded_as_of(capsys: pytest.CaptureFixture[str],
                                                story_file: tuple[Path, datetime]) -> None:
    path, between = story_file
    moment = instant_text(between)
    a = ("--archive", str(path))
    code, out, _ = _run(capsys, "as-of", "2023-12-31", "--known-as-of", "2025-03-01",
                        "--recorded-as-of", moment, "--format", "json", *a)
    answer = json.loads(out)
    assert code == 0 and answer["recorded_as_of"] == moment
    assert [f["valid"] for f in answer["facts"]] == ["2023/.."]
    code, out, _ = _run(capsys, "as-of", "2023-12-31", "--format", "json", *a)
    assert json.loads(out)["recorded_as_of"] is None
    assert [f["valid"] for f in json.loads(out)["facts"]] == ["2023-03-14/.."]
    code, out, _ = _run(capsys, "as-of", "2023-12-31", "--recorded-as-of", moment, *a)
    assert "as recorded on 2026-03-02 09:00:00 UTC" in out and "2023/.." in out

    code, out, _ = _run(capsys, "history", "Halden", "--format", "json", *a)
    history = json.loads(out)
    assert history["recorded_as_of"] is None
    assert all(c["recorded_at"] for c in history["claims"])
    assert [f["recorded_at"] for c in history["claims"] for f in c["corrections"]] == \
        [(START + timedelta(hours=1)).isoformat()]
    code, out, _ = _run(capsys, "history", "Halden", "--recorded-as-of", moment,
                        "--format", "json", *a)
    assert [c["corrections"] for c in json.loads(out)["claims"]] == [[]]

    code, out, _ = _run(capsys, "diff", "2022", "2024", "--recorded-as-of", moment,
                        "--format", "json", *a)
    assert json.loads(out)["recorded_as_of"] == moment
    assert [f["valid"] for f in json.loads(out)["began"]] == ["2023/.."]


def test_export_as_recorded_is_the_archive_then_and_imports(
        capsys: pytest.CaptureFixture[str], story_file: tuple[Path, datetime],
        tmp_path: Path) -> None:
    path, between = story_file
    out_file = tmp_path / "then.json"
    code, _, err = _run(capsys, "export", "--to", "json", str(out_file), "--recorded-as-of",
                        instant_text(between), "--archive", str(path))
    assert code == 0, err
    doc = json.loads(out_file.read_text())
    assert doc["recorded_as_of"] == instant_text(between)
    assert [c["valid"] for c in doc["claims"]] == ["2023/.."] and doc["supersessions"] == []
    code, _, err = _run(capsys, "import", str(out_file), "--archive", str(tmp_path / "b.sqlite"))
    assert code == 0, err
    with Archive.open(tmp_path / "b.sqlite") as copy:
        assert [c.valid for c in copy.timeline()] == ["2023/.."]


def test_an_export_as_recorded_never_writes_over_the_archives_files(
        capsys: pytest.CaptureFixture[str], story_file: tuple[Path, datetime]) -> None:
    from timeline.readmodel import readmodel_path

    path, between = story_file
    for target in (path, readmodel_path(path)):
        before = target.read_bytes()
        code, _, err = _run(capsys, "export", "--to", "csv", str(target), "--recorded-as-of",
                            instant_text(between), "--archive", str(path))
        assert code == 2 and "archive" in err, err
        assert target.read_bytes() == before


@pytest.mark.parametrize(("value", "says"), [
    ("2025-02-30", "--recorded-as-of: '2025-02-30' is not a valid EDTF date: day 30 is out"),
    ("2025-03-01T14:61", "--recorded-as-of: '2025-03-01T14:61' is not a date and time"),
])
def test_a_bad_recorded_as_of_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                                       story_file: tuple[Path, datetime],
                                                       value: str, says: str) -> None:
    path, _ = story_file
    for command in (["as-of", "2023"], ["history", "Halden"], ["diff", "2022", "2023"],
                    ["export", "--to", "csv", "-"]):
        code, out, err = _run(capsys, *command, "--recorded-as-of", value,
                              "--archive", str(path))
        assert (code, out) == (2, "")
        assert err.startswith("hindsight: error: " + says) and err.count("\n") == 1


def test_a_correction_known_before_its_claim_gets_a_note(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    path = str(tmp_path / "a.sqlite")
    code, claim, _ = _run(capsys, "record", "Halden", "ceo", "--object", "Ana Varga",
                          "--valid", "2023/..", "--known-at", "2025-02-10", "--archive", path)
    code, other, _ = _run(capsys, "record", "Halden", "based_in", "--object", "Oslo",
                          "--valid", "2023/..", "--known-at", "2025-02-10", "--archive", path)
    code, out, err = _run(capsys, "supersede", claim.strip(), "--valid", "2023-03-14/..",
                          "--known-at", "2023-05-01", "--archive", path)
    assert code == 0 and out.strip().startswith("c-")
    assert err == ("note: this correction is known from 2023-05-01, before the claim it "
                   "corrects (known 2025-02-10): the claim is now in no 'as known on' answer, "
                   "not even of the days it was believed; to see what the archive said "
                   "before this correction, use --recorded-as-of\n")
    code, out, err = _run(capsys, "retract", other.strip(), "--known-at", "2025-06",
                          "--archive", path)
    assert (code, err) == (0, "")


def test_the_note_only_for_a_correction_known_earlier() -> None:
    assert correction_note("2025-02-10", 20129, "2025-02-10") is None
    assert correction_note("2025-02-10", 20129, None) is None
    assert correction_note("2025-02-10", 20129, "2025-02") is None  # known 2025-02-28
    assert "known from 2025-02-09" in (correction_note("2025-02-10", 20129, "2025-02-09") or "")
