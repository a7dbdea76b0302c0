"""The ``hindsight`` command line, end to end (README.md, "Using it").

Every test runs the real command in a subprocess, on a scratch archive and a scratch data
folder. To keep the suite fast, one "story" archive is built once per module and read by many
tests; tests that write work on a copy of it.

The story (known times in brackets):

- Microsoft invested in OpenAI, 2019-07-22/.. [2019-07-22], cited from the source ``deal-2019``
- Sam Altman was CEO of OpenAI 2019-03/2023-11-17 [2019-03-08] and again 2023-11-22/..
  [2023-11-22]
- Satya Nadella backed Sam Altman, 2023-11~/.. (MAYBE in November, HOLDS from January) [2023-11-20]
- Sam Altman joined Microsoft 2023-11-20/.. [2023-11-20], retracted as known on 2023-11-22
- OpenAI's valuation 2023-11/2024-01 was "$80 billion" [2023-12-01] and "$86 billion"
  [2023-12-05]; ``valuation`` is single-valued, so the two are CONTESTED
- OpenAI Global LLC headquartered in San Francisco, 2019/.. (merged into OpenAI by one test)
- "Optimus" is an alias of Sam Altman
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.app import Archive

CLAIM_ID = re.compile(r"^c-[0-9a-f]{16}$")
LIVE_STATUSES = {"HOLDS", "MAYBE", "CONTESTED", "DISPUTED"}

DEAL_TEXT = (
    "On July 22, 2019, Microsoft announced it would invest $1 billion in OpenAI. Sam Altman, "
    "OpenAI's chief executive, welcomed the partnership.\n"
)
DEAL_QUOTE = "Microsoft announced it would invest $1 billion in OpenAI"


def scratch_env(data_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "HINDSIGHT_SEEDS"}
    env.update(XDG_DATA_HOME=str(data_home), QT_QPA_PLATFORM="offscreen",
               PYTHONIOENCODING="utf-8", COLUMNS="160")
    return env


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class Cli:
    """Runs ``python -m timeline --archive ARCHIVE …`` in ``cwd`` with a scratch data folder."""

    archive: Path | None
    env: dict[str, str]
    cwd: Path
    program: list[str] = field(default_factory=lambda: [sys.executable, "-m", "timeline"])

    def run(self, *args: str) -> Result:
        where = ["--archive", str(self.archive)] if self.archive is not None else []
        done = subprocess.run([*self.program, *where, *args], capture_output=True, text=True,
                              env=self.env, cwd=self.cwd, timeout=120)
        return Result(done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.code == 0, f"hindsight {' '.join(args)} failed: {result.err}"
        assert "Traceback" not in result.err
        return result

    def json(self, *args: str) -> Any:
        return self.ok(*args, "--format", "json").json()

    def copy(self, target: Path) -> Cli:
        """The same archive (and its read model), copied under ``target``."""
        assert self.archive is not None
        shutil.copytree(self.archive.parent, target)
        return Cli(target / self.archive.name, self.env, target)


@dataclass
class Story:
    cli: Cli
    ids: dict[str, str]
    outputs: dict[str, Result]
    _answers: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def answer(self, *args: str) -> Any:
        """``as-of``/``history``… as JSON, asked once per module."""
        if args not in self._answers:
            self._answers[args] = self.cli.json(*args)
        return self._answers[args]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    root = tmp_path_factory.mktemp("story")
    (root / "archive").mkdir()
    (root / "deal.txt").write_text(DEAL_TEXT, encoding="utf-8")
    cli = Cli(root / "archive" / "a.sqlite", scratch_env(root / "xdg"), root)
    outputs: dict[str, Result] = {}
    ids: dict[str, str] = {}

    def step(name: str, *args: str) -> None:
        outputs[name] = cli.ok(*args)
        ids[name] = outputs[name].out.strip()

    step("source", "source", "add", "deal-2019", "--title", "Microsoft invests in OpenAI",
         "--published", "2019-07-22", "--file", "deal.txt")
    step("single_valuation", "predicate", "valuation", "--single")
    step("invested", "record", "Microsoft", "invested_in", "--object", "OpenAI",
         "--valid", "2019-07-22/..", "--source", "deal-2019", "--quote", DEAL_QUOTE,
         "--known-at", "2019-07-22")
    step("ceo1", "record", "Sam Altman", "ceo_of", "--object", "OpenAI",
         "--valid", "2019-03/2023-11-17", "--known-at", "2019-03-08")
    step("ceo2", "record", "Sam Altman", "ceo_of", "--object", "OpenAI",
         "--valid", "2023-11-22/..", "--known-at", "2023-11-22")
    step("backed", "record", "Satya Nadella", "backed", "--object", "Sam Altman",
         "--valid", "2023-11~/..", "--known-at", "2023-11-20")
    step("joined", "record", "Sam Altman", "joined", "--object", "Microsoft",
         "--valid", "2023-11-20/..", "--known-at", "2023-11-20")
    step("retract", "retract", ids["joined"], "--known-at", "2023-11-22",
         "--reason", "Altman returned to OpenAI instead")
    step("val80", "record", "OpenAI", "valuation", "--value", "$80 billion",
         "--valid", "2023-11/2024-01", "--known-at", "2023-12-01")
    step("val86", "record", "OpenAI", "valuation", "--value", "$86 billion",
         "--valid", "2023-11/2024-01", "--known-at", "2023-12-05")
    # Close to "OpenAI" (a word in common): a new entity only when said so.
    step("hq", "record", "OpenAI Global LLC", "headquartered_in", "--value", "San Francisco",
         "--valid", "2019/..", "--new-entity")
    step("alias", "alias", "Sam Altman", "Optimus")
    return Story(cli, ids, outputs)


def by_id(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in answer["facts"]}


# --- writing --------------------------------------------------------------------------------


def test_record_prints_the_new_claim_id_alone(story: Story) -> None:
    for name in ("invested", "ceo1", "ceo2", "backed", "joined", "val80", "val86", "hq"):
        out = story.outputs[name].out
        assert out.endswith("\n") and out.count("\n") == 1, out
        assert CLAIM_ID.match(out.strip()), out
    assert len({story.ids[n] for n in ("ceo1", "ceo2", "val80", "val86")}) == 4


def test_record_creates_entities_on_first_mention_with_a_note(story: Story) -> None:
    first = story.outputs["invested"].err.splitlines()
    assert "note: created entity 'Microsoft' (other)" in first
    assert "note: created entity 'OpenAI' (other)" in first
    # Already known names are not announced again.
    assert "created entity 'OpenAI'" not in story.outputs["ceo1"].err
    assert "note: created entity 'Sam Altman' (other)" in story.outputs["ceo1"].err
    assert story.outputs["ceo2"].err == ""


def test_a_claim_recorded_from_a_source_is_known_from_its_publication(
        story: Story, tmp_path: Path) -> None:
    """A claim is known from the publication date of the source it comes from (as an import
    does when a claim has no known_at; docs/time-model.md, "Known time")."""
    cli = story.cli.copy(tmp_path / "copy")
    claim = cli.ok("record", "Microsoft", "partner_of", "--object", "OpenAI",
                   "--valid", "2019-07-22/..", "--source", "deal-2019",
                   "--quote", "welcomed the partnership").out.strip()
    facts = by_id(cli.json("as-of", "2019-12-31", "--known-as-of", "2019-08-01"))
    assert facts[claim]["known_at"] == "2019-07-22"


def test_source_add_prints_the_source_id(story: Story) -> None:
    assert story.outputs["source"].out == "deal-2019\n"


def test_write_commands_print_nothing_but_what_a_script_needs(story: Story) -> None:
    for name in ("single_valuation", "retract", "alias"):
        assert story.outputs[name].out == "", name


# --- as-of ----------------------------------------------------------------------------------


def test_as_of_json_has_the_documented_keys(story: Story) -> None:
    answer = story.answer("as-of", "2023-11-30")
    assert answer["as_of"] == "2023-11-30"
    assert answer["known_as_of"] is None
    assert answer["entity"] is None
    assert answer["facts"]
    for fact in answer["facts"]:
        assert {"id", "subject", "predicate", "value", "valid", "status", "statement",
                "sources"} <= fact.keys()
        assert isinstance(fact["statement"], str) and fact["statement"]
        for citation in fact["sources"]:
            assert set(citation) == {"source", "quote"}
    invested = by_id(answer)[story.ids["invested"]]
    assert invested["subject"] == "Microsoft"
    assert invested["predicate"] == "invested_in"
    assert invested["value"] == "OpenAI"
    assert invested["valid"] == "2019-07-22/.."
    assert invested["status"] == "HOLDS"
    assert invested["sources"] == [{"source": "deal-2019", "quote": DEAL_QUOTE}]
    assert "Microsoft" in invested["statement"] and "OpenAI" in invested["statement"]


def test_as_of_lists_only_what_holds_may_hold_or_is_contested(story: Story) -> None:
    facts = by_id(story.answer("as-of", "2023-11-30"))
    assert {f["status"] for f in facts.values()} <= LIVE_STATUSES
    ids = story.ids
    assert facts[ids["ceo2"]]["status"] == "HOLDS"
    assert facts[ids["backed"]]["status"] == "MAYBE"  # 2023-11~ may not have begun yet
    assert facts[ids["val80"]]["status"] == "CONTESTED"
    assert facts[ids["val86"]]["status"] == "CONTESTED"
    assert ids["ceo1"] not in facts  # no longer true
    assert ids["joined"] not in facts  # retracted
    assert set(facts) == {ids[n] for n in ("invested", "ceo2", "backed", "val80", "val86",
                                           "hq")}
    early = by_id(story.answer("as-of", "2019-05-01"))
    assert set(early) == {ids["ceo1"], ids["hq"]}  # nothing that was not yet true


def test_as_of_table_is_readable(story: Story) -> None:
    table = story.cli.ok("as-of", "2023-11-10").out
    lines = table.splitlines()
    assert "2023-11-10" in lines[0]
    header = next(line for line in lines if line.startswith("STATUS"))
    assert header.split() == ["STATUS", "VALID", "SOURCES", "STATEMENT"]
    body = "\n".join(lines[lines.index(header) + 1:])
    # Sources by short name (issue 15, item 10): the source's title, not its id or a count.
    invested = next(line for line in lines if "Microsoft invested in OpenAI" in line)
    assert "Microsoft invests in OpenAI" in invested and "deal-2019" not in table
    for status in ("HOLDS", "MAYBE", "CONTESTED"):
        assert re.search(rf"^{status}\s", body, re.M), status
    assert "Microsoft invested in OpenAI" in body
    assert "$80 billion" in body and "$86 billion" in body
    assert "{" not in table  # a table, not JSON


def test_known_as_of_hides_claims_known_later(story: Story) -> None:
    then = story.answer("as-of", "2023-11-30", "--known-as-of", "2023-11-21")
    assert then["known_as_of"] == "2023-11-21"
    facts = by_id(then)
    ids = story.ids
    assert ids["ceo2"] not in facts  # known on 2023-11-22
    assert ids["val80"] not in facts and ids["val86"] not in facts  # known in December
    assert facts[ids["joined"]]["status"] == "HOLDS"  # believed until its retraction
    assert facts[ids["invested"]]["status"] == "HOLDS"


def test_a_retracted_claim_stays_in_what_was_known_before_the_retraction(story: Story) -> None:
    joined = story.ids["joined"]
    assert joined not in by_id(story.answer("as-of", "2023-11-30"))
    assert joined in by_id(story.answer("as-of", "2023-11-30", "--known-as-of", "2023-11-21"))


def test_entity_filter_matches_subject_or_object(story: Story) -> None:
    answer = story.answer("as-of", "2023-11-30", "--entity", "OpenAI")
    assert answer["entity"]["name"] == "OpenAI"
    ids = story.ids
    assert set(by_id(answer)) == {ids["invested"], ids["ceo2"], ids["val80"], ids["val86"]}


def test_entity_filter_resolves_an_alias(story: Story) -> None:
    answer = story.answer("as-of", "2024-02-01", "--entity", "Optimus")
    assert answer["entity"]["name"] == "Sam Altman"
    assert "Optimus" in answer["entity"]["aliases"]
    facts = by_id(answer)
    assert set(facts) == {story.ids["ceo2"], story.ids["backed"]}
    assert facts[story.ids["backed"]]["value"] == "Sam Altman"  # as object
    assert facts[story.ids["ceo2"]]["subject"] == "Sam Altman"  # as subject


def test_two_entities_give_only_the_facts_that_link_them(story: Story) -> None:
    answer = story.answer("as-of", "2023-11-30", "--entity", "Microsoft", "--entity", "OpenAI")
    assert [f["id"] for f in answer["facts"]] == [story.ids["invested"]]


def test_the_console_script_gives_the_same_answer(story: Story) -> None:
    script = Path(sys.executable).with_name("hindsight")
    assert script.exists()
    cli = Cli(story.cli.archive, story.cli.env, story.cli.cwd, program=[str(script)])
    assert cli.json("as-of", "2023-11-30") == story.answer("as-of", "2023-11-30")


# --- history and diff -----------------------------------------------------------------------


def test_history_lists_claims_in_valid_time_order(story: Story) -> None:
    answer = story.answer("history", "Optimus")
    assert answer["entity"]["name"] == "Sam Altman"
    ids = story.ids
    order = [c["id"] for c in answer["claims"]]
    # ceo1 from 2019-03, backed from 2023-10 at the earliest (2023-11~), joined 2023-11-20,
    # ceo2 2023-11-22; the retracted claim is part of the history, marked as withdrawn.
    assert order == [ids["ceo1"], ids["backed"], ids["joined"], ids["ceo2"]]
    joined = next(c for c in answer["claims"] if c["id"] == ids["joined"])
    assert joined["withdrawn"] is True
    assert [(c["kind"], c["known_at"]) for c in joined["corrections"]] == [
        ("retracted", "2023-11-22")]


def test_history_table_is_in_valid_time_order(story: Story) -> None:
    table = story.cli.ok("history", "OpenAI").out
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["VALID", "KNOWN", "CLAIM"]
    ids = story.ids

    def row(claim: str) -> int:
        return next(k for k, line in enumerate(lines) if claim in line)

    assert row(ids["ceo1"]) < row(ids["invested"]) < row(ids["val80"]) < row(ids["ceo2"])
    assert row(ids["invested"]) < row(ids["val86"]) < row(ids["ceo2"])
    assert story.ids["hq"] not in table  # another entity (until merged)


def test_diff_reports_what_began_ended_and_changed(story: Story) -> None:
    diff = story.cli.json("diff", "2023-11-10", "2024-02-01")
    ids = story.ids
    assert {f["id"] for f in diff["began"]} == {ids["ceo2"]}
    assert {f["id"] for f in diff["ended"]} == {ids["ceo1"], ids["val80"], ids["val86"]}
    assert [(c["id"], c["from"], c["to"]) for c in diff["changed"]] == [
        (ids["backed"], "MAYBE", "HOLDS")]


# --- corrections ----------------------------------------------------------------------------


def test_supersede_prints_the_new_id_and_replaces_the_old_claim(story: Story,
                                                                tmp_path: Path) -> None:
    cli = story.cli.copy(tmp_path / "copy")
    old = story.ids["val80"]
    new = cli.ok("supersede", old, "--value", "$86 billion", "--reason", "typo").out
    assert CLAIM_ID.match(new.strip()) and new.count("\n") == 1
    new_id = new.strip()
    assert new_id != old
    now = by_id(cli.json("as-of", "2023-11-30", "--entity", "OpenAI"))
    assert old not in now
    # The two valuations now agree: one fact, the replacement one of its two accounts, and
    # nothing is contested any more.
    fact = now[story.ids["val86"]]
    assert [a["claim"] for a in fact["accounts"]] == [story.ids["val86"], new_id]
    assert fact["value"] == "$86 billion" and fact["status"] == "HOLDS"
    [replacement] = [a for a in fact["accounts"] if a["claim"] == new_id]
    assert replacement["valid"] == "2023-11/2024-01"  # the other fields carried over
    before = by_id(cli.json("as-of", "2023-11-30", "--entity", "OpenAI",
                            "--known-as-of", "2024-06-01"))
    assert before[old]["value"] == "$80 billion"
    assert new_id not in before  # superseded today, so not known in 2024


def test_rerank_preferred_settles_a_contested_single_valued_predicate(
        story: Story, tmp_path: Path) -> None:
    cli = story.cli.copy(tmp_path / "copy")
    val80, val86 = story.ids["val80"], story.ids["val86"]
    contested = by_id(story.answer("as-of", "2023-11-30", "--entity", "OpenAI"))
    assert contested[val80]["status"] == contested[val86]["status"] == "CONTESTED"
    assert cli.ok("rerank", val86, "preferred").out == ""
    settled = by_id(cli.json("as-of", "2023-11-30", "--entity", "OpenAI"))
    assert val80 not in settled
    assert settled[val86]["status"] == "HOLDS"
    # As the record stood before the rerank, it is still contested.
    then = by_id(cli.json("as-of", "2023-11-30", "--entity", "OpenAI",
                          "--known-as-of", "2024-06-01"))
    assert then[val80]["status"] == then[val86]["status"] == "CONTESTED"


def test_merge_makes_queries_about_the_other_answer_with_the_kept_entity(
        story: Story, tmp_path: Path) -> None:
    cli = story.cli.copy(tmp_path / "copy")
    assert cli.ok("merge", "OpenAI", "OpenAI Global LLC").out == ""
    answer = cli.json("as-of", "2023-11-30", "--entity", "OpenAI Global LLC")
    assert answer["entity"]["name"] == "OpenAI"
    assert "OpenAI Global LLC" in answer["entity"]["aliases"]
    facts = by_id(answer)
    assert facts[story.ids["hq"]]["subject"] == "OpenAI"
    assert story.ids["invested"] in facts  # OpenAI's own facts too


def test_a_relationship_with_a_value_is_recorded_and_superseded_keeping_its_object(
        story: Story, tmp_path: Path) -> None:
    """A relationship qualified with a value: "Nadella —relationship_with→ Altman = close
    allies" (docs/time-model.md, "Slots")."""
    cli = story.cli.copy(tmp_path / "copy")
    old = cli.ok("record", "Satya Nadella", "relationship_with", "--object", "Sam Altman",
                 "--value", "close allies", "--valid", "2023-11-19/..",
                 "--known-at", "2023-11-20").out.strip()
    new = cli.ok("supersede", old, "--value", "allies").out.strip()
    pair = ("as-of", "2023-12-01", "--entity", "Satya Nadella", "--entity", "Sam Altman")
    then = by_id(cli.json(*pair, "--known-as-of", "2023-12-01"))
    assert (then[old]["object"], then[old]["value"]) == ("Sam Altman", "close allies")
    now = by_id(cli.json(*pair))
    assert old not in now
    assert (now[new]["object"], now[new]["value"]) == ("Sam Altman", "allies")


# --- interchange and maintenance ------------------------------------------------------------


def test_export_then_import_round_trips_and_a_second_import_adds_nothing(
        story: Story, tmp_path: Path, count_events: Callable) -> None:
    story.cli.ok("export", "--to", "json", str(tmp_path / "out.json"))
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert exported["format"] == "hindsight/1"
    assert len(exported["claims"]) == 8
    fresh = Cli(tmp_path / "b.sqlite", story.cli.env, tmp_path)
    fresh.ok("import", "out.json")
    events = count_events(fresh.archive)
    assert events == count_events(story.cli.archive)
    query = ("as-of", "2023-11-30", "--known-as-of", "2023-11-21")
    assert fresh.json(*query) == story.answer(*query)
    again = fresh.ok("import", "out.json")
    assert "0 new events" in again.err
    assert count_events(fresh.archive) == events


def test_export_takes_its_format_from_the_file_name(story: Story, tmp_path: Path) -> None:
    for suffix, fmt in ((".json", "json"), (".CSV", "csv")):
        named, by_name = tmp_path / f"named{suffix}", tmp_path / f"by-name{suffix}"
        story.cli.ok("export", "--to", fmt, str(named))
        story.cli.ok("export", str(by_name))
        assert by_name.read_bytes() == named.read_bytes()
    # .json names Hindsight JSON; --to still chooses another format of JSON.
    story.cli.ok("export", "--to", "timelinejs", str(tmp_path / "t.json"))
    assert "events" in json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))


def test_rebuild_keeps_the_answers_identical(story: Story, tmp_path: Path,
                                             count_events: Callable) -> None:
    cli = story.cli.copy(tmp_path / "copy")
    rebuilt = cli.ok("rebuild")
    assert rebuilt.out == ""
    assert f"from {count_events(cli.archive)} events" in rebuilt.err
    assert cli.json("as-of", "2023-11-30") == story.answer("as-of", "2023-11-30")
    assert cli.json("as-of", "2023-11-30", "--known-as-of", "2023-11-21") == story.answer(
        "as-of", "2023-11-30", "--known-as-of", "2023-11-21")


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    cli = Cli(None, scratch_env(tmp_path / "xdg"), tmp_path)
    result = cli.ok("--version")
    assert result.out.strip() == f"hindsight {timeline.__version__}"


def test_no_arguments_prints_help_and_exits_0(tmp_path: Path) -> None:
    cli = Cli(None, scratch_env(tmp_path / "xdg"), tmp_path)
    result = cli.ok()
    assert result.out.startswith("usage: hindsight")
    for command in ("as-of", "history", "diff", "record", "import", "export"):
        assert command in result.out
    assert not (tmp_path / "xdg").exists()  # help opens no archive


def test_first_run_creates_the_seeded_archive_once(tmp_path: Path,
                                                   count_events: Callable) -> None:
    seed = Path(timeline.__file__).resolve().parent.parent / "seeds" / "archive.json"
    cli = Cli(None, scratch_env(tmp_path / "xdg"), tmp_path)
    answer = cli.json("as-of", "2023-11-30")
    archive = tmp_path / "xdg" / "hindsight" / "archive.sqlite"
    assert archive.exists()
    assert answer["facts"], "the seed archive should say something about November 2023"
    events = count_events(archive)
    doc = json.loads(seed.read_text(encoding="utf-8"))
    with Archive.open(archive) as opened:
        stats = opened.statistics()
    assert stats["claims"] == len(doc["claims"])
    assert stats["sources"] == len(doc["sources"])
    assert cli.json("as-of", "2023-11-30") == answer
    assert count_events(archive) == events
    leftovers = [p.name for p in archive.parent.iterdir() if ".new" in p.name]
    assert leftovers == []


# --- bad input ------------------------------------------------------------------------------

GOOD_CLAIM = {"subject": "Ilya Sutskever", "predicate": "role_at", "object": "OpenAI",
              "valid": "2015-12/..", "known_at": "2015-12-11"}

BAD_INPUT = [
    # (id, arguments, text the single error line must contain)
    ("invalid EDTF", ["record", "X", "p", "--value", "v", "--valid", "2023-13"],
     ["--valid", "'2023-13'"]),
    ("end before start", ["record", "X", "p", "--value", "v", "--valid", "2020/2019"],
     ["--valid", "'2020/2019'"]),
    ("retract unknown claim", ["retract", "c-0123456789abcdef"],
     ["claim", "'c-0123456789abcdef'"]),
    ("supersede unknown claim", ["supersede", "c-0123456789abcdef", "--value", "v"],
     ["claim", "'c-0123456789abcdef'"]),
    ("rerank unknown claim", ["rerank", "c-0123456789abcdef", "preferred"],
     ["claim", "'c-0123456789abcdef'"]),
    ("unknown entity", ["as-of", "2023-11-30", "--entity", "Microsft"],
     ["unknown", "'Microsft'", "'Microsoft'"]),
    ("quote not verbatim", ["record", "Microsoft", "invested_in", "--object", "OpenAI",
                            "--valid", "2019", "--source", "deal-2019",
                            "--quote", "invested $10 billion"], ["--quote", "verbatim"]),
    ("unknown source", ["record", "Microsoft", "invested_in", "--object", "OpenAI",
                        "--valid", "2019", "--source", "nope.txt", "--quote", "x"],
     ["--source", "'nope.txt'"]),
    ("neither value nor object", ["record", "X", "p", "--valid", "2020"], ["--value"]),
    ("certainty out of range", ["record", "X", "p", "--value", "v", "--valid", "2020",
                                "--certainty", "1.5"], ["--certainty", "1.5"]),
    ("certainty not a number", ["record", "X", "p", "--value", "v", "--valid", "2020",
                                "--certainty", "high"], ["--certainty", "'high'"]),
    ("bad as-of date", ["as-of", "2023-02-30"], ["DATE", "'2023-02-30'"]),
    ("bad known-as-of", ["as-of", "2023-11-30", "--known-as-of", "last week"],
     ["--known-as-of", "'last week'"]),
    ("import not JSON", ["import", "broken.json"], ["broken.json", "JSON", "line 1"]),
    ("import bad claim date", ["import", "bad-date.json"], ["claims[1].valid", "'2023-13'"]),
    ("import missing file", ["import", "missing.json"], ["missing.json"]),
    ("export unknown format", ["export", "--to", "docx", "out.docx"], ["--to", "'docx'"]),
    ("export a name of no format", ["export", "out.docx"], ["--to", "'out.docx'"]),
    ("alias of another entity", ["alias", "Microsoft", "Optimus"],
     ["'Optimus'", "'Sam Altman'"]),
    ("retract twice", ["retract", "{joined}"], ["'{joined}'", "already retracted"]),
    ("empty entity name", ["record", " ", "p", "--value", "v", "--valid", "2020"],
     ["SUBJECT"]),
]


@pytest.fixture(scope="module")
def battered(story: Story, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A copy of the story for the bad-input table, with the broken files it imports."""
    cli = story.cli.copy(tmp_path_factory.mktemp("bad") / "copy")
    (cli.cwd / "broken.json").write_text('{"format": "hindsight/1", "claims": [', "utf-8")
    doc = {"format": "hindsight/1",
           "claims": [GOOD_CLAIM, {**GOOD_CLAIM, "predicate": "left", "valid": "2023-13"}]}
    (cli.cwd / "bad-date.json").write_text(json.dumps(doc), encoding="utf-8")
    return cli


def _answers(archive: Path) -> Any:
    # Exactly what `hindsight as-of … --format json` prints, asked in-process to save a
    # subprocess per row.
    with Archive.open(archive) as opened:
        return [opened.as_of(day).to_json() for day in ("2019-12-31", "2023-11-30", "today")]


@pytest.mark.parametrize(("args", "expected"), [pytest.param(a, e, id=i) for i, a, e in BAD_INPUT])
def test_bad_input_is_one_error_line_and_writes_nothing(
        battered: Cli, story: Story, count_events: Callable, args: list[str],
        expected: list[str]) -> None:
    assert battered.archive is not None
    args = [a.format(**story.ids) for a in args]
    expected = [e.format(**story.ids) for e in expected]
    events, answers = count_events(battered.archive), _answers(battered.archive)

    result = battered.run(*args)

    assert result.code != 0
    assert "Traceback" not in result.out + result.err
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("hindsight: error: "), lines[0]
    for text in expected:
        assert text in lines[0], f"{text!r} not in {lines[0]!r}"
    assert count_events(battered.archive) == events
    assert _answers(battered.archive) == answers
    assert not (battered.cwd / "out.docx").exists()
