"""The source viewer: a source's full text, title, publication date and metadata (authors,
container, archive...), with the quote a citation rests on highlighted and scrolled into the
middle of the view, and the page it is on when the source has pages (a PDF's)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QLabel, QTextEdit, QVBoxLayout, QWidget

from gui import formatting
from gui.badges import is_dark
from timeline.api import (
    DateError,
    author_text,
    counted,
    page_label,
    parse_date,
    quote_page,
    type_words,
    valid_text,
)


def document_position(text: str, index: int) -> int:
    """An index into a source's ``text`` as a position in the viewer's document: Qt counts
    UTF-16 code units, and shows a line break written CR LF as one position (one paragraph).
    ``claim_from_selection`` maps back the other way."""
    return len(text[:index].replace("\r\n", "\n").encode("utf-16-le", "surrogatepass")) // 2


def published_text(published: str, calendar: str = "gregorian") -> str:
    """'2 May 2025' for a day-precise date; the EDTF as written otherwise; a date of the
    Julian calendar as written, named so: '1700-02-29 (Julian)'."""
    if calendar != "gregorian":
        return valid_text(published, calendar)
    try:
        span = parse_date(published)
    except DateError:
        return published
    if span.hi - span.lo == 1:
        return formatting.human_date(span.lo)
    return published


def source_date(source: dict[str, Any]) -> str:
    """A source's publication date as :func:`published_text` shows it, in its calendar."""
    return published_text(source["published"], source.get("calendar", "gregorian"))


def describe(source: dict[str, Any], quote: str | None = None) -> str:
    """A source's metadata as one plain line: its type, authors, container, publisher,
    archive and place in it, pages, language, accessed date, notes, the version it is; and
    the page the quote is on ("Quote on p. 12"), for a source with pages."""
    parts = []
    if source.get("type"):
        words = type_words(source["type"])
        parts.append(words[:1].upper() + words[1:])
    if source.get("authors"):
        parts.append("by " + "; ".join(author_text(a) for a in source["authors"]))
    for key, label in (("container", "in "), ("publisher", ""), ("archive", ""),
                       ("archive_location", ""), ("locator", "pp. "),
                       ("language", "language: "), ("accessed", "accessed ")):
        if source.get(key):
            parts.append(label + str(source[key]))
    if source.get("version_of"):
        parts.append(f"a later version of {source['version_of']}")
    pages = source.get("pages") or []
    if pages:
        parts.append(counted(len(pages), "page"))
        page = quote_page(source["text"], pages, quote) if quote else None
        if page:
            parts.append(f"quote on {page_label(page)}")
    if source.get("note"):
        parts.append(f"note: {source['note']}")
    return " · ".join(parts)


class SourceViewer(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source: dict[str, Any] | None = None
        self.quote: str | None = None
        self.title = QLabel()
        self.title.setObjectName("sourceTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)  # archive text in it: formatting.rich
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel()
        self.meta.setObjectName("sourceMeta")
        self.meta.setTextFormat(Qt.TextFormat.RichText)  # archive text in it: formatting.rich
        self.meta.setWordWrap(True)
        self.meta.setOpenExternalLinks(True)
        self.text = QTextEdit()
        self.text.setReadOnly(True)
        self.text.setObjectName("sourceText")
        self.text.setPlaceholderText("Select a citation to read its source.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.text, 1)
        self.clear()

    def clear(self) -> None:
        self.source, self.quote = None, None
        self.title.setText("<b>Source</b>")
        self.meta.setText("")
        self.meta.hide()
        self.text.clear()
        self.text.setExtraSelections([])

    def show_source(self, source: dict[str, Any], quote: str | None = None,
                    passage: tuple[int, int] | None = None) -> None:
        """Show a source with every place of ``quote`` highlighted, or the ``passage``
        (start, end: character offsets in its text, as a search finds it)."""
        self.source, self.quote = source, quote
        self.title.setText(f"<b>{formatting.rich(source['title'])}</b>")
        meta = formatting.rich(f"Published {source_date(source)} · "
                               f"{source['id']}")
        if source.get("url"):
            url = formatting.rich(source["url"])
            # Only a web address is a link: a click never opens a file or runs a program.
            web = urlsplit(source["url"]).scheme.lower() in ("http", "https")
            meta += f' · <a href="{url}">{url}</a>' if web else f" · {url}"
        details = describe(source, quote)
        if details:
            meta += "<br>" + formatting.rich(details)
        self.meta.setText(meta)
        self.meta.show()
        text = source["text"]
        self.text.setPlainText(text)
        places = [passage] if passage else []
        start = text.find(quote) if quote else -1
        while quote and start >= 0:
            places.append((start, start + len(quote)))
            start = text.find(quote, start + len(quote))
        self._highlight(text, places)

    def _highlight(self, text: str, places: list[tuple[int, int]]) -> None:
        selections = []
        first: QTextCursor | None = None
        if places:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#8a6d00" if is_dark(self.palette()) else "#ffe066"))
            if is_dark(self.palette()):
                fmt.setForeground(QColor("#ffffff"))
            fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
            for start, end in places:
                cursor = QTextCursor(self.text.document())
                cursor.setPosition(document_position(text, start))
                cursor.setPosition(document_position(text, end),
                                  QTextCursor.MoveMode.KeepAnchor)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor  # type: ignore[attr-defined]
                selection.format = fmt  # type: ignore[attr-defined]
                selections.append(selection)
                first = first or QTextCursor(cursor)
        self.text.setExtraSelections(selections)
        if first is not None:
            # The caret goes to the quote without selecting it, so the highlight shows.
            first.clearSelection()
            self.text.setTextCursor(first)
            self._centre()
            QTimer.singleShot(0, self._centre)  # again once the text is laid out
        else:
            self.text.moveCursor(QTextCursor.MoveOperation.Start)

    def _centre(self) -> None:
        """Scroll so that the selected quote sits in the middle of the view."""
        self.text.ensureCursorVisible()
        rect = self.text.cursorRect(self.text.textCursor())
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.value() + rect.center().y() - self.text.viewport().height() // 2)

    def highlighted_texts(self) -> list[str]:
        """The text under each highlight (for tests and accessibility)."""
        return [s.cursor.selectedText() for s in self.text.extraSelections()]  # type: ignore
