"""A source as a historian cites it: its metadata in CSL terms, each field checked.

The fields (``SourceRegistered``, Hindsight JSON, the read model, CSL-JSON) are: ``type``
(one of ``SOURCE_TYPES``, a CSL type; friendlier words such as "letter" or "archival
document" are taken too), ``authors`` (each a family and a given name, or a ``literal`` name),
``container`` (the newspaper, journal, book or site), ``publisher``, ``accessed`` (an EDTF
date), ``archive``, ``archive_location`` (box, folder), ``locator`` (its pages in the
container), ``language`` (a language tag: en, fr-CA) and ``note``.

Each is normalised, checked and stored as checked (``clean_metadata``), by the rules of
``timeline.domain``: a one-line field is a name (``clean_name``: NFC, trimmed, no control or
invisible character, bounded), the note is free text (``clean_text``). A source's URL is a web
address (http or https). Nothing here reads or writes storage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from timeline import dates
from timeline.dates import DateError
from timeline.domain import NAME_MAX, TITLE_MAX, Author, clean_name, clean_text
from timeline.errors import InvalidInput

#: The kinds of source, as CSL types, with the words the app shows for them.
SOURCE_TYPES: dict[str, str] = {
    "article-newspaper": "newspaper article",
    "article-journal": "journal article",
    "article-magazine": "magazine article",
    "personal_communication": "letter",
    "book": "book",
    "chapter": "chapter",
    "report": "report",
    "interview": "interview",
    "webpage": "web page",
    "manuscript": "archival document",
    "document": "other document",
}
#: Other words taken for a type (any of ``SOURCE_TYPES``' words is taken too).
_TYPE_WORDS = {"article": "article-newspaper", "newspaper": "article-newspaper",
               "journal": "article-journal", "magazine": "article-magazine",
               "letter": "personal_communication", "web": "webpage", "web-page": "webpage",
               "archival": "manuscript", "archival-document": "manuscript",
               "archive": "manuscript", "other": "document"}

#: The metadata fields, in the order they are stored and shown.
METADATA_FIELDS = ("type", "authors", "container", "publisher", "accessed", "archive",
                   "archive_location", "locator", "language", "note")
#: The most authors a source may name, and the longest note.
MAX_AUTHORS = 200
NOTE_MAX = 20_000
#: The longest URL.
URL_MAX = 2000

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}")


def csl_type(text: str, field: str = "type") -> str:
    """A source type as stored: a CSL type of ``SOURCE_TYPES``, from its name or its words
    ("letter", "web page", "archival document"); "" when none is given."""
    if not isinstance(text, str):
        raise InvalidInput(f"a source type must be text, not {type(text).__name__}", field)
    key = re.sub(r"[\s_]+", "-", text.strip().casefold())
    if not key:
        return ""
    for name, words in SOURCE_TYPES.items():
        if key in (name.replace("_", "-"), words.replace(" ", "-")):
            return name
    if key in _TYPE_WORDS:
        return _TYPE_WORDS[key]
    kinds = ", ".join(f"{words} ({name})" for name, words in SOURCE_TYPES.items())
    raise InvalidInput(f"{text.strip()!r} is not a source type; one of: {kinds}", field)


def type_words(kind: str) -> str:
    """How a stored type reads ("letter" for personal_communication); '' for none."""
    return SOURCE_TYPES.get(kind, kind)


def parse_author(text: str, field: str = "authors") -> Author:
    """An author as typed: "Family, Given" (split at the first comma) is a person; a name
    without a comma is written as it is (an organisation: "Associated Press")."""
    if not isinstance(text, str):
        raise InvalidInput(f"an author must be text, not {type(text).__name__}", field)
    family, comma, given = text.partition(",")
    if comma:
        return clean_author({"family": family, "given": given}, field)
    return clean_author({"literal": text}, field)


def clean_author(author: Author | Mapping[str, Any] | str, field: str = "authors") -> Author:
    """An author checked: its names by the names rule; a family name, or a literal one, and
    not both."""
    if isinstance(author, str):
        return parse_author(author, field)
    raw = author.model_dump() if isinstance(author, Author) else author
    if not isinstance(raw, Mapping):
        raise InvalidInput("an author is an object with family and given names, or a literal "
                           "name", field)
    unknown = set(raw) - {"family", "given", "literal"}
    if unknown:
        raise InvalidInput(f"an author has only family, given and literal names, not "
                           f"{', '.join(sorted(map(str, unknown)))}", field)
    parts = {k: clean_name(raw.get(k, ""), f"{field}.{k}", f"an author's {k} name",
                           empty=True) for k in ("family", "given", "literal")}
    if parts["literal"] and (parts["family"] or parts["given"]):
        raise InvalidInput("an author has a literal name or family and given names, not both",
                           field)
    if not parts["literal"] and not parts["family"]:
        raise InvalidInput("an author needs a family name (or a literal name)", field)
    return Author(**parts)


def author_text(author: Author | Mapping[str, Any]) -> str:
    """An author as typed back: "Family, Given", or the literal name."""
    raw = author.model_dump() if isinstance(author, Author) else author
    if raw.get("literal"):
        return str(raw["literal"])
    return ", ".join(str(raw[k]) for k in ("family", "given") if raw.get(k))


def clean_url(url: str, field: str = "url") -> str:
    """A source's URL as stored: a web address (http or https, with a host), by the names
    rule; "" when none is given."""
    url = clean_name(url, field, "a source url", empty=True, limit=URL_MAX)
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidInput(f"{url!r} is not a web address ({exc})", field) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise InvalidInput(f"{url!r} is not a web address: give one that begins with "
                           "http:// or https://", field)
    return url


def _date(text: str, field: str) -> str:
    text = clean_name(text, field, "a date", empty=True)
    if text:
        try:
            dates.parse_date(text)
        except DateError as exc:
            raise InvalidInput(str(exc), field) from None
    return text


def clean_language(text: str, field: str = "language") -> str:
    """A language tag (BCP 47, as CSL wants one): "en", "fr-CA", "grc"; "" for none."""
    text = clean_name(text, field, "a language", empty=True)
    if text and not _LANGUAGE.fullmatch(text):
        raise InvalidInput(f"{text!r} is not a language tag: write it as en, fr, de-CH, la, "
                           "grc", field)
    return text


def clean_authors(authors: Iterable[Any], field: str = "authors") -> tuple[Author, ...]:
    if isinstance(authors, str | bytes) or not isinstance(authors, Iterable):
        raise InvalidInput("authors is a list of authors", field)
    found = tuple(clean_author(a, f"{field}[{k}]") for k, a in enumerate(authors))
    if len(found) > MAX_AUTHORS:
        raise InvalidInput(f"a source names {len(found):,} authors (at most {MAX_AUTHORS})",
                           field)
    return found


def clean_metadata(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata fields of ``meta`` (any of ``METADATA_FIELDS``; the others are not
    looked at) as stored: each checked, every field present (its default when not given).
    ``InvalidInput`` names the field."""
    unknown = set(meta) - set(METADATA_FIELDS)
    if unknown:
        raise InvalidInput(f"a source has no field {', '.join(sorted(unknown))}",
                           sorted(unknown)[0])
    short = {"container": ("a container title", TITLE_MAX), "publisher": ("a publisher", NAME_MAX),
             "archive": ("an archive", NAME_MAX),
             "archive_location": ("an archive location", NAME_MAX),
             "locator": ("a locator", NAME_MAX)}
    out: dict[str, Any] = {"type": csl_type(meta.get("type") or "")}
    out["authors"] = clean_authors(meta.get("authors") or ())
    for name, (what, limit) in short.items():
        out[name] = clean_name(meta.get(name) or "", name, what, empty=True, limit=limit)
    out["accessed"] = _date(meta.get("accessed") or "", "accessed")
    out["language"] = clean_language(meta.get("language") or "")
    note = clean_text(meta.get("note") or "", "note", "a note").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"a note is {len(note):,} characters long (at most {NOTE_MAX:,})",
                           "note")
    out["note"] = note
    return {name: out[name] for name in METADATA_FIELDS}


def check_pages(pages: Sequence[int], text: str, field: str = "pages") -> tuple[int, ...]:
    """Where each page of a text starts: offsets into it, the first 0, each after the one
    before and inside the text (an empty list: a text without pages)."""
    if isinstance(pages, str | bytes) or not isinstance(pages, Sequence):
        raise InvalidInput("pages is a list of where each page starts in the text", field)
    found = tuple(pages)
    if not found:
        return ()
    if any(not isinstance(p, int) or isinstance(p, bool) for p in found):
        raise InvalidInput("pages are whole numbers: where each page starts in the text",
                           field)
    if found[0] != 0:
        raise InvalidInput("the first page starts at 0", field)
    for k in range(1, len(found)):
        if not found[k - 1] < found[k] <= len(text):
            raise InvalidInput(f"page {k + 1} starts at {found[k]}: after the page before "
                               f"it and inside the text ({len(text):,} characters)", field)
    return found
