"""The read model's layout: its tables, its version, and the rows its queries return.

Everything in the read model can be recomputed from the events, so it carries its own layout
version (``READMODEL_VERSION``) and is rebuilt, never migrated, when that changes.

The interval index is an R*Tree (``claim_index``). Each claim is a rectangle in two times:

- valid time: from the earliest day it may have started to the last day it may have held;
- known time: from the day its source made it known to the day before it was withdrawn
  (retracted or superseded) — open when it never was.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import operator
from collections.abc import Iterator
from pathlib import Path

from pydantic import TypeAdapter

from timeline.asof.claims import ClaimRow, SlotStart
from timeline.domain import Citation

#: Bump when the tables below change: an older read model is then rebuilt from the events.
READMODEL_VERSION = 13  # 5: accounts of one fact (tie, shared), single sides; 6: tags;
#                         7: the full-text index (search, readmodel/search.py);
#                         8: sources' CSL metadata, pages and versions;
#                         9: citations added to recorded claims (added_citations);
#                         10: relative dates (relatives, relative_anchors);
#                         11: the calendar of a claim's valid time and a source's date;
#                         12: recorded positions in the index (withdrawn_pos, an entity's
#                             position; docs/time-model.md#recorded-time)
#                         13: leaner: no claims_fact index, claims_object only of claims
#                             with an object, claim_streams keyed by integers

#: Bytes of the read model mapped into memory for reading. Mapped pages a process has read
#: count as its memory, and past this size a larger map bought no measurable speed; this keeps
#: the gain on archives of a few hundred thousand events and bounds what the map adds to peak
#: memory (the measurements: docs/performance.md).
MMAP_SIZE = 256 << 20

#: Bytes of the read model read ahead, in the background, when an archive is opened.
PREWARM_BYTES = 4 << 30

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS predicates (name TEXT PRIMARY KEY, label TEXT, single TEXT);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, name TEXT, kind TEXT, description TEXT, merged_into TEXT,
    position INTEGER);
CREATE TABLE IF NOT EXISTS names (
    norm TEXT PRIMARY KEY, name TEXT, entity_id TEXT, is_alias INTEGER);
CREATE INDEX IF NOT EXISTS names_entity ON names(entity_id);
CREATE INDEX IF NOT EXISTS entities_merged ON entities(merged_into);
-- Sources (readmodel/sources.py): authors and pages as JSON lists; version_of the first version.
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, title TEXT, published TEXT, published_day INTEGER, url TEXT,
    text TEXT, type TEXT, authors TEXT, container TEXT, publisher TEXT, accessed TEXT,
    archive TEXT, archive_location TEXT, locator TEXT, language TEXT, note TEXT, pages TEXT,
    version_of TEXT, calendar TEXT NOT NULL DEFAULT 'gregorian');
CREATE INDEX IF NOT EXISTS sources_version ON sources(version_of) WHERE version_of != '';
CREATE TABLE IF NOT EXISTS claims (
    n INTEGER PRIMARY KEY,
    id TEXT UNIQUE NOT NULL,
    subject_id TEXT NOT NULL, predicate TEXT NOT NULL, object_id TEXT, value TEXT,
    slot_object TEXT NOT NULL, answer TEXT NOT NULL,
    valid TEXT NOT NULL,
    start_lo INTEGER, start_hi INTEGER, end_lo INTEGER, end_hi INTEGER,
    certainty REAL, rank TEXT, reranked INTEGER DEFAULT 0,
    known_at TEXT, known_day INTEGER, withdrawn_day INTEGER,
    citations TEXT, note TEXT, recorded_at TEXT, position INTEGER, recorded_by TEXT,
    tie TEXT, shared INTEGER NOT NULL DEFAULT 0, calendar TEXT NOT NULL DEFAULT 'gregorian',
    withdrawn_pos INTEGER NOT NULL DEFAULT 0);
-- The per-entity indexes carry what a per-entity as-of query filters on (valid and known
-- bounds) and the slot inertia looks in (subject, predicate, slot object, answer), so only
-- the claims that pass and that inertia leaves are read from the table; claims_slot also
-- carries all that inertia needs (SlotStart), so its successor query never reads the table.
-- ``n`` keeps rows of equal start in the order they were recorded. Both also carry the log
-- positions a question "as recorded at P" filters on (``position``: the event that recorded
-- the claim; ``withdrawn_pos``: the one that withdrew it, 0 when none), so that its stab stays
-- in the index too.
CREATE INDEX IF NOT EXISTS claims_slot ON claims(
    subject_id, predicate, slot_object, start_lo, n, end_hi, known_day, withdrawn_day,
    start_hi, answer, rank, reranked, id, shared, position, withdrawn_pos);
-- A fact's accounts (the claims of one slot and answer) are read from claims_slot too: a
-- slot's entries lie together, and its answer is among them. The claims tied to a root.
CREATE INDEX IF NOT EXISTS claims_tie ON claims(tie) WHERE tie IS NOT NULL;
-- Only claims with an object are found by it (a claim with a value is about its subject).
CREATE INDEX IF NOT EXISTS claims_object ON claims(
    object_id, start_lo, n, end_hi, known_day, withdrawn_day, subject_id, predicate,
    slot_object, answer, position, withdrawn_pos) WHERE object_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS claims_start ON claims(start_lo);
-- The claims withdrawn before they were known, which are in no rectangle of claim_index: a
-- question as recorded before the withdrawal finds them here (few, if any).
CREATE INDEX IF NOT EXISTS claims_unindexed ON claims(withdrawn_pos)
    WHERE withdrawn_day <= known_day;
-- The claim whose stream a correction is on, by the stream's first 8 bytes as an integer
-- (``readmodel.streams``: which checks the claim's own stream, should two share a key).
CREATE TABLE IF NOT EXISTS claim_streams (key INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (key, n)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS claim_index USING rtree_i32(n, v_lo, v_hi, k_lo, k_hi);
CREATE TABLE IF NOT EXISTS ranks (
    claim_n INTEGER, known_day INTEGER, position INTEGER, rank TEXT);
CREATE INDEX IF NOT EXISTS ranks_claim ON ranks(claim_n, known_day, position);
CREATE TABLE IF NOT EXISTS corrections (
    claim_id TEXT, kind TEXT, known_at TEXT, known_day INTEGER, rank TEXT, by_claim TEXT,
    reason TEXT, recorded_at TEXT, position INTEGER, recorded_by TEXT);
CREATE INDEX IF NOT EXISTS corrections_claim ON corrections(claim_id);
-- Tags on claims and sources (readmodel/tags.py): the tag as stored, and its key (domain.tag_key).
CREATE TABLE IF NOT EXISTS tags (
    target_kind TEXT NOT NULL, target_id TEXT NOT NULL, tag_key TEXT NOT NULL, tag TEXT NOT NULL,
    position INTEGER, PRIMARY KEY (target_kind, target_id, tag_key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_key ON tags(tag_key);
-- Citations added to recorded claims (readmodel/citations.py), also in their claims' citations.
CREATE TABLE IF NOT EXISTS added_citations (
    claim_id TEXT NOT NULL, source TEXT NOT NULL, quote TEXT NOT NULL, position INTEGER);
CREATE INDEX IF NOT EXISTS added_citations_claim ON added_citations(claim_id);
-- Relative dates (readmodel/relative.py): a claim's stored valid and its relative form (JSON),
-- and which claims each anchor dates.
CREATE TABLE IF NOT EXISTS relatives (
    claim_id TEXT PRIMARY KEY, valid TEXT NOT NULL, form TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS relative_anchors (
    anchor_id TEXT NOT NULL, claim_id TEXT NOT NULL, PRIMARY KEY (anchor_id, claim_id))
    WITHOUT ROWID;
-- The full-text index (readmodel/search.py): a claim's row is its n, a source's or an
-- entity's minus its key here.
CREATE TABLE IF NOT EXISTS search_targets (
    key INTEGER PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL, UNIQUE (kind, target));
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    head, body, note, tags, tokenize = 'unicode61 remove_diacritics 2');
"""

#: SCHEMA one statement at a time, to create the tables inside a transaction of the caller's
#: (``executescript`` would commit first).
SCHEMA_STATEMENTS = tuple(s.strip() for s in SCHEMA.split(";\n") if s.strip())

#: The read model's bookkeeping (``meta``): its layout version, the log position it has
#: applied up to, and which log that is — the ``event_digest`` of the log's first event
#: (``log``) and of the event at ``position`` (``head``). A read model whose ``log`` or ``head``
#: is not the archive's was built from another archive's log and is rebuilt from scratch.
META_KEYS = ("version", "position", "log", "head")
#: Also in ``meta``: ``structure``, the position of the last event applied whose effect on an
#: as-of answer a filter on log positions cannot undo (``readmodel.structure``).

#: A claim's citations as the read model keeps them: compact JSON, non-ASCII kept as is.
CITATIONS: TypeAdapter[tuple[Citation, ...]] = TypeAdapter(tuple[Citation, ...])

TABLES = ("meta", "predicates", "entities", "names", "sources", "claims", "claim_streams",
          "claim_index", "ranks", "corrections", "tags", "added_citations",
          "relatives", "relative_anchors", "search_targets", "search")


def readmodel_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".index")



CLAIM_COLUMNS = ", ".join(f"c.{name}" for name in ClaimRow._fields)

#: ``ClaimRow._make`` without a Python call per row (queries build thousands), and the
#: columns of a row that are a ClaimRow's when it has more.
claim_row = functools.partial(tuple.__new__, ClaimRow)
claim_part = operator.itemgetter(slice(len(ClaimRow._fields)))
last_column = operator.itemgetter(-1)


SLOT_COLUMNS = ", ".join(f"c.{name}" for name in SlotStart._fields)


#: A bulk import or a rebuild collects cyclic garbage itself, once per this many events.
COLLECT_EVERY = 100_000


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the length of a bulk import or a long
    catch-up (a rebuild of the read model).

    An import keeps each chunk's events, rows and pydantic models alive until the chunk is
    written, so they reach the oldest generation, and every few chunks the collector walks
    every object in the process to find the few cycles among them: a large share of a big
    import's time (docs/performance.md). Reference counting still frees nearly everything;
    ``Batch.flush`` and ``catch_up`` collect once every ``COLLECT_EVERY`` events
    (``collect_past``), so cyclic garbage stays bounded."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def collect_past(before: int, after: int) -> None:
    """For a writer that paused the collector: one full collection each time its count of
    events written, going from ``before`` to ``after``, passes a multiple of
    ``COLLECT_EVERY``."""
    if before // COLLECT_EVERY != after // COLLECT_EVERY:
        gc.collect()


#: A claim gives the same slot and answer as another (or is tied by ``account_of``): it is
#: ``shared``, and an answer looks up its other accounts. Set on the new claims of a run
#: (``:first`` on), on the older claims they join (only those not yet shared: once per
#: fact), and on the roots they are tied to and the claims of the roots' slot and answer;
#: a root is marked 2 as well (``shared & 2``: claims are tied to it).
_FACT_OF = ("x.subject_id = c.subject_id AND x.predicate = c.predicate "
            "AND x.slot_object = c.slot_object AND x.answer = c.answer AND x.n != c.n")
SHARE_NEW = f"""
UPDATE claims SET shared = 1 WHERE n IN (
    SELECT c.n FROM claims c WHERE c.n >= :first AND (c.tie IS NOT NULL OR EXISTS (
        SELECT 1 FROM claims x INDEXED BY claims_slot WHERE {_FACT_OF}))
    UNION ALL
    SELECT x.n FROM claims c JOIN claims x INDEXED BY claims_slot ON {_FACT_OF}
    WHERE c.n >= :first AND x.n < :first AND x.shared = 0
    UNION ALL
    SELECT x.n FROM claims t JOIN claims c ON c.id = t.tie
    JOIN claims x INDEXED BY claims_slot ON {_FACT_OF.replace(" AND x.n != c.n", "")}
    WHERE t.n >= :first AND t.tie IS NOT NULL AND x.shared = 0);
UPDATE claims SET shared = shared | 2 WHERE shared < 2 AND id IN (
    SELECT tie FROM claims WHERE n >= :first AND tie IS NOT NULL)
"""
#: After a merge, the claims about the entity merged into that now share a slot and answer.
SHARE_MERGED = f"""
UPDATE claims SET shared = 1 WHERE shared = 0 AND n IN (
    SELECT c.n FROM claims c WHERE (c.subject_id = :into OR c.object_id = :into)
    AND EXISTS (SELECT 1 FROM claims x INDEXED BY claims_slot WHERE {_FACT_OF}))
"""
