"""How a fact's accounts read on screen: its sources by name, who says it began or ended when,
and a change of hands.

A fact of the engine's answer (``FactView``) may gather several *accounts* — claims that tell
of the same happening, each with its own dates, certainty and citations
(``timeline.api.accounts_of``). Where they disagree on when, the fact's ``disputes`` say who
gives which date (its status is DISPUTED where that decides whether it holds on the day), and
a fact that hands over to another on the day (``handover_with``) is *changing*. The engine
decides all of that; this module only words it, with sources by their short names
("began 19 Nov per Varga out at Halden, What happened; 20 Nov per The four days"). Pure
Python: no Qt.
"""

from __future__ import annotations

from collections.abc import Callable

from timeline.api import (
    DateError,
    Fact,
    FactView,
    accounts_of,
    fact_valid,
    human_date,
    parse_date,
    valid_text,
    via_text,
)

#: The marker of a fact that changes hands on the day (a handover).
CHANGING = "⇄ changing"

_EDGE_WORDS = {"start": "began", "end": "ended"}
_STATUS_WORDS = {"NOT": "not on this day"}
_CACHE_LIMIT = 2_000

Namer = Callable[[str], str]


def _same(text: str) -> str:
    return text


def source_ids(fact: Fact) -> list[str]:
    """The ids of the sources of every account of a fact, each once, in the accounts' order."""
    return list(dict.fromkeys(c["source"] for a in accounts_of(fact) for c in a.claim.sources))


def _dates_in_words(texts: list[str]) -> list[str]:
    """Dates of one dispute as people read them: "19 Nov 2031" for a day ("19 Nov" when all
    are days of one year: the row says which), the EDTF text for anything less exact."""
    parsed = []
    for text in texts:
        try:
            found = parse_date(text) if text else None
        except DateError:
            found = None
        exact = found is not None and found.precision == "day" and not found.qualified
        parsed.append(found if exact else None)
    days = [p for p in parsed if p is not None]
    one_year = len(days) == len(texts) and len({d.first_parts[0] for d in days}) == 1
    out = []
    for text, found in zip(texts, parsed, strict=True):
        if found is None:
            out.append(text or "an unknown date")
        else:
            words = human_date(found.lo, short=True)
            out.append(words.rsplit(" ", 1)[0] if one_year else words)
    return out


def dispute_line(fact: Fact, name: Namer = _same) -> str:
    """Who says what where a fact's accounts disagree on when: "began 19 Nov per A, B;
    20 Nov per C" (sources by ``name``, or the claims' ids when they cite none); "" when they
    agree."""
    parts: dict[str, None] = {}
    for dispute in fact.disputes:
        texts = [text for text, _, _ in dispute.dates]
        words = _dates_in_words(texts)
        said = "; ".join(
            f"{when} per {', '.join(dict.fromkeys(name(s) for s in sources)) or ', '.join(ids)}"
            for when, (_, ids, sources) in zip(words, dispute.dates, strict=True))
        parts[f"{_EDGE_WORDS.get(dispute.edge, dispute.edge)} {said}"] = None
    return "; ".join(parts)


class FactNotes:
    """The words a state panel row, its tooltip and the citation panel add to a fact's
    sentence, with sources named by ``source_name`` and other facts by ``statement_of`` (a
    claim id -> its sentence). A row's note is kept per fact, so that painting asks for it
    at no cost."""

    def __init__(self, source_name: Namer = _same, statement_of: Namer = _same) -> None:
        self.source_name = source_name
        self.statement_of = statement_of
        self._notes: dict[int, tuple[FactView, str]] = {}

    def sources(self, fact: Fact) -> list[str]:
        """The short names of the sources of every account of a fact, each once."""
        return list(dict.fromkeys(self.source_name(s) for s in source_ids(fact)))

    def dispute(self, fact: Fact) -> str:
        return dispute_line(fact, self.source_name)

    def changing(self, fact: Fact) -> str:
        """'⇄ changing with: Tomas Brell leads Halden Robotics' for a fact that hands over to
        (or takes over from) another on the day; "" otherwise."""
        if not fact.handover_with:
            return ""
        others = "; ".join(self.statement_of(claim_id) for claim_id in fact.handover_with)
        return f"{CHANGING} with: {others}"

    def note(self, view: FactView) -> str:
        """The lines under a fact's sentence: its sources by name when it has several
        accounts (unless who says what names them all), who says what when they disagree, a
        change of hands, and the part it comes through ("via Stargate"); "" for a fact of one
        account with nothing to add."""
        fact = view.fact
        if not (fact.accounts or fact.disputes or fact.handover_with):
            return via_text(view)  # most facts: nothing to look up
        found = self._notes.get(id(view))
        if found is not None and found[0] is view:
            return found[1]
        lines = []
        disputed = {s for d in fact.disputes for _, _, sources in d.dates for s in sources}
        if len(fact.accounts) > 1 and not set(source_ids(fact)) <= disputed:
            # (A dispute that names every source of the fact names them already.)
            lines.append("per " + (", ".join(self.sources(fact)) or "no source cited"))
        for line in (self.dispute(fact), self.changing(fact), via_text(view)):
            if line:
                lines.append(line)
        text = "\n".join(lines)
        if len(self._notes) > _CACHE_LIMIT:
            self._notes.clear()
        self._notes[id(view)] = (view, text)  # the view kept: its id is not reused meanwhile
        return text

    def account_lines(self, fact: Fact) -> list[str]:
        """One line per account: its valid time, its status on the day, its certainty and
        its sources ("2031-11-19/.. · HOLDS · certainty 0.9 · per Varga out at Halden")."""
        lines = []
        for account in accounts_of(fact):
            claim = account.claim
            names = ", ".join(dict.fromkeys(self.source_name(c["source"])
                                            for c in claim.sources)) or "no source cited"
            status = _STATUS_WORDS.get(account.status, account.status)
            lines.append(f"{valid_text(claim.valid, claim.calendar)} · {status} · "
                         f"certainty {claim.certainty:g} · "
                         f"per {names}")
        return lines

    def tooltip_lines(self, view: FactView) -> list[str]:
        """What a fact's tooltip adds about its accounts, disputes and change of hands."""
        fact = view.fact
        lines = [f"Sources: {', '.join(self.sources(fact)) or 'none cited'}"]
        if len(accounts_of(fact)) > 1:
            lines.append(f"{len(fact.accounts)} accounts:")
            lines.extend(f"  • {line}" for line in self.account_lines(fact))
            if fact_valid(fact) != fact.claim.valid:
                together = valid_text(fact_valid(fact), fact.claim.calendar)
                lines.append(f"Together they date it {together}")
        dispute = self.dispute(fact)
        if dispute:
            lines.append(f"Disputed: {dispute}")
        changing = self.changing(fact)
        if changing:
            lines.append(changing)
        return lines
