"""Class 11: the team archive works with real roles, and every event says who wrote it.

The rules (docs/team-archive.md, docs/reliability.md):

- ``hindsight team-setup`` (``timeline.team.setup``) makes the schema, the event store's layout
  and the roles, so that opening never creates anything: two writers who own nothing both
  write, a reader reads, and nobody but the owner can UPDATE, DELETE or TRUNCATE an event or a
  digest — the server refuses it, whatever the client.
- A PostgreSQL archive keeps the same hash chain as an SQLite one, written in the events'
  transaction, and ``verify`` checks it.
- Who wrote each event is recorded beside it: the name (``HINDSIGHT_AUTHOR``, the app's
  preferences or the operating-system user — normalised, then checked, then stored exactly; a
  bad name refuses the write in one line and writes nothing), and on PostgreSQL the role the
  server itself fills in (``DEFAULT current_user``; members may not insert that column, nor
  the role of a name), shown "Ana Lima (ana)".

PostgreSQL runs on 127.0.0.1:5432 (trust authentication); ``postgres_server`` starts it when it
is down. Each test makes its own LOGIN roles (``hs_*_<random>``) and drops them afterwards.
"""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.reliability.support import Result
from timeline.app import Archive
from timeline.chain import AUTHOR_MAX, author_name
from timeline.errors import InvalidInput
from timeline.integrity import Anchor, verify
from timeline.team import check_arguments, role_names, shown_author

ROOT = Path(__file__).resolve().parents[2]
SERVER = "127.0.0.1:5432/test"
ERROR = "hindsight: error: "


def hindsight(*args: str, cache: Path, env: dict[str, str] | None = None,
              archive: str | Path | None = None) -> Result:
    """The real command line, with its own read-model cache (one per member's machine)."""
    full = {k: v for k, v in os.environ.items() if k != "HINDSIGHT_AUTHOR"}
    full.update(XDG_CACHE_HOME=str(cache), PYTHONIOENCODING="utf-8", COLUMNS="250",
                QT_QPA_PLATFORM="offscreen", **(env or {}))
    head = ["--archive", str(archive)] if archive is not None else []
    done = subprocess.run([sys.executable, "-m", "timeline", *head, *args], cwd=ROOT,
                          capture_output=True, env=full, timeout=120, check=False)
    return Result(done.returncode, done.stdout.decode("utf-8", "replace"),
               done.stderr.decode("utf-8", "replace"))


def refused_in_one_line(done: Result, code: int, *words: str) -> None:
    assert "Traceback" not in done.err, done.err
    assert done.code == code, (done.code, done.err)
    assert len(done.err_lines) == 1 and done.err.startswith(ERROR), done.err
    for word in words:
        assert word in done.err, (word, done.err)


# --- the team: an owner, two writers and a reader, as real roles ----------------------------


@dataclass(frozen=True)
class Team:
    schema: str
    owner: str
    ana: str  # writer
    ben: str  # writer
    cy: str  # reader
    tmp: Path

    def url(self, role: str) -> str:
        return f"postgresql://{role}@{SERVER}?schema={self.schema}"

    def run(self, role: str, *args: str, author: str | None = None) -> Result:
        """``hindsight`` as ``role``, under the name ``author`` (else the OS user's)."""
        return hindsight(*args, archive=self.url(role), cache=self.tmp / f"cache-{role}",
                         env={"HINDSIGHT_AUTHOR": author} if author is not None else None)

    def connect(self, role: str) -> psycopg.Connection[Any]:
        return psycopg.connect(f"postgresql://{role}@{SERVER}", autocommit=True)

    def table(self, name: str) -> str:
        return f"{self.schema}.{name}"

    def log(self) -> list[tuple[Any, ...]]:
        """Every stored event and digest, read as the server's superuser."""
        with self.connect("postgres") as con:
            return con.execute(
                f"SELECT e.notification_id, e.recorded_by, e.topic, e.state, c.digest "
                f"FROM {self.table('hindsight_events')} e FULL JOIN "
                f"{self.table('hindsight_chain')} c ON c.position = e.notification_id "
                "ORDER BY 1").fetchall()

    def setup(self, *args: str) -> Result:
        return hindsight("team-setup", self.url(self.owner), *args, cache=self.tmp / "setup")


def by(role: str) -> str:
    """How an event ``role`` wrote without ``HINDSIGHT_AUTHOR`` reads: "<OS user> (role)"."""
    return shown_author(author_name(getpass.getuser()), role)


def _drop_roles(con: psycopg.Connection[Any], roles: list[str]) -> None:
    for role in roles:
        if con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            con.execute(f'DROP OWNED BY "{role}" CASCADE')
            con.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def team(postgres_server: str, tmp_path: Path) -> Iterator[Team]:
    suffix = uuid.uuid4().hex[:8]
    made = Team(f"hs_team_{suffix}", f"hs_owner_{suffix}", f"hs_ana_{suffix}",
                f"hs_ben_{suffix}", f"hs_cy_{suffix}", tmp_path)
    with psycopg.connect(postgres_server, autocommit=True) as con:
        # The owner is no superuser: it may create a schema in the database and roles.
        con.execute(f"CREATE ROLE {made.owner} LOGIN CREATEROLE")
        con.execute(f"GRANT CREATE ON DATABASE test TO {made.owner}")
    yield made
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {made.schema} CASCADE")
        _drop_roles(con, [made.ana, made.ben, made.cy, f"{made.schema}_writers",
                          f"{made.schema}_readers", made.owner])


def _history(team: Team, role: str, name: str) -> dict[str, Any]:
    done = team.run(role, "history", name, "--format", "json")
    assert done.code == 0, done.err
    return {c["id"]: c for c in json.loads(done.out)["claims"]}


def test_two_writers_and_a_reader_work_as_documented(team: Team) -> None:
    made = team.setup("--writers", f"{team.ana},{team.ben}", "--readers", team.cy)
    assert made.code == 0, made.err
    assert f"writers ({team.schema}_writers): {team.ana}, {team.ben}" in made.out
    assert f"readers ({team.schema}_readers): {team.cy}" in made.out

    # Both writers record and correct, neither owning anything nor creating anything.
    first = team.run(team.ana, "record", "Ministry", "led_by", "--object", "Guizot",
                     "--valid", "1840/1848-02", "--known-at", "1848")
    assert first.code == 0, first.err
    second = team.run(team.ben, "record", "Ministry", "led_by", "--object", "Molé",
                      "--valid", "1836/1839", "--known-at", "1850")
    assert second.code == 0, second.err
    first_id, second_id = first.out.strip(), second.out.strip()
    fixed = team.run(team.ben, "supersede", first_id, "--valid", "1840-10/1848-02",
                     "--known-at", "1851", "--reason", "the month")
    assert fixed.code == 0, fixed.err
    third_id = fixed.out.strip()
    assert team.run(team.ana, "rerank", second_id, "preferred", "--known-at",
                    "1852").code == 0
    # Each sees the other's claims and corrections, with who wrote them.
    for role in (team.ana, team.ben, team.cy):
        claims = _history(team, role, "Ministry")
        assert claims[first_id]["recorded_by"] == by(team.ana)
        assert claims[second_id]["recorded_by"] == by(team.ben)
        assert claims[third_id]["recorded_by"] == by(team.ben)
        assert [(c["kind"], c["recorded_by"]) for c in claims[first_id]["corrections"]] == \
            [("superseded", by(team.ben))]
        assert [(c["kind"], c["recorded_by"]) for c in claims[second_id]["corrections"]] == \
            [("reranked", by(team.ana))]
    table = team.run(team.cy, "history", "Ministry")
    assert by(team.ana) in table.out and f"by {by(team.ben)}" in table.out

    # The reader reads as of a day, follows the log, verifies — and writes nothing.
    state = team.run(team.cy, "as-of", "1847", "--format", "json")
    assert state.code == 0, state.err
    assert [f["id"] for f in json.loads(state.out)["facts"]] == [third_id]
    before = team.log()
    watched = team.run(team.cy, "watch", "--from-start", "--limit", str(len(before)),
                       "--format", "json")
    assert watched.code == 0, watched.err
    assert [json.loads(line)["recorded_by"] for line in watched.out.splitlines()] == \
        [by(author) for _, author, *_ in before]
    for args in (("record", "Ministry", "led_by", "--object", "Thiers", "--valid", "1840",
                  "--known-at", "1860"),
                 ("retract", second_id, "--known-at", "1861"),
                 ("alias", "Ministry", "The Ministry"),
                 ("predicate", "met", "--label", "met")):
        refused_in_one_line(team.run(team.cy, *args), 5, "nothing was written",
                            f"role {team.cy} may only read this archive", "permission denied",
                            f"--writers {team.cy}")
    assert team.log() == before
    checked = team.run(team.cy, "verify")
    assert checked.code == 0, checked.err
    assert "chain intact" in checked.out and f"{len(before)} events" in checked.out

    # Nobody but the owner edits or deletes: the server refuses the members themselves.
    events, chain, marker, authors = (team.table(t) for t in (
        "hindsight_events", "hindsight_chain", "hindsight_archive", "hindsight_authors"))
    forbidden = {
        team.ana: [f"UPDATE {events} SET topic = topic", f"DELETE FROM {events}",
                   f"TRUNCATE {events}", f"UPDATE {chain} SET digest = digest",
                   f"DELETE FROM {chain}", f"TRUNCATE {chain}",
                   f"UPDATE {authors} SET name = 'x'", f"DELETE FROM {authors}",
                   f"TRUNCATE {authors}",
                   f"INSERT INTO {authors} (first, last, name, role) VALUES (1, 1, 'x', "
                   f"'{team.ben}')",
                   f"UPDATE {marker} SET format = 1", f"DELETE FROM {marker}",
                   f"ALTER TABLE {events} DROP COLUMN recorded_by",
                   f"INSERT INTO {events} (originator_id, originator_version, topic, state, "
                   "recorded_by) VALUES (gen_random_uuid(), 1, 't', 'x', 'somebody else')",
                   f"INSERT INTO {events} (originator_id, originator_version, topic, state, "
                   "notification_id) VALUES (gen_random_uuid(), 1, 't', 'x', 999)",
                   f"CREATE TABLE {team.schema}.mine (a int)",
                   f"CREATE OR REPLACE FUNCTION {team.schema}.hindsight_lock_events() "
                   "RETURNS void LANGUAGE sql AS 'SELECT 1'"],
        team.cy: [f"INSERT INTO {events} (originator_id, originator_version, topic, state) "
                  "VALUES (gen_random_uuid(), 1, 't', 'x')",
                  f"INSERT INTO {chain} (position, digest) VALUES (999, 'x')",
                  f"INSERT INTO {authors} (first, last, name) VALUES (999, 999, 'x')",
                  f"SELECT {team.schema}.hindsight_lock_events()",
                  f"DELETE FROM {events}", f"TRUNCATE {chain}"],
    }
    forbidden[team.ben] = forbidden[team.ana]
    for role, statements in forbidden.items():
        with team.connect(role) as con:
            for statement in statements:
                with pytest.raises(psycopg.errors.InsufficientPrivilege), con.transaction():
                    con.execute(statement)
            with pytest.raises(psycopg.errors.InsufficientPrivilege), con.transaction():
                con.execute(f"LOCK TABLE {events} IN EXCLUSIVE MODE")
    assert team.log() == before

    # The owner can (it is the one role that could rewrite history): verify then says so.
    with team.connect(team.owner) as con:
        con.execute(f"UPDATE {events} SET state = convert_to(replace(convert_from(state, "
                    "'UTF8'), '\"Guizot\"', '\"Guisot\"'), 'UTF8') WHERE topic LIKE "
                    "'%EntityCreated'")
    tampered = team.run(team.cy, "verify")
    assert tampered.code == 5
    assert any("entity Guisot" in line and "digest mismatch — the stored event was altered"
               in line for line in tampered.err_lines), tampered.err


def test_setup_again_adds_and_moves_members(team: Team) -> None:
    assert team.setup("--writers", team.ana).code == 0
    with team.connect("postgres") as con:
        con.execute(f"CREATE ROLE {team.cy} LOGIN")  # a role that is in neither group
    # A second run: ben joins as a writer, and ana becomes a reader.
    again = team.setup("--writers", team.ben, "--readers", team.ana)
    assert again.code == 0, again.err
    assert f"writers ({team.schema}_writers): {team.ben}" in again.out
    assert f"readers ({team.schema}_readers): {team.ana}" in again.out
    assert team.run(team.ben, "record", "A", "p", "--value", "1", "--valid", "2000").code == 0
    refused_in_one_line(team.run(team.ana, "record", "B", "p", "--value", "1", "--valid",
                                 "2000"), 5, "may only read")
    # cy is in neither group: it may not even read, and is told so in one line.
    refused_in_one_line(team.run(team.cy, "as-of", "2000"), 5,
                        f"role {team.cy} may not read this archive",
                        f"--readers {team.cy}")


def test_setup_refuses_a_role_that_does_not_own_the_tables(team: Team) -> None:
    assert team.setup("--writers", team.ana).code == 0
    with team.connect("postgres") as con:
        con.execute(f"CREATE ROLE {team.cy} LOGIN CREATEROLE")
        con.execute(f"GRANT USAGE ON SCHEMA {team.schema} TO {team.cy}")
        con.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {team.schema} TO {team.cy}")
    done = hindsight("team-setup", team.url(team.cy), "--writers", team.ben,
                     cache=team.tmp / "c")
    refused_in_one_line(done, 5, f"the archive's tables belong to {team.owner}, not {team.cy}",
                        "nothing was changed")
    with team.connect("postgres") as con:
        assert con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                           (team.ben,)).fetchone() is None


def test_writers_at_once_keep_one_chain_and_their_names(team: Team,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    assert team.setup("--writers", f"{team.ana},{team.ben}").code == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(team.tmp / "threads"))
    monkeypatch.setenv("HINDSIGHT_AUTHOR", "Ana Lima")  # one name, two roles: both shown
    written: dict[str, list[str]] = {team.ana: [], team.ben: []}
    failures: list[BaseException] = []

    def write(role: str) -> None:
        try:
            with Archive.open(team.url(role)) as archive:
                for k in range(12):
                    written[role].append(archive.record(
                        f"{role} subject {k}", "p", value=str(k), valid=f"{1900 + k}",
                        known_at="2000"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(role,)) for role in written]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    with Archive.open(team.url(team.owner)) as archive:
        report = verify(archive)
        assert report.ok and report.chained, report.problems
        assert report.head is not None and verify(archive, [report.head]).ok
        forged = Anchor(report.head.position, "0" * 64)
        assert [p for p in verify(archive, [forged]).problems if p.startswith("anchor")] == [
            f"anchor {forged.position}: the chain there is {report.head.digest}, not the "
            f"digest noted down — the events up to {forged.position} were rewritten"]
        for role, ids in written.items():
            for k, claim_id in enumerate(ids):
                [claim] = archive.history(f"{role} subject {k}")
                assert (claim["id"], claim["recorded_by"]) == (claim_id, f"Ana Lima ({role})")
    rows = team.log()
    assert all(digest is not None for *_, digest in rows)
    assert {author for _, author, *_ in rows} == {team.ana, team.ben}


def test_an_event_slipped_in_past_hindsight_is_named_and_signed_by_the_server(
        team: Team) -> None:
    assert team.setup("--writers", team.ana).code == 0
    assert team.run(team.ana, "record", "A", "p", "--value", "1", "--valid", "2000").code == 0
    events = team.table("hindsight_events")
    with team.connect(team.ana) as con:
        # A copy of an event under a new stream: valid, but written without its digest.
        con.execute(f"INSERT INTO {events} (originator_id, originator_version, topic, state) "
                    f"SELECT gen_random_uuid(), 1, topic, state FROM {events} "
                    "WHERE topic LIKE '%PredicateDefined'")
    *_, (position, author, _, _, digest) = team.log()
    assert (author, digest) == (team.ana, None)
    done = team.run(team.owner, "verify")
    assert done.code == 5
    assert any(line.startswith(f"{ERROR}event {position} (predicate p, version 1, "
                               "PredicateDefined): has no digest") for line in done.err_lines)


def test_an_archive_an_older_hindsight_made_is_upgraded_by_its_owner(team: Team) -> None:
    assert team.setup("--writers", team.ana, "--readers", team.cy).code == 0
    assert team.run(team.owner, "record", "A", "p", "--value", "1", "--valid", "2000").code == 0
    with team.connect(team.owner) as con:  # what an older Hindsight left: no layout of ours
        for statement in ("DROP TABLE {s}.hindsight_archive", "DROP TABLE {s}.hindsight_chain",
                          "DROP FUNCTION {s}.hindsight_lock_events()",
                          "ALTER TABLE {s}.hindsight_events DROP COLUMN recorded_by"):
            con.execute(statement.format(s=team.schema))
    # Members read it, but writing waits for the owner.
    assert team.run(team.cy, "as-of", "2000").code == 0
    refused_in_one_line(team.run(team.ana, "record", "B", "p", "--value", "2", "--valid",
                                 "2001"), 5, "set up by an older Hindsight", team.owner)
    unchained = team.run(team.cy, "verify")
    assert unchained.code == 5 and "the hash chain (hindsight_chain) is missing" in \
        unchained.err, unchained.err
    upgraded = team.setup("--writers", team.ana, "--readers", team.cy)
    assert upgraded.code == 0, upgraded.err
    assert team.run(team.ana, "record", "B", "p", "--value", "2", "--valid", "2001").code == 0
    claims = list(_history(team, team.cy, "A").values()) + list(
        _history(team, team.cy, "B").values())
    assert [c["recorded_by"] for c in claims] == [None, by(team.ana)]  # none for the old
    checked = team.run(team.cy, "verify")
    assert checked.code == 0 and "chain intact" in checked.out, checked.err


def test_a_name_is_recorded_beside_the_role_the_server_fills_in(team: Team) -> None:
    assert team.setup("--writers", f"{team.ana},{team.ben}", "--readers", team.cy).code == 0
    ana = team.run(team.ana, "record", "A", "p", "--value", "1", "--valid", "2000",
                   author="  Ana Lima ")
    assert ana.code == 0, ana.err
    ben = team.run(team.ben, "record", "B", "p", "--value", "2", "--valid", "2000",
                   author=team.ben)
    assert ben.code == 0, ben.err
    ana_id, ben_id = ana.out.strip(), ben.out.strip()

    def shown(cache: str) -> dict[str, Any]:
        out = {}
        for name in ("A", "B"):
            done = hindsight("history", name, "--format", "json", archive=team.url(team.cy),
                             cache=team.tmp / cache)
            assert done.code == 0, done.err
            out.update({c["id"]: c["recorded_by"] for c in json.loads(done.out)["claims"]})
        return out

    # The name the member gave, then the role the server vouches for; a name that is the
    # role is shown once.
    assert shown("c1") == {ana_id: f"Ana Lima ({team.ana})", ben_id: team.ben}
    assert f"Ana Lima ({team.ana})" in team.run(team.cy, "history", "A").out
    authors = team.table("hindsight_authors")
    with team.connect("postgres") as con:
        assert con.execute(f"SELECT name, role FROM {authors} ORDER BY first").fetchall() == \
            [("Ana Lima", team.ana), (team.ben, team.ben)]
    ben_events = [p for p, author, *_ in team.log() if author == team.ben]

    # Past Hindsight, ana may not say which role wrote; a name she gives is hers, whatever
    # the positions it claims; a name Hindsight would not record is not shown.
    with team.connect(team.ana) as con:
        for statement in (f"INSERT INTO {authors} (first, last, name, role) VALUES "
                          f"({ben_events[0]}, {ben_events[-1]}, 'Ben Costa', '{team.ben}')",
                          f"UPDATE {authors} SET role = '{team.ana}'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), con.transaction():
                con.execute(statement)
        con.execute(f"INSERT INTO {authors} (first, last, name) VALUES (%s, %s, "
                    "'Ben Costa')", (ben_events[0], ben_events[-1]))
        con.execute(f"INSERT INTO {authors} (first, last, name) SELECT first + 1, last, "
                    f"'Ana\u202eLima' FROM {authors} WHERE role = current_user")
    with team.connect("postgres") as con:
        assert con.execute(f"SELECT role FROM {authors} WHERE name = 'Ben Costa'"
                           ).fetchall() == [(team.ana,)]
    ana_events = [p for p, author, *_ in team.log() if author == team.ana]
    watched = team.run(team.cy, "watch", "--from-start", "--limit", str(len(team.log())),
                       "--format", "json")
    assert watched.code == 0, watched.err
    assert {json.loads(line)["position"]: json.loads(line)["recorded_by"]
            for line in watched.out.splitlines()} == {
        **{p: f"Ana Lima ({team.ana})" for p in ana_events[:1]},
        **{p: team.ana for p in ana_events[1:]}, **{p: team.ben for p in ben_events}}

    # The reader names nothing and writes nothing; a bad name refuses the write, first.
    with team.connect(team.cy) as con, pytest.raises(
            psycopg.errors.InsufficientPrivilege), con.transaction():
        con.execute(f"INSERT INTO {authors} (first, last, name) VALUES (1, 1, 'Cy')")
    before = team.log()
    refused_in_one_line(team.run(team.cy, "record", "C", "p", "--value", "3", "--valid",
                                 "2000", author="Cy"), 5, "may only read")
    refused_in_one_line(team.run(team.ana, "record", "C", "p", "--value", "3", "--valid",
                                 "2000", author="Ana\tLima"), 2, "HINDSIGHT_AUTHOR: ",
                        "U+0009")
    assert team.log() == before


def test_a_layout_1_archive_is_upgraded_by_its_owner_then_records_names(team: Team) -> None:
    assert team.setup("--writers", team.ana, "--readers", team.cy).code == 0
    assert team.run(team.ana, "record", "A", "p", "--value", "1", "--valid", "2000").code == 0
    with team.connect(team.owner) as con:  # what Hindsight's layout 1 was: no names
        con.execute(f"DROP TABLE {team.table('hindsight_authors')}")
        con.execute(f"UPDATE {team.table('hindsight_archive')} SET format = 1")
    chain = team.log()
    # Members read it, as the role alone, but writing waits for the owner.
    assert [c["recorded_by"] for c in _history(team, team.cy, "A").values()] == [team.ana]
    refused_in_one_line(team.run(team.ana, "record", "B", "p", "--value", "2", "--valid",
                                 "2001", author="Ana Lima"), 5,
                        "set up by an older Hindsight (layout 1)", team.owner)
    assert team.log() == chain
    # The owner's next write brings it up to date (no team-setup): the groups keep their
    # grants, the chain is kept as it is, and names are recorded from then on.
    assert team.run(team.owner, "record", "C", "p", "--value", "3", "--valid", "2002").code == 0
    assert team.log()[:len(chain)] == chain
    assert team.run(team.ana, "record", "B", "p", "--value", "2", "--valid", "2001",
                    author="Ana Lima").code == 0
    claims = {name: next(iter(_history(team, team.cy, name).values()))["recorded_by"]
              for name in ("A", "B", "C")}
    assert claims == {"A": team.ana, "B": f"Ana Lima ({team.ana})", "C": by(team.owner)}
    refused_in_one_line(team.run(team.cy, "record", "D", "p", "--value", "4", "--valid",
                                 "2003"), 5, f"role {team.cy} may only read")
    with team.connect("postgres") as con:
        assert con.execute(f"SELECT max(format) FROM {team.table('hindsight_archive')}"
                           ).fetchone() == (2,)
    checked = team.run(team.cy, "verify")
    assert checked.code == 0 and "chain intact" in checked.out, checked.err


# --- the setup's arguments, checked before any connection -------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_role_names_are_checked_then_used_exactly(text: str) -> None:
    try:
        names = role_names(text, "--writers")
    except InvalidInput as exc:
        message = str(exc)
        assert message.startswith("--writers[") and "\n" not in message
        return
    assert names and len(names) == len(set(names))
    for name in names:
        assert name == name.strip() and len(name.encode()) <= 63
        assert name[0].isascii() and (name[0].isalpha() or name[0] == "_")
        assert all(c.isascii() and (c.isalnum() or c in "_$.@-") for c in name)
        assert name in [part.strip() for part in text.split(",")]


@pytest.mark.parametrize("url, writers, readers, message", [
    ("postgresql://o@h/d?schema=s", ["a"], ["a"], "also given as a writer"),
    ("postgresql://o@h/d?schema=s", ["o"], [], "is the URL's user"),
    ("postgresql://o@h/d", ["public_writers"], [], "group roles"),
    ("postgresql://o@h/d?schema=s", [], ["s_readers"], "group roles"),
    ("postgresql://o@h/d?schema=information_schema", [], [], "PostgreSQL's own"),
    ("sqlite:///x", [], [], "is not a PostgreSQL address"),
    ("postgresql://o@h/d?schema=s&schema=t", [], [], "given 2 times"),
    ("postgresql://o@h/d?role=x", [], [], "unknown option"),
])
def test_setup_arguments_are_refused_by_place(url: str, writers: list[str],
                                              readers: list[str], message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_arguments(url, writers, readers)
    assert message in str(refused.value) and "\n" not in str(refused.value)


# --- who wrote it, in an SQLite archive ----------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=AUTHOR_MAX + 20))
def test_an_author_name_is_normalised_then_checked(text: str) -> None:
    try:
        name = author_name(text)
    except InvalidInput as exc:
        assert str(exc).startswith("HINDSIGHT_AUTHOR: ") and "\n" not in str(exc)
        return
    assert name == unicodedata.normalize("NFC", text.strip())
    assert 0 < len(name) <= AUTHOR_MAX
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
               for c in name)
    assert author_name(name) == name  # what was stored checks again as itself


def test_hindsight_author_is_stored_exactly_or_refuses_the_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive.open(tmp_path / "a.sqlite")
    counter = iter(range(10**6))

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(max_size=AUTHOR_MAX + 10))
    def write_as(text: str) -> None:
        try:
            monkeypatch.setenv("HINDSIGHT_AUTHOR", text)
        except (ValueError, UnicodeEncodeError):
            assume(False)  # no environment can hold it (a NUL, half a surrogate pair)
        try:
            expected: str | None = author_name(text)
        except InvalidInput:
            expected = None
        before = archive.store.max_position()
        subject = f"Subject {next(counter)}"
        if expected is None:
            with pytest.raises(InvalidInput, match="^HINDSIGHT_AUTHOR: "):
                archive.record(subject, "p", value="v", valid="2000", known_at="2001")
            assert archive.store.max_position() == before
            return
        claim_id = archive.record(subject, "p", value="v", valid="2000", known_at="2001")
        [claim] = archive.history(subject)
        assert (claim["id"], claim["recorded_by"]) == (claim_id, expected)
        archive.retract(claim_id, known_at="2002")
        [claim] = archive.history(subject)
        assert claim["corrections"][0]["recorded_by"] == expected

    try:
        write_as()
        monkeypatch.delenv("HINDSIGHT_AUTHOR")
        report = verify(archive)  # what was applied from memory is what a rebuild reads back
        assert report.ok, report.problems
    finally:
        archive.close()


@pytest.mark.parametrize("value, words", [
    ("", ["an empty name"]),
    ("   ", ["an empty name"]),
    ("Ana\tLopes", ["U+0009"]),
    ("Ana\nLopes", ["U+000A"]),
    ("\u202eAna", ["U+202E", "right-to-left override"]),
    ("Ana\u2028Lopes", ["U+2028"]),
    ("x" * (AUTHOR_MAX + 1), [f"a name of {AUTHOR_MAX + 1} characters (at most {AUTHOR_MAX})"]),
    ("\x1b[31mroot", ["U+001B"]),
])
def test_a_bad_hindsight_author_is_one_line_and_writes_nothing(
        value: str, words: list[str], tmp_path: Path, small_archive: Path,
        copy_archive: Callable[[Path, Path], Path],
        answers: Callable[[Path], dict[str, Any]]) -> None:
    archive = copy_archive(small_archive, tmp_path / "archive.sqlite")
    before = answers(archive)
    done = hindsight("record", "small New", "p", "--value", "1", "--valid", "2000",
                     "--new-entity", archive=archive, cache=tmp_path / "c",
                     env={"HINDSIGHT_AUTHOR": value})
    refused_in_one_line(done, 2, "HINDSIGHT_AUTHOR: ", *words)
    assert answers(archive) == before


def test_without_hindsight_author_the_user_is_recorded_and_old_events_show_none(
        tmp_path: Path) -> None:
    path, cache = tmp_path / "a.sqlite", tmp_path / "c"
    assert hindsight("record", "A", "p", "--value", "1", "--valid", "2000", archive=path,
                     cache=cache).code == 0
    assert hindsight("record", "B", "p", "--value", "2", "--valid", "2000", archive=path,
                     cache=cache, env={"HINDSIGHT_AUTHOR": "  Ana Lopes \n"}).code == 0
    one = json.loads(hindsight("history", "A", "--format", "json", archive=path,
                               cache=cache).out)["claims"][0]
    two = json.loads(hindsight("history", "B", "--format", "json", archive=path,
                               cache=cache).out)["claims"][0]
    assert (one["recorded_by"], two["recorded_by"]) == (getpass.getuser(), "Ana Lopes")
    watched = hindsight("watch", "--from-start", "--limit", "5", "--format", "json",
                        archive=path, cache=cache)
    assert [json.loads(line)["recorded_by"] for line in watched.out.splitlines()] == [
        getpass.getuser()] * 3 + ["Ana Lopes"] * 2  # a predicate, two entities, two claims
    import sqlite3

    con = sqlite3.connect(path)  # as if an older Hindsight had written them all
    with con:
        con.execute("DELETE FROM hindsight_authors")
    con.close()
    assert hindsight("rebuild", archive=path, cache=cache).code == 0
    again = json.loads(hindsight("history", "B", "--format", "json", archive=path,
                                 cache=cache).out)["claims"][0]
    assert again["recorded_by"] is None
    table = hindsight("history", "B", archive=path, cache=cache).out
    assert "Ana Lopes" not in table
    verified = hindsight("verify", archive=path, cache=cache)
    assert verified.code == 0, verified.err
