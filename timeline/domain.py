"""The domain: what the archive records, as immutable pydantic events.

Every fact enters the archive as one of these events and is never edited. The streams are:

- a **predicate** stream per predicate name (label, single- or multi-valued);
- an **entity** stream per entity (created, aliases added, merged into another);
- a **source** stream per source document (registered once, with its full text);
- a **claim** stream per claim (recorded, then perhaps retracted, superseded, reranked).

Stream ids are UUIDs derived from stable natural keys (an entity's normalised first name, a
source's id, a claim's id), so the same input always addresses the same stream: importing a
file twice adds nothing, and two writers creating the same entity collide on the store's
version check instead of making two.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any, Literal
from uuid import UUID, SafeUUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from timeline.calendars import CalendarName
from timeline.errors import InvalidInput

#: Version of the stored event schema. Bump it with an upcaster in ``timeline.store``.
SCHEMA_VERSION = 1

_NAMESPACE = UUID("5b0e8f3c-3f5d-4b7e-9a36-7d1f0c2a9e11")

Rank = Literal["preferred", "normal", "deprecated"]
RANKS: tuple[str, ...] = ("preferred", "normal", "deprecated")
EntityKind = Literal[
    "person", "organization", "product", "project", "place", "event", "work", "concept", "other"
]
ENTITY_KINDS: tuple[str, ...] = EntityKind.__args__  # type: ignore[attr-defined]

#: Which side of a single-valued predicate has one answer at a time: "subject" (one CEO per
#: person... the default for ``single: true``), "object" (one leader per company: an office)
#: or "both"; "" for a multi-valued predicate.
SingleSide = Literal["subject", "object", "both"]
SINGLE_SIDES: tuple[str, ...] = SingleSide.__args__  # type: ignore[attr-defined]


def single_side(single: bool | str | None) -> str:
    """A predicate's single side as stored: ``True`` (the older form) is "subject", ``False``
    or None is "" (multi-valued)."""
    if single is True:
        return "subject"
    if not single:
        return ""
    if single not in SINGLE_SIDES:
        raise InvalidInput(f"single must be true, false, {', '.join(SINGLE_SIDES)}: "
                           f"not {single!r}", "single")
    return str(single)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def now() -> datetime:
    return datetime.now(UTC)


_SPACES = re.compile(r"\s+")

#: Apostrophes and quotation marks typed another way, looked up as the straight ones: curly,
#: low and reversed quotes, primes, the modifier letters written for an apostrophe (ʼ ʻ ʹ ʺ),
#: a grave or acute accent typed for one, and guillemets.
_QUOTES = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02bb\u02b9`\u00b4\u2039\u203a",
                  "'")
    | dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u02ba\u00ab\u00bb\u301d\u301e\u301f",
                    '"'))


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """The key under which a name or alias is looked up, the one rule of name matching: in
    Unicode NFKC, case-folded, every apostrophe and quotation mark straight (``’`` is ``'``,
    ``“`` is ``"``, and two apostrophes are ``"``, as NFKC makes a double prime two primes),
    every run of whitespace (a non-breaking space too) one space, trimmed.
    (Remembered: an import looks up the same few thousand names over and over.)"""
    # Before NFKC, which makes an acute accent a space and a combining mark; after, for the
    # marks NFKC makes.
    folded = unicodedata.normalize("NFKC", name.translate(_QUOTES)).casefold()
    return _SPACES.sub(" ", folded.translate(_QUOTES)).strip().replace("''", '"')


#: The kinds that say nothing of what an entity is: any other kind is more specific.
GENERIC_KINDS = frozenset({"", "other", "unknown", "entity"})


def merged_kind(kept: str, absorbed: str) -> str:
    """The kind of an entity after another is merged into it: the more specific of the two
    (a kind is more specific than a generic one, ``GENERIC_KINDS``); the kept entity's own
    when both are specific."""
    return absorbed if kept in GENERIC_KINDS and absorbed not in GENERIC_KINDS else kept


# --- names as stored: normalise, check, store what was checked ---------------------------------

#: The longest name, alias, id, predicate label or source title the archive stores, in
#: characters (after normalising).
NAME_MAX = 500
#: The longest source title (an early modern title page runs to a paragraph).
TITLE_MAX = 5000

#: What a name, id, label or title may not hold, by Unicode category. Private use (Co) is
#: allowed: editions of medieval texts write their special letters there (MUFI).
_REFUSED_IN_NAMES = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character",
    "Cs": "an unpaired surrogate (text that is not valid Unicode)",
    "Cn": "an unassigned code point",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}
#: Free text (a claim's value, a note, a description) keeps its lines and tabs, and its
#: left-to-right and right-to-left marks and joiners (Persian writes with U+200C); it may not
#: hold other control characters, unpaired surrogates, or the bidirectional embeddings,
#: overrides and isolates that reorder the text shown around them.
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(
        char, "") else "")


def _shown(text: str) -> str:
    """A text as a message shows it: quoted, with every character that does not print
    escaped (``'small\\u200b one'``), so that the message shows what it is about."""
    return repr(text)


def _refused_in_name(text: str) -> tuple[int, str, str] | None:
    """The first character a name may not hold: (position, character, why)."""
    if text.isprintable():  # no Cc, Cf, Cs, Co, Cn, Zl, Zp, and no space but U+0020
        return None
    for k, char in enumerate(text):
        why = _REFUSED_IN_NAMES.get(unicodedata.category(char))
        if why:
            return k, char, why
    return None


def clean_name(text: str, field: str, what: str = "a name", *, empty: bool = False,
               limit: int = NAME_MAX) -> str:
    """The one rule for every name, alias, predicate label and source title the archive
    stores: the text in Unicode NFC, without surrounding whitespace; then it may not be empty
    (unless ``empty``), longer than ``limit`` characters, or hold a control character, an
    invisible formatting character (zero-width spaces and joiners, bidirectional controls,
    U+FEFF...), an unpaired surrogate, an unassigned code point or a line or paragraph
    separator. Returns the text to store: exactly what was checked. ``InvalidInput`` names
    ``field``."""
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be text, not {type(text).__name__}", field)
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        if empty:
            return ""
        raise InvalidInput(f"{what} cannot be empty", field)
    _check(cleaned, field, what, limit)
    return cleaned


def clean_id(text: str, field: str, what: str = "an id", *, trim: bool = False,
             limit: int = NAME_MAX) -> str:
    """An identifier (a claim or source id) is looked up exactly as given, so it is never
    changed into another: it must already be in Unicode NFC and, unless ``trim`` (a source id,
    documented as trimmed), without surrounding whitespace; then the rules of ``clean_name``.
    Returns the id to store."""
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be text, not {type(text).__name__}", field)
    cleaned = text.strip() if trim else text
    if not cleaned.strip():
        raise InvalidInput(f"{what} cannot be empty", field)
    if cleaned != cleaned.strip():
        raise InvalidInput(f"{what} {_shown(cleaned)} has surrounding whitespace", field)
    _check(cleaned, field, what, limit)
    if not unicodedata.is_normalized("NFC", cleaned):
        # Both forms look alike: shown with every non-ASCII character as its code point.
        raise InvalidInput(
            f"{what} {ascii(cleaned)} is not in Unicode NFC form: write it composed, "
            f"{ascii(unicodedata.normalize('NFC', cleaned))} (an accent typed as a separate "
            "mark)", field)
    return cleaned


def _check(text: str, field: str, what: str, limit: int) -> None:
    if len(text) > limit:
        raise InvalidInput(f"{what} is {len(text):,} characters long (at most {limit:,})",
                           field)
    bad = _refused_in_name(text)
    if bad:
        k, char, why = bad
        raise InvalidInput(f"{what} {_shown(text)} has {why} ({_char_name(char)}) at "
                           f"position {k + 1}", field)


#: A predicate name: ASCII letters, digits, ``_`` and ``-``, starting with a letter; matched
#: against the whole name as given (``fullmatch``: no trailing newline slips through ``$``).
PREDICATE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")


def check_predicate_name(name: str, field: str = "predicate") -> str:
    """A predicate name is stored exactly as given: it must match ``PREDICATE_NAME`` as it
    is, with nothing stripped (``'ceo_of\\n'`` is not ``ceo_of``), and be at most ``NAME_MAX``
    characters. Returns the name."""
    if not isinstance(name, str) or not PREDICATE_NAME.fullmatch(name):
        shown = _shown(name) if isinstance(name, str) else type(name).__name__
        raise InvalidInput(f"{shown} is not a predicate name (letters, digits, _ and -, "
                           "starting with a letter, nothing else)", field)
    if len(name) > NAME_MAX:
        raise InvalidInput(f"a predicate name is {len(name):,} characters long (at most "
                           f"{NAME_MAX:,})", field)
    return name


def clean_text(text: str, field: str, what: str = "a text") -> str:
    """Free text (a claim's value or note, a description) is stored exactly as given: no
    normalising, no trimming (a value is part of a claim's derived id). It may hold lines and
    tabs, but no other control character (NUL, escape sequences), no unpaired surrogate and no
    bidirectional embedding, override or isolate (U+202A..U+202E, U+2066..U+2069)."""
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be text, not {type(text).__name__}", field)
    if text.isprintable():
        return text
    for k, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cc" and char not in _TEXT_CONTROLS_ALLOWED:
            why = "a control character"
        elif category == "Cs":
            why = _REFUSED_IN_NAMES["Cs"]
        elif char in _BIDI_CONTROLS:
            why = "a bidirectional control character"
        else:
            continue
        shown = _shown(text if len(text) <= 60 else text[max(0, k - 20):k + 20])
        raise InvalidInput(f"{what} {shown} has {why} ({_char_name(char)}) at position "
                           f"{k + 1}", field)
    return text


_NAMESPACE_BYTES = _NAMESPACE.bytes
#: The version (5) and variant (RFC 4122) bits of a name-based UUID, as uuid.uuid5 sets them.
_UUID5_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID5_SET = (5 << 76) | (0x8000 << 48)


def _uuid5(name: str) -> UUID:
    """``uuid5(_NAMESPACE, name)``, the same UUID, built without ``UUID.__init__``'s checks
    (a claim stream per claim: they cost more than the hash)."""
    digest = hashlib.sha1(_NAMESPACE_BYTES + name.encode(), usedforsecurity=False).digest()
    found = object.__new__(UUID)
    object.__setattr__(found, "int",
                       int.from_bytes(digest[:16]) & _UUID5_CLEAR | _UUID5_SET)
    object.__setattr__(found, "is_safe", SafeUUID.unknown)
    return found


def entity_stream(name: str) -> UUID:
    return _uuid5("entity:" + normalise_name(name))


def source_stream(source_id: str) -> UUID:
    return _uuid5("source:" + source_id)


def claim_stream(claim_id: str) -> UUID:
    return _uuid5("claim:" + claim_id)


def predicate_stream(name: str) -> UUID:
    return _uuid5("predicate:" + name)


def undo_stream(first: int) -> UUID:
    """The stream of the undo of the act written first at log position ``first``: one undo
    per act, so two writers undoing the same act at once cannot both succeed."""
    return _uuid5(f"undo:{first}")


def tag_stream(target_kind: str, target_id: str, tag: str) -> UUID:
    """The stream of one tag on one claim or source: its ``Tagged`` and ``Untagged`` events,
    in turn. Keyed by the tag's key (``tag_key``): "Strike" and "strike" are one tag."""
    return _uuid5("tag:" + json.dumps([target_kind, target_id, tag_key(tag)]))


class Citation(BaseModel):
    """A source and a quote that appears verbatim in that source's text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Text
    quote: Text


def derive_claim_id(
    subject: UUID,
    predicate: str,
    object: UUID | None,
    value: str | None,
    valid: str,
    known_at: str,
    citations: tuple[Citation, ...],
    relative: str | None = None,
    calendar: str = "gregorian",
) -> str:
    """A claim id from its content, so that recording the same claim twice is one claim. A
    relative valid time (``relative``, timeline.relative) is part of the content when given,
    and a valid time in the Julian calendar is hashed with its calendar; the ids of claims
    with neither are derived as before either existed."""
    content = json.dumps(
        [
            str(subject),
            predicate,
            str(object) if object else None,
            value,
            valid,
            known_at,
            sorted([c.source, c.quote] for c in citations),
            *([relative] if relative is not None else []),
            *([calendar] if calendar != "gregorian" else []),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return "c-" + hashlib.sha256(content.encode()).hexdigest()[:16]


class DomainEvent(BaseModel):
    """Base of every stored event: immutable, versioned, with the store's audit timestamp."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    originator_id: UUID
    originator_version: int
    timestamp: datetime = Field(default_factory=now)
    schema_version: int = SCHEMA_VERSION


# --- predicates -------------------------------------------------------------------------------


class PredicateDefined(DomainEvent):
    name: Text
    label: str = ""
    single: bool | SingleSide = False  # True: "subject" (written before sides existed)


# --- entities ---------------------------------------------------------------------------------


class EntityCreated(DomainEvent):
    name: Text
    kind: EntityKind = "other"
    description: str = ""


class AliasAdded(DomainEvent):
    alias: Text


class AliasRemoved(DomainEvent):
    """An alias taken off an entity (the undoing of ``AliasAdded``): the name no longer
    names it. The ``AliasAdded`` event stays in the record."""

    alias: Text


class EntitiesMerged(DomainEvent):
    """Recorded on the absorbed entity's stream: from now on it is ``into``."""

    into: UUID
    into_name: str


class MergeUndone(DomainEvent):
    """The undoing of an ``EntitiesMerged``, on the absorbed entity's stream: it is itself
    again. Written with what the merge took (``timeline.undo`` reads it from the log): the
    entity it was merged ``into`` and that one's kind before the merge (``into_kind``), the
    entities that were merged into the absorbed one before (``entities``), its ``names``, and
    the claims whose recorded subject (``subjects``) or object (``objects``) was one of them."""

    into: UUID
    into_kind: str
    entities: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()


# --- sources ----------------------------------------------------------------------------------


class Author(BaseModel):
    """A source's author as CSL names one: a person's family and given names, or a name
    written as it is (``literal``: an organisation, a pen name, "Plato")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    family: str = ""
    given: str = ""
    literal: str = ""


class SourceRegistered(DomainEvent):
    """A source, once, with its full text. Everything after ``url`` describes it as a
    historian cites it, in CSL terms (``timeline.sourcemeta`` checks each field); every field
    has a default, so events written before they existed read as they were."""

    source_id: Text
    title: Text
    published: Text  # EDTF date
    text: str
    url: str = ""
    type: str = ""  # a CSL type (sourcemeta.SOURCE_TYPES); "" when not given
    authors: tuple[Author, ...] = ()
    container: str = ""  # the newspaper, journal, book or site it appeared in
    publisher: str = ""
    accessed: str = ""  # EDTF date
    archive: str = ""
    archive_location: str = ""  # box, folder, shelfmark
    locator: str = ""  # its pages in the container ("12-15")
    language: str = ""  # a language tag ("en", "fr-CA")
    note: str = ""
    pages: tuple[int, ...] = ()  # where each page starts in ``text`` (a PDF's)
    version_of: str = ""  # the id of the source this is a later version of
    # The calendar ``published`` is written in; not stored when Gregorian.
    calendar: CalendarName = Field(default="gregorian", exclude_if=lambda v: v == "gregorian")


class SourceWithdrawn(DomainEvent):
    """A source taken back out of the archive (the undoing of ``SourceRegistered``, on the
    source's stream), when no claim cites it: it is unknown again, and may be registered
    again. The ``SourceRegistered`` event stays in the record."""

    source_id: Text


# --- claims -----------------------------------------------------------------------------------


class ClaimRecorded(DomainEvent):
    claim_id: Text
    subject: UUID
    predicate: Text
    object: UUID | None = None
    value: str | None = None
    valid: Text  # EDTF date or interval
    certainty: float = Field(default=1.0, ge=0.0, le=1.0)
    rank: Rank = "normal"
    citations: tuple[Citation, ...] = ()
    known_at: Text  # EDTF date: when the archive could have known it
    note: str = ""
    account_of: str | None = None  # another account of the fact this claim id gives
    # A start or end relative to another claim's (timeline.relative, as JSON); ``valid`` then
    # writes each relative side as ``..``. Not stored when absent: other claims' events are
    # written as before it existed.
    valid_relative: str | None = Field(default=None, exclude_if=lambda v: v is None)
    # The calendar ``valid`` is written in; not stored when Gregorian (the events of
    # Gregorian claims are written as before calendars existed).
    calendar: CalendarName = Field(default="gregorian", exclude_if=lambda v: v == "gregorian")


class ClaimRetracted(DomainEvent):
    known_at: Text
    reason: str = ""


class ClaimSuperseded(DomainEvent):
    by: Text  # id of the replacement claim, recorded in the same transaction
    known_at: Text
    reason: str = ""


class ClaimReranked(DomainEvent):
    rank: Rank
    known_at: Text
    reason: str = ""


class ClaimRestored(DomainEvent):
    """The claim's withdrawal (its last retraction or supersession) annulled: the undoing of
    a retraction recorded by mistake (``timeline.undo``). The claim is in force again as if
    the withdrawal had never been recorded, as known on any day; the withdrawal stays in the
    record, and the claim's history shows both. ``known_at`` is the annulled withdrawal's."""

    known_at: Text
    reason: str = ""


Correction = ClaimRetracted | ClaimSuperseded | ClaimReranked | ClaimRestored


class ActUndone(DomainEvent):
    """The first event of an undo (or a redo, ``redo``), on a stream of its own
    (``undo_stream`` of the act): the log positions of the act it compensates (``undoes``:
    first and last) and what that act was (``summary``). The compensating events follow it
    in the same write; the undo and redo history is read from these alone."""

    undoes: tuple[int, int]
    redo: bool = False
    summary: str = ""


class CitationAdded(DomainEvent):
    """A further citation of a recorded claim, on the claim's stream (``timeline.citing``):
    another passage (verbatim in its source) the claim rests on. The claim, its id and its
    known time stay as they were."""

    source: Text
    quote: Text


# --- tags -------------------------------------------------------------------------------------

#: What a tag goes on.
TagTarget = Literal["claim", "source"]
TAG_TARGETS: tuple[str, ...] = TagTarget.__args__  # type: ignore[attr-defined]
#: The longest tag, in characters (after normalising).
TAG_MAX = 64


def clean_tag(text: str, field: str = "tag") -> str:
    """A tag as stored: in Unicode NFKC, every run of whitespace one space, trimmed; then the
    rules of a name (``clean_name``: not empty, no control or invisible formatting character,
    no unpaired surrogate...) with at most ``TAG_MAX`` characters. Returns what was checked."""
    if not isinstance(text, str):
        raise InvalidInput(f"a tag must be text, not {type(text).__name__}", field)
    for k, char in enumerate(text):  # before spaces are collapsed (\x1f is a space to re)
        if unicodedata.category(char) == "Cc" and char not in _TEXT_CONTROLS_ALLOWED:
            raise InvalidInput(f"a tag {_shown(text)} has a control character "
                               f"({_char_name(char)}) at position {k + 1}", field)
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    if not cleaned:
        raise InvalidInput("a tag cannot be empty", field)
    _check(cleaned, field, "a tag", TAG_MAX)
    return cleaned


def tag_key(tag: str) -> str:
    """The key two tags are compared by, the names rule (``normalise_name``): "Strike",
    "strike" and " STRIKE " are one tag."""
    return normalise_name(tag)


class Tagged(DomainEvent):
    """A tag put on a claim or a source, on the tag's own stream (``tag_stream``). Tags are
    the historian's labels for finding things again: they say nothing about the world, so
    they have no valid or known time."""

    target_kind: TagTarget
    target_id: str  # a claim or source id, exactly as stored
    tag: str  # as ``clean_tag`` returned it


class Untagged(DomainEvent):
    """A tag taken off a claim or a source (the ``Tagged`` event stays in the record)."""

    target_kind: TagTarget
    target_id: str
    tag: str


@dataclass
class ClaimHistory:
    """A claim as its own event stream tells it: what a correction is decided on (a claim is
    withdrawn once; a repeated import finds its corrections already there). The write side
    folds the stream rather than asking the read model, so the answer is never stale: another
    writer appending to the stream afterwards makes the store refuse the batch."""

    recorded: bool = False
    corrections: list[Correction] = field(default_factory=list)
    version: int = 0

    @classmethod
    def fold(cls, events: Sequence[DomainEvent]) -> ClaimHistory:
        history = cls()
        for event in events:
            history.add(event)
        return history

    def add(self, event: DomainEvent) -> None:
        if isinstance(event, ClaimRecorded):
            self.recorded = True
        elif isinstance(event, ClaimRetracted | ClaimSuperseded | ClaimReranked |
                        ClaimRestored):
            self.corrections.append(event)
        self.version = event.originator_version

    @property
    def withdrawal(self) -> ClaimRetracted | ClaimSuperseded | None:
        """The retraction or supersession in force: the last one, unless a restoration
        (``ClaimRestored``) annulled it."""
        found: ClaimRetracted | ClaimSuperseded | None = None
        for c in self.corrections:
            if isinstance(c, ClaimRetracted | ClaimSuperseded):
                found = c
            elif isinstance(c, ClaimRestored):
                found = None
        return found

    @property
    def withdrawn(self) -> bool:
        """Retracted or superseded (and not restored since)."""
        return self.withdrawal is not None

    def has(self, kind: type[Correction], **match: Any) -> bool:
        """Whether this very correction is already in the stream."""
        return any(isinstance(c, kind) and all(getattr(c, k) == v for k, v in match.items())
                   for c in self.corrections)


EVENT_TYPES: tuple[type[DomainEvent], ...] = (
    PredicateDefined,
    EntityCreated,
    AliasAdded,
    EntitiesMerged,
    SourceRegistered,
    ClaimRecorded,
    ClaimRetracted,
    ClaimSuperseded,
    ClaimReranked,
    Tagged,
    Untagged,
    ClaimRestored,
    AliasRemoved,
    ActUndone,
    CitationAdded,
    SourceWithdrawn,
    MergeUndone,
)
