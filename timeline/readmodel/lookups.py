"""The read model's lookups: names, entities, sources and claims, by key.

Which claims hold on a day is not asked here: that is ``timeline.asof``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

from timeline.closeness import NEAR_READ, name_tokens, pieces, ranked, typo_limit
from timeline.dates import NEG_INF, POS_INF
from timeline.domain import normalise_name
from timeline.readmodel.schema import CLAIM_COLUMNS, ClaimRow, claim_row
from timeline.readmodel.sources import SourceLookups
from timeline.readmodel.tags import TagLookups


class Lookups(TagLookups, SourceLookups):
    """Queries by key over the read model's tables (``db``)."""

    db: sqlite_utils.Database

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def _rows_for(self, sql: str, keys: Sequence[str]) -> Iterator[Any]:
        """The rows of ``sql`` for many keys, 500 a statement (``{}`` stands for them)."""
        for k in range(0, len(keys), 500):
            part = keys[k:k + 500]
            yield from self.db.conn.execute(sql.format(", ".join("?" * len(part))), part)

    def _merged(self, entity_ids: set[str]) -> dict[str, str]:
        """Those of ``entity_ids`` merged into another entity, and into which: a run of
        claims names thousands of entities, nearly none merged."""
        return dict(self._rows_for("SELECT id, merged_into FROM entities WHERE merged_into "
                                   "IS NOT NULL AND id IN ({})", list(entity_ids)))

    def canonical(self, entity_id: str) -> str:
        row = self.db.execute("SELECT merged_into FROM entities WHERE id = ?",
                              [entity_id]).fetchone()
        return row[0] if row and row[0] else entity_id

    def resolve(self, name: str) -> str | None:
        """The entity a name or alias stands for (after merges), or None."""
        row = self.db.execute("SELECT entity_id FROM names WHERE norm = ?",
                              [normalise_name(name)]).fetchone()
        return self.canonical(row[0]) if row else None

    def near_names(self, name: str, limit: int = 5, *, before: int | None = None
                   ) -> list[tuple[str, str, str]]:
        """Up to ``limit`` names and aliases close to ``name`` but not it
        (``timeline.closeness.near_name``), one per entity, closest first (fewest edits, most
        words in common): each as (the name, its entity's kind, its entity's name). Read are
        the names that hold one of its words, and those of a near length that hold one of
        ``typos + 1`` pieces of it unchanged (as any name ``typos`` edits away does). With
        ``before``, only the names of entities created
        at or before that position (an import's new names against the names held before it:
        ``timeline.near_new``). Of those, ``closeness.ranked`` decides."""
        key = normalise_name(name)
        words = name_tokens(key)
        typos = typo_limit(len(key))
        select = ("SELECT n.norm, n.name, e.id, e.kind, e.name FROM names n JOIN entities e "
                  "ON e.id = n.entity_id WHERE n.norm != ? AND "
                  + ("" if before is None else f"e.position <= {int(before)} AND "))
        rows: list[Any] = []
        if typos:
            kept = [key[a:b] for a, b in pieces(len(key), typos)]
            rows += self.db.execute(
                select + "length(n.norm) BETWEEN ? AND ? AND ("
                + " OR ".join(["instr(n.norm, ?)"] * len(kept)) + ")",
                [key, len(key) - typos, len(key) + typos, *kept]).fetchall()
        if words:  # a common word may be in thousands: the nearest in length
            rows += self.db.execute(
                select + "(" + " OR ".join(["instr(n.norm, ?)"] * len(words))
                + f") ORDER BY abs(length(n.norm) - ?) LIMIT {NEAR_READ}",
                [key, *words, len(key)]).fetchall()
        return ranked(key, rows, limit)

    def all_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM names ORDER BY name")]

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT id, name, kind, description FROM entities WHERE id = ?", [entity_id]
        ).fetchone()
        if row is None:
            return None
        aliases = [r[0] for r in self.db.execute(
            "SELECT name FROM names WHERE entity_id = ? AND norm != ? ORDER BY name",
            [entity_id, normalise_name(row[1])])]
        return {"id": row[0], "name": row[1], "kind": row[2], "description": row[3],
                "aliases": aliases}

    def entities(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT id FROM entities WHERE merged_into IS NULL ORDER BY name").fetchall()
        return [e for e in (self.entity(r[0]) for r in rows) if e is not None]

    def entity_names(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, name FROM entities").fetchall())

    def data_version(self) -> int:
        """Changes whenever another connection commits to the read model (SQLite's ``PRAGMA
        data_version``): how an archive knows its cached names may be stale."""
        return int(self.db.conn.execute("PRAGMA data_version").fetchone()[0])

    def merged_ids(self, entity_id: str) -> list[str]:
        """The entity and every entity merged into it."""
        rows = self.db.execute("SELECT id FROM entities WHERE merged_into = ?", [entity_id])
        return [entity_id, *(r[0] for r in rows)]

    def predicates(self) -> dict[str, tuple[str, str]]:
        """Each predicate's label and single side ("" when multi-valued)."""
        return {name: (label, single) for name, label, single in
                self.db.execute("SELECT name, label, single FROM predicates")}

    def claim(self, claim_id: str) -> ClaimRow | None:
        row = self.db.execute(f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.id = ?",
                              [claim_id]).fetchone()
        return claim_row(row) if row else None

    def absent_claims(self, claim_ids: Sequence[str]) -> set[str]:
        """Those of ``claim_ids`` no claim has."""
        wanted = set(claim_ids)
        wanted.difference_update(row[0] for row in self._rows_for(
            "SELECT id FROM claims WHERE id IN ({})", list(wanted)))
        return wanted

    def claim_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM claims ORDER BY n")]

    def corrections(self, claim_id: str, *, recorded_by: bool = False) -> list[dict[str, Any]]:
        """A claim's corrections in the order they were written; with ``recorded_by``, who
        wrote each (None when not recorded)."""
        cols: tuple[str, ...] = ("kind", "known_at", "rank", "by_claim", "reason",
                                 "recorded_at")
        if recorded_by:
            cols += ("recorded_by",)
        rows = self.db.execute(
            f"SELECT {', '.join(cols)} FROM corrections WHERE claim_id = ? ORDER BY position",
            [claim_id])
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def recorded_by(self, claim_ids: Sequence[str]) -> dict[str, str | None]:
        """Who wrote each of these claims (None when not recorded)."""
        return {claim_id: author for claim_id, author in self._rows_for(
            "SELECT id, recorded_by FROM claims WHERE id IN ({})", list(claim_ids))}

    def counts(self) -> dict[str, int]:
        return {t: int(self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in ("entities", "sources", "claims", "corrections")}


    def claims_about(self, entity_ids: Sequence[str]) -> list[ClaimRow]:
        marks = ", ".join("?" * len(entity_ids))
        sql = (f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.subject_id IN ({marks}) "
               f"OR c.object_id IN ({marks}) ORDER BY c.start_lo, c.start_hi, c.n")
        return list(map(claim_row, self.db.execute(sql, [*entity_ids, *entity_ids])))

    def all_claims(self) -> list[ClaimRow]:
        sql = f"SELECT {CLAIM_COLUMNS} FROM claims c ORDER BY c.start_lo, c.start_hi, c.n"
        return list(map(claim_row, self.db.execute(sql)))

    def span(self) -> tuple[int, int] | None:
        """First and last finite day the archive's claims mention."""
        lo = self.db.execute(
            "SELECT min(start_lo) FROM claims WHERE start_lo > ?", [NEG_INF]).fetchone()[0]
        hi = self.db.execute(
            "SELECT max(max(CASE WHEN start_hi < ? THEN start_hi ELSE start_lo END, "
            "CASE WHEN end_hi < ? THEN end_hi - 1 ELSE start_lo END)) "
            "FROM claims", [POS_INF, POS_INF]).fetchone()[0]
        return (lo, hi) if lo is not None else None

