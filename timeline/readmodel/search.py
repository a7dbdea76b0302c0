"""The read model's full-text index: one SQLite FTS5 table (``search``) over the claims, the
sources and the entities, kept current by the projection (``register`` wraps its handlers)
and read by ``timeline.searching``.

Each row has four indexed columns, ranked by bm25 with these weights:

============  =====================  ===================  ====================
column        a claim                a source             an entity
============  =====================  ===================  ====================
``head``      its sentence           its title            its name
``body``      its quotes             its text             its other names
``note``      its note               (empty)              its description
``tags``      its tags               its tags             (empty)
============  =====================  ===================  ====================

A claim's row is ``claims.n``; a source's or an entity's is minus its key in
``search_targets`` (kind, id). The tokenizer is ``unicode61 remove_diacritics 2``: "Altman"
finds "Altmán", and case never matters. A claim withdrawn (retracted, superseded) keeps its
row: a search finds it, marked, from ``claims.withdrawn_day``, so a correction changes no row.
What changes a row: a new claim, source, entity or alias; a merge (the kept entity's names and
its claims' sentences); a predicate's new label (its claims' sentences); a tag put on or
taken off.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

from timeline.domain import (
    AliasAdded,
    AliasRemoved,
    EntitiesMerged,
    EntityCreated,
    PredicateDefined,
    SourceRegistered,
    Tagged,
    Untagged,
)
from timeline.views import label_of, render_statement

#: The columns, in order, and what each holds for a claim, a source and an entity.
COLUMNS = ("head", "body", "note", "tags")
FIELDS = {"claim": ("statement", "quote", "note", "tag"),
          "source": ("title", "text", "", "tag"),
          "entity": ("name", "alias", "description", "")}
#: bm25's weight of each column: a word of a sentence, title or name counts most.
WEIGHTS = (4.0, 1.0, 1.0, 2.0)

#: The characters ``highlight`` marks a match with; no indexed text holds them (they are
#: control characters no name or text may hold, and are replaced by a space if one did).
OPEN, CLOSE = "\x01", "\x02"
_UNMARK = str.maketrans({OPEN: " ", CLOSE: " "})


def _text(value: str | None) -> str:
    return (value or "").translate(_UNMARK)


# --- keeping the index --------------------------------------------------------------------------


def _key(readmodel: Any, kind: str, target: str) -> int:
    """The row of a source or an entity: minus its key in ``search_targets``."""
    db = readmodel.db
    db.execute("INSERT OR IGNORE INTO search_targets (kind, target) VALUES (?, ?)",
               [kind, target])
    row = db.execute("SELECT key FROM search_targets WHERE kind = ? AND target = ?",
                     [kind, target]).fetchone()
    return -int(row[0])


def _put(readmodel: Any, rowid: int, columns: Sequence[str | None]) -> None:
    readmodel.db.execute("DELETE FROM search WHERE rowid = ?", [rowid])
    readmodel.db.execute("INSERT INTO search (rowid, head, body, note, tags) "
                         "VALUES (?, ?, ?, ?, ?)", [rowid, *map(_text, columns)])


def _tags(readmodel: Any, kind: str, targets: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for k in range(0, len(targets), 500):
        part = list(targets[k:k + 500])
        for target, tag in readmodel.db.execute(
                "SELECT target_id, tag FROM tags WHERE target_kind = ? AND target_id IN "
                f"({', '.join('?' * len(part))}) ORDER BY position, tag_key", [kind, *part]):
            found.setdefault(target, []).append(tag)
    return found


def index_source(readmodel: Any, source_id: str) -> None:
    row = readmodel.db.execute("SELECT title, text FROM sources WHERE id = ?",
                               [source_id]).fetchone()
    if row is None:
        return
    tags = _tags(readmodel, "source", [source_id]).get(source_id, [])
    _put(readmodel, _key(readmodel, "source", source_id), [row[0], row[1], "", ", ".join(tags)])


def index_entity(readmodel: Any, entity_id: str) -> None:
    """An entity's row (its name, its other names, its description); none for an entity
    merged into another (the kept entity's row has its names)."""
    entity = readmodel.entity(entity_id)
    key = _key(readmodel, "entity", entity_id)
    merged = readmodel.db.execute("SELECT merged_into FROM entities WHERE id = ?",
                                  [entity_id]).fetchone()
    if entity is None or (merged and merged[0]):
        readmodel.db.execute("DELETE FROM search WHERE rowid = ?", [key])
        return
    _put(readmodel, key, [entity["name"], " · ".join(entity["aliases"]),
                          entity["description"] or "", ""])


def index_claims(readmodel: Any, where: str, params: Sequence[Any], *,
                 new: bool = False) -> None:
    """The rows of the claims ``where`` selects (an SQL condition on ``claims c``): each
    one's sentence (``timeline.views``: names and predicate labels as they are now), quotes,
    note and tags. ``new``: claims just recorded, with no row and no tag yet."""
    db = readmodel.db
    rows = db.execute("SELECT c.n, c.id, c.subject_id, c.predicate, c.object_id, c.value, "
                      f"c.citations, c.note FROM claims c WHERE {where}", params).fetchall()
    if not rows:
        return
    ids = sorted({e for r in rows for e in (r[2], r[4]) if e})
    names = dict(readmodel._rows_for("SELECT id, name FROM entities WHERE id IN ({})", ids))
    predicates = readmodel.predicates()
    tags = {} if new else _tags(readmodel, "claim", [r[1] for r in rows])
    out = []
    for n, claim_id, subject, predicate, obj, value, citations, note in rows:
        sentence = render_statement(names.get(subject, subject),
                                    label_of(predicate, predicates),
                                    names.get(obj, obj) if obj else None, value)
        quotes = "\n".join(c.get("quote", "") for c in json.loads(citations or "[]"))
        out.append((n, _text(sentence), _text(quotes), _text(note),
                    _text(", ".join(tags.get(claim_id, ())))))
    if not new:
        for k in range(0, len(out), 500):
            part = [r[0] for r in out[k:k + 500]]
            db.execute(f"DELETE FROM search WHERE rowid IN ({', '.join('?' * len(part))})",
                       part)
    db.conn.executemany("INSERT INTO search (rowid, head, body, note, tags) "
                        "VALUES (?, ?, ?, ?, ?)", out)


_ABOUT = "c.subject_id = ? OR c.object_id = ?"


def _predicate_label(readmodel: Any, name: str) -> str:
    row = readmodel.db.execute("SELECT label, single FROM predicates WHERE name = ?",
                               [name]).fetchone()
    return label_of(name, {name: (row[0], row[1])} if row else {})


def _entity_name(readmodel: Any, entity_id: str) -> str | None:
    row = readmodel.db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()
    return row[0] if row else None


#: Per event type: what to read before its handler runs, and what to index after it (given
#: what was read before).
Hook = tuple[Callable[[Any, Any], Any], Callable[[Any, Any, Any], None]]


def _after_predicate(readmodel: Any, event: PredicateDefined, before: str) -> None:
    if _predicate_label(readmodel, event.name) != before:
        index_claims(readmodel, "c.predicate = ?", [event.name])


def _after_entity(readmodel: Any, event: EntityCreated, before: str | None) -> None:
    entity_id = str(event.originator_id)
    index_entity(readmodel, entity_id)
    if before is not None and before != event.name:  # created again, under another name
        index_claims(readmodel, _ABOUT, [entity_id, entity_id])


def _after_merge(readmodel: Any, event: EntitiesMerged, _: None) -> None:
    into = readmodel.canonical(str(event.into))
    index_entity(readmodel, str(event.originator_id))
    index_entity(readmodel, into)
    index_claims(readmodel, _ABOUT, [into, into])


def _after_tag(readmodel: Any, event: Tagged | Untagged, _: None) -> None:
    if event.target_kind == "source":
        index_source(readmodel, event.target_id)
    else:
        index_claims(readmodel, "c.id = ?", [event.target_id])


def _nothing(readmodel: Any, event: Any) -> None:
    return None


HOOKS: dict[type, Hook] = {
    PredicateDefined: (lambda rm, e: _predicate_label(rm, e.name), _after_predicate),
    EntityCreated: (lambda rm, e: _entity_name(rm, str(e.originator_id)), _after_entity),
    AliasAdded: (_nothing, lambda rm, e, _: index_entity(
        rm, rm.canonical(str(e.originator_id)))),
    AliasRemoved: (_nothing, lambda rm, e, _: index_entity(
        rm, rm.canonical(str(e.originator_id)))),
    EntitiesMerged: (_nothing, _after_merge),
    SourceRegistered: (_nothing, lambda rm, e, _: index_source(rm, e.source_id)),
    Tagged: (_nothing, _after_tag),
    Untagged: (_nothing, _after_tag),
}


def _hooked(handler: Callable[[Any, Any], None], hook: Hook) -> Callable[[Any, Any], None]:
    before, after = hook

    def handle(readmodel: Any, event: Any) -> None:
        seen = before(readmodel, event)
        handler(readmodel, event)
        after(readmodel, event, seen)

    return handle


Handler = TypeVar("Handler", bound=Callable[..., None])


def register(apply: Any, record_claims: Handler) -> Handler:
    """Keep the index with the projection: wrap the handlers of ``apply`` (a
    singledispatchmethod, once every handler is on it) for the events that change a row, and
    return ``record_claims`` (the handler of a run of new claims) wrapped to index them."""
    for event_type, hook in HOOKS.items():
        apply.register(event_type, _hooked(apply.dispatcher.dispatch(event_type), hook))

    def record(readmodel: Any, run: Any) -> None:
        first = int(readmodel.db.execute(
            "SELECT coalesce(max(n), 0) FROM claims").fetchone()[0]) + 1
        record_claims(readmodel, run)
        index_claims(readmodel, "c.n >= ?", [first], new=True)

    return cast(Handler, record)


# --- reading it ---------------------------------------------------------------------------------


def matches(conn: Any, expression: str, limit: int) -> list[tuple[int, float]]:
    """The rows an FTS5 ``expression`` matches, best first (bm25, then the order written),
    at most ``limit``: (row, score)."""
    weights = ", ".join(map(str, WEIGHTS))
    return [(int(r[0]), float(r[1])) for r in conn.execute(
        f"SELECT rowid, bm25(search, {weights}) AS score FROM search WHERE search MATCH ? "
        "ORDER BY score, rowid LIMIT ?", [expression, limit])]


def marked(conn: Any, expression: str, rowid: int) -> tuple[str, ...]:
    """A row's four columns with each match between ``OPEN`` and ``CLOSE``."""
    marks = ", ".join(f"highlight(search, {k}, char(1), char(2))" for k in range(len(COLUMNS)))
    row = conn.execute(f"SELECT {marks} FROM search WHERE search MATCH ? AND rowid = ?",
                       [expression, rowid]).fetchone()
    return tuple(row) if row else ("",) * len(COLUMNS)


def targets(conn: Any, rowids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(kind, id) of each row: a claim's (positive rows), a source's or an entity's."""
    wanted = list(rowids)
    found: dict[int, tuple[str, str]] = {}
    claims = [r for r in wanted if r > 0]
    keys = [-r for r in wanted if r < 0]
    for sql, part_of, sign in (("SELECT n, 'claim', id FROM claims WHERE n IN ({})", claims, 1),
                               ("SELECT key, kind, target FROM search_targets WHERE key IN ({})",
                                keys, -1)):
        for k in range(0, len(part_of), 500):
            part = part_of[k:k + 500]
            for key, kind, target in conn.execute(sql.format(", ".join("?" * len(part))), part):
                found[sign * int(key)] = (kind, target)
    return found
