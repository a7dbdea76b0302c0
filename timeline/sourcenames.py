"""Sources by short name, for answers people read: "Microsoft speeds up" for a source titled
"[Microsoft speeds up server deployment for OpenAI's GPT-4.5 and GPT-5]", never a count or an
id. A short name is made from the title alone (``short_source_name``) and made unique within
one answer (``short_source_names``: "Press release", "Press release (2)").

Which sources a fact rests on is asked in one place, ``fact_sources``, so that a fact that
gathers several accounts (each with its own citations) changes only that function; and a
claim's tie to the claim it gives another account of in one place too, ``account_of``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from timeline.asof.claims import ClaimRow
from timeline.errors import NotFound

if TYPE_CHECKING:
    from timeline.app import Archive
    from timeline.views import FactView

#: At most this many significant words, and this many characters, in a short name.
SIGNIFICANT_WORDS = 3
MAX_CHARS = 28

#: Words that do not count towards a name's significant words, nor end one.
_MINOR = frozenset({"a", "an", "the", "and", "or", "nor", "but", "of", "for", "on", "in", "at",
                    "to", "by", "with", "from", "into", "over", "as", "is", "are", "was",
                    "were", "be", "its", "it", "vs", "via"})
_ARTICLES = frozenset({"a", "an", "the"})
#: Where a headline's first part ends: a colon, comma, semicolon, full stop, question or
#: exclamation mark or bar before a space (not "GPT-4.5", "10:30", "1,000"), or a dash
#: between spaces ("Title – Site").
_CLAUSE = re.compile(r"[:;,.?!|](?=\s|$)|\s[-–—]\s")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_QUOTES = "\"'“”‘’«»„"


def short_source_name(title: str, fallback: str = "") -> str:
    """A source's short name from its title: the words of its first clause (before a colon,
    comma, dash…; a parenthetical and enclosing brackets or quotes dropped) up to three
    significant words (articles, prepositions and conjunctions do not count, and none ends
    the name), in at most ``MAX_CHARS`` characters. ``fallback`` (the source's id) when the
    title has no word."""
    text = " ".join(title.split())
    if text[:1] == "[" and "]" in text:  # "[Headline] (publisher)": the headline
        text = text[1:].replace("]", " ", 1)
    inner = _BRACKETED.sub(" ", text)
    text = inner if inner.strip(" " + _QUOTES) else text.strip("[]()")
    text = text.strip(" " + _QUOTES)
    first = _CLAUSE.split(text, maxsplit=1)[0]
    if any(w.casefold() not in _MINOR for w in first.split()):
        text = first
    words = [w.strip(_QUOTES) for w in text.split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0].casefold() in _ARTICLES:
        words.pop(0)
    kept: list[str] = []
    significant = 0
    for word in words:
        if significant == SIGNIFICANT_WORDS:
            break
        kept.append(word)
        significant += word.casefold() not in _MINOR
    while len(kept) > 1 and (kept[-1].casefold() in _MINOR
                             or len(" ".join(kept)) > MAX_CHARS):
        kept.pop()
    name = " ".join(kept).rstrip(":;,.-–—|")
    if not name:
        return fallback or title.strip()
    return name if len(name) <= MAX_CHARS else name[:MAX_CHARS - 1].rstrip() + "…"


def short_source_names(titles: Mapping[str, str]) -> dict[str, str]:
    """Each source's short name (source id -> title given), unique within these sources:
    a name that comes again (letter case aside) gets " (2)", " (3)"…, in the order given."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for source_id, title in titles.items():
        base = short_source_name(title, source_id)
        name, k = base, 1
        while name.casefold() in taken:
            k += 1
            name = f"{base} ({k})"
        taken.add(name.casefold())
        names[source_id] = name
    return names


def source_names(archive: Archive, source_ids: Iterable[str]) -> dict[str, str]:
    """The short names of the sources of one answer, unique within it; a source the archive
    does not hold is named by its id."""
    titles: dict[str, str] = {}
    for source_id in source_ids:
        if source_id in titles:
            continue
        try:
            titles[source_id] = str(archive.source(source_id)["title"])
        except NotFound:
            titles[source_id] = ""
    return short_source_names(titles)


def claim_sources(claim: ClaimRow) -> list[str]:
    """The ids of the sources a claim cites, each once, in the order cited."""
    return list(dict.fromkeys(citation["source"] for citation in claim.sources))


def fact_sources(view: FactView) -> list[str]:
    """The ids of the sources a fact of an answer rests on, each once, in the order cited —
    the one place that says so (a fact of several accounts gathers their sources here)."""
    return list(dict.fromkeys(citation["source"] for citation in view.sources))


def account_of(claim: Any) -> str | None:
    """The id of the claim this claim gives another account of (None: it gives none). A
    claim of the read model holds it as ``tie`` (the first account of the fact, when it was
    recorded as an account of another account); an event or a row of an export as
    ``account_of``."""
    found = getattr(claim, "tie", None) or getattr(claim, "account_of", None)
    return str(found) if found else None
