"""Synthetic archives for tests and benchmarks: realistic shapes, reproducible from a seed.

A document has thousands of entities (some with aliases), single- and multi-valued
predicates, relationship and literal claims, exact and fuzzy dates, open and unknown ends,
known times spread over years, and a few retractions, supersessions and reranks — everything
an as-of query has to get right, in proportions like a real archive's.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from timeline.dates import day_to_iso

_PREDICATES = [
    ("member_of", "member of", False),
    ("allied_with", "allied with", False),
    ("corresponded_with", "corresponded with", False),
    ("located_in", "located in", True),
    ("led_by", "led by", True),
    ("relationship_with", "relationship with", True),
    ("status", "status", True),
    ("title", "title", True),
]
_VALUES = ["close", "tense", "hostile", "formal", "friendly", "active", "dormant", "dissolved"]
_WORDS = ["ministry", "letter", "treaty", "council", "harbour", "mission", "archive", "press"]


def _date(rng: random.Random, day: int) -> str:
    iso = day_to_iso(day)
    roll = rng.random()
    if roll < 0.45:
        return iso
    if roll < 0.7:
        return iso[:7]
    if roll < 0.8:
        return iso[:4]
    if roll < 0.9:
        return iso + "~"
    return iso[:7] + "?"


def _valid(rng: random.Random, first_day: int, last_day: int) -> str:
    start = rng.randint(first_day, last_day)
    roll = rng.random()
    if roll < 0.35:
        return _date(rng, start) + "/.."
    if roll < 0.45:
        return _date(rng, start)
    if roll < 0.5:
        return _date(rng, start) + "/"
    end = min(last_day, start + rng.randint(30, 3650))
    left, right = _date(rng, start), _date(rng, end)
    return f"{left}/{right}" if left[:10] <= right[:10] else left


def document(claims: int, *, seed: int = 1, entities: int | None = None,
             first_year: int = 1850, last_year: int = 2020) -> dict[str, Any]:
    """A Hindsight JSON document with about ``claims`` claims (plus a few corrections)."""
    doc: dict[str, Any] = {}
    for key, value in _parts(claims, seed, entities, first_year, last_year):
        doc[key] = list(value) if key == "claims" else value
    return doc


def write(path: Path, claims: int, *, seed: int = 1, entities: int | None = None) -> None:
    """The same document as ``document``, written to ``path`` as it is made: a million
    claims never sit in memory at once."""
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        for k, (key, value) in enumerate(_parts(claims, seed, entities, 1850, 2020)):
            out.write(("," if k else "") + json.dumps(key) + ":")
            if key != "claims":
                out.write(json.dumps(value))
                continue
            out.write("[")
            for n, claim in enumerate(value):
                out.write(("," if n else "") + json.dumps(claim))
            out.write("]")
        out.write("}")


def _parts(claims: int, seed: int, entities: int | None, first_year: int, last_year: int
           ) -> Iterator[tuple[str, Any]]:
    """The document's parts in order; the claims as an iterator, made one at a time.

    The corrections go after the claims, but which claims they correct is chosen first (from
    a second generator), so only those few claims are kept."""
    rng, picks = random.Random(seed), random.Random(seed + 1_000_003)
    n_entities = entities or max(20, claims // 100)
    first_day = (first_year - 1970) * 365 + (first_year - 1970) // 4
    last_day = (last_year - 1970) * 365 + (last_year - 1970) // 4
    names = [f"{rng.choice(_WORDS).title()} {k:05d}" for k in range(n_entities)]
    doc_sources = []
    quotes = []
    for k in range(max(1, claims // 500)):
        sentences = [f"Entry {k}-{j}: the {rng.choice(_WORDS)} reported item {j}."
                     for j in range(40)]
        doc_sources.append({"id": f"src-{k:04d}", "title": f"Register {k}",
                            "published": day_to_iso(rng.randint(first_day, last_day))[:4],
                            "text": " ".join(sentences)})
        quotes.append(sentences)
    doc_entities = []
    for k, name in enumerate(names):
        entity: dict[str, Any] = {"name": name, "kind": rng.choice(
            ["person", "organization", "place", "project"])}
        if k % 10 == 0:
            entity["aliases"] = [f"Alias {k:05d}"]
        doc_entities.append(entity)
    yield "format", "hindsight/1"
    yield "predicates", [{"name": n, "label": label, "single": single}
                         for n, label, single in _PREDICATES]
    yield "sources", doc_sources
    yield "entities", doc_entities

    picked = picks.sample(range(claims), k=min(claims, max(3, claims // 50)))
    third = len(picked) // 3
    kept: dict[int, dict[str, Any]] = {k: {} for k in picked}

    def later() -> str:
        return day_to_iso(picks.randint(last_day, last_day + 3650 * 2))

    supersessions: list[dict[str, Any]] = []

    def all_claims() -> Iterator[dict[str, Any]]:
        for k in range(claims):
            claim = _claim(rng, k, seed, names, doc_sources, quotes, first_day, last_day)
            if k in kept:
                kept[k] = claim
            yield claim
        for k in picked[2 * third:]:
            old = kept[k]
            replacement = dict(old, id=old["id"] + "-r",
                               valid=_valid(picks, first_day, last_day), known_at=later())
            supersessions.append({"claim": old["id"], "by": replacement["id"],
                                  "known_at": replacement["known_at"]})
            yield replacement

    yield "claims", all_claims()
    yield "supersessions", supersessions
    yield "retractions", [{"claim": kept[k]["id"], "known_at": later(),
                           "reason": "synthetic retraction"} for k in picked[:third]]
    yield "reranks", [{"claim": kept[k]["id"], "rank": picks.choice(["preferred", "deprecated"]),
                       "known_at": later()} for k in picked[third:2 * third]]


def _claim(rng: random.Random, k: int, seed: int, names: list[str],
           doc_sources: list[dict[str, Any]], quotes: list[list[str]], first_day: int,
           last_day: int) -> dict[str, Any]:
    predicate, _, single = rng.choice(_PREDICATES)
    subject = rng.choice(names)
    claim: dict[str, Any] = {"id": f"syn-{seed}-{k}", "subject": subject,
                             "predicate": predicate, "valid": _valid(rng, first_day, last_day)}
    if predicate in ("status", "title"):
        claim["value"] = rng.choice(_VALUES)
    elif predicate == "relationship_with":
        claim["object"] = rng.choice(names)
        claim["value"] = rng.choice(_VALUES)
    else:
        claim["object"] = rng.choice(names)
    if rng.random() < 0.3:
        claim["certainty"] = round(rng.uniform(0.3, 0.95), 2)
    s = rng.randrange(len(doc_sources))
    claim["sources"] = [{"source": doc_sources[s]["id"], "quote": rng.choice(quotes[s])}]
    claim["known_at"] = day_to_iso(rng.randint(first_day, last_day + 3650))
    return claim
