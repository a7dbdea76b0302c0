"""The Halden crisis: questions a historian asks of tests/acceptance/crisis.json (issue 15).

A fictional four-day boardroom crisis (Monday 17 to Thursday 20 November 2031) told by a 2029
profile and seven later texts that disagree on when things happened. Every question is one test;
its expectations are what a careful reader of the eight sources would answer, under the time-model
rules of issue 15 (listed with each question in docs/acceptance.md):

1 facts and accounts, 2 DISPUTED, 3 refinement, 4 offices (single per subject / object / both),
5 handovers, 6 one status everywhere, 7 parts (`via`), 8 names; K = known time.

A fact is found by its accounts (the claim ids of crisis.json): each expected fact must be exactly
one row of the answer, its accounts exactly those claims, its sources exactly theirs.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
CRISIS = HERE / "crisis.json"
FILE = json.loads(CRISIS.read_text(encoding="utf-8"))
#: claim id -> the ids of the sources it cites
CITES = {c["id"]: frozenset(s["source"] for s in c["sources"]) for c in FILE["claims"]}
ANY = object()  # no expectation on `via`


def ids(*names: str) -> frozenset[str]:
    return frozenset(names)


# --- the facts of the archive, by their accounts ------------------------------------------------

INES_HALDEN = ids("ines-leads-halden-profile", "ines-leads-halden-book")
TOMAS_19 = ids("tomas-leads-ledger", "tomas-leads-courier")
TOMAS_20 = ids("tomas-leads-post", "tomas-leads-weekly", "halden-run-by-tomas-book")
TOMAS = TOMAS_19 | TOMAS_20
LENA = ids("lena-leads-halden-review", "lena-leads-halden-book")
INES_LARK = ids("ines-leads-lark-review")
HUGO_LARK = ids("hugo-leads-lark-review")
LARK_ACTIVE = ids("lark-active-review")
LARK_PAUSED = ids("lark-paused-wire", "lark-paused-review")
LARK_PART = ids("lark-part-of-halden-review")
EASTGATE_PART = ids("eastgate-part-of-halden-profile")
BOARD_PART = ids("board-part-of-halden-profile")
RUI = ids("rui-leads-eastgate-review")
DANA = ids("dana-leads-eastgate-post")
MARA = ids("mara-chairs-board-wire")
PELL_BOARD = ids("pell-chairs-board-wire")
PELL_COMMITTEE = ids("pell-chairs-committee-wire")
NIAMH = ids("niamh-board-profile", "niamh-board-courier")
CORVID_400 = ids("corvid-invested-wire", "corvid-invested-review")
DEMANDED = ids("corvid-demanded-wire", "corvid-demanded-ledger")
TOMAS_WORKS = ids("tomas-works-profile", "tomas-works-book")

LARK, BOARD, EASTGATE = "Project Lark", "Halden's board", "Eastgate campus"
HALDEN = "Halden Robotics"


@dataclass(frozen=True)
class Fact:
    status: str
    accounts: frozenset[str]
    via: object = ANY           # the part it comes through (None: the entity's own fact)
    begins: str | None = None   # the fact's `valid` starts with this date
    holding: frozenset[str] | None = None  # the accounts that say it held that day (others not)


@dataclass(frozen=True)
class Check:
    day: str
    entities: tuple[str, ...]
    known: str | None
    cli: bool
    facts: tuple[Fact, ...]
    absent: frozenset[str]

    def __str__(self) -> str:
        known = f" known {self.known}" if self.known else ""
        return f"as of {self.day}{known} {list(self.entities) or 'world'}"


@dataclass(frozen=True)
class Question:
    name: str
    question: str
    rules: str
    checks: tuple[Check, ...]


def F(status: str, accounts: frozenset[str], *, via: object = ANY, begins: str | None = None,
      holding: frozenset[str] | None = None) -> Fact:
    return Fact(status, accounts, via, begins, holding)


def at(day: str, *entities: str, known: str | None = None, cli: bool = False,
       facts: tuple[Fact, ...] = (), absent: tuple[frozenset[str], ...] = ()) -> Check:
    return Check(day, entities, known, cli, facts, frozenset().union(*absent))


def Q(name: str, question: str, rules: str, *checks: Check) -> Question:
    return Question(name, question, rules, checks)


def everywhere(day: str, facts: tuple[Fact, ...], *views: tuple[Any, ...]) -> list[Check]:
    """One status everywhere: each view `(entities, facts it shows[, via[, cli]])` shows
    those of `facts` with the same status (and, through a part, with that `via`)."""
    out = []
    for entities, shown, *rest in views:
        via = rest[0] if rest else ANY
        cli = len(rest) > 1 and rest[1]
        out.append(at(day, *entities, cli=cli, facts=tuple(
            F(f.status, f.accounts, via=via, holding=f.holding)
            for f in facts if f.accounts in shown)))
    return out


QUESTIONS = [
    # --- rule 2: DISPUTED ---------------------------------------------------------------------
    Q("who-led-halden-on-19-november", "Who led Halden Robotics on 19 November 2031?", "2 4",
      at("2031-11-19", HALDEN,
         facts=(F("DISPUTED", TOMAS, via=None, holding=TOMAS_19),
                F("DISPUTED", INES_HALDEN, via=None)),
         absent=(LENA,))),
    Q("when-did-tomas-take-over", "When did Tomas Brell take over Halden?", "2 1",
      at("2031-11-18", "Tomas Brell", facts=(F("HOLDS", TOMAS_WORKS),), absent=(TOMAS,)),
      at("2031-11-19", "Tomas Brell", facts=(F("DISPUTED", TOMAS, holding=TOMAS_19),)),
      at("2031-11-20", "Tomas Brell", facts=(F("HOLDS", TOMAS, holding=TOMAS),))),
    Q("did-the-sources-agree-on-when-ines-was-removed",
      "Did the sources agree on when Ines Varga was removed?", "2 4",
      at("2031-11-18", "Ines Varga", facts=(F("HOLDS", INES_HALDEN),)),
      at("2031-11-19", "Ines Varga", facts=(F("DISPUTED", INES_HALDEN),)),
      at("2031-11-20", "Ines Varga", absent=(INES_HALDEN,))),
    Q("when-did-corvid-demand-ines-removal",
      "On which day did Corvid Capital demand Ines Varga's removal?", "2 1",
      at("2031-11-16", "Corvid Capital", absent=(DEMANDED,)),
      at("2031-11-17", "Corvid Capital",
         facts=(F("DISPUTED", DEMANDED, holding=ids("corvid-demanded-wire")),)),
      at("2031-11-18", "Ines Varga",
         facts=(F("DISPUTED", DEMANDED, holding=ids("corvid-demanded-ledger")),)),
      at("2031-11-19", "Corvid Capital", absent=(DEMANDED,))),
    Q("when-did-tomas-join-halden",
      "When did Tomas Brell join Halden (about 2026, or 2 March 2028)?", "3 2",
      at("2024-06-01", "Tomas Brell", absent=(TOMAS_WORKS,)),
      at("2028-01-15", "Tomas Brell",
         facts=(F("DISPUTED", TOMAS_WORKS, holding=ids("tomas-works-profile")),)),
      at("2028-06-01", "Tomas Brell", facts=(F("HOLDS", TOMAS_WORKS),))),
    # --- rule 1: one fact, many accounts -------------------------------------------------------
    Q("who-ran-halden-on-21-november-and-who-says-so",
      "Who ran Halden on 21 November 2031, and which sources say so?", "1 8",
      at("2031-11-21", facts=(F("HOLDS", TOMAS, holding=TOMAS),),
         absent=(INES_HALDEN, LENA))),
    Q("how-much-had-corvid-invested-by-the-end-of-2030",
      "How much had Corvid Capital invested in Halden by the end of 2030, and since when?",
      "1 3",
      at("2030-03-01", "Corvid Capital", absent=(CORVID_400,)),
      at("2030", "Corvid Capital", facts=(F("HOLDS", CORVID_400, begins="2030-06-12"),))),
    # --- rule 3: refinement ----------------------------------------------------------------------
    Q("was-lark-paused-in-mid-october", "Was Project Lark paused in mid-October 2031?", "3 5",
      at("2031-10-15", LARK, facts=(F("HOLDS", LARK_ACTIVE),), absent=(LARK_PAUSED,))),
    Q("what-happened-to-lark-on-3-november",
      "What happened to Project Lark on Monday 3 November 2031?", "5 3 1",
      at("2031-11-02", LARK, facts=(F("HOLDS", LARK_ACTIVE),), absent=(LARK_PAUSED,)),
      at("2031-11-03", LARK, facts=(F("HOLDS", LARK_ACTIVE),
                                    F("HOLDS", LARK_PAUSED, begins="2031-11-03"))),
      at("2031-11-04", LARK, facts=(F("HOLDS", LARK_PAUSED),), absent=(LARK_ACTIVE,))),
    Q("since-when-did-ines-lead-halden", "Since when did Ines Varga lead Halden?", "3",
      at("2027-01-01", "Ines Varga", absent=(INES_HALDEN,)),
      at("2027-03-14", "Ines Varga", absent=(INES_HALDEN,)),
      at("2027-03-15", "Ines Varga", facts=(F("HOLDS", INES_HALDEN, begins="2027-03-15"),))),
    # --- rule 4: offices ---------------------------------------------------------------------
    Q("what-did-ines-lead-on-18-november", "What did Ines Varga lead on 18 November 2031?",
      "4",
      at("2031-11-18", "Ines Varga",
         facts=(F("HOLDS", INES_HALDEN), F("HOLDS", INES_LARK),
                F("DISPUTED", DEMANDED, holding=ids("corvid-demanded-ledger"))))),
    Q("who-ran-eastgate-during-the-crisis",
      "Who ran the Eastgate campus in November 2031?", "4",
      at("2031-11-10", EASTGATE, facts=(F("HOLDS", RUI), F("HOLDS", EASTGATE_PART)),
         absent=(DANA,)),
      at("2031-11-20", EASTGATE, facts=(F("CONTESTED", RUI), F("CONTESTED", DANA))),
      at("2031-11-25", EASTGATE, facts=(F("HOLDS", RUI),), absent=(DANA,))),
    Q("who-led-halden-in-march-2032", "Who led Halden in March 2032?", "4",
      at("2032-03", HALDEN, facts=(F("HOLDS", LENA, via=None),),
         absent=(TOMAS, INES_HALDEN))),
    Q("when-did-lena-sato-take-over", "When did Lena Sato take over from Tomas Brell?",
      "3 4 K",
      at("2032-01-28", HALDEN, facts=(F("HOLDS", TOMAS, holding=TOMAS),), absent=(LENA,)),
      at("2032-02-02", HALDEN, facts=(F("HOLDS", LENA, begins="2032-02-02"),),
         absent=(TOMAS,)),
      at("2032-01-28", HALDEN, known="2033-12-31",
         facts=(F("MAYBE", ids("lena-leads-halden-review")),
                F("MAYBE", TOMAS - ids("halden-run-by-tomas-book"))))),
    Q("did-okafor-keep-the-corvid-chair",
      "Did Pell Okafor still chair Corvid's investment committee once he chaired Halden's "
      "board?", "4 5",
      at("2031-11-16", "Pell Okafor", facts=(F("HOLDS", PELL_COMMITTEE),),
         absent=(PELL_BOARD,)),
      at("2031-11-20", "Pell Okafor", facts=(F("HOLDS", PELL_BOARD),),
         absent=(PELL_COMMITTEE,))),
    # --- rule 5: handovers ---------------------------------------------------------------------
    Q("who-chaired-halden-s-board-on-17-november",
      "Who chaired Halden's board on Monday 17 November 2031?", "5 4 8",
      at("2031-11-17", "HALDEN’S  BOARD",
         facts=(F("HOLDS", MARA), F("HOLDS", PELL_BOARD), F("HOLDS", NIAMH),
                F("HOLDS", BOARD_PART))),
      at("2031-11-18", "halden's board", facts=(F("HOLDS", PELL_BOARD),), absent=(MARA,))),
    Q("who-led-lark-on-21-november", "Who led Project Lark on 21 November 2031?", "5 4",
      at("2031-11-20", "lark", facts=(F("HOLDS", INES_LARK),), absent=(HUGO_LARK,)),
      at("2031-11-21", "Lark", facts=(F("HOLDS", INES_LARK), F("HOLDS", HUGO_LARK))),
      at("2031-11-22", LARK, facts=(F("HOLDS", HUGO_LARK),), absent=(INES_LARK,))),
    # --- rule 6: one status everywhere -------------------------------------------------------
    Q("is-the-eastgate-contest-the-same-in-every-view",
      "On 20 November 2031, is the clash over Eastgate the same whoever you ask about?", "6 7 4",
      *everywhere("2031-11-20", (F("CONTESTED", DANA), F("CONTESTED", RUI)),
                  ((), (DANA, RUI)), (("Dana Whit",), (DANA,)), (("Rui Anand",), (RUI,)),
                  ((EASTGATE,), (DANA, RUI)), (("Dana Whit", EASTGATE), (DANA,)),
                  (("Rui Anand", EASTGATE), (RUI,), ANY, True),
                  ((HALDEN,), (DANA, RUI), EASTGATE))),
    Q("is-the-dispute-over-tomas-the-same-in-every-view",
      "On 19 November 2031, is Tomas Brell's start disputed whoever you ask about?", "6 2",
      *everywhere("2031-11-19", (F("DISPUTED", TOMAS, holding=TOMAS_19),),
                  ((), (TOMAS,)), (("Tomas Brell",), (TOMAS,)), ((HALDEN,), (TOMAS,), None),
                  (("Tomas Brell", HALDEN), (TOMAS,), ANY, True),
                  ((HALDEN, "Tomas Brell"), (TOMAS,))),
      *everywhere("2031-11-19", (F("DISPUTED", INES_HALDEN),),
                  ((), (INES_HALDEN,)), (("Ines Varga",), (INES_HALDEN,)),
                  ((HALDEN,), (INES_HALDEN,), None),
                  (("Ines Varga", HALDEN), (INES_HALDEN,), ANY, True))),
    # --- rule 7: parts -----------------------------------------------------------------------
    Q("what-was-halden-doing-in-october-2031", "What was Halden doing in October 2031?",
      "7 3",
      at("2031-10", HALDEN,
         facts=(F("HOLDS", INES_HALDEN, via=None), F("HOLDS", CORVID_400, via=None),
                F("HOLDS", TOMAS_WORKS, via=None),
                F("HOLDS", LARK_ACTIVE, via=LARK), F("HOLDS", INES_LARK, via=LARK),
                F("HOLDS", MARA, via=BOARD), F("HOLDS", NIAMH, via=BOARD)),
         absent=(LARK_PAUSED, RUI, DANA, TOMAS, PELL_BOARD, PELL_COMMITTEE, HUGO_LARK))),
    Q("what-was-halden-doing-during-the-crisis",
      "What was going on across Halden on Thursday 20 November 2031?", "7 6 2",
      at("2031-11-20", HALDEN,
         facts=(F("HOLDS", TOMAS, via=None), F("HOLDS", PELL_BOARD, via=BOARD),
                F("HOLDS", INES_LARK, via=LARK), F("HOLDS", LARK_PAUSED, via=LARK),
                F("CONTESTED", RUI, via=EASTGATE), F("CONTESTED", DANA, via=EASTGATE)),
         absent=(INES_HALDEN, MARA, PELL_COMMITTEE, DEMANDED))),
    Q("was-lark-still-halden-s-after-the-spin-off",
      "Was Project Lark's work still part of Halden's story after March 2032?", "7 4",
      at("2032-03-31", HALDEN, facts=(F("HOLDS", HUGO_LARK, via=LARK),
                                      F("HOLDS", LENA, via=None))),
      at("2032-06-01", HALDEN,
         facts=(F("HOLDS", LENA, via=None), F("HOLDS", PELL_BOARD, via=BOARD),
                F("HOLDS", EASTGATE_PART)),
         absent=(HUGO_LARK, LARK_PAUSED, LARK_ACTIVE, TOMAS))),
    # --- rule 8: names -----------------------------------------------------------------------
    Q("was-niamh-o-dell-on-the-board", "Was Niamh O'Dell on Halden's board on 18 November "
      "2031, and who says so?", "8 1",
      at("2031-11-18", "NIAMH O’DELL", facts=(F("HOLDS", NIAMH),)),
      at("2031-11-18", "niamh   o'dell", cli=True, facts=(F("HOLDS", NIAMH),))),
    Q("tomas-under-a-full-width-name",
      "Asked with a full-width 'ＴＯＭＡＳ Ｂｒｅｌｌ' and 'halden  ROBOTICS': what linked them on "
      "21 November 2031?", "8 1",
      at("2031-11-21", "ＴＯＭＡＳ Ｂｒｅｌｌ", "halden  ROBOTICS",
         facts=(F("HOLDS", TOMAS), F("HOLDS", TOMAS_WORKS)), absent=(INES_HALDEN,))),
    # --- known time --------------------------------------------------------------------------
    Q("as-known-on-25-november-when-did-tomas-take-over",
      "As known on 25 November 2031, when did Tomas Brell take over?", "K 2",
      at("2031-11-18", HALDEN, known="2031-11-25",
         facts=(F("HOLDS", ids("ines-leads-halden-profile")),), absent=(TOMAS,)),
      at("2031-11-19", HALDEN, known="2031-11-25", facts=(F("HOLDS", TOMAS_19),),
         absent=(INES_HALDEN,))),
    Q("as-known-on-1-december-when-did-tomas-take-over",
      "As known on 1 December 2031, when did Tomas Brell take over?", "K 2 6",
      at("2031-11-19", "Tomas Brell", HALDEN, known="2031-12-01", cli=True,
         facts=(F("DISPUTED", TOMAS_19 | ids("tomas-leads-post"), holding=TOMAS_19),)),
      at("2031-11-19", HALDEN, known="2031-12-01",
         facts=(F("DISPUTED", TOMAS_19 | ids("tomas-leads-post"), holding=TOMAS_19),
                F("DISPUTED", ids("ines-leads-halden-profile"))))),
    Q("as-known-in-december-2031-was-lark-paused-in-october",
      "As known in December 2031, was Project Lark paused in mid-October?", "K 3",
      at("2031-10-15", LARK, known="2031-12-01",
         facts=(F("MAYBE", ids("lark-paused-wire")),), absent=(LARK_ACTIVE,))),
    Q("as-known-on-17-november-when-did-corvid-demand",
      "As the Harbour Wire told it on 17 November 2031, when did Corvid demand Varga's "
      "removal?", "K 2",
      at("2031-11-17", "Corvid Capital", known="2031-11-17",
         facts=(F("HOLDS", ids("corvid-demanded-wire")),)),
      at("2031-11-18", "Corvid Capital", known="2031-11-17", absent=(DEMANDED,))),
    Q("as-known-before-the-book-since-when-did-ines-lead",
      "Before the 2034 book, what could be said of Ines Varga's start, and who reported "
      "Tomas's?", "K 3 1",
      at("2027-01-01", "Ines Varga", known="2033-12-31",
         facts=(F("MAYBE", ids("ines-leads-halden-profile")),)),
      at("2031-11-21", "Tomas Brell", known="2033-12-31",
         facts=(F("HOLDS", TOMAS - ids("halden-run-by-tomas-book")),))),
    Q("as-known-in-december-2031-who-ran-eastgate",
      "As known in December 2031, who ran Halden's Eastgate campus on 20 November?", "K 7 4",
      at("2031-11-20", HALDEN, known="2031-12-01",
         facts=(F("HOLDS", DANA, via=EASTGATE),), absent=(RUI,))),
]


# --- asking ---------------------------------------------------------------------------------


def claim_ids(fact: dict[str, Any]) -> frozenset[str]:
    """The claims a row of an answer stands for: its accounts (an engine without accounts:
    its own claim)."""
    if "accounts" not in fact:
        return frozenset([fact["id"]])
    return frozenset(a["claim"] if isinstance(a["claim"], str) else a["claim"]["id"]
                     for a in fact["accounts"])


def source_ids(citations: list[Any]) -> frozenset[str]:
    return frozenset(c["source"] if isinstance(c, dict) else c for c in citations)


def not_ready(reason: str) -> str:
    return (f"the crisis archive cannot be loaded: {reason}. It needs issue 15's rule 4 "
            "(predicate \"single\": \"object\" | \"both\") and rule 1 (claims' "
            "\"account_of\").")


@pytest.fixture(scope="module")
def crisis(tmp_path_factory):
    """(archive, path): the crisis imported into an SQLite archive; or the reason it failed."""
    path = tmp_path_factory.mktemp("crisis") / "crisis.sqlite"
    try:
        from timeline.api import Archive, import_path
        archive = Archive.open(path)
    except Exception as exc:  # the engine itself does not load
        yield None, path, f"the engine does not load ({type(exc).__name__}: {exc})"
        return
    try:
        import_path(archive, CRISIS)
    except Exception as exc:
        archive.close()
        yield None, path, f"{type(exc).__name__}: {exc}"
        return
    yield archive, path, None
    archive.close()


def answer(archive: Any, path: Path, check: Check) -> dict[str, Any]:
    if not check.cli:
        return archive.as_of(check.day, check.known, list(check.entities)).to_json()
    from timeline.cli import main
    argv = ["--archive", str(path), "as-of", check.day, "--format", "json"]
    for name in check.entities:
        argv += ["--entity", name]
    if check.known:
        argv += ["--known-as-of", check.known]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv, plugins=[])
    assert status == 0, f"hindsight {' '.join(argv)}: {err.getvalue()}"
    return json.loads(out.getvalue())


def verify(state: dict[str, Any], check: Check) -> None:
    rows = state["facts"]
    for want in check.facts:
        found = [f for f in rows if claim_ids(f) & want.accounts]
        shown = [(f["id"], f["status"], sorted(claim_ids(f))) for f in found]
        assert len(found) == 1, f"{check}: one row for {sorted(want.accounts)}, not {shown}"
        fact = found[0]
        assert claim_ids(fact) == want.accounts, f"{check}: accounts of {shown}"
        assert fact["status"] == want.status, f"{check}: status of {shown}"
        cited = frozenset().union(*(CITES[c] for c in want.accounts))
        assert source_ids(fact["sources"]) == cited, f"{check}: sources of {shown}"
        if want.via is not ANY:
            assert (fact.get("via") or None) == want.via, f"{check}: via of {shown}"
        if want.begins:
            assert fact["valid"].startswith(want.begins), f"{check}: {fact['valid']} {shown}"
        if want.holding is not None:
            says = {c: a["status"] for a in fact.get("accounts", ())
                    for c in claim_ids({"accounts": [a]})}
            held = frozenset(c for c, s in says.items() if s == "HOLDS")
            assert held == want.holding, f"{check}: accounts holding that day: {says}"
    leaked = [(f["id"], f["status"]) for f in rows if claim_ids(f) & check.absent]
    assert not leaked, f"{check}: should not be in the state: {leaked}"


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_the_historian_asks(crisis, question: Question) -> None:
    archive, path, failure = crisis
    if failure:
        pytest.fail(not_ready(failure), pytrace=False)
    for check in question.checks:
        verify(answer(archive, path, check), check)


# --- guards -------------------------------------------------------------------------------


def test_the_crisis_archive_imports(crisis) -> None:
    archive, _, failure = crisis
    if failure:
        pytest.fail(not_ready(failure), pytrace=False)
    facts = archive.as_of("2031-11-21", entities=["Tomas Brell", HALDEN]).to_json()["facts"]
    tied = [f for f in facts if "halden-run-by-tomas-book" in claim_ids(f)]
    assert tied and "tomas-leads-post" in claim_ids(tied[0]), (
        "rule 1 not implemented: 'account_of' is ignored (the book's 'Halden Robotics was run "
        f"by Tomas Brell' is not an account of Tomas Brell leading Halden): {facts}")


def test_the_crisis_file_is_well_made() -> None:
    """What does not need the engine: quotes verbatim in their files, `account_of` pointing at
    claims of the file, every question's claims in the file."""
    texts = {s["id"]: (HERE / s["file"]).read_text(encoding="utf-8") for s in FILE["sources"]}
    assert len(texts) == 8
    for claim in FILE["claims"]:
        for citation in claim["sources"]:
            assert citation["quote"] in texts[citation["source"]], claim["id"]
        assert claim.get("account_of", claim["id"]) in CITES, claim["id"]
    for question in QUESTIONS:
        for check in question.checks:
            named = check.absent.union(*(f.accounts for f in check.facts))
            assert named <= CITES.keys(), (question.name, named - CITES.keys())


def test_every_rule_is_asked_at_least_twice() -> None:
    asked = [r for q in QUESTIONS for r in q.rules.split()]
    assert len(QUESTIONS) >= 24
    for rule in "12345678K":
        assert asked.count(rule) >= 2, rule
