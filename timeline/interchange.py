"""Hindsight JSON (``hindsight/1``): import and export, documented in docs/format.md.

The file format is described by the pydantic models below; the JSON Schema shipped in
``timeline/schema/`` is generated from them (``python -m timeline.interchange --schema``), so the
documentation and the validator cannot drift apart.

An import is all or nothing: the whole file is validated against the archive and against
itself, and only then appended in one transaction. The first bad record is reported by its
place (``claims[41].valid: '2023-13' is not a valid EDTF date``). Importing the same file twice
adds nothing: claims keep their ids (derived from content when the file gives none), entities
and sources are matched by name and id.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from timeline import relative_batch
from timeline.app import Archive, Batch
from timeline.calendars import CalendarName
from timeline.citing import CitationAddedRecord, citations_document, stage_cite_record
from timeline.domain import (
    ENTITY_KINDS,
    ClaimReranked,
    ClaimRetracted,
    ClaimSuperseded,
    EntityKind,
    Rank,
)
from timeline.errors import HindsightError, InvalidInput
from timeline.files import open_input
from timeline.interchange_order import ValidField, anchor_order, chain_order, exported_valid
from timeline.jsoncheck import (
    _ESCAPED_SURROGATE,
    _line_column,
    _place,
    _refuse_repeated_keys,
    _refuse_unpaired_surrogates,
    _repeated_key,
)
from timeline.jsonstream import KeyCheck
from timeline.near_new import NearNew, near_new
from timeline.readmodel.added_citations import recorded_citations
from timeline.sourcefiles import SourceText, read_named_source
from timeline.sourcemeta import METADATA_FIELDS, SOURCE_TYPES
from timeline.tagging import TagRecord, stage_tag_record, tags_document
from timeline.words import counted

FORMAT = "hindsight/1"
SCHEMA_PATH = Path(__file__).with_name("schema") / "hindsight-1.schema.json"


class _Record(BaseModel):
    # Unknown fields are allowed: later versions may add fields, and these keep their meaning.
    model_config = ConfigDict(extra="allow", strict=True)


class PredicateRecord(_Record):
    name: str
    label: str = Field("", description="How the predicate reads in a sentence, or a template "
                                       "with {subject}, {object} and {value}.")
    single: bool | Literal["subject", "object", "both"] = Field(
        False, description="Single-valued: one answer at a time per subject (true or "
                           "\"subject\"), per object (\"object\": an office, one holder at a "
                           "time) or \"both\"; disagreeing claims are CONTESTED.")

    @field_validator("single", mode="before")
    @classmethod
    def _one_of_the_sides(cls, value: Any) -> Any:
        # One message for every wrong value, not one per member of the union.
        if value is True or value is False or value in ("subject", "object", "both"):
            return value
        raise ValueError('single must be true, false, "subject", "object" or "both"')


class AuthorRecord(_Record):
    family: str = Field("", description="A person's family name.")
    given: str = Field("", description="A person's given names.")
    literal: str = Field("", description="A name written as it is (an organisation); "
                                         "instead of family and given.")


class SourceRecord(_Record):
    id: str
    title: str
    published: str = Field(description="EDTF date of publication.")
    calendar: CalendarName = Field(
        "gregorian", description="The calendar `published` is written in: gregorian or julian.")
    text: str | None = Field(None, description="The full text (or give `file`).")
    file: str | None = Field(None, description="Path of the text, relative to this file: "
                                               "text, Markdown, HTML or a PDF with a text "
                                               "layer.")
    url: str = Field("", description="Web address (http or https).")
    type: str = Field("", description="CSL type: " + ", ".join(SOURCE_TYPES) + ".")
    authors: list[AuthorRecord] = []
    container: str = Field("", description="The newspaper, journal, book or site it "
                                           "appeared in (CSL container-title).")
    publisher: str = ""
    accessed: str = Field("", description="EDTF date it was read online.")
    archive: str = ""
    archive_location: str = Field("", description="Box, folder, shelfmark.")
    locator: str = Field("", description="Its pages in the container (CSL page).")
    language: str = Field("", description="Language tag: en, fr-CA.")
    note: str = ""
    pages: list[int] = Field([], description="Where each page starts in the text "
                                             "(character offsets; a PDF's pages).")
    version_of: str = Field("", description="Id of the source (earlier in this file or in "
                                            "the archive) this is a later version of.")


class EntityRecord(_Record):
    name: str
    kind: EntityKind = "other"
    aliases: list[str] = []
    description: str = ""


class CitationRecord(_Record):
    source: str
    quote: str = Field(description="Verbatim text of the source.")


class ClaimRecord(_Record):
    id: str | None = Field(None, description="Stable id; derived from content when absent.")
    subject: str
    predicate: str
    object: str | None = Field(None, description="An entity: the claim is a relationship.")
    value: str | None = Field(None, description="A literal, or the relationship's quality.")
    valid: ValidField = Field(
        description="EDTF date or interval when the claim held (a set of dates, [1667,1668]: "
                    "one of them, may be the date or either end); or an object whose start or "
                    "end may be relative to another claim's (docs/time-model.md).")
    calendar: CalendarName = Field(
        "gregorian", description="The calendar `valid` is written in: gregorian or julian.")
    certainty: float = Field(1.0, ge=0.0, le=1.0)
    rank: Rank = "normal"
    known_at: str | None = Field(
        None, description="EDTF date the archive could have known it (default: the first "
                          "cited source's publication date).")
    sources: list[CitationRecord] = []
    note: str = ""
    account_of: str | None = Field(
        None, description="Id of a claim (in this file or the archive) this claim is another "
                          "account of: the same fact, worded differently.")


class RetractionRecord(_Record):
    claim: str
    known_at: str
    reason: str = ""


class SupersessionRecord(_Record):
    claim: str
    by: str = Field(description="Id of the replacement claim (in this file or the archive).")
    known_at: str
    reason: str = ""


class RerankRecord(_Record):
    claim: str
    rank: Rank
    known_at: str
    reason: str = ""


class HindsightFile(_Record):
    """A Hindsight archive, or part of one, as JSON."""

    format: Literal["hindsight/1"]
    predicates: list[PredicateRecord] = []
    sources: list[SourceRecord] = []
    entities: list[EntityRecord] = []
    claims: list[ClaimRecord] = []
    citations: list[CitationAddedRecord] = []
    supersessions: list[SupersessionRecord] = []
    retractions: list[RetractionRecord] = []
    reranks: list[RerankRecord] = []
    tags: list[TagRecord] = []
    #: An export of the archive as recorded on that moment (ISO 8601, UTC); not imported.
    recorded_as_of: str | None = None


def json_schema() -> dict[str, Any]:
    schema = HindsightFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://hindsight.example/schema/hindsight-1.schema.json"
    return schema


# --- reading ----------------------------------------------------------------------------------


def _explain(error: dict[str, Any]) -> str:
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return "is missing"
    if kind == "literal_error" and error["loc"] == ("format",):
        return f"'{given}' is not a format this Hindsight reads (expected '{FORMAT}')"
    if kind == "literal_error" and error["loc"][-1] == "kind":
        return f"'{given}' is not one of {', '.join(ENTITY_KINDS)}"
    message = str(error["msg"])
    return message[0].lower() + message[1:]


def read_file(path: Path) -> tuple[HindsightFile, Path]:
    """Parse and type-check a file; errors name the place (``claims[2].valid: …``)."""
    with open_input(path) as handle:  # a regular file: never a FIFO or /dev/zero
        try:
            raw = handle.read()
        except OSError as exc:
            raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    keys = KeyCheck()
    try:
        data = json.loads(text, object_pairs_hook=keys)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path}: not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise InvalidInput(f"{path}: not a Hindsight file: arrays or objects nested too "
                           "deeply") from None
    except ValueError:  # Python refuses to convert integers of more than 4300 digits
        where = _line_column(text, re.search(r"\d{4301,}", text))
        raise InvalidInput(f"{path}: not a Hindsight file: {where}a number too long to "
                           "read") from None
    if keys.found and isinstance(data, dict):  # else: not a Hindsight file at all
        _refuse_repeated_keys(data, (), path)
    if _ESCAPED_SURROGATE.search(text):
        _refuse_unpaired_surrogates(data)
    return parse(data, str(path)), path.parent


def parse(data: Any, where: str = "file") -> HindsightFile:
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: a Hindsight file is a JSON object with \"format\": "
                           f"\"{FORMAT}\"")
    try:
        return HindsightFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput(f"{_place(first['loc'])}: {_explain(dict(first))}") from None


# --- importing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    events: int
    claims: int
    sources: int
    entities: int
    #: New entities whose names are close to names the archive held before (``near_new``):
    #: said, never refused — the historian merges what was one entity.
    near: tuple[NearNew, ...] = ()

    @classmethod
    def of(cls, batch: Batch) -> ImportReport:
        """What an import wrote, once it is written."""
        return cls(batch.written, **batch.counts,
                   near=near_new(batch.readmodel, batch.created))

    def summary(self) -> str:
        """"8 new events (3 claims, 1 source, 4 entities)"."""
        return (f"{counted(self.events, 'new event')} ({counted(self.claims, 'claim')}, "
                f"{counted(self.sources, 'source')}, "
                f"{counted(self.entities, 'entity', 'entities')})")


def _source_text(record: SourceRecord, base: Path | None) -> SourceText:
    if record.text is not None:
        return SourceText(record.text, tuple(record.pages))
    if record.file is None:
        raise InvalidInput("a source needs its text: give \"text\" or \"file\"", "text")
    # Confined to the import file's folder, a regular file, bounded (timeline/files.py); a
    # PDF's, an HTML or a Markdown file's text extracted (timeline/sourcefiles.py).
    found = read_named_source(base, record.file, "file")
    return found if found.pages or not record.pages else SourceText(found.text,
                                                                    tuple(record.pages))


class ImportCancelled(HindsightError):
    """The user cancelled an import before it was written: nothing was."""


#: Called as ``progress(done, total)`` while a document is staged; returning False cancels.
Progress = Callable[[int, int], bool]


def _counting(doc: HindsightFile, progress: Progress | None) -> Callable[[], None]:
    total = sum(len(getattr(doc, part)) for part in (
        "predicates", "sources", "entities", "claims", "citations", "supersessions",
        "retractions", "reranks", "tags"))
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 50 == 0 or done == total) and not progress(
                done, total):
            raise ImportCancelled("import cancelled; nothing was written")
    return tick


def _stage_predicate(batch: Batch, p: PredicateRecord, base: Path | None) -> None:
    batch.predicate(p.name, p.label, p.single, redefine=True, field_name="name")


def _stage_source(batch: Batch, s: SourceRecord, base: Path | None) -> None:
    found = _source_text(s, base)
    meta = {name: getattr(s, name) for name in METADATA_FIELDS}
    meta["authors"] = [a.model_dump(include={"family", "given", "literal"}) for a in s.authors]
    batch.source(s.id, s.title, s.published, found.text, s.url, pages=found.pages,
                 version_of=s.version_of, meta=meta, calendar=s.calendar)


def _stage_entity(batch: Batch, e: EntityRecord, base: Path | None) -> None:
    batch.entity(e.name, e.kind, e.description)
    for alias in e.aliases:
        batch.alias(e.name, alias)


#: Each part of a document: its record type and how one record is staged, in staging order
#: (claims need their sources and entities; corrections need their claims).
_PARTS: dict[str, tuple[type[BaseModel], Callable[[Batch, Any, Path | None], Any]]] = {
    "predicates": (PredicateRecord, _stage_predicate),
    "sources": (SourceRecord, _stage_source),
    "entities": (EntityRecord, _stage_entity),
    "claims": (ClaimRecord, lambda batch, c, base: stage_claim(batch, c)),
    "citations": (CitationAddedRecord, lambda batch, c, base: stage_cite_record(batch, c)),
    "supersessions": (SupersessionRecord, lambda batch, s, base: _supersede(batch, s)),
    "retractions": (RetractionRecord, lambda batch, r, base: _retract(batch, r)),
    "reranks": (RerankRecord, lambda batch, rr, base: _rerank(batch, rr)),
    "tags": (TagRecord, lambda batch, t, base: stage_tag_record(batch, t)),
}


#: Claims staged together: their ids are looked up in the read model with one statement.
_GROUP = 100


def _stage_part(batch: Batch, part: str, records: Iterable[tuple[int, Any]],
                base: Path | None, tick: Callable[[], None]) -> None:
    """Stage records of one part; errors name the record (``claims[2].valid: …``)."""
    action = _PARTS[part][1]
    group: list[tuple[int, Any]] = []
    if part == "supersessions":
        records = chain_order(records)
        relative_batch.defer(batch)  # relative dates follow after the file's corrections
    elif part == "claims":
        records = anchor_order(records)
    reading = iter(records)
    while True:
        try:
            item = next(reading)
        except StopIteration:
            break
        except Exception:
            # Reading a later record failed (a streamed file): an earlier record's error, if
            # any, is the one to report.
            _stage_group(batch, part, action, group, base, tick)
            raise
        group.append(item)
        if len(group) == _GROUP:
            _stage_group(batch, part, action, group, base, tick)
            group = []
    _stage_group(batch, part, action, group, base, tick)
    if part == "retractions":
        try:
            relative_batch.follow_deferred(batch)
        except HindsightError as exc:
            raise type(exc)(f"relative dates: {exc}") from None


def _stage_group(batch: Batch, part: str, action: Callable[[Batch, Any, Path | None], Any],
                 group: list[tuple[int, Any]], base: Path | None, tick: Callable[[], None]
                 ) -> None:
    if part == "claims":
        # Nearly every claim of an import is new: one look-up for the group, not one each.
        batch.absent([record.id for _, record in group if record.id is not None])
    for k, record in group:
        tick()
        try:
            action(batch, record, base)
        except InvalidInput as exc:
            raise exc.at(f"{part}[{k}]") from None
        except HindsightError as exc:
            raise type(exc)(f"{part}[{k}]: {exc}") from None
        batch.staged()


def stage(batch: Batch, doc: HindsightFile, base: Path | None = None,
          progress: Progress | None = None) -> None:
    """Validate a whole document into a batch (nothing is written until it commits)."""
    tick = _counting(doc, progress)
    for part in _PARTS:
        _stage_part(batch, part, enumerate(getattr(doc, part)), base, tick)


def stage_claim(batch: Batch, c: ClaimRecord) -> str:
    """Validate one claim into a batch; returns its id. Without ``known_at`` it is known from
    its first cited source's publication (``Batch.record``). Errors name the claim's field
    (``valid``, ``sources[1].quote``)."""
    return batch.record(c.subject, c.predicate, valid=c.valid, value=c.value, object=c.object,
                        sources=[(s.source, s.quote) for s in c.sources], known_at=c.known_at,
                        certainty=c.certainty, rank=c.rank, note=c.note, claim_id=c.id,
                        account_of=c.account_of, calendar=c.calendar)


def _supersede(batch: Batch, s: SupersessionRecord) -> None:
    # A repeated import finds its corrections already in the claim's stream.
    if not batch.history(s.claim).has(ClaimSuperseded, by=s.by, known_at=s.known_at):
        batch.supersede(s.claim, by=s.by, known_at=s.known_at, reason=s.reason)


def _rerank(batch: Batch, rr: RerankRecord) -> None:
    if not batch.history(rr.claim).has(ClaimReranked, rank=rr.rank, known_at=rr.known_at):
        batch.rerank(rr.claim, rr.rank, rr.known_at, rr.reason)


def _retract(batch: Batch, r: RetractionRecord) -> None:
    if not batch.history(r.claim).has(ClaimRetracted, known_at=r.known_at):
        batch.retract(r.claim, r.known_at, r.reason)


def import_document(archive: Archive, doc: HindsightFile, base: Path | None = None,
                    progress: Progress | None = None) -> ImportReport:
    with archive.bulk_batch() as batch:
        stage(batch, doc, base, progress)
    return ImportReport.of(batch)


#: Files from this size on are read as a stream (``timeline.jsonstream``): memory stays flat
#: whatever the size of the file, in the same time (docs/performance.md). Smaller files are
#: read whole.
STREAM_FROM = 8 * 1024 * 1024


def import_file(archive: Archive, path: Path, progress: Progress | None = None
                ) -> ImportReport:
    with open_input(path) as handle:  # a regular file, or refused here
        size = os.fstat(handle.fileno()).st_size
    if size < STREAM_FROM:
        doc, base = read_file(path)
        return import_document(archive, doc, base, progress)
    return _import_stream(archive, path, size, progress)


_ADAPTERS = {part: TypeAdapter(list[record])  # type: ignore[valid-type]
             for part, (record, _) in _PARTS.items()}
_FORMAT = TypeAdapter(Literal["hindsight/1"])
_CLAIM = TypeAdapter(ClaimRecord)


def _validated(adapter: TypeAdapter[Any], value: Any, loc: tuple[int | str, ...]) -> Any:
    try:
        return adapter.validate_python(value, strict=True)
    except ValidationError as exc:
        first: dict[str, Any] = dict(exc.errors()[0])
        first["loc"] = (*loc, *first["loc"])
        raise InvalidInput(f"{_place(first['loc'])}: {_explain(first)}") from None


def _read_claims(stream: Any, claim: Callable[[int, Any], ClaimRecord]
                 ) -> Iterator[tuple[int, ClaimRecord]]:
    for item in stream:
        yield stream.index, claim(stream.index, item)


def _import_stream(archive: Archive, path: Path, size: int, progress: Progress | None
                   ) -> ImportReport:
    """Import a large file read as a stream, written in chunks into one transaction.

    Parts are staged in the order claims need (predicates, sources, entities, then claims,
    then corrections). In the usual file order — ours, and the schema's — claims are staged
    as they are read; a file that puts its claims before what they need has them set aside
    in a temporary file and staged at the end."""
    from timeline import jsonstream

    parts: dict[str, list[Any]] = {}
    staged: set[str] = set()
    format_seen = False
    base = path.parent
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if progress is not None and count % 50 == 0 and not progress(reader.bytes_read, size):
            raise ImportCancelled("import cancelled; nothing was written")

    def stage_pending(upto: str) -> None:
        for part in _PARTS:
            if part == upto:
                return
            if part not in staged:
                staged.add(part)
                _stage_part(batch, part, enumerate(parts.get(part, ())), base, tick)

    def repeated_keys(value: Any, loc: tuple[int | str, ...]) -> None:
        if reader.keys.found:  # the value just read repeats a key somewhere
            reader.keys.found = False
            _refuse_repeated_keys(value, loc, path)

    def claim(k: int, item: Any) -> Any:
        repeated_keys(item, ("claims", k))
        if reader.escaped_surrogates:
            _refuse_unpaired_surrogates(item, ("claims", k))
        return _validated(_CLAIM, item, ("claims", k))

    with open_input(path) as handle, archive.bulk_batch() as batch, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as spill:
        reader = jsonstream.Reader(path, handle)
        spilled = 0
        keys: set[str] = set()
        try:
            for key, value in jsonstream.members(reader, frozenset({"claims"})):
                if key in keys:
                    raise _repeated_key((), key, path)
                keys.add(key)
                if not isinstance(value, jsonstream.Stream):
                    repeated_keys(value, (key,))
                if key == "format":
                    _validated(_FORMAT, value, ("format",))
                    format_seen = True
                elif key == "claims" and isinstance(value, jsonstream.Stream):
                    ready = {"predicates", "sources", "entities"} <= parts.keys()
                    if ready:
                        stage_pending("claims")
                        staged.add("claims")
                    if ready:
                        _stage_part(batch, "claims", _read_claims(value, claim), base, tick)
                        continue
                    for item in value:  # claims before their sources: set aside
                        claim(value.index, item)
                        spill.write(json.dumps(item) + "\n")
                        spilled += 1
                elif key in _PARTS:
                    if reader.escaped_surrogates:
                        _refuse_unpaired_surrogates(value, (key,))
                    parts[key] = _validated(_ADAPTERS[key], value, (key,))
        except jsonstream.NotAnObject:
            raise InvalidInput(f"{path}: a Hindsight file is a JSON object with \"format\": "
                               f"\"{FORMAT}\"") from None
        if not format_seen:
            raise InvalidInput("format: is missing")
        stage_pending("claims")
        if "claims" not in staged:
            spill.seek(0)
            records = ((k, ClaimRecord.model_validate_json(line))
                       for k, line in zip(range(spilled), spill, strict=False))
            _stage_part(batch, "claims", records, base, tick)
            staged.add("claims")
        stage_pending("")
    if progress is not None:
        progress(size, size)
    return ImportReport.of(batch)


# --- exporting --------------------------------------------------------------------------------


def export_document(archive: Archive) -> dict[str, Any]:
    rm = archive.readmodel
    names = archive.names
    doc: dict[str, Any] = {"format": FORMAT}
    # A predicate single per subject is written ``true``, as files before sides were.
    doc["predicates"] = [{"name": n, "label": label,
                          "single": True if single == "subject" else (single or False)}
                         for n, (label, single) in sorted(archive.predicates.items())]
    doc["sources"] = sources_document(rm.sources())
    doc["entities"] = [{"name": e["name"], "kind": e["kind"], "aliases": e["aliases"],
                        "description": e["description"]} for e in rm.entities()]
    claims, retractions, supersessions, reranks = [], [], [], []
    for claim_id in rm.claim_ids():
        c = rm.claim(claim_id)
        assert c is not None
        claims.append({
            "id": c.id, "subject": names[c.subject_id], "predicate": c.predicate,
            "object": names[c.object_id] if c.object_id else None, "value": c.value,
            "valid": exported_valid(rm, c.id, c.valid), "certainty": c.certainty,
            "rank": c.rank, "known_at": c.known_at,
            "sources": recorded_citations(rm, c.id, c.sources),
            "note": c.note})
        if c.tie:
            claims[-1]["account_of"] = c.tie
        if c.calendar != "gregorian":  # a Gregorian claim is written as before calendars
            claims[-1]["calendar"] = c.calendar
        withdrawn: list[dict[str, Any]] | None = None  # where its withdrawal in force went
        for fix in rm.corrections(claim_id):
            base = {"claim": c.id, "known_at": fix["known_at"], "reason": fix["reason"]}
            if fix["kind"] == "restored":  # an undone withdrawal is folded away (docs/undo.md)
                if withdrawn:
                    withdrawn.pop()
                withdrawn = None
            elif fix["kind"] == "retracted":
                retractions.append(base)
                withdrawn = retractions
            elif fix["kind"] == "superseded":
                supersessions.append({**base, "by": fix["by_claim"]})
                withdrawn = supersessions
            else:
                reranks.append({**base, "rank": fix["rank"]})
    doc.update(claims=claims, citations=citations_document(rm), supersessions=supersessions,
               retractions=retractions, reranks=reranks, tags=tags_document(rm))
    return doc


def sources_document(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources as Hindsight JSON: each with its metadata, pages and version tie when it has
    them (a source without them is written as before they existed); first versions before
    later ones, so that a file imports in its order."""
    out = []
    for s in sorted(sources, key=lambda s: (bool(s["version_of"]), s["id"])):
        record = {"id": s["id"], "title": s["title"], "published": s["published"],
                  "url": s["url"], "text": s["text"]}
        record.update({k: s[k] for k in (*METADATA_FIELDS, "pages", "version_of") if s[k]})
        if s["calendar"] != "gregorian":
            record["calendar"] = s["calendar"]
        out.append(record)
    return out


def export_file(archive: Archive, path: Path) -> int:
    """Write the whole archive as Hindsight JSON, as every export is written (never over the
    archive's own files, a device or a pipe; no partial file: ``formats.base``)."""
    from timeline.formats.base import write_json  # formats import this module

    doc = export_document(archive)
    write_json(path, doc, archive)
    return len(doc["claims"])


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    if sys.argv[1:] == ["--schema"]:
        SCHEMA_PATH.parent.mkdir(exist_ok=True)
        SCHEMA_PATH.write_text(json.dumps(json_schema(), indent=2) + "\n")
        print(SCHEMA_PATH)
