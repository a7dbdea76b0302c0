"""A further citation of a recorded claim: another passage it rests on, added later
(``Archive.cite``, ``hindsight cite``, the app's *Cite Selection for a Claim…*).

It is an event of its own (``domain.CitationAdded``) on the claim's stream, so the claim as
recorded — its id, its content, its known time — never changes, and the record shows when the
citation was added. The quote is checked as a recorded claim's are: it must be verbatim in the
source's text. Citing a claim with a citation it already has writes nothing; a withdrawn
(retracted or superseded) claim takes no new citation. In Hindsight JSON the added citations
are the part ``citations`` (claim, source, quote), apart from the claims as recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from timeline.domain import CitationAdded, ClaimRecorded, claim_stream
from timeline.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from timeline.batch import Batch

__all__ = ["CitationAddedRecord", "citations_document", "citations_of", "stage_cite",
           "stage_cite_record"]


def citations_of(batch: Batch, claim_id: str) -> list[tuple[str, str]]:
    """The (source, quote) pairs a claim cites, in order: as recorded, then those added
    since (staged ones included), each once."""
    stream = claim_stream(claim_id)
    staged = batch._claims.get(claim_id)
    events: list[Any] = [staged] if staged is not None else batch._read(stream)
    events += [e for e in batch.events if e.originator_id == stream]
    found: dict[tuple[str, str], None] = {}
    for event in events:
        if isinstance(event, ClaimRecorded):
            found.update(((c.source, c.quote), None) for c in event.citations)
        elif isinstance(event, CitationAdded):
            found[(event.source, event.quote)] = None
    return list(found)


def _cited(batch: Batch, claim_id: str) -> set[tuple[str, str]]:
    """The (source, quote) pairs a claim already cites: as recorded, added since, staged."""
    return set(citations_of(batch, claim_id))


def stage_cite(batch: Batch, claim_id: str, source: str, quote: str) -> bool:
    """Add a citation of ``source`` (``quote``: verbatim in its text) to the claim
    ``claim_id``; False, and nothing staged, when the claim cites it already. NotFound for
    an unknown claim; InvalidInput (field ``source`` or ``quote``) for an unknown source or a
    quote not in it, and (field ``claim``) for a withdrawn claim."""
    for value, what in ((claim_id, "a claim id"), (source, "a source id"), (quote, "a quote")):
        if not isinstance(value, str):
            raise InvalidInput(f"{what} must be text, not {type(value).__name__}",
                               what.split()[-1])
    if not claim_id.strip():
        raise InvalidInput("a claim id cannot be empty", "claim")
    history = batch.history(claim_id)  # NotFound for an unknown claim
    if history.withdrawn:
        raise InvalidInput(f"claim '{claim_id}' is withdrawn (retracted or superseded): "
                           "cite its replacement instead", "claim")
    try:
        citation = batch._citations([(source, quote)])[0]
    except InvalidInput as exc:
        raise InvalidInput(exc.message, (exc.field or "").split(".")[-1]) from None
    if (citation.source, citation.quote) in _cited(batch, claim_id):
        return False
    batch._emit(CitationAdded, claim_stream(claim_id), source=citation.source,
                quote=citation.quote)
    history.add(batch.events[-1])
    return True


# --- Hindsight JSON ---------------------------------------------------------------------------


class CitationAddedRecord(BaseModel):
    """A citation added to a claim after it was recorded."""

    model_config = ConfigDict(extra="allow", strict=True)

    claim: str = Field(description="Id of a claim (in this file or the archive).")
    source: str = Field(description="Id of a source (in this file or the archive).")
    quote: str = Field(description="Verbatim text of the source.")


def stage_cite_record(batch: Batch, record: CitationAddedRecord) -> None:
    """Stage a file's added citation; errors name its field (``claim``: an unknown claim)."""
    try:
        stage_cite(batch, record.claim, record.source, record.quote)
    except NotFound as exc:
        raise InvalidInput(str(exc.args[0]), "claim") from None


def citations_document(readmodel: Any) -> list[dict[str, str]]:
    """Every added citation as Hindsight JSON writes it, in the order they were added."""
    from timeline.readmodel.added_citations import added_rows

    return [{"claim": c, "source": s, "quote": q} for c, s, q in added_rows(readmodel)]
