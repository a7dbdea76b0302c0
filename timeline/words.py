"""Counted nouns, for every sentence the engine and the app write: "1 fact", "3 facts"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, plural unless ``count`` is 1 (``plural``, or the noun plus
    "s")."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
