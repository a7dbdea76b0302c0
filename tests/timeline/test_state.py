"""The as-of rules as a pure function: candidates and a day in, facts out (table-driven)."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from timeline.asof.facts import Fact, Live, settle_facts
from timeline.asof.rules import edge_dates, inertia_end
from timeline.dates import POS_INF, parse_day, parse_span
from timeline.readmodel import ClaimRow


class Candidate(NamedTuple):
    """A claim the stab found, with its rank, whether its predicate is single per subject,
    and the claim that cuts it (what the SQL hands the rules)."""

    claim: ClaimRow
    rank: str
    single: bool
    successor: ClaimRow | None


def settle(candidates: list[Candidate], day: int) -> list[Fact]:
    """The facts and slots judged from the candidates' lives (``settle_facts``)."""
    lives = [Live(c.claim, c.rank, c.successor, *inertia_end(c.claim, c.successor), (),
                  c.claim.end_hi) for c in candidates if c.rank != "deprecated"]
    sides = {"p": "subject"} if any(c.single for c in candidates) else {}
    return settle_facts(lives, day, sides, lambda claim: claim, edge_dates)


def row(claim_id: str, valid: str, answer: str = "a", *, subject: str = "S",
        predicate: str = "p", slot_object: str = "") -> ClaimRow:
    span = parse_span(valid)
    return ClaimRow(
        n=0, id=claim_id, subject_id=subject, predicate=predicate, object_id=None,
        value=answer, slot_object=slot_object, answer=answer, valid=valid,
        start_lo=span.start_lo, start_hi=span.start_hi, end_lo=span.end_lo, end_hi=span.end_hi,
        certainty=1.0, rank="normal", reranked=0, known_at="2000", known_day=0,
        withdrawn_day=POS_INF, citations="[]", note="", recorded_at="", position=0)


def cand(claim: ClaimRow, rank: str = "normal", single: bool = True,
         successor: ClaimRow | None = None) -> Candidate:
    return Candidate(claim, rank, single, successor)


def statuses(candidates: list[Candidate], day: str) -> dict[str, str]:
    return {f.claim.id: f.status for f in settle(candidates, parse_day(day))}


A_CLOSE = row("close", "2018-06-01/..", "close allies")
A_APART = row("apart", "2025-04/..", "growing apart")
KATE = row("kate", "2025-03/2025-03", "obsolete")
CHRIS = row("chris", "2025-03/2025-03", "still essential")


@pytest.mark.parametrize(("name", "candidates", "day", "expected"), [
    ("single claim holds", [cand(A_CLOSE)], "2020-01-01", {"close": "HOLDS"}),
    ("before its start it is absent", [cand(A_CLOSE)], "2018-05-31", {}),
    ("a fuzzy start may hold", [cand(A_APART)], "2025-04-10", {"apart": "MAYBE"}),
    ("disagreeing single-valued claims are contested", [cand(KATE), cand(CHRIS)],
     "2025-03-31", {"kate": "CONTESTED", "chris": "CONTESTED"}),
    ("multi-valued claims never contest", [cand(KATE, single=False),
                                           cand(CHRIS, single=False)],
     "2025-03-31", {"kate": "MAYBE", "chris": "MAYBE"}),
    ("agreeing claims are two accounts of one fact (the read model marks them shared)", [
        cand(KATE._replace(shared=1)), cand(row("kate2", "2025-03", "obsolete")._replace(
            shared=1))], "2025-03-31", {"kate": "MAYBE"}),
    ("different slots do not contest", [cand(KATE), cand(row("x", "2025-03", "y", subject="T"))],
     "2025-03-31", {"kate": "MAYBE", "x": "MAYBE"}),
    ("a preferred claim outranks the other", [cand(KATE, rank="preferred"), cand(CHRIS)],
     "2025-03-31", {"kate": "MAYBE"}),
    ("two preferred claims still contest", [cand(KATE, "preferred"), cand(CHRIS, "preferred")],
     "2025-03-31", {"kate": "CONTESTED", "chris": "CONTESTED"}),
    ("a deprecated claim leaves the state", [cand(KATE), cand(CHRIS, rank="deprecated")],
     "2025-03-31", {"kate": "MAYBE"}),
    ("inertia: the successor's start ends an open claim", [cand(A_CLOSE, successor=A_APART),
                                                           cand(A_APART)],
     "2025-06-01", {"apart": "HOLDS"}),
    ("inertia: the transition month is MAYBE for both, not contested",
     [cand(A_CLOSE, successor=A_APART), cand(A_APART)], "2025-04-15",
     {"close": "MAYBE", "apart": "MAYBE"}),
    ("inertia: before the change the old state holds",
     [cand(A_CLOSE, successor=A_APART)], "2025-03-31", {"close": "HOLDS"}),
    ("inertia leaves a closed interval alone",
     [cand(row("closed", "2018/2030", "close allies"), successor=A_APART)], "2026-01-01",
     {"closed": "HOLDS"}),
])
def test_settle(name, candidates, day, expected):
    assert statuses(candidates, day) == expected


def test_a_cut_claim_names_the_claim_that_ended_it():
    facts = settle([cand(A_CLOSE, successor=A_APART)], parse_day("2025-04-15"))
    assert facts[0].ended_by == "apart"
    assert (facts[0].end_lo, facts[0].end_hi) == (A_APART.start_lo, A_APART.start_hi)


def test_contested_facts_name_their_rivals():
    facts = {f.claim.id: f for f in settle([cand(KATE), cand(CHRIS)], parse_day("2025-03-31"))}
    assert facts["kate"].contested_with == ("chris",)
    assert facts["chris"].contested_with == ("kate",)
