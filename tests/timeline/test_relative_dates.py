"""Issue 16, item 2: a claim's start or end relative to another claim's start or end, with an
ISO 8601 offset and an optional approximation (docs/time-model.md, "Relative dates")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from timeline import dates, relative
from timeline.app import Archive
from timeline.cli import main
from timeline.domain import ClaimRecorded, derive_claim_id
from timeline.errors import InvalidInput
from timeline.integrity import verify
from timeline.interchange import export_document, import_file, json_schema

day = dates.parse_day


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive.open(tmp_path / "a.hindsight")


def _rel(anchor: str, edge: str = "start", offset: str = "P0D", **more: Any) -> dict[str, Any]:
    return {"relative_to": anchor, "edge": edge, "offset": offset, **more}


def _vote(archive: Archive, valid: str = "2023-11-17") -> str:
    return archive.record("Parliament", "voted", value="no confidence", valid=valid,
                          known_at="2023-11-18")


def _in_office_until_after(archive: Archive, vote: str) -> str:
    """The PM in office from 2019 until the day after the vote (relative to its start)."""
    return archive.record("PM", "in_office", value="yes", known_at="2023-11-20",
                          valid={"start": "2019", "end": _rel(vote, offset="P1D")})


def _bounds(archive: Archive, claim_id: str) -> tuple[int, int, int, int]:
    row = archive.readmodel.claim(claim_id)
    assert row is not None
    return row.start_lo, row.start_hi, row.end_lo, row.end_hi


def _statuses(archive: Archive, on: str, known: str | None, entity: str) -> dict[str, str]:
    state = archive.as_of(on, known, entities=[entity])
    return {f.claim.id: f.status for f in state.facts}


# --- offsets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "parts"), [
    ("P1M", (1, 0, 1, 0, 0)), ("-P1M", (-1, 0, 1, 0, 0)), ("P1D", (1, 0, 0, 0, 1)),
    ("P2W", (1, 0, 0, 2, 0)), ("P1Y2M3D", (1, 1, 2, 0, 3)), ("+P3Y", (1, 3, 0, 0, 0)),
])
def test_offsets_are_iso_durations_in_days_and_more(text: str, parts: tuple[int, ...]) -> None:
    found = relative.parse_offset(text)
    assert (found.sign, found.years, found.months, found.weeks, found.days) == parts


@pytest.mark.parametrize(("text", "why"), [
    ("PT1H", "has a time part"), ("P1DT12H", "has a time part"), ("1M", "not an ISO 8601"),
    ("P", "not an ISO 8601"), ("P1.5D", "not an ISO 8601"), ("a month", "not an ISO 8601"),
    ("P9999999D", "too long"),
])
def test_bad_offsets_are_refused_with_a_clear_message(text: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why) as caught:
        relative.parse_offset(text, "valid.start.offset")
    assert caught.value.field == "valid.start.offset"


# --- resolution ------------------------------------------------------------------------------


@pytest.mark.parametrize(("anchor_valid", "edge", "offset", "approximate", "lo", "hi"), [
    # A day, a day later: one day.
    ("2023-11-17", "start", "P1D", False, "2023-11-18", "2023-11-19"),
    # Calendar months: 31 March minus a month is the last day of February.
    ("2023-03-31", "start", "-P1M", False, "2023-02-28", "2023-03-01"),
    ("2024-03-31", "start", "-P1M", False, "2024-02-29", "2024-03-01"),
    # A month's range moves as a whole: November minus a month is October.
    ("2023-11", "start", "-P1M", False, "2023-10-01", "2023-11-01"),
    # The end edge: the last day of 2019-03/2023-11-17, plus two weeks.
    ("2019-03/2023-11-17", "end", "P2W", False, "2023-12-01", "2023-12-02"),
    # Years and months first, then days.
    ("2020-01-31", "start", "P1Y1M1D", False, "2021-03-01", "2021-03-02"),
    # Approximate: widened as ~ widens a date of the offset's finest unit.
    ("2023-11-17", "start", "P1D", True, "2023-11-11", "2023-11-26"),
    ("2023-11-17", "start", "-P1M", True, "2023-09-17", "2023-11-18"),
    ("2023-11-17", "start", "P1Y", True, "2023-11-17", "2025-11-18"),
])
def test_a_relative_side_is_the_anchor_edge_moved(archive: Archive, anchor_valid: str, edge: str,
                                                   offset: str, approximate: bool, lo: str,
                                                   hi: str) -> None:
    anchor = _vote(archive, anchor_valid)
    claim = archive.record("PM", "in_office", value="yes", known_at="2024", valid={
        "start": _rel(anchor, edge, offset, approximate=approximate), "end": ".."})
    start_lo, start_hi, end_lo, end_hi = _bounds(archive, claim)
    assert (start_lo, start_hi + 1) == (day(lo), day(hi))
    assert (end_lo, end_hi) == (dates.POS_INF, dates.POS_INF)


def test_a_relative_end_is_read_as_an_edtf_end_is(archive: Archive) -> None:
    anchor = _vote(archive)
    claim = archive.record("PM", "in_office", value="yes", known_at="2024",
                           valid={"start": "2019", "end": _rel(anchor, offset="P1D")})
    assert _bounds(archive, claim) == _bounds(
        archive, archive.record("PM", "in_office", value="yes", valid="2019/2023-11-18",
                                known_at="2024"))
    assert archive.readmodel.claim(claim).valid == "2019/2023-11-18"  # shown as EDTF


def test_an_open_or_unknown_anchor_edge_leaves_the_side_unknown(archive: Archive) -> None:
    anchor = _vote(archive, "2019/..")
    claim = archive.record("PM", "in_office", value="yes", known_at="2024",
                           valid={"start": "2020", "end": _rel(anchor, "end")})
    assert _bounds(archive, claim)[2:] == (day("2020-01-01") + 1, dates.POS_INF)


def test_an_end_wholly_before_its_start_is_refused(archive: Archive) -> None:
    anchor = _vote(archive)
    with pytest.raises(InvalidInput, match="lies wholly before its start") as caught:
        archive.record("PM", "in_office", value="yes",
                       valid={"start": "2024", "end": _rel(anchor)})
    assert caught.value.field == "valid"


# --- following the anchor ------------------------------------------------------------------


def test_the_dependent_follows_a_superseded_anchor_as_known_on_each_day(
        archive: Archive) -> None:
    vote = _vote(archive)
    ousted = _in_office_until_after(archive, vote)
    # The vote turns out to have been three days later, as known from 1 December.
    new_vote = archive.supersede(vote, valid="2023-11-20", known_at="2023-12-01")
    # Before the supersession was known: the PM left office after 18 November.
    assert _statuses(archive, "2023-11-18", "2023-11-30", "PM") == {ousted: "HOLDS"}
    assert _statuses(archive, "2023-11-19", "2023-11-30", "PM") == {}
    # From the day it was known: after 21 November, by a claim dated against the new vote.
    after = _statuses(archive, "2023-11-21", "2023-12-01", "PM")
    assert len(after) == 1 and ousted not in after
    (follower,) = after
    assert after[follower] == "HOLDS"
    assert _statuses(archive, "2023-11-22", "2023-12-01", "PM") == {}
    assert _statuses(archive, "2023-11-21", None, "PM") == after
    history = {h["id"]: h for h in archive.history("PM")}
    assert history[ousted]["withdrawn"]
    assert history[ousted]["corrections"][0]["by_claim"] == follower
    assert new_vote in history[follower]["relative"]


def test_a_dependent_known_after_the_supersession_is_replaced_from_its_own_known_day(
        archive: Archive) -> None:
    vote = _vote(archive)
    late = archive.record("PM", "in_office", value="yes", known_at="2024-02",
                          valid={"start": "2019", "end": _rel(vote, offset="P1D")})
    archive.supersede(vote, valid="2023-11-20", known_at="2023-12-01")
    assert _statuses(archive, "2023-11-18", "2024-01-31", "PM") == {}  # not yet known
    (follower,) = _statuses(archive, "2023-11-21", "2024-02-29", "PM")
    assert follower != late
    assert archive.readmodel.claim(follower).known_at == "2024-02"


def test_a_chain_follows_down_to_its_last_claim(archive: Archive) -> None:
    vote = _vote(archive)
    ousted = _in_office_until_after(archive, vote)
    plot = archive.record("Rival", "plotting", value="yes", known_at="2023-11-20", valid={
        "start": _rel(ousted, "end", "-P1M"), "end": _rel(ousted, "end")})
    assert _bounds(archive, plot)[:2] == (day("2023-10-18"), day("2023-10-18"))
    archive.supersede(vote, valid="2023-11-20", known_at="2023-12-01")
    before = _statuses(archive, "2023-10-18", "2023-11-30", "Rival")
    assert before == {plot: "HOLDS"}
    assert _statuses(archive, "2023-10-18", "2023-12-01", "Rival") == {}
    (follower,) = _statuses(archive, "2023-10-21", "2023-12-01", "Rival")
    assert _bounds(archive, follower)[:2] == (day("2023-10-21"), day("2023-10-21"))


def test_a_retracted_anchor_retracts_its_dependents_from_the_same_day(
        archive: Archive) -> None:
    vote = _vote(archive)
    ousted = _in_office_until_after(archive, vote)
    archive.retract(vote, known_at="2024-01-01")
    assert _statuses(archive, "2023-11-18", "2023-12-31", "PM") == {ousted: "HOLDS"}
    assert _statuses(archive, "2023-11-18", "2024-01-01", "PM") == {}
    (fix,) = archive.corrections(ousted)
    assert fix["kind"] == "retracted" and vote in fix["reason"]


def test_a_new_claim_cannot_be_dated_against_a_withdrawn_one(archive: Archive) -> None:
    vote = _vote(archive)
    archive.retract(vote, known_at="2024-01-01")
    with pytest.raises(InvalidInput, match="retracted or superseded") as caught:
        archive.record("PM", "in_office", value="yes",
                       valid={"start": "2019", "end": _rel(vote)})
    assert caught.value.field == "valid.end.relative_to"


# --- Hindsight JSON --------------------------------------------------------------------------


def _doc(*claims: dict[str, Any]) -> dict[str, Any]:
    return {"format": "hindsight/1", "claims": list(claims)}


def _claim(claim_id: str, valid: Any, subject: str = "PM") -> dict[str, Any]:
    return {"id": claim_id, "subject": subject, "predicate": "in_office", "value": "yes",
            "valid": valid, "known_at": "2024"}


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_an_anchor_later_in_the_file_is_staged_first(archive: Archive, tmp_path: Path) -> None:
    doc = _doc(_claim("c", {"start": _rel("b", "end", "P1D"), "end": ""}),
               _claim("b", {"start": _rel("a", offset="P1M"), "end": "2024"}),
               _claim("a", "2023-01-15"))
    import_file(archive, _write(tmp_path, doc))
    assert _bounds(archive, "b")[:2] == (day("2023-02-15"), day("2023-02-15"))
    # The end of b is 2024: c began a day after some day of 2024.
    assert _bounds(archive, "c")[:2] == (day("2024-01-02"), day("2025-01-01"))


@pytest.mark.parametrize(("claims", "message"), [
    ([_claim("a", "2023"), _claim("b", {"start": "2019", "end": _rel("x")})],
     "claims[1].valid.end.relative_to: no claim 'x'"),
    ([_claim("a", {"start": _rel("b"), "end": ""}),
      _claim("b", {"start": "", "end": _rel("a")})],
     "claims[0].valid.start.relative_to: cycle a → b → a"),
    ([_claim("a", "2023"), _claim("s", {"start": "2019", "end": _rel("s")})],
     "claims[1].valid.end.relative_to: cycle s → s"),
    ([_claim("a", {"start": _rel("a0", offset="PT1H"), "end": ""})],
     "claims[0].valid.start.offset: offset 'PT1H' has a time part"),
    ([_claim("a", {"start": {"relative_to": "b", "edge": "middle"}, "end": ""})],
     "claims[0].valid.start.edge: edge must be 'start' or 'end'"),
])
def test_bad_relative_dates_are_refused_by_place_and_nothing_is_written(
        archive: Archive, tmp_path: Path, claims: list[dict[str, Any]], message: str) -> None:
    _vote(archive)
    events = archive.statistics()["events"]
    with pytest.raises(InvalidInput) as caught:
        import_file(archive, _write(tmp_path, _doc(*claims)))
    assert str(caught.value).startswith(message)
    assert archive.statistics()["events"] == events


def test_export_writes_the_object_form_and_imports_back_the_same(tmp_path: Path) -> None:
    first = Archive.open(tmp_path / "one.hindsight")
    vote = _vote(first)
    ousted = first.record("PM", "in_office", value="yes", known_at="2023-11-20",
                          valid={"start": "2019", "end": _rel(vote, offset="P1D",
                                                              approximate=True)})
    first.supersede(vote, valid="2023-11-20", known_at="2023-12-01")
    doc = export_document(first)
    by_id = {c["id"]: c for c in doc["claims"]}
    assert by_id[ousted]["valid"] == {"start": "2019", "end": _rel(vote, offset="P1D",
                                                                   approximate=True)}
    assert list(Draft202012Validator(json_schema()).iter_errors(doc)) == []
    second = Archive.open(tmp_path / "two.hindsight")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    import_file(second, path)
    again = export_document(second)
    assert sorted(again["claims"], key=str) == sorted(doc["claims"], key=str)
    assert sorted(again["supersessions"], key=str) == sorted(doc["supersessions"], key=str)
    events = second.statistics()["events"]
    import_file(second, path)  # a second time: nothing new
    assert second.statistics()["events"] == events
    for on, known in (("2023-11-18", "2023-11-30"), ("2023-11-26", "2023-12-01"),
                      ("2023-11-27", None)):
        assert _statuses(second, on, known, "PM") == _statuses(first, on, known, "PM")


def test_a_file_without_relative_dates_derives_the_ids_it_always_did(
        archive: Archive, tmp_path: Path) -> None:
    doc = _doc({"subject": "PM", "predicate": "in_office", "value": "yes",
                "valid": "2019/..", "known_at": "2024"})
    import_file(archive, _write(tmp_path, doc))
    (claim_id,) = archive.readmodel.claim_ids()
    subject = archive.readmodel.claim(claim_id).subject_id
    # The id as derived before relative dates: seven parts, no eighth.
    assert claim_id == derive_claim_id(subject, "in_office", None, "yes", "2019/..", "2024",
                                       ())
    assert export_document(archive)["claims"][0]["valid"] == "2019/.."


# --- the command line ------------------------------------------------------------------------


def test_the_command_line_records_and_shows_a_relative_date(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "cli.hindsight")
    assert main(["--archive", path, "record", "Parliament", "voted", "--value",
                 "no confidence", "--valid", "2023-11-17", "--known-at", "2023-11-18"]) == 0
    vote = capsys.readouterr().out.strip()
    assert main(["--archive", path, "record", "Rival", "plotting", "--value", "yes",
                 "--valid", "/2023-11-17", "--start-relative-to", vote,
                 "--start-offset", "-P1M", "--start-approximate", "--known-at", "2024"]) == 0
    claim = capsys.readouterr().out.strip()
    archive = Archive.open(Path(path))
    assert _bounds(archive, claim)[:2] == (day("2023-09-17"), day("2023-11-17"))
    archive.close()
    assert main(["--archive", path, "history", "Rival"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert ("dates: start: about 1 month before the start of “Parliament voted: no "
            f"confidence” ({vote}); end: 2023-11-17") in shown
    assert main(["--archive", path, "record", "Rival", "plotting", "--value", "yes",
                 "--end-relative-to", vote, "--end-offset", "PT1H"]) == 2
    assert "--end-offset: offset 'PT1H' has a time part" in capsys.readouterr().err
    assert main(["--archive", path, "record", "Rival", "plotting", "--value", "yes",
                 "--end-relative-to", "nope"]) == 2
    assert "--end-relative-to: no claim 'nope'" in capsys.readouterr().err


def test_the_worked_example_of_the_time_model(archive: Archive, tmp_path: Path) -> None:
    """docs/time-model.md, "Relative dates", as written there."""
    doc = _doc(
        {"id": "vote", "subject": "Parliament", "predicate": "voted", "value": "no confidence",
         "valid": "2023-11-17", "known_at": "2023-11-18"},
        {"id": "ousted", "subject": "PM", "predicate": "in_office", "value": "yes",
         "valid": {"start": "2019", "end": _rel("vote", "start", "P1D")},
         "known_at": "2023-11-20"},
        {"id": "plot", "subject": "Rival", "predicate": "plotting", "value": "yes",
         "valid": {"start": _rel("ousted", "end", "-P1M"), "end": _rel("ousted", "end")},
         "known_at": "2023-11-20"})
    import_file(archive, _write(tmp_path, doc))
    assert archive.readmodel.claim("ousted").valid == "2019/2023-11-18"
    assert archive.readmodel.claim("plot").valid == "2023-10-18/2023-11-18"
    assert _statuses(archive, "2023-11-18", None, "PM") == {"ousted": "HOLDS"}
    assert _statuses(archive, "2023-11-19", None, "PM") == {}
    assert _statuses(archive, "2023-10-18", None, "Rival") == {"plot": "HOLDS"}
    said = {h["id"]: h["relative"] for h in archive.history("PM")}
    assert said["ousted"] == ("start: 2019; end: 1 day after the start of “Parliament voted: "
                              "no confidence” (vote)")
    archive.supersede("vote", valid="2023-11-20", known_at="2023-12-01")
    assert _statuses(archive, "2023-11-18", "2023-11-30", "PM") == {"ousted": "HOLDS"}
    assert _statuses(archive, "2023-11-19", "2023-11-30", "PM") == {}
    (follower,) = _statuses(archive, "2023-11-21", "2023-12-01", "PM").items()
    assert follower[1] == "HOLDS"
    assert archive.readmodel.claim(follower[0]).valid == "2019/2023-11-21"
    assert _statuses(archive, "2023-11-22", "2023-12-01", "PM") == {}
    assert _statuses(archive, "2023-10-18", "2023-12-01", "Rival") == {}
    new_vote = archive.readmodel.claim_ids()[3]
    archive.retract(new_vote, known_at="2024-01-01")
    assert _statuses(archive, "2023-11-21", "2023-12-31", "PM") == {follower[0]: "HOLDS"}
    assert _statuses(archive, "2023-11-21", "2024-01-01", "PM") == {}


def test_superseding_a_relative_claim_keeps_its_relative_date_and_verify_agrees(
        archive: Archive) -> None:
    vote = _vote(archive)
    ousted = _in_office_until_after(archive, vote)
    fixed = archive.supersede(ousted, value="acting", known_at="2023-12-01")
    assert export_document(archive)["claims"][-1] == {
        **export_document(archive)["claims"][-1],
        "id": fixed, "valid": {"start": "2019", "end": _rel(vote, offset="P1D")}}
    assert _bounds(archive, fixed) == _bounds(archive, ousted)
    # Superseding the anchor now moves the replacement, not the withdrawn claim.
    archive.supersede(vote, valid="2023-11-20", known_at="2024-01-01")
    (follower,) = _statuses(archive, "2023-11-21", "2024-01-01", "PM")
    assert archive.readmodel.claim(follower).value == "acting"
    assert verify(archive).ok


def test_other_claims_events_are_stored_as_before(archive: Archive) -> None:
    vote = _vote(archive)
    archive.record("PM", "in_office", value="yes", known_at="2024",
                   valid={"start": "2019", "end": _rel(vote)})
    rows = [json.loads(row.state) for row in archive.store.stored_rows(0)
            if row.topic.endswith(ClaimRecorded.__name__)]
    stored = {state["claim_id"]: state for state in rows}
    assert len(stored) == 2
    assert "valid_relative" not in stored[vote]
    (relative_event,) = (s for k, s in stored.items() if k != vote)
    assert json.loads(relative_event["valid_relative"]) == {"start": "2019", "end": _rel(vote)}
    assert relative_event["valid"] == "2019/.."


def test_a_file_that_supersedes_an_anchor_moves_its_dependents(archive: Archive,
                                                                 tmp_path: Path) -> None:
    doc = _doc(_claim("vote", "2023-11-17", subject="Parliament"),
               _claim("ousted", {"start": "2019", "end": _rel("vote", offset="P1D")}),
               _claim("vote2", "2023-11-20", subject="Parliament"))
    doc["supersessions"] = [{"claim": "vote", "by": "vote2", "known_at": "2025-06"}]
    import_file(archive, _write(tmp_path, doc))  # the claims are known from 2024-12-31
    (follower,) = _statuses(archive, "2023-11-21", "2025-06", "PM")
    assert _bounds(archive, follower)[2:] == (day("2023-11-22"), day("2023-11-22"))
    assert _statuses(archive, "2023-11-18", "2025-05", "PM") == {"ousted": "HOLDS"}
    assert _statuses(archive, "2023-11-21", "2025-05", "PM") == {}


def test_a_dependent_corrected_by_hand_exports_and_imports_back(tmp_path: Path) -> None:
    first = Archive.open(tmp_path / "one.hindsight")
    vote = _vote(first)
    ousted = first.record("PM", "in_office", value="yes", known_at="2023-11-20",
                          valid={"start": "2019", "end": _rel(vote, offset="P1D")})
    first.supersede(ousted, value="acting", known_at="2023-11-25")
    first.supersede(vote, valid="2023-11-20", known_at="2023-12-01")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_document(first)), encoding="utf-8")
    second = Archive.open(tmp_path / "two.hindsight")
    import_file(second, path)
    assert sorted(export_document(second)["supersessions"], key=str) == sorted(
        export_document(first)["supersessions"], key=str)
    for on, known in (("2023-11-18", "2023-11-24"), ("2023-11-18", "2023-11-30"),
                      ("2023-11-21", "2023-12-01")):
        assert _statuses(second, on, known, "PM") == _statuses(first, on, known, "PM")


@pytest.mark.parametrize(("offset", "approximate", "shown"), [
    ("P1D", False, "2023-11-18/.."),
    ("P1D", True, "2023-11-18~/.."),  # exactly the days of 2023-11-18~
    ("-P1M", True, "2023/.."),  # 2023-09-17 to 2023-11-17: no date is exactly that; 2023 holds it
])
def test_a_relative_claim_shows_the_edtf_date_that_covers_its_days(
        archive: Archive, offset: str, approximate: bool, shown: str) -> None:
    anchor = _vote(archive)
    claim = archive.record("PM", "in_office", value="yes", known_at="2024", valid={
        "start": _rel(anchor, offset=offset, approximate=approximate), "end": ".."})
    row = archive.readmodel.claim(claim)
    assert row is not None and row.valid == shown
    covered = dates.parse_span(shown)
    assert covered.start_lo <= row.start_lo and row.start_hi <= covered.start_hi


def test_a_relative_valid_time_is_gregorian() -> None:
    """A side relative to another claim is counted in days from it: the claim's other side
    is Gregorian, and a Julian one is refused, naming the calendar, with nothing written."""
    archive = Archive.in_memory()
    anchor = archive.record("Council", "met", value="yes", valid="1700-03-11", known_at="1701")
    events = archive.statistics()["events"]
    with pytest.raises(InvalidInput) as refused:
        archive.record("Council", "sat", value="yes", known_at="1701", calendar="julian",
                       valid={"start": "1700-02-20", "end": _rel(anchor, offset="P1D")})
    assert refused.value.field == "calendar"
    assert "Gregorian" in refused.value.message
    assert archive.statistics()["events"] == events
    kept = archive.record("Council", "sat", value="yes", known_at="1701",
                          valid={"start": "1700-03-01", "end": _rel(anchor, offset="P1D")})
    assert archive.claim(kept).calendar == "gregorian"
