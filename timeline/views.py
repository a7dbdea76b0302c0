"""Answers as plain data: a fact ready to show, the state on a day, the difference between
two days, and a claim's sentence.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from timeline import dates
from timeline.asof.claims import ClaimRow
from timeline.asof.rules import CONTESTED, Account, Fact
from timeline.errors import InvalidInput

if TYPE_CHECKING:
    from timeline.app import Archive


@dataclass(frozen=True)
class FactView:
    """A fact of the state, ready to show: names resolved, sentence written."""

    fact: Fact
    subject: str
    object: str | None
    statement: str
    #: In one entity's state: the part of it this fact comes through (its name), or None for
    #: the entity's own facts; ``via_status`` says whether it is surely a part on the day
    #: (HOLDS) or maybe (MAYBE). See ``timeline.parts``.
    via: str | None = None
    via_status: str | None = None
    #: The fact's tags: its accounts' claims' and its cited sources' (``timeline.tagging``).
    tags: tuple[str, ...] = ()

    @property
    def claim(self) -> ClaimRow:
        return self.fact.claim

    @property
    def status(self) -> str:
        return self.fact.status

    @property
    def sources(self) -> list[dict[str, str]]:
        """The citations of every account of the fact (``fact_citations``)."""
        return fact_citations(self.fact)

    def to_json(self) -> dict[str, Any]:
        """The fact as ``as-of --format json`` writes it; with ``calendar`` when its valid time
        is not written in the Gregorian calendar (a Gregorian one is written as before)."""
        claim = self.claim
        out = {
            "id": claim.id,
            "subject": self.subject,
            "predicate": claim.predicate,
            "object": self.object,
            "value": claim.value if claim.value is not None else self.object,
            "valid": fact_valid(self.fact),
            "status": self.fact.status,
            "temporal_status": self.fact.temporal.value,
            "statement": self.statement,
            "certainty": claim.certainty,
            "rank": self.fact.rank,
            "known_at": claim.known_at,
            "ended_by": self.fact.ended_by,
            "contested_with": list(self.fact.contested_with),
            "sources": fact_citations(self.fact),
            "accounts": [{"claim": a.claim.id, "valid": a.claim.valid, "status": a.status,
                          "certainty": a.claim.certainty, "sources": a.claim.sources}
                         for a in accounts_of(self.fact)],
            "disputes": [{"edge": d.edge, "dates": [
                {"date": text, "claims": list(ids), "sources": list(sources)}
                for text, ids, sources in d.dates]} for d in self.fact.disputes],
            "disputed": dispute_text(self.fact),
            "changing": bool(self.fact.handover_with),
            "handover_with": list(self.fact.handover_with),
            "via": self.via, "via_status": self.via_status,
            "tags": list(self.tags),
        }
        if claim.calendar != "gregorian":
            out["calendar"] = claim.calendar
        return out


def accounts_of(fact: Fact) -> tuple[Account, ...]:
    """Every account of a fact: its accounts, or its one claim as its one account."""
    if fact.accounts:
        return fact.accounts
    status = fact.temporal.value if fact.status == CONTESTED else fact.status
    return (Account(fact.claim, status, fact.end_lo, fact.end_hi),)


def fact_citations(fact: Fact) -> list[dict[str, str]]:
    """The citations of all a fact's accounts, each once, in the accounts' order."""
    if not fact.accounts:
        return fact.claim.sources
    seen: set[tuple[str, str]] = set()
    out = []
    for account in fact.accounts:
        for cite in account.claim.sources:
            key = (cite["source"], cite["quote"])
            if key not in seen:
                seen.add(key)
                out.append(cite)
    return out


def fact_valid(fact: Fact) -> str:
    """A fact's valid time: its claim's; when accounts refine each other, the start of the
    account with the narrowest start and the end of the one with the narrowest end (when the
    accounts are written in one calendar, the claim's: ``fact.claim.calendar``)."""
    claims = [a.claim for a in fact.accounts]
    if fact.start_lo is None or not claims or any(
            c.calendar != fact.claim.calendar for c in claims):
        return fact.claim.valid
    start = min(claims, key=lambda c: (c.start_hi - c.start_lo, c.n))
    end = min(claims, key=lambda c: (c.end_hi - c.end_lo, c.n))
    calendar = fact.claim.calendar
    lower = dates.interval_sides(start.valid, calendar)[0]
    upper = dates.interval_sides(end.valid, calendar)[1]
    if lower == upper and start is end and start.valid == lower:
        return start.valid  # one account gives both: a single date stays one
    return f"{lower}/{upper}"


_EDGE_WORDS = {"start": "began", "end": "ended"}


def dispute_text(fact: Fact, names: Mapping[str, str] | None = None,
                 words: Callable[[str], str] | None = None) -> str:
    """Who says what where a fact's accounts disagree: "began 2023-11-19 per s1, s2;
    2023-11-20 per s3" (sources by id, or by ``names[id]`` when given; claims when they cite
    none); "" when they agree. ``words``: each date as it is written in words (a report's
    "19 November 2023")."""
    named = names or {}
    shown = words or str
    parts = []
    for d in fact.disputes:
        said = "; ".join(
            f"{shown(text) if text else 'unknown'} per "
            f"{', '.join([named.get(s, s) for s in sources] if sources else ids)}"
            for text, ids, sources in d.dates)
        parts.append(f"{_EDGE_WORDS.get(d.edge, d.edge)} {said}")
    return "; ".join(parts)


@dataclass(frozen=True)
class State:
    as_of: int
    known_as_of: int | None
    entities: tuple[dict[str, Any], ...]
    facts: tuple[FactView, ...]
    #: The moment the archive is shown as recorded on (ISO 8601, UTC), or None: everything
    #: recorded (``Archive.as_recorded``).
    recorded_as_of: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": dates.day_to_iso(self.as_of),
            "known_as_of": (dates.day_to_iso(self.known_as_of)
                            if self.known_as_of is not None else None),
            "recorded_as_of": self.recorded_as_of,
            "entity": self.entities[0] if len(self.entities) == 1 else None,
            "entities": list(self.entities),
            "facts": [f.to_json() for f in self.facts],
        }


def fact_key(view: FactView) -> str:
    """What makes two facts of two states the same fact (a diff, the transitions)."""
    return view.claim.id


@dataclass(frozen=True)
class Transition:
    """One change of the state on a day: a fact ``kind`` ("began", "ended", "changed",
    "settled", or the lower-case name of the status it took, such as "contested"), its status
    the day before (``from_status``) and on the day (``to_status``); None when it was not or is
    no longer in the state. ``fact`` is the fact as it is on the day (as it was, once ended)."""

    day: int
    kind: str
    fact: FactView
    from_status: str | None
    to_status: str | None

    @property
    def statement(self) -> str:
        return self.fact.statement

    def to_json(self) -> dict[str, Any]:
        return {"day": dates.day_to_iso(self.day), "kind": self.kind,
                "id": fact_key(self.fact), "statement": self.fact.statement,
                "from": self.from_status, "to": self.to_status}


@dataclass(frozen=True)
class Diff:
    """The states on two days, what differs between them, and (``transitions``) every
    change of the state on the days between, in day order."""

    before: State
    after: State
    began: tuple[FactView, ...]
    ended: tuple[FactView, ...]
    changed: tuple[tuple[FactView, FactView], ...]
    transitions: tuple[Transition, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "from": dates.day_to_iso(self.before.as_of),
            "to": dates.day_to_iso(self.after.as_of),
            "known_as_of": self.after.to_json()["known_as_of"],
            "recorded_as_of": self.after.recorded_as_of,
            "began": [f.to_json() for f in self.began],
            "ended": [f.to_json() for f in self.ended],
            "changed": [{"id": a.claim.id, "statement": b.statement, "from": a.status,
                         "to": b.status} for a, b in self.changed],
            "transitions": [t.to_json() for t in self.transitions],
        }


#: The only placeholders a predicate label may hold; every other brace is a brace.
_PLACEHOLDER = re.compile(r"\{(subject|object|value)\}")


_FIELD = {"subject": 0, "object": 1, "value": 2}


@lru_cache(maxsize=1024)
def _template(label: str) -> tuple[str | int, ...] | None:
    """A label as literal texts and placeholders (0 subject, 1 object, 2 value), in order (a
    label has few distinct values: split once); None when it has no placeholder."""
    if "{" not in label:
        return None
    parts = _PLACEHOLDER.split(label)
    if len(parts) == 1:
        return None
    return tuple(_FIELD[part] if k % 2 else part for k, part in enumerate(parts) if part)


def is_template(label: str) -> bool:
    """Whether a predicate label is a sentence template: it holds ``{subject}``, ``{object}``
    or ``{value}``. Any other brace is literal text (``render_statement``)."""
    return _template(label) is not None


def render_statement(subject: str, label: str, obj: str | None, value: str | None) -> str:
    """A plain sentence. A label is data: when it is a template, its exact placeholders
    ``{subject}``, ``{object}`` and ``{value}`` are replaced (once, in one pass: a name holding
    ``{value}`` stays as it is), and everything else is kept literally — no format specs,
    fields or attribute access; otherwise the sentence is "subject label object: value".
    A label with no value leaves no trailing colon: an empty or blank value adds nothing, and
    a template that ends in an empty placeholder loses the colon before it."""
    parts = _template(label)
    if parts is not None:
        fill = (subject, obj or "", value or "")
        text = "".join([fill[p] if isinstance(p, int) else p for p in parts]).strip()
        last = parts[-1]
        if isinstance(last, int) and not fill[last].strip():
            text = text.rstrip(_DANGLING)
        return text
    sentence = f"{subject} {label}"
    if obj:
        sentence += f" {obj}"
    if value and not value.isspace():
        sentence += f": {value}"
    return sentence


#: What a sentence may not end in when the placeholder after it was empty.
_DANGLING = " \t\n:;,"



_NO_PREDICATE = ("", "")  # (label, single side) of a predicate never declared
_first = operator.itemgetter(0)


def label_of(predicate: str, predicates: Mapping[str, tuple[str, str]]) -> str:
    """A predicate's label, or its name in words when it has none."""
    return predicates.get(predicate, _NO_PREDICATE)[0] or predicate.replace("_", " ")


def fact_view(fact: Fact, names: Mapping[str, str],
              predicates: Mapping[str, tuple[str, str]]) -> FactView:
    claim = fact.claim
    subject = names.get(claim.subject_id, claim.subject_id)
    obj = names.get(claim.object_id) if claim.object_id else None
    label = label_of(claim.predicate, predicates)
    return FactView(fact, subject, obj, render_statement(subject, label, obj, claim.value))


def statement(claim: ClaimRow, names: Mapping[str, str],
              predicates: Mapping[str, tuple[str, str]]) -> str:
    """The plain sentence for a claim, whatever its status on any day."""
    fact = Fact(claim, "", dates.Status.NOT, claim.rank, claim.end_lo, claim.end_hi)
    return fact_view(fact, names, predicates).statement


def fact_views(facts: Iterable[Fact], names: Mapping[str, str],
               predicates: Mapping[str, tuple[str, str]]) -> list[FactView]:
    """``fact_view`` for many facts, in the order of an answer: by subject, predicate, start."""
    # An answer's facts share a few subjects and predicates: each looked up once.
    subjects: dict[str, tuple[str, str]] = {}
    labels: dict[str, str] = {}
    keyed = []
    new = object.__new__
    for fact in facts:
        claim = fact.claim
        found = subjects.get(claim.subject_id)
        if found is None:
            name = names.get(claim.subject_id, claim.subject_id)
            found = subjects[claim.subject_id] = (name, name.casefold())
        subject, folded = found
        obj = names.get(claim.object_id) if claim.object_id else None
        label = labels.get(claim.predicate)
        if label is None:
            label = labels[claim.predicate] = label_of(claim.predicate, predicates)
        view = new(FactView)  # FactView(...) without a frozen dataclass's setattr calls
        fields = view.__dict__
        fields["fact"], fields["subject"], fields["object"] = fact, subject, obj
        fields["statement"] = render_statement(subject, label, obj, claim.value)
        keyed.append(((folded, claim.predicate, claim.start_lo, claim.id), view))
    keyed.sort(key=_first)
    return [view for _, view in keyed]


@dataclass(frozen=True)
class Selection:
    """Which claims an export (or a report) holds: the ``--as-of``, ``--entity`` and ``--tag``
    filters.

    With ``as_of``, the facts of the state on that day (HOLDS, MAYBE or CONTESTED, by
    everything known now); otherwise every claim, in valid-time order. With ``entity`` (a name
    or an alias), only claims whose subject or object it is. With ``tags``, only the facts
    that have one of them (``timeline.tagging``: on a claim of theirs or a source they cite).
    """

    as_of: str | None = None
    entity: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def filtered(self) -> bool:
        return self.as_of is not None or self.entity is not None or bool(self.tags)

    def facts(self, archive: Archive, *, withdrawn: bool = False) -> list[FactView]:
        """The selected claims, ready to show. Withdrawn (retracted or superseded) claims are
        left out unless ``withdrawn``; they are never part of a state."""
        if self.as_of is not None:
            try:
                state = archive.as_of(self.as_of, None, [self.entity] if self.entity else (),
                                      tags=self.tags)
            except InvalidInput as exc:
                raise InvalidInput(exc.message, "as_of" if exc.field == "date" else exc.field
                                   ) from None
            return list(state.facts)
        return archive.claim_views(self.entity, withdrawn=withdrawn, tags=self.tags)


def is_withdrawn(claim: ClaimRow) -> bool:
    """Retracted or superseded, as known now (the claim stays in the record)."""
    return claim.withdrawn_day != dates.POS_INF


def edge_value(claim: ClaimRow, predicates: Mapping[str, tuple[str, str]]) -> str | None:
    """What a relationship claim says of its edge beyond who relates to whom: its value when
    that value is the relationship's state — a single-valued predicate between two entities
    ("relationship with: close allies"), whose later answers replace it — else None (another
    value is part of the claim's sentence only; a blank value is none)."""
    if not (claim.object_id and claim.value) or claim.value.isspace():
        return None
    return claim.value if predicates.get(claim.predicate, _NO_PREDICATE)[1] else None
