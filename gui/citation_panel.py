"""The citation panel: the selected fact, how sure the record is of it, and its sources.

Top: the fact's sentence, its status badge, valid time, certainty, rank, when it became known,
its corrections and, when contested, the rival accounts; when its own accounts disagree on when
(DISPUTED), who says what, and a change of hands on the day. Middle: its citations (source
title, date, quote) — for a fact of several accounts, each account under a heading of its own
with its valid time, its status on the day, its certainty and when it became known. Bottom:
the source viewer, showing the chosen citation's full source text with the quote highlighted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import formatting
from gui.accounts import FactNotes
from gui.badges import EXPLANATIONS, label_style
from gui.session import Session
from gui.source_viewer import SourceViewer, source_date
from gui.undo_actions import who_when
from timeline.api import (
    Account,
    FactView,
    NotFound,
    State,
    accounts_of,
    fact_valid,
    gregorian_tip,
    page_label,
    quote_page,
    valid_text,
)

_QUOTE_ROLE = Qt.ItemDataRole.UserRole + 1
_ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 2  # an account heading's claim id
_STATUS_WORDS = {"NOT": "not on this day"}


class CitationPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.fact: FactView | None = None
        self._shown_status: tuple[object, ...] | None = None
        self.account_notes = FactNotes(session.source_name, session.statement_of)
        #: An account's claim id -> its heading in the citation list (several accounts only).
        self._account_items: dict[str, QListWidgetItem] = {}

        self.heading = QLabel("<b>Sources</b>")
        self.statement = QLabel()
        self.statement.setObjectName("factStatement")
        # Archive text is shown as the text it is, never as markup (gui/formatting.py).
        self.statement.setTextFormat(Qt.TextFormat.PlainText)
        self.statement.setWordWrap(True)
        self.statement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.statement.font()
        font.setPointSizeF(font.pointSizeF() * 1.12)
        self.statement.setFont(font)
        self.badge = QLabel()
        self.badge.setObjectName("factBadge")
        self.details = QLabel()
        self.details.setObjectName("factDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("factNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(2)

        self.citations = QListWidget()
        self.citations.setObjectName("citationList")
        self.citations.setWordWrap(True)
        self.citations.setAlternatingRowColors(True)
        self.citations.setToolTip("The sources this fact rests on; select one to read it")
        self.viewer = SourceViewer()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        badge_row = QHBoxLayout()
        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        badge_row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        badge_row.addWidget(self.details, 1)
        top_layout.addWidget(self.statement)
        top_layout.addLayout(badge_row)
        top_layout.addWidget(self.notes)
        top_layout.addLayout(self.buttons)
        self.citations_label = QLabel("Citations")
        self.citations_label.setObjectName("citationsLabel")
        top_layout.addWidget(self.citations_label)
        top_layout.addWidget(self.citations, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.viewer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        self.placeholder = QLabel(
            "Select a fact in the State panel, a relationship label in the graph, or an event, "
            "to see what it rests on.")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.placeholder.setObjectName("citationPlaceholder")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.splitter, 1)

        self.citations.currentRowChanged.connect(self._on_citation_changed)
        session.fact_selected.connect(self._on_fact_selected)
        session.state_changed.connect(self._on_state_changed)
        session.archive_changed.connect(self._on_archive_changed)
        self._on_fact_selected(None)

    def set_fact_actions(self, actions: list[QAction]) -> None:
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)

    # --- slots ------------------------------------------------------------------------------

    def _on_archive_changed(self) -> None:
        if self.session.fact is None:
            self._on_fact_selected(None)
        elif self.fact is not None:  # the same fact: its notes may have changed (a tag)
            self.fact = self.session.fact
            self.notes.setText(self._notes(self.fact))
            self.notes.setVisible(bool(self.notes.text()))

    def _on_fact_selected(self, fact: FactView | None) -> None:
        self.fact = fact
        self.placeholder.setVisible(fact is None)
        self.splitter.setVisible(fact is not None)
        self.citations.clear()
        self._account_items = {}
        self.viewer.clear()
        if fact is None:
            return
        self.statement.setText(fact.statement)
        accounts = accounts_of(fact.fact)
        several = len(accounts) > 1
        self.citations_label.setText(f"{len(accounts)} accounts and their citations"
                                     if several else "Citations")
        for account in accounts:
            if several:
                self._add_account(account)
            for citation in account.claim.sources:
                self._add_citation(citation["source"], citation["quote"])
        self._shown_status = None
        self._on_state_changed(self.session.state)
        self.notes.setText(self._notes(fact))
        self.notes.setVisible(bool(self.notes.text()))
        first = next((k for k in range(self.citations.count())
                      if self.citations.item(k).data(Qt.ItemDataRole.UserRole)), -1)
        if first >= 0:
            self.citations.setCurrentRow(first)

    def _on_state_changed(self, state: State) -> None:
        """Keep the badge true to the day shown: the fact's status on it, or a note that it
        is not part of that day's state (it stays on show, to be read)."""
        if self.fact is None:
            return
        claim = self.fact.claim
        current = self.session.fact_for(claim.id)
        status = current.status if current else None
        key = (status, state.as_of, state.known_as_of, state.recorded_as_of)
        if key == self._shown_status:
            return
        if self._shown_status is not None and self._shown_status[3] != key[3]:
            self.notes.setText(self._notes(self.fact))  # its corrections, as recorded then
            self.notes.setVisible(bool(self.notes.text()))
        self._shown_status = key
        day = formatting.human_date(state.as_of)
        known = "" if state.known_as_of is None else \
            f" as known on {formatting.human_date(state.known_as_of)}"
        for account in accounts_of(current.fact) if current is not None else ():
            item = self._account_items.get(account.claim.id)
            if item is not None:
                item.setText(self._account_heading(account))
        if current is not None:
            self.badge.setText(current.status)
            self.badge.setStyleSheet(label_style(current.status, self.palette()))
            self.badge.setToolTip(EXPLANATIONS.get(current.status, ""))
            head = f"on {day}{known}"
            rank = current.fact.rank
        else:
            self.badge.setText("NOT SHOWN")
            self.badge.setStyleSheet(label_style("", self.palette()))
            self.badge.setToolTip("This fact is not part of the state on the day shown")
            head = f"not part of the state on {day}{known}"
            rank = claim.rank
        valid = fact_valid((current or self.fact).fact)
        self.details.setText(f"{head} · valid {valid_text(valid, claim.calendar)} · "
                             f"certainty {claim.certainty:g} · rank {rank} · known from "
                             f"{claim.known_at}")
        gregorian = gregorian_tip(valid, claim.calendar)  # a Julian date's Gregorian days
        self.details.setToolTip(f"Valid {gregorian}" if gregorian else "")

    def _notes(self, fact: FactView) -> str:
        lines = []
        dispute = self.account_notes.dispute(fact.fact)
        if dispute:
            lines.append(f"<b>Disputed:</b> {formatting.rich(dispute)}")
        changing = self.account_notes.changing(fact.fact)
        if changing:
            lines.append(formatting.rich(changing))
        for rival_id in fact.fact.contested_with:
            # Around a focus, a rival about another entity is not in the state shown.
            lines.append(f"Contested by: {formatting.rich(self._statement_of(rival_id))}")
        if fact.fact.ended_by and fact.fact.ended_by not in fact.fact.handover_with:
            text = self._statement_of(fact.fact.ended_by)
            lines.append(f"Ends where this begins: {formatting.rich(text)}")
        relative = self.session.archive.relative_words(fact.claim.id)
        if relative:  # its start or end given relative to another claim's
            lines.append(f"<b>Dates:</b> {formatting.rich(relative)}")
        for fix in self.session.reader().corrections(fact.claim.id):  # as recorded then
            what = fix["kind"] + (f" to {fix['rank']}" if fix.get("rank") else "")
            reason = f": {fix['reason']}" if (fix.get("reason") or "").strip() else ""
            lines.append(formatting.rich(f"{what.capitalize()} as known from "
                                         f"{fix['known_at']}{reason}" + who_when(fix)))
        if fact.claim.note.strip():  # a label with nothing after it is not shown
            lines.append(f"Note: {formatting.rich(fact.claim.note)}")
        if fact.tags:  # its claims' and its sources' (gui/tags.py puts them on)
            lines.append(f"Tags: {formatting.rich(', '.join(fact.tags))}")
        return "<br>".join(lines)

    def _statement_of(self, claim_id: str) -> str:
        """A claim's sentence: from the state shown, else from the archive."""
        shown = self.session.fact_for(claim_id)
        if shown is not None:
            return shown.statement
        try:
            return self.session.statement(self.session.archive.claim(claim_id))
        except NotFound:
            return claim_id

    def _account_heading(self, account: Account) -> str:
        """An account's heading: its valid time, status on the day, certainty, when it
        became known, and its own sentence when it words the fact otherwise."""
        claim = account.claim
        status = _STATUS_WORDS.get(account.status, account.status)
        text = (f"valid {valid_text(claim.valid, claim.calendar)} · {status} · certainty "
                f"{claim.certainty:g} · known from {claim.known_at}")
        if not claim.sources:
            text += "\n(no source cited)"
        said = self.session.statement(claim)
        if self.fact is not None and said != self.fact.statement:
            text += f"\n“{said}”"
        return text

    def _add_account(self, account: Account) -> None:
        item = QListWidgetItem(self._account_heading(account))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not a citation to read
        item.setData(_ACCOUNT_ROLE, account.claim.id)
        font = QFont(self.citations.font())
        font.setBold(True)
        item.setFont(font)
        item.setToolTip(formatting.tooltip(f"claim {account.claim.id}"))
        self._account_items[account.claim.id] = item
        self.citations.addItem(item)

    def accounts_shown(self) -> list[str]:
        """The claim ids of the account headings listed, in order (none for one account)."""
        return list(self._account_items)

    def _add_citation(self, source_id: str, quote: str) -> None:
        try:
            source = self.session.archive.source(source_id)
            page = page_label(quote_page(source["text"], source.get("pages") or [], quote))
            head = f"{source['title']} ({source_date(source)}" + (
                f", {page})" if page else ")")
        except NotFound:
            head = f"{source_id} (missing from the archive)"
        item = QListWidgetItem(f"{head}\n“{quote}”")
        item.setData(Qt.ItemDataRole.UserRole, source_id)
        item.setData(_QUOTE_ROLE, quote)
        item.setToolTip(formatting.tooltip(f"{source_id}\n“{quote}”"))
        self.citations.addItem(item)

    def _on_citation_changed(self, row: int) -> None:
        item = self.citations.item(row)
        if item is not None and not item.data(Qt.ItemDataRole.UserRole):
            return  # an account's heading: the source shown stays
        if item is None:
            self.viewer.clear()
            return
        try:
            source = self.session.archive.source(item.data(Qt.ItemDataRole.UserRole))
        except NotFound:
            self.viewer.clear()
            return
        self.viewer.show_source(source, item.data(_QUOTE_ROLE))
