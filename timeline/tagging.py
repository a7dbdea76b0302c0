"""Tags on claims and sources: the write side (a tag put on or taken off, staged in a
``Batch``), the answers (a fact's tags, the facts that have a tag) and tags in Hindsight JSON.

A tag is a short label (``domain.clean_tag``), compared by its key (``domain.tag_key``: case,
width and spacing do not count). Each tag on each claim or source has a stream of its own
(``domain.tag_stream``) holding its ``Tagged`` and ``Untagged`` events in turn, so whether it
is on is decided on that stream, never on a stale read model: tagging twice writes nothing,
and taking off a tag that is not there is refused.

A fact has the tags of its claim — of every account's claim, when it has several — and of
every source it cites; the facts "with a tag" are those whose tags hold it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from timeline.domain import (
    TAG_TARGETS,
    Tagged,
    Untagged,
    clean_tag,
    tag_key,
    tag_stream,
)
from timeline.errors import InvalidInput, NotFound
from timeline.views import FactView, accounts_of, fact_citations

if TYPE_CHECKING:
    from timeline.batch import Batch
    from timeline.readmodel.projection import ReadModel
    from timeline.readmodel.tags import TagMap

__all__ = ["TagRecord", "fact_tags", "stage_tag", "stage_tag_record", "stage_untag",
           "tag_keys", "tags_document", "with_tag", "with_tags"]


# --- the write side ---------------------------------------------------------------------------


def _target(batch: Batch, kind: str, target_id: object) -> str:
    """The claim or source a tag goes on, checked: it must be recorded (or staged)."""
    if kind not in TAG_TARGETS:
        raise InvalidInput(f"a tag goes on a claim or a source, not {kind!r}", "kind")
    what = "a claim id" if kind == "claim" else "a source id"
    if not isinstance(target_id, str):
        raise InvalidInput(f"{what} must be text, not {type(target_id).__name__}", kind)
    if not target_id.strip():
        raise InvalidInput(f"{what} cannot be empty", kind)
    try:
        target_id.encode()
    except UnicodeEncodeError:
        raise InvalidInput(f"{what} {target_id!r} is not valid Unicode text", kind) from None
    if kind == "claim" and batch.known_claim(target_id) is None:
        raise NotFound(f"unknown claim id '{target_id}'")
    if kind == "source" and batch.source_text(target_id) is None:
        raise NotFound(f"unknown source '{target_id}'")
    return target_id


def _is_on(batch: Batch, stream: Any) -> bool:
    """Whether a tag's stream says it is on: its last event is ``Tagged``."""
    found = batch.tags_on.get(stream)
    if found is None:
        events = batch._read(stream)
        found = bool(events) and isinstance(events[-1], Tagged)
        batch.tags_on[stream] = found
    return found


def stage_tag(batch: Batch, kind: str, target_id: str, tag: str) -> bool:
    """Put ``tag`` on a claim or a source (``kind``: "claim" or "source"); False, and
    nothing staged, when it has that tag already (in any spelling of its key)."""
    target_id = _target(batch, kind, target_id)
    tag = clean_tag(tag)
    stream = tag_stream(kind, target_id, tag)
    if _is_on(batch, stream):
        return False
    batch._emit(Tagged, stream, target_kind=kind, target_id=target_id, tag=tag)
    batch.tags_on[stream] = True
    return True


def stage_untag(batch: Batch, kind: str, target_id: str, tag: str) -> None:
    """Take ``tag`` off a claim or a source; NotFound when it does not have it."""
    target_id = _target(batch, kind, target_id)
    tag = clean_tag(tag)
    stream = tag_stream(kind, target_id, tag)
    if not _is_on(batch, stream):
        raise NotFound(f"{kind} '{target_id}' has no tag '{tag}'")
    batch._emit(Untagged, stream, target_kind=kind, target_id=target_id, tag=tag)
    batch.tags_on[stream] = False


# --- the answers ------------------------------------------------------------------------------


def tag_keys(tags: Iterable[str], field: str = "tag") -> frozenset[str]:
    """The keys of tags asked for (a filter): each must be text, not blank."""
    keys = set()
    for tag in tags:
        if not isinstance(tag, str):
            raise InvalidInput(f"a tag must be text, not {type(tag).__name__}", field)
        key = tag_key(tag)
        if not key:
            raise InvalidInput("a tag cannot be empty", field)
        keys.add(key)
    return frozenset(keys)


def fact_tags(view: FactView, claims: TagMap, sources: TagMap) -> tuple[str, ...]:
    """A fact's tags: its accounts' claims', then its cited sources', each key once."""
    found: dict[str, str] = {}
    for account in accounts_of(view.fact):
        for tag in claims.get(account.claim.id, ()):
            found.setdefault(tag_key(tag), tag)
    if sources:
        for cite in fact_citations(view.fact):
            for tag in sources.get(cite["source"], ()):
                found.setdefault(tag_key(tag), tag)
    return tuple(found.values())


def with_tags(views: list[FactView], maps: tuple[TagMap, TagMap]) -> list[FactView]:
    """The views, each with its tags (``FactView.tags``); the list itself when nothing is
    tagged (an archive without tags pays nothing)."""
    claims, sources = maps
    if not claims and not sources:
        return views
    out = []
    for view in views:
        tags = fact_tags(view, claims, sources)
        out.append(replace(view, tags=tags) if tags != view.tags else view)
    return out


def with_tag(views: Iterable[FactView], keys: frozenset[str]) -> list[FactView]:
    """The views (with their tags) that have one of the tag ``keys``."""
    return [v for v in views if any(tag_key(t) in keys for t in v.tags)]


# --- Hindsight JSON ---------------------------------------------------------------------------


class TagRecord(BaseModel):
    """A tag on a claim or on a source (give one of them)."""

    model_config = ConfigDict(extra="allow", strict=True)

    claim: str | None = Field(None, description="Id of a claim (in this file or the archive).")
    source: str | None = Field(None, description="Id of a source (in this file or the "
                                                 "archive).")
    tag: str = Field(description="A short label, at most 64 characters; compared without "
                                 "regard to case or spacing.")


def stage_tag_record(batch: Batch, record: TagRecord) -> None:
    """Stage a file's tag; errors name its field (``claim``: an unknown claim)."""
    if (record.claim is None) == (record.source is None):
        raise InvalidInput('give the "claim" or the "source" the tag goes on (one of them)')
    kind, target = ("claim", record.claim) if record.claim is not None else \
        ("source", str(record.source))
    try:
        stage_tag(batch, kind, target, record.tag)
    except NotFound as exc:
        raise InvalidInput(str(exc.args[0]), kind) from None


def tags_document(readmodel: ReadModel) -> list[dict[str, str]]:
    """Every tag as Hindsight JSON writes it, in the order they were put on."""
    return [{kind: target, "tag": tag} for kind, target, tag in readmodel.tag_rows()]
