"""A printable report of the state on a date (docs/reports.md): the question it answers, the
facts grouped by entity with their statuses, dates in words, accounts and disputes, the
transitions over a period, footnoted quotations and a bibliography in a CSL style.

:func:`build_report` asks the archive its usual questions (``Archive.as_of``,
``Archive.transitions``) and keeps the answers as plain data (:class:`Report`); no rule is
restated here. ``timeline.report_render`` writes a report as Markdown or HTML,
``timeline.report_cite`` renders its bibliography.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from timeline import __version__, dates
from timeline.app import query_day
from timeline.datewords import human_date
from timeline.datewords import words_or_text as words
from timeline.errors import InvalidInput
from timeline.parts import via_text
from timeline.report_cite import DEFAULT_STYLE, bibliography, items_for
from timeline.sourcefiles import page_label, quote_page
from timeline.sourcenames import short_source_names
from timeline.tagging import tag_keys, with_tag
from timeline.transitions import MAX_DAYS
from timeline.views import FactView, State, accounts_of, dispute_text, fact_valid

if TYPE_CHECKING:
    from timeline.app import Archive

#: The default period of the transitions: this many days up to the report's date.
DEFAULT_PERIOD_DAYS = 365

#: What each status means, in a sentence (docs/time-model.md).
STATUS_WORDS: dict[str, str] = {
    "HOLDS": "held on the day, by every date its sources give",
    "MAYBE": "may have held: its uncertain dates reach the day",
    "DISPUTED": "its accounts disagree on when it began or ended",
    "CONTESTED": "sources disagree on what it was",
}


@dataclass(frozen=True)
class Note:
    """A footnote: a quotation from a source, numbered in the order the report cites it."""

    number: int
    source: str  # the source's id
    name: str  # its short name, unique within the report
    published: str  # when it was published, in words
    quote: str
    page: str = ""  # the page of the source the quote is on ("p. 12"), when it has pages

    @property
    def where(self) -> str:
        """When it was published, and its page: "2 May 2025, p. 12"."""
        return ", ".join(p for p in (self.published, self.page) if p)


@dataclass(frozen=True)
class ReportAccount:
    """One account of a fact: its dates (as given and in words), its status on the day, its
    certainty and the footnotes of its quotations."""

    valid: str
    valid_words: str
    status: str
    certainty: float
    notes: tuple[int, ...]


@dataclass(frozen=True)
class ReportFact:
    statement: str
    status: str
    valid: str
    valid_words: str
    accounts: tuple[ReportAccount, ...]
    disputed: str  # who says what, where its accounts disagree ("" when they agree)
    contested_with: tuple[str, ...]  # the statements of the facts it is contested with
    via: str  # "via Stargate" for a fact that comes through a part
    notes: tuple[int, ...]  # every footnote of its accounts, each once

    @property
    def status_words(self) -> str:
        return STATUS_WORDS.get(self.status, self.status.lower())


@dataclass(frozen=True)
class Section:
    """The facts of the state about one entity (their subject)."""

    entity: str
    facts: tuple[ReportFact, ...]


@dataclass(frozen=True)
class Change:
    """A transition of the period: on ``day`` a fact began, ended, changed status…"""

    day: int
    day_words: str
    kind: str
    statement: str
    from_status: str | None
    to_status: str | None


@dataclass(frozen=True)
class Entry:
    """A bibliography entry: the source's id, its short name and the text in the style, its
    emphasis between ``report_cite.MARKS``."""

    source: str
    name: str
    text: str


@dataclass(frozen=True)
class Report:
    """A report, ready to render. Days are day numbers (``timeline.dates``)."""

    title: str
    question: str
    as_of: int
    known_as_of: int | None
    entities: tuple[str, ...]
    sections: tuple[Section, ...]
    period: tuple[int, int]
    changes: tuple[Change, ...]
    changes_skipped: str  # why the transitions are not listed ("" when they are)
    notes: tuple[Note, ...]
    bibliography: tuple[Entry, ...]
    style: str
    made: str  # "Made with Hindsight 1.2 on 3 May 2025"
    remarks: tuple[str, ...] = ()  # said at the top (a figure left out, and why)
    tags: tuple[str, ...] = ()  # only the facts with one of these (none: every fact)

    @property
    def period_words(self) -> str:
        return f"{human_date(self.period[0] + 1)} – {human_date(self.period[1])}"

    @property
    def fact_count(self) -> int:
        return sum(len(s.facts) for s in self.sections)


def _names(entities: Sequence[str]) -> str:
    if len(entities) <= 2:
        return " and ".join(entities)
    return f"{', '.join(entities[:-1])} and {entities[-1]}"


def _day_words(text: str | None, day: int) -> str:
    """A query date as the user wrote it, in words, and the day it stands for when it
    covers more than one: 'November 2023 (its last day, 30 November 2023)'."""
    exact = human_date(day)
    if text is None:
        return exact
    said = words(text.strip())
    return said if said == exact else f"{said} (its last day, {exact})"


def question(entities: Sequence[str], as_of: str | None, as_of_day: int,
             known_as_of: str | None, known_day: int | None, tags: Sequence[str] = ()) -> str:
    """The question a report answers, in words."""
    if not entities:
        who = "What held"
    elif len(entities) == 1:
        who = f"What held for {entities[0]} and its parts"
    elif len(entities) == 2:
        who = f"What held between {_names(entities)}"
    else:
        who = f"What held among {_names(entities)}"
    if tags:
        who += " in what is tagged " + " or ".join(f"‘{t}’" for t in tags)
    when = f"as of {_day_words(as_of, as_of_day)}"
    known = ("by everything the archive records" if known_day is None
             else f"as known on {_day_words(known_as_of, known_day)}")
    return f"{who} {when}, {known}?"


class _Notes:
    """The report's footnotes, numbered in the order first cited: one per source and quote."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str], int] = {}

    def cite(self, citations: Iterable[dict[str, str]]) -> tuple[int, ...]:
        found = []
        for c in citations:
            key = (c["source"], c["quote"])
            number = self.numbers.setdefault(key, len(self.numbers) + 1)
            if number not in found:
                found.append(number)
        return tuple(found)

    def sources(self) -> list[str]:
        return list(dict.fromkeys(source for source, _ in self.numbers))


def _report_fact(view: FactView, notes: _Notes, names: dict[str, str],
                 statements: dict[str, str]) -> ReportFact:
    accounts = tuple(
        ReportAccount(a.claim.valid, words(a.claim.valid, a.claim.calendar), a.status,
                      a.claim.certainty,
                      notes.cite(a.claim.sources))
        for a in accounts_of(view.fact))
    every = tuple(dict.fromkeys(n for a in accounts for n in a.notes))
    valid = fact_valid(view.fact)
    return ReportFact(
        view.statement, view.status, valid, words(valid, view.claim.calendar), accounts,
        dispute_text(view.fact, names, words),
        tuple(statements.get(i, i) for i in view.fact.contested_with), via_text(view), every)


def _sections(state: State, notes: _Notes, names: dict[str, str]) -> tuple[Section, ...]:
    """The state's facts grouped by their subject: the entities asked about first, in the
    order given, then the others by name."""
    statements = {f.claim.id: f.statement for f in state.facts}
    groups: dict[str, list[ReportFact]] = {}
    for entity in state.entities:
        groups[str(entity["name"])] = []
    for view in state.facts:
        groups.setdefault(view.subject, []).append(
            _report_fact(view, notes, names, statements))
    asked = [str(e["name"]) for e in state.entities]
    order = asked + sorted((n for n in groups if n not in asked), key=str.casefold)
    return tuple(Section(name, tuple(groups[name])) for name in order)


def _period(archive: Archive, as_of_day: int, period: tuple[str | None, str | None]
            ) -> tuple[int, int]:
    """The days (after ``first``, up to ``last``] whose transitions the report lists."""
    start, end = period
    last = query_day(end, "until") if end is not None else as_of_day
    first = query_day(start, "from") if start is not None else last - DEFAULT_PERIOD_DAYS
    if first >= last:
        raise InvalidInput(f"the period from {human_date(first)} to {human_date(last)} is "
                           "empty: give --from before --until", "from")
    return first, last


def _changes(archive: Archive, first: int, last: int, known: int | None,
             entities: Sequence[str], tags: Sequence[str]) -> tuple[tuple[Change, ...], str]:
    """The transitions after ``first`` up to ``last`` (of the facts with one of ``tags``,
    when given), or why they are not listed."""
    try:
        found = archive.transitions(first, last, known, entities, limit=MAX_DAYS)
    except InvalidInput as exc:  # the period is ordered: too many days to replay
        return (), f"Not listed: {exc.message}."
    if tags:
        keys = tag_keys(tags)
        found = tuple(t for t in found if with_tag([t.fact], keys))
    return tuple(Change(t.day, human_date(t.day), t.kind, t.statement, t.from_status,
                        t.to_status) for t in found), ""


def _sources(archive: Archive, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    from timeline.errors import NotFound

    found: dict[str, dict[str, Any]] = {}
    for source_id in ids:
        try:
            found[source_id] = archive.source(source_id)
        except NotFound:
            found[source_id] = {"id": source_id, "title": source_id, "published": "",
                                "url": ""}
    return found


def build_report(archive: Archive, as_of: str | int, known_as_of: str | int | None = None,
                 entities: Sequence[str] = (), *,
                 period: tuple[str | None, str | None] = (None, None),
                 style: str = DEFAULT_STYLE, title: str | None = None,
                 tags: Sequence[str] = ()) -> Report:
    """The report of the state on ``as_of`` (EDTF text: its last day; or a day number) as
    known on ``known_as_of`` (None: everything recorded), about ``entities`` (as
    ``Archive.as_of`` selects), with the transitions over ``period`` (from, until: EDTF
    text or None; by default the year up to ``as_of``) and a bibliography in the CSL
    ``style``; with ``tags``, only the facts (and changes) with one of them. Bad input is
    InvalidInput naming its field (``as_of``, ``known_as_of``, ``from``, ``until``,
    ``style``, ``tag``); an unknown entity is NotFound."""
    from timeline.report_cite import style_path

    style_path(style)  # an unknown style is refused before any work
    as_of_day = query_day(as_of, "as_of")
    known = query_day(known_as_of, "known_as_of") if known_as_of is not None else None
    first, last = _period(archive, as_of_day, period)
    state = archive.as_of(as_of_day, known, entities, tags)
    names_asked = tuple(str(e["name"]) for e in state.entities)
    cited = {c["source"] for f in state.facts for a in accounts_of(f.fact)
             for c in a.claim.sources}
    sources = _sources(archive, sorted(cited))
    short = short_source_names({i: str(s["title"]) for i, s in sources.items()})
    notes = _Notes()
    sections = _sections(state, notes, short)
    changes, skipped = _changes(archive, first, last, known, entities, tags)
    numbered = tuple(
        Note(n, source, short.get(source, source),
             words(str(sources[source]["published"]),
                   sources[source].get("calendar", "gregorian")) if source in sources else "",
             quote,
             page_label(quote_page(sources[source].get("text", ""),
                                   sources[source].get("pages", ()), quote)))
        for (source, quote), n in notes.numbers.items())
    cited_sources = [sources[s] for s in notes.sources() if s in sources]
    entries = tuple(Entry(i, short.get(i, i), text)
                    for i, text in bibliography(items_for(cited_sources), style))
    asked_text = as_of if isinstance(as_of, str) else None
    known_text = known_as_of if isinstance(known_as_of, str) else None
    heading = title.strip() if title and title.strip() else _default_title(
        names_asked, as_of_day)
    return Report(
        title=heading,
        question=question(names_asked, asked_text, as_of_day, known_text, known, tags),
        as_of=as_of_day, known_as_of=known, entities=names_asked, sections=sections,
        period=(first, last), changes=changes, changes_skipped=skipped, notes=numbered,
        bibliography=entries, style=style, tags=tuple(tags),
        made=f"Made with Hindsight {__version__} on {human_date(dates.today_day())}")


def _default_title(entities: Sequence[str], day: int) -> str:
    who = _names(entities) if entities else "The archive"
    return f"{who} as of {human_date(day)}"
