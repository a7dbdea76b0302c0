"""What the read commands print for people (``--format table``): plain text tables that fit
the terminal, the state on a day with each fact's sources by short name, and an entity's
history with each claim's certainty, sources and account ties. JSON is ``timeline.cli``'s.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from timeline import dates
from timeline.api import (
    FactView,
    State,
    counted,
    dispute_text,
    fact_valid,
    printable,
    valid_text,
    via_text,
)
from timeline.sourcenames import MAX_CHARS, fact_sources

#: The last column (the sentence) keeps at least this many characters; a column that wraps
#: (``table``'s ``wrap``) has at most ``WRAP_MAX`` and, when the terminal is narrow, down to
#: ``WRAP_MIN``.
LAST_MIN, WRAP_MIN, WRAP_MAX = 32, 12, MAX_CHARS + 4
#: Where the last column goes when it goes under its row (``table``'s ``paragraphs``).
INDENT = " " * 4


def width() -> int:
    return max(60, shutil.get_terminal_size((110, 24)).columns)


def _lines(text: str, size: int, pieces: bool) -> list[str]:
    """A cell in lines of at most ``size`` characters; ``pieces``: a list joined by ", ",
    broken between its items (and inside one only when it is longer than a line)."""
    if not pieces:
        return textwrap.wrap(text, size) or [""]
    lines: list[str] = []
    for item in text.split(", "):
        if lines and len(lines[-1]) + 2 + len(item) <= size:
            lines[-1] += ", " + item
        else:
            if lines:
                lines[-1] += ","
            lines.extend(textwrap.wrap(item, size) or [""])
    return lines or [""]


def table(rows: Sequence[Sequence[str]], header: Sequence[str],
          wrap: Sequence[int] = (), paragraphs: bool = False) -> str:
    """A plain text table that fits the terminal: the last column wraps to what is left of
    its width; a column in ``wrap`` (a list joined by ", ") wraps between its items, in at
    most ``WRAP_MAX`` characters — fewer, down to ``WRAP_MIN``, so that the last column keeps
    ``LAST_MIN``. With ``paragraphs`` each line of the last column starts a line of its own,
    and when the other columns leave it less than ``LAST_MIN`` it goes under its row,
    indented, across the terminal's width."""
    cells = [[str(c) for c in row] for row in [header, *rows]]
    natural = [max(len(r[k]) for r in cells) for k in range(len(header) - 1)]
    widths = [min(w, WRAP_MAX) if k in wrap else w for k, w in enumerate(natural)]
    room = width() - 2 * len(widths)
    for k in wrap:
        short = LAST_MIN - (room - sum(widths))
        if short > 0:
            widths[k] = max(min(natural[k], WRAP_MIN), widths[k] - short)
    stacked = paragraphs and room - sum(widths) < LAST_MIN
    last = width() - len(INDENT) if stacked else max(20, room - sum(widths))
    lines = []
    for n, row in enumerate(cells):
        parts = [_lines(c, w, True) if k in wrap else [c]
                 for k, (c, w) in enumerate(zip(row, widths, strict=False))]
        paras = row[-1].split("\n") if paragraphs else [row[-1]]
        tail = [line for p in paras for line in textwrap.wrap(p, last) or [""]]
        if stacked:
            tail, below = [], ([] if n == 0 else [INDENT + line for line in tail])
        else:
            below = []
        parts.append(tail)
        for k in range(max(len(p) for p in parts)):
            line = "  ".join((p[k] if k < len(p) else "").ljust(w)
                             for p, w in zip(parts, widths, strict=False))
            lines.append(f"{line}  {parts[-1][k] if k < len(parts[-1]) else ''}".rstrip())
        lines.extend(below)
    return "\n".join(lines)


def by_author(author: str | None, before: str = "") -> str:
    """Who wrote an event, fit for a table: printable, or nothing when not recorded."""
    return before + printable(author) if author else ""


def sources_cell(source_ids: Sequence[str], names: Mapping[str, str]) -> str:
    """Sources by short name, "-" for none."""
    return ", ".join(names.get(s, s) for s in source_ids) or "-"


def facts_table(facts: Sequence[FactView], names: Mapping[str, str]) -> str:
    """The facts of a state, each with its sources by short name (``names``: source id ->
    short name, as ``timeline.sourcenames.source_names`` gives them for the answer)."""
    rows = [(f.status, valid_text(fact_valid(f.fact), f.claim.calendar),
             sources_cell(fact_sources(f), names), _sentence(f, names)) for f in facts]
    return table(rows, ("STATUS", "VALID", "SOURCES", "STATEMENT"), wrap=(2,), paragraphs=True)


def _sentence(fact: FactView, names: Mapping[str, str]) -> str:
    """A fact's sentence, then (a line each) what its accounts dispute and that it changes
    hands on the day."""
    lines = [fact.statement.replace("\n", " ") + (f"  ({via_text(fact)})" if fact.via else "")]
    disputed = dispute_text(fact.fact, names)
    if disputed:
        lines.append(disputed)
    if fact.fact.handover_with:
        lines.append("changing hands on this day")
    if fact.tags:
        lines.append("tags: " + ", ".join(fact.tags))
    return "\n".join(lines)


def describe_state(state: State) -> str:
    known = (f", as known on {dates.day_to_iso(state.known_as_of)}"
             if state.known_as_of is not None else ", by everything known now")
    about = (" — " + " & ".join(e["name"] for e in state.entities)) if state.entities else ""
    return (f"As of {dates.day_to_iso(state.as_of)}{known}{recorded_words(state.recorded_as_of)}"
            f"{about}: {counted(len(state.facts), 'fact')}")


def recorded_words(recorded_as_of: str | None) -> str:
    """", as recorded on 2025-03-01 23:59:59 UTC", or "" for everything recorded."""
    if not recorded_as_of:
        return ""
    return ", as recorded on " + recorded_as_of.replace("T", " ")[:19] + " UTC"


def _when(stamp: str | None, before: str = " ") -> str:
    """A recorded time (ISO, UTC) as local time to the minute; "" when unknown."""
    if not stamp:
        return ""
    try:
        return before + datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return before + stamp


#: What a correction written by ``hindsight undo`` or ``redo`` was the compensation of.
_UNDO_OF = {"retracted": "the record", "restored": "the {undoes}", "reranked": "a rerank"}


def _correction(fix: Mapping[str, Any]) -> str:
    """One correction in a history: what, known when, who wrote it and when, why; and whether
    it was undone ("undone by …") or is an undo ("undo of …")."""
    text = f"{fix['kind']} {fix['known_at']}" + by_author(fix.get("recorded_by"), " by ") + \
        _when(fix.get("recorded_at"), " on ")
    reason = fix.get("reason") or ""
    if reason == "undo" and fix["kind"] in _UNDO_OF:
        undoes = {"retracted": "retraction", "superseded": "supersession"}.get(
            fix.get("undoes", ""), "withdrawal")
        reason = "undo of " + _UNDO_OF[fix["kind"]].format(undoes=undoes)
    if reason:
        text += f" ({reason.replace(chr(10), ' ')})"
    if fix.get("undone_at"):
        text += " — undone" + by_author(fix.get("undone_by"), " by ") + \
            _when(fix["undone_at"], " on ")
    return text


def history_table(items: Sequence[Mapping[str, Any]]) -> str:
    """An entity's claims as ``Archive.history`` gives them: when valid and known, who wrote
    each, its certainty, and its sentence with its corrections after it, its sources by short
    name (each citation's ``name``) and its account tie under it."""
    statements = {item["id"]: item["statement"] for item in items}
    rows = []
    for item in items:
        fixes = "; ".join(map(_correction, item["corrections"]))
        lines = [item["statement"].replace("\n", " ") + (f"  [{fixes}]" if fixes else "")]
        names = dict.fromkeys(c.get("name") or c["source"] for c in item["sources"])
        lines.append("sources: " + (", ".join(names) or "none"))
        if item.get("relative"):
            lines.append("dates: " + item["relative"])
        if item.get("recorded_at"):
            lines.append("recorded" + _when(item["recorded_at"]))
        tie = item.get("account_of")
        if tie:  # the other account's sentence when it reads otherwise
            said = statements.get(tie, item["statement"])
            lines.append(f"account of {tie}" + (f": {said}" if said != item["statement"]
                                                 else ""))
        rows.append((valid_text(item["valid"], item.get("calendar", "gregorian")),
                     item["known_at"], item["id"],
                     by_author(item.get("recorded_by")) or "-", f"{item['certainty']:g}",
                     "\n".join(lines)))
    return table(rows, ("VALID", "KNOWN", "CLAIM", "BY", "CERT", "STATEMENT"), paragraphs=True)
