"""Two fields of the Record Claim dialog: *Account of…* (the claim recorded is another account
of a fact the archive holds: ``Archive.record(..., account_of=...)``) and *One value* (how a
new predicate is single-valued: per subject, per object — an office, one holder at a time —
or both).

An account is another source's telling of the same happening, with its own dates, certainty
and quotes: tied to the fact, it is shown in the fact's row (one row, its sources named) and
its dates are weighed with the others' (refined, or DISPUTED where they disagree). The engine
checks the tie (an unknown claim is refused, next to the field).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from gui import formatting
from timeline.api import FactView, fact_valid, valid_text

NONE_TEXT = "(none: a claim of its own)"


def fact_text(fact: FactView) -> str:
    """How a fact reads in the box: its sentence and its valid time."""
    return f"{fact.statement} · {_valid(fact)}"


def _valid(fact: FactView) -> str:
    """A fact's valid time as written, with its calendar named when it is not the Gregorian."""
    return valid_text(fact_valid(fact.fact), fact.claim.calendar)


class AccountOfBox(QComboBox):
    """Which fact the claim is another account of: none, one of the facts given (the state
    shown), or a claim id typed in."""

    def __init__(self, facts: Iterable[FactView] = (), chosen: FactView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountOf")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(30)
        self.addItem(NONE_TEXT, None)
        self.facts: dict[str, FactView] = {}
        for fact in [*([chosen] if chosen else []), *facts]:
            self.add_fact(fact)
        # The editable box's own completer (over its own items): any words of a sentence.
        completer = self.completer()
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.choose(chosen)

    def add_fact(self, fact: FactView) -> None:
        if fact.claim.id in self.facts:
            return
        self.facts[fact.claim.id] = fact
        self.addItem(fact_text(fact), fact.claim.id)
        self.setItemData(self.count() - 1, formatting.tooltip(
            f"{fact.statement}\nvalid {_valid(fact)} · {fact.status} · "
            f"id {fact.claim.id}"), Qt.ItemDataRole.ToolTipRole)

    def choose(self, fact: FactView | None) -> None:
        self.setCurrentIndex(self.findData(fact.claim.id) if fact else 0)

    def claim_id(self) -> str | None:
        """The claim chosen (None: none). Text that names no fact listed is taken as a claim
        id, for the engine to check."""
        text = self.currentText().strip()
        if not text or text == NONE_TEXT:
            return None
        row = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if row >= 0:
            return self.itemData(row)
        return text

    def chosen_fact(self) -> FactView | None:
        found = self.claim_id()
        return self.facts.get(found) if found else None


#: The ways a predicate can be single-valued, as ``Archive.define_predicate`` takes them.
SIDES = (("no: many values at once", ""), ("one per subject", "subject"),
         ("one holder per object (an office)", "object"),
         ("both: one per subject and one per object", "both"))


class SingleBox(QComboBox):
    """Whether a new predicate is single-valued, and on which side; for a predicate the
    archive holds, its side, shown and not changed here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predicateSingle")
        for text, side in SIDES:
            self.addItem(text, side)

    def show_predicate(self, side: str | None) -> None:
        """Show a known predicate's side (disabled), or let a new one's be chosen (None)."""
        self.setEnabled(side is None)
        if side is not None:
            self.setCurrentIndex(max(0, self.findData(side or "")))

    def side(self) -> str:
        return str(self.currentData() or "")
