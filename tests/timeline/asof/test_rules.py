"""The as-of rules, one table each (timeline/asof/rules.py, docs/time-model.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import dates
from timeline.asof import rules
from timeline.asof.rules import KNOWN_NOW
from timeline.dates import NEG_INF, POS_INF, Status, parse_day, parse_span


def d(text: str) -> int:
    """A query day: the last day of an EDTF date."""
    return parse_day(text)


@dataclass(frozen=True)
class Plain:
    """A plain claim: what the rules read (``rules.Claim``)."""

    id: str
    start_lo: int
    start_hi: int
    end_lo: int
    end_hi: int
    answer: str = "a"
    subject_id: str = "S"
    predicate: str = "p"
    object_id: str | None = None
    slot_object: str = ""
    rank: str = "normal"
    known_day: int = 0
    withdrawn_day: int = POS_INF
    n: int = 0
    position: int = 0
    valid: str = ""
    tie: str | None = None


def claim(claim_id: str, valid: str = "2020/..", **fields: Any) -> Plain:
    span = parse_span(valid)
    return Plain(claim_id, span.start_lo, span.start_hi, span.end_lo, span.end_hi,
                 valid=valid, **fields)


BCE = d("-0043-03-15")  # the Ides of March, 44 BCE


# --- believed: known_day <= R < withdrawn_day ---------------------------------------------------


@pytest.mark.parametrize(("known_day", "withdrawn_day", "known", "expected"), [
    (d("2020-01-01"), POS_INF, d("2020-01-01"), True),  # from its own known day
    (d("2020-01-01"), POS_INF, d("2019-12-31"), False),  # not yet
    (0, 10, 9, True),
    (0, 10, 10, False),  # withdrawn on R
    (10, 10, 10, False),  # withdrawn on the day it was known: never believed
    (10, 5, 7, False),  # withdrawn before it was known
    (d("2030"), POS_INF, KNOWN_NOW, True),  # "now" is every claim recorded
    (d("2030"), POS_INF, d("2025"), False),
    (0, d("2024-01-31"), KNOWN_NOW, False),  # withdrawn: not now either
    (BCE, POS_INF, BCE, True),
    (BCE, POS_INF, BCE - 1, False),
    (NEG_INF, POS_INF, NEG_INF, True),
])
def test_believed(known_day: int, withdrawn_day: int, known: int, expected: bool) -> None:
    c = replace(claim("c"), known_day=known_day, withdrawn_day=withdrawn_day)
    assert rules.believed(c, known) is expected


# --- may_hold: start_lo <= V < end_hi -----------------------------------------------------------


@pytest.mark.parametrize(("valid", "day", "expected"), [
    ("2023-11-17", "2023-11-16", False),
    ("2023-11-17", "2023-11-17", True),
    ("2023-11-17", "2023-11-18", False),
    ("2025-02", "2025-02-01", True),
    ("2025-02", "2025-03-01", False),
    ("2019-07~/..", "2019-05-31", False),
    ("2019-07~/..", "2019-06-01", True),  # a month's ~ widens it by a month
    ("2019-07-22/", "9999-12-31", True),  # an unknown end may hold for ever
    ("/2018-04-09", "1900-01-01", True),  # an unknown start may have been any time before
    ("/2018-04-09", "2018-04-10", False),
    ("../..", "-0043-03-15", True),
    ("-0043-02/-0043-03-15", "-0043-02-01", True),
    ("-0043-02/-0043-03-15", "-0043-03-15", True),
    ("-0043-02/-0043-03-15", "-0043-03-16", False),
    ("-0043-02/-0043-03-15", "-0044", False),
])
def test_may_hold(valid: str, day: str, expected: bool) -> None:
    assert rules.may_hold(claim("c", valid), d(day)) is expected


@pytest.mark.parametrize(("bounds", "day", "expected"), [
    ((NEG_INF, POS_INF), NEG_INF, True),
    ((NEG_INF, POS_INF), POS_INF - 1, True),
    ((NEG_INF, POS_INF), POS_INF, False),
    ((0, NEG_INF + 1), NEG_INF, False),
])
def test_may_hold_at_the_sentinels(bounds: tuple[int, int], day: int, expected: bool) -> None:
    c = replace(claim("c"), start_lo=bounds[0], end_hi=bounds[1])
    assert rules.may_hold(c, day) is expected


# --- status in time: HOLDS if start_hi <= V < end_lo, MAYBE if start_lo <= V < end_hi -----------


def test_status_in_time_is_stated_once() -> None:
    assert rules.status_in_time is dates.status_of


@pytest.mark.parametrize(("valid", "day", "expected"), [
    ("2019-03/2023-11-17", "2019-02-28", Status.NOT),
    ("2019-03/2023-11-17", "2019-03-01", Status.MAYBE),  # start_lo
    ("2019-03/2023-11-17", "2019-03-30", Status.MAYBE),
    ("2019-03/2023-11-17", "2019-03-31", Status.HOLDS),  # start_hi
    ("2019-03/2023-11-17", "2023-11-17", Status.HOLDS),  # the last day it held
    ("2019-03/2023-11-17", "2023-11-18", Status.NOT),
    ("2019-07-22/", "2019-07-22", Status.HOLDS),  # an unknown end: held on its first day
    ("2019-07-22/", "2019-07-23", Status.MAYBE),
    ("../2019", "2019-01-01", Status.HOLDS),
    ("../2019", "2019-01-02", Status.MAYBE),
    ("../2019", "2020-01-01", Status.NOT),
    ("2023-11-16~", "2023-11-09", Status.MAYBE),  # a day's ~ widens it by a week
    ("2023-11-16~", "2023-11-24", Status.NOT),
    ("-0043-02/-0043-03-15", "-0043-02-10", Status.MAYBE),
    ("-0043-02/-0043-03-15", "-0043-02-28", Status.HOLDS),
    ("-0043-02/-0043-03-15", "-0043-03-15", Status.HOLDS),
    ("-0043-02/-0043-03-15", "-0043-03-16", Status.NOT),
    ("../..", "-0043-03-15", Status.HOLDS),
])
def test_status_in_time(valid: str, day: str, expected: Status) -> None:
    c = claim("c", valid)
    assert rules.status_in_time(c.start_lo, c.start_hi, c.end_lo, c.end_hi, d(day)) is expected


@pytest.mark.parametrize(("bounds", "day", "expected"), [
    ((NEG_INF, NEG_INF, POS_INF, POS_INF), NEG_INF, Status.HOLDS),  # always
    ((NEG_INF, NEG_INF, POS_INF, POS_INF), POS_INF - 1, Status.HOLDS),
    ((NEG_INF, 5, 6, POS_INF), NEG_INF, Status.MAYBE),  # an unknown start and end
    ((NEG_INF, 5, 6, POS_INF), 5, Status.HOLDS),
    ((NEG_INF, 5, 6, POS_INF), POS_INF - 1, Status.MAYBE),
    ((0, 5, 10, 20), -1, Status.NOT),
    ((0, 5, 10, 20), 4, Status.MAYBE),
    ((0, 5, 10, 20), 10, Status.MAYBE),
    ((0, 5, 10, 20), 20, Status.NOT),
    ((0, 5, 3, 20), 4, Status.MAYBE),  # an end that overlaps the start never surely holds
])
def test_status_in_time_at_the_sentinels(bounds: tuple[int, int, int, int], day: int,
                                         expected: Status) -> None:
    assert rules.status_in_time(*bounds, day) is expected


# --- rank in force: the rank set latest by R ----------------------------------------------------

OWN = replace(claim("c"), rank="normal", known_day=100, position=1)


@pytest.mark.parametrize(("reranks", "known", "expected"), [
    ([], 50, "normal"),  # never reranked: its own rank, whatever R
    ([], KNOWN_NOW, "normal"),
    ([(110, 5, "preferred")], 109, "normal"),
    ([(110, 5, "preferred")], 110, "preferred"),
    ([(110, 5, "preferred")], KNOWN_NOW, "preferred"),
    # A rerank dated before the claim's own known day takes effect on that day: the claim
    # cannot be ranked before it is known, and the rerank comes later in the log.
    ([(90, 5, "deprecated")], 100, "deprecated"),
    ([(90, 5, "deprecated")], KNOWN_NOW, "deprecated"),
    ([(90, 5, "deprecated")], 95, "normal"),  # (before it is known: it is not believed)
    ([(100, 5, "deprecated")], 100, "deprecated"),  # same day as its own: later in the log
    ([(120, 5, "preferred"), (110, 6, "deprecated")], 115, "deprecated"),
    ([(120, 5, "preferred"), (110, 6, "deprecated")], 120, "preferred"),  # latest known day
    ([(120, 5, "preferred"), (120, 6, "deprecated")], 120, "deprecated"),  # then later in log
    ([(120, 6, "deprecated"), (120, 5, "preferred")], 120, "deprecated"),  # in any order given
])
def test_rank_in_force(reranks: list[rules.Rerank], known: int, expected: str) -> None:
    assert rules.rank_in_force(OWN, reranks, known) == expected


def test_rank_in_force_before_the_common_era() -> None:
    own = replace(claim("c"), rank="preferred", known_day=BCE, position=1)
    assert rules.rank_in_force(own, [(BCE + 1, 2, "deprecated")], BCE) == "preferred"
    assert rules.rank_in_force(own, [(BCE + 1, 2, "deprecated")], BCE + 1) == "deprecated"
    assert rules.rank_in_force(own, [(BCE - 1, 2, "deprecated")], KNOWN_NOW) == "deprecated"


# --- inertia: the next answer, and the end it cuts ----------------------------------------------

ALTMAN = claim("altman", "2019-03/..", answer="Altman", n=1, known_day=d("2019-03-08"))


def _own_rank(c: rules.Claim, known: int) -> str:
    return c.rank


@pytest.mark.parametrize(("others", "day", "known", "expected"), [
    ([claim("murati", "2023-11-17/..", answer="Murati", n=2)], "2023-11-17", KNOWN_NOW,
     "murati"),
    ([claim("murati", "2023-11-17/..", answer="Murati", n=2)], "2023-11-16", KNOWN_NOW,
     None),  # not started by V
    ([claim("again", "2020/..", answer="Altman", n=2)], "2021", KNOWN_NOW, None),  # restated
    ([claim("same", "2019-03/..", answer="Murati", n=2)], "2021", KNOWN_NOW, None),  # same start
    ([claim("earlier", "2018/..", answer="Murati", n=2)], "2021", KNOWN_NOW, None),
    ([claim("other", "2020/..", answer="Murati", subject_id="T", n=2)], "2021", KNOWN_NOW,
     None),  # another slot: subject
    ([claim("other", "2020/..", answer="Murati", predicate="q", n=2)], "2021", KNOWN_NOW,
     None),  # another slot: predicate
    ([claim("other", "2020/..", answer="Murati", slot_object="O", n=2)], "2021", KNOWN_NOW,
     None),  # another slot: the qualified object
    ([claim("late", "2020/..", answer="Murati", known_day=d("2022"), n=2)], "2021", d("2021"),
     None),  # not known by R
    ([claim("late", "2020/..", answer="Murati", known_day=d("2022"), n=2)], "2021", d("2022"),
     "late"),
    ([claim("gone", "2020/..", answer="Murati", withdrawn_day=d("2021-06-01"), n=2)], "2021",
     d("2021-06-01"), None),  # withdrawn by R
    ([claim("dep", "2020/..", answer="Murati", rank="deprecated", n=2)], "2021", KNOWN_NOW,
     None),  # deprecated on R
    ([claim("b", "2023-11-20/..", answer="B", n=2), claim("c", "2023-11-17/..", answer="C", n=3)],
     "2024", KNOWN_NOW, "c"),  # the first to start, not the first recorded
    ([claim("b", "2023-11/..", answer="B", n=3), claim("c", "2023-11/..", answer="C", n=2)],
     "2024", KNOWN_NOW, "c"),  # equal starts: the first recorded
    ([claim("closed", "2023-11-17/2023-11-19", answer="Murati", n=2)], "2025", KNOWN_NOW,
     "closed"),  # whether it still holds does not matter
    ([claim("fuzzy", "2023-11~/..", answer="Murati", n=2)], "2023-10-01", KNOWN_NOW, "fuzzy"),
])
def test_next_answer(others: list[Plain], day: str, known: int, expected: str | None) -> None:
    found = rules.next_answer(ALTMAN, [ALTMAN, *others], d(day), known, _own_rank)
    assert (found.id if found else None) == expected


def test_next_answer_before_the_common_era() -> None:
    caesar = claim("caesar", "-0048/..", answer="dictator", n=1)
    octavian = claim("octavian", "-0043-03-15/..", answer="heir", n=2)
    assert rules.next_answer(caesar, [octavian], BCE, KNOWN_NOW, _own_rank) == octavian
    assert rules.next_answer(caesar, [octavian], BCE - 1, KNOWN_NOW, _own_rank) is None


def test_next_answer_asks_the_rank_in_force_on_r() -> None:
    murati = claim("murati", "2023-11-17/..", answer="Murati", n=2)
    reranks = {"murati": [(d("2024-01"), 9, "deprecated")]}

    def rank_on(c: rules.Claim, known: int) -> str:
        return rules.rank_in_force(c, reranks.get(c.id, []), known)

    assert rules.next_answer(ALTMAN, [murati], d("2024"), d("2023-12"), rank_on) == murati
    assert rules.next_answer(ALTMAN, [murati], d("2024"), d("2024-01"), rank_on) is None


@pytest.mark.parametrize(("own", "successor", "expected"), [
    ("2019-03/..", None, (POS_INF, POS_INF)),
    ("2019-03/2020", "2019-06/..", (d("2020-01-01") + 1, d("2020-12-31") + 1)),  # closed: kept
    ("2019-03/..", "2023-11-17/..", (d("2023-11-17"), d("2023-11-17"))),
    ("2019-03/..", "2023-11~/..", (d("2023-10-01"), d("2023-12-31"))),  # a fuzzy start
    ("2019-03/", "2023-11-17/..", (d("2019-03-01") + 1, d("2023-11-17"))),  # an unknown end
    ("../..", "2023-11-17/..", (d("2023-11-17"), d("2023-11-17"))),
    ("-0048/..", "-0043-03-15/..", (BCE, BCE)),
])
def test_inertia_end(own: str, successor: str | None, expected: tuple[int, int]) -> None:
    cut = claim("next", successor) if successor else None
    assert rules.inertia_end(claim("own", own), cut) == expected


@pytest.mark.parametrize(("valid", "expected"), [
    ("2019/..", True), ("2019/", True), ("../..", True), ("2019/2020", False), ("2019", False),
    ("../2019", False), ("/2019", False),
])
def test_is_open(valid: str, expected: bool) -> None:
    assert rules.is_open(claim("c", valid)) is expected


# --- entity selection ---------------------------------------------------------------------------

G, H = frozenset({"g", "g-merged"}), frozenset({"h"})


@pytest.mark.parametrize(("subject", "obj", "groups", "expected"), [
    ("x", None, None, True),  # the world
    ("g", None, [G], True),
    ("g-merged", "x", [G], True),  # an entity merged into it
    ("x", "g", [G], True),  # as the object
    ("x", "y", [G], False),
    ("g", "h", [G, H], True),  # links the two
    ("h", "g-merged", [G, H], True),
    ("g", None, [G, H], False),  # about one of them only
    ("g", "x", [G, H], False),
    ("g", "g-merged", [G, H], False),
    ("g", "h", [G, G], False),  # one entity under two names: a pair, linked to nothing
    ("h", "g", [G, G], False),
])
def test_selects(subject: str, obj: str | None, groups: list[frozenset[str]] | None,
                 expected: bool) -> None:
    assert rules.selects(claim("c", subject_id=subject, object_id=obj), groups) is expected


# --- the reference --------------------------------------------------------------------------


def facts(claims: list[Plain], day: str, known: int = KNOWN_NOW,
          reranks: dict[str, list[rules.Rerank]] | None = None,
          sides: dict[str, str] | None = None) -> dict[str, tuple[Any, ...]]:
    """The reference's facts: (status, ended_by, contested_with) by fact id."""
    found = rules.reference_facts(claims, reranks or {}, sides or {"p": "subject"}, d(day),
                                  known)
    return {f.claim.id: (f.status, f.ended_by, f.contested_with) for f in found}


INERTIA = [claim("altman", "2019-03/..", answer="Altman", n=1, known_day=d("2019-03-08")),
           claim("murati", "2023-11-17/..", answer="Murati", n=2, known_day=d("2023-11-17")),
           claim("shear", "2023-11-20/..", answer="Shear", n=3, known_day=d("2023-11-20")),
           claim("back", "2023-11-22/..", answer="Altman", n=4, known_day=d("2023-11-22"))]


@pytest.mark.parametrize(("day", "known", "expected"), [
    ("2023-11-16", KNOWN_NOW, {"altman": ("HOLDS", None, ())}),
    ("2023-11-18", KNOWN_NOW, {"murati": ("HOLDS", None, ())}),
    ("2023-11-21", KNOWN_NOW, {"shear": ("HOLDS", None, ())}),
    ("2023-12", KNOWN_NOW, {"back": ("HOLDS", None, ())}),
    ("2023-12", d("2023-11-19"), {"murati": ("HOLDS", None, ())}),
])
def test_reference_inertia(day: str, known: int, expected: dict[str, Any]) -> None:
    assert facts(INERTIA, day, known) == expected


def test_reference_two_tenures_are_two_facts_not_a_dispute() -> None:
    """Altman's first tenure (cut by Murati) and his return give one slot and answer, but
    their dates lie apart: two episodes, each its own fact."""
    found = rules.reference_facts(INERTIA, {}, {"p": "subject"}, d("2020"), KNOWN_NOW)
    assert [(f.claim.id, f.status, f.accounts) for f in found] == [("altman", "HOLDS", ())]


def test_reference_a_deprecated_claim_cuts_nothing() -> None:
    reranks = {"murati": [(d("2024-01"), 9, "deprecated")]}
    assert facts(INERTIA, "2023-11-18", KNOWN_NOW, reranks) == {"altman": ("HOLDS", None, ())}
    assert facts(INERTIA, "2023-11-18", d("2023-12"), reranks) == {"murati": ("HOLDS", None, ())}


def test_reference_a_fuzzy_change_is_maybe_for_both_and_not_contested() -> None:
    claims = [claim("altman", "2019-03/..", answer="Altman", n=1),
              claim("murati", "2023-11~/..", answer="Murati", n=2)]
    assert facts(claims, "2023-10-01") == {"altman": ("MAYBE", "murati", ()),
                                           "murati": ("MAYBE", None, ())}
    assert facts(claims, "2023-12-31") == {"murati": ("HOLDS", None, ())}


def test_reference_an_unknown_end_cut_keeps_its_earliest_end() -> None:
    claims = [claim("ann", "2019/", answer="Ann", n=1),
              claim("bea", "2020-06~/..", answer="Bea", n=2)]
    assert facts(claims, "2020-06-15") == {"ann": ("MAYBE", "bea", ()),
                                           "bea": ("MAYBE", None, ())}
    [ann, _] = rules.reference_facts(claims, {}, {"p"}, d("2020-06-15"), KNOWN_NOW)
    assert (ann.end_lo, ann.end_hi) == (d("2019-01-01") + 1, d("2020-07-31"))


def test_reference_preferred_outranks_and_two_preferred_contest() -> None:
    shear = claim("shear", "2023-11-20/2023-11-22", answer="Shear", n=1,
                  known_day=d("2023-11-20"))
    altman = claim("altman", "2023-11-21/2023-11-29", answer="Altman", n=2,
                   known_day=d("2023-12"), position=2)
    reranks = {"altman": [(d("2024-06"), 3, "preferred")],
               "shear": [(d("2024-07"), 4, "preferred")]}
    both = {"shear": ("CONTESTED", None, ("altman",)), "altman": ("CONTESTED", None, ("shear",))}
    assert facts([shear, altman], "2023-11-21", d("2024-05"), reranks) == both
    assert facts([shear, altman], "2023-11-21", d("2024-06"), reranks) == {
        "altman": ("HOLDS", None, ())}
    assert facts([shear, altman], "2023-11-21", KNOWN_NOW, reranks) == both


def test_reference_a_preferred_claim_does_not_hide_its_replacement() -> None:
    """Preferred outranks a disagreement, not a change: during Murati's fuzzy start both are
    shown, handing over."""
    claims = [claim("altman", "2019-03/..", answer="Altman", n=1, rank="preferred"),
              claim("murati", "2023-11~/..", answer="Murati", n=2)]
    assert facts(claims, "2023-11-15") == {"altman": ("MAYBE", "murati", ()),
                                           "murati": ("MAYBE", None, ())}


# --- facts and accounts: refinement, dispute, handover, offices ---------------------------------


def test_accounts_that_agree_refine_one_fact() -> None:
    """1848~ and 1848-03-15 of one fact: one fact that begins 1848-03-15, citing both."""
    claims = [claim("vague", "1848~/..", answer="x", n=1),
              claim("exact", "1848-03-15/..", answer="x", n=2)]
    assert facts(claims, "1848-03-14") == {}
    [fact] = rules.reference_facts(claims, {}, {}, d("1848-03-15"), KNOWN_NOW)
    assert (fact.claim.id, fact.status, fact.start_lo, fact.start_hi) == (
        "vague", "HOLDS", d("1848-03-15"), d("1848-03-15"))
    # each account keeps its own status; the fact's is their refinement's
    assert [(a.claim.id, a.status) for a in fact.accounts] == [("vague", "MAYBE"),
                                                                 ("exact", "HOLDS")]
    assert fact.disputes == ()


def test_accounts_that_disagree_on_a_start_are_disputed_where_they_differ() -> None:
    claims = [claim("a", "2023-11-19/..", answer="X", n=1),
              claim("b", "2023-11-19/..", answer="X", n=2),
              claim("c", "2023-11-20/..", answer="X", n=3)]
    assert facts(claims, "2023-11-18") == {}
    assert facts(claims, "2023-11-19") == {"a": ("DISPUTED", None, ())}
    assert facts(claims, "2023-11-20") == {"a": ("HOLDS", None, ())}
    [fact] = rules.reference_facts(claims, {}, {}, d("2023-11-19"), KNOWN_NOW)
    assert [(x.edge, [(text, ids) for text, ids, _ in x.dates]) for x in fact.disputes] == [
        ("start", [("2023-11-19", ("a", "b")), ("2023-11-20", ("c",))])]


def test_an_exact_date_outside_a_vague_one_is_a_dispute() -> None:
    """Tied as one happening, "October 2023" and 17 November disagree; untied, dates that
    lie apart are two happenings; "about October 2023" reaches into November and is refined."""
    tied = [claim("vague", "2023-10", answer="X", n=1),
            claim("exact", "2023-11-17", answer="X", n=2, tie="vague")]
    assert facts(tied, "2023-10-15", sides={}) == {"vague": ("DISPUTED", None, ())}
    assert facts(tied, "2023-11-17", sides={}) == {"vague": ("DISPUTED", None, ())}
    apart = [claim("vague", "2023-10", answer="X", n=1),
             claim("exact", "2023-11-17", answer="X", n=2)]
    assert facts(apart, "2023-10-15", sides={}) == {"vague": ("MAYBE", None, ())}
    assert facts(apart, "2023-11-17", sides={}) == {"exact": ("HOLDS", None, ())}
    about = [claim("vague", "2023-10~", answer="X", n=1),
             claim("exact", "2023-11-17", answer="X", n=2)]
    assert facts(about, "2023-10-15", sides={}) == {}
    assert facts(about, "2023-11-17", sides={}) == {"vague": ("HOLDS", None, ())}


def test_a_predecessor_of_a_disputed_start_has_a_disputed_end() -> None:
    claims = [claim("old", "2019/..", answer="Ines", n=1),
              claim("new1", "2023-11-19/..", answer="Tomas", n=2),
              claim("new2", "2023-11-20/..", answer="Tomas", n=3)]
    assert facts(claims, "2023-11-18") == {"old": ("HOLDS", None, ())}
    assert facts(claims, "2023-11-19") == {"old": ("DISPUTED", "new1", ()),
                                           "new1": ("DISPUTED", None, ())}
    assert facts(claims, "2023-11-20") == {"new1": ("HOLDS", None, ())}


@pytest.mark.parametrize(("before", "after", "day", "expected"), [
    # a same-day handover: a change, both hold that day
    ("../2023-11-17", "2023-11-17/..", "2023-11-17", {"a": ("HOLDS", None, ()),
                                                      "b": ("HOLDS", None, ())}),
    # ended some day of November, the other began on the 17th: a change
    ("2019/2023-11", "2023-11-17/..", "2023-11-25", {"a": ("MAYBE", None, ()),
                                                     "b": ("HOLDS", None, ())}),
    # overlapping for a year: contested
    ("2019/2023", "2022/..", "2022-06", {"a": ("CONTESTED", None, ("b",)),
                                         "b": ("CONTESTED", None, ("a",))}),
])
def test_handover(before: str, after: str, day: str, expected: dict[str, Any]) -> None:
    claims = [claim("a", before, answer="A", n=1), claim("b", after, answer="B", n=2)]
    assert facts(claims, day) == expected
    changing = {f.claim.id: f.handover_with
                for f in rules.reference_facts(claims, {}, {"p": "subject"}, d(day), KNOWN_NOW)}
    if "CONTESTED" not in {status for status, *_ in expected.values()}:
        assert changing == {"a": ("b",), "b": ("a",)}


def test_an_office_is_single_per_object() -> None:
    """``leads`` single per object: one leader per company; a person leading two bodies
    ends nothing."""
    claims = [claim("ines", "2019/..", subject_id="Ines", object_id="Halden",
                    answer="entity:Halden", n=1),
              claim("tomas", "2023-11-19/..", subject_id="Tomas", object_id="Halden",
                    answer="entity:Halden", n=2),
              claim("ines2", "2021/..", subject_id="Ines", object_id="Corvid",
                    answer="entity:Corvid", n=3)]
    office = {"p": "object"}
    assert facts(claims, "2023-11-18", sides=office) == {"ines": ("HOLDS", None, ()),
                                                         "ines2": ("HOLDS", None, ())}
    assert facts(claims, "2023-11-19", sides=office) == {"tomas": ("HOLDS", None, ()),
                                                         "ines2": ("HOLDS", None, ())}
    # single per subject instead: Ines's second post ends her first by inertia
    assert facts(claims, "2022", sides={"p": "subject"}) == {"ines2": ("HOLDS", None, ())}
    # both: both rules
    assert facts(claims, "2022", sides={"p": "both"}) == {"ines2": ("HOLDS", None, ())}


def test_two_holders_of_an_office_at_once_are_contested() -> None:
    claims = [claim("a", "2019/2024", subject_id="A", object_id="Co", answer="entity:Co", n=1),
              claim("b", "2022/2025", subject_id="B", object_id="Co", answer="entity:Co", n=2)]
    assert facts(claims, "2023", sides={"p": "object"}) == {"a": ("CONTESTED", None, ("b",)),
                                                            "b": ("CONTESTED", None, ("a",))}


def test_an_account_of_ties_differently_worded_claims() -> None:
    claims = [claim("fired", "2023-11-17", subject_id="Board", predicate="fired",
                    object_id="Altman", answer="entity:Altman", n=1),
              claim("ousted", "2023-11-17~", subject_id="Altman", predicate="ousted_from",
                    object_id="OpenAI", answer="entity:OpenAI", n=2, tie="fired")]
    [fact] = rules.reference_facts(claims, {}, {}, d("2023-11-17"), KNOWN_NOW)
    assert fact.claim.id == "fired" and [a.claim.id for a in fact.accounts] == [
        "fired", "ousted"]
    assert facts(claims, "2023-11-12", sides={}) == {}  # refined to the exact day


# --- one status everywhere ------------------------------------------------------------------------

#: Days on the bounds of ``BOUNDS`` and between them.
DAYS = st.sampled_from([d("2019-01-01"), d("2019-01-02"), d("2019"), d("2020-01-02"),
                        d("2020-05-01"), d("2020-06-10"), d("2020-06-15"), d("2020-06-16"),
                        d("2020-06"), d("2021"), BCE])
BOUNDS = st.sampled_from(["2019/..", "2019/", "2020-06~/..", "2020-06-15/..", "2019/2020",
                          "2020-06-15", "../2020", "/2020", "../..", "-0048/..",
                          "-0043-03-15/..", "2021-01-01/2021-06"])


@st.composite
def plain_claims(draw: st.DrawFn) -> list[Plain]:
    count = draw(st.integers(1, 10))
    found: list[Plain] = []
    for k in range(count):
        obj = draw(st.sampled_from(["E", "F", None]))
        found.append(claim(
            f"c{k}", draw(BOUNDS), n=k, position=k, answer=draw(st.sampled_from("xyz")),
            subject_id=draw(st.sampled_from("SST")), object_id=obj,
            predicate=draw(st.sampled_from("ppq")),
            slot_object=draw(st.sampled_from(["", "", "O"])),
            rank=draw(st.sampled_from(["normal", "normal", "preferred", "deprecated"])),
            known_day=draw(DAYS),
            withdrawn_day=draw(st.sampled_from([POS_INF, POS_INF, d("2020-06-15")])),
            tie=draw(st.sampled_from([None, None, None, *[f"c{j}" for j in range(k)]]))))
    return found


@settings(max_examples=500, deadline=None)
@given(plain_claims(), DAYS, st.one_of(st.just(KNOWN_NOW), DAYS),
       st.sampled_from(["subject", "object", "both"]))
def test_a_fact_s_status_does_not_depend_on_the_selection(
        claims: list[Plain], day: int, known: int, side: str) -> None:
    world = {f.claim.id: f for f in rules.reference_facts(claims, {}, {"p": side}, day, known)}
    for groups in ([frozenset("S")], [frozenset("E")], [frozenset("S"), frozenset("E")],
                   [frozenset("T"), frozenset("F")]):
        for fact in rules.reference_facts(claims, {}, {"p": side}, day, known, groups):
            assert fact == world[fact.claim.id]


def test_the_rules_import_no_storage() -> None:
    """The rules are plain functions of plain values: no SQL, no store, no read model."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "functools", "collections.abc", "typing",
                        "timeline.asof.claims", "timeline.asof.facts", "timeline.dates"}
