"""A source's text from its file: plain text, Markdown, HTML or a PDF with a text layer.

The file is read by the one rule of ``timeline.files`` (a regular file, bounded; confined to
the import file's folder when an import names it); this module turns its bytes into the text
the archive keeps, by the file's suffix:

- ``.txt`` and anything else: UTF-8 text, kept exactly as it is;
- ``.md``, ``.markdown``: the text, its markup stripped (headings, emphasis, links, lists,
  fences, raw HTML), one paragraph after another;
- ``.html``, ``.htm``, ``.xhtml``: the text, read with the standard library's parser:
  scripts, styles and the document head dropped (never run, never stored), block elements
  made paragraphs, no markup kept;
- ``.pdf``: the text layer, page by page (pypdf), with where each page starts, so that a
  quote knows its page. A PDF without a text layer (a scan), an encrypted one and a broken
  one are refused, saying so.

Extracted text is what the archive stores: control characters, unpaired surrogates and the
bidirectional controls a file may carry are left out (``domain.clean_text`` refuses them).
Every refusal is an ``InvalidInput`` naming the file and ``field``.
"""

from __future__ import annotations

import html
import io
import logging
import re
import unicodedata
import warnings
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePath

from timeline.errors import InvalidInput
from timeline.files import decode_utf8, read_file_bytes, read_named_bytes

#: The file types whose text is extracted, by suffix (anything else is read as UTF-8 text).
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
#: The suffixes a file chooser offers.
SOURCE_FILE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


@dataclass(frozen=True)
class SourceText:
    """A source's text as the archive keeps it, and where each page starts in it (a PDF's;
    empty for a text without pages)."""

    text: str
    pages: tuple[int, ...] = ()


def read_source_file(path: Path | str, field: str = "file") -> SourceText:
    """The text of a file named on the command line or chosen in the app."""
    return extract(str(path), read_file_bytes(path, field), field)


def read_named_source(base: Path | None, name: str, field: str = "file") -> SourceText:
    """The text of the file an import names, confined to the import file's folder."""
    return extract(name, read_named_bytes(base, name, field), field)


def extract(name: str, data: bytes, field: str = "file") -> SourceText:
    """The text of a file's bytes, by the suffix of its ``name`` (see the module)."""
    suffix = PurePath(name).suffix.lower()
    if suffix in PDF_SUFFIXES:
        return pdf_text(name, data, field)
    if suffix in HTML_SUFFIXES:
        return SourceText(html_text(decode_utf8(data, name, field)))
    if suffix in MARKDOWN_SUFFIXES:
        return SourceText(markdown_text(decode_utf8(data, name, field)))
    return SourceText(decode_utf8(data, name, field))


# --- cleaning what a file held ----------------------------------------------------------------

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROPPED = re.compile(f"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_SPACES = re.compile(r"[ \t\f\v\r\u00a0]+")


def _plain(text: str) -> str:
    """Extracted text as stored: no control character but line breaks and tabs (a form feed
    or a carriage return is a space), no bidirectional control, no unpaired surrogate."""
    return _DROPPED.sub("", text.replace("\r\n", "\n").replace("\f", "\n").replace("\r", "\n"))


def _paragraphs(blocks: list[str]) -> str:
    """Blocks of text as paragraphs: spaces inside each collapsed, blank ones dropped, one
    empty line between them."""
    out = []
    for block in blocks:
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            out.append(joined)
    return "\n\n".join(out)


# --- HTML -------------------------------------------------------------------------------------

#: Elements whose content is never text: dropped with everything inside them.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title", "svg",
                     "math", "iframe", "object", "embed", "canvas", "select", "button"})
#: Elements that begin and end a paragraph.
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "address",
    "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
    "dd", "table", "tr", "caption", "figure", "figcaption", "hr", "form", "fieldset", "body",
    "details", "summary"})
#: Elements that end a line inside a paragraph.
_LINES = frozenset({"br", "td", "th"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col",
                   "embed", "source", "track", "wbr", "param"})


class _TextOnly(HTMLParser):
    """The text of an HTML document, as paragraphs; nothing of it is ever run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.hidden = 0  # depth inside elements whose content is dropped
        self.pre = 0

    def _end_block(self) -> None:
        text = "".join(self.current)
        if not self.pre:
            text = "\n".join(_SPACES.sub(" ", part.replace("\n", " ")).strip()
                             for part in text.split("\x1e"))
        else:
            text = text.replace("\x1e", "\n")
        self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            if tag not in _VOID:
                self.hidden += 1
            return
        if self.hidden:
            return
        if tag in _BLOCKS:
            self._end_block()
            self.pre += tag == "pre"
        elif tag in _LINES:
            self.current.append("\x1e" if tag == "br" else " ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN or self.hidden:
            return
        if tag in _BLOCKS:
            self._end_block()
        elif tag in _LINES:
            self.current.append("\x1e" if tag == "br" else " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            return
        if self.hidden:
            return
        if tag in _BLOCKS:
            self._end_block()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data.replace("\x1e", ""))


def html_text(document: str) -> str:
    """The text of an HTML document as paragraphs (see the module): no markup, no script."""
    parser = _TextOnly()
    parser.feed(document)
    parser.close()
    parser._end_block()
    return _paragraphs([_plain(block) for block in parser.blocks])


# --- Markdown ---------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_RAW_HIDDEN = re.compile(r"<(script|style|noscript|template|iframe)\b.*?(?:</\1\s*>|\Z)",
                         re.I | re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_NUMBERED = re.compile(r"^\s*\d{1,9}[.)]\s+")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\*)|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")


def _inline(line: str) -> str:
    line = _AUTOLINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _CODE.sub(r"\2", line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)
    return html.unescape(_ESCAPED.sub(r"\1", line))


def markdown_text(document: str) -> str:
    """The text of a Markdown document as paragraphs (see the module): headings, list items
    and the lines of a code block each a line of their own; the lines of a paragraph
    joined."""
    document = _COMMENT.sub("", _RAW_HIDDEN.sub("", _plain(document)))
    blocks: list[str] = []
    lines: list[str] = []
    fenced = False

    def flush() -> None:
        if lines:
            blocks.append("\n".join(lines))
            lines.clear()

    for raw in document.split("\n"):
        if _FENCE.match(raw):
            flush()
            fenced = not fenced
            continue
        if fenced:
            lines.append(raw)
            continue
        line = raw
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        if not line.strip() or _RULE.match(line) or _REF_DEF.match(line):
            flush()
            continue
        if _SETEXT.match(line) and lines:  # the line above was a heading: a line of its own
            flush()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            blocks.append(_inline(heading.group(1)))
            continue
        item = _BULLET.match(line) or _NUMBERED.match(line)
        text = _inline(line[item.end():] if item and _BULLET.match(line) else line.strip())
        if item or not lines:
            lines.append(text)
        else:
            lines[-1] = f"{lines[-1]} {text}"
    flush()
    return _paragraphs(blocks)


# --- PDF --------------------------------------------------------------------------------------

#: Between the text of two pages.
PAGE_BREAK = "\n\n"


def _refused(name: str, why: str, field: str) -> InvalidInput:
    return InvalidInput(f"'{name}' {why}", field)


def pdf_text(name: str, data: bytes, field: str = "file") -> SourceText:
    """The text layer of a PDF, page after page (``PAGE_BREAK`` between them), with where
    each page starts. Refused: not a PDF, broken, encrypted, or with no text layer."""
    if b"%PDF-" not in data[:1024]:
        raise _refused(name, "is not a PDF (it does not begin with %PDF-)", field)
    from pypdf import PdfReader

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)  # its warnings about a damaged file are ours to say
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                reader = PdfReader(io.BytesIO(data), strict=False)
                if reader.is_encrypted and not _opened(reader):
                    raise _refused(name, "is encrypted (protected by a password): save a copy "
                                   "without the protection, then add that", field)
                texts = [_page_text(page) for page in reader.pages]
            except InvalidInput:
                raise
            except Exception as exc:  # pypdf raises many kinds on a damaged file
                first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
                raise _refused(name, f"cannot be read as a PDF: it is broken or damaged "
                               f"({first or type(exc).__name__})", field) from None
    finally:
        pypdf_log.setLevel(level)
    if not texts:
        raise _refused(name, "has no pages", field)
    if not any(t.strip() for t in texts):
        raise _refused(name, "has no text layer (a scanned image?): OCR it first, then add "
                       "the text it gives", field)
    pages, parts, offset = [], [], 0
    for k, text in enumerate(texts):
        if k:
            parts.append(PAGE_BREAK)
            offset += len(PAGE_BREAK)
        pages.append(offset)
        parts.append(text)
        offset += len(text)
    return SourceText("".join(parts), tuple(pages))


def _opened(reader: object) -> bool:
    """Whether an encrypted PDF opens without a password (protected only from editing)."""
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # an encryption pypdf cannot undo without an optional library
        return False


def _page_text(page: object) -> str:
    text = page.extract_text() or ""  # type: ignore[attr-defined]
    text = unicodedata.normalize("NFC", _plain(text))
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip("\n")


# --- pages ------------------------------------------------------------------------------------


def page_at(pages: tuple[int, ...] | list[int], offset: int) -> int | None:
    """The page (1, 2, ...) the character at ``offset`` of a text is on, given where each
    page starts; None for a text without pages."""
    if not pages or offset < 0:
        return None
    import bisect

    return max(1, bisect.bisect_right(list(pages), offset))


def quote_page(text: str, pages: tuple[int, ...] | list[int], quote: str) -> int | None:
    """The page a quote is on: where it is first found in the text (None: no pages, or not
    found)."""
    found = text.find(quote) if quote else -1
    return page_at(pages, found) if found >= 0 else None


def page_label(page: int | None) -> str:
    """'p. 12', or '' for no page."""
    return f"p. {page}" if page else ""
