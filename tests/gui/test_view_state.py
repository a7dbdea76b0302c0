"""The Qt-free view state (gui/view_state.py): the dates, the focus of a large archive, the
selection, the filter, the states kept and a reload after a write — driven without Qt, on an
in-memory archive, each step saying what changed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gui.view_state import Change, ViewState, count_apart
from timeline.api import (
    Archive,
    NotFound,
    busiest_entities,
    edge_value,
    import_file,
    moment_keys,
    parse_day,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO_JSON = Path(__file__).with_name("data") / "demo_archive.json"


@pytest.fixture
def archive() -> Iterator[Archive]:
    found = Archive.in_memory()
    import_file(found, DEMO_JSON)
    yield found
    found.close()


def _ids(state):  # type: ignore[no-untyped-def]
    return [(f.claim.id, f.status) for f in state.facts]


def test_a_small_archive_is_shown_whole_on_its_last_day(archive: Archive) -> None:
    view = ViewState(archive)
    assert not view.focused and view.entity is None and view.fact is None
    assert view.claims == len(archive.timeline())
    assert view.as_of == archive.span()[1] and view.known_as_of is None
    assert _ids(view.state) == _ids(archive.as_of(view.as_of))
    assert view.moment_keys() == moment_keys(archive)
    assert view.event_days() == sorted({k.day for k in moment_keys(archive)})
    assert view.count_file() is None  # counted at once
    assert view.counts and view.latest_known is not None


def test_dates_change_the_state_as_the_engine_answers(archive: Archive) -> None:
    view = ViewState(archive)
    day = parse_day("2023-11-20")
    assert view.set_as_of(day) == Change.STATE
    assert view.as_of == day and _ids(view.state) == _ids(archive.as_of(day))
    assert view.set_as_of(day) == Change.NONE
    known = parse_day("2024-01-01")
    assert view.set_known_as_of(known) == Change.STATE
    assert _ids(view.state) == _ids(archive.as_of(day, known))
    assert view.state.known_as_of == known
    assert view.set_dates(day, known) == Change.NONE
    later = parse_day("2025-05-15")
    assert view.set_dates(later, None) == Change.STATE
    assert (view.as_of, view.known_as_of) == (later, None)
    assert _ids(view.state) == _ids(archive.as_of(later))


def test_an_entity_is_selected_by_any_of_its_names(archive: Archive) -> None:
    view = ViewState(archive)
    assert view.select_entity("Optimus") == Change.ENTITY  # an alias of Sam Altman
    assert view.entity == "Sam Altman"
    assert view.select_entity("Sam Altman") == Change.NONE
    whole = view.state
    assert view.visible_facts() and all(
        "Sam Altman" in (f.subject, f.object) for f in view.visible_facts())
    assert view.state is whole  # a small archive's state is the whole world's
    with pytest.raises(NotFound):
        view.select_entity("Nobody at all")
    assert view.entity == "Sam Altman"
    assert view.select_entity(None) == Change.ENTITY
    assert view.entity is None


def test_a_large_archive_is_shown_one_entity_at_a_time(archive: Archive) -> None:
    view = ViewState(archive, focus_above=10)
    assert view.focused
    busiest = archive.entity_by_id(busiest_entities(archive, 1)[0][0])["name"]
    assert view.entity == busiest
    assert [e["name"] for e in view.state.entities] == [busiest]
    assert _ids(view.state) == _ids(archive.as_of(view.as_of, None, [busiest]))
    ids = sorted(archive.entity_ids(busiest))
    assert view.scope_ids() == ids
    assert view.moment_keys() == moment_keys(archive, ids)
    # There always is a focus: None changes nothing.
    assert view.select_entity(None) == Change.NONE
    assert view.entity == busiest
    # Moving the focus (by an alias) moves the state and the moments with it.
    assert view.select_entity("Optimus") == Change.ENTITY | Change.STATE
    assert view.entity == "Sam Altman"
    assert [e["name"] for e in view.state.entities] == ["Sam Altman"]
    assert view.moment_keys() == moment_keys(archive, sorted(archive.entity_ids("Sam Altman")))
    # The focus' own facts come first.
    subjects = [f.subject == "Sam Altman" for f in view.visible_facts()]
    assert subjects == sorted(subjects, reverse=True)


def test_selecting_a_claim_not_in_the_state_clears_the_fact(archive: Archive) -> None:
    view = ViewState(archive)
    view.set_as_of(parse_day("2023-11-20"))
    fact = view.state.facts[0]
    assert view.select_claim(fact.claim.id) == Change.FACT
    assert view.fact is fact and view.fact_for(fact.claim.id) is fact
    assert view.select_claim(fact.claim.id) == Change.NONE
    ended = next(f for f in view.state.facts if f.claim.valid.endswith("/2023-11-22"))
    view.select_claim(ended.claim.id)
    view.set_as_of(parse_day("2024-06-01"))  # the claim no longer holds
    assert view.fact is ended  # still selected: it stays on show
    assert view.select_claim(ended.claim.id) == Change.FACT
    assert view.fact is None
    assert view.select_claim("no-such-claim") == Change.NONE


def test_states_are_kept_for_moves_back_least_recently_used_out(
        archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    view = ViewState(archive, states_kept=3)
    days = [parse_day(d) for d in ("2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01")]
    states = {}
    for day in days:
        view.set_as_of(day)
        states[day] = view.state
    assert view.cached_states() == [(d, None, None) for d in days[1:]]
    asked: list[object] = []
    real = archive.as_of
    monkeypatch.setattr(archive, "as_of", lambda *a, **k: asked.append(a) or real(*a, **k))
    view.set_as_of(days[1])
    assert view.state is states[days[1]] and asked == []  # kept: the engine is not asked
    assert view.cached_states()[-1] == (days[1], None, None)  # now the most recent
    view.set_as_of(days[0])  # dropped earlier: asked again
    assert len(asked) == 1 and view.state is not states[days[0]]
    assert _ids(view.state) == _ids(states[days[0]])
    assert view.cached_states() == [(days[3], None, None), (days[1], None, None),
                                    (days[0], None, None)]


def test_reload_after_a_write_shows_it_and_forgets_what_was_kept(archive: Archive) -> None:
    view = ViewState(archive)
    day = parse_day("2025-05-15")
    view.set_as_of(day)
    view.set_as_of(day - 1)
    view.set_as_of(day)
    fact = view.state.facts[0]
    view.select_fact(fact)
    before = len(view.timeline())
    new = archive.record("Satya Nadella", "met", object="Sam Altman", valid="2025-05-01/..")
    changes = view.reload()
    assert Change.ARCHIVE in changes and Change.STATE in changes
    assert Change.FACT not in changes  # the selected fact is the same, reselected
    assert view.fact is not None and view.fact.claim.id == fact.claim.id
    assert view.claims == before + 1 and len(view.timeline()) == before + 1
    assert new in {f.claim.id for f in view.state.facts}
    assert view.cached_states() == [(day, None, None)]
    # A write that takes the selected fact out of the state: the selection is cleared.
    archive.retract(fact.claim.id)
    changes = view.reload()
    assert Change.FACT in changes and view.fact is None
    assert fact.claim.id not in {f.claim.id for f in view.state.facts}


def test_the_filter_matches_words_and_what_a_name_or_alias_names(archive: Archive) -> None:
    view = ViewState(archive)
    view.set_as_of(parse_day("2025-05-15"))
    assert view.set_filter(" Optimus ") == Change.FILTER
    assert (view.filter_text, view.filter_entity) == ("Optimus", "Sam Altman")
    about = {f.claim.id for f in archive.as_of(view.as_of, None, ["Sam Altman"]).facts}
    assert {f.claim.id for f in view.visible_facts()} == about
    assert view.set_filter("Optimus") == Change.NONE
    assert view.set_filter("ohio") == Change.FILTER
    assert view.filter_entity is None
    shown = view.visible_facts()
    assert shown and all("ohio" in f.statement.casefold() for f in shown)
    assert view.set_filter("") == Change.FILTER
    assert len(view.visible_facts()) == len(view.state.facts)


def test_another_archive_replaces_everything_and_closes_the_old_one(archive: Archive) -> None:
    view = ViewState(archive)
    view.select_entity("OpenAI")
    view.select_fact(view.state.facts[0])
    view.set_known_as_of(parse_day("2024-01-01"))
    other = Archive.in_memory()
    changes = view.replace_archive(other, None)
    assert changes == (Change.ARCHIVE | Change.ENTITY | Change.FILTER | Change.STATE
                       | Change.FACT)
    assert view.archive is other and view.entity is None and view.fact is None
    assert view.known_as_of is None and view.state.facts == () and view.claims == 0
    lo, hi = view.span()  # an empty archive: the year up to today
    assert hi - lo == 365 and view.as_of == hi
    other.close()


def test_a_large_archive_file_is_counted_apart(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.sqlite") as archive:
        import_file(archive, DEMO_JSON)
        view = ViewState(archive, tmp_path / "a.sqlite", focus_above=10)
        path = view.count_file()
        assert path is not None and view.counts is None
        generation = view.generation
        found = count_apart(path)
        assert view.counted(generation - 1, found) == Change.NONE  # an older count
        assert view.counts is None
        assert view.counted(generation, found) == Change.COUNTS
        assert view.count_file() is None
        small = ViewState(archive)
        assert (view.counts, view.latest_known) == (small.counts, small.latest_known)
        assert view.reload() & Change.ARCHIVE and view.count_file() == path
        assert view.counted(view.generation, RuntimeError("gone")) == Change.COUNTS
        assert view.counts == []


def test_the_engine_says_which_values_an_edge_shows(archive: Archive) -> None:
    """The rule the graph used to apply itself: a value qualifies the relationship's edge
    only for a single-valued predicate between two entities."""
    by_id = {c.id: c for c in archive.timeline()}
    shown = {c.predicate for c in by_id.values() if edge_value(c, archive.predicates)}
    assert shown == {"relationship_with"}
    invested = next(c for c in by_id.values() if c.predicate == "invested_in")
    assert invested.value and edge_value(invested, archive.predicates) is None
    structure = next(c for c in by_id.values() if c.predicate == "legal_structure")
    assert edge_value(structure, archive.predicates) is None  # no object: no edge


_NO_QT = """
import json, sys
import gui.view_state
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in
                        ("PySide6", "shiboken6", "PyQt5", "PyQt6"))))
"""


def test_importing_the_view_state_loads_no_qt() -> None:
    done = subprocess.run([sys.executable, "-c", _NO_QT], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_archive_as_recorded_on_a_moment_is_read_only_saying_why(archive: Archive) -> None:
    from datetime import UTC, datetime

    view = ViewState(archive)
    assert view.read_only() is None
    view.set_recorded_as_of(datetime(2026, 3, 2, 9, 0, 41, tzinfo=UTC))
    assert view.read_only() == ("The archive is shown as recorded on 2 March 2026, 09:00 UTC: "
                                "turn off “As recorded on” to change it")
    view.set_recorded_as_of(None)
    assert view.read_only() is None
