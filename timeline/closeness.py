"""Names close to each other: a new entity's name that may be an existing one.

The one rule (``near_name``) by which ``record`` asks before a new name close to a name the
archive holds becomes an entity (``ReadModel.near_names`` finds them), and an import says
which of its new entities are (``timeline.near_new``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

#: Words two names may share without being close: articles, particles, company forms.
COMMON_NAME_WORDS = frozenset({
    "the", "and", "for", "von", "van", "der", "den", "del", "della", "des", "das", "les", "los",
    "las", "inc", "ltd", "llc", "plc", "corp", "company", "group", "saint"})
_WORDS = re.compile(r"\w+")
#: How many names sharing a word with a new name are read to find the closest (a common word
#: may be in thousands of names): the nearest in length.
NEAR_READ = 1000


@lru_cache(maxsize=8192)
def name_tokens(key: str) -> frozenset[str]:
    """The words of a name's key (``domain.normalise_name``) that make two names close when
    they share one: at least three characters, not only digits, not in ``COMMON_NAME_WORDS``.
    Remembered: asked again for each name a name is compared with."""
    return frozenset(w for w in _WORDS.findall(key)
                     if len(w) >= 3 and not w.isdigit() and w not in COMMON_NAME_WORDS)


def typo_limit(length: int) -> int:
    """How many edits (Levenshtein) make a name of ``length`` characters close to another:
    two from five characters on, one for four, none below."""
    return 2 if length >= 5 else 1 if length == 4 else 0


def edit_distance(a: str, b: str, limit: int) -> int:
    """The Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` when it is larger.

    ``near_names`` ranks hundreds of names a question, so two cheaper answers come first:
    the lengths, then the characters one has and the other lacks (as many edits at least);
    only then the table, and of it only the cells within ``limit`` of the diagonal (one
    further off is more edits)."""
    over = limit + 1
    if abs(len(a) - len(b)) > limit:
        return over
    rest, lacking = list(b), 0
    for char in a:
        if char in rest:
            rest.remove(char)
        else:
            lacking += 1
            if lacking > limit:
                return over
    if len(rest) > limit:
        return over
    previous = [j if j < over else over for j in range(len(b) + 1)]
    for i, char in enumerate(a, start=1):
        current = [over] * (len(b) + 1)
        current[0] = best = i if i < over else over
        for j in range(i - limit if i > limit else 1, min(len(b), i + limit) + 1):
            cell = previous[j - 1] + (char != b[j - 1])  # not min(): 3 times faster
            if previous[j] < cell:
                cell = previous[j] + 1
            if current[j - 1] < cell:
                cell = current[j - 1] + 1
            current[j] = cell
            if cell < best:
                best = cell
        if best > limit:
            return over
        previous = current
    return min(previous[-1], over)


def pieces(length: int, typos: int) -> list[tuple[int, int]]:
    """Where the ``typos + 1`` pieces of a name of ``length`` characters start and end: a
    name at most ``typos`` edits from it keeps one of them unchanged."""
    cut = [round(k * length / (typos + 1)) for k in range(typos + 2)]
    return list(itertools.pairwise(cut))


def near_name(key: str, other: str) -> bool:
    """Whether two different names' keys (``normalise_name``) are close: they share a word
    (``name_tokens``), or one is a few edits from the other (``typo_limit`` of the
    shorter). 'mira murati' is close to 'mira', 'myra' and 'mira muratti'."""
    if name_tokens(key) & name_tokens(other):
        return True
    limit = typo_limit(min(len(key), len(other)))
    return limit > 0 and edit_distance(key, other, limit) <= limit


def ranked(key: str, rows: Iterable[tuple[str, str, str, str, str]], limit: int
           ) -> list[tuple[str, str, str]]:
    """Of names read as candidates — each (its key, the name, its entity's id, kind and
    name), read twice or not — up to ``limit`` close to ``key`` (``near_name``) but not it,
    one per entity, closest first (fewest edits, most words in common, nearest in length):
    each as (the name, its entity's kind, its entity's name)."""
    words = name_tokens(key)
    best: dict[str, tuple[int, int, int, str, str, str]] = {}
    for norm, near, entity_id, kind, entity in dict.fromkeys(rows):
        if norm == key or not near_name(key, norm):
            continue
        rank = (edit_distance(key, norm, 2), -len(words & name_tokens(norm)),
                abs(len(norm) - len(key)), near, kind, entity)
        if entity_id not in best or rank < best[entity_id]:
            best[entity_id] = rank
    return [rank[3:] for rank in sorted(best.values())[:limit]]
