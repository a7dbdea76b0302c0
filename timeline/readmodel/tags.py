"""The read model's tags: one row per tag on a claim or a source (table ``tags``), kept from
the ``Tagged`` and ``Untagged`` events (``register`` adds their handlers to the projection)
and read by ``TagLookups``.

A row holds the tag as it was last put on (``tag``) and its key (``domain.tag_key``), by which
tags are compared: "Strike" and "strike" are one tag. Tags have no valid or known time: a tag
is the historian's label, in force from the moment it is written until it is taken off.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from timeline.domain import Tagged, Untagged, tag_key

#: A claim's or a source's tags, by its id: each tag once, in the order they were put on.
TagMap = dict[str, tuple[str, ...]]


def _tagged(readmodel: Any, event: Tagged) -> None:
    readmodel.db.execute("INSERT OR REPLACE INTO tags VALUES (?, ?, ?, ?, ?)",
                         [event.target_kind, event.target_id, tag_key(event.tag), event.tag,
                          readmodel._position])


def _untagged(readmodel: Any, event: Untagged) -> None:
    readmodel.db.execute("DELETE FROM tags WHERE target_kind = ? AND target_id = ? AND "
                         "tag_key = ?", [event.target_kind, event.target_id, tag_key(event.tag)])


def register(apply: Any) -> None:
    """Add the tag events' handlers to the projection's ``apply`` (a singledispatchmethod)."""
    apply.register(Tagged, _tagged)
    apply.register(Untagged, _untagged)


class TagLookups:
    """Tags by kind, target and key (mixed into ``Lookups``)."""

    db: sqlite_utils.Database

    def tag_rows(self, kind: str | None = None, target_id: str | None = None
                 ) -> list[tuple[str, str, str]]:
        """(kind, target id, tag) of every tag — on ``kind`` ("claim" or "source") and on
        ``target_id`` when given — in the order they were put on."""
        where, params = [], []
        if kind is not None:
            where.append("target_kind = ?")
            params.append(kind)
        if target_id is not None:
            where.append("target_id = ?")
            params.append(target_id)
        sql = "SELECT target_kind, target_id, tag FROM tags"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [tuple(r) for r in self.db.execute(sql + " ORDER BY position, tag_key", params)]

    def has_tags(self) -> bool:
        return bool(self.db.execute("SELECT EXISTS (SELECT 1 FROM tags)").fetchone()[0])

    def tag_maps(self) -> tuple[TagMap, TagMap]:
        """Every claim's and every source's tags (``TagMap``)."""
        claims: dict[str, list[str]] = {}
        sources: dict[str, list[str]] = {}
        for kind, target, tag in self.tag_rows():
            (claims if kind == "claim" else sources).setdefault(target, []).append(tag)
        return ({k: tuple(v) for k, v in claims.items()},
                {k: tuple(v) for k, v in sources.items()})

    def tag_counts(self) -> list[dict[str, Any]]:
        """Every tag once (as first put on), with how many claims and sources carry it, by
        key order."""
        found: dict[str, dict[str, Any]] = {}
        for kind, _, tag in self.tag_rows():
            entry = found.setdefault(tag_key(tag), {"tag": tag, "claims": 0, "sources": 0})
            entry["claims" if kind == "claim" else "sources"] += 1
        return [found[k] for k in sorted(found)]

    def tagged(self, keys: Iterable[str]) -> tuple[set[str], set[str]]:
        """The ids of the claims and of the sources that carry one of the tag ``keys``."""
        claims: set[str] = set()
        sources: set[str] = set()
        wanted = sorted(set(keys))
        for k in range(0, len(wanted), 500):
            part = wanted[k:k + 500]
            for kind, target in self.db.execute(
                    "SELECT target_kind, target_id FROM tags WHERE tag_key IN "
                    f"({', '.join('?' * len(part))})", part):
                (claims if kind == "claim" else sources).add(target)
        return claims, sources
