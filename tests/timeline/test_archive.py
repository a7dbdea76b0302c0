"""How an archive behaves, whatever stores its events.

``ArchiveBehaviour`` holds the tests; each backend subclasses it once (in-memory, SQLite; the
PostgreSQL archive will add a third subclass).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.app import Archive
from timeline.errors import Conflict, InvalidInput, NotFound

TEXT = (
    "In the summer of 2018 the two met in a stairwell. A year after that encounter, Microsoft "
    "invested $1 billion in OpenAI. Nadella very quickly came out to strongly support him. "
    "Microsoft became OpenAI's exclusive cloud service provider. Some say they are close; "
    "others say they are growing apart."
)


def _ids(state) -> list[str]:
    return [f.claim.id for f in state.facts]


def _status(state, claim_id: str) -> str | None:
    return next((f.status for f in state.facts if f.claim.id == claim_id), None)


class ArchiveBehaviour:
    """Behavioural tests shared by every backend."""

    def open(self, tmp_path: Path) -> Archive:  # pragma: no cover - overridden
        raise NotImplementedError

    @pytest.fixture
    def archive(self, tmp_path: Path) -> Archive:
        archive = self.open(tmp_path)
        archive.add_source("s1", "An article", "2025-05-02", TEXT)
        archive.define_predicate("relationship_with", "relationship with", single=True)
        archive.define_predicate("cloud_provider", "has exclusive cloud provider", single=True)
        yield archive
        archive.close()

    def events(self, archive: Archive) -> int:
        return archive.statistics()["events"]

    # --- time ---------------------------------------------------------------------------------

    def test_claim_holds_inside_its_interval_and_is_absent_outside(self, archive):
        c = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019-07/2023-06",
                           known_at="2019-07-22")
        assert _status(archive.as_of("2020-01-01"), c) == "HOLDS"
        assert _status(archive.as_of("2019-07-01"), c) == "MAYBE"  # the start month is fuzzy
        assert _status(archive.as_of("2019-06-30"), c) is None
        assert _status(archive.as_of("2023-06-30"), c) == "MAYBE"
        assert _status(archive.as_of("2023-07-01"), c) is None

    def test_open_end_still_holds_and_unknown_end_only_may_hold(self, archive):
        ongoing = archive.record("Microsoft", "partner_of", object="OpenAI", valid="2019/..",
                                 known_at="2020")
        unknown = archive.record("Microsoft", "funds", object="OpenAI", valid="2019/",
                                 known_at="2020")
        state = archive.as_of("2030-01-01")
        assert _status(state, ongoing) == "HOLDS"
        assert _status(state, unknown) == "MAYBE"

    # --- known time ---------------------------------------------------------------------------

    def test_claim_is_unknown_as_known_before_its_source(self, archive):
        c = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019",
                           sources=[("s1", "Microsoft invested $1 billion in OpenAI")],
                           known_at="2025-05-02")
        assert c in _ids(archive.as_of("2019-12-31"))
        assert c not in _ids(archive.as_of("2019-12-31", known_as_of="2025-05-01"))
        assert c in _ids(archive.as_of("2019-12-31", known_as_of="2025-05-02"))

    def test_claim_retracted_after_R_still_holds_as_known_on_R(self, archive):
        c = archive.record("Nadella", "supported", object="Altman", valid="2023-11/..",
                           known_at="2023-11-20")
        archive.retract(c, known_at="2024-03-01", reason="misread")
        assert c not in _ids(archive.as_of("2024-01-01"))
        assert _status(archive.as_of("2024-01-01", known_as_of="2024-02-29"), c) == "HOLDS"
        assert c not in _ids(archive.as_of("2024-01-01", known_as_of="2024-03-01"))

    def test_superseded_claim_gives_way_to_its_replacement_from_the_supersession_on(
            self, archive):
        old = archive.record("Microsoft", "invested_in", object="OpenAI", value="$2 billion",
                             valid="2019", known_at="2020-01-01")
        new = archive.supersede(old, value="$1 billion", known_at="2025-05-02",
                                reason="the article says $1 billion")
        assert new != old
        now = archive.as_of("2019-12-31")
        assert _ids(now) == [new]
        assert now.facts[0].claim.value == "$1 billion"
        assert _ids(archive.as_of("2019-12-31", known_as_of="2025-05-01")) == [old]

    # --- contest and ranks --------------------------------------------------------------------

    def test_disagreeing_single_valued_claims_are_contested_with_every_citation(self, archive):
        a = archive.record("Microsoft", "relationship_with", object="OpenAI", value="close",
                           valid="2025/..", sources=[("s1", "Some say they are close")],
                           known_at="2025-05-02")
        b = archive.record("Microsoft", "relationship_with", object="OpenAI",
                           value="growing apart", valid="2025/..",
                           sources=[("s1", "others say they are growing apart")],
                           known_at="2025-05-02")
        state = archive.as_of("2025-06-01")
        assert {f.claim.id: f.status for f in state.facts} == {a: "CONTESTED", b: "CONTESTED"}
        quotes = {s["quote"] for f in state.facts for s in f.to_json()["sources"]}
        assert quotes == {"Some say they are close", "others say they are growing apart"}
        assert state.facts[0].to_json()["contested_with"] in ([a], [b])

    def test_multi_valued_predicate_is_never_contested(self, archive):
        archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019/..",
                       known_at="2020")
        archive.record("Microsoft", "invested_in", object="Inflection", valid="2019/..",
                       known_at="2020")
        assert {f.status for f in archive.as_of("2021").facts} == {"HOLDS"}

    def test_preferred_rank_settles_a_contest_from_the_day_it_was_given(self, archive):
        a = archive.record("Microsoft", "relationship_with", object="OpenAI", value="close",
                           valid="2025-01-01/..", known_at="2025-05-02")
        b = archive.record("Microsoft", "relationship_with", object="OpenAI", value="tense",
                           valid="2025-01-01/..", known_at="2025-05-02")
        archive.rerank(b, "preferred", known_at="2025-06-01", reason="better sourced")
        assert [(f.claim.id, f.status) for f in archive.as_of("2025-06-15").facts] == [
            (b, "HOLDS")]
        before = archive.as_of("2025-06-15", known_as_of="2025-05-31")
        assert {f.claim.id: f.status for f in before.facts} == {a: "CONTESTED", b: "CONTESTED"}

    def test_deprecated_claim_leaves_the_state_but_not_the_history(self, archive):
        c = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019",
                           known_at="2020")
        archive.rerank(c, "deprecated", known_at="2021-01-01")
        assert c not in _ids(archive.as_of("2019-12-31"))
        assert c in _ids(archive.as_of("2019-12-31", known_as_of="2020-12-31"))
        assert [h["id"] for h in archive.history("Microsoft")] == [c]

    def test_a_change_ends_the_previous_state_of_the_same_slot(self, archive):
        close = archive.record("Nadella", "relationship_with", object="Altman",
                               value="close allies", valid="2018-06/..", known_at="2025-05-02")
        apart = archive.record("Nadella", "relationship_with", object="Altman",
                               value="growing apart", valid="2025-04/..", known_at="2025-05-02")
        assert _ids(archive.as_of("2024-01-01")) == [close]
        transition = archive.as_of("2025-04-15")
        assert {f.claim.id: f.status for f in transition.facts} == {close: "MAYBE",
                                                                   apart: "MAYBE"}
        assert _ids(archive.as_of("2025-06-01")) == [apart]
        assert archive.as_of("2025-04-15").facts[0].to_json()["ended_by"] == apart

    def test_the_successor_that_ends_an_open_claim_is_the_first_different_answer_known_and_not_deprecated(  # noqa: E501
            self, archive):
        first = archive.record("Ministry", "located_in", value="Vienna", valid="1800/..",
                               known_at="1900")
        again = archive.record("Ministry", "located_in", value="Vienna", valid="1810/..",
                               known_at="1900")  # a restatement: same answer, does not cut
        demoted = archive.record("Ministry", "located_in", value="Prague", valid="1820/..",
                                 known_at="1900")
        late = archive.record("Ministry", "located_in", value="Graz", valid="1830/..",
                              known_at="1950")
        archive.define_predicate("located_in", "located in", single=True)
        archive.rerank(demoted, "deprecated", known_at="1960")

        def ended_by(known: str | None) -> str | None:
            state = archive.as_of("1840", known, ["Ministry"])
            return next(f.fact.ended_by for f in state.facts if f.claim.id == first) \
                if first in _ids(state) else "not in the state"

        assert ended_by("1940") == "not in the state"  # Prague (1820) cut it by 1840
        assert archive.as_of("1815", "1940", ["Ministry"]).facts[0].fact.ended_by is None
        # As known in 1955: Prague still normal, so it is the successor; from 1960 on it is
        # deprecated, and Graz (known since 1950) is the first different answer.
        assert _ids(archive.as_of("1825", "1955", ["Ministry"])) == [demoted]
        # The restatement is another account of the same fact: one row, citing both.
        assert _ids(archive.as_of("1825", "1965", ["Ministry"])) == [first]
        assert [a.claim.id for a in archive.as_of("1825", "1965", ["Ministry"]).facts[0]
                .fact.accounts] == [first, again]
        assert _ids(archive.as_of("1835", "1965", ["Ministry"])) == [late]
        assert _ids(archive.as_of("1825", None, ["Ministry"])) == [first]
        assert _ids(archive.as_of("1825", None, ["Ministry"])) == _ids(archive.as_of("1825"))

    # --- entities -----------------------------------------------------------------------------

    def test_aliases_resolve_in_every_query(self, archive):
        archive.record("Sam Altman", "leads", object="OpenAI", valid="2019/..", known_at="2020")
        archive.alias("Sam Altman", "Optimus")
        by_alias = archive.as_of("2021", entities=["optimus"])
        assert [f.subject for f in by_alias.facts] == ["Sam Altman"]
        assert by_alias.entities[0]["aliases"] == ["Optimus"]
        assert archive.history("Optimus")[0]["statement"] == "Sam Altman leads OpenAI"
        c = archive.record("Optimus", "met", object="Nadella", valid="2018-22", known_at="2025")
        assert archive.claim(c).subject_id == archive.entity("Sam Altman")["id"]

    def test_entity_filter_matches_subject_or_object(self, archive):
        a = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019/..",
                           known_at="2020")
        b = archive.record("OpenAI", "released", value="ChatGPT", valid="2022-11-30/..",
                           known_at="2023")
        c = archive.record("Apple", "uses", value="Siri", valid="2011/..", known_at="2012")
        assert set(_ids(archive.as_of("2023", entities=["OpenAI"]))) == {a, b}
        assert c not in _ids(archive.as_of("2023", entities=["OpenAI"]))

    def test_two_entities_give_the_facts_that_link_them(self, archive):
        a = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019/..",
                           known_at="2020")
        archive.record("OpenAI", "released", value="ChatGPT", valid="2022-11-30/..",
                       known_at="2023")
        archive.record("Microsoft", "acquired", object="Inflection", valid="2024", known_at="2024")
        b = archive.record("OpenAI", "partner_of", object="Microsoft", valid="2019/..",
                           known_at="2020")
        state = archive.as_of("2023", entities=["Microsoft", "OpenAI"])
        assert set(_ids(state)) == {a, b}
        assert state.to_json()["entity"] is None
        assert [e["name"] for e in state.to_json()["entities"]] == ["Microsoft", "OpenAI"]

    def test_merging_makes_two_entities_one(self, archive):
        a = archive.record("Sam Altman", "leads", object="OpenAI", valid="2019/..",
                           known_at="2020")
        b = archive.record("Optimus", "met", object="Nadella", valid="2018-22", known_at="2025")
        archive.merge("Sam Altman", "Optimus")
        assert set(_ids(archive.as_of("2018-08-01", entities=["Sam Altman"]))) == {b}
        assert set(_ids(archive.as_of("2020", entities=["Optimus"]))) == {a}
        assert archive.entity("Optimus")["name"] == "Sam Altman"
        assert "Optimus" not in [e["name"] for e in archive.entities()]

    def test_entity_answers_follow_merges_and_aliases_though_names_are_cached(self, archive):
        a = archive.record("Sam Altman", "leads", object="OpenAI", valid="2019/..",
                           known_at="2020")
        b = archive.record("Optimus", "met", object="Nadella", valid="2018/..", known_at="2025")
        state = archive.as_of("2021", entities=["Sam Altman"])
        assert _ids(state) == [a]
        state.entities[0]["aliases"].append("scribbled on by a caller")
        archive.entity("Sam Altman")["name"] = "scribbled on too"
        archive.merge("Sam Altman", "Optimus")
        archive.alias("Sam Altman", "Altman")
        state = archive.as_of("2021", entities=["Sam Altman"])
        assert set(_ids(state)) == {a, b}
        assert state.entities[0]["name"] == "Sam Altman"
        assert state.entities[0]["aliases"] == ["Altman", "Optimus"]
        assert set(_ids(archive.as_of("2021", entities=["Altman"]))) == {a, b}
        ids = archive.entity_ids("Optimus")
        assert len(ids) == 2 and archive.entity("Optimus")["id"] in ids

    def test_unknown_entity_is_refused_with_near_names(self, archive):
        archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019", known_at="2020")
        with pytest.raises(NotFound, match=r"unknown entity 'Microsft' — did you mean "
                                           r"'Microsoft'"):
            archive.as_of("2020", entities=["Microsft"])

    def test_an_alias_cannot_name_two_entities(self, archive):
        archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019", known_at="2020")
        with pytest.raises(Conflict, match="already names another entity"):
            archive.alias("Microsoft", "OpenAI")

    # --- bad input writes nothing -------------------------------------------------------------

    @pytest.mark.parametrize(("fields", "message"), [
        ({"valid": "2023-13"}, "'2023-13' is not a valid EDTF date"),
        ({"valid": "2020/2019"}, "ends before it starts"),
        ({"known_at": "someday"}, "'someday' is not a valid EDTF date"),
        ({"certainty": 1.5}, "certainty 1.5 is not between 0 and 1"),
        ({"rank": "best"}, "rank 'best' is not one of"),
        ({"sources": [("s1", "Microsoft invested $2 billion")]}, "is not verbatim in source"),
        ({"sources": [("nope", "x")]}, "unknown source 'nope'"),
        ({"object": None, "value": None}, "needs a value or an object"),
    ])
    def test_bad_input_is_refused_and_nothing_is_written(self, archive, fields, message):
        claim = {"subject": "Brand New Entity", "predicate": "invested_in", "object": "OpenAI",
                 "valid": "2019", "known_at": "2020"} | fields
        before = self.events(archive)
        with pytest.raises(InvalidInput, match=message):
            archive.record(**claim)
        assert self.events(archive) == before
        with pytest.raises(NotFound):
            archive.entity("Brand New Entity")

    def test_unknown_claim_ids_are_refused(self, archive):
        for correction in (lambda: archive.retract("c-nope"),
                           lambda: archive.rerank("c-nope", "preferred"),
                           lambda: archive.supersede("c-nope", value="x")):
            with pytest.raises(NotFound, match="unknown claim id 'c-nope'"):
                correction()

    def test_recording_the_same_claim_twice_adds_nothing(self, archive):
        first = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019",
                               known_at="2020")
        before = self.events(archive)
        assert archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019",
                              known_at="2020") == first
        assert self.events(archive) == before

    def test_a_correction_that_lost_a_race_fails_instead_of_applying_twice(self, archive):
        c = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019",
                           known_at="2020")
        first, second = archive.batch(), archive.batch()
        first.retract(c, "2021")
        second.rerank(c, "preferred", "2021")
        first.commit()
        with pytest.raises(Conflict, match="another writer"):
            second.commit()
        assert [x["kind"] for x in archive.readmodel.corrections(c)] == ["retracted"]

    # --- history and diff ---------------------------------------------------------------------

    def test_history_lists_claims_in_valid_time_order_with_corrections(self, archive):
        late = archive.record("Microsoft", "paused", value="Ohio data centers",
                              valid="2025-04", known_at="2025-05-02")
        early = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019",
                               known_at="2020")
        archive.retract(late, known_at="2025-06-01", reason="test")
        history = archive.history("Microsoft")
        assert [h["id"] for h in history] == [early, late]
        assert history[1]["withdrawn"] is True
        assert history[1]["corrections"][0]["kind"] == "retracted"

    def test_diff_reports_what_began_ended_and_changed(self, archive):
        ended = archive.record("Microsoft", "cloud_provider", object="OpenAI", value="exclusive",
                               valid="2019/2023", known_at="2024")
        began = archive.record("OpenAI", "announced", value="restructuring",
                               valid="2024-12/..", known_at="2025")
        fuzzy = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019~/..",
                               known_at="2020")
        diff = archive.diff("2018-06-01", "2025-01-01")
        assert [f.claim.id for f in diff.began] == [began]
        assert ended not in [f.claim.id for f in diff.ended]  # not there on either date
        diff2 = archive.diff("2020-06-01", "2025-01-01")
        assert [f.claim.id for f in diff2.ended] == [ended]
        assert [f.claim.id for f in diff2.began] == [began]
        changed = diff.to_json()["changed"]
        assert [(c["id"], c["from"], c["to"]) for c in changed] == [(fuzzy, "MAYBE", "HOLDS")]
        assert [c["id"] for c in diff2.to_json()["changed"]] == [fuzzy]  # 2019~ is fuzzy


class TestInMemoryArchive(ArchiveBehaviour):
    def open(self, tmp_path: Path) -> Archive:
        return Archive.in_memory()


class TestSQLiteArchive(ArchiveBehaviour):
    def open(self, tmp_path: Path) -> Archive:
        return Archive.open(tmp_path / "archive.sqlite")

    def test_events_and_answers_survive_closing_and_reopening(self, archive, tmp_path):
        c = archive.record("Microsoft", "invested_in", object="OpenAI", valid="2019",
                           known_at="2020")
        answer = archive.as_of("2019-12-31").to_json()
        archive.close()
        with Archive.open(tmp_path / "archive.sqlite") as again:
            assert again.as_of("2019-12-31").to_json() == answer
            assert again.claim(c).valid == "2019"

    def test_the_archive_file_uses_a_write_ahead_log(self, archive, tmp_path):
        import sqlite3

        con = sqlite3.connect(tmp_path / "archive.sqlite")
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


class TestPostgreSQLArchive(ArchiveBehaviour):
    """The team archive: the same behaviour on the real server (started if it is down)."""

    @pytest.fixture(autouse=True)
    def _url(self, postgres_url: str) -> None:
        self.url = postgres_url

    def open(self, tmp_path: Path) -> Archive:
        return Archive.open(self.url)

    def test_two_clients_share_the_archive_and_each_keeps_its_read_model_current(self, archive):
        other = Archive.open(self.url)
        try:
            c = other.record("Microsoft", "invested_in", object="OpenAI", valid="2019",
                             known_at="2020")
            archive.refresh()
            assert [f.claim.id for f in archive.as_of("2019-12-31").facts] == [c]
            assert archive.readmodel.position == archive.store.max_position()
        finally:
            other.close()


@given(st.text(max_size=60))
def test_stream_ids_are_the_name_based_uuids_they_always_were(name: str) -> None:
    """Streams are addressed by uuid5 of their natural keys; the fast hash must not move them."""
    from uuid import NAMESPACE_DNS, uuid5

    from timeline import domain

    namespace = domain._NAMESPACE
    assert namespace != NAMESPACE_DNS
    expected = {"claim": domain.claim_stream, "source": domain.source_stream,
                "predicate": domain.predicate_stream}
    for kind, stream in expected.items():
        got = stream(name)
        assert got == uuid5(namespace, f"{kind}:{name}")
        assert str(got) == str(uuid5(namespace, f"{kind}:{name}")) and got.version == 5
    assert domain.entity_stream(name) == uuid5(
        namespace, "entity:" + domain.normalise_name(name))
