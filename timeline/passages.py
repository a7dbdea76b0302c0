"""What a passage of a source names: the entities whose names or aliases it holds
(``entities_in``) and the dates it gives (``dates_in``, as EDTF); and the names and aliases a
typed beginning completes to (``complete_names``). The app's *Record Claim from Selection…*
offers them as suggestions; the historian accepts or edits each.

Names are matched by the one rule of name matching (``domain.normalise_name``: Unicode NFKC,
case-folded, quotes straight, whitespace one space) and, since these are only suggestions,
without accents; applied to the passage piece by piece so that every match maps back to the
exact text of the source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from timeline.dates import DateError, parse_span
from timeline.domain import normalise_name

__all__ = ["complete_names", "dates_in", "entities_in"]

_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    """A name's key (``normalise_name``) without its accents, for suggestions: "José" is
    suggested for "Jose" (and the other way round)."""
    key = normalise_name(text)
    if key.isascii():
        return key
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c)))


def _normalised(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` by the names rule, and where each of its characters comes from in ``text``
    (start, end). A base character and its combining marks are normalised together."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    k = 0
    while k < len(text):
        end = k + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        piece = text[k:end]
        folded = " " if piece.isspace() else _fold(piece)
        if folded == " " and out and out[-1] == " ":
            folded = ""
        for char in folded:
            out.append(char)
            starts.append(k)
            ends.append(end)
        k = end
    return "".join(out), starts, ends


def entities_in(text: str, names: Iterable[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """The entities a passage names: each place in ``text`` where one of ``names`` — pairs
    of (a name or an alias, the name of the entity it stands for) — appears, matched by the
    names rule and as whole words, the longest name first where several start at one place
    ("Sam Altman" before "Sam"), never overlapping. Each as (the entity's name, the text
    matched exactly as in ``text``, its offset in ``text``), in the order of the passage."""
    by_word: dict[str, list[tuple[str, str]]] = {}
    for name, entity in names:
        key = _fold(name)
        first = _WORD.match(key)
        if first is not None:
            by_word.setdefault(first.group(), []).append((key, entity))
    for keys in by_word.values():
        keys.sort(key=lambda pair: -len(pair[0]))
    folded, starts, ends = _normalised(text)
    found: list[tuple[str, str, int]] = []
    reached = 0
    for word in _WORD.finditer(folded):
        at = word.start()
        if at < reached:
            continue
        for key, entity in by_word.get(word.group(), ()):
            stop = at + len(key)
            if folded.startswith(key, at) and not (
                    stop < len(folded) and key[-1:].isalnum() and _is_word(folded[stop])):
                begin, end = starts[at], ends[stop - 1]
                found.append((entity, text[begin:end], begin))
                reached = stop
                break
    return found


def _is_word(char: str) -> bool:
    return bool(_WORD.match(char))


# --- dates ------------------------------------------------------------------------------------

_MONTHS = {name: k for k, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>[12]\d{3})"
#: Parts of a year in words, as EDTF writes them (seasons 21-24; the first, middle and last
#: four months 37-39; quarters 33-36; halves 40-41).
_PARTS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24,
          "early": 37, "mid": 38, "middle": 38, "late": 39}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
             "fourth": 4, "4th": 4, "last": 0}

_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in (
        (r"\b(?P<year>[12]\d{3})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b", "iso"),
        (rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", "day"),
        (rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", "day"),
        (r"\b(?:in\s+)?(?:the\s+)?(?P<ordinal>first|1st|second|2nd|third|3rd|fourth|4th|last)"
         r"\s+(?P<unit>quarter|half)\s+of\s+(?P<year>[12]\d{3})\b", "part"),
        (r"\bQ(?P<quarter>[1-4])\s+(?P<year>[12]\d{3})\b", "quarter"),
        (r"\b(?P<part>spring|summer|autumn|fall|winter|early|mid|middle|late)[\s-]+(?:of\s+)?"
         r"(?P<year>[12]\d{3})\b", "season"),
        (rf"\b{_MONTH},?\s+{_YEAR}\b", "month"),
        (r"\b(?P<year>[12]\d{3})-(?P<month>[01]\d)\b(?!-)", "iso"),
        (r"\b(?:the\s+)?(?P<decade>[12]\d{2})0s\b", "decade"),
        (r"(?<![\d.,$€£-])\b(?P<year>[12]\d{3})\b(?![.,]?\d)", "year"),
    ))


def _edtf(found: re.Match[str], kind: str) -> str:
    parts = found.groupdict()
    if kind == "decade":
        return f"{parts['decade']}X"
    year = parts["year"]
    if kind == "year":
        return year
    if kind == "season":
        return f"{year}-{_PARTS[parts['part'].lower()]}"
    if kind == "quarter":
        return f"{year}-{32 + int(parts['quarter'])}"
    if kind == "part":
        ordinal, half = _ORDINALS[parts["ordinal"].lower()], parts["unit"].lower() == "half"
        if half:
            return f"{year}-{41 if ordinal in (0, 2) else 40}" if ordinal <= 2 else ""
        return f"{year}-{32 + (ordinal or 4)}"
    month = parts["month"]
    number = int(month) if month.isdigit() else _MONTHS[month.lower()]
    out = f"{year}-{number:02d}"
    return out if kind == "month" or parts.get("day") is None else \
        f"{out}-{int(parts['day']):02d}"


def dates_in(text: str) -> list[tuple[str, str]]:
    """The dates a passage gives, as EDTF, in the order of the passage: "17 November 2023",
    "November 17, 2023" and "2023-11-17" are 2023-11-17; "November 2023" 2023-11; "2023"
    2023; "spring 2019" the season 2019-21; "early", "mid" and "late 2024" its first, middle
    and last four months (2024-37, -38, -39); "Q3 2024" or "the third quarter of 2024" a
    quarter (2024-35); "the first half of 2024" 2024-40; "the 1990s" 199X. Each as (its EDTF,
    the text matched); a date that does not exist (31 February) is left out, and so are
    words such as "last Friday" that need a day to count from."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, str]] = []
    for pattern, kind in _FORMS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            edtf = _edtf(match, kind)
            try:
                if not edtf:
                    raise DateError(edtf)
                parse_span(edtf)
            except DateError:
                taken.append((start, end))  # not the month or year within it either
                continue
            taken.append((start, end))
            found.append((start, edtf, match.group()))
    return [(edtf, matched) for _, edtf, matched in sorted(found)]


# --- completion -------------------------------------------------------------------------------


def complete_names(typed: str, names: Iterable[tuple[str, str]], limit: int = 20
                   ) -> list[tuple[str, str]]:
    """The names and aliases ``typed`` completes to, by the names rule (case, accents,
    curly quotes and spacing do not count): those that begin with it, then
    those with a word that begins with it, each alphabetically; at most ``limit``. ``names``:
    pairs of (a name or an alias, the name of its entity); each found as such a pair."""
    key = _fold(typed)
    if not key:
        return []
    first: list[tuple[str, str, str]] = []
    inner: list[tuple[str, str, str]] = []
    for name, entity in names:
        folded = _fold(name)
        if folded.startswith(key):
            first.append((folded, name, entity))
        elif any(folded.startswith(key, w.start()) for w in _WORD.finditer(folded)):
            inner.append((folded, name, entity))
    return [(name, entity) for _, name, entity in sorted(first) + sorted(inner)][:limit]
