"""Search: words typed by a person, over the whole archive's claims (their sentences, quotes,
notes and tags), sources (titles, texts, tags) and entities (names, other names,
descriptions), through the read model's full-text index (``timeline.readmodel.search``).

The text is never FTS5 syntax: it is cut into words (each word's letters and digits), each
searched for as itself — quotes, stars, ``NEAR``, ``OR``, ``-`` and ``^`` are plain
characters — and every word must be found; the last word also finds the words it begins
(as you type: "Altm" finds "Altman"), once it has ``PREFIX_MIN`` characters. Case and
diacritics never matter. Each hit (``SearchHit``) carries a snippet as plain text with the
matches' offsets, so that every output escapes it for itself; a claim's hit its valid time
and the day it starts, and whether it was withdrawn; a source's the offset of the passage in
its text.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline import dates
from timeline.errors import InvalidInput
from timeline.readmodel import search as index

if TYPE_CHECKING:
    from timeline.app import Archive

#: The most characters and words a search may have, and the most hits it may ask for.
MAX_CHARS = 500
MAX_WORDS = 32
MAX_LIMIT = 1000
#: The last word finds the words it begins once it is this long ("a" alone is a word).
PREFIX_MIN = 2
#: A snippet's length, and how much of it comes before the first match.
SNIPPET_CHARS = 160
SNIPPET_LEAD = 50

#: A word as the index cuts text (unicode61: letters, digits and private use; a mark
#: belongs to its letter, which NFC puts together first).
_WORD = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff])+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchHit:
    """One thing a search found.

    ``kind`` is "claim", "source" or "entity"; ``id`` its id; ``title`` a claim's sentence, a
    source's title or an entity's name. ``field`` says where the words were found (a claim's
    "statement", "quote", "note" or "tag"; a source's "title", "text" or "tag"; an entity's
    "name", "alias" or "description"), ``snippet`` is that text (a passage of it, plain text,
    "…" where it was cut) and ``matches`` the (start, end) offsets of the words found in the
    snippet, in characters (code points). A claim's ``valid`` time and ``day``, the day it
    starts (or, when its start is open, the day it ends; None when both are open) and
    ``withdrawn`` ("retracted", "superseded" or None); a source's ``offset``, where the first
    word found is in its text (None when found only in its title or tags). ``score``: bm25,
    lower is better."""

    kind: str
    id: str
    title: str
    field: str
    snippet: str
    matches: tuple[tuple[int, int], ...]
    score: float
    valid: str | None = None
    day: int | None = None
    withdrawn: str | None = None
    offset: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title, "field": self.field,
                "snippet": self.snippet, "matches": [list(m) for m in self.matches],
                "valid": self.valid,
                "date": dates.day_to_iso(self.day) if self.day is not None else None,
                "withdrawn": self.withdrawn, "offset": self.offset,
                "score": round(self.score, 6)}


def words(text: str) -> list[str]:
    """The words of a search, as the index cuts text: characters that are not valid text (a
    lone surrogate, a control character) separate words like spaces."""
    if not isinstance(text, str):
        raise InvalidInput(f"a search is text, not {type(text).__name__}", "text")
    if len(text) > MAX_CHARS:
        raise InvalidInput(f"a search is at most {MAX_CHARS} characters; this one has "
                           f"{len(text):,}", "text")
    clean = "".join(c if unicodedata.category(c) not in ("Cs", "Cc", "Cf") else " "
                    for c in text)
    found = _WORD.findall(unicodedata.normalize("NFC", clean))
    if not found:
        raise InvalidInput("nothing to search for: give a word (letters or digits)", "text")
    if len(found) > MAX_WORDS:
        raise InvalidInput(f"a search has at most {MAX_WORDS} words; this one has "
                           f"{len(found)}", "text")
    return found


def expression(text: str) -> str:
    """The FTS5 query for a person's search: each word a quoted string (so no word is
    syntax), all of them required; the last one a prefix when it is long enough."""
    found = words(text)
    terms = ['"' + w.replace('"', '""') + '"' for w in found]
    if len(found[-1]) >= PREFIX_MIN:
        terms[-1] += "*"
    return " ".join(terms)


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """A highlighted column as plain text and the (start, end) of each match in it."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    at, start = 0, 0
    for piece in re.split(f"([{index.OPEN}{index.CLOSE}])", marked):
        if piece == index.OPEN:
            start = at
        elif piece == index.CLOSE:
            spans.append((start, at))
        else:
            plain.append(piece)
            at += len(piece)
    return "".join(plain), spans


def clip(text: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS
         ) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A passage of ``text`` of about ``size`` characters around its first match, cut
    between words ("…" where it was cut), runs of white space made one space; the matches'
    offsets moved to it."""
    lo = 0
    if spans and spans[0][0] > SNIPPET_LEAD:
        lo = spans[0][0] - SNIPPET_LEAD
        space = text.find(" ", lo, spans[0][0])
        lo = space + 1 if space >= 0 else lo
    hi = min(len(text), lo + size)
    if hi < len(text):
        space = text.rfind(" ", max(lo, spans[0][1] if spans else lo), hi)
        hi = space if space > lo else hi
    out: list[str] = ["…"] if lo > 0 else []
    moved: dict[int, int] = {}
    length = len(out)
    for k in range(lo, hi + 1):
        moved[k] = length
        if k == hi:
            break
        char = text[k]
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        out.append(char)
        length += 1
    if hi < len(text):
        out.append("…")
    kept = tuple((moved[a], moved[b]) for a, b in spans if a >= lo and b <= hi)
    return "".join(out), kept


def _hit(archive: Archive, kind: str, target: str, columns: tuple[str, ...], score: float
         ) -> SearchHit:
    found = [(k, *_unmark(text)) for k, text in enumerate(columns)]
    title = _SPACE.sub(" ", found[0][1]).strip()
    # The passage the words were found in: a quote, a text, a note, tags — else the title.
    column, text, spans = next(((k, t, s) for k, t, s in found[1:] if s), found[0])
    snippet, matches = clip(text, spans)
    hit: dict[str, Any] = {"kind": kind, "id": target, "title": title,
                           "field": index.FIELDS[kind][column] or index.COLUMNS[column],
                           "snippet": snippet, "matches": matches, "score": score}
    if kind == "source" and column == 1 and spans:
        hit["offset"] = spans[0][0]
    elif kind == "claim":
        claim = archive.claim(target)
        hit["valid"] = claim.valid
        hit["day"] = (claim.start_lo if claim.start_lo > dates.NEG_INF else
                      claim.end_hi - 1 if claim.end_hi < dates.POS_INF else None)
        if claim.withdrawn_day < dates.POS_INF:
            kinds = [c["kind"] for c in archive.corrections(target)]
            hit["withdrawn"] = next((k for k in kinds if k != "reranked"), "retracted")
    return SearchHit(**hit)


def _checked_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"the number of hits is from 1 to {MAX_LIMIT}, not {limit!r}",
                           "limit")
    return limit


def search(archive: Archive, text: str, limit: int = 50) -> list[SearchHit]:
    """``Archive.search``: the best ``limit`` hits for ``text`` over the whole archive."""
    limit = _checked_limit(limit)
    query = expression(text)
    return hits(archive, query, index.matches(archive.readmodel.conn, query, limit))


def hits(archive: Archive, query: str, found: list[tuple[int, float]]) -> list[SearchHit]:
    """The hits of rows found for the FTS5 ``query`` (``expression``: by ``index.matches``, or
    ``SearchApart.rows``), in their order, made on the archive's own connection: a row the
    archive no longer holds is left out."""
    conn = archive.readmodel.conn
    where = index.targets(conn, (rowid for rowid, _ in found))
    return [_hit(archive, *where[rowid], index.marked(conn, query, rowid), score)
            for rowid, score in found if rowid in where]


class SearchInterrupted(Exception):
    """A search apart was stopped (``SearchApart.interrupt``) before it had its rows."""


class SearchApart:
    """The slow half of a search on a large archive — finding and ranking every matching row
    (a common word may match most claims) — on a read-only connection of its own to the read
    model's file, so that a worker thread can run it while the archive's own thread answers
    (an SQLite connection belongs to one thread). The text and limit are checked when it is
    made (``InvalidInput``); ``rows`` runs it, once; ``interrupt``, from any thread, stops it
    (``rows`` then raises ``SearchInterrupted``); ``hits`` makes the hits of its rows."""

    def __init__(self, path: Path, text: str, limit: int = 50) -> None:
        self.path, self.text = path, text
        self.limit = _checked_limit(limit)
        self.query = expression(text)
        self._stopped = threading.Event()

    def rows(self) -> list[tuple[int, float]]:
        from timeline.readmodel.overview import connect

        conn = connect(self.path)
        # SQLite asks this every few thousand steps of the statement: stopped, it ends it.
        conn.set_progress_handler(self._stopped.is_set, 10_000)
        try:
            if self._stopped.is_set():
                raise SearchInterrupted
            return index.matches(conn, self.query, self.limit)
        except sqlite3.OperationalError as exc:
            if self._stopped.is_set() and "interrupt" in str(exc):
                raise SearchInterrupted from None
            raise
        finally:
            conn.close()

    def interrupt(self) -> None:
        self._stopped.set()

    def hits(self, archive: Archive, found: list[tuple[int, float]]) -> list[SearchHit]:
        return hits(archive, self.query, found)
