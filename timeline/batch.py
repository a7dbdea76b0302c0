"""A batch of validated events, appended together in one transaction or not at all.

Everything is checked against the archive *and* the batch itself (an import may define an
entity and use it three lines later); a correction is decided on the claim's own stream
(``ClaimHistory``). ``timeline.commands`` makes each of the archive's one-event commands a
batch of its own; an import is one large batch (``Commands.bulk_batch``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from timeline import relative_batch
from timeline.asof.claims import ClaimRow
from timeline.calendars import GREGORIAN
from timeline.citing import citations_of, stage_cite
from timeline.claimfields import calendar_field, published_known_at, valid_field
from timeline.claimfields import date_field as _date_field
from timeline.claimfields import known_at_field as _known_at
from timeline.claimfields import lookupable as _lookupable
from timeline.claimfields import rank_field as _rank
from timeline.domain import (
    ENTITY_KINDS,
    GENERIC_KINDS,
    TITLE_MAX,
    AliasAdded,
    Citation,
    ClaimHistory,
    ClaimRecorded,
    ClaimReranked,
    ClaimRetracted,
    ClaimSuperseded,
    Correction,
    DomainEvent,
    EntitiesMerged,
    EntityCreated,
    PredicateDefined,
    SourceRegistered,
    check_predicate_name,
    claim_stream,
    clean_id,
    clean_name,
    clean_text,
    derive_claim_id,
    entity_stream,
    merged_kind,
    normalise_name,
    predicate_stream,
    single_side,
    source_stream,
)
from timeline.errors import Conflict, InvalidInput, NearNames, NotFound
from timeline.readmodel import ReadModel, collect_past
from timeline.readmodel.added_citations import recorded_citations
from timeline.sourcemeta import check_pages, clean_metadata, clean_url

if TYPE_CHECKING:
    from timeline.app import Archive


@dataclass
class Batch:
    """Validated events waiting to be appended together.

    Everything is checked against the archive *and* the batch itself (an import may define an
    entity and use it three lines later). Nothing reaches the store until ``commit``; leaving
    the ``with`` block by an exception writes nothing.
    """

    archive: Archive
    events: list[DomainEvent] = field(default_factory=list)
    _versions: dict[UUID, int] = field(default_factory=dict)
    _names: dict[str, UUID] = field(default_factory=dict)  # normalised name -> stream
    _entity_names: dict[UUID, str] = field(default_factory=dict)
    _sources: dict[str, str] = field(default_factory=dict)  # id -> text
    _source_dates: dict[str, str] = field(default_factory=dict)  # id -> known_at it gives
    _source_roots: dict[str, str] = field(default_factory=dict)  # id -> its first version
    _claims: dict[str, ClaimRecorded] = field(default_factory=dict)
    _dependents: dict[str, list[str]] = field(default_factory=dict)  # staged, by anchor
    #: Corrections whose relative dates follow once an import's own are staged (relative_batch)
    follow_later: list[tuple[str, str | None, str]] | None = None
    _histories: dict[str, ClaimHistory] = field(default_factory=dict)  # claim id -> its stream
    _absent: set[str] = field(default_factory=set)  # claim ids the read model lacks (``absent``)
    _predicates: set[str] = field(default_factory=set)
    created: list[str] = field(default_factory=list)  # names of entities made on first mention
    chunk: int = 0  # a bulk batch writes every ``chunk`` staged events (Archive.bulk_batch)
    written: int = 0  # events a bulk batch has already written
    _counts: Counter[str] = field(default_factory=Counter)  # staged events by kind
    tags_on: dict[UUID, bool] = field(default_factory=dict)  # tag stream -> on (tagging.py)

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()

    def commit(self) -> int:
        """Append everything staged in one transaction and bring the read model up to date —
        from memory when nobody else wrote in between, from the log otherwise."""
        positions = self.archive.store.append(self.events)
        author = self.archive.store.recorded_by if self.events else None  # as append wrote
        self.archive.readmodel.apply_own(self.events, positions, author)
        self.archive.refresh()
        self.written += len(self.events)
        self.events = []
        return self.written

    @property
    def counts(self) -> dict[str, int]:
        """Claims, sources and entities this batch has staged (written or not)."""
        return {"claims": self._counts["ClaimRecorded"], "sources": self._counts[
            "SourceRegistered"], "entities": self._counts["EntityCreated"]}

    def staged(self) -> None:
        """Called after each whole record of an import: in a bulk batch, writes the staged
        events once there are ``chunk`` of them."""
        if self.chunk and len(self.events) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Bulk batches only: write what is staged into the open transactions and forget it.
        Later checks find it in the read model (the same connection sees its own writes) and
        stream versions in the store (``EventStore.version`` reads through the transaction)."""
        if not self.events:
            return
        before = self.written
        self.commit()
        self._claims.clear()
        self._dependents.clear()
        self._histories.clear()
        self._versions.clear()
        collect_past(before, self.written)  # the collector is paused during a bulk import

    @property
    def readmodel(self) -> ReadModel:
        return self.archive.readmodel

    def _emit(self, cls: type[DomainEvent], stream: UUID, *, new: bool = False,
              **fields: Any) -> None:
        """Queue an event at the stream's next version. ``new`` streams start at 1 without a
        look-up: if another writer created the stream meanwhile, the store refuses the batch."""
        version = self._versions.get(stream)
        if version is None:
            version = 0 if new else self.archive.store.version(stream)
        version += 1
        self._versions[stream] = version
        self.events.append(cls(originator_id=stream, originator_version=version, **fields))
        self._counts[cls.__name__] += 1

    def _read(self, stream: UUID) -> list[DomainEvent]:
        """A stream's events as stored, and the version this batch then expects of it:
        whatever another writer appends to it later makes the store refuse this batch
        instead of applying both."""
        events = self.archive.store.stream(stream)
        self._versions.setdefault(stream, events[-1].originator_version if events else 0)
        return events

    # --- predicates and entities ------------------------------------------------------------

    def predicate(self, name: str, label: str = "", single: bool | str = False, *,
                  redefine: bool = False, field_name: str = "predicate") -> None:
        if not redefine and (name in self._predicates or name in self.archive.predicates):
            return  # already defined: every claim of an import names its predicate
        check_predicate_name(name, field_name)
        side = single_side(single)
        # A label is data, shown literally but for its {subject}, {object} and {value}
        # (views.render_statement); stored as checked.
        label = clean_name(label, "label", "a predicate label", empty=True)
        known = self.archive.predicates.get(name)
        if known is None and name not in self._predicates:
            # Another writer may have defined it since our read model last caught up: do not
            # redefine it with an empty label.
            defined = self._read(predicate_stream(name))
            if defined:
                last = defined[-1]
                assert isinstance(last, PredicateDefined)
                known = (last.label, single_side(last.single))
        if name in self._predicates or (known and not redefine):
            return
        if known == (label, side):
            return
        self._predicates.add(name)
        # "subject" is stored as ``true``, as before sides existed: older readers read it.
        self._emit(PredicateDefined, predicate_stream(name), name=name, label=label,
                   single=True if side == "subject" else (side or False))

    def resolve(self, name: str) -> UUID | None:
        pending = self._names.get(normalise_name(name))
        if pending:
            return pending
        found = self.readmodel.resolve(name)
        return UUID(found) if found else None

    def entity(self, name: str, kind: str = "other", description: str = "") -> UUID:
        """The entity a name stands for, created on first mention. A name the archive already
        holds is looked up as it is (names stored before the rule are not checked again); a new
        name is checked and stored as checked (``clean_name``)."""
        if _lookupable(name):
            found = self.resolve(name)
            if found:
                return found
        name = clean_name(name, "name", "an entity name")
        if kind not in ENTITY_KINDS:
            raise InvalidInput(f"kind {kind!r} is not one of {', '.join(ENTITY_KINDS)}", "kind")
        description = clean_text(description, "description", "a description")
        stream = entity_stream(name)  # the same key as the name given: normalise_name agrees
        if self.archive.store.version(stream):
            # Created by another writer since our read model last caught up.
            self.archive.refresh()
            return self.resolve(name) or stream
        self._emit(EntityCreated, stream, new=True, name=name, kind=kind,
                   description=description)
        self._names[normalise_name(name)] = stream
        self._entity_names[stream] = name
        self.created.append(name)
        return stream

    def _role(self, name: str, role: str, kind: str | None = None,
              new_entity: bool | None = None) -> UUID:
        """The entity playing a role in a claim, created of ``kind`` when the name is new;
        errors name the role, not the entity. With ``new_entity=False`` a new name close to
        names the archive holds is refused (``NearNames``) instead of made an entity."""
        try:
            if new_entity is False and not (_lookupable(name) and self.resolve(name)):
                name = clean_name(name, "name", "an entity name")  # its own errors first
                near = self.readmodel.near_names(name)
                if near:
                    raise NearNames(name, near, role)
            return self.entity(name, kind or "other")
        except NearNames:
            raise
        except InvalidInput as exc:
            raise InvalidInput(exc.message, role) from None

    def _kind_of(self, kind: str, entities: Sequence[UUID | None]) -> None:
        """``kind`` given for a claim that made no new entity: one of its entities must
        already be of that kind (an entity's kind is set when it is created)."""
        known = [found for e in dict.fromkeys(entities) if e is not None
                 and (found := self.readmodel.entity(str(e))) is not None]
        if known and all(e["kind"] != kind for e in known):
            held = " and ".join(f"'{e['name']}' ({e['kind']})" for e in known)
            raise InvalidInput(f"{held} {'is' if len(known) == 1 else 'are'} already in the "
                               f"archive: kind {kind!r} is for a new entity (an entity's kind "
                               "is set when it is created)", "kind")

    def alias(self, name: str, alias: str) -> None:
        entity = self.resolve(name)
        if entity is None:
            raise NotFound(f"unknown entity '{name}'")
        # An alias already held is looked up as it is; a new one is stored as checked.
        holder = self.resolve(alias) if _lookupable(alias) else None
        if holder is None:
            alias = clean_name(alias, "aliases", "an alias")
        if holder == entity:
            return
        if holder is not None:
            alias = alias.strip()
            other = self._entity_names.get(holder) or self.archive.names.get(str(holder), alias)
            raise Conflict(f"alias '{alias}' already names another entity ('{other}')")
        self._emit(AliasAdded, entity, alias=alias)
        self._names[normalise_name(alias)] = entity

    def merge(self, name: str, other: str) -> str:
        """Merge ``other`` into ``name``; the kept entity takes the more specific kind
        (``merged_kind``). Returns what became of the kinds, when they differed ("")."""
        keep = self.archive.entity(name)
        gone = self.archive.entity(other)
        if keep["id"] == gone["id"]:
            raise InvalidInput(f"'{name}' and '{other}' are already the same entity")
        self._emit(EntitiesMerged, UUID(gone["id"]), into=UUID(keep["id"]),
                   into_name=keep["name"])
        kind = merged_kind(keep["kind"], gone["kind"])
        if kind != keep["kind"]:
            return f"'{keep['name']}' takes the kind of '{gone['name']}': {kind}"
        if gone["kind"] in GENERIC_KINDS or gone["kind"] == kind:
            return ""
        return f"'{keep['name']}' keeps its kind, {kind} ('{gone['name']}' was {gone['kind']})"

    # --- sources ----------------------------------------------------------------------------

    def source_text(self, source_id: str) -> str | None:
        if source_id in self._sources:
            return self._sources[source_id]
        found = self.readmodel.source(source_id)
        return found["text"] if found else None

    def source(self, source_id: str, title: str, published: str, text: str,
               url: str = "", *, pages: Sequence[int] = (), version_of: str = "",
               meta: Mapping[str, Any] | None = None, calendar: str | None = None) -> bool:
        """Register a source; False when it is already there with the same text. ``pages``:
        where each page starts in ``text``; ``version_of``: the source this is a later
        version of; ``meta``: its CSL metadata (``timeline.sourcemeta``); ``calendar``: the
        calendar ``published`` is written in (Gregorian when not given)."""
        # A source the archive already holds is looked up by its id as it is (ids stored
        # before the rule are not checked again); a new one is checked and stored as checked.
        existing = self.source_text(source_id.strip()) if _lookupable(source_id) else None
        if existing is None:
            source_id = clean_id(source_id, "id", "a source id", trim=True)
            title = clean_name(title, "title", "a source title", limit=TITLE_MAX)
            url = clean_url(url)
        else:
            source_id = source_id.strip()
        calendar = calendar_field(calendar)
        _date_field(published, "published", calendar)
        if existing is not None:
            if existing != text:
                raise Conflict(
                    f"source '{source_id}' is already registered with a different text")
            return False
        fields = clean_metadata(meta or {})
        root = self._version_root(version_of, source_id) if version_of else ""
        self._emit(SourceRegistered, source_stream(source_id), source_id=source_id,
                   title=title, published=published.strip(), text=text, url=url, **fields,
                   pages=check_pages(pages, text), version_of=root, calendar=calendar)
        self._sources[source_id] = text
        self._source_dates[source_id] = published_known_at(published.strip(), calendar)
        self._source_roots[source_id] = root
        return True

    def _version_root(self, version_of: str, source_id: str) -> str:
        """The first version of the source ``version_of`` names (a version of a version is
        one of the first); refused when there is no such source."""
        base = version_of.strip() if isinstance(version_of, str) else ""
        if base == source_id:
            raise InvalidInput(f"source '{source_id}' cannot be a version of itself",
                               "version_of")
        if not _lookupable(base) or self.source_text(base) is None:
            raise InvalidInput(f"no source '{version_of}' to be a version of", "version_of")
        if base in self._source_roots:
            return self._source_roots[base] or base
        found = self.readmodel.source(base)
        return (found["version_of"] if found else "") or base

    # --- claims -----------------------------------------------------------------------------

    def _citations(self, sources: Sequence[tuple[str, str]]) -> tuple[Citation, ...]:
        citations = []
        for k, (source_id, quote) in enumerate(sources):
            text = self.source_text(source_id)
            if text is None:
                raise InvalidInput(f"unknown source '{source_id}'", f"sources[{k}].source")
            if not quote.strip():
                raise InvalidInput("a citation needs a quote", f"sources[{k}].quote")
            if quote not in text:
                short = quote if len(quote) <= 60 else quote[:57] + "..."
                raise InvalidInput(f"quote '{short}' is not verbatim in source '{source_id}'",
                                   f"sources[{k}].quote")
            citations.append(Citation(source=source_id, quote=quote))
        return tuple(citations)

    def known_claim(self, claim_id: str) -> ClaimRecorded | ClaimRow | None:
        found = self._claims.get(claim_id)
        if found is not None or claim_id in self._absent:
            return found
        return self.readmodel.claim(claim_id)

    def absent(self, claim_ids: Sequence[str]) -> None:
        """Look up many claim ids at once before they are recorded (an import): those the
        read model does not hold are remembered as new, so recording them needs no look-up
        each. Only for a batch that holds the write lock (a bulk import): another writer could
        otherwise add one of them meanwhile (the store would then refuse the batch)."""
        self._absent.update(self.readmodel.absent_claims(claim_ids))

    def record(self, subject: str, predicate: str, *, valid: str | Mapping[str, Any],
               value: str | None = None,
               object: str | None = None, sources: Sequence[tuple[str, str]] = (),
               known_at: str | None = None, certainty: float = 1.0, rank: str = "normal",
               note: str = "", claim_id: str | None = None, kind: str | None = None,
               new_entity: bool | None = None, account_of: str | None = None,
               calendar: str | None = None) -> str:
        """Record a claim; returns its id (the existing one when it is already recorded).
        A subject or object the archive does not hold becomes an entity (of ``kind``, given:
        else "other"); ``kind`` for a claim that makes none must be the kind of its subject
        or object. ``new_entity=False`` refuses a new name close to names the archive holds
        (``NearNames``: "did you mean...?"), ``True`` confirms it; None (scripts, imports)
        does not ask. ``valid`` may be ``{"start": S, "end": E}`` with a side relative to
        another claim's (``timeline.relative_batch.checked``). ``calendar``: the calendar
        ``valid`` is written in (Gregorian when not given)."""
        if value is None and object is None:
            raise InvalidInput("a claim needs a value or an object", "value")
        if value is not None and not value.strip():
            raise InvalidInput("a value cannot be empty", "value")
        given_valid, valid, form, calendar = self._valid_time(valid, calendar)
        relative = relative_batch.dumps(form)
        if claim_id is not None:
            # An id is never changed into another (it names a stream): one that is not already
            # in its stored form is refused, unless the archive holds it from before the rule.
            try:
                claim_id = clean_id(claim_id, "id", "a claim id")
            except InvalidInput:
                if not (_lookupable(claim_id) and self.known_claim(claim_id) is not None):
                    raise
        if value is not None:
            value = clean_text(value, "value", "a value")
        note = clean_text(note, "note", "a note")
        given_known_at = known_at
        # A claim is known from its source's publication; typed in without a
        # source, from the day it is recorded.
        settled_known_at = known_at or self._published(sources)
        known_at = _known_at(settled_known_at)
        if not 0.0 <= certainty <= 1.0:
            raise InvalidInput(f"certainty {certainty} is not between 0 and 1", "certainty")
        _rank(rank)
        if account_of is not None:
            # Another account of the fact that claim gives, worded differently.
            account_of = self._account_target(account_of)
        citations = self._citations(sources)
        self.predicate(predicate)
        if kind is not None and kind not in ENTITY_KINDS:
            raise InvalidInput(f"kind {kind!r} is not one of {', '.join(ENTITY_KINDS)}", "kind")
        made = len(self.created)
        subject_id = self._role(subject, "subject", kind, new_entity)
        object_id = self._role(object, "object", kind, new_entity) if object is not None \
            else None
        if kind is not None and len(self.created) == made:
            self._kind_of(kind, (subject_id, object_id))
        if claim_id is None:
            claim_id = self._derived_id(subject_id, predicate, object_id, value, citations,
                                        (given_valid, valid, relative, calendar),
                                        (given_known_at, known_at))
        existing = self.known_claim(claim_id)
        if existing is not None:
            stored = self._content(existing)
            # A known_at that only defaulted to today says nothing about identity.
            given = self._identity(str(subject_id), predicate,
                                   str(object_id) if object_id else None, value, valid,
                                   known_at if settled_known_at else stored[5], citations,
                                   relative, calendar)
            self._same_claim(claim_id, existing, stored, given, certainty, note)
            return claim_id
        relative_batch.refuse_withdrawn(self, form)
        stream = claim_stream(claim_id)
        self._emit(ClaimRecorded, stream, new=True, claim_id=claim_id, subject=subject_id,
                   predicate=predicate, object=object_id, value=value, valid=valid,
                   certainty=certainty, rank=rank, citations=citations, known_at=known_at,
                   note=note, account_of=account_of, valid_relative=relative,
                   calendar=calendar)
        self._claims[claim_id] = self.events[-1]  # type: ignore[assignment]
        relative_batch.staged(self, claim_id, form)
        self._absent.discard(claim_id)
        return claim_id

    def _valid_time(self, valid: str | Mapping[str, Any], calendar: str | None
                    ) -> tuple[str, str, Any, str]:
        """A claim's valid time as given, as stored (normalised before anything is derived
        from it), its relative form (``relative_batch``) and its calendar, checked: a relative
        valid time is Gregorian."""
        given, form = relative_batch.prepared(self, valid)
        calendar = calendar_field(calendar)
        if form is not None and calendar != GREGORIAN:
            raise InvalidInput("a valid time relative to another claim is counted in days from "
                               "it: give its other side in the Gregorian calendar", "calendar")
        return given, valid_field(given, calendar), form, calendar

    def _derived_id(self, subject_id: UUID, predicate: str, object_id: UUID | None,
                    value: str | None, citations: tuple[Citation, ...],
                    valid: tuple[str, str, str | None, str],
                    known: tuple[str | None, str]) -> str:
        """A new claim's id, derived from the claim as normalised (and stored), without a
        known_at that only defaulted, so a file without known_at imports the same ids on any
        day. ``valid``: as given, as stored, its relative form and calendar; ``known``: the
        known_at given and the one stored."""
        given_valid, stored_valid, relative, calendar = valid
        given_known_at, known_at = known
        derived_known_at = known_at if given_known_at else ""
        claim_id = derive_claim_id(subject_id, predicate, object_id, value, stored_valid,
                                   derived_known_at, citations, relative, calendar)
        if (given_valid, given_known_at or "") != (stored_valid, derived_known_at) and \
                relative is None and self.known_claim(claim_id) is None:
            # Before dates were normalised an id was derived from them as typed: a claim
            # recorded so is found under its id, not recorded a second time.
            legacy = derive_claim_id(subject_id, predicate, object_id, value, given_valid,
                                     given_known_at or "", citations)
            if self.known_claim(legacy) is not None:
                return legacy
        return claim_id

    def _account_target(self, claim_id: str) -> str:
        """The claim an account is tied to, checked: it must be recorded (or staged)."""
        target = claim_id.strip()
        if not _lookupable(target) or self.known_claim(target) is None:
            raise InvalidInput(f"no claim {claim_id!r} to be an account of", "account_of")
        return target

    def _published(self, sources: Sequence[tuple[str, str]]) -> str | None:
        """The publication date of the first cited source, if it is registered, as a claim's
        known time (``published_known_at``)."""
        if not sources:
            return None
        source_id = sources[0][0]
        if source_id in self._source_dates:
            return self._source_dates[source_id]
        found = self.readmodel.source(source_id)
        return published_known_at(found["published"], found["calendar"]) if found else None

    def _parts(self, claim: ClaimRecorded | ClaimRow
               ) -> tuple[str, str | None, tuple[Citation, ...]]:
        """Subject id, object id (after merges) and citations of a pending or stored claim."""
        if isinstance(claim, ClaimRow):
            canonical = self.readmodel.canonical
            return (canonical(claim.subject_id),
                    canonical(claim.object_id) if claim.object_id else None,
                    tuple(Citation(**c) for c in recorded_citations(  # as first recorded
                        self.readmodel, claim.id, claim.sources)))
        return (str(claim.subject), str(claim.object) if claim.object else None,
                claim.citations)

    def _content(self, claim: ClaimRecorded | ClaimRow) -> tuple[Any, ...]:
        """What makes a claim the same claim: compared when an id is recorded again."""
        subject, obj, cites = self._parts(claim)
        found = relative_batch.form_of(self, claim)
        try:
            # Stored before dates were normalised:
            valid = found[0] if found else valid_field(claim.valid, claim.calendar)
        except InvalidInput:
            valid = claim.valid
        return self._identity(subject, claim.predicate, obj, claim.value, valid,
                              claim.known_at, cites, found[1].dumps() if found else None,
                              claim.calendar)

    @staticmethod
    def _identity(subject: str, predicate: str, obj: str | None, value: str | None,
                  valid: str, known_at: str, cites: Sequence[Citation],
                  relative: str | None, calendar: str) -> tuple[Any, ...]:
        """A claim's identity, as ``derive_claim_id`` hashes it: its citations in any order."""
        return (subject, predicate, obj, value, valid, known_at,
                tuple(sorted((c.source, c.quote) for c in cites)), relative, calendar)

    _IDENTITY = ("subject", "predicate", "object", "value", "valid", "known_at", "sources",
                 "valid", "calendar")

    def _same_claim(self, claim_id: str, existing: ClaimRecorded | ClaimRow,
                    stored: tuple[Any, ...], given: tuple[Any, ...], certainty: float,
                    note: str) -> None:
        """Recording a claim again is a no-op only when it is the very same claim: a different
        claim under its id, or the same claim with another certainty or note (which a recorded
        claim never changes), is refused, saying what differs."""
        differs = [k for k in range(len(stored)) if stored[k] != given[k]]
        if differs:
            k = differs[0]
            name = self._IDENTITY[k]
            if name in ("subject", "object"):
                shown = [self._entity_name(s[k]) for s in (given, stored)]
            elif name == "sources":
                shown = [f"{len(s[k])} citation(s)" for s in (given, stored)]
            else:
                shown = [repr(s[k]) for s in (given, stored)]
            raise Conflict(f"claim id '{claim_id}' is already used by a different claim (its "
                           f"{name} is {shown[1]}, not {shown[0]}); give this claim another id")
        changed = []
        if existing.certainty != certainty:
            changed.append(f"certainty {existing.certainty:g}, not {certainty:g}")
        if existing.note != note:
            changed.append("a different note")
        if changed:
            raise Conflict(f"claim '{claim_id}' is already recorded with "
                           f"{' and '.join(changed)}; a recorded claim is never changed: to "
                           "correct it, supersede it with a new claim")

    def _entity_name(self, entity_id: str | None) -> str:
        if entity_id is None:
            return "none"
        return repr(self.archive.names.get(entity_id)
                    or self._entity_names.get(UUID(entity_id), entity_id))

    def _live_claim(self, claim_id: str) -> ClaimRecorded | ClaimRow:
        found = self.known_claim(claim_id)
        if found is None:
            raise NotFound(f"unknown claim id '{claim_id}'")
        return found

    def history(self, claim_id: str) -> ClaimHistory:
        """The claim as its own stream tells it, staged events included; NotFound when no
        claim has this id."""
        found = self._histories.get(claim_id)
        if found is None:
            staged = self._claims.get(claim_id)
            # A claim staged by this batch is not in the store yet: its stream is its record.
            found = ClaimHistory.fold([staged] if staged is not None
                                      else self._read(claim_stream(claim_id)))
            if not found.recorded:
                raise NotFound(f"unknown claim id '{claim_id}'")
            self._histories[claim_id] = found
        return found

    def _correct(self, cls: type[Correction], claim_id: str, **fields: Any) -> None:
        self._emit(cls, claim_stream(claim_id), **fields)
        self.history(claim_id).add(self.events[-1])

    def _withdrawal(self, claim_id: str, known_at: str | None) -> tuple[str, str]:
        if self.history(claim_id).withdrawn:
            raise Conflict(f"claim '{claim_id}' is already retracted or superseded")
        return claim_id, _known_at(known_at)

    def retract(self, claim_id: str, known_at: str | None = None, reason: str = "") -> None:
        claim_id, known_at = self._withdrawal(claim_id, known_at)
        self._correct(ClaimRetracted, claim_id, known_at=known_at, reason=reason)
        relative_batch.follow(self, claim_id, None, known_at)

    def supersede(self, claim_id: str, *, known_at: str | None = None, reason: str = "",
                  by: str | None = None, **replacement: Any) -> str:
        """Withdraw a claim in favour of a replacement: ``by`` an existing claim id, or a new
        claim made of the old one's fields overridden by ``replacement``."""
        old = self._live_claim(claim_id)
        claim_id, known = self._withdrawal(claim_id, known_at)
        if by is None:
            fields = self._claim_fields(old)
            # The replacement keeps every citation, those added since the claim was recorded
            # (``hindsight cite``) too, unless it is given its own.
            fields["sources"] = citations_of(self, claim_id)
            changes = {k: v for k, v in replacement.items() if v is not None}
            if not self._changes(old, fields, changes):
                raise InvalidInput(
                    f"nothing to change: the replacement would be claim '{claim_id}' again; "
                    "give what differs (valid, value, object, subject, predicate, sources, "
                    "certainty, note)")
            fields.update(changes)
            fields["known_at"] = known
            by = self.record(**fields)
        elif self.known_claim(by) is None:
            raise NotFound(f"unknown claim id '{by}'")
        if by == claim_id:
            raise InvalidInput("the replacement is the same claim", "by")
        # The replacement must be live: a claim superseded by a withdrawn one would vanish
        # from every answer. A live claim supersedes nothing in turn, so this also keeps
        # supersessions from making a cycle (A by B, then B by A).
        if self.history(by).withdrawn:
            raise Conflict(f"the replacement '{by}' is itself retracted or superseded: "
                           f"'{claim_id}' would vanish; supersede it by a claim in force")
        self._correct(ClaimSuperseded, claim_id, by=by, known_at=known, reason=reason)
        relative_batch.follow(self, claim_id, by, known)
        return by

    def _changes(self, old: ClaimRecorded | ClaimRow, fields: dict[str, Any],
                 changes: dict[str, Any]) -> bool:
        """Whether a supersession's replacement fields differ from the claim's own, compared
        as recording would store them (a name by its entity, a date normalised, citations in
        any order). A field that does not validate counts as a change: recording refuses it."""
        for key, value in changes.items():
            was: Any = fields.get(key, old.note if key == "note" else None)
            if key == "known_at":
                continue
            try:
                if key in ("subject", "object"):
                    same = value is not None and was is not None and _lookupable(value) and \
                        self.resolve(value) == self.resolve(was)
                elif key == "valid":
                    same = valid_field(value, changes.get("calendar", fields["calendar"])) \
                        == valid_field(was, fields["calendar"])
                elif key == "sources":
                    same = sorted((s.strip(), q.strip()) for s, q in value) == sorted(was)
                else:
                    same = value == was
            except (InvalidInput, TypeError, ValueError, AttributeError):
                same = False
            if not same:
                return True
        return False

    def _claim_fields(self, claim: ClaimRecorded | ClaimRow) -> dict[str, Any]:
        names = self.archive.names
        subject, obj, citations = self._parts(claim)
        cites = [(c.source, c.quote) for c in citations]

        def name_of(entity_id: str) -> str:
            return names.get(entity_id) or self._entity_names[UUID(entity_id)]

        form = relative_batch.form_of(self, claim)  # a relative date stays relative
        return {"subject": name_of(subject), "predicate": claim.predicate,
                "object": name_of(obj) if obj else None, "value": claim.value,
                "valid": form[1].as_json() if form else claim.valid,
                "calendar": claim.calendar, "sources": cites,
                "certainty": claim.certainty,
                "rank": claim.rank if isinstance(claim, ClaimRecorded) else "normal"}

    def cite(self, claim_id: str, source: str, quote: str) -> bool:
        """A further citation of a recorded claim (``timeline.citing.stage_cite``)."""
        return stage_cite(self, claim_id, source, quote)

    def rerank(self, claim_id: str, rank: str, known_at: str | None = None,
               reason: str = "") -> None:
        self.history(claim_id)
        self._correct(ClaimReranked, claim_id, rank=_rank(rank), known_at=_known_at(known_at),
                      reason=reason)

